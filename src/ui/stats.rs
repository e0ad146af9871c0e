//! The statistics view, in place of the table: chart tabs, the selected chart (bars across for
//! categories, up for the rank histogram and months), a summary beside it, and what Enter on
//! the selected bar would add to the filter.

use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Paragraph, Sparkline};

use crate::action::Action;
use crate::app::App;
use crate::app::stats::StatsView;
use crate::app::stats::charts::{ChartData, ChartKind, bar_filter};
use crate::keymap::Pane;
use crate::text::{cell, width};

use super::overlay::hint_line;
use crate::text::group;

/// Width of the summary beside the chart, when the view is wide enough for it.
const SIDEBAR: u16 = 34;

/// The frame's title: what was counted, and whether rows are still loading or being counted.
fn title(app: &App, loaded: u64) -> Vec<Span<'static>> {
    let t = app.theme;
    let r = &app.results;
    let mut title = vec![
        Span::styled(" statistics ", t.accent()),
        Span::styled(
            match r.total {
                Some(total) => format!("· from {} loaded rows of {} ", group(loaded), group(total)),
                None => format!("· from {} loaded rows ", group(loaded)),
            },
            t.dim(),
        ),
    ];
    if r.tail.is_loading() {
        title.push(Span::styled("· loading… ", t.warn()));
    }
    let left = app.stats.behind(r.generation, r.rows.len());
    if left > 0 {
        let counted = r.rows.len() - left;
        title.push(Span::styled(
            format!("· counting… {}% ", counted * 100 / r.rows.len().max(1)),
            t.warn(),
        ));
    }
    title
}

pub fn render(app: &App, view: StatsView, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let r = &app.results;
    let loaded = app.stats.rows();
    let title = title(app, loaded);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(t.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 6 {
        return;
    }
    frame.render_widget(
        Paragraph::new(tabs(app, view, usize::from(inner.width))),
        line_at(inner, 0),
    );
    let Some(data) = app.stats.charts.get(view.chart).filter(|_| loaded > 0) else {
        let text = if r.tail.is_loading() {
            "waiting for the first page…"
        } else {
            "no rows loaded"
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {text}"), t.dim())),
            line_at(inner, 2),
        );
        return;
    };
    let mut heading = vec![Span::styled(
        format!(" {}", view.kind().title()),
        t.header(),
    )];
    if data.missing > 0 {
        heading.push(Span::styled(
            format!("  · {} rows without a value", group(data.missing)),
            t.dim(),
        ));
    }
    if data.kind.horizontal() && data.distinct > data.bars.len() {
        heading.push(Span::styled(
            format!(
                "  · top {} of {}",
                data.bars.len(),
                group(data.distinct as u64)
            ),
            t.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(heading)), line_at(inner, 1));

    let body = Rect {
        y: inner.y + 3,
        height: inner.height.saturating_sub(5),
        ..inner
    };
    let (chart_area, side) = if body.width >= 90 {
        let chart = Rect {
            width: body.width - SIDEBAR - 2,
            ..body
        };
        let side = Rect {
            x: body.right() - SIDEBAR,
            width: SIDEBAR,
            ..body
        };
        (chart, Some(side))
    } else {
        (body, None)
    };
    if data.bars.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" no values in the loaded rows", t.dim())),
            chart_area,
        );
    } else if data.kind.horizontal() {
        render_across(app, data, view.bar, frame, chart_area);
    } else {
        render_up(app, data, view.bar, frame, chart_area);
    }
    if let Some(side) = side {
        render_summary(app, frame, side);
    }
    let footer = footer(app, data, view);
    frame.render_widget(Paragraph::new(footer), line_at(inner, inner.height - 1));
}

fn line_at(area: Rect, dy: u16) -> Rect {
    Rect {
        y: area.y + dy,
        height: 1,
        ..area
    }
}

