//! Saved views: a named query without a target (mode, settings, filter, sort, page size,
//! columns), one TOML file each in `<data dir>/views/<name>.toml`, meant to be read, edited and
//! shared by people. Applied to any target in the explorer (`v`) or headless with
//! `backlinks export TARGET --view NAME`.

mod file;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::api::filter::Filter;
use crate::api::request::{CustomMode, LiveRequest, Mode, OrderBy, StatusType};
use crate::cli::QueryArgs;
use crate::prefs::paths::Paths;

/// A view. Every part is optional in a hand-written file: what a view leaves out stays as the
/// request had it. Views saved by the app set every part.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    pub name: String,
    pub mode: Option<Mode>,
    /// `Some(None)`: custom mode off.
    pub custom_mode: Option<Option<CustomMode>>,
    pub status: Option<StatusType>,
    pub include_subdomains: Option<bool>,
    pub include_indirect: Option<bool>,
    /// Keep links from the target's own subdomains (the API's `exclude_internal_backlinks`
    /// turned round, like `--include-internal`).
    pub include_internal: Option<bool>,
    pub page_size: Option<u32>,
    /// `Some(None)`: no filter.
    pub filter: Option<Option<Filter>>,
    /// Empty: the API's default order.
    pub order_by: Option<Vec<OrderBy>>,
    pub columns: Option<Vec<&'static str>>,
}

impl View {
    /// Everything of `request` but its target and paging; `page_size` and `columns` beside.
    pub fn from_request(
        name: &str,
        request: &LiveRequest,
        page_size: u32,
        columns: Vec<&'static str>,
    ) -> View {
        View {
            name: name.to_owned(),
            mode: Some(request.mode.unwrap_or_default()),
            custom_mode: Some(request.custom_mode.clone()),
            status: Some(request.backlinks_status_type.unwrap_or_default()),
            include_subdomains: Some(request.include_subdomains.unwrap_or(true)),
            include_indirect: Some(request.include_indirect_links.unwrap_or(true)),
            include_internal: Some(!request.exclude_internal_backlinks.unwrap_or(true)),
            page_size: Some(request.limit.unwrap_or(page_size)),
            filter: Some(request.filters.clone()),
            order_by: Some(request.order_by.clone().unwrap_or_default()),
            columns: Some(columns),
        }
    }

    /// Sets the view's parts on `request`, leaving its target (and what the view leaves out)
    /// alone. Defaults are written the way the explorer writes them: left out of the body.
    pub fn apply(&self, request: &mut LiveRequest) {
        if let Some(m) = self.mode {
            request.mode = (m != Mode::AsIs).then_some(m);
        }
        if let Some(c) = &self.custom_mode {
            request.custom_mode.clone_from(c);
        }
        if let Some(s) = self.status {
            request.backlinks_status_type = (s != StatusType::Live).then_some(s);
        }
        if let Some(b) = self.include_subdomains {
            request.include_subdomains = (!b).then_some(false);
        }
        if let Some(b) = self.include_indirect {
            request.include_indirect_links = (!b).then_some(false);
        }
        if let Some(b) = self.include_internal {
            request.exclude_internal_backlinks = b.then_some(false);
        }
        if let Some(n) = self.page_size {
            request.limit = Some(n);
        }
        if let Some(f) = &self.filter {
            request.filters.clone_from(f);
        }
        if let Some(o) = &self.order_by {
            request.order_by = (!o.is_empty()).then(|| o.clone());
        }
    }

    /// Fills the query flags the command line left unset from the view (`export --view`):
    /// flags given explicitly win. Defaults are left out, as the explorer leaves them out.
    pub fn fill_args(&self, args: &mut QueryArgs) {
        if args.mode.is_none() {
            args.mode = self.mode.filter(|m| *m != Mode::AsIs);
        }
        if args.custom_mode.is_none() {
            args.custom_mode = self.custom_mode.clone().flatten();
        }
        if args.status.is_none() {
            args.status = self.status.filter(|s| *s != StatusType::Live);
        }
        if args.filter.is_none() {
            args.filter = self.filter.clone().flatten();
        }
        if args.order_by.is_empty() {
            args.order_by = self.order_by.clone().unwrap_or_default();
        }
        args.no_subdomains |= self.include_subdomains == Some(false);
        args.no_indirect |= self.include_indirect == Some(false);
        args.include_internal |= self.include_internal == Some(true);
        if args.page_size.is_none() {
            args.page_size = self.page_size;
        }
    }

    /// The view as the TOML a person reads.
    pub fn to_toml(&self) -> String {
        file::write(self)
    }

    /// Reads a view from TOML text; `path` names the file in errors.
    pub fn from_toml(name: &str, path: &Path, text: &str) -> Result<View, ViewError> {
        file::read(name, path, text)
    }
}

/// A view that cannot be read, written or named.
#[derive(Debug, Error)]
pub enum ViewError {
    #[error("no view called '{name}' (saved views: {known})")]
    NotFound { name: String, known: String },
    #[error("{message}")]
    BadName { message: String },
    /// With line, column and key when the file itself is wrong.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("no data folder on this system for saved views")]
    NoDataDir,
}

/// Checks a view name: it becomes a file name and a `--view` argument.
pub fn check_name(name: &str) -> Result<(), ViewError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ViewError::BadName {
            message: format!(
                "'{name}' cannot be a view name: letters, digits, - _ . only (e.g. dofollow-news)"
            ),
        })
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ViewError + '_ {
    move |source| ViewError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The view `name` from the platform's views folder.
pub fn load(name: &str) -> Result<View, ViewError> {
    let dir = Paths::from_platform(None)
        .views_dir()
        .ok_or(ViewError::NoDataDir)?;
    load_from(&dir, name)
}

/// The view `name` from `dir`.
pub fn load_from(dir: &Path, name: &str) -> Result<View, ViewError> {
    check_name(name)?;
    let path = dir.join(format!("{name}.toml"));
    match fs::read_to_string(&path) {
        Ok(text) => View::from_toml(name, &path, &text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let (views, _) = list(dir);
            let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
            Err(ViewError::NotFound {
                name: name.to_owned(),
                known: if names.is_empty() {
                    "none yet; save one with v in the explorer".into()
                } else {
                    names.join(", ")
                },
            })
        }
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// Every view in `dir`, by name, and the files that could not be read.
pub fn list(dir: &Path) -> (Vec<View>, Vec<ViewError>) {
    let mut views = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return (views, problems);
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        if check_name(name).is_err() {
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(text) => match View::from_toml(name, &path, &text) {
                Ok(v) => views.push(v),
                Err(e) => problems.push(e),
            },
            Err(e) => problems.push(io_err(&path)(e)),
        }
    }
    views.sort_by(|a, b| a.name.cmp(&b.name));
    (views, problems)
}

/// Writes `view` to `dir/<name>.toml`, replacing a view of that name.
pub fn save(dir: &Path, view: &View) -> Result<PathBuf, ViewError> {
    check_name(&view.name)?;
    let path = dir.join(format!("{}.toml", view.name));
    crate::prefs::write_atomic(&path, view.to_toml().as_bytes()).map_err(io_err(&path))?;
    Ok(path)
}

/// Removes the view `name` from `dir`.
pub fn delete(dir: &Path, name: &str) -> Result<(), ViewError> {
    check_name(name)?;
    let path = dir.join(format!("{name}.toml"));
    fs::remove_file(&path).map_err(io_err(&path))
}
