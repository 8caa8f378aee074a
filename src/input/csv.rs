//! CSV and TSV, one message (or event) per row, as spreadsheets and BI tools export them: the
//! rows of a conversation one after another, a header naming the columns. Which column holds
//! what comes from `tact.yaml`'s `csv:` section, else from common header names. Streamed with
//! the `csv` crate: a conversation is handed on when the next one starts.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use super::{parse_time, InputError};
use crate::conversation::{Conversation, Event, Origin, Party};

/// Which column holds what, and which speaker values mean whom (`csv:` in tact.yaml). Every
/// field is optional: unnamed columns are found by their usual header names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    /// The conversation (ticket, chat) id.
    pub conversation: Option<String>,
    /// When the row happened.
    pub time: Option<String>,
    /// Who wrote it.
    pub speaker: Option<String>,
    /// What was written.
    pub text: Option<String>,
    /// The event type (`message` when absent).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The agent handling the conversation.
    pub agent: Option<String>,
    /// The ticket's priority (its last value in the conversation's rows).
    pub priority: Option<String>,
    /// Speaker values that mean the agent, beside the usual ones.
    #[serde(default)]
    pub agents: Vec<String>,
    /// Speaker values that mean the customer, beside the usual ones.
    #[serde(default)]
    pub customers: Vec<String>,
    /// The IANA time zone of times written without one (`2012/10/09 14:50:17`); UTC if absent.
    pub time_zone: Option<String>,
}

/// Usual header names for each column, in order of preference (compared case-insensitively,
/// with spaces and dashes read as underscores).
const CONVERSATION: &[&str] = &[
    "conversation_id",
    "conversation",
    "ticket_id",
    "ticket",
    "case_id",
    "chat_id",
    "thread_id",
    "session_id",
    "id",
];
const TIME: &[&str] = &[
    "at",
    "time",
    "timestamp",
    "created_at",
    "sent_at",
    "datetime",
    "date",
];
const SPEAKER: &[&str] = &[
    "from",
    "speaker",
    "sender",
    "sender_type",
    "author_type",
    "role",
    "party",
    "participant",
];
const TEXT: &[&str] = &[
    "text",
    "message",
    "body",
    "content",
    "comment",
    "utterance",
    "transcript",
];
const KIND: &[&str] = &["type", "event_type", "event", "kind"];
const AGENT: &[&str] = &["agent", "agent_name", "assignee", "agent_id"];
const PRIORITY: &[&str] = &["priority", "ticket_priority", "urgency"];

/// Speaker values that mean the agent or the customer.
const AGENT_VALUES: &[&str] = &[
    "agent",
    "staff",
    "support",
    "rep",
    "representative",
    "operator",
    "admin",
    "advisor",
];
const CUSTOMER_VALUES: &[&str] = &[
    "customer",
    "user",
    "end-user",
    "end_user",
    "enduser",
    "client",
    "requester",
    "visitor",
    "contact",
    "caller",
];

/// The column index of each field, found once from the header.
#[derive(Debug)]
struct Layout {
    conversation: usize,
    time: Option<usize>,
    /// Required unless there is a type column (an event log: activities, no messages).
    speaker: Option<usize>,
    text: Option<usize>,
    kind: Option<usize>,
    agent: Option<usize>,
    priority: Option<usize>,
}

