//! The copy menu: what can be copied from the selected row, each with a preview.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::app::copy::{CopyChoice, CopyMenu};
use crate::text::cell;

pub fn render(app: &App, menu: CopyMenu, frame: &mut Frame<'_>, area: Rect) {
    let Some(item) = app.results.selected_item() else {
        return;
    };
    let t = app.theme;
    let width = 72.min(area.width);
    let preview_w = usize::from(width.saturating_sub(22));
    let mut lines = Vec::new();
    for (i, choice) in CopyChoice::ALL.iter().enumerate() {
        let preview = match choice {
            CopyChoice::Json => "pretty JSON of every field".to_owned(),
            CopyChoice::Csv => "header + one row, every field".to_owned(),
            _ => choice
                .payload(&item)
                .map_or_else(|| "— (empty)".to_owned(), |p| cell(&p, preview_w)),
        };
        let selected = i == menu.selected;
        let row_style = if selected {
            t.selected_row()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(
            Line::from(vec![
                Span::styled(format!(" {} ", i + 1), t.key()),
                Span::raw(format!("{:<14}", choice.label())),
                Span::styled(preview, t.dim()),
            ])
            .style(row_style),
        );
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " 1–6 or enter copies · esc closes · via OSC 52 (works over SSH)",
        t.dim(),
    )));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(Span::styled(" copy ", t.accent()))
        .border_style(t.focused_border());
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
