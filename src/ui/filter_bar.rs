//! The filter bar, at the foot of the table: the expression being typed, a caret under the
//! column of the first problem, and the problem (or what Enter will do).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::app::stack::LayerKind;
use crate::text::sanitize;

/// Height of the bar, borders included.
pub const HEIGHT: u16 = 5;

const PROMPT: &str = "filter › ";

pub fn render(app: &App, frame: &mut Frame<'_>, table: Rect) {
    let Some(bar) = app.filter_bar() else {
        return;
    };
    let t = app.theme;
    let height = HEIGHT.min(table.height);
    let area = Rect {
        y: table.bottom() - height,
        height,
        ..table
    };
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(Span::styled(" filter (text syntax) ", t.accent()))
        .border_style(t.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let prompt_w = PROMPT.chars().count();
    let field_w = usize::from(inner.width).saturating_sub(prompt_w + 1);
    let scroll = bar.input.visual_scroll(field_w);
    // What the user typed is shown as typed, minus anything that could drive the terminal.
    let visible: String = sanitize(bar.input.value())
        .chars()
        .skip(scroll)
        .take(field_w)
        .collect();
    let mut lines = vec![Line::from(vec![
        Span::styled(PROMPT, t.dim()),
        Span::raw(visible),
    ])];
    match &bar.parsed {
        Err(e) => {
            let col = e.column.saturating_sub(1).saturating_sub(scroll);
            lines.push(Line::from(Span::styled(
                format!("{}^", " ".repeat(prompt_w + col.min(field_w))),
                t.error(),
            )));
            lines.push(Line::from(vec![
                Span::styled(format!("column {}: ", e.column), t.error()),
                Span::styled(sanitize(&e.message).into_owned(), t.error()),
            ]));
        }
        Ok(f) => {
            lines.push(Line::from(""));
            let what = match f {
                Some(f) => {
                    let n = f.condition_count();
                    format!(
                        "✓ {n} condition{} · enter applies · esc cancels",
                        if n == 1 { "" } else { "s" }
                    )
                }
                None => "✓ no filter · enter removes the filter · esc cancels".to_owned(),
            };
            lines.push(Line::from(Span::styled(what, t.good())));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if !app.layers.is_open(LayerKind::Help) {
        let x = bar.input.visual_cursor().saturating_sub(scroll);
        frame.set_cursor_position((inner.x + (prompt_w + x) as u16, inner.y));
    }
}