fn normalize(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

impl Layout {
    fn from_header(header: &csv::StringRecord, columns: &CsvColumns) -> Result<Layout, String> {
        let names: Vec<String> = header.iter().map(normalize).collect();
        let find = |chosen: &Option<String>,
                    usual: &[&str],
                    what: &str|
         -> Result<Option<usize>, String> {
            match chosen {
                Some(name) => names
                    .iter()
                    .position(|n| *n == normalize(name))
                    .map(Some)
                    .ok_or_else(|| {
                        format!(
                            "tact.yaml's `csv.{what}` names the column `{name}`, which the header does not have (it has: {})",
                            header.iter().collect::<Vec<_>>().join(", ")
                        )
                    }),
                None => Ok(usual.iter().find_map(|u| names.iter().position(|n| n == u))),
            }
        };
        let required = |found: Option<usize>, what: &str, usual: &[&str]| {
            found.ok_or_else(|| {
                format!(
                    "no {what} column: name one in tact.yaml (`csv: {{{what}: COLUMN}}`) or call it one of {}",
                    usual.join(", ")
                )
            })
        };
        let kind = find(&columns.kind, KIND, "type")?;
        Ok(Layout {
            conversation: required(
                find(&columns.conversation, CONVERSATION, "conversation")?,
                "conversation",
                CONVERSATION,
            )?,
            time: find(&columns.time, TIME, "time")?,
            speaker: match (find(&columns.speaker, SPEAKER, "speaker")?, kind) {
                (None, None) => Some(required(None, "speaker", SPEAKER)?),
                (found, _) => found,
            },
            text: match (find(&columns.text, TEXT, "text")?, kind) {
                (None, None) => Some(required(None, "text", TEXT)?),
                (found, _) => found,
            },
            kind,
            agent: find(&columns.agent, AGENT, "agent")?,
            priority: find(&columns.priority, PRIORITY, "priority")?,
        })
    }
}

/// Reads CSV (or TSV, with `delimiter` b'\t') from `reader`, handing each conversation (or the
/// error in its place) to `sink` when its last row has been read.
pub(super) fn read_csv(
    path: &str,
    reader: impl Read,
    delimiter: u8,
    columns: &CsvColumns,
    max_record_bytes: usize,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(reader);
    let header = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => return sink(Err(InputError::new(path, Some(1), format!("bad CSV: {e}")))),
    };
    let layout = match Layout::from_header(&header, columns) {
        Ok(l) => l,
        Err(m) => return sink(Err(InputError::new(path, Some(1), m))),
    };
    let zone = match columns.time_zone.as_deref().map(jiff::tz::TimeZone::get) {
        None => None,
        Some(Ok(zone)) => Some(zone),
        Some(Err(_)) => {
            let message =
                "tact.yaml's `csv.time_zone` is not an IANA time zone (write e.g. Europe/Rome)";
            return sink(Err(InputError::new(path, None, message)));
        }
    };
    let mut current: Option<Conversation> = None;
    let mut size = 0usize;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipping: Option<String> = None;
    let mut row = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                sink(Err(InputError::new(path, line, format!("bad CSV: {e}"))));
                if e.is_io_error() {
                    break;
                }
                continue;
            }
        }
        let line = row.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| row.get(i).unwrap_or("").trim();
        let id = field(layout.conversation).to_string();
        if id.is_empty() {
            sink(Err(InputError::new(
                path,
                Some(line),
                format!(
                    "`{}` is empty: every row needs a conversation id",
                    header_name(&header, layout.conversation)
                ),
            )));
            continue;
        }
        let same = current.as_ref().is_some_and(|c| c.id == id);
        if !same {
            if let Some(done) = current.take() {
                sink(Ok(done));
            }
            size = 0;
            if let Some(first) = seen.get(&id) {
                sink(Err(InputError::new(
                    path,
                    Some(line),
                    format!(
                        "conversation `{id}` started at line {first} and continues here after others: sort the rows by conversation"
                    ),
                )));
                skipping = Some(id);
                continue;
            }
            skipping = None;
            seen.insert(id.clone(), line);
            current = Some(Conversation {
                id: id.clone(),
                source: Origin {
                    path: path.to_string(),
                    line,
                    event_lines: Some(Vec::new()),
                    ..Origin::default()
                },
                ..Conversation::default()
            });
        } else if skipping.as_deref() == Some(id.as_str()) {
            continue;
        }
        let Some(c) = current.as_mut() else {
            continue;
        };
        size += row.as_slice().len();
        if size > max_record_bytes {
            sink(Err(InputError::new(
                path,
                Some(c.source.line),
                format!("conversation `{id}` is over the record size limit; skipped"),
            )));
            skipping = Some(id);
            current = None;
            continue;
        }
        match event_from_row(&row, &layout, &header, columns, zone.as_ref()) {
            Ok(event) => {
                if c.agent.is_none() {
                    c.agent = layout
                        .agent
                        .map(|i| row.get(i).unwrap_or("").trim())
                        .filter(|a| !a.is_empty())
                        .map(String::from);
                }
                // A ticket's priority may change: its last value stands.
                if let Some(priority) = layout
                    .priority
                    .map(|i| row.get(i).unwrap_or("").trim())
                    .filter(|p| !p.is_empty())
                {
                    c.priority = Some(priority.to_string());
                }
                c.events.push(event);
                if let Some(lines) = c.source.event_lines.as_mut() {
                    lines.push(line);
                }
            }
            Err(m) => {
                sink(Err(InputError::new(
                    path,
                    Some(line),
                    format!("conversation `{id}`: {m}"),
                )));
                skipping = Some(id);
                current = None;
            }
        }
    }
    if let Some(done) = current.take() {
        sink(Ok(done));
    }
    if seen.is_empty() && skipping.is_none() {
        sink(Err(InputError::new(
            path,
            None,
            "no rows under the header: no conversation in it",
        )));
    }
}

