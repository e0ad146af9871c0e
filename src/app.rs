//! The pure state machine: `App::update(Msg) -> Vec<Cmd>`. No I/O, no terminal: events arrive
//! as a `Msg` (keys, the mouse, the worker's answers, the outcome of earlier commands), the
//! time is set beside them by the runtime (`App::set_clock`), and everything the app wants
//! done leaves as a `Cmd`.
//!
//! `App` routes and holds what every pane shares: the query, the results, the status, the
//! detail panel, search matches and marks. What opens over the panes is a layer on
//! [`stack::Layers`], which owns its own state; `App::on_key` gives a key to the top layer
//! (or to the focused pane when none is open) and `on_mouse` does the same for the mouse.

pub mod balance;
pub mod budget;
pub mod columns;
pub mod columns_chooser;
pub mod copy;
pub mod detail;
pub mod export;
pub mod file;
pub mod filters;
pub mod help;
pub mod history;
pub mod marks;
pub mod msg;
pub mod open;
pub mod overlay;
pub mod query;
pub mod requery;
pub mod results;
mod row_tools;
pub mod save;
pub mod search;
mod search_keys;
pub mod sort;
pub mod stack;
pub mod stats;
pub mod status;
pub mod views;

use std::time::SystemTime;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use jiff::Timestamp;
use jiff::civil::Date;
use ratatui::layout::Rect;
use tui_input::InputRequest;

use crate::api::request::LiveRequest;
use crate::api::time;
use crate::keymap::{Key, Keymap, Pane};
use crate::layout::AppLayout;
use crate::prefs::paths::Paths;
use crate::ui::theme::Theme;

use self::balance::BalanceState;
use self::budget::BudgetState;
use self::columns::{Column, default_columns};
use self::detail::DetailState;
use self::history::HistoryState;
use self::marks::MarksState;
use self::msg::{Cmd, Msg};
use self::query::{Control, QueryState};
use self::results::ResultsState;
use self::search::SearchState;
use self::stack::{LayerKind, Layers};
use self::stats::StatsState;
use self::status::StatusState;
use self::views::ViewsState;
use crate::action::Action;
use crate::fetch::Source;
use crate::fetch::{FetchEvent, Generation};

/// Rows moved by one turn of the mouse wheel.
const WHEEL_ROWS: isize = 3;

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The target text field.
    Target,
    /// One of the query controls.
    Control(Control),
    Results,
}

impl Focus {
    /// Focus order for Tab: target, the controls, the table.
    fn order() -> Vec<Focus> {
        let mut v = vec![Focus::Target];
        v.extend(Control::ALL.iter().map(|c| Focus::Control(*c)));
        v.push(Focus::Results);
        v
    }

    /// The pane whose bindings apply.
    pub fn pane(self) -> Pane {
        match self {
            Focus::Target | Focus::Control(_) => Pane::Query,
            Focus::Results => Pane::Results,
        }
    }
}

/// The whole state of the explorer.
#[derive(Debug, Clone)]
pub struct App {
    pub query: QueryState,
    pub results: ResultsState,
    pub status: StatusState,
    /// The base pane with the keyboard when no layer is open.
    pub focus: Focus,
    /// What is open over the panes, bottom to top; the top one takes keys and the mouse.
    pub layers: Layers,
    pub keymap: Keymap,
    pub layout: AppLayout,
    /// The whole terminal.
    pub screen: Rect,
    pub theme: Theme,
    generation: Generation,
    pub quitting: bool,
    pub detail: DetailState,
    pub search: SearchState,
    pub marks: MarksState,
    /// The current time, as the runtime last said (`set_clock`; tests pin it); `None` before
    /// it has. The app never reads the clock itself: relative dates, today's date for the
    /// date presets ([`App::today`]), file names and `fetched_at` ([`App::clock`]) all derive
    /// from this one value.
    pub now: Option<Timestamp>,
    /// The file being explored (`backlinks open`).
    pub file: Option<file::FileState>,
    /// The table's columns, in order (`c` chooses; `COLUMNS` by default).
    pub columns: Vec<Column>,
    /// The session budget and its question.
    pub budget: BudgetState,
    /// The account's balance, as last read.
    pub balance: BalanceState,
    pub history: HistoryState,
    pub views: ViewsState,
    pub stats: StatsState,
    /// Where history, views and columns are written; empty: nowhere (tests).
    pub paths: Paths,
}

