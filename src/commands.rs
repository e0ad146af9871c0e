//! The commands behind `main`: each one does its own I/O.

pub mod backend;
pub mod balance;
pub mod config;
pub mod diff;
pub mod disavow;
pub mod docs;
pub mod explore;
pub mod export;
pub mod open;
pub mod prefs;
pub mod screen;
pub mod serve_demo;

use std::io;

use thiserror::Error;

use crate::config::ConfigError;

/// Why a command stopped. Credentials never appear in these messages.
#[derive(Debug, Error)]
pub enum CommandError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Api(#[from] crate::api::ApiError),
}

/// Where a command's output goes: stdout, locked, written with `writeln!` so that a failed
/// write is an error the command returns rather than the panic of `println!`.
///
/// A reader that goes away early (`backlinks config --keys | head -1`) makes the next write
/// fail with `BrokenPipe`, which `main` turns into a quiet, successful exit. We keep Rust's
/// default of ignoring SIGPIPE instead of restoring the signal's default action (death):
/// being killed would skip the clean-up a command does on its way out (an export's partial
/// file and summary, the terminal restored), and the same signal would also hit writes to
/// sockets and files that are not stdout.
pub fn stdout() -> io::StdoutLock<'static> {
    io::stdout().lock()
}

impl CommandError {
    /// The reader of stdout went away (`| head`): not a failure of the command.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CommandError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// 2 for what the user typed or configured, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Config(_) | CommandError::Usage(_) => 2,
            CommandError::Io(_) | CommandError::Api(_) => 1,
        }
    }
}
