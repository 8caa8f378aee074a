//! Business hours: a time zone (IANA, with its daylight-saving changes), opening hours per
//! weekday (several intervals a day), and holidays. Time-zone arithmetic is jiff's, with the
//! time-zone database bundled into the binary so every machine counts the same; nothing here
//! adds offsets by hand.
//!
//! ```yaml
//! calendar:                       # in tact.yaml
//!   time_zone: Europe/Rome
//!   hours:
//!     monday-friday: ["09:00-13:00", "14:00-18:00"]
//!     saturday: "09:00-12:00"
//!   holidays: [2024-12-26, "12-25"]   # a date, or month-day for every year
//!   applies_to: [first-contact]       # which timing rules count business time (default: all)
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;

/// How far apart two times may be for business time to be counted day by day (ten years); past
/// that, the answer is "more than any deadline".
const MAX_DAYS: i64 = 3660;

/// A calendar of business hours.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: TimeZone,
    zone_name: String,
    /// Opening intervals for each weekday, Monday first.
    week: [Vec<(Time, Time)>; 7],
    holidays: Vec<Holiday>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Holiday {
    Once(Date),
    /// Month and day, every year.
    Yearly(i8, i8),
}

/// The `calendar:` section as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// An IANA time zone name.
    pub time_zone: String,
    /// Weekday (or range, `monday-friday`, or `weekdays`) to one interval or a list.
    #[serde(default)]
    pub hours: BTreeMap<String, OneOrMany>,
    /// Dates (`2024-12-26`) or month-days (`12-25`, every year).
    #[serde(default)]
    pub holidays: Vec<String>,
    /// The timing rules that count business time; all of them when absent.
    pub applies_to: Option<Vec<String>>,
}

/// One interval or several.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// `"09:00-17:00"`
    One(String),
    /// `["09:00-13:00", "14:00-18:00"]`
    Many(Vec<String>),
}

const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Calendar {
    /// Builds a calendar from its spec, or says what is wrong with it.
    pub fn from_spec(spec: &CalendarSpec) -> Result<Calendar, String> {
        let zone = TimeZone::get(&spec.time_zone).map_err(|_| {
            format!(
                "`time_zone: {}` is not an IANA time zone (write e.g. Europe/Rome or America/New_York)",
                spec.time_zone
            )
        })?;
        let mut week: [Vec<(Time, Time)>; 7] = Default::default();
        for (days, intervals) in &spec.hours {
            let intervals = match intervals {
                OneOrMany::One(one) => vec![one.clone()],
                OneOrMany::Many(many) => many.clone(),
            };
            let parsed = intervals
                .iter()
                .map(|i| interval(i))
                .collect::<Result<Vec<_>, _>>()?;
            for day in day_range(days)? {
                week[day].extend(parsed.iter().copied());
            }
        }
        if week.iter().all(Vec::is_empty) {
            return Err(
                "`hours` opens on no day: give e.g. `monday-friday: \"09:00-17:00\"`".into(),
            );
        }
        for day in &mut week {
            day.sort();
        }
        let holidays = spec
            .holidays
            .iter()
            .map(|h| holiday(h))
            .collect::<Result<_, _>>()?;
        Ok(Calendar {
            zone,
            zone_name: spec.time_zone.clone(),
            week,
            holidays,
        })
    }

    /// The time zone's name.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    fn is_holiday(&self, date: Date) -> bool {
        self.holidays.iter().any(|h| match h {
            Holiday::Once(d) => *d == date,
            Holiday::Yearly(m, d) => date.month() == *m && date.day() == *d,
        })
    }

    /// Business seconds between `start` and `end` (0 when `end` is not after `start`). Counting
    /// stops once it passes `stop_after`, when given: the caller only needs to know that a
    /// deadline was missed.
    pub fn business_seconds(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        stop_after: Option<i64>,
    ) -> i64 {
        let (Some(start), Some(end)) = (timestamp(start), timestamp(end)) else {
            return 0;
        };
        if end <= start {
            return 0;
        }
        let first = start.to_zoned_datetime(self.zone.clone()).date();
        let last = end.to_zoned_datetime(self.zone.clone()).date();
        let mut total = 0i64;
        let mut day = first;
        for _ in 0..=MAX_DAYS {
            if day > last {
                return total;
            }
            if !self.is_holiday(day) {
                for (open, close) in &self.week[weekday_index(day.weekday())] {
                    let (Some(from), Some(to)) =
                        (self.instant(day, *open), self.instant(day, *close))
                    else {
                        continue;
                    };
                    let from = from.max(start);
                    let to = to.min(end);
                    if to > from {
                        total += to.as_second() - from.as_second();
                    }
                }
            }
            if stop_after.is_some_and(|limit| total > limit) {
                return total;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => return total,
            }
        }
        // Ten years of business time: more than any deadline.
        total.max(stop_after.map_or(total, |l| l + 1))
    }

    /// The instant a local date and time names here; a time skipped by a clock change counts
    /// from just after the change, a repeated one from its first occurrence (jiff's
    /// "compatible" rule, as RFC 5545 and most calendars do).
    fn instant(&self, day: Date, time: Time) -> Option<Timestamp> {
        if time == Time::MAX {
            // "24:00": the start of the next day.
            return day
                .tomorrow()
                .ok()?
                .to_zoned_datetime(self.zone.clone())
                .ok()
                .map(|z| z.timestamp());
        }
        day.to_datetime(time)
            .to_zoned_datetime(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }
}

