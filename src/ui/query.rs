//! The query pane: target field, controls, active filter and sort.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::query::Control;
use crate::app::{App, Focus};
use crate::fetch::Source;
use crate::text::{sanitize, truncate, width as width_of};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let focused = matches!(app.focus, Focus::Target | Focus::Control(_));
    let mut block = Block::bordered().title(Line::from(vec![
        Span::styled(" backlinks ", t.accent()),
        Span::styled("query ", t.dim()),
    ]));
    if focused {
        block = block.border_style(t.focused_border());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // Line 1: the target field and, beside it, why it was refused.
    let label = "target › ";
    let width = usize::from(inner.width).saturating_sub(label.len() + 1);
    let field_width = width.min(60);
    let scroll = app.query.target.visual_scroll(field_width);
    // Sanitised: a target can come from a file, a view or the history, not only the keyboard.
    let value: String = sanitize(
        &app.query
            .target
            .value()
            .chars()
            .skip(scroll)
            .collect::<String>(),
    )
    .into_owned();
    let mut line = vec![
        Span::styled(label, t.dim()),
        Span::styled(
            value.clone(),
            if app.focus == Focus::Target {
                t.accent()
            } else {
                ratatui::style::Style::new()
            },
        ),
    ];
    if app.query.target.value().is_empty() {
        if let Source::File { path } = &app.status.source {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            line.push(Span::styled(
                format!(
                    "the rows of {} (a saved file: nothing is fetched)",
                    sanitize(&name)
                ),
                t.dim(),
            ));
        } else if app.focus == Focus::Target {
            line.push(Span::styled(
                "forbes.com, blog.example.com or https://example.com/page",
                t.dim(),
            ));
        }
    }
    if let Some(err) = &app.query.error {
        line.push(Span::raw("   "));
        line.push(Span::styled(err.clone(), t.error()));
    }
    frame.render_widget(Paragraph::new(Line::from(line)), row(inner, 0));
    if app.focus == Focus::Target && app.layers.is_empty() {
        let x = app.query.target.visual_cursor().saturating_sub(scroll);
        frame.set_cursor_position((inner.x + label.chars().count() as u16 + x as u16, inner.y));
    }

    // Line 2: the controls, the focused one highlighted.
    let line = controls_line(app, inner.width);
    frame.render_widget(Paragraph::new(line), row(inner, 1));

    // Line 3: filter and sort of the query as set.
    let filter = app.query.filter.as_ref().map_or_else(
        || "none".to_owned(),
        |f| sanitize(&f.to_string()).into_owned(),
    );
    let sort = if app.query.order_by.is_empty() && app.in_file_order() {
        "as in the file".to_owned()
    } else if app.query.order_by.is_empty() {
        "rank desc (default)".to_owned()
    } else {
        app.query
            .order_by
            .iter()
            .map(|o| format!("{} {}", o.field, o.dir))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (filter, sort) = fit_filter_and_sort(&filter, &sort, usize::from(inner.width));
    let line = Line::from(vec![
        Span::styled(FILTER_LABEL, t.dim()),
        Span::raw(filter),
        Span::styled(SORT_LABEL, t.dim()),
        Span::raw(sort),
    ]);
    frame.render_widget(Paragraph::new(line), row(inner, 2));
}

const FILTER_LABEL: &str = "filter ";
const SORT_LABEL: &str = "   sort ";
/// A filter keeps at least this many cells, so a long sort cannot hide it either.
const MIN_FILTER_CELLS: usize = 12;

/// The filter and sort texts cut to share `width` cells: the sort is short and says how the
/// rows are ordered, so a long filter is cut first (with `…`) and never pushes it off the
/// line; only when the sort alone would leave the filter less than a few cells is it cut too.
pub fn fit_filter_and_sort(filter: &str, sort: &str, width: usize) -> (String, String) {
    let labels = width_of(FILTER_LABEL) + width_of(SORT_LABEL);
    let room = width.saturating_sub(labels);
    let sort_room = room.saturating_sub(MIN_FILTER_CELLS.min(width_of(filter)));
    let sort = truncate(sort, sort_room).into_owned();
    let filter = truncate(filter, room.saturating_sub(width_of(&sort))).into_owned();
    (filter, sort)
}

fn row(inner: Rect, i: u16) -> Rect {
    Rect {
        y: inner.y + i,
        height: 1,
        ..inner
    }
    .intersection(inner)
}

/// The query controls, tighter on a narrow screen (then with shorter labels) so every
/// control stays in sight.
fn controls_line(app: &App, width: u16) -> Line<'static> {
    let t = app.theme;
    let controls = |sep: &'static str, short: bool| -> Line<'static> {
        let mut spans = Vec::new();
        for (i, c) in Control::ALL.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(sep, t.dim()));
            }
            let label = if short { c.short_label() } else { c.label() };
            if !label.is_empty() {
                spans.push(Span::styled(format!("{label} "), t.dim()));
            }
            let mut value = app.query.control_value(*c);
            if short && *c == Control::Internal {
                value.truncate(4); // excl / incl
            }
            let style = if app.focus == Focus::Control(*c) {
                t.selected_cell()
            } else {
                t.good()
            };
            spans.push(Span::styled(value, style));
        }
        Line::from(spans)
    };
    [(" │ ", false), ("│", false), ("│", true)]
        .into_iter()
        .map(|(sep, short)| controls(sep, short))
        .find(|l| l.width() <= usize::from(width))
        .unwrap_or_else(|| controls("│", true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_filter_is_cut_with_an_ellipsis_and_the_sort_stays_whole() {
        let filter = "anchor ilike \"%news%\" and domain_from_rank >= 500 and dofollow = true and item_type = \"image\"";
        let sort = "domain_from_rank desc, first_seen asc";
        let (f, s) = fit_filter_and_sort(filter, sort, 78);
        assert_eq!(s, sort);
        assert!(f.ends_with('…'), "{f}");
        assert_eq!(
            width_of(FILTER_LABEL) + width_of(&f) + width_of(SORT_LABEL) + width_of(&s),
            78
        );
        // Short texts are left alone.
        assert_eq!(
            fit_filter_and_sort("none", "rank desc (default)", 78),
            ("none".to_owned(), "rank desc (default)".to_owned())
        );
        // On a very narrow pane the filter keeps a few cells and the sort is cut instead.
        let (f, s) = fit_filter_and_sort(filter, sort, 40);
        assert_eq!(width_of(&f), MIN_FILTER_CELLS);
        assert!(s.ends_with('…'), "{s}");
    }
}
