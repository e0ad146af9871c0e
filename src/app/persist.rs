//! Writes to the data dir that the app asks for (`Cmd::Persist`) and the runtime carries out;
//! the outcome comes back as `Msg::Persisted`.

use std::path::PathBuf;

use crate::history::HistoryEntry;
use crate::views::View;

/// One write to the data dir.
#[derive(Debug, Clone, PartialEq)]
pub enum Persist {
    /// Append a query run to the history file (the runtime stamps a missing time).
    History { path: PathBuf, entry: HistoryEntry },
    /// Write a view to `dir/<name>.toml`, replacing one of that name.
    SaveView { dir: PathBuf, view: View },
    /// Remove the view `name` from `dir`.
    DeleteView { dir: PathBuf, name: String },
    /// Remember the table's columns.
    Columns {
        path: PathBuf,
        fields: Vec<&'static str>,
    },
}