fn header_name(header: &csv::StringRecord, i: usize) -> String {
    header.get(i).unwrap_or("?").trim().to_string()
}

fn event_from_row(
    row: &csv::StringRecord,
    layout: &Layout,
    header: &csv::StringRecord,
    columns: &CsvColumns,
    zone: Option<&jiff::tz::TimeZone>,
) -> Result<Event, String> {
    let field = |i: usize| row.get(i).unwrap_or("").trim();
    let kind = layout
        .kind
        .map(field)
        .filter(|k| !k.is_empty())
        .map_or_else(|| "message".to_string(), event_type);
    let at = match layout.time.map(field).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(parse_csv_time(t, zone).map_err(|e| {
            format!(
                "column `{}`: {e}",
                header_name(header, layout.time.unwrap_or(0))
            )
        })?),
    };
    let speaker = layout.speaker.map(field).unwrap_or("");
    let from = if speaker.is_empty() && kind != "message" {
        None
    } else {
        let column = layout
            .speaker
            .map_or_else(|| "speaker".into(), |i| header_name(header, i));
        Some(speaker_party(speaker, columns).map_err(|e| format!("column `{column}`: {e}"))?)
    };
    let text = layout
        .text
        .and_then(|i| row.get(i))
        .map(String::from)
        .filter(|t| !t.trim().is_empty());
    if kind == "message" && text.is_none() {
        let column = layout
            .text
            .map_or_else(|| "text".into(), |i| header_name(header, i));
        return Err(format!("column `{column}` is empty: a message needs text"));
    }
    Ok(Event {
        kind,
        at,
        from,
        text,
        value: None,
    })
}

