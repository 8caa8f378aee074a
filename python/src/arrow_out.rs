//! The violations and scores tables. Each row is made from the JSON the CLI writes for the same
//! finding (the `Serialize` of `Violation` and `Scorecard` that `tact check --format json` and
//! `tact score --format json` use), so the two cannot drift apart: a field is read by its JSON
//! name and typed here, once.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, Fields, Schema};
use serde::Serialize;
use serde_json::{Map, Value};

use tact::report::ConversationReport;
use tact::score::Scorecard;

/// The violations of each conversation (its id, its report), one row per violation.
pub fn violations(reports: &[(String, ConversationReport)]) -> Result<RecordBatch, String> {
    let mut ids = StringBuilder::new();
    let mut text = TextFields::new(&[
        "rule",
        "severity",
        "message",
        "excerpt",
        "suggestion",
        "detail",
    ]);
    let mut event = Int64Builder::new();
    let mut span_start = Int64Builder::new();
    let mut span_end = Int64Builder::new();
    let mut span_valid = Vec::new();
    for (id, report) in reports {
        for violation in &report.violations {
            let record = as_object(violation)?;
            ids.append_value(id);
            text.append(&record);
            event.append_option(integer(&record, "event"));
            let span = record.get("span").and_then(Value::as_object);
            span_valid.push(span.is_some());
            span_start.append_option(span.and_then(|s| integer(s, "start")));
            span_end.append_option(span.and_then(|s| integer(s, "end")));
        }
    }
    let span_fields = Fields::from(vec![
        Field::new("start", DataType::Int64, true),
        Field::new("end", DataType::Int64, true),
    ]);
    let span = StructArray::try_new(
        span_fields.clone(),
        vec![Arc::new(span_start.finish()), Arc::new(span_end.finish())],
        Some(NullBuffer::from(span_valid)),
    )
    .map_err(|e| e.to_string())?;
    let [rule, severity, message, excerpt, suggestion, detail] = text.finish();
    let columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("id", Arc::new(ids.finish()), false),
        ("rule", rule, false),
        ("severity", severity, false),
        ("message", message, false),
        ("event", Arc::new(event.finish()), true),
        ("span", Arc::new(span), true),
        ("excerpt", excerpt, true),
        ("suggestion", suggestion, true),
        ("detail", detail, true),
    ];
    batch(columns)
}

/// One row per conversation: its score and each rule's line of the scorecard.
pub fn scores(cards: &[Scorecard]) -> Result<RecordBatch, String> {
    let mut text = TextFields::new(&["id", "agent", "team", "week", "critical_failure"]);
    let mut score = Float64Builder::new();
    let mut offsets = vec![0usize];
    let mut line_text = TextFields::new(&["rule", "verdict", "reason"]);
    let mut weight = Int64Builder::new();
    let mut points_lost = Float64Builder::new();
    for card in cards {
        let record = as_object(card)?;
        text.append(&record);
        score.append_option(record.get("score").and_then(Value::as_f64));
        let lines = record.get("rules").and_then(Value::as_array);
        for line in lines.into_iter().flatten() {
            let line = line
                .as_object()
                .ok_or("a scorecard line is not an object")?;
            line_text.append(line);
            weight.append_option(integer(line, "weight"));
            points_lost.append_option(line.get("points_lost").and_then(Value::as_f64));
        }
        offsets.push(offsets.last().copied().unwrap_or(0) + lines.map_or(0, Vec::len));
    }
    let [rule, verdict, reason] = line_text.finish();
    let line_fields = Fields::from(vec![
        Field::new("rule", DataType::Utf8, false),
        Field::new("verdict", DataType::Utf8, false),
        Field::new("weight", DataType::Int64, false),
        Field::new("points_lost", DataType::Float64, false),
        Field::new("reason", DataType::Utf8, true),
    ]);
    let lines = StructArray::try_new(
        line_fields.clone(),
        vec![
            rule,
            verdict,
            Arc::new(weight.finish()),
            Arc::new(points_lost.finish()),
            reason,
        ],
        None,
    )
    .map_err(|e| e.to_string())?;
    let item = Arc::new(Field::new("item", DataType::Struct(line_fields), false));
    let rules = ListArray::try_new(
        item,
        OffsetBuffer::from_lengths(offsets.windows(2).map(|w| w[1] - w[0])),
        Arc::new(lines),
        None,
    )
    .map_err(|e| e.to_string())?;
    let [id, agent, team, week, critical_failure] = text.finish();
    batch(vec![
        ("id", id, false),
        ("agent", agent, true),
        ("team", team, true),
        ("week", week, true),
        ("score", Arc::new(score.finish()), true),
        ("critical_failure", critical_failure, true),
        ("rules", Arc::new(rules), false),
    ])
}

/// String columns filled from the JSON fields of the same names.
struct TextFields<const N: usize> {
    names: [&'static str; N],
    builders: [StringBuilder; N],
}

impl<const N: usize> TextFields<N> {
    fn new(names: &[&'static str; N]) -> Self {
        TextFields {
            names: *names,
            builders: std::array::from_fn(|_| StringBuilder::new()),
        }
    }

    fn append(&mut self, record: &Map<String, Value>) {
        for (name, builder) in self.names.iter().zip(&mut self.builders) {
            builder.append_option(record.get(*name).and_then(Value::as_str));
        }
    }

    fn finish(self) -> [ArrayRef; N] {
        self.builders.map(|mut b| Arc::new(b.finish()) as ArrayRef)
    }
}

fn as_object(value: &impl Serialize) -> Result<Map<String, Value>, String> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        Value::Object(map) => Ok(map),
        _ => Err("a finding did not serialize as an object".to_string()),
    }
}

fn integer(record: &Map<String, Value>, name: &str) -> Option<i64> {
    record.get(name).and_then(Value::as_i64)
}

fn batch(columns: Vec<(&str, ArrayRef, bool)>) -> Result<RecordBatch, String> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, array, nullable)| Field::new(*name, array.data_type().clone(), *nullable))
        .collect();
    let arrays = columns.into_iter().map(|(_, array, _)| array).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| e.to_string())
}
