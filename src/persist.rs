//! Writes to the data dir that the app asks for (a [`Persist`] in `Cmd::Persist`), carried out
//! here by the runtime: the history, views and remembered columns. The outcome goes back to
//! the app as `Msg::Persisted`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::history::HistoryEntry;
use crate::views::View;
use crate::{history, views};

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

/// Does the write; `Ok(Some(note))` is a confirmation for the status bar, `Err` the reason
/// the write failed (the app shows it; the session goes on).
pub fn execute(p: Persist, now: SystemTime) -> Result<Option<String>, String> {
    match p {
        Persist::History { path, mut entry } => {
            if entry.time == 0 {
                entry.time = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            }
            history::append(&path, &entry).map_err(|e| e.to_string())?;
            Ok(None)
        }
        Persist::SaveView { dir, view } => {
            let path = views::save(&dir, &view).map_err(|e| e.to_string())?;
            Ok(Some(format!(
                "view '{}' saved to {}",
                view.name,
                path.display()
            )))
        }
        Persist::DeleteView { dir, name } => {
            views::delete(&dir, &name).map_err(|e| e.to_string())?;
            Ok(Some(format!("view '{name}' deleted")))
        }
        Persist::Columns { path, fields } => {
            write_columns(&path, &fields).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(None)
        }
    }
}

/// The column chooser's choice, as `columns = [...]`.
pub fn write_columns(path: &Path, fields: &[&str]) -> std::io::Result<()> {
    let list: Vec<String> = fields
        .iter()
        .map(|f| toml::Value::String((*f).to_owned()).to_string())
        .collect();
    let text = format!(
        "# The explorer's table columns, as last chosen with c. Delete this file to go back to\n\
         # `columns` in config.toml (or the built-in set).\ncolumns = [{}]\n",
        list.join(", ")
    );
    crate::prefs::write_atomic(path, text.as_bytes())
}

/// The remembered columns, if the file is there and names known fields (unknown ones are
/// dropped: a field may leave the catalogue).
pub fn read_columns(path: &Path) -> Option<Vec<&'static str>> {
    #[derive(serde::Deserialize)]
    struct File {
        columns: Vec<String>,
    }
    let text = std::fs::read_to_string(path).ok()?;
    let file: File = toml::from_str(&text).ok()?;
    let fields: Vec<&'static str> = file
        .columns
        .iter()
        .filter_map(|f| crate::api::fields::column_field(f))
        .collect();
    (!fields.is_empty()).then_some(fields)
}