/// An activity as an event type: lower case, each run of other characters one `_`
/// (`Take in charge ticket` is `take_in_charge_ticket`), so rules can name it.
fn event_type(activity: &str) -> String {
    let mut out = String::with_capacity(activity.len());
    for c in activity.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Who a speaker value means: tact.yaml's lists first, then the usual words.
fn speaker_party(value: &str, columns: &CsvColumns) -> Result<Party, String> {
    let v = value.trim().to_ascii_lowercase();
    let is = |list: &[String]| list.iter().any(|x| x.trim().eq_ignore_ascii_case(&v));
    if is(&columns.agents) || AGENT_VALUES.contains(&v.as_str()) {
        return Ok(Party::Agent);
    }
    if is(&columns.customers) || CUSTOMER_VALUES.contains(&v.as_str()) {
        return Ok(Party::Customer);
    }
    if v == "system" || v == "bot" {
        return Ok(Party::System);
    }
    Err(format!(
        "speaker `{value}` is neither agent nor customer: list it in tact.yaml (`csv: {{agents: [{value}]}}` or `customers:`)"
    ))
}

/// A time as spreadsheets write it: RFC 3339, `YYYY-MM-DD HH:MM[:SS[.fff]]` (in `zone`, else
/// UTC), or epoch seconds or milliseconds.
fn parse_csv_time(text: &str, zone: Option<&jiff::tz::TimeZone>) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = parse_time(text) {
        return Ok(t);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text
            .parse()
            .map_err(|_| format!("`{text}` is not a time"))?;
        let seconds = if text.len() >= 13 { n / 1000 } else { n };
        return Utc
            .timestamp_opt(seconds, 0)
            .single()
            .ok_or_else(|| format!("`{text}` is not a time"));
    }
    for layout in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, layout) {
            let Some(zone) = zone else {
                return Ok(t.and_utc());
            };
            // A local time: its instant is the zone's (jiff resolves the daylight-saving gap
            // and fold as calendars do).
            use chrono::{Datelike, Timelike};
            let civil = jiff::civil::DateTime::new(
                i16::try_from(t.year())
                    .map_err(|_| format!("`{text}`: the year is out of range"))?,
                i8::try_from(t.month()).unwrap_or(1),
                i8::try_from(t.day()).unwrap_or(1),
                i8::try_from(t.hour()).unwrap_or(0),
                i8::try_from(t.minute()).unwrap_or(0),
                i8::try_from(t.second()).unwrap_or(0),
                0,
            )
            .map_err(|e| format!("`{text}`: {e}"))?;
            let instant = civil
                .to_zoned_datetime(zone.clone())
                .map_err(|e| format!("`{text}`: {e}"))?
                .timestamp();
            return DateTime::from_timestamp(instant.as_second(), 0)
                .ok_or_else(|| format!("`{text}` is out of range"));
        }
    }
    Err(format!(
        "`{text}` is not a time: write e.g. `2024-03-05T14:30:00Z`, `2024-03-05 14:30` (UTC, or tact.yaml's `csv.time_zone`) or epoch seconds"
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
    use super::*;

    fn read(text: &str, columns: &CsvColumns) -> Vec<Result<Conversation, InputError>> {
        let mut out = Vec::new();
        read_csv("t.csv", text.as_bytes(), b',', columns, 1 << 20, &mut |r| {
            out.push(r)
        });
        out
    }

    #[test]
    fn rows_become_conversations_with_the_usual_headers() {
        let text = "Ticket ID,Timestamp,Sender,Message\n\
                    T1,2024-03-05 09:00,customer,\"My order never came, again.\"\n\
                    T1,2024-03-05T09:30:00Z,agent,I'm sorry about that.\n\
                    T2,1709629200,Customer,Hello?\n";
        let read = read(text, &CsvColumns::default());
        assert_eq!(read.len(), 2);
        let first = read[0].as_ref().unwrap();
        assert_eq!(first.id, "T1");
        assert_eq!(first.events.len(), 2);
        assert_eq!(first.events[0].from, Some(Party::Customer));
        assert_eq!(
            first.events[0].text.as_deref(),
            Some("My order never came, again.")
        );
        assert_eq!(first.events[1].from, Some(Party::Agent));
        assert_eq!(first.source.line, 2);
        assert_eq!(first.source.event_line(1), 3);
        let second = read[1].as_ref().unwrap();
        assert_eq!(
            second.events[0].at.unwrap().to_rfc3339(),
            "2024-03-05T09:00:00+00:00"
        );
    }

    #[test]
    fn a_priority_column_gives_the_ticket_its_last_priority() {
        // Found by its usual header; the last non-empty value of the conversation's rows wins
        // (T1 is raised from normal to urgent); a conversation without one has none.
        let text = "ticket_id,from,text,Priority\n\
                    T1,customer,Hello,normal\n\
                    T1,agent,Hi,\n\
                    T1,customer,Still broken,urgent\n\
                    T2,customer,Hi,\n";
        let rows = read(text, &CsvColumns::default());
        assert_eq!(
            rows[0].as_ref().unwrap().priority.as_deref(),
            Some("urgent")
        );
        assert_eq!(rows[1].as_ref().unwrap().priority, None);
        let named = CsvColumns {
            priority: Some("sev".into()),
            ..CsvColumns::default()
        };
        let rows = read("ticket_id,from,text,sev\nT3,customer,Hi,high\n", &named);
        assert_eq!(rows[0].as_ref().unwrap().priority.as_deref(), Some("high"));
        let rows = read("ticket_id,from,text\nT3,customer,Hi\n", &named);
        let e = rows[0].as_ref().unwrap_err();
        assert!(
            e.message.contains("`csv.priority` names the column `sev`"),
            "{e:?}"
        );
    }

    #[test]
    fn columns_and_speakers_named_in_the_config_are_used() {
        let text = "case,who,said,when\nC9,Rep,Hi there,2024-03-05T09:00:00Z\nC9,Shopper,Thanks,\n";
        let columns = CsvColumns {
            conversation: Some("case".into()),
            speaker: Some("who".into()),
            text: Some("said".into()),
            time: Some("when".into()),
            customers: vec!["shopper".into()],
            ..CsvColumns::default()
        };
        let read = read(text, &columns);
        let c = read[0].as_ref().unwrap();
        assert_eq!(c.events[0].from, Some(Party::Agent));
        assert_eq!(c.events[1].from, Some(Party::Customer));
        assert!(c.events[1].at.is_none());
    }

    #[test]
    fn bad_rows_name_the_line_and_the_column() {
        let text = "conversation_id,from,text,at\n\
                    A,agent,Hi,2024-03-05T09:00:00Z\n\
                    B,martian,Hi,2024-03-05T09:00:00Z\n\
                    C,agent,Hi,yesterday\n\
                    D,agent,Hi,2024-03-05T09:00:00Z\n\
                    A,agent,again,2024-03-05T09:00:00Z\n";
        let read = read(text, &CsvColumns::default());
        let errors: Vec<String> = read
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("t.csv:3: conversation `B`: column `from`: speaker `martian`"),
            "{errors:?}"
        );
        assert!(
            errors[1]
                .starts_with("t.csv:4: conversation `C`: column `at`: `yesterday` is not a time"),
            "{errors:?}"
        );
        assert!(
            errors[2].contains("t.csv:6: conversation `A` started at line 2"),
            "{errors:?}"
        );
        let ids: Vec<&str> = read
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["A", "D"]);
    }

    #[test]
    fn an_event_log_needs_no_speaker_or_text_and_reads_local_times_in_its_zone() {
        let text = "Case ID,Activity,Resource,Complete Timestamp\n\
                    Case 1,Assign seriousness,Value 1,2012/10/09 14:50:17.000\n\
                    Case 1,Take in charge ticket,Value 1,2012/01/09 14:51:01.000\n";
        let columns = CsvColumns {
            conversation: Some("Case ID".into()),
            kind: Some("Activity".into()),
            time: Some("Complete Timestamp".into()),
            agent: Some("Resource".into()),
            time_zone: Some("Europe/Rome".into()),
            ..CsvColumns::default()
        };
        let read = read(text, &columns);
        let c = read[0].as_ref().unwrap();
        assert_eq!(c.events[0].kind, "assign_seriousness");
        assert_eq!(c.events[1].kind, "take_in_charge_ticket");
        assert!(c.events[0].from.is_none() && c.events[0].text.is_none());
        // Rome is UTC+2 in October (summer time) and UTC+1 in January.
        assert_eq!(
            c.events[0].at.unwrap().to_rfc3339(),
            "2012-10-09T12:50:17+00:00"
        );
        assert_eq!(
            c.events[1].at.unwrap().to_rfc3339(),
            "2012-01-09T13:51:01+00:00"
        );
        assert_eq!(c.agent.as_deref(), Some("Value 1"));
    }

    #[test]
    fn a_header_without_the_needed_columns_says_which() {
        let read = read("a,b\n1,2\n", &CsvColumns::default());
        let e = read[0].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("t.csv:1: no conversation column"), "{e}");
        let columns = CsvColumns {
            text: Some("words".into()),
            ..CsvColumns::default()
        };
        let read = self::read("id,from,text\n1,agent,hi\n", &columns);
        let e = read[0].as_ref().unwrap_err().to_string();
        assert!(e.contains("`csv.text` names the column `words`"), "{e}");
    }
}
