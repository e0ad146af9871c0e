//! The search bar (on the hint line while typing), the match and mark counts of the status
//! bar, and the highlighting of matched text in table cells.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::action::Action;
use crate::app::App;
use crate::keymap::Pane;
use crate::text::{cell, width};

use super::status::hint_spans;
use crate::text::group;

/// Where the search stands: "match 3 of 41", "41 matches", "no match".
fn summary(app: &App) -> Option<(String, bool)> {
    let s = &app.search;
    if !s.is_active() {
        return None;
    }
    let n = s.matches().len();
    if s.pending(&app.results.rows) {
        let progress = s.progress(&app.results.rows);
        return Some(match n {
            0 => (format!("searching… {progress}%"), true),
            _ => (
                format!("{}+ matches, searching… {progress}%", group(n as u64)),
                true,
            ),
        });
    }
    Some(match s.position(app.results.selected) {
        _ if n == 0 => ("no match".to_owned(), false),
        Some((i, n)) => (
            format!("match {} of {}", group(i as u64), group(n as u64)),
            true,
        ),
        None if n == 1 => ("1 match".to_owned(), true),
        None => (format!("{} matches", group(n as u64)), true),
    })
}

/// Spans for the status bar: marks and search position.
pub fn status_spans(app: &App) -> Vec<Span<'static>> {
    let t = app.theme;
    let mut spans = Vec::new();
    let sep = || Span::styled(" │ ", t.dim());
    let marks = app.marks.count();
    if marks > 0 {
        spans.push(sep());
        spans.push(Span::styled(
            format!("● {} marked", group(marks as u64)),
            t.marked(),
        ));
    }
    if let Some(anchor) = app.marks.anchor {
        spans.push(sep());
        spans.push(Span::styled(
            format!("range from row {}", group(anchor as u64 + 1)),
            t.marked(),
        ));
    }
    if let Some((text, found)) = summary(app) {
        spans.push(sep());
        spans.push(Span::styled(
            format!("/{} ", cell(app.search.query(), 24)),
            t.key(),
        ));
        spans.push(Span::styled(
            text,
            if found { t.accent() } else { t.warn() },
        ));
    }
    spans
}

/// The bar while typing: `/text`, the cursor, the count and the keys.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    let t = app.theme;
    let text = cell(app.search.input.value(), usize::from(area.width / 2));
    let mut spans = vec![Span::styled("/", t.key()), Span::raw(text.clone())];
    let cursor_x = area.x + 1 + width(&text) as u16;
    spans.push(Span::raw("  "));
    if let Some((summary, found)) = summary(app) {
        spans.push(Span::styled(
            summary,
            if found { t.accent() } else { t.warn() },
        ));
    } else {
        spans.push(Span::styled("search the loaded rows", t.dim()));
    }
    spans.push(Span::raw("  "));
    spans.extend(hint_spans(
        app,
        &[Pane::Search, Pane::Global],
        &[Action::SearchAccept, Action::SearchNext, Action::Cancel],
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if cursor_x < area.right() {
        frame.set_cursor_position(Position::new(cursor_x, area.y));
    }
}

/// A table cell's text with the search matches highlighted (the text is already sanitised
/// and cut to the column; a match cut by the column edge is highlighted as far as it shows).
pub fn highlight(app: &App, text: String, hit: Style) -> Line<'static> {
    let Some(matcher) = app.search.matcher() else {
        return Line::from(text);
    };
    let mut spans = Vec::new();
    let mut last = 0;
    for m in matcher.find_iter(&text) {
        if m.start() > last {
            spans.push(Span::raw(text[last..m.start()].to_owned()));
        }
        spans.push(Span::styled(text[m.range()].to_owned(), hit));
        last = m.end();
    }
    if spans.is_empty() {
        return Line::from(text);
    }
    if last < text.len() {
        spans.push(Span::raw(text[last..].to_owned()));
    }
    Line::from(spans)
}
