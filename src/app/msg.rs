//! What happens (`Msg`), what to do about it (`Cmd`), and what a key means (`Action`).

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::api::request::LiveRequest;
use crate::api::response::Backlink;
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
    pub rows: Vec<Backlink>,
}

/// A "save the whole result": the loaded rows first, then every row still missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub path: PathBuf,
    pub format: Format,
    /// `YYYY-MM-DD HH:MM:SS +00:00`, from the app's clock.
    pub fetched_at: String,
    /// Rows already loaded, written first.
    pub rows: Vec<Backlink>,
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
    Rows(Vec<Backlink>),
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
            Action::Save => "save rows to a file",
        }
    }
}
