//! The built binary as a shell user runs it, for tests that include this file with
//! `#[path = "common/binary.rs"] mod binary;`.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `backlinks ARGS` run in `home` with it as HOME and its `cfg` and `data` folders as the
/// config and data folders, no DATAFORSEO_* variables (so the built-in demo answers) and no
/// stdin: what it wrote and how it ended.
pub fn backlinks(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backlinks"))
        .args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("cfg"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("DATAFORSEO_LOGIN")
        .env_remove("DATAFORSEO_PASSWORD")
        .env_remove("DATAFORSEO_API_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Output bytes as text (any invalid UTF-8 replaced), for assertions and failure messages.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
