//! What the explorer takes from `config.toml` and the data dir before it starts: theme, page
//! size, columns, budget, the history and the saved views. Problems come back as messages; none
//! of them stops the app.

use crate::app::App;
use crate::app::budget::BudgetState;
use crate::cli::Cli;
use crate::config::{Loaded, Origin};
use crate::prefs::paths::Paths;
use crate::ui::theme::Theme;
use crate::{history, persist, views};

/// The table's columns: the set remembered in the data dir (`c` then Enter), else config
/// `columns`; `None`: the built-in set.
pub fn columns(paths: &Paths, loaded: &Loaded) -> (Option<Vec<&'static str>>, Origin) {
    let remembered = paths.columns().and_then(|p| persist::read_columns(&p));
    match (remembered, &loaded.settings.columns) {
        (Some(fields), _) => (
            Some(fields),
            Origin::DataDir(crate::prefs::paths::COLUMNS_FILE),
        ),
        (None, Some(fields)) => (Some(fields.clone()), Origin::File),
        (None, None) => (None, Origin::Default),
    }
}

/// The session budget: `--budget`, else config `budget`; `None`: no budget.
pub fn budget(cli: &Cli, loaded: &Loaded) -> (Option<f64>, Origin) {
    match (cli.budget, loaded.settings.budget) {
        (Some(b), _) => (Some(b), Origin::Flag("--budget")),
        (None, Some(b)) => (Some(b), Origin::File),
        (None, None) => (None, Origin::Default),
    }
}

/// Rows per request: `--page-size`, else config `page_size`, else 1000.
pub fn page_size(cli: &Cli, loaded: &Loaded) -> (u32, Origin) {
    match (cli.query.page_size, loaded.settings.page_size) {
        (Some(n), _) => (n, Origin::Flag("--page-size")),
        (None, Some(n)) => (n, Origin::File),
        (None, None) => (crate::api::request::MAX_LIMIT, Origin::Default),
    }
}

/// Sets up `app` from the settings, the flags and the files in `paths`. Call after the query
/// pane is set from the flags and before the first query runs.
pub fn apply(app: &mut App, cli: &Cli, loaded: &Loaded, paths: Paths) -> Vec<String> {
    let settings = &loaded.settings;
    let mut problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    app.theme = Theme::named(settings.theme);
    if let (n, Origin::File) = page_size(cli, loaded) {
        app.query.page_size = n; // a flag's is already in the query pane
    }
    if let (Some(fields), _) = columns(&paths, loaded) {
        app.set_columns(&fields);
    }
    app.budget = BudgetState::new(budget(cli, loaded).0);
    if let Some(path) = paths.history() {
        match history::load(&path) {
            Ok((entries, bad)) => {
                app.history.entries = entries;
                if bad > 0 {
                    problems.push(format!(
                        "{}: {bad} line{} could not be read and {} skipped",
                        path.display(),
                        if bad == 1 { "" } else { "s" },
                        if bad == 1 { "was" } else { "were" }
                    ));
                }
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if let Some(dir) = paths.views_dir() {
        let (list, bad) = views::list(&dir);
        app.views.list = list;
        problems.extend(bad.iter().map(ToString::to_string));
    }
    app.paths = paths;
    problems
}

/// One line for the status bar: the first problem, and how many more there are.
pub fn status_line(problems: &[String]) -> Option<String> {
    let first = problems.first()?;
    Some(match problems.len() {
        1 => first.clone(),
        n => format!(
            "{first} (and {} more: `backlinks config` lists them)",
            n - 1
        ),
    })
}
