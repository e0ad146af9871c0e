//! The filter builder, drawn over the table: the expression as a tree (left), the step being
//! taken or the builder's keys (right), a live preview in the text syntax and the API's JSON
//! (bottom), and a line for hints or the last refusal.

mod panel;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::status::{hint_spans, labelled_hint_spans};
use crate::action::Action;
use crate::api::request::MAX_FILTER_CONDITIONS;
use crate::app::App;
use crate::app::filters::{Builder, Stage};
use crate::keymap::Pane;
use crate::text::sanitize;

/// Width of the right-hand panel when there is room for it.
const PANEL_WIDTH: u16 = 52;
/// Lines of the preview (text and JSON).
const PREVIEW_HEIGHT: u16 = 5;

/// Draws the builder over `area` (the table's place).
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let Some(b) = app.builder() else {
        return;
    };
    let t = app.theme;
    frame.render_widget(Clear, area);
    let count = b.draft.condition_count();
    let count_style = if count > MAX_FILTER_CONDITIONS {
        t.error()
    } else {
        t.dim()
    };
    let block = Block::bordered()
        .title(Line::from(vec![
            Span::styled(" filter builder ", t.accent()),
            Span::styled(
                format!("{count}/{MAX_FILTER_CONDITIONS} conditions "),
                count_style,
            ),
        ]))
        .border_style(t.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 20 {
        return;
    }

    let message = Rect {
        y: inner.bottom() - 1,
        height: 1,
        ..inner
    };
    let preview_h = PREVIEW_HEIGHT.min(inner.height.saturating_sub(3));
    let preview = Rect {
        y: message.y - preview_h,
        height: preview_h,
        ..inner
    };
    let top = Rect {
        height: preview.y - inner.y,
        ..inner
    };
    let panel_w = PANEL_WIDTH.min(top.width / 2);
    let tree_area = Rect {
        width: top.width - panel_w - 1,
        ..top
    };
    let panel_area = Rect {
        x: top.right() - panel_w,
        width: panel_w,
        ..top
    };
    tree::render(app, b, frame, tree_area);
    panel::render(app, b, frame, panel_area);
    render_preview(app, b, frame, preview);
    render_message(app, b, frame, message);
}

fn render_preview(app: &App, b: &Builder, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let f = b.draft.to_filter();
    let (text, json) = match &f {
        Some(f) => (
            sanitize(&f.to_string()).into_owned(),
            sanitize(&serde_json::to_string(&f.to_wire()).unwrap_or_default()).into_owned(),
        ),
        None => ("(no filter: every link)".to_owned(), "—".to_owned()),
    };
    let rule = Line::from(Span::styled("─".repeat(usize::from(area.width)), t.dim()));
    let mut lines = vec![
        rule,
        Line::from(vec![Span::styled("text  ", t.dim()), Span::raw(text)]),
        Line::from(vec![Span::styled("json  ", t.dim()), Span::raw(json)]),
    ];
    if let Some(s) = b.status {
        lines.insert(
            1,
            Line::from(vec![
                Span::styled("status  ", t.dim()),
                Span::styled(format!("{s} (on apply)"), t.warn()),
            ]),
        );
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_message(app: &App, b: &Builder, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let line = if let Some(m) = &b.message {
        Line::from(Span::styled(sanitize(m).into_owned(), t.warn()))
    } else if let (Stage::Tree, Err(e)) = (&b.stage, b.checked()) {
        Line::from(vec![
            Span::styled("cannot apply yet: ", t.error()),
            Span::styled(sanitize(&e).into_owned(), t.error()),
        ])
    } else {
        hint_line(app)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys of the builder's current step, for its last line and the app's hint line: the
/// tree's from the `builder` pane, the steps' from the `picker` pane.
fn hint_line(app: &App) -> Line<'static> {
    let t = app.theme;
    let fixed = |k: &str, what: &str| {
        [
            Span::styled(format!(" {k}"), t.key()),
            Span::styled(format!(" {what} "), t.dim()),
        ]
    };
    let picker = |actions: &[(Action, &str)]| {
        labelled_hint_spans(app, &[Pane::Picker, Pane::Global], actions)
    };
    let (choose, back) = ((Action::SelectNext, "choose"), (Action::Cancel, "back"));
    let spans = match app.builder().map(|b| &b.stage) {
        Some(Stage::Field(_)) => {
            let mut spans = fixed("type", "narrow").to_vec();
            spans.extend(picker(&[
                choose,
                (Action::Complete, "complete"),
                (Action::Confirm, "take"),
                back,
            ]));
            spans
        }
        Some(Stage::Op(_)) => picker(&[choose, (Action::Confirm, "take"), back]),
        Some(Stage::Value(v)) => {
            let mut spans = Vec::new();
            // The toggle key is a command on a true/false field, though it may be a character.
            if v.ft == crate::api::fields::FilterType::Bool
                && let Some(k) = app.keymap.first_key(&[Pane::Picker], Action::ToggleValue)
            {
                spans.extend(fixed(&k.to_string(), Action::ToggleValue.short()));
            }
            if !v.known().is_empty() {
                spans.extend(picker(&[(Action::Complete, "next value")]));
            }
            spans.extend(picker(&[(Action::Confirm, "add"), back]));
            spans
        }
        Some(Stage::Presets { .. }) => {
            let mut spans = fixed("1-9", "pick").to_vec();
            spans.extend(picker(&[choose, (Action::Confirm, "add"), back]));
            spans
        }
        _ => hint_spans(
            app,
            &[Pane::Builder, Pane::Global],
            &[
                Action::BuilderAdd,
                Action::BuilderEdit,
                Action::BuilderDelete,
                Action::BuilderMark,
                Action::BuilderWrap,
                Action::BuilderToggleLogic,
                Action::FilterPresets,
                Action::ApplyFilter,
                Action::Cancel,
                Action::Help,
            ],
        ),
    };
    Line::from(spans)
}

/// The app's hint line while the builder or the filter bar has the keyboard.
pub fn render_hints(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let line = if app.filter_bar().is_some() {
        let mut spans = hint_spans(
            app,
            &[Pane::FilterBar, Pane::Global],
            &[Action::ApplyFilter, Action::Cancel],
        );
        spans.push(Span::styled(
            " e.g. dofollow = true and (anchor like \"%news%\" or domain_from_rank >= 500)",
            t.dim(),
        ));
        Line::from(spans)
    } else {
        hint_line(app)
    };
    frame.render_widget(Paragraph::new(line), area);
}
