//! What happens (`Msg`), what to do about it (`Cmd`), and what a key means (`Action`).

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::api::request::LiveRequest;
use crate::api::response::{Backlink, Row};
use crate::export::manifest::Manifest;
use crate::export::{ExportJob, Progress};
use crate::store::{Format, SetMeta};

/// Identifies one query run. Every page request and every answer carries the generation of the
/// query it belongs to, so answers to an abandoned query are recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Generation(pub u64);

impl Generation {
    #[must_use]
    pub fn next(self) -> Self {
        Generation(self.0 + 1)
    }
}

/// Something that happened, fed to `App::update`.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed (key releases and repeats of kind `Release` never get here).
    Key(KeyEvent),
    /// Wheel or click.
    Mouse(MouseEvent),
    /// The terminal changed size (columns, rows).
    Resize(u16, u16),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The worker finished a page request.
    Fetch(FetchEvent),
    /// Time passed: advances the spinner while a request is in flight.
    Tick,
    /// A command the runtime carried out failed (copy, open): what and why, for the status bar.
    EffectFailed(String),
    /// A `Cmd::Persist` was carried out: a note to show, or why it failed.
    Persisted(Result<Option<String>, String>),
    /// The answer to `Cmd::ProbePath`: what is at a path the save dialog wants to write.
    PathProbed { path: PathBuf, kind: PathKind },
    /// A `Cmd::Save` finished: rows written, or why not.
    Saved(Result<Saved, String>),
    /// News from a running "save the whole result".
    Export(ExportEvent),
    /// Rows of a file being opened (`backlinks open`), in file order.
    FileLoad(LoadEvent),
}

/// What is at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Missing,
    File,
    Folder,
}

/// A finished save.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub path: PathBuf,
    pub rows: u64,
}

/// Rows written by a `Cmd::Save`.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRequest {
    pub path: PathBuf,
    pub format: Format,
    pub meta: SetMeta,
    pub rows: Vec<Row>,
}

/// A "save the whole result": the loaded rows first, then every row still missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub path: PathBuf,
    pub format: Format,
    /// `YYYY-MM-DD HH:MM:SS +00:00`, from the app's clock.
    pub fetched_at: String,
    /// Rows already loaded, written first.
    pub rows: Vec<Row>,
    /// The rest: from `job.cursor` to `job.target_rows`.
    pub job: ExportJob,
}

/// Progress of a whole-result save.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEvent {
    Progress(Progress),
    /// The file is in place (complete or partial), or the reason it is not.
    Finished(Result<Box<Manifest>, String>),
}

/// Rows read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    Rows(Vec<Row>),
    /// The set's query and totals, when the file has them.
    Meta(Box<SetMeta>),
    /// A row that could not be read (line number and reason); the rest are kept.
    BadLine {
        line: u64,
        reason: String,
    },
    /// The whole file is read (`Ok`), or reading stopped (`Err`, rows so far are kept).
    Done(Result<(), String>),
}

/// A side effect for the runtime to perform. `update` itself never does I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// Send this page request.
    Fetch(Box<FetchRequest>),
    /// Abort every request of generations older than this one.
    Supersede(Generation),
    /// Leave the app.
    Quit,
    /// Put this text on the clipboard (OSC 52 through the terminal, so it works over SSH).
    Copy(String),
    /// Open this http(s) URL in the system browser.
    OpenUrl(String),
    /// Write to the data dir (history, views, remembered columns).
    Persist(Box<super::persist::Persist>),
    /// Tell what is at this path (the save dialog asks before overwriting).
    ProbePath(PathBuf),
    /// Write these rows to a file.
    Save(Box<SaveRequest>),
    /// Fetch the rest of the result into a file.
    Export(Box<ExportRequest>),
    /// Stop the running export after the pages in flight; keep a partial file.
    CancelExport,
    /// Read a saved file in the background; its rows arrive as `Msg::FileLoad`.
    LoadFile(PathBuf),
}

