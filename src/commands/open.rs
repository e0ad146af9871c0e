//! `backlinks open FILE`: the explorer over a saved file, offline.

use crate::cli::{Cli, OpenArgs};

use super::CommandError;

pub fn run(_cli: &Cli, args: &OpenArgs) -> Result<(), CommandError> {
    Err(CommandError::Usage(format!(
        "cannot open {} yet",
        args.file.display()
    )))
}
