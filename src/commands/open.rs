//! `backlinks open FILE`: the explorer over a saved file, offline. The file is read in the
//! background, so the first screen shows while a big file is still loading; no request is
//! ever sent.

use std::path::Path;

use tokio::sync::mpsc;

use crate::api::{ApiError, LiveRequest};
use crate::app::msg::Cmd;
use crate::cli::{Cli, OpenArgs};
use crate::fetch::Page;
use crate::fetch::Source;
use crate::fetch::worker::{PageSource, Worker};
use crate::store::read::detect;

use super::CommandError;
use super::screen::{self, Setup};

/// The page source of an open file: there is none.
#[derive(Debug, Clone, Copy)]
pub struct Offline;

impl PageSource for Offline {
    async fn fetch(&self, _request: LiveRequest) -> Result<Page, ApiError> {
        Err(ApiError::Config(
            "this is a saved file: no requests are sent".into(),
        ))
    }
}

pub fn run(cli: &Cli, args: &OpenArgs) -> Result<(), CommandError> {
    // Refuse a missing or unreadable file first (the more useful message, with or without a
    // terminal), then a session without a terminal, before the screen switches.
    detect(&args.file).map_err(|e| CommandError::Usage(e.to_string()))?;
    screen::require_terminal()?;
    explore(cli, &args.file, |_| {})
}

/// The explorer over `file`; `adjust` changes the app once it is set up (`diff` puts its
/// `change` column first).
pub fn explore(
    cli: &Cli,
    file: &Path,
    adjust: impl FnOnce(&mut crate::app::App),
) -> Result<(), CommandError> {
    let setup = Setup::load(cli)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(Offline, events_tx);
        // Theme and columns as configured; no request is sent, so no history or budget.
        let mut app = setup.app(cli, Source::Demo, Vec::new(), |app| {
            app.open_file(file);
        });
        adjust(&mut app);
        let initial = vec![Cmd::LoadFile(file.to_owned())];
        screen::run(&mut app, &worker, events_rx, initial).await?;
        // The process ends now: freeing a million rows one by one would only hold up the shell
        // prompt (about half a second).
        std::mem::forget(app);
        Ok(())
    })
}