fn timestamp(t: DateTime<Utc>) -> Option<Timestamp> {
    Timestamp::from_second(t.timestamp()).ok()
}

fn weekday_index(w: Weekday) -> usize {
    usize::try_from(w.to_monday_zero_offset()).unwrap_or(0)
}

/// `monday`, `monday-friday`, `weekdays`, `weekends`, `every day` as weekday indexes.
fn day_range(text: &str) -> Result<Vec<usize>, String> {
    let t = text.trim().to_ascii_lowercase();
    let index = |name: &str| {
        DAYS.iter()
            .position(|d| *d == name.trim() || d[..3] == *name.trim())
            .ok_or_else(|| {
                format!("`{text}` is not a weekday: write monday ... sunday, a range such as monday-friday, weekdays or weekends")
            })
    };
    match t.as_str() {
        "weekdays" => Ok((0..5).collect()),
        "weekends" => Ok(vec![5, 6]),
        "every day" | "daily" => Ok((0..7).collect()),
        _ => match t.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (index(a)?, index(b)?);
                Ok(if a <= b {
                    (a..=b).collect()
                } else {
                    (a..7).chain(0..=b).collect()
                })
            }
            None => Ok(vec![index(&t)?]),
        },
    }
}

/// `09:00-17:30` (`24:00` for midnight at the end).
fn interval(text: &str) -> Result<(Time, Time), String> {
    let bad = || format!("`{text}` is not an interval: write e.g. \"09:00-17:30\"");
    let (a, b) = text.split_once('-').ok_or_else(bad)?;
    let time = |s: &str| -> Result<Time, String> {
        let s = s.trim();
        if s == "24:00" {
            return Ok(Time::MAX);
        }
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        let h: i8 = h.parse().map_err(|_| bad())?;
        let m: i8 = m.parse().map_err(|_| bad())?;
        Time::new(h, m, 0, 0).map_err(|_| bad())
    };
    let (open, close) = (time(a)?, time(b)?);
    if close <= open {
        return Err(format!("`{text}`: the interval closes before it opens"));
    }
    Ok((open, close))
}