impl App {
    pub fn new(source: Source, keymap: Keymap) -> App {
        App {
            query: QueryState::default(),
            results: ResultsState::default(),
            status: StatusState::new(source),
            focus: Focus::Target,
            layers: Layers::default(),
            screen: Rect::default(),
            keymap,
            layout: AppLayout::default(),
            theme: Theme::default(),
            generation: Generation::default(),
            quitting: false,
            detail: DetailState::default(),
            search: SearchState::default(),
            marks: MarksState::default(),
            now: None,
            file: None,
            columns: default_columns(),
            budget: BudgetState::default(),
            balance: BalanceState::default(),
            history: HistoryState::default(),
            views: ViewsState::default(),
            stats: StatsState::default(),
            paths: Paths::default(),
        }
    }

    /// The current query generation.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// Sets the time from one reading of the clock (the runtime does this before every
    /// message): file names and `fetched_at`, relative ages, and today's date for the date
    /// presets all derive from it, so they agree, and "today" moves on past midnight.
    pub fn set_clock(&mut self, now: SystemTime) {
        self.now = Some(time::from_system(now));
    }

    /// Now, for file names, `fetched_at` and durations: the epoch until the runtime says.
    pub fn clock(&self) -> Timestamp {
        self.now.unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// Today's date (UTC), once the runtime has said the time; the date presets need it.
    pub fn today(&self) -> Option<Date> {
        self.now.map(time::utc_date)
    }

    /// Handles one message; returns what the runtime should do.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        let mut cmds = match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(m) => {
                self.on_mouse(m);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.resize(w, h);
                Vec::new()
            }
            Msg::Paste(text) => {
                if !self.paste_filters(&text)
                    && self.layers.is_empty()
                    && self.focus == Focus::Target
                {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        self.query.edit_target(InputRequest::InsertChar(c));
                    }
                }
                Vec::new()
            }
            Msg::Fetch(ev) => {
                self.on_fetch(ev);
                Vec::new()
            }
            Msg::Tick => {
                if self.results.tail.is_loading() {
                    self.status.spinner = self.status.spinner.wrapping_add(1);
                }
                Vec::new()
            }
            // The step itself is taken after every message (`sync_row_views`).
            Msg::Work => Vec::new(),
            Msg::EffectFailed(text) => {
                self.status.note = None; // "opening …" / "copied …" did not happen
                self.status.error = Some(text);
                Vec::new()
            }
            Msg::Persisted(result) => {
                match result {
                    Ok(note) => self.status.note = note.or(self.status.note.take()),
                    Err(e) => self.status.error = Some(e),
                }
                Vec::new()
            }
            Msg::PathProbed { path, kind } => self.on_path_probed(&path, kind),
            Msg::Saved(result) => {
                let saved = result.is_ok();
                self.on_saved(result);
                if saved {
                    self.read_balance()
                } else {
                    Vec::new()
                }
            }
            Msg::Disavowed(result) => {
                self.on_disavowed(result);
                Vec::new()
            }
            Msg::Export(ev) => {
                let finished = matches!(ev, crate::fetch::ExportEvent::Finished(_));
                let mut cmds = self.on_export(ev);
                if finished {
                    cmds.extend(self.read_balance());
                }
                cmds
            }
            Msg::Balance(read) => {
                self.on_balance(read);
                Vec::new()
            }
            Msg::FileLoad(ev) => {
                self.on_file_load(ev);
                Vec::new()
            }
        };
        self.sync_row_views();
        if !self.quitting && self.budget_allows_next_page() {
            cmds.extend(
                self.results
                    .take_next_page()
                    .map(|r| Cmd::Fetch(Box::new(r))),
            );
        }
        self.stats_catch_up();
        self.watch_rows();
        self.status.settle(self.clock());
        cmds
    }

    /// Whether the runtime should send `Msg::Tick`: a spinner turns, a retry counts down or a
    /// message waits to expire.
    pub fn wants_tick(&self) -> bool {
        self.results.tail.is_loading() || self.status.has_messages()
    }

    /// Whether long work is under way that `Msg::Work` moves on (sent whenever no key waits).
    pub fn wants_work(&self) -> bool {
        self.search.pending(&self.results.rows) || self.stats_pending()
    }

    /// Sets the layout for a terminal of `w`×`h` cells.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.screen = Rect::new(0, 0, w, h);
        self.layout = AppLayout::new(self.screen);
        self.results.viewport = usize::from(self.layout.body.height).max(1);
        self.results.scroll_to_selection();
    }

    /// Runs the query set in the query pane; on a bad target, says why and keeps focus there.
    pub fn run_query(&mut self) -> Vec<Cmd> {
        if self.is_file() {
            self.status.error =
                Some("this is a saved file: no requests (run `backlinks TARGET` to query)".into());
            return Vec::new();
        }
        match self.query.build_request() {
            Ok(request) => {
                self.query.remember(&request.target);
                self.focus = Focus::Results;
                self.start(request)
            }
            Err(reason) => {
                self.query.error = Some(reason);
                self.focus = Focus::Target;
                Vec::new()
            }
        }
    }

    /// Starts `request` as a new query generation: older requests are superseded and their
    /// answers will be dropped. The first page is requested by `update`.
    pub fn start(&mut self, request: LiveRequest) -> Vec<Cmd> {
        let mut cmds = self.record_history();
        self.generation = self.generation.next();
        self.results
            .reset(self.generation, request, self.query.page_size);
        self.status.error = None;
        self.status.retrying = None;
        cmds.push(Cmd::Supersede(self.generation));
        cmds
    }

    fn on_fetch(&mut self, ev: FetchEvent) {
        if ev.generation() != self.generation {
            return; // an answer to an abandoned query
        }
        match ev {
            FetchEvent::PageLoaded {
                generation,
                row_start,
                page,
            } => {
                let (cost, elapsed, cached) = (page.cost, page.elapsed, page.cached);
                if self.results.page_loaded(generation, row_start, page) {
                    self.status.record(cost, elapsed, cached);
                    self.status.error = None;
                    self.status.retrying = None;
                }
            }
            // Not a message of the status bar: it reads the failure from the table's tail,
            // so the failure shows (with the retry key) for as long as it is true.
            FetchEvent::PageFailed {
                generation,
                row_start,
                error,
            } => {
                if self.results.page_failed(generation, row_start, error) {
                    self.status.retrying = None;
                }
            }
            FetchEvent::Retrying {
                generation,
                row_start,
                notice,
            } => {
                if self.results.awaits(generation, row_start) {
                    self.status.retrying = Some(status::Retrying::new(&notice, self.clock()));
                }
            }
        }
    }

    /// A key goes to the top layer, or to the focused pane when no layer is open. This is
    /// the one place that decides.
    fn on_key(&mut self, ev: KeyEvent) -> Vec<Cmd> {
        self.status.note = None;
        self.status.warning = None;
        let Some(key) = Key::from_event(&ev) else {
            return Vec::new();
        };
        match self.layers.top_kind() {
            Some(LayerKind::Export) => self.on_export_key(key),
            Some(LayerKind::Save) => self.on_save_key(&ev, key),
            Some(LayerKind::Help) => {
                self.help_key(key);
                Vec::new()
            }
            Some(LayerKind::Budget) => self.budget_key(key),
            Some(LayerKind::Window) => self.window_key(&ev, key),
            Some(LayerKind::Copy) => self.copy_menu_key(key),
            Some(LayerKind::Search) => self.search_key(&ev, key),
            Some(LayerKind::Builder | LayerKind::FilterBar) => self.filters_key(&ev, key),
            None => self.pane_key(&ev, key),
        }
    }

    /// Tab / shift+tab: the next or previous pane or control.
    fn cycle_focus(&mut self, forward: bool) {
        let order = Focus::order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// A key for the focused pane (no layer open).
    fn pane_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        if let Focus::Control(c) = self.focus
            && self.control_key(c, ev, key)
        {
            return Vec::new();
        }
        if self.focus == Focus::Target {
            if let Some(req) = text_request(ev) {
                self.query.edit_target(req);
                return Vec::new();
            }
            if key.is_text() {
                return Vec::new();
            }
        }
        match self.lookup(key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Carries out a bound action.
    pub fn act(&mut self, action: Action) -> Vec<Cmd> {
        let page = self.results.viewport.max(1) as isize;
        match action {
            Action::Quit => {
                self.quitting = true;
                let mut cmds = self.record_history();
                cmds.push(Cmd::Quit);
                return cmds;
            }
            Action::Help => self.open_help(),
            Action::Cancel => self.cancel(),
            Action::FocusNext => self.cycle_focus(true),
            Action::FocusPrev => self.cycle_focus(false),
            Action::EditTarget => self.focus = Focus::Target,
            Action::TargetPrev if self.focus == Focus::Target => self.query.history_prev(),
            Action::TargetNext if self.focus == Focus::Target => self.query.history_next(),
            Action::RunQuery => return self.run_query(),
            Action::ControlNext | Action::ControlPrev => {
                if let Focus::Control(c) = self.focus {
                    self.query.step(c, action == Action::ControlNext);
                }
            }
            Action::SelectNext => self.results.move_by(1),
            Action::SelectPrev => self.results.move_by(-1),
            Action::PageDown => self.results.move_by(page),
            Action::PageUp => self.results.move_by(-page),
            Action::First => self.results.first(),
            Action::Last => self.results.last(),
            Action::ColumnLeft => self.results.column = self.results.column.saturating_sub(1),
            Action::ColumnRight => {
                self.results.column = (self.results.column + 1).min(self.columns.len() - 1);
            }
            Action::Retry => {
                if self.results.retry() {
                    self.status.error = None;
                }
                self.budget_retry();
                if self.budget.short.is_some() {
                    return self.read_balance(); // topped up since?
                }
            }
            Action::ToggleDetail
            | Action::DetailZoom
            | Action::DetailRaw
            | Action::DetailScrollDown
            | Action::DetailScrollUp
            | Action::DetailPageDown
            | Action::DetailPageUp => return self.act_detail(action),
            Action::CopyMenu => self.open_copy_menu(),
            Action::OpenInBrowser => return self.open_in_browser(),
            Action::Search | Action::SearchNext | Action::SearchPrev | Action::SearchAccept => {
                self.act_search(action);
            }
            Action::ToggleMark | Action::MarkRange | Action::ClearMarks => self.act_marks(action),
            Action::OpenBuilder
            | Action::OpenFilterBar
            | Action::FilterPresets
            | Action::QuickFilterEq
            | Action::QuickFilterNe
            | Action::SortColumn
            | Action::SortAddKey
            | Action::BuilderAdd
            | Action::BuilderEdit
            | Action::BuilderDelete
            | Action::BuilderMoveUp
            | Action::BuilderMoveDown
            | Action::BuilderMark
            | Action::BuilderWrap
            | Action::BuilderUnwrap
            | Action::BuilderToggleLogic
            | Action::ApplyFilter => return self.act_filters(action),
            Action::Save => self.open_save_dialog(),
            // The target field's history, and the menus' and dialogs' own keys: nothing here.
            Action::TargetPrev
            | Action::TargetNext
            | Action::Confirm
            | Action::NextChoice
            | Action::Complete
            | Action::ToggleValue => {}
            Action::OpenColumns
            | Action::OpenHistory
            | Action::OpenViews
            | Action::OpenStats
            | Action::ToggleColumn
            | Action::MoveColumnUp
            | Action::MoveColumnDown
            | Action::ApplyColumns
            | Action::ResetColumns
            | Action::RerunEntry
            | Action::ApplyView
            | Action::SaveView
            | Action::DeleteView
            | Action::ChartNext
            | Action::ChartPrev
            | Action::FilterByBar
            | Action::BudgetSend
            | Action::BudgetRaise => return self.act_overlay(action),
        }
        Vec::new()
    }

    /// Esc on a pane: it puts search matches and marks away, else leaves a field for the
    /// table; with nothing else to do, it dismisses the status bar's messages.
    fn cancel(&mut self) {
        if self.cancel_row_tools() {
            return;
        }
        if self.focus != Focus::Results && self.results.query.is_some() {
            self.focus = Focus::Results;
        } else {
            self.status.dismiss();
        }
    }

    /// The wheel and clicks go to the panes only when no layer is open: a layer takes the
    /// mouse as it takes the keys, so nothing moves under it.
    fn on_mouse(&mut self, m: MouseEvent) {
        if !self.layers.is_empty() {
            return;
        }
        let over_panel =
            self.detail.open && self.detail_areas().panel.contains((m.column, m.row).into());
        match m.kind {
            MouseEventKind::ScrollDown if self.detail_wheel(m.column, m.row, true) => {}
            MouseEventKind::ScrollUp if self.detail_wheel(m.column, m.row, false) => {}
            MouseEventKind::Down(_) if over_panel => {}
            MouseEventKind::ScrollDown => self.results.move_by(WHEEL_ROWS),
            MouseEventKind::ScrollUp => self.results.move_by(-WHEEL_ROWS),
            MouseEventKind::Down(_) => {
                let body = self.layout.body;
                if body.contains((m.column, m.row).into()) {
                    self.focus = Focus::Results;
                    self.results.click(usize::from(m.row - body.y));
                } else if self.layout.query.contains((m.column, m.row).into()) {
                    self.focus = Focus::Target;
                }
            }
            _ => {}
        }
    }
}

/// The text-editing request of a key inside a text field (readline keys included), if any.
pub fn text_request(ev: &KeyEvent) -> Option<InputRequest> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    Some(match ev.code {
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('b') if ctrl => InputRequest::GoToPrevChar,
        KeyCode::Char('f') if ctrl => InputRequest::GoToNextChar,
        KeyCode::Char('h') if ctrl => InputRequest::DeletePrevChar,
        KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
        KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
        KeyCode::Char(c) if !ctrl && !alt => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}
