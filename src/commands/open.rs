//! `backlinks open FILE`: the explorer over a saved file, offline. The file is read in the
//! background, so the first screen shows while a big file is still loading; no request is
//! ever sent.

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::api::{ApiError, LiveRequest};
use crate::app::App;
use crate::app::msg::{Cmd, Page};
use crate::app::status::Source;
use crate::cli::{Cli, OpenArgs};
use crate::config;
use crate::store::read::detect;
use crate::ui::theme::Theme;
use crate::worker::{PageSource, Worker};
use crate::{runtime, terminal};

use super::explore::keymap;
use super::{CommandError, prefs};
use crate::prefs::paths::Paths;

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
    // Refuse a missing or unreadable file before the screen switches.
    detect(&args.file).map_err(|e| CommandError::Usage(e.to_string()))?;
    let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    let (keymap, problems) = keymap(&loaded);
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(Offline, events_tx);
        let mut app = App::new(Source::Demo, keymap);
        app.theme = Theme::from_env();
        app.open_file(&args.file);
        let mut problems = problems;
        // Theme and columns as configured; no request is sent, so no history or budget.
        let paths = Paths::from_platform(cli.config.as_deref());
        problems.extend(prefs::apply(&mut app, cli, &loaded, paths));
        app.status.error = prefs::status_line(&problems);
        let mut term = terminal::init()?;
        let input = crossterm::event::EventStream::new().boxed();
        let result = runtime::run(
            &mut term,
            &mut app,
            input,
            &worker,
            events_rx,
            vec![Cmd::LoadFile(args.file.clone())],
            |_| {},
        )
        .await;
        terminal::restore();
        result?;
        // The process ends now: freeing a million rows one by one would only hold up the shell
        // prompt (about half a second).
        std::mem::forget(app);
        Ok(())
    })
}