/// `2024-12-26` or `12-25`.
fn holiday(text: &str) -> Result<Holiday, String> {
    let t = text.trim();
    if let Ok(date) = t.parse::<Date>() {
        return Ok(Holiday::Once(date));
    }
    let bad = || {
        format!("holiday `{text}`: write a date (2024-12-26) or a month-day for every year (12-25)")
    };
    let (m, d) = t.split_once('-').ok_or_else(bad)?;
    let (m, d): (i8, i8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    Date::new(2024, m, d).map_err(|_| bad())?;
    Ok(Holiday::Yearly(m, d))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn calendar(yaml: &str) -> Calendar {
        let spec: CalendarSpec = crate::yaml::from_str(yaml).unwrap();
        Calendar::from_spec(&spec).unwrap()
    }

    fn rome() -> Calendar {
        calendar("time_zone: Europe/Rome\nhours:\n  monday-friday: [\"09:00-13:00\", \"14:00-18:00\"]\nholidays: [2024-12-26, \"12-25\"]\n")
    }

    #[test]
    fn friday_evening_to_monday_morning_is_fifteen_minutes() {
        // Friday 2024-03-01 17:55 Rome (16:55Z): 5 min until 18:00. Monday 2024-03-04 09:10
        // Rome (08:10Z): 10 min after 09:00. The weekend counts nothing: 15 min = 900 s.
        let c = rome();
        assert_eq!(
            c.business_seconds(at("2024-03-01T16:55:00Z"), at("2024-03-04T08:10:00Z"), None),
            900
        );
    }

    #[test]
    fn the_lunch_break_and_nights_do_not_count() {
        // Tuesday 12:30 to 14:30 Rome: 30 min before lunch, 30 min after = 3600 s.
        let c = rome();
        assert_eq!(
            c.business_seconds(at("2024-03-05T11:30:00Z"), at("2024-03-05T13:30:00Z"), None),
            3600
        );
        // Tuesday 17:00 to Wednesday 10:00 Rome: 1 h + 1 h = 7200 s.
        assert_eq!(
            c.business_seconds(at("2024-03-05T16:00:00Z"), at("2024-03-06T09:00:00Z"), None),
            7200
        );
    }

    #[test]
    fn across_daylight_saving_changes_both_ways() {
        let c = calendar("time_zone: Europe/Rome\nhours:\n  every day: \"00:00-24:00\"\n");
        // 2024-03-31 Rome springs forward at 02:00 (to 03:00): that day lasts 23 h. From
        // Saturday 12:00 (11:00Z) to Sunday 12:00 local (10:00Z) is 23 h = 82800 s.
        assert_eq!(
            c.business_seconds(at("2024-03-30T11:00:00Z"), at("2024-03-31T10:00:00Z"), None),
            82_800
        );
        // 2024-10-27 falls back at 03:00 (to 02:00): 25 h from Saturday 12:00 (10:00Z) to
        // Sunday 12:00 local (11:00Z) = 90000 s.
        assert_eq!(
            c.business_seconds(at("2024-10-26T10:00:00Z"), at("2024-10-27T11:00:00Z"), None),
            90_000
        );
        // Opening hours are local: 09:00-17:00 in New York is 14:00Z-22:00Z in winter and
        // 13:00Z-21:00Z in summer. Friday 2024-03-08 16:00 EST (21:00Z) to Monday 2024-03-11
        // 10:00 EDT (14:00Z), across the change: 1 h + 1 h = 7200 s.
        let ny = calendar("time_zone: America/New_York\nhours:\n  weekdays: \"09:00-17:00\"\n");
        assert_eq!(
            ny.business_seconds(at("2024-03-08T21:00:00Z"), at("2024-03-11T14:00:00Z"), None),
            7200
        );
    }

    #[test]
    fn holidays_once_and_every_year_are_closed() {
        let c = rome();
        // Tuesday 2024-12-24 17:00 Rome (16:00Z) to Friday 2024-12-27 10:00 Rome (09:00Z):
        // 24th 1 h; 25th (every year) and 26th (that date) closed; 27th 1 h = 7200 s.
        assert_eq!(
            c.business_seconds(at("2024-12-24T16:00:00Z"), at("2024-12-27T09:00:00Z"), None),
            7200
        );
        // The 25th is closed in 2025 too; the 26th was a holiday only in 2024. Wednesday
        // 2025-12-24 17:00 to Friday 26th 10:00: 1 h on the 24th + 1 h on the 26th = 7200 s.
        assert_eq!(
            c.business_seconds(at("2025-12-24T16:00:00Z"), at("2025-12-26T09:00:00Z"), None),
            7200
        );
    }

    #[test]
    fn a_customer_elsewhere_is_counted_in_the_calendar_zone() {
        // A customer in Tokyo writes at 18:00 JST Monday (09:00Z) = 10:00 Rome; the reply at
        // 11:30 Rome (10:30Z) took 1 h 30 min of business time, whatever the customer's zone.
        let c = rome();
        let asked = DateTime::parse_from_rfc3339("2024-03-04T18:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            c.business_seconds(asked, at("2024-03-04T10:30:00Z"), None),
            5400
        );
    }

    #[test]
    fn mistakes_say_what_to_write() {
        for (yaml, says) in [
            (
                "time_zone: Mars/Olympus\nhours: {weekdays: \"09:00-17:00\"}\n",
                "not an IANA time zone",
            ),
            (
                "time_zone: UTC\nhours: {funday: \"09:00-17:00\"}\n",
                "not a weekday",
            ),
            (
                "time_zone: UTC\nhours: {monday: \"17:00-09:00\"}\n",
                "closes before it opens",
            ),
            (
                "time_zone: UTC\nhours: {monday: \"9am-5pm\"}\n",
                "not an interval",
            ),
            ("time_zone: UTC\nhours: {}\n", "opens on no day"),
            (
                "time_zone: UTC\nhours: {monday: \"09:00-17:00\"}\nholidays: [christmas]\n",
                "holiday `christmas`",
            ),
        ] {
            let spec: CalendarSpec = crate::yaml::from_str(yaml).unwrap();
            let e = Calendar::from_spec(&spec).unwrap_err();
            assert!(e.contains(says), "{yaml}: {e}");
        }
    }

    #[test]
    fn far_apart_times_stop_counting_past_the_limit() {
        let c = rome();
        let n = c.business_seconds(
            at("1990-01-01T00:00:00Z"),
            at("2024-01-01T00:00:00Z"),
            Some(3600),
        );
        assert!(n > 3600);
    }
}
