//! The help overlay: every binding of the focused pane and the global ones, from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::keymap::Pane;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let pane = app.overlay_pane().unwrap_or_else(|| app.key_pane());
    let mut lines = Vec::new();
    for p in [pane, Pane::Global] {
        lines.push(Line::from(Span::styled(
            format!("{} keys", p.name()),
            t.header(),
        )));
        for (action, keys) in app.keymap.bindings(p) {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", keys.join(", ")), t.key()),
                Span::raw(action.describe()),
            ]));
        }
        lines.push(Line::from(""));
    }
    if pane == Pane::Detail {
        lines.push(Line::from(Span::styled(
            "keys of the table work too: j/k move the row shown",
            t.dim(),
        )));
        lines.push(Line::from(""));
    }
    if pane == Pane::Query {
        lines.push(Line::from(Span::styled("in the target field", t.header())));
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<22}", "up, down"), t.key()),
            Span::raw("earlier targets of this session"),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<22}", "ctrl+a, ctrl+e"), t.key()),
            Span::raw("start / end of the line"),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<22}", "ctrl+u, ctrl+k, ctrl+w"), t.key()),
            Span::raw("delete to start / to end / word"),
        ]));
        lines.push(Line::from(""));
    }
    if pane == Pane::Builder {
        lines.extend(super::filters::help_lines(app));
    }
    lines.push(Line::from(Span::styled(
        "esc or ? closes this help",
        t.dim(),
    )));
    // Too many bindings for one column on this screen: flow them into two when it is wide
    // enough, so nothing is cut off.
    let rows_fit = usize::from(area.height.saturating_sub(2));
    let col_w = COLUMN_WIDTH.min(area.width.saturating_sub(3) / 2);
    let two = lines.len() > rows_fit && col_w >= MIN_COLUMN_WIDTH;
    let per_column = if two {
        lines.len().div_ceil(2)
    } else {
        lines.len()
    };
    let height = (per_column as u16 + 2).min(area.height);
    let width = if two { 2 * col_w + 3 } else { COLUMN_WIDTH }.min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" help · {} ", pane.name()),
            t.accent(),
        ))
        .border_style(t.focused_border());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if two {
        let right_lines = lines.split_off(per_column);
        let left = Rect {
            width: col_w,
            ..inner
        };
        let right = Rect {
            x: inner.x + col_w + 1,
            width: inner.width.saturating_sub(col_w + 1),
            ..inner
        };
        frame.render_widget(Paragraph::new(lines), left);
        frame.render_widget(Paragraph::new(right_lines), right);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// Width of one column of bindings (key list and description).
const COLUMN_WIDTH: u16 = 64;
/// Narrower than this, two columns would cut the descriptions too much: clip instead.
const MIN_COLUMN_WIDTH: u16 = 48;
