//! The results table: only the rows on screen are built, so a frame costs the same with a
//! thousand or a million rows loaded.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use crate::action::Action;
use crate::api::request::SortDir;
use crate::api::response::Backlink;
use crate::app::columns::{Column, cell_text};
use crate::app::{App, Focus};
use crate::keymap::Pane;
use crate::layout::AppLayout;
use crate::text::{cell, group, sanitize, truncate, width};

use super::search_bar;

const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Which of `columns` fit in `avail` cells, starting early enough to show `current`; and their
/// widths (flexible columns share the rest).
pub fn visible_columns(columns: &[Column], avail: u16, current: usize) -> (usize, Vec<u16>) {
    if columns.is_empty() {
        return (0, Vec::new());
    }
    let current = current.min(columns.len() - 1);
    let fits = |from: usize, to: usize| -> bool {
        let need: u16 = columns[from..=to].iter().map(|c| c.width + 1).sum();
        need <= avail + 1
    };
    let mut start = 0;
    while start < current && !fits(start, current) {
        start += 1;
    }
    let mut end = start;
    while end + 1 < columns.len() && fits(start, end + 1) {
        end += 1;
    }
    let cols = &columns[start..=end];
    let used: u16 = cols
        .iter()
        .map(|c| c.width + 1)
        .sum::<u16>()
        .saturating_sub(1);
    let spare = avail.saturating_sub(used);
    let flex_count = cols.iter().filter(|c| c.flexible).count() as u16;
    let mut widths: Vec<u16> = cols.iter().map(|c| c.width).collect();
    if let Some(share) = spare.checked_div(flex_count) {
        let mut extra = spare % flex_count;
        for (w, c) in widths.iter_mut().zip(cols) {
            if c.flexible {
                *w += share + u16::from(extra > 0);
                extra = extra.saturating_sub(1);
            }
        }
    }
    (start, widths)
}

/// The visible columns, a sort key's widened so its title and mark (`rank ▼1`) fit whole.
fn with_room_for_sort_marks(app: &App) -> Vec<Column> {
    let order = app
        .results
        .query
        .as_ref()
        .and_then(|q| q.order_by.clone())
        .unwrap_or_default();
    app.visible_columns()
        .iter()
        .map(|c| {
            let keyed = c.field.is_some_and(|f| order.iter().any(|o| o.field == f));
            let mut c = *c;
            if keyed {
                // " ▼1": a space, the arrow and the key's number.
                c.width = c.width.max(width(c.title) as u16 + 3);
            }
            c
        })
        .collect()
}

/// A column's header, with the sort mark (`▼1`, `▲2`) when it is a sort key. A narrow column
/// shortens its title rather than lose the mark.
fn header_title(app: &App, column: &Column, cells: u16) -> String {
    let Some(field) = column.field else {
        return String::new();
    };
    let order = app
        .results
        .query
        .as_ref()
        .and_then(|q| q.order_by.clone())
        .unwrap_or_default();
    let mark = if let Some(i) = order.iter().position(|o| o.field == field) {
        let arrow = if order[i].dir == SortDir::Desc {
            '▼'
        } else {
            '▲'
        };
        format!("{arrow}{}", i + 1)
    } else if order.is_empty() && field == "rank" && !app.in_file_order() {
        "▼".to_owned()
    } else {
        return column.title.to_owned();
    };
    let cells = usize::from(cells);
    if width(column.title) + 1 + width(&mark) <= cells {
        format!("{} {mark}", column.title)
    } else {
        let room = cells.saturating_sub(width(&mark));
        format!("{}{mark}", truncate(column.title, room))
    }
}

