//! The builder's tree: one line per group or condition, indented by depth, the `and`/`or`
//! joining each node to the previous one written in front of it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::api::filter::{Filter, Logic};
use crate::app::App;
use crate::app::filters::Builder;
use crate::app::filters::tree::{RowNode, TreeRow};
use crate::text::cell;

fn group_words(logic: Logic) -> &'static str {
    match logic {
        Logic::And => "all of (and)",
        Logic::Or => "any of (or)",
    }
}

/// The text of a row after its indentation: the joining word in a 4-cell field (blank for a
/// first child), then the group or condition. The root has no field.
pub fn row_text(row: &TreeRow) -> String {
    let body = match &row.node {
        RowNode::Group { logic, conditions } if row.path.is_empty() => {
            return format!(
                "{} · {conditions} condition{}",
                group_words(*logic),
                plural(*conditions)
            );
        }
        RowNode::Group { logic, .. } => group_words(*logic).to_owned(),
        RowNode::Cond(c) => Filter::Cond(c.clone()).to_string(),
    };
    format!("{:<4}{body}", row.joiner.map_or("", Logic::as_str))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn render(app: &App, b: &Builder, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let rows = b.rows();
    let height = usize::from(area.height);
    // Keep the selection on screen.
    let top = b.selected.saturating_sub(height.saturating_sub(1));
    let mut lines = Vec::with_capacity(height);
    for (i, row) in rows.iter().enumerate().skip(top).take(height) {
        let marked = b.marked.contains(&row.path);
        let gutter = if marked { "● " } else { "  " };
        // Four cells per level; the joining word sits in the last four, so siblings line up.
        let indent = "    ".repeat(row.depth.saturating_sub(1));
        let text = cell(
            &row_text(row),
            usize::from(area.width).saturating_sub(indent.len() + crate::text::width(gutter)),
        );
        let style = match &row.node {
            _ if i == b.selected => t.selected_cell(),
            RowNode::Group { .. } => t.header(),
            RowNode::Cond(_) => ratatui::style::Style::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(gutter, t.warn()),
            Span::raw(indent),
            Span::styled(text, style),
        ]));
    }
    if rows.len() == 1 {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "  no conditions yet: a adds one, p presets",
            t.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
