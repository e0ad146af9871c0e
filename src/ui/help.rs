//! The help overlay: the app's help lines, styled, in one or two columns, scrolled when they
//! do not fit the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::app::help::{HelpFrame, HelpLine};

use super::theme::Theme;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let pane = app
        .layers
        .pane_below_help()
        .unwrap_or_else(|| app.base_pane());
    let mut lines: Vec<Line<'static>> = app.help_lines().iter().map(|l| styled(l, t)).collect();
    let f = HelpFrame::new(lines.len(), area);
    let scroll = app.layers.help_scroll().unwrap_or(0).min(f.max_scroll());
    frame.render_widget(Clear, f.popup);
    let mut block = Block::bordered()
        .title(Span::styled(
            format!(" help · {} ", pane.name()),
            t.accent(),
        ))
        .border_style(t.focused_border());
    if f.max_scroll() > 0 {
        let shown = format!(
            " {}–{} of {} · j/k scroll ",
            scroll + 1,
            scroll + f.rows,
            f.per_column
        );
        block = block.title_bottom(Line::from(Span::styled(shown, t.dim())).right_aligned());
    }
    let inner = block.inner(f.popup);
    frame.render_widget(block, f.popup);
    let window = |col: Vec<Line<'static>>| -> Vec<Line<'static>> {
        col.into_iter().skip(scroll).take(f.rows).collect()
    };
    if f.two_columns {
        let right_lines = lines.split_off(f.per_column.min(lines.len()));
        let left = Rect {
            width: f.column_width,
            ..inner
        };
        let right = Rect {
            x: inner.x + f.column_width + 1,
            width: inner.width.saturating_sub(f.column_width + 1),
            ..inner
        };
        frame.render_widget(Paragraph::new(window(lines)), left);
        frame.render_widget(Paragraph::new(window(right_lines)), right);
    } else {
        frame.render_widget(Paragraph::new(window(lines)), inner);
    }
}

fn styled(line: &HelpLine, t: Theme) -> Line<'static> {
    match line {
        HelpLine::Header(text) => Line::from(Span::styled(text.clone(), t.header())),
        HelpLine::Binding { keys, what } => Line::from(vec![
            Span::styled(format!("  {keys:<22}"), t.key()),
            Span::raw(what.clone()),
        ]),
        HelpLine::Note(text) => Line::from(Span::styled(text.clone(), t.dim())),
        HelpLine::Blank => Line::from(""),
    }
}
