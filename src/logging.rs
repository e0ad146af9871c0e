//! Logs go to a file in the data dir (`backlinks.log`), never to the terminal while the UI is
//! up. The level comes from `BACKLINKS_LOG` (error, warn, info, debug, trace; default info).
//! Credentials never reach a log line: the client redacts them before logging.

use std::path::PathBuf;

use tracing::Level;
use tracing_appender::non_blocking::WorkerGuard;

use crate::config;

/// Where the log file lives, if there is a data dir.
pub fn log_file() -> Option<PathBuf> {
    config::data_dir().map(|d| d.join("backlinks.log"))
}

/// Starts logging to the file; keep the guard alive until exit so lines are flushed. `None`
/// when there is no data dir or it cannot be created (the app then runs without a log).
pub fn init() -> Option<WorkerGuard> {
    let path = log_file()?;
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let level = std::env::var("BACKLINKS_LOG")
        .ok()
        .and_then(|l| l.parse::<Level>().ok())
        .unwrap_or(Level::INFO);
    let appender = tracing_appender::rolling::never(dir, "backlinks.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(level)
        .try_init()
        .ok()?;
    Some(guard)
}
