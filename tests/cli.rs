//! The command line as a shell user meets it: the built binary, spawned with pipes.

use std::io;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `backlinks ARGS` with a private home (no config, no cache, no history of the user's) and
/// no credentials: the demo.
fn backlinks(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backlinks"));
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("cfg"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("DATAFORSEO_LOGIN")
        .env_remove("DATAFORSEO_PASSWORD")
        .env_remove("DATAFORSEO_API_URL")
        .stdin(Stdio::null());
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe") && !err.contains("backtrace"),
        "panic text on stderr:\n{err}"
    );
}

/// Runs `args` with stdout a pipe whose reader is already gone: the very first write fails.
fn with_closed_stdout(home: &Path, args: &[&str]) -> Output {
    let (reader, writer) = io::pipe().unwrap();
    drop(reader);
    backlinks(home, args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn config_keys_into_a_closed_pipe_exits_quietly() {
    let home = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(home.path(), &["config", "--keys"]);
    assert_no_panic(&out);
    assert!(out.status.success(), "exit {:?}", out.status.code());
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn config_into_a_closed_pipe_exits_quietly() {
    let home = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(home.path(), &["config"]);
    assert_no_panic(&out);
    assert!(out.status.success(), "exit {:?}", out.status.code());
}

#[test]
fn config_keys_piped_into_head_gives_the_first_line() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .args([
            "-c",
            r#"set -o pipefail; "$0" config --keys | head -1"#,
            env!("CARGO_BIN_EXE_backlinks"),
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("cfg"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "exit {:?}", out.status.code());
    assert_eq!(text(&out.stdout), "[keys.global]\n");
}

/// The explorer with stdin and stdout piped: one line on stderr, naming the headless
/// commands, and status 2 — before any config is read or any request is sent.
fn assert_needs_a_terminal(out: &Output) {
    assert_no_panic(out);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(text(&out.stdout), "", "nothing drawn on a pipe");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line:\n{err}");
    for what in [
        "terminal",
        "backlinks export",
        "backlinks config",
        "serve-demo",
    ] {
        assert!(err.contains(what), "{what} missing from: {err}");
    }
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn the_explorer_without_a_terminal_says_so() {
    let home = tempfile::tempdir().unwrap();
    for args in [&[][..], &["forbes.com"], &["--demo", "x.com"]] {
        let out = backlinks(home.path(), args)
            .stdin(Stdio::piped())
            .output()
            .unwrap();
        assert_needs_a_terminal(&out);
    }
}

#[test]
fn open_without_a_terminal_says_so() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("set.jsonl");
    std::fs::write(&file, "").unwrap();
    let out = backlinks(home.path(), &["open", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_needs_a_terminal(&out);
}
