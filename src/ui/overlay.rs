//! Drawing the windows over the table (`app::overlay`), and the popup box they share with
//! the other layers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use crate::action::Action;
use crate::app::App;
use crate::app::overlay::Overlay;
use crate::keymap::Pane;
use crate::layout::AppLayout;

use super::{columns_chooser, history, stats, views};

/// Draws an open window.
pub fn render(app: &App, window: &Overlay, frame: &mut Frame<'_>, layout: &AppLayout) {
    let area = frame.area();
    match window {
        Overlay::Columns(ch) => columns_chooser::render(app, ch, frame, area),
        Overlay::History(list) => history::render(app, list, frame, area),
        Overlay::Views(list) => views::render_list(app, list, frame, area),
        Overlay::ViewName(prompt) => views::render_prompt(app, prompt, frame, area),
        Overlay::Stats(view) => stats::render(app, *view, frame, layout.table),
    }
}

/// A `w`×`h` box in the middle of `area` (clipped to it), cleared, with a bordered block.
pub fn popup(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    w: u16,
    h: u16,
    title: Line<'_>,
) -> Rect {
    let width = w.min(area.width);
    let height = h.min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(title)
        .border_style(app.theme.focused_border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// `key what · key what …` for `actions`, with the keys as the key map binds them in `pane`.
pub fn hint_line(app: &App, pane: Pane, actions: &[(Action, &str)]) -> Line<'static> {
    let t = app.theme;
    let mut spans = Vec::new();
    for (action, what) in actions {
        let Some(key) = app.keymap.first_key(&[pane, Pane::Global], *action) else {
            continue;
        };
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", t.dim()));
        }
        spans.push(Span::styled(key.to_string(), t.key()));
        spans.push(Span::styled(format!(" {what}"), t.dim()));
    }
    Line::from(spans)
}

/// First line to show so that `selected` stays in a window of `height` lines.
pub fn scroll_top(selected: usize, height: usize, len: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(len - height)
}
