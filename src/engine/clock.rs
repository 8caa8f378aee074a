//! How a service-level timer counts time between two moments of a ticket: on the wall clock or
//! in a calendar's business hours, and stopped while the ticket waits in a paused status
//! (`paused while pending or on-hold`), as helpdesks count their SLA timers.

use chrono::{DateTime, Utc};

use crate::calendar::Calendar;
use crate::conversation::Conversation;

/// A status as compared: lower case, `_` and spaces as `-`, and `on-hold` as Zendesk writes it,
/// `hold` (`On Hold`, `on_hold`, `on-hold` and `hold` are one status).
pub fn fold_status(status: &str) -> String {
    let folded: String = status
        .trim()
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if folded == "on-hold" {
        "hold".to_string()
    } else {
        folded
    }
}

/// The timer of one rule over one conversation.
pub(crate) struct Clock<'a> {
    calendar: Option<&'a Calendar>,
    /// When the ticket entered a paused status, and when it left it (`None`: it never did).
    pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    paused_statuses: &'a [String],
}

impl<'a> Clock<'a> {
    /// The timer for `conversation`: its `status` events with a time say when it is paused.
    pub(crate) fn new(
        calendar: Option<&'a Calendar>,
        conversation: &Conversation,
        paused_statuses: &'a [String],
    ) -> Clock<'a> {
        let mut pauses = Vec::new();
        if !paused_statuses.is_empty() {
            let mut since: Option<DateTime<Utc>> = None;
            for event in &conversation.events {
                let (Some(at), Some(value)) = (event.at, event.value.as_deref()) else {
                    continue;
                };
                if event.kind != "status" {
                    continue;
                }
                let paused = paused_statuses.contains(&fold_status(value));
                match (since, paused) {
                    (None, true) => since = Some(at),
                    (Some(start), false) => {
                        pauses.push((start, Some(at)));
                        since = None;
                    }
                    _ => {}
                }
            }
            if let Some(start) = since {
                pauses.push((start, None));
            }
        }
        // In order and apart (status events out of time order could overlap), so the pauses
        // within a stretch are found by binary search.
        pauses.sort_by_key(|(start, _)| *start);
        let mut merged: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
            Vec::with_capacity(pauses.len());
        for (start, end) in pauses {
            match merged.last_mut() {
                Some((_, last_end)) if last_end.is_none_or(|e| start <= e) => {
                    *last_end = match (*last_end, end) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push((start, end)),
            }
        }
        let pauses = merged;
        Clock {
            calendar,
            pauses,
            paused_statuses,
        }
    }

    /// Seconds counted from `start` to `end`: business seconds with a calendar, less the
    /// time paused. Zero when `end` is not after `start`.
    pub(crate) fn elapsed(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
        self.running(start, end)
            .into_iter()
            .map(|(from, to)| match self.calendar {
                Some(calendar) => calendar.business_seconds(from, to, None),
                None => (to - from).num_seconds(),
            })
            .sum()
    }

    /// The stretches of `[start, end)` when the timer runs.
    fn running(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if end <= start {
            return Vec::new();
        }
        // The pauses are in order and apart: the first that ends after `start`, then on while
        // they begin before `end`.
        let first = self
            .pauses
            .partition_point(|(_, pause_end)| pause_end.is_some_and(|e| e <= start));
        let mut pieces = Vec::new();
        let mut from = start;
        for &(pause_start, pause_end) in self.pauses.get(first..).unwrap_or_default() {
            if pause_start >= end {
                break;
            }
            if from < pause_start {
                pieces.push((from, pause_start));
            }
            match pause_end {
                Some(resumes) if resumes < end => from = from.max(resumes),
                _ => return pieces,
            }
        }
        if from < end {
            pieces.push((from, end));
        }
        pieces
    }

    /// What the counted time is, for a violation's detail: "" on the clock, " of business
    /// time (Europe/Rome hours)" in a calendar's.
    pub(crate) fn counted_as(&self) -> String {
        match self.calendar {
            Some(calendar) => format!(" of business time ({} hours)", calendar.zone_name()),
            None => String::new(),
        }
    }

    /// The limit as a violation's detail states it: "8 h allowed", and which statuses were not
    /// counted.
    pub(crate) fn allowed(&self, seconds: i64, human: impl Fn(i64) -> String) -> String {
        let mut out = format!("{} allowed", human(seconds));
        if !self.paused_statuses.is_empty() {
            out.push_str(&format!(
                "; time {} not counted",
                self.paused_statuses.join(" or ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::Event;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn status(time: &str, value: &str) -> Event {
        Event {
            kind: "status".into(),
            at: Some(at(time)),
            value: Some(value.into()),
            ..Event::default()
        }
    }

    #[test]
    fn statuses_fold_to_one_spelling() {
        assert_eq!(fold_status(" On Hold"), "hold");
        assert_eq!(fold_status("on_hold"), "hold");
        assert_eq!(fold_status("hold"), "hold");
        assert_eq!(fold_status("PENDING"), "pending");
    }

    #[test]
    fn paused_time_is_not_counted_and_a_pause_left_open_runs_to_the_end() {
        let conversation = Conversation {
            events: vec![
                status("2026-03-02T10:00:00Z", "pending"),
                status("2026-03-02T12:00:00Z", "open"),
                status("2026-03-02T15:00:00Z", "On_Hold"),
            ],
            ..Conversation::default()
        };
        let paused = vec!["pending".to_string(), fold_status("on-hold")];
        let clock = Clock::new(None, &conversation, &paused);
        // 09:00 -> 17:00 is 8 h; pending 10:00-12:00 and on hold from 15:00 leave 1 + 3 = 4 h.
        assert_eq!(
            clock.elapsed(at("2026-03-02T09:00:00Z"), at("2026-03-02T17:00:00Z")),
            4 * 3600
        );
        // A stretch that lies wholly inside a pause counts nothing.
        assert_eq!(
            clock.elapsed(at("2026-03-02T10:30:00Z"), at("2026-03-02T11:30:00Z")),
            0
        );
        // Without paused statuses the clock ignores status events.
        let plain = Clock::new(None, &conversation, &[]);
        assert_eq!(
            plain.elapsed(at("2026-03-02T09:00:00Z"), at("2026-03-02T17:00:00Z")),
            8 * 3600
        );
    }
}