pub fn render(app: &App, frame: &mut Frame<'_>, layout: &AppLayout) {
    let t = app.theme;
    let r = &app.results;
    let title = match (&r.query, r.total) {
        (None, _) => Line::from(Span::styled(" results ", t.dim())),
        (Some(q), total) => Line::from(vec![
            Span::styled(" backlinks of ", t.dim()),
            Span::styled(cell(&q.target, 60), t.accent()),
            Span::styled(
                match total {
                    Some(total) => {
                        format!(" · {} of {} ", group(r.rows.len() as u64), group(total))
                    }
                    None => " ".to_owned(),
                },
                t.dim(),
            ),
        ]),
    };
    let mut block = Block::bordered().title(title);
    if app.focus == Focus::Results {
        block = block.border_style(t.focused_border());
    }
    if r.query.is_none() {
        let inner = block.inner(layout.table);
        frame.render_widget(block, layout.table);
        render_welcome(app, frame, inner);
        return;
    }

    let columns = with_room_for_sort_marks(app);
    let (start, widths) = visible_columns(&columns, layout.body.width, r.column);
    let cols = &columns[start..start + widths.len()];
    let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
        let style = if start + i == r.column && app.focus == Focus::Results {
            t.header()
                .add_modifier(ratatui::style::Modifier::UNDERLINED)
        } else {
            t.header()
        };
        Cell::from(align(
            &header_title(app, c, widths[i]),
            widths[i],
            c.numeric,
        ))
        .style(style)
    }));

    let height = usize::from(layout.body.height);
    let end = (r.top + height).min(r.rows.len());
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(height);
    for (idx, item) in (r.top.min(end)..end)
        .map_while(|i| r.rows.get(i))
        .enumerate()
    {
        rows.push(table_row(app, &item, r.top + idx, cols, &widths, start));
    }
    let shown = rows.len() as u16;
    let constraints: Vec<Constraint> = widths.iter().map(|w| Constraint::Length(*w)).collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, layout.table);
    let lines = status_lines(app);
    if shown < layout.body.height && !lines.is_empty() {
        let area = Rect {
            y: layout.body.y + shown,
            height: layout.body.height - shown,
            ..layout.body
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}

/// One row of the body: cells cut to their widths, marks and search matches shown.
fn table_row<'a>(
    app: &App,
    item: &Backlink,
    row_index: usize,
    cols: &[Column],
    widths: &[u16],
    start: usize,
) -> Row<'a> {
    let t = app.theme;
    let r = &app.results;
    let selected = row_index == r.selected;
    let marked = app.marks.is_marked(row_index);
    let hit = app.search.is_match(row_index);
    let glyph = if marked {
        "●"
    } else if app.marks.in_pending_range(row_index, r.selected) {
        "○"
    } else {
        ""
    };
    let cells = cols.iter().enumerate().map(|(i, c)| {
        let mut raw = cell_text(c, item);
        if c.field.is_none() && !glyph.is_empty() {
            raw = format!("{glyph}{raw}").into();
        }
        let text = align(&cell(&raw, usize::from(widths[i])), widths[i], c.numeric);
        let mut style = marker_style(app, c, &text);
        if c.field.is_none() && marked {
            style = t.marked();
        }
        if selected && start + i == r.column {
            style = t.selected_cell();
        }
        if hit && c.field.is_some() && !c.numeric {
            Cell::from(search_bar::highlight(app, text, t.highlight())).style(style)
        } else {
            Cell::from(text).style(style)
        }
    });
    let mut row = Row::new(cells);
    match (selected, marked) {
        (true, true) => row = row.style(t.marked().patch(t.selected_row())),
        (true, false) => row = row.style(t.selected_row()),
        (false, true) => row = row.style(t.marked()),
        (false, false) => {}
    }
    row
}

