//! The column chooser: every field with a check box, the shown ones numbered in table order.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::api::fields::{Catalog, ValueType};
use crate::app::App;
use crate::app::columns_chooser::ColumnChooser;
use crate::keymap::Pane;

use super::overlay::{hint_line, popup, scroll_top};

pub fn render(app: &App, ch: &ColumnChooser, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let shown = ch.entries.iter().filter(|(_, on)| *on).count();
    let title = Line::from(vec![
        Span::styled(" columns ", t.accent()),
        Span::styled(format!("· {shown} of {} shown ", ch.entries.len()), t.dim()),
    ]);
    let height = (ch.entries.len() as u16 + 4).min(area.height.saturating_sub(2));
    let inner = popup(app, frame, area, 78, height, title);
    let list_h = usize::from(inner.height.saturating_sub(2));
    let top = scroll_top(ch.selected, list_h, ch.entries.len());
    let mut lines = Vec::with_capacity(list_h + 2);
    let mut position = ch.entries[..top].iter().filter(|(_, on)| *on).count();
    for (i, (field, on)) in ch.entries.iter().enumerate().skip(top).take(list_h) {
        let kind = Catalog::get()
            .find(field)
            .map_or("", |f| kind(f.value_type));
        let number = if *on {
            position += 1;
            format!("{position:>2}")
        } else {
            "  ".to_owned()
        };
        let text = format!(
            " {} {number}  {field:<52} {kind}",
            if *on { "[x]" } else { "[ ]" }
        );
        let style = if i == ch.selected {
            t.selected_row()
        } else if *on {
            ratatui::style::Style::new()
        } else {
            t.dim()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    while lines.len() < list_h {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(""));
    lines.push(hint_line(
        app,
        Pane::Columns,
        &[
            (Action::ToggleColumn, "show/hide"),
            (Action::MoveColumnUp, "up"),
            (Action::MoveColumnDown, "down"),
            (Action::ApplyColumns, "use"),
            (Action::ResetColumns, "defaults"),
            (Action::Cancel, "cancel"),
        ],
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The word for a field's values.
fn kind(v: ValueType) -> &'static str {
    match v {
        ValueType::String => "text",
        ValueType::Integer | ValueType::Float => "number",
        ValueType::Boolean => "true/false",
        ValueType::Datetime => "date",
        ValueType::Array => "list",
        ValueType::Object => "object",
    }
}
