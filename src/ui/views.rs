//! The saved views list (`v`) and the name prompt for saving one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::App;
use crate::app::views::{NamePrompt, ViewsList};
use crate::keymap::Pane;
use crate::text::cell;
use crate::views::View;

use super::overlay::{hint_line, popup, scroll_top};

/// What a view sets, on one line.
fn summary(v: &View) -> String {
    let mut parts = Vec::new();
    if let Some(m) = v.mode {
        parts.push(m.to_string());
    }
    if let Some(Some(c)) = &v.custom_mode {
        parts.push(format!("{} per {}", c.value, c.field));
    }
    if let Some(s) = v.status {
        parts.push(format!("status {s}"));
    }
    if let Some(Some(f)) = &v.filter {
        parts.push(f.to_string());
    }
    if let Some(o) = v.order_by.as_ref().filter(|o| !o.is_empty()) {
        let keys: Vec<String> = o.iter().map(ToString::to_string).collect();
        parts.push(format!("sort {}", keys.join(" ")));
    }
    if let Some(c) = &v.columns {
        parts.push(format!("{} columns", c.len()));
    }
    parts.join(" · ")
}

pub fn render_list(app: &App, list: &ViewsList, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let views = &app.views.list;
    let title = Line::from(vec![
        Span::styled(" views ", t.accent()),
        Span::styled(format!("· {} ", views.len()), t.dim()),
    ]);
    let w = area.width.saturating_sub(8).min(120);
    let h = (views.len() as u16 + 6).clamp(8, area.height.saturating_sub(4));
    let inner = popup(app, frame, area, w, h, title);
    let list_h = usize::from(inner.height.saturating_sub(2));
    let top = scroll_top(list.selected, list_h, views.len());
    let mut lines = Vec::new();
    for (i, v) in views.iter().enumerate().skip(top).take(list_h) {
        let style = if i == list.selected {
            t.selected_row()
        } else {
            ratatui::style::Style::new()
        };
        let room = usize::from(inner.width).saturating_sub(26);
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<24}", cell(&v.name, 23)),
                style.patch(t.accent()),
            ),
            Span::styled(cell(&summary(v), room), style),
        ]));
    }
    if views.is_empty() {
        lines.push(Line::from(Span::styled(
            " no saved views yet: s saves the current query (without its target) as one",
            t.dim(),
        )));
    }
    while lines.len() + 1 < usize::from(inner.height) {
        lines.push(Line::from(""));
    }
    let target = app.query.target.value().trim();
    let apply = if target.is_empty() {
        "apply".to_owned()
    } else {
        format!("apply to {}", cell(target, 30))
    };
    lines.push(hint_line(
        app,
        Pane::Views,
        &[
            (Action::ApplyView, &apply),
            (Action::SaveView, "save the current query as a view"),
            (Action::DeleteView, "delete"),
            (Action::Cancel, "close"),
        ],
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_prompt(app: &App, prompt: &NamePrompt, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let title = Line::from(Span::styled(" save view ", t.accent()));
    let inner = popup(app, frame, area, 84, 7, title);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" name › ", t.accent()),
            Span::raw(cell(prompt.input.value(), 64)),
            Span::styled("▏", t.accent()),
        ]),
        Line::from(""),
    ];
    lines.push(match &prompt.error {
        Some(e) => Line::from(Span::styled(format!(" {}", cell(e, 80)), t.error())),
        None => Line::from(Span::styled(
            " mode, settings, filter, sort and columns; not the target",
            t.dim(),
        )),
    });
    lines.push(Line::from(vec![
        Span::styled(" enter", t.key()),
        Span::styled(" save · ", t.dim()),
        Span::styled("esc", t.key()),
        Span::styled(" back", t.dim()),
    ]));
    frame.render_widget(Paragraph::new(lines), inner);
}
