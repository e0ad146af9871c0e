//! What happens (`Msg`) and what to do about it (`Cmd`). Terminal input, the worker's
//! [`Event`]s and the answers to earlier commands all arrive as a `Msg`; the app's clock is set
//! by the runtime beside them ([`App::set_clock`](super::App::set_clock)).

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::api::response::Row;
use crate::fetch::{Event, ExportEvent, ExportRequest, FetchEvent, FetchRequest, Generation};
use crate::store::{Format, SetMeta};

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
    /// Time passed: advances the spinner while a request is in flight; with the clock set
    /// beside it, counts a retry down and lets messages expire.
    Tick,
    /// Nothing else is waiting: a step of long work (a search through many rows) goes on.
    Work,
    /// A command the runtime carried out failed (copy, open): what and why, for the status bar.
    EffectFailed(String),
    /// A `Cmd::Persist` was carried out: a note to show, or why it failed.
    Persisted(Result<Option<String>, String>),
    /// The answer to `Cmd::ProbePath`: what is at a path the save dialog wants to write.
    PathProbed { path: PathBuf, kind: PathKind },
    /// A `Cmd::Save` finished: rows written, or why not.
    Saved(Result<Saved, String>),
    /// A `Cmd::Disavow` finished: what was written, or why not.
    Disavowed(Result<String, String>),
    /// News from a running "save the whole result".
    Export(ExportEvent),
    /// Rows of a file being opened (`backlinks open`), in file order.
    FileLoad(LoadEvent),
    /// The answer to `Cmd::ReadBalance`: the account as the API describes it, or why it
    /// could not be read.
    Balance(Result<crate::api::user_data::UserData, crate::api::ApiError>),
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

/// A disavow file to write: the entries of the chosen rows, added to the file when it
/// exists (its lines are kept).
#[derive(Debug, Clone, PartialEq)]
pub struct DisavowRequest {
    pub path: PathBuf,
    pub entries: Vec<crate::disavow::Entry>,
    pub origin: crate::disavow::Origin,
    pub merge: bool,
}

/// Rows written by a `Cmd::Save`.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRequest {
    pub path: PathBuf,
    pub format: Format,
    pub meta: SetMeta,
    pub rows: crate::app::results::Rows,
}

/// Rows read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    /// The first rows, shown while the file is indexed.
    Rows(Vec<Row>),
    /// The indexed file: every row, read back from the file on demand (replaces the rows
    /// shown so far, which are its first ones).
    Store(crate::app::results::OpenedStore),
    /// The set's query and totals, when the file has them.
    Meta(Box<SetMeta>),
    /// A row that could not be read (line number and reason); the rest are kept.
    BadLine { line: u64, reason: String },
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
    Persist(Box<crate::persist::Persist>),
    /// Tell what is at this path (the save dialog asks before overwriting).
    ProbePath(PathBuf),
    /// Write these rows to a file.
    Save(Box<SaveRequest>),
    /// Write (or add to) a disavow file.
    Disavow(Box<DisavowRequest>),
    /// Fetch the rest of the result into a file.
    Export(Box<ExportRequest>),
    /// Stop the running export after the pages in flight; keep a partial file.
    CancelExport,
    /// Read a saved file in the background; its rows arrive as `Msg::FileLoad`.
    LoadFile(PathBuf),
    /// Read the account's balance (free); the answer arrives as `Msg::Balance`.
    ReadBalance,
}

impl From<Event> for Msg {
    fn from(ev: Event) -> Msg {
        match ev {
            Event::Page(ev) => Msg::Fetch(ev),
            Event::Export(ev) => Msg::Export(ev),
            Event::Balance(read) => Msg::Balance(read),
        }
    }
}
