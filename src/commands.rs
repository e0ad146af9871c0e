//! The subcommands.

pub mod export;
