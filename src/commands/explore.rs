//! `backlinks [TARGET]`: the interactive explorer.

use std::io::Write;

use tokio::sync::mpsc;

use crate::app::query::QueryState;
use crate::cli::Cli;
use crate::fetch::worker::Worker;

use super::CommandError;
use super::backend::Backend;
use super::screen::{self, Setup};

pub fn run(cli: &Cli) -> Result<(), CommandError> {
    screen::require_terminal()?;
    let _log = crate::logging::init();
    let setup = Setup::load(cli)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let backend = Backend::choose(cli, &setup.loaded).await?;
        let (source, cache_problem) = backend.source(cli)?;
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(source, events_tx);
        let target = cli.target.as_deref().unwrap_or("");
        let mut app = setup.app(
            cli,
            backend.source.clone(),
            cache_problem.into_iter().collect(),
            |app| {
                app.query = QueryState::from_request(&cli.query.to_request(target));
            },
        );
        // The balance is read beside the first page, never before it: the app does not wait.
        let mut initial = app.read_balance();
        if cli.target.is_some() {
            initial.extend(app.run_query());
        }
        screen::run(&mut app, &worker, events_rx, initial).await?;
        if app.status.requests > 0 {
            writeln!(
                super::stdout(),
                "session: {} request{}, ${:.4}",
                app.status.requests,
                if app.status.requests == 1 { "" } else { "s" },
                app.status.session_cost
            )?;
        }
        // The process ends now: freeing every loaded row one by one would only hold up the
        // shell prompt (about half a second per million rows).
        std::mem::forget(app);
        Ok(())
    })
}
