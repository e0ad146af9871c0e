//! `backlinks [TARGET]`: the interactive explorer.

use std::collections::BTreeMap;

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::query::QueryState;
use crate::cli::Cli;
use crate::config::{self, Loaded};
use crate::keymap::Keymap;
use crate::ui::theme::Theme;
use crate::worker::Worker;
use crate::{runtime, terminal};

use super::backend::Backend;
use super::{CommandError, prefs};
use crate::prefs::paths::Paths;

/// Key bindings with the config's `[keys.<pane>]` overrides. Bad entries are skipped here;
/// `prefs` reports each one with its line (`Loaded::problems`).
pub(super) fn keymap(loaded: &Loaded) -> (Keymap, Vec<String>) {
    let mut km = Keymap::defaults();
    // Only the entries that are strings, so one wrong value does not drop its whole pane.
    let table: BTreeMap<String, BTreeMap<String, String>> = loaded
        .table
        .get("keys")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .filter_map(|(pane, bindings)| {
            let bindings = bindings.as_table()?;
            let strings = bindings
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect();
            Some((pane.clone(), strings))
        })
        .collect();
    let _ = km.apply(&table);
    (km, Vec::new())
}

pub fn run(cli: &Cli) -> Result<(), CommandError> {
    let _log = crate::logging::init();
    let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    let (keymap, mut problems) = keymap(&loaded);
    problems.extend(loaded.warnings.iter().map(ToString::to_string));
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let backend = Backend::choose(cli, &loaded).await?;
        let (source, cache_problem) = backend.source(cli)?;
        problems.extend(cache_problem);
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(source, events_tx);

        let mut app = App::new(backend.source.clone(), keymap);
        app.theme = Theme::from_env();
        let target = cli.target.as_deref().unwrap_or("");
        app.query = QueryState::from_request(&cli.query.to_request(target));
        let paths = Paths::from_platform(cli.config.as_deref());
        problems.extend(prefs::apply(&mut app, cli, &loaded, paths));
        for p in &problems {
            eprintln!("backlinks: {p}");
        }
        app.status.error = prefs::status_line(&problems);
        let initial = if cli.target.is_some() {
            app.run_query()
        } else {
            Vec::new()
        };

        let mut term = terminal::init()?;
        let input = crossterm::event::EventStream::new().boxed();
        let result = runtime::run(
            &mut term,
            &mut app,
            input,
            &worker,
            events_rx,
            initial,
            |_| {},
        )
        .await;
        terminal::restore();
        result?;
        if app.status.requests > 0 {
            println!(
                "session: {} request{}, ${:.4}",
                app.status.requests,
                if app.status.requests == 1 { "" } else { "s" },
                app.status.session_cost
            );
        }
        // The process ends now: freeing every loaded row one by one would only hold up the
        // shell prompt (about half a second per million rows).
        std::mem::forget(app);
        Ok(())
    })
}
