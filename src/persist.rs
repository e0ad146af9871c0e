//! Carries out `Cmd::Persist`: the history, views and remembered columns in the data dir.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::app::persist::Persist;
use crate::{history, views};

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
        .filter_map(|f| crate::app::columns::column_for(f).and_then(|c| c.field))
        .collect();
    (!fields.is_empty()).then_some(fields)
}
