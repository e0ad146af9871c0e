//! What the explorer takes from `config.toml` and the data dir before it starts: theme, page
//! size, columns, budget, the history and the saved views. Problems come back as messages; none
//! of them stops the app.

use crate::app::App;
use crate::app::budget::BudgetState;
use crate::cli::Cli;
use crate::config::Loaded;
use crate::prefs::paths::Paths;
use crate::ui::theme::Theme;
use crate::{history, persist, views};

/// Sets up `app` from the settings, the flags and the files in `paths`. Call after the query
/// pane is set from the flags and before the first query runs.
pub fn apply(app: &mut App, cli: &Cli, loaded: &Loaded, paths: Paths) -> Vec<String> {
    let settings = &loaded.settings;
    let mut problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    app.theme = Theme::named(settings.theme);
    if cli.query.page_size.is_none()
        && let Some(n) = settings.page_size
    {
        app.query.page_size = n;
    }
    let remembered = paths.columns().and_then(|p| persist::read_columns(&p));
    if let Some(fields) = remembered.as_ref().or(settings.columns.as_ref()) {
        app.set_columns(fields);
    }
    app.budget = BudgetState::new(cli.budget.or(settings.budget));
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
