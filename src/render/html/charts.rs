//! Charts drawn as inline SVG, so the report needs no script library and no network.

use chrono::Datelike;
use maud::{html, Markup};

/// One bar: its label, its value, and what the value is of ("1 of 2 applicable"), shown beside
/// it; a bar on too few cases to trust is drawn pale.
pub struct Bar {
    /// What the bar is.
    pub label: String,
    /// Its value.
    pub value: f64,
    /// The counts behind the value.
    pub note: String,
    /// Too few cases to read much into.
    pub few: bool,
}

/// Horizontal bars, one per label; `value` is in `0..=max`. Each bar carries its value and
/// counts as text.
pub fn horizontal_bars(
    title: &str,
    bars: &[Bar],
    max: f64,
    unit: &str,
    href: &dyn Fn(usize) -> Option<String>,
) -> Markup {
    const ROW: f64 = 22.0;
    const LABEL: f64 = 190.0;
    const WIDTH: f64 = 560.0;
    let plot = WIDTH - LABEL - 170.0;
    let height = ROW * bars.len() as f64 + 10.0;
    html! {
        figure.chart {
            figcaption { (title) }
            @if bars.is_empty() {
                p.empty { "Nothing to show." }
            } @else {
                svg role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {height}"))
                    width=(WIDTH) height=(height) xmlns="http://www.w3.org/2000/svg" {
                    @for (i, Bar { label, value, note, few }) in bars.iter().enumerate() {
                        @let y = 5.0 + ROW * i as f64;
                        @let w = if max > 0.0 { (value / max).clamp(0.0, 1.0) * plot } else { 0.0 };
                        g class=(if *few { "bar few" } else { "bar" }) {
                            title { (label) ": " (format!("{value:.1}")) (unit) @if !note.is_empty() { " (" (note) ")" } }
                            text x=(LABEL - 8.0) y=(y + 15.0) text-anchor="end" {
                                @if let Some(link) = href(i) {
                                    a href=(link) { (truncate(label, 26)) }
                                } @else {
                                    (truncate(label, 26))
                                }
                            }
                            rect x=(LABEL) y=(y + 3.0) width=(format!("{w:.1}")) height=(ROW - 6.0) rx="2" {}
                            text.value x=(LABEL + w + 6.0) y=(y + 15.0) {
                                (format!("{value:.1}")) (unit)
                                @if !note.is_empty() { " · " (note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Vertical bars for the score distribution: one per tenth of the scale.
pub fn distribution(title: &str, bins: &[usize; 10]) -> Markup {
    const WIDTH: f64 = 560.0;
    const HEIGHT: f64 = 200.0;
    const BOTTOM: f64 = 30.0;
    let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = (WIDTH - 40.0) / 10.0;
    html! {
        figure.chart {
            figcaption { (title) }
            svg role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {HEIGHT}"))
                width=(WIDTH) height=(HEIGHT) xmlns="http://www.w3.org/2000/svg" {
                line.axis x1="20" y1=(HEIGHT - BOTTOM) x2=(WIDTH - 20.0) y2=(HEIGHT - BOTTOM) {}
                @for (i, &count) in bins.iter().enumerate() {
                    @let h = (count as f64 / max) * (HEIGHT - BOTTOM - 25.0);
                    @let x = 20.0 + slot * i as f64;
                    g.bar {
                        title { (i * 10) "–" (if i == 9 { 100 } else { i * 10 + 9 }) ": " (count) " conversations" }
                        rect x=(format!("{:.1}", x + 4.0)) y=(format!("{:.1}", HEIGHT - BOTTOM - h))
                            width=(format!("{:.1}", slot - 8.0)) height=(format!("{h:.1}")) rx="2" {}
                        @if count > 0 {
                            text.value x=(format!("{:.1}", x + slot / 2.0)) y=(format!("{:.1}", HEIGHT - BOTTOM - h - 5.0))
                                text-anchor="middle" { (count) }
                        }
                        text x=(format!("{:.1}", x + slot / 2.0)) y=(HEIGHT - 10.0) text-anchor="middle" {
                            (i * 10) "+"
                        }
                    }
                }
            }
        }
    }
}

/// The Monday of an ISO week written `2026-W09`, as a day number, to place weeks on a time axis.
fn week_day(label: &str) -> Option<i64> {
    let (year, week) = label.split_once("-W")?;
    let monday = chrono::NaiveDate::from_isoywd_opt(
        year.parse().ok()?,
        week.parse().ok()?,
        chrono::Weekday::Mon,
    )?;
    Some(i64::from(monday.num_days_from_ce()))
}

/// A line of points over time (weeks), values in 0..=100. Weeks sit on a time axis: a week with
/// no conversation leaves a gap, and the line is broken across it.
pub fn line(title: &str, points: &[(String, f64)]) -> Markup {
    const WIDTH: f64 = 560.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 40.0;
    let plot_w = WIDTH - LEFT - 45.0;
    let plot_h = HEIGHT - BOTTOM - 15.0;
    // Each point's position in weeks from the first; in order when a label is not a week.
    let days: Option<Vec<i64>> = points.iter().map(|(label, _)| week_day(label)).collect();
    let weeks: Vec<f64> = match days {
        Some(days) if !days.is_empty() => days.iter().map(|d| (d - days[0]) as f64 / 7.0).collect(),
        _ => (0..points.len()).map(|i| i as f64).collect(),
    };
    let span = weeks.last().copied().unwrap_or(0.0);
    let at = |i: usize, v: f64| {
        let x = if span > 0.0 {
            weeks.get(i).copied().unwrap_or(0.0) / span * plot_w
        } else {
            plot_w / 2.0
        };
        (LEFT + x, 15.0 + plot_h * (1.0 - v / 100.0))
    };
    // Runs of consecutive weeks, each drawn as one line.
    let mut runs: Vec<Vec<String>> = Vec::new();
    for (i, (_, v)) in points.iter().enumerate() {
        let (x, y) = at(i, *v);
        let joined = i > 0 && weeks[i] - weeks[i - 1] <= 1.0;
        match runs.last_mut() {
            Some(run) if joined => run.push(format!("{x:.1},{y:.1}")),
            _ => runs.push(vec![format!("{x:.1},{y:.1}")]),
        }
    }
    // Label at most ~8 weeks so the labels never overlap.
    let every = points.len().div_ceil(8).max(1);
    html! {
        figure.chart {
            figcaption { (title) }
            @if points.is_empty() {
                p.empty { "These conversations carry no times." }
            } @else {
                svg role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {HEIGHT}"))
                    width=(WIDTH) height=(HEIGHT) xmlns="http://www.w3.org/2000/svg" {
                    @for tick in [0, 50, 100] {
                        @let (_, y) = at(0, f64::from(tick));
                        line.grid x1=(LEFT) y1=(format!("{y:.1}")) x2=(WIDTH - 45.0) y2=(format!("{y:.1}")) {}
                        text x=(LEFT - 6.0) y=(format!("{:.1}", y + 4.0)) text-anchor="end" { (tick) }
                    }
                    @for run in &runs {
                        polyline.series points=(run.join(" ")) {}
                    }
                    @for (i, (label, value)) in points.iter().enumerate() {
                        @let (x, y) = at(i, *value);
                        g.point {
                            title { (label) ": " (format!("{value:.1}")) }
                            circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="4" {}
                            @if i % every == 0 || i + 1 == points.len() {
                                text x=(format!("{x:.1}")) y=(HEIGHT - 15.0) text-anchor="middle" { (label) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_sit_on_a_time_axis_with_gaps_left_open() {
        let points = vec![
            ("2026-W01".to_string(), 50.0),
            ("2026-W02".to_string(), 60.0),
            ("2026-W11".to_string(), 70.0),
        ];
        let svg = line("t", &points).into_string();
        // Two runs: W01-W02 joined, W11 alone after a gap of nine weeks.
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        // W02 is one tenth of the way from W01 to W11, not half.
        let width = 560.0 - 40.0 - 45.0;
        assert!(
            svg.contains(&format!("cx=\"{:.1}\"", 40.0 + width / 10.0)),
            "{svg}"
        );
    }

    #[test]
    fn a_year_boundary_is_one_week() {
        assert_eq!(
            week_day("2026-W01").unwrap() - week_day("2025-W52").unwrap(),
            7
        );
        assert_eq!(week_day("not a week"), None);
    }
}
