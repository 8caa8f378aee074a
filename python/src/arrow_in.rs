//! Conversations from Arrow record batches, in either schema of docs/python.md: one row per
//! conversation (an `events` list column) or one row per event (a `conversation_id` column).
//!
//! Each conversation is rebuilt as the JSON record the contract describes and read by
//! `tact::input::conversation_from_value`, the reader `tact check` uses, so a record means
//! the same thing (and is wrong in the same ways) whichever way it arrives.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchReader, StructArray};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, SecondsFormat};
use serde_json::{Map, Value};

use tact::conversation::{Conversation, Origin};

/// The conversation-level fields, read from columns of the same names in both schemas.
const CONVERSATION_FIELDS: [&str; 4] = ["agent", "team", "channel", "priority"];
/// The event fields read as text (`at` and `due` are times).
const EVENT_TEXT_FIELDS: [&str; 4] = ["type", "from", "text", "value"];

/// Reads every conversation of the stream, or says which row is wrong and why.
pub fn read_conversations(reader: impl RecordBatchReader) -> Result<Vec<Conversation>, String> {
    let schema = reader.schema();
    let per_event = schema.field_with_name("conversation_id").is_ok();
    if !per_event && schema.field_with_name("events").is_err() {
        return Err(
            "the table has neither an `events` column (one row per conversation) nor a \
             `conversation_id` column (one row per event)"
                .to_string(),
        );
    }
    let mut records = Vec::new();
    let mut grouped = Grouped::default();
    let mut first_row = 0;
    for batch in reader {
        let batch = batch.map_err(|e| format!("reading the Arrow stream: {e}"))?;
        if per_event {
            grouped.add(&batch, first_row)?;
        } else {
            read_conversation_rows(&batch, first_row, &mut records)?;
        }
        first_row += batch.num_rows();
    }
    if per_event {
        records = grouped.records;
    }
    records
        .into_iter()
        .map(|(row, value)| {
            let origin = Origin {
                path: "<arrow>".to_string(),
                line: row + 1,
                ..Origin::default()
            };
            tact::input::conversation_from_value(Value::Object(value), origin)
                .map_err(|e| format!("row {row}: {e}"))
        })
        .collect()
}