/// The chart names, starting late enough for the selected one to fit in `room` cells.
fn tabs(app: &App, view: StatsView, room: usize) -> Line<'static> {
    let t = app.theme;
    let w = |k: &ChartKind| k.label().len() + 3;
    let mut first = 0;
    while first < view.chart
        && 1 + ChartKind::ALL[first..=view.chart]
            .iter()
            .map(w)
            .sum::<usize>()
            > room
    {
        first += 1;
    }
    let mut spans = vec![Span::raw(if first > 0 { "…" } else { " " })];
    for (i, kind) in ChartKind::ALL.iter().enumerate().skip(first) {
        let style = if i == view.chart {
            t.selected_cell()
        } else {
            t.dim()
        };
        spans.push(Span::styled(format!(" {} ", kind.label()), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn share(value: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        value as f64 * 100.0 / total as f64
    }
}

/// Categories: one bar per line, the label on the left, count and share on the bar.
fn render_across(app: &App, data: &ChartData, selected: usize, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let rows = app.stats.rows();
    let label_w = data
        .bars
        .iter()
        .map(|b| width(&cell(&b.label, 28)))
        .max()
        .unwrap_or(0);
    let count_w = data
        .bars
        .iter()
        .map(|b| group(b.value).len())
        .max()
        .unwrap_or(1);
    // Label, count and share on the left, so even a short bar reads well.
    let bars: Vec<Bar<'_>> = data
        .bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let label = cell(&b.label, 28);
            let pad = " ".repeat(label_w - width(&label));
            let (style, label_style) = if i == selected {
                (t.accent(), t.selected_cell())
            } else {
                (t.good(), Style::new())
            };
            let text = format!(
                "{label}{pad} {:>count_w$} {:>5.1}%",
                group(b.value),
                share(b.value, rows)
            );
            Bar::default()
                .value(b.value)
                .label(Line::from(Span::styled(text, label_style)))
                .text_value(String::new())
                .style(style)
        })
        .collect();
    let gap = u16::from(area.height as usize >= bars.len() * 2);
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(gap);
    frame.render_widget(chart, area);
}

/// The rank histogram and the months: bars up, as many as fit, keeping the selected one.
fn render_up(app: &App, data: &ChartData, selected: usize, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let n = data.bars.len();
    let min_w: u16 = if data.kind == ChartKind::Months { 7 } else { 4 };
    let fit = (usize::from(area.width + 1) / usize::from(min_w + 1)).clamp(1, n);
    let first = (selected + 1).saturating_sub(fit).min(n - fit);
    let bar_w = ((area.width + 1) / fit as u16)
        .saturating_sub(1)
        .clamp(min_w, 12);
    let bars: Vec<Bar<'_>> = data.bars[first..first + fit]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let style = if first + i == selected {
                t.accent()
            } else {
                t.good()
            };
            Bar::default()
                .value(b.value)
                .label(Line::from(b.label.clone()))
                .text_value(compact(b.value))
                .style(style)
                .value_style(t.selected_cell())
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_w)
        .bar_gap(1);
    frame.render_widget(chart, area);
}

/// 812 → "812", 12_400 → "12k".
fn compact(n: u64) -> String {
    match n {
        0..10_000 => n.to_string(),
        10_000..10_000_000 => format!("{}k", n / 1000),
        _ => format!("{}M", n / 1_000_000),
    }
}

fn render_summary(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let s = &app.stats;
    let rows = s.rows();
    let (series, range) = s.month_series();
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<14}"), t.dim()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::from(Span::styled("at a glance", t.header())),
        row("rows", group(rows)),
        row("domains", group(s.domains() as u64)),
        row("dofollow", format!("{:.1}%", share(s.dofollow(), rows))),
    ];
    if let Some((first, last)) = &range {
        lines.push(row("first seen", format!("{first} … {last}")));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("new links, every month", t.dim())));
    let text_h = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), area);
    if series.is_empty() || area.height <= text_h + 1 {
        return;
    }
    // The newest months when there are more than the sparkline is wide.
    let skip = series.len().saturating_sub(usize::from(area.width));
    let spark = Sparkline::default().data(&series[skip..]).style(t.good());
    let spark_area = Rect {
        y: area.y + text_h,
        height: (area.height - text_h).min(4),
        ..area
    };
    frame.render_widget(spark, spark_area);
}

fn footer(app: &App, data: &ChartData, view: StatsView) -> Line<'static> {
    let t = app.theme;
    let mut spans = Vec::new();
    if let Some(bar) = data.bars.get(view.bar) {
        let what = match bar_filter(data.kind, &bar.key) {
            Some(f) => format!("adds {}", cell(&f.to_string(), 70)),
            None => "cannot be a filter".into(),
        };
        spans.push(Span::styled(" enter ", t.key()));
        spans.push(Span::styled(what, t.dim()));
        spans.push(Span::styled("  · ", t.dim()));
    }
    let hints = hint_line(
        app,
        Pane::Stats,
        &[
            (Action::ChartNext, "chart"),
            (Action::SelectNext, "bar"),
            (Action::OpenStats, "table"),
        ],
    );
    spans.extend(hints.spans);
    Line::from(spans)
}