/// One page request of one query.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRequest {
    pub generation: Generation,
    /// Index of the first row this page fills.
    pub row_start: usize,
    /// The complete request, paging fields included.
    pub request: LiveRequest,
}

/// The answer to a `FetchRequest`.
#[derive(Debug, Clone)]
pub enum FetchEvent {
    PageLoaded {
        generation: Generation,
        row_start: usize,
        page: Page,
    },
    PageFailed {
        generation: Generation,
        row_start: usize,
        error: ApiError,
    },
}

impl FetchEvent {
    pub fn generation(&self) -> Generation {
        match self {
            FetchEvent::PageLoaded { generation, .. }
            | FetchEvent::PageFailed { generation, .. } => *generation,
        }
    }
}

/// A successful page, reduced to what the app keeps.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Backlink>,
    pub total_count: u64,
    pub search_after_token: Option<String>,
    /// USD the API charged for this page (0 when served from the cache).
    pub cost: f64,
    pub elapsed: Duration,
    /// Served from the local page cache, not paid for.
    pub cached: bool,
}

/// What a key can be bound to. The names (snake_case) are what `config.toml` uses under
/// `[keys.<pane>]` and what the help overlay lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Show the key bindings of the focused pane.
    Help,
    /// Close the overlay or leave the text field.
    Cancel,
    /// Move focus to the next pane or control.
    FocusNext,
    /// Move focus to the previous pane or control.
    FocusPrev,
    /// Jump to the target field.
    EditTarget,
    /// Run the query as set in the query pane.
    RunQuery,
    /// Change the focused control to its next value.
    ControlNext,
    /// Change the focused control to its previous value.
    ControlPrev,
    /// Select the next row.
    SelectNext,
    /// Select the previous row.
    SelectPrev,
    /// One screen down.
    PageDown,
    /// One screen up.
    PageUp,
    /// First row.
    First,
    /// Last loaded row (and keep loading from there).
    Last,
    /// Current column one to the left.
    ColumnLeft,
    /// Current column one to the right.
    ColumnRight,
    /// Send the failed page request again.
    Retry,
    /// Open (or close) the detail panel of the selected row: every field, grouped.
    ToggleDetail,
    /// Detail beside the table or over it (the default follows the terminal width).
    DetailZoom,
    /// Detail as the raw JSON of the item, or as grouped fields.
    DetailRaw,
    /// Scroll the detail panel one line down.
    DetailScrollDown,
    /// Scroll the detail panel one line up.
    DetailScrollUp,
    /// Scroll the detail panel a page down.
    DetailPageDown,
    /// Scroll the detail panel a page up.
    DetailPageUp,
    /// Copy a value of the selected row (URLs, anchor, the row as JSON or CSV).
    CopyMenu,
    /// Open the selected row's referring page (url_from) in the browser.
    OpenInBrowser,
    /// Search the loaded rows (never a request).
    Search,
    /// Jump to the next search match, wrapping around.
    SearchNext,
    /// Jump to the previous search match, wrapping around.
    SearchPrev,
    /// Close the search bar, keeping the matches highlighted.
    SearchAccept,
    /// Mark or unmark the selected row.
    ToggleMark,
    /// Mark a range: press on one end, move, press again.
    MarkRange,
    /// Clear every mark.
    ClearMarks,
    /// Open the filter builder over the table.
    OpenBuilder,
    /// Open the one-line filter bar (text syntax).
    OpenFilterBar,
    /// The filter presets menu (dofollow only, new links, …).
    FilterPresets,
    /// Add `field = value` of the selected cell to the filter.
    QuickFilterEq,
    /// Add `field <> value` of the selected cell to the filter.
    QuickFilterNe,
    /// Sort by the current column: desc, asc, off.
    SortColumn,
    /// Add the current column as the next sort key.
    SortAddKey,
    /// Builder: add a condition.
    BuilderAdd,
    /// Builder: edit the selected condition.
    BuilderEdit,
    /// Builder: delete the selected node.
    BuilderDelete,
    /// Builder: move the selected node up among its siblings.
    BuilderMoveUp,
    /// Builder: move the selected node down among its siblings.
    BuilderMoveDown,
    /// Builder: mark or unmark the selected node (for wrapping).
    BuilderMark,
    /// Builder: wrap the marked nodes (or the selected one) in a group.
    BuilderWrap,
    /// Builder: replace the selected group by its contents.
    BuilderUnwrap,
    /// Builder: switch the selected group between `and` and `or`.
    BuilderToggleLogic,
    /// Run the query with the filter being edited.
    ApplyFilter,
    /// Open the column chooser.
    OpenColumns,
    /// Show or hide the field under the cursor (column chooser).
    ToggleColumn,
    /// Move the field one place to the left in the table (column chooser).
    MoveColumnUp,
    /// Move the field one place to the right in the table (column chooser).
    MoveColumnDown,
    /// Use the chosen columns and remember them.
    ApplyColumns,
    /// Back to the default columns (column chooser).
    ResetColumns,
    /// List the query history, with type-ahead.
    OpenHistory,
    /// Send the chosen history entry's query again.
    RerunEntry,
    /// List the saved views.
    OpenViews,
    /// Apply the chosen view to the target in the query pane.
    ApplyView,
    /// Save the current query as a view (asks for a name).
    SaveView,
    /// Delete the chosen view (press twice).
    DeleteView,
    /// Open or close the statistics view.
    OpenStats,
    /// Next chart.
    ChartNext,
    /// Previous chart.
    ChartPrev,
    /// Add the selected bar as a filter condition and run the query.
    FilterByBar,
    /// Send the page that would cross the budget, this once.
    BudgetSend,
    /// Raise the budget and send the page.
    BudgetRaise,
    /// Save rows to a file (loaded rows, or the whole result).
    Save,
}

