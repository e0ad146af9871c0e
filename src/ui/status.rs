//! The status bar (source badge, rows, costs, timing, messages) and the key-hint line.
//!
//! The status bar gives way by priority ([`fit_status`]): the source, `loaded N of M` and the session
//! cost (with the budget) always show; messages are cut with an ellipsis; the request count,
//! the last request's cost, the row number and then the account's balance are left out when
//! even cut messages leave no room. A failed page's short reason always comes with its retry
//! key; a page held back because it costs more than the balance says so whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::balance::BalanceState;
use crate::app::budget::Limit;
use crate::app::save::SaveStage;
use crate::app::stack::Layer;
use crate::app::{App, Focus};
use crate::fetch::Source;
use crate::keymap::Pane;
use crate::text::{cell, group, truncate, width};

/// One item of the status bar, by how it gives way when the line is too narrow.
#[derive(Debug, Clone)]
pub enum Part {
    /// Always shown: the source, `loaded N of M`, the session cost and budget.
    Keep(Vec<Span<'static>>),
    /// Left out when there is no room, lowest `rank` first.
    Optional { rank: u8, spans: Vec<Span<'static>> },
    /// A message: cut with an ellipsis to the room left (first down to [`MESSAGE_FLOOR`]
    /// cells, then, once every optional item is gone, further); `tail` (the key that deals
    /// with it, a retry's countdown) is never cut, and gives way to `short_tail` when the
    /// message would be cut with it.
    Message {
        text: String,
        style: Style,
        tail: Vec<Span<'static>>,
        short_tail: Option<Vec<Span<'static>>>,
    },
}

/// An item and whether it follows the previous one directly (no separator).
#[derive(Debug, Clone)]
pub struct Item {
    pub part: Part,
    pub glued: bool,
}

impl Item {
    fn new(part: Part) -> Item {
        Item { part, glued: false }
    }

    fn glued(part: Part) -> Item {
        Item { part, glued: true }
    }
}

/// Messages keep this many cells while optional items can still make room.
pub const MESSAGE_FLOOR: usize = 24;
/// A message's text cut shorter than this says nothing: it is left out, and its tail (a key,
/// a countdown) shows alone.
const MESSAGE_MIN: usize = 10;
const SEPARATOR: &str = " │ ";

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let spans = fit_status(status_items(app), usize::from(area.width), app.theme.dim());
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status bar's items, left to right.
pub fn status_items(app: &App) -> Vec<Item> {
    let t = app.theme;
    let s = &app.status;
    let r = &app.results;
    let now = app.clock();
    let mut items = vec![Item::new(Part::Keep(vec![match &s.source {
        Source::Demo => Span::styled(" DEMO ", t.badge_demo()),
        Source::Api { .. } => Span::styled(" API ", t.badge_api()),
        Source::File { .. } => Span::styled(" FILE ", t.badge_api()),
    }]))];
    if r.query.is_some() {
        if !r.rows.is_empty() {
            items.push(Item::new(Part::Optional {
                rank: 2,
                spans: vec![Span::raw(format!(
                    "row {} · ",
                    group(r.selected as u64 + 1)
                ))],
            }));
        }
        let loaded = group(r.rows.len() as u64);
        let mut spans = vec![Span::raw(match r.total {
            Some(total) => format!("loaded {loaded} of {}", group(total)),
            None => format!("loaded {loaded}"),
        })];
        if r.tail.is_loading() {
            spans.push(Span::styled(" …", t.warn()));
        }
        items.push(Item {
            part: Part::Keep(spans),
            glued: !r.rows.is_empty(),
        });
    }
    let search = super::search_bar::status_spans(app);
    if !search.is_empty() {
        // These bring their own separators.
        items.push(Item::glued(Part::Optional {
            rank: 3,
            spans: search,
        }));
    }
    if app.budget_holds_back() {
        items.push(Item::new(Part::Keep(vec![Span::styled(
            "over budget: r asks again",
            t.warn(),
        )])));
    }
    if let Some(short) = &app.budget.short {
        // Kept whole, like the budget's hold: the page stays unsent until the balance is
        // read again (`r`, in the hints), so the reason stays true and on screen.
        items.push(Item::new(Part::Keep(vec![Span::styled(
            format!("not sent: {}", short.describe_short("page")),
            t.error(),
        )])));
    }
    if let Some(retry) = s.retrying.as_ref().filter(|_| r.tail.is_loading()) {
        items.push(Item::new(Part::Message {
            text: retry.summary.clone(),
            style: t.error(),
            tail: vec![
                Span::styled(" · ", t.dim()),
                Span::styled(retry.countdown(now), t.warn()),
            ],
            short_tail: Some(vec![
                Span::styled(" · ", t.dim()),
                Span::styled(retry.short_countdown(now), t.warn()),
            ]),
        }));
    }
    if let Some(f) = r.tail.failure() {
        items.push(Item::new(Part::Message {
            text: f.error.summary(),
            style: t.error(),
            tail: retry_key(app, " · "),
            short_tail: Some(retry_key(app, " ")),
        }));
    }
    for (text, style) in [
        (&s.note, t.good()),
        (&s.warning, t.warn()),
        (&s.error, t.error()),
    ] {
        if let Some(text) = text {
            items.push(Item::new(Part::Message {
                text: cell(text, usize::MAX),
                style,
                tail: Vec::new(),
                short_tail: None,
            }));
        }
    }
    items.extend(cost_items(app));
    items
}

/// The last request's cost, and the session's with the budget.
fn cost_items(app: &App) -> Vec<Item> {
    let t = app.theme;
    let s = &app.status;
    let mut items = Vec::new();
    if let Some(last) = s.last_cost {
        let mut spans = vec![
            Span::styled("last ", t.dim()),
            Span::raw(format!("${last:.4}")),
        ];
        if let Some(e) = s.last_elapsed {
            spans.push(Span::styled(
                format!(" in {:.2} s", e.as_secs_f64()),
                t.dim(),
            ));
        }
        if s.last_cached {
            spans.push(Span::styled(" cached", t.good()));
        }
        items.push(Item::new(Part::Optional { rank: 1, spans }));
    }
    // The word goes before the amount does: on the right, `$0.0500 / $1.00` still reads as
    // what this session spent.
    items.push(Item::new(Part::Optional {
        rank: 4,
        spans: vec![Span::styled("session ", t.dim())],
    }));
    let mut spans = vec![Span::raw(format!("${:.4}", s.session_cost))];
    if let Some(limit) = app.budget.limit {
        let over = s.session_cost >= limit;
        spans.push(Span::styled(
            format!(" / ${limit:.2}"),
            if over { t.warn() } else { t.dim() },
        ));
    }
    items.push(Item::glued(Part::Keep(spans)));
    items.push(Item::glued(Part::Optional {
        rank: 0,
        spans: vec![Span::styled(
            format!(
                " ({} request{})",
                s.requests,
                if s.requests == 1 { "" } else { "s" }
            ),
            t.dim(),
        )],
    }));
    items.extend(balance_item(app));
    items
}

/// `balance $48.21` once read (`balance ?` when it could not be): the last optional item to
/// give way, since it says what the next spend may cost. Nothing for a file, before the
/// first read answers, or while a refused page's message shows the amount.
fn balance_item(app: &App) -> Option<Item> {
    let t = app.theme;
    if app.budget.short.is_some() {
        return None; // the refusal says it
    }
    let amount = match (app.balance, app.balance_left()) {
        (_, Some(usd)) if usd < 0.0 => Span::styled(format!("-${:.2}", -usd), t.warn()),
        (_, Some(usd)) => Span::raw(format!("${usd:.2}")),
        (BalanceState::Failed, None) => Span::styled("?", t.dim()),
        _ => return None,
    };
    Some(Item::new(Part::Optional {
        rank: 5,
        spans: vec![Span::styled("balance ", t.dim()), amount],
    }))
}

/// The save dialog prices the rest above the account's balance.
fn above_balance(stage: &SaveStage) -> bool {
    matches!(stage, SaveStage::ConfirmPrice(_, Some(o)) if o.of == Limit::Balance)
}

/// ` · r retry`, with the key the keymap binds (nothing when none is bound).
fn retry_key(app: &App, lead: &'static str) -> Vec<Span<'static>> {
    let t = app.theme;
    match app
        .keymap
        .first_key(&[Pane::Results, Pane::Global], Action::Retry)
    {
        Some(k) => vec![
            Span::styled(lead, t.dim()),
            Span::styled(k.to_string(), t.key()),
            Span::styled(" retry", t.dim()),
        ],
        None => Vec::new(),
    }
}

fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// Cells an item takes with `room` cells for a message's text.
fn item_width(item: &Item, room: Option<usize>) -> usize {
    match &item.part {
        Part::Keep(spans) | Part::Optional { spans, .. } => spans_width(spans),
        Part::Message { text, tail, .. } => {
            let w = width(text);
            room.map_or(w, |r| w.min(r)) + spans_width(tail)
        }
    }
}

/// Lays the items out in `cells` cells: messages shrink to [`MESSAGE_FLOOR`] first, then
/// optional items go (lowest rank first), then messages shrink further (their tails stay);
/// what is kept always shows unless the terminal is narrower than the kept items alone. When
/// a message would be cut, its short tail is tried instead.
pub fn fit_status(items: Vec<Item>, cells: usize, sep_style: Style) -> Vec<Span<'static>> {
    let (spans, whole) = place(items.clone(), cells, sep_style);
    if whole {
        return spans;
    }
    let short = items
        .into_iter()
        .map(|mut item| {
            if let Part::Message {
                tail, short_tail, ..
            } = &mut item.part
                && let Some(short) = short_tail.take()
            {
                *tail = short;
            }
            item
        })
        .collect();
    place(short, cells, sep_style).0
}

/// [`fit_status`] with the tails given; also whether every message showed whole.
fn place(items: Vec<Item>, cells: usize, sep_style: Style) -> (Vec<Span<'static>>, bool) {
    // An item is drawn after a separator unless it is the first shown, or glued to the item
    // before it while that one shows.
    let separated = |shown: &[bool], i: usize| -> bool {
        shown[..i].iter().any(|s| *s) && (!items[i].glued || i == 0 || !shown[i - 1])
    };
    let total = |shown: &[bool], room: usize| -> usize {
        (0..items.len())
            .filter(|i| shown[*i])
            .map(|i| {
                let sep = if separated(shown, i) {
                    width(SEPARATOR)
                } else {
                    0
                };
                sep + item_width(&items[i], Some(room))
            })
            .sum()
    };
    let longest = items
        .iter()
        .filter_map(|i| match &i.part {
            Part::Message { text, .. } => Some(width(text)),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // The widest room a message may have so that the shown items fit, if any does.
    let room_for = |shown: &[bool], floor: usize| -> Option<usize> {
        (floor..=longest.max(floor))
            .rev()
            .find(|r| total(shown, *r) <= cells)
    };
    let rank = |i: usize| match items[i].part {
        Part::Optional { rank, .. } => Some(rank),
        _ => None,
    };
    let mut shown = vec![true; items.len()];
    let mut hidden = Vec::new();
    while room_for(&shown, MESSAGE_FLOOR).is_none() {
        let lowest = (0..items.len())
            .filter(|i| shown[*i])
            .filter_map(|i| rank(i).map(|r| (r, i)))
            .min();
        let Some((_, i)) = lowest else { break };
        shown[i] = false;
        hidden.push(i);
    }
    // Leaving out a big item may have made room for a smaller one left out before it.
    for i in hidden.into_iter().rev() {
        shown[i] = true;
        if room_for(&shown, MESSAGE_FLOOR).is_none() {
            shown[i] = false;
        }
    }
    let room = room_for(&shown, MESSAGE_FLOOR)
        .or_else(|| room_for(&shown, 0))
        .unwrap_or(0);
    let seps: Vec<bool> = (0..items.len()).map(|i| separated(&shown, i)).collect();
    let mut whole = true;
    let mut spans = Vec::new();
    for ((item, show), sep) in items.into_iter().zip(shown).zip(seps) {
        if !show {
            continue;
        }
        if sep {
            spans.push(Span::styled(SEPARATOR, sep_style));
        }
        match item.part {
            Part::Keep(s) | Part::Optional { spans: s, .. } => spans.extend(s),
            Part::Message {
                text, style, tail, ..
            } => {
                let cut = truncate(&text, room).into_owned();
                whole &= cut == text;
                if width(&cut) >= MESSAGE_MIN.min(width(&text)) && !cut.is_empty() {
                    spans.push(Span::styled(cut, style));
                    spans.extend(tail);
                } else {
                    // Without its text, the tail's leading separator goes too.
                    spans.extend(tail.into_iter().skip(1));
                }
            }
        }
    }
    (spans, whole)
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
                // Above the balance there is nothing to say yes to.
                Layer::Save(d) if above_balance(&d.stage) => &[Action::Cancel][..],
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