/// One row per conversation: each row becomes a record with its `events` list.
fn read_conversation_rows(
    batch: &RecordBatch,
    first_row: usize,
    records: &mut Vec<(usize, Map<String, Value>)>,
) -> Result<(), String> {
    let conversation = ConversationColumns::new(batch, "id")?;
    let events = batch
        .column_by_name("events")
        .ok_or("missing column `events`")?;
    let (starts, items) = list_parts(events, "events")?;
    let items = items
        .as_struct_opt()
        .ok_or("column `events` must be a list of structs")?;
    let event = EventColumns::new(items, "events")?;
    for row in 0..batch.num_rows() {
        let at = first_row + row;
        let mut record = conversation
            .record(row)
            .map_err(|e| format!("row {at}: {e}"))?;
        if events.is_valid(row) {
            let list = item_range(&starts, row)
                .map(|i| {
                    if items.is_valid(i) {
                        event.record(i).map(Value::Object)
                    } else {
                        Ok(Value::Null)
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("row {at}: {e}"))?;
            record.insert("events".to_string(), Value::Array(list));
        }
        records.push((at, record));
    }
    Ok(())
}

/// One row per event, gathered by `conversation_id` in order of first appearance; events keep
/// their row order.
#[derive(Default)]
struct Grouped {
    records: Vec<(usize, Map<String, Value>)>,
    by_id: HashMap<String, usize>,
}

impl Grouped {
    fn add(&mut self, batch: &RecordBatch, first_row: usize) -> Result<(), String> {
        let conversation = ConversationColumns::new(batch, "conversation_id")?;
        let event = EventColumns::from_batch(batch)?;
        for row in 0..batch.num_rows() {
            let at = first_row + row;
            let id = conversation
                .id
                .get(row)
                .ok_or_else(|| format!("row {at}: `conversation_id` is null"))?;
            let index = match self.by_id.get(id) {
                Some(&index) => index,
                None => {
                    let mut record = conversation
                        .record(row)
                        .map_err(|e| format!("row {at}: {e}"))?;
                    record.insert("events".to_string(), Value::Array(Vec::new()));
                    self.records.push((at, record));
                    self.by_id.insert(id.to_string(), self.records.len() - 1);
                    self.records.len() - 1
                }
            };
            let event = event.record(row).map_err(|e| format!("row {at}: {e}"))?;
            if let Some((_, record)) = self.records.get_mut(index) {
                if let Some(Value::Array(events)) = record.get_mut("events") {
                    events.push(Value::Object(event));
                }
            }
        }
        Ok(())
    }
}

/// The conversation-level columns of a batch.
struct ConversationColumns<'a> {
    id_name: &'static str,
    id: TextColumn<'a>,
    fields: Vec<(&'static str, TextColumn<'a>)>,
    tags: Option<(Vec<usize>, TextColumn<'a>, &'a ArrayRef)>,
}

impl<'a> ConversationColumns<'a> {
    fn new(batch: &'a RecordBatch, id_name: &'static str) -> Result<Self, String> {
        let id = batch
            .column_by_name(id_name)
            .ok_or_else(|| format!("missing column `{id_name}`"))?;
        let mut fields = Vec::new();
        for name in CONVERSATION_FIELDS {
            if let Some(column) = batch.column_by_name(name) {
                fields.push((name, TextColumn::new(column, name)?));
            }
        }
        let tags = match batch.column_by_name("tags") {
            Some(column) => {
                let (starts, items) = list_parts(column, "tags")?;
                Some((starts, TextColumn::new(items, "tags")?, column))
            }
            None => None,
        };
        Ok(ConversationColumns {
            id_name,
            id: TextColumn::new(id, id_name)?,
            fields,
            tags,
        })
    }

    /// The record of `row`, without its events.
    fn record(&self, row: usize) -> Result<Map<String, Value>, String> {
        let mut record = Map::new();
        let id = self
            .id
            .get(row)
            .ok_or_else(|| format!("`{}` is null", self.id_name))?;
        record.insert("id".to_string(), Value::String(id.to_string()));
        for (name, column) in &self.fields {
            if let Some(text) = column.get(row) {
                record.insert((*name).to_string(), Value::String(text.to_string()));
            }
        }
        if let Some((starts, items, column)) = &self.tags {
            if column.is_valid(row) {
                let tags = item_range(starts, row)
                    .map(|i| {
                        items
                            .get(i)
                            .map_or(Value::Null, |t| Value::String(t.to_string()))
                    })
                    .collect();
                record.insert("tags".to_string(), Value::Array(tags));
            }
        }
        Ok(record)
    }
}

/// The event columns: the fields of the `events` structs, or columns of the batch.
struct EventColumns<'a> {
    text: Vec<(&'static str, TextColumn<'a>)>,
    times: Vec<(&'static str, TimeColumn<'a>)>,
}

impl<'a> EventColumns<'a> {
    fn new(items: &'a StructArray, list: &str) -> Result<Self, String> {
        Self::from_columns(|name| items.column_by_name(name), list)
    }

    fn from_batch(batch: &'a RecordBatch) -> Result<Self, String> {
        Self::from_columns(|name| batch.column_by_name(name), "")
    }

    fn from_columns(
        column: impl Fn(&str) -> Option<&'a ArrayRef>,
        list: &str,
    ) -> Result<Self, String> {
        let shown = |name: &str| {
            if list.is_empty() {
                name.to_string()
            } else {
                format!("{list}.{name}")
            }
        };
        let mut text = Vec::new();
        for name in EVENT_TEXT_FIELDS {
            if let Some(array) = column(name) {
                text.push((name, TextColumn::new(array, &shown(name))?));
            }
        }
        let mut times = Vec::new();
        for name in ["at", "due"] {
            if let Some(array) = column(name) {
                times.push((name, TimeColumn::new(array, &shown(name))?));
            }
        }
        Ok(EventColumns { text, times })
    }

