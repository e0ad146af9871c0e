//! The commands behind `main`: each one does its own I/O.

pub mod backend;
pub mod config;
pub mod explore;
pub mod export;
pub mod open;
pub mod prefs;
pub mod screen;
pub mod serve_demo;

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

impl CommandError {
    /// 2 for what the user typed or configured, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Config(_) | CommandError::Usage(_) => 2,
            CommandError::Io(_) | CommandError::Api(_) => 1,
        }
    }
}
