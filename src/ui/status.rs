//! The status bar (source badge, rows, costs, timing, last error) and the key-hint line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::save::SaveStage;
use crate::app::stack::Layer;
use crate::app::{App, Focus};
use crate::fetch::Source;
use crate::keymap::Pane;
use crate::text::cell;

use crate::text::group;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let s = &app.status;
    let r = &app.results;
    let mut spans = match &s.source {
        Source::Demo => vec![Span::styled(" DEMO ", t.badge_demo())],
        Source::Api { .. } => vec![Span::styled(" API ", t.badge_api())],
        Source::File { .. } => vec![Span::styled(" FILE ", t.badge_api())],
    };
    let sep = || Span::styled(" │ ", t.dim());
    if r.query.is_some() {
        spans.push(sep());
        let loaded = group(r.rows.len() as u64);
        if !r.rows.is_empty() {
            spans.push(Span::raw(format!(
                "row {} · ",
                group(r.selected as u64 + 1)
            )));
        }
        spans.push(Span::raw(match r.total {
            Some(total) => format!("loaded {loaded} of {}", group(total)),
            None => format!("loaded {loaded}"),
        }));
        if r.tail.is_loading() {
            spans.push(Span::styled(" …", t.warn()));
        }
    }
    spans.extend(super::search_bar::status_spans(app));
    if app.budget_holds_back() {
        spans.push(sep());
        spans.push(Span::styled("over budget: r asks again", t.warn()));
    }
    // The latest note or error before the costs: on a narrow terminal the line is cut at the
    // right, and "copied url_from" matters more than the session total.
    if let Some(note) = &s.note {
        spans.push(sep());
        spans.push(Span::styled(note.clone(), t.good()));
    }
    if let Some(w) = &s.warning {
        spans.push(sep());
        spans.push(Span::styled(cell(w, usize::from(area.width)), t.warn()));
    }
    if let Some(err) = &s.error {
        spans.push(sep());
        spans.push(Span::styled(cell(err, usize::from(area.width)), t.error()));
    }
    if let Some(last) = s.last_cost {
        spans.push(sep());
        spans.push(Span::styled("last ", t.dim()));
        spans.push(Span::raw(format!("${last:.4}")));
        if let Some(e) = s.last_elapsed {
            spans.push(Span::styled(
                format!(" in {:.2} s", e.as_secs_f64()),
                t.dim(),
            ));
        }
        if s.last_cached {
            spans.push(Span::styled(" cached", t.good()));
        }
    }
    spans.push(sep());
    spans.push(Span::styled("session ", t.dim()));
    spans.push(Span::raw(format!("${:.4}", s.session_cost)));
    if let Some(limit) = app.budget.limit {
        let over = s.session_cost >= limit;
        spans.push(Span::styled(
            format!(" / ${limit:.2}"),
            if over { t.warn() } else { t.dim() },
        ));
    }
    spans.push(Span::styled(
        format!(
            " ({} request{})",
            s.requests,
            if s.requests == 1 { "" } else { "s" }
        ),
        t.dim(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The most useful keys of the focused pane, read from the keymap (so overrides show).
pub fn render_hints(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let actions: &[Action] = match app.focus {
        Focus::Target => &[
            Action::RunQuery,
            Action::FocusNext,
            Action::Cancel,
            Action::Help,
            Action::Quit,
        ],
        Focus::Control(_) => &[
            Action::ControlNext,
            Action::RunQuery,
            Action::FocusNext,
            Action::EditTarget,
            Action::Help,
            Action::Quit,
        ],
        Focus::Results => &[
            Action::SelectNext,
            Action::PageDown,
            Action::Last,
            Action::ColumnRight,
            Action::ToggleDetail,
            Action::Search,
            Action::OpenBuilder,
            Action::SortColumn,
            Action::Retry,
            Action::EditTarget,
            Action::Help,
            Action::Quit,
        ],
    };
    match app.layers.top() {
        None => {}
        Some(Layer::Search) => return, // the search bar is drawn here
        Some(Layer::Builder(_) | Layer::FilterBar(_)) => {
            return super::filters::render_hints(app, frame, area);
        }
        Some(layer) => {
            let pane = layer.pane();
            let actions = match layer {
                Layer::Save(d) if d.stage != SaveStage::Editing => {
                    &[Action::Confirm, Action::Cancel][..]
                }
                _ => layer_hints(pane),
            };
            let spans = hint_spans(app, &[pane, Pane::Global], actions);
            frame.render_widget(Paragraph::new(Line::from(fit(spans, area.width))), area);
            return;
        }
    }
    let mut spans = hint_spans(app, &[app.focus.pane(), Pane::Global], actions);
    if app.focus == Focus::Target {
        spans.push(Span::styled(" up/down", t.key()));
        spans.push(Span::styled(" history ", t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(fit(spans, area.width))), area);
}

/// Hints that fit in `width` cells: whole `key action` pairs are left out from the middle,
/// so the line never ends in half a word and the last two (help, quit) always show.
pub fn fit(mut spans: Vec<Span<'static>>, width: u16) -> Vec<Span<'static>> {
    let width = usize::from(width);
    let total = |s: &[Span<'_>]| s.iter().map(Span::width).sum::<usize>();
    while total(&spans) > width && spans.len() > 4 {
        let at = spans.len() - 6.min(spans.len());
        spans.drain(at..at + 2);
    }
    spans
}

/// `key action` pairs for the hint line; each action's first key in the first pane of `panes`
/// that binds it (so overrides show). Character keys are left out while a text field takes
/// what is typed: they are text there, not commands.
pub fn hint_spans(app: &App, panes: &[Pane], actions: &[Action]) -> Vec<Span<'static>> {
    let labelled: Vec<(Action, &str)> = actions.iter().map(|a| (*a, a.short())).collect();
    labelled_hint_spans(app, panes, &labelled)
}

/// Like [`hint_spans`], each action with a word of the caller's (what it does in that step).
pub fn labelled_hint_spans(
    app: &App,
    panes: &[Pane],
    actions: &[(Action, &str)],
) -> Vec<Span<'static>> {
    let t = app.theme;
    let typing = app.typing();
    let mut spans = Vec::new();
    for (action, label) in actions {
        let key = match app.keymap.first_key(panes, *action) {
            // In the target field the hint line stays short: only command keys show.
            Some(k) if typing && k.is_text() && app.layers.is_empty() => continue,
            Some(k) if typing && k.is_text() => app.keymap.first_command_key(panes, *action),
            k => k,
        };
        let Some(key) = key else {
            continue;
        };
        spans.push(Span::styled(format!(" {key}"), t.key()));
        spans.push(Span::styled(format!(" {label} "), t.dim()));
    }
    spans
}

/// The keys worth a hint on each layer.
fn layer_hints(pane: Pane) -> &'static [Action] {
    match pane {
        Pane::Columns => &[
            Action::SelectNext,
            Action::ToggleColumn,
            Action::MoveColumnUp,
            Action::MoveColumnDown,
            Action::ApplyColumns,
            Action::Cancel,
        ],
        Pane::History => &[Action::SelectNext, Action::RerunEntry, Action::Cancel],
        Pane::Views => &[
            Action::ApplyView,
            Action::SaveView,
            Action::DeleteView,
            Action::Cancel,
        ],
        Pane::Stats => &[
            Action::ChartNext,
            Action::SelectNext,
            Action::FilterByBar,
            Action::OpenStats,
            Action::Help,
        ],
        Pane::Budget => &[Action::BudgetSend, Action::BudgetRaise, Action::Cancel],
        Pane::Copy => &[Action::SelectNext, Action::Confirm, Action::Cancel],
        Pane::Help => &[Action::SelectNext, Action::PageDown, Action::Cancel],
        Pane::Save => &[Action::Confirm, Action::NextChoice, Action::Cancel],
        Pane::Export => &[Action::Cancel, Action::Quit],
        _ => &[],
    }
}