    fn record(&self, index: usize) -> Result<Map<String, Value>, String> {
        let mut event = Map::new();
        for (name, column) in &self.text {
            if let Some(text) = column.get(index) {
                event.insert((*name).to_string(), Value::String(text.to_string()));
            }
        }
        for (name, column) in &self.times {
            if let Some(time) = column.get(index)? {
                event.insert((*name).to_string(), Value::String(time));
            }
        }
        Ok(event)
    }
}

/// A list column's item offsets (one more than its rows) and its items.
fn list_parts<'a>(column: &'a ArrayRef, name: &str) -> Result<(Vec<usize>, &'a ArrayRef), String> {
    if let Some(list) = column.as_list_opt::<i32>() {
        let starts = list.value_offsets().iter().map(|&o| o as usize).collect();
        Ok((starts, list.values()))
    } else if let Some(list) = column.as_list_opt::<i64>() {
        let starts = list.value_offsets().iter().map(|&o| o as usize).collect();
        Ok((starts, list.values()))
    } else {
        Err(format!(
            "column `{name}` must be a list, found {}",
            column.data_type()
        ))
    }
}

/// The items of list row `row`.
fn item_range(starts: &[usize], row: usize) -> std::ops::Range<usize> {
    match (starts.get(row), starts.get(row + 1)) {
        (Some(&start), Some(&end)) if start <= end => start..end,
        _ => 0..0,
    }
}

/// A string column of any of Arrow's three string layouts.
enum TextColumn<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// A column of nulls only (a field no row sets).
    Null,
}

impl<'a> TextColumn<'a> {
    fn new(column: &'a ArrayRef, name: &str) -> Result<Self, String> {
        // Empty or all null: as good as missing, whatever type a writer guessed for it (Spark
        // reads an always-empty `tags` list as a list of integers).
        if column.logical_null_count() == column.len() {
            return Ok(TextColumn::Null);
        }
        match column.data_type() {
            DataType::Utf8 => Ok(TextColumn::Utf8(column.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(TextColumn::Large(column.as_string::<i64>())),
            DataType::Utf8View => Ok(TextColumn::View(column.as_string_view())),
            DataType::Null => Ok(TextColumn::Null),
            other => Err(format!("column `{name}` must be a string, found {other}")),
        }
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            TextColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            TextColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            TextColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
            TextColumn::Null => None,
        }
    }
}

/// A time column: an Arrow timestamp (its instant; a time zone only changes how it is shown,
/// and one without a zone is read as UTC) or RFC 3339 text.
enum TimeColumn<'a> {
    Instant(&'a ArrayRef, TimeUnit),
    Text(TextColumn<'a>),
}

impl<'a> TimeColumn<'a> {
    fn new(column: &'a ArrayRef, name: &str) -> Result<Self, String> {
        if column.logical_null_count() == column.len() {
            return Ok(TimeColumn::Text(TextColumn::Null));
        }
        match column.data_type() {
            DataType::Timestamp(unit, _) => Ok(TimeColumn::Instant(column, *unit)),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                Ok(TimeColumn::Text(TextColumn::new(column, name)?))
            }
            other => Err(format!(
                "column `{name}` must be a timestamp or RFC 3339 text, found {other}"
            )),
        }
    }

    /// The time as RFC 3339 text, as the contract writes it.
    fn get(&self, i: usize) -> Result<Option<String>, String> {
        let (column, unit) = match self {
            TimeColumn::Text(text) => return Ok(text.get(i).map(str::to_string)),
            TimeColumn::Instant(column, unit) => (column, unit),
        };
        if column.is_null(i) {
            return Ok(None);
        }
        let time = match unit {
            TimeUnit::Second => {
                DateTime::from_timestamp(column.as_primitive::<TimestampSecondType>().value(i), 0)
            }
            TimeUnit::Millisecond => DateTime::from_timestamp_millis(
                column.as_primitive::<TimestampMillisecondType>().value(i),
            ),
            TimeUnit::Microsecond => DateTime::from_timestamp_micros(
                column.as_primitive::<TimestampMicrosecondType>().value(i),
            ),
            TimeUnit::Nanosecond => Some(DateTime::from_timestamp_nanos(
                column.as_primitive::<TimestampNanosecondType>().value(i),
            )),
        };
        time.map(|t| Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
            .ok_or_else(|| "a timestamp is out of range".to_string())
    }
}