impl Action {
    /// A word or two for the hint line.
    pub fn short(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Cancel => "back",
            Action::FocusNext => "next",
            Action::FocusPrev => "prev",
            Action::EditTarget => "target",
            Action::RunQuery => "run",
            Action::ControlNext | Action::ControlPrev => "change",
            Action::SelectNext | Action::SelectPrev => "move",
            Action::PageDown | Action::PageUp => "page",
            Action::First => "first",
            Action::Last => "last",
            Action::ColumnLeft | Action::ColumnRight => "column",
            Action::Retry => "retry",
            Action::ToggleDetail => "detail",
            Action::DetailZoom => "side/full",
            Action::DetailRaw => "json",
            Action::DetailScrollDown
            | Action::DetailScrollUp
            | Action::DetailPageDown
            | Action::DetailPageUp => "scroll",
            Action::CopyMenu => "copy",
            Action::OpenInBrowser => "open",
            Action::Search => "search",
            Action::SearchNext | Action::SearchPrev => "match",
            Action::SearchAccept => "keep",
            Action::ToggleMark | Action::BuilderMark => "mark",
            Action::MarkRange => "range",
            Action::ClearMarks => "unmark",
            Action::OpenBuilder => "filter",
            Action::OpenFilterBar => "filter text",
            Action::FilterPresets => "presets",
            Action::QuickFilterEq => "only this",
            Action::QuickFilterNe => "exclude this",
            Action::SortColumn => "sort",
            Action::SortAddKey => "sort +key",
            Action::BuilderAdd => "add",
            Action::BuilderEdit => "edit",
            Action::BuilderDelete => "delete",
            Action::BuilderMoveUp => "move up",
            Action::BuilderMoveDown => "move down",
            Action::BuilderWrap => "group",
            Action::BuilderUnwrap => "ungroup",
            Action::BuilderToggleLogic => "and/or",
            Action::ApplyFilter => "apply",
            Action::OpenColumns => "columns",
            Action::ToggleColumn => "show/hide",
            Action::MoveColumnUp | Action::MoveColumnDown => "reorder",
            Action::ApplyColumns => "use",
            Action::ResetColumns => "defaults",
            Action::OpenHistory => "history",
            Action::RerunEntry => "run again",
            Action::OpenViews => "views",
            Action::ApplyView => "apply view",
            Action::SaveView => "save view",
            Action::DeleteView => "delete view",
            Action::OpenStats => "stats",
            Action::ChartNext | Action::ChartPrev => "chart",
            Action::FilterByBar => "filter by bar",
            Action::BudgetSend => "send",
            Action::BudgetRaise => "raise budget",
            Action::Save => "save",
        }
    }

    /// One line for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show this help",
            Action::Cancel => "close / leave the field",
            Action::FocusNext => "next pane or control",
            Action::FocusPrev => "previous pane or control",
            Action::EditTarget => "edit the target",
            Action::RunQuery => "run the query",
            Action::ControlNext => "next value of the control",
            Action::ControlPrev => "previous value of the control",
            Action::SelectNext => "next row",
            Action::SelectPrev => "previous row",
            Action::PageDown => "one screen down",
            Action::PageUp => "one screen up",
            Action::First => "first row",
            Action::Last => "last loaded row (keeps loading)",
            Action::ColumnLeft => "column to the left",
            Action::ColumnRight => "column to the right",
            Action::Retry => "retry the failed page",
            Action::ToggleDetail => "open / close the detail of the row",
            Action::DetailZoom => "detail beside the table / full screen",
            Action::DetailRaw => "detail as raw JSON / as fields",
            Action::DetailScrollDown => "scroll the detail a line down",
            Action::DetailScrollUp => "scroll the detail a line up",
            Action::DetailPageDown => "scroll the detail a page down",
            Action::DetailPageUp => "scroll the detail a page up",
            Action::CopyMenu => "copy url, anchor, row as JSON/CSV",
            Action::OpenInBrowser => "open url_from in the browser",
            Action::Search => "search the loaded rows",
            Action::SearchNext => "next match (wraps)",
            Action::SearchPrev => "previous match (wraps)",
            Action::SearchAccept => "keep the search, back to the table",
            Action::ToggleMark => "mark / unmark the row",
            Action::MarkRange => "mark a range (press at both ends)",
            Action::ClearMarks => "clear all marks",
            Action::OpenBuilder => "open the filter builder",
            Action::OpenFilterBar => "type a filter expression",
            Action::FilterPresets => "filter presets: dofollow, new links…",
            Action::QuickFilterEq => "keep rows with this cell's value",
            Action::QuickFilterNe => "drop rows with this cell's value",
            Action::SortColumn => "sort by this column: desc, asc, off",
            Action::SortAddKey => "add this column as the next sort key",
            Action::BuilderAdd => "add a condition",
            Action::BuilderEdit => "edit the condition",
            Action::BuilderDelete => "delete the condition or group",
            Action::BuilderMoveUp => "move up within its group",
            Action::BuilderMoveDown => "move down within its group",
            Action::BuilderMark => "mark / unmark (for grouping)",
            Action::BuilderWrap => "group the marked (or selected) conditions",
            Action::BuilderUnwrap => "ungroup: keep the contents",
            Action::BuilderToggleLogic => "switch the group between and / or",
            Action::ApplyFilter => "apply: run the query with this filter",
            Action::OpenColumns => "choose and order the columns",
            Action::ToggleColumn => "show or hide this field",
            Action::MoveColumnUp => "move the field up (to the left)",
            Action::MoveColumnDown => "move the field down (to the right)",
            Action::ApplyColumns => "use these columns (remembered)",
            Action::ResetColumns => "back to the default columns",
            Action::OpenHistory => "query history (type to narrow)",
            Action::RerunEntry => "run the query again, as it was sent",
            Action::OpenViews => "saved views: apply, save, delete",
            Action::ApplyView => "apply the view to the target",
            Action::SaveView => "save the current query as a view",
            Action::DeleteView => "delete the view (press twice)",
            Action::OpenStats => "statistics of the loaded rows",
            Action::ChartNext => "next chart",
            Action::ChartPrev => "previous chart",
            Action::FilterByBar => "filter the query by the selected bar",
            Action::BudgetSend => "send this request anyway",
            Action::BudgetRaise => "raise the budget and send",
            Action::Save => "save rows to a file",
        }
    }
}