/// The lines below the last loaded row: loading (and retrying), failed, or nothing found. A
/// failed page's row says what failed in a few words and the retry key first, then the whole
/// error (wrapped), so a long error never pushes the key out of sight.
fn status_lines(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let r = &app.results;
    let rows = |from: usize| {
        format!(
            "rows {}–{}",
            group(from as u64 + 1),
            group((from + r.page_size as usize) as u64)
        )
    };
    if let Some(f) = r.tail.failure() {
        let mut first = vec![Span::styled(
            format!("✗ {} failed: {}", rows(f.row_start), f.error.summary()),
            t.error(),
        )];
        if let Some(k) = app
            .keymap
            .first_key(&[Pane::Results, Pane::Global], Action::Retry)
        {
            first.push(Span::styled(" — press ", t.dim()));
            first.push(Span::styled(k.to_string(), t.key()));
            first.push(Span::styled(" to retry", t.dim()));
        }
        // The whole error after it: wrapped below when there is room, cut at worst.
        first.push(Span::styled(
            format!(" · {}", sanitize(&f.error.to_string())),
            t.dim(),
        ));
        return vec![Line::from(first)];
    }
    if r.tail.is_loading() {
        let frame = SPINNER[app.status.spinner % SPINNER.len()];
        let mut spans = vec![Span::styled(
            format!("{frame} loading {}…", rows(r.rows.len())),
            t.warn(),
        )];
        if let Some(retry) = &app.status.retrying {
            spans.push(Span::styled(format!(" {}: ", retry.summary), t.error()));
            spans.push(Span::styled(retry.countdown(app.clock()), t.warn()));
        }
        return vec![Line::from(spans)];
    }
    if let Some(reason) = app.file.as_ref().and_then(|f| f.failed.as_deref())
        && r.rows.is_empty()
    {
        return vec![Line::from(Span::styled(format!("✗ {reason}"), t.error()))];
    }
    if r.total == Some(0) {
        return vec![Line::from(Span::styled(
            "no backlinks match this query",
            t.dim(),
        ))];
    }
    Vec::new()
}

fn marker_style(app: &App, c: &Column, text: &str) -> Style {
    let t = app.theme;
    match c.field {
        None if text.contains('L') || text.contains('B') => t.error(),
        None if text.contains('N') => t.good(),
        None => t.accent(),
        Some("dofollow") if text.contains('✓') => t.good(),
        Some("dofollow") => t.dim(),
        _ => Style::new(),
    }
}

fn align(text: &str, w: u16, right: bool) -> String {
    let pad = usize::from(w).saturating_sub(width(text));
    if right {
        format!("{}{text}", " ".repeat(pad))
    } else {
        text.to_owned()
    }
}

fn render_welcome(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let mut lines = vec![
        Line::from(""),
        Line::from(Span::styled("  Type a target and press Enter.", t.accent())),
        Line::from(""),
        Line::from("  forbes.com                 a domain, with its subdomains"),
        Line::from("  blog.example.com           a subdomain"),
        Line::from("  https://example.com/page   one page"),
        Line::from(""),
        Line::from(Span::styled(
            "  Tab moves through the query controls (mode, grouping, status, page size); ? lists every key.",
            t.dim(),
        )),
    ];
    if app.status.is_demo() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "  DEMO: no credentials found, so the data comes from the built-in simulator. Costs shown are what the real API would charge; nothing is paid.",
            t.warn(),
        )));
        lines.push(Line::from(Span::styled(
            "  Set DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD to query the real API.",
            t.dim(),
        )));
    }
    // Long lines wrap on a narrow screen rather than lose their end.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::app::columns::COLUMNS;

    #[test]
    fn columns_scroll_to_keep_the_current_one_visible() {
        let (start, widths) = visible_columns(COLUMNS, 200, 0);
        assert_eq!(start, 0);
        assert_eq!(widths.len(), COLUMNS.len(), "everything fits in 200 cells");
        let (start, widths) = visible_columns(COLUMNS, 80, COLUMNS.len() - 1);
        assert!(start > 0);
        assert_eq!(start + widths.len(), COLUMNS.len());
        let used: u16 = widths.iter().map(|w| w + 1).sum::<u16>() - 1;
        assert!(used <= 80);
    }
}
