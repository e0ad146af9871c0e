//! What the explorer (`backlinks [TARGET]`) and `backlinks open FILE` share: the config and
//! key bindings, the app with the user's preferences, and the screen — raw mode on, the loop,
//! raw mode off whatever happened.

use std::io::{self, IsTerminal};

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::msg::Cmd;
use crate::cli::Cli;
use crate::config::{self, Loaded};
use crate::fetch::Event;
use crate::fetch::Source;
use crate::fetch::worker::Worker;
use crate::keymap::Keymap;
use crate::prefs::paths::Paths;
use crate::{runtime, terminal};

use super::{CommandError, prefs};

/// The config file, read once, and the key bindings it makes.
pub struct Setup {
    pub loaded: Loaded,
    keymap: Keymap,
}

impl Setup {
    pub fn load(cli: &Cli) -> Result<Setup, CommandError> {
        let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
        crate::store::csv::set_formula_guard(loaded.settings.csv_formula_guard != Some(false));
        let keymap = Keymap::from_config(&loaded.table);
        Ok(Setup { loaded, keymap })
    }

    /// A new app, set up by `prepare` (the command's own part), then given the configured
    /// theme, columns and budget. The config's problems (and `more`) go to stderr now and to
    /// the status bar once the screen is up.
    pub fn app(
        &self,
        cli: &Cli,
        source: Source,
        more: Vec<String>,
        prepare: impl FnOnce(&mut App),
    ) -> App {
        let mut app = App::new(source, self.keymap.clone());
        prepare(&mut app);
        let mut problems: Vec<String> = self
            .loaded
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect();
        problems.extend(more);
        let paths = Paths::from_platform(cli.config.as_deref());
        problems.extend(prefs::apply(&mut app, cli, &self.loaded, paths));
        for p in &problems {
            eprintln!("backlinks: {p}");
        }
        app.status.error = prefs::status_line(&problems);
        app
    }
}

/// Refuses to start the explorer without a terminal to draw on and read keys from (a pipe, a
/// cron job, CI): one line naming what works there instead, and status 2.
pub fn require_terminal() -> Result<(), CommandError> {
    if io::stdin().is_terminal() && io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CommandError::Usage(
        "the explorer needs a terminal, and stdin or stdout is not one; use \
         the headless commands: `backlinks export`, `backlinks disavow`, `backlinks balance`, \
         `backlinks config`, `backlinks serve-demo` (see `backlinks --help`)"
            .into(),
    ))
}

/// Runs the app on the terminal until it quits; the terminal is restored on every way out
/// (a panic too: `terminal::init` installs the hook).
pub async fn run(
    app: &mut App,
    worker: &Worker,
    events: mpsc::UnboundedReceiver<Event>,
    initial: Vec<Cmd>,
) -> Result<(), CommandError> {
    let mut term = terminal::init()?;
    let input = crossterm::event::EventStream::new().boxed();
    let result = runtime::run(&mut term, app, input, worker, events, initial, |_| {}).await;
    terminal::restore();
    Ok(result?)
}
