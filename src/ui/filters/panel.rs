//! The builder's right-hand panel: the field picker, the operator picker, the value box with its
//! verdict, the presets menu — or, in the tree, the builder's keys (from the keymap).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::action::Action;
use crate::api::filter::Filter;
use crate::app::App;
use crate::app::filters::picker::{FieldPicker, OpPicker, ValueEditor, op_help};
use crate::app::filters::presets::Preset;
use crate::app::filters::{Builder, Stage};
use crate::app::stack::LayerKind;
use crate::keymap::Pane;
use crate::text::{cell, sanitize};

pub fn render(app: &App, b: &Builder, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let title = match &b.stage {
        Stage::Tree => " keys ".to_owned(),
        Stage::Field(_) => " field ".to_owned(),
        Stage::Op(p) => format!(" operator · {} ({}) ", p.field.name, p.ft.label()),
        Stage::Value(v) => format!(" value · {} {} ", v.field.name, v.op),
        Stage::Presets { .. } => " presets (added with and) ".to_owned(),
    };
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(t.dim())
        .title(Span::styled(
            cell(&title, usize::from(area.width)),
            t.accent(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    match &b.stage {
        Stage::Tree => keys(app, frame, inner),
        Stage::Field(p) => field_picker(app, p, frame, inner),
        Stage::Op(p) => op_picker(app, p, frame, inner),
        Stage::Value(v) => value_editor(app, v, frame, inner),
        Stage::Presets { cursor } => presets(app, *cursor, frame, inner),
    }
}

/// The builder's own bindings (from the keymap, so overrides show), moving keys left out.
fn keys(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let width = usize::from(area.width).saturating_sub(14);
    let lines: Vec<Line<'_>> = app
        .keymap
        .bindings(Pane::Builder)
        .into_iter()
        .filter(|(a, _)| {
            !matches!(
                a,
                Action::SelectNext | Action::SelectPrev | Action::First | Action::Last
            )
        })
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().take(2).map(ToString::to_string).collect();
            Line::from(vec![
                Span::styled(format!("{:<14}", keys.join(", ")), t.key()),
                Span::styled(cell(action.describe(), width), t.dim()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Lines `[top, top + height)` of a list of `n`, scrolled so that `cursor` is visible.
fn window(n: usize, cursor: usize, height: usize) -> std::ops::Range<usize> {
    let top = cursor.saturating_sub(height.saturating_sub(1));
    top..(top + height).min(n)
}

fn input_line<'a>(app: &App, prefix: &'a str, value: &str, width: usize) -> Line<'a> {
    Line::from(vec![
        Span::styled(prefix, app.theme.dim()),
        Span::styled(cell(value, width), app.theme.accent()),
    ])
}

fn set_cursor(app: &App, frame: &mut Frame<'_>, area: Rect, prefix: usize, col: usize) {
    if !app.layers.is_open(LayerKind::Help) {
        let x = (prefix + col).min(usize::from(area.width.saturating_sub(1)));
        frame.set_cursor_position((area.x + x as u16, area.y));
    }
}

fn field_picker(app: &App, p: &FieldPicker, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let width = usize::from(area.width);
    let mut lines = vec![input_line(
        app,
        "› ",
        p.input.value(),
        width.saturating_sub(2),
    )];
    let matches = p.matches();
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(
            "no filterable field matches",
            t.error(),
        )));
    }
    let rows = usize::from(area.height).saturating_sub(1);
    for i in window(matches.len(), p.cursor, rows) {
        let f = matches[i];
        let label = f.filter_type.map_or("", |ft| ft.label());
        let name_w = width.saturating_sub(12);
        let style = if i == p.cursor {
            t.selected_cell()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<name_w$}", cell(&f.name, name_w)), style),
            Span::styled(format!(" {label}"), t.dim()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
    set_cursor(app, frame, area, 2, p.input.visual_cursor());
}

fn op_picker(app: &App, p: &OpPicker, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let ops = p.ops();
    let width = usize::from(area.width);
    let lines: Vec<Line<'_>> = window(ops.len(), p.cursor, usize::from(area.height))
        .map(|i| {
            let style = if i == p.cursor {
                t.selected_cell()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{:<10}", ops[i].as_str()), style),
                Span::styled(cell(op_help(ops[i]), width.saturating_sub(11)), t.dim()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn value_editor(app: &App, v: &ValueEditor, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let width = usize::from(area.width);
    let mut lines = vec![input_line(
        app,
        "› ",
        v.input.value(),
        width.saturating_sub(2),
    )];
    match (&v.parsed, v.condition()) {
        (_, Some(c)) => lines.push(Line::from(vec![
            Span::styled("✓ ", t.good()),
            Span::raw(sanitize(&Filter::Cond(c).to_string()).into_owned()),
        ])),
        (Err(e), None) => lines.push(Line::from(vec![
            Span::styled("✗ ", t.error()),
            Span::styled(sanitize(e).into_owned(), t.error()),
        ])),
        (Ok(_), None) => {}
    }
    if let Some(a) = v.advice() {
        lines.push(Line::from(Span::styled(a, t.warn())));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(v.hint(), t.dim())));
    // The field's known values, the one typed highlighted.
    if !v.known().is_empty() {
        let word = v.current_word();
        let mut spans = vec![Span::styled("values:", t.dim())];
        for k in v.known() {
            spans.push(Span::raw(" "));
            let style = if k.eq_ignore_ascii_case(word) {
                t.selected_cell()
            } else {
                t.good()
            };
            spans.push(Span::styled(*k, style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    set_cursor(app, frame, area, 2, v.input.visual_cursor());
}

fn presets(app: &App, cursor: usize, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let width = usize::from(area.width);
    let lines: Vec<Line<'_>> = Preset::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let style = if i == cursor {
                t.selected_cell()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{} ", i + 1), t.key()),
                Span::styled(cell(&p.label(), width.saturating_sub(2)), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
