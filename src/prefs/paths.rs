//! Where the files of the app live: the config file, and in the data dir the query history,
//! saved views, remembered columns, the page cache (`store::cache`) and the log (`logging`).

use std::path::{Path, PathBuf};

use crate::config;

/// The history of query runs, one JSON object per line.
pub const HISTORY_FILE: &str = "history.jsonl";
/// Saved views, one TOML file each.
pub const VIEWS_DIR: &str = "views";
/// The column chooser's last choice.
pub const COLUMNS_FILE: &str = "columns.toml";

/// Every path the app reads or writes. `None` when the platform gives no home directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
}

impl Paths {
    /// The platform's locations, with `--config PATH` in place of the default config file.
    pub fn from_platform(config_override: Option<&Path>) -> Paths {
        Paths {
            config_file: config_override
                .map(Path::to_owned)
                .or_else(config::config_file),
            data_dir: config::data_dir(),
        }
    }

    /// Everything inside `dir` (tests, and a portable setup).
    pub fn in_dir(dir: &Path) -> Paths {
        Paths {
            config_file: Some(dir.join(config::FILE_NAME)),
            data_dir: Some(dir.to_owned()),
        }
    }

    fn data(&self, name: &str) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join(name))
    }

    pub fn history(&self) -> Option<PathBuf> {
        self.data(HISTORY_FILE)
    }

    pub fn views_dir(&self) -> Option<PathBuf> {
        self.data(VIEWS_DIR)
    }

    pub fn columns(&self) -> Option<PathBuf> {
        self.data(COLUMNS_FILE)
    }

    /// The SQLite page cache (`store::cache`).
    pub fn cache(&self) -> Option<PathBuf> {
        self.data(crate::store::cache::FILE_NAME)
    }

    /// The log file (`logging`).
    pub fn log(&self) -> Option<PathBuf> {
        let name = crate::logging::log_file()?;
        self.data(&name.file_name()?.to_string_lossy())
    }

    /// The file of the view called `name` (a name already checked by `views::check_name`).
    pub fn view(&self, name: &str) -> Option<PathBuf> {
        self.views_dir().map(|d| d.join(format!("{name}.toml")))
    }
}
