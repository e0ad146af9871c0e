//! The command line as a shell user meets it: the built binary, spawned with pipes.

use std::io;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `backlinks ARGS` with a private home (no config, no cache, no history of the user's) and
/// no credentials: the demo.
fn backlinks(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backlinks"));
    cmd.args(args);
    private_home(cmd, home)
}

/// `backlinks ARGS | …` under bash with `pipefail`: `pipeline` follows the binary's path.
fn piped(home: &Path, pipeline: &str) -> Command {
    let mut cmd = Command::new("bash");
    cmd.args([
        "-c",
        &format!(r#"set -o pipefail; "$0" {pipeline}"#),
        env!("CARGO_BIN_EXE_backlinks"),
    ]);
    private_home(cmd, home)
}

/// A private HOME and data folders, and no credentials (so the built-in demo answers).
fn private_home(mut cmd: Command, home: &Path) -> Command {
    cmd.env("HOME", home)
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
    let out = piped(home.path(), "config --keys | head -1")
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
        "backlinks disavow",
        "backlinks balance",
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

/// `export forbes.com --max-rows 5 -o OUTPUT [ARGS]` against the built-in demo, run in `dir`.
fn export(home: &Path, dir: &Path, output: &str, args: &[&str]) -> Output {
    let mut all = vec!["export", "forbes.com", "--max-rows", "5", "-o", output];
    all.extend_from_slice(args);
    backlinks(home, &all).current_dir(dir).output().unwrap()
}

#[test]
fn export_to_stdout_writes_exactly_the_rows_in_each_format() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // `-o -` is CSV unless --format says otherwise.
    for (format, args) in [
        ("csv", &[][..]),
        ("tsv", &["--format", "tsv"][..]),
        ("jsonl", &["--format", "jsonl"][..]),
        ("json", &["--format", "json"][..]),
    ] {
        let streamed = export(home.path(), dir.path(), "-", args);
        assert_eq!(streamed.status.code(), Some(0), "{format}: {streamed:?}");
        let stdout = text(&streamed.stdout);
        let stderr = text(&streamed.stderr);
        assert!(stderr.contains("wrote 5 rows to stdout"), "{stderr}");
        assert!(
            !stdout.contains("backlinks export"),
            "messages stay on stderr"
        );

        // The same bytes a file export of the same query holds (JSON: the same items; its
        // head has the time of the run).
        let file = dir.path().join(format!("set.{format}"));
        let saved = export(home.path(), dir.path(), file.to_str().unwrap(), &[]);
        assert_eq!(saved.status.code(), Some(0), "{saved:?}");
        let saved = std::fs::read_to_string(&file).unwrap();
        if format == "json" {
            let items = |t: &str| {
                let v: serde_json::Value = serde_json::from_str(t).unwrap();
                assert_eq!(v["total_count"], 46_873, "{t}");
                v["items"].as_array().unwrap().clone()
            };
            assert_eq!(items(&stdout).len(), 5);
            assert_eq!(items(&stdout), items(&saved));
        } else {
            assert_eq!(stdout, saved, "{format}");
            let rows = stdout.lines().count() - usize::from(format != "jsonl");
            assert_eq!(rows, 5, "{format}:\n{stdout}");
        }
        std::fs::remove_file(&file).unwrap();
        std::fs::remove_file(format!("{}.manifest.json", file.display())).unwrap();
    }
    // Neither a file called `-` nor a manifest: the folder is empty again.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn export_to_stdout_writes_a_manifest_only_when_asked() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = export(
        home.path(),
        dir.path(),
        "-",
        &["--format", "jsonl", "--manifest", "run.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(text(&out.stdout).lines().count(), 5);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(m["rows"], 5);
    assert_eq!(m["output"], "-");
    assert_eq!(m["status"], "complete");
}

/// The `N requests` of the summary line on stderr.
fn requests(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.contains("stdout was closed"))
        .unwrap_or_else(|| panic!("no stop line in:\n{stderr}"));
    let before = line.split(" request").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn export_to_stdout_piped_into_head_stops_fetching() {
    let home = tempfile::tempdir().unwrap();
    // 200 pages of 100 rows were asked for; `head` wants three lines.
    let out = piped(
        home.path(),
        "export forbes.com -o - --page-size 100 --max-rows 20000 --yes | head -3",
    )
    .output()
    .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{out:?}");
    let rows = text(&out.stdout);
    assert_eq!(rows.lines().count(), 3);
    assert!(rows.starts_with("type,domain_from,"), "{rows}");
    let stderr = text(&out.stderr);
    // The first page and at most the pages already in flight: nothing after the write failed.
    assert!(requests(&stderr) <= 1 + 2 * 8, "{stderr}");
}

#[test]
fn export_into_a_closed_stdout_pays_for_the_first_page_only() {
    let home = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(
        home.path(),
        &[
            "export",
            "forbes.com",
            "-o",
            "-",
            "--page-size",
            "100",
            "--max-rows",
            "20000",
            "--yes",
        ],
    );
    assert_no_panic(&out);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(requests(&text(&out.stderr)), 1);
}

/// The long flags `backlinks ARGS --help` lists.
fn flags(args: &[&str]) -> Vec<String> {
    let home = tempfile::tempdir().unwrap();
    let mut all = args.to_vec();
    all.push("--help");
    let out = backlinks(home.path(), &all)
        .env("DATAFORSEO_API_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let help = text(&out.stdout);
    assert!(
        !help.contains("127.0.0.1:9"),
        "the variable's value is not shown:\n{help}"
    );
    help.split_whitespace()
        .filter(|w| w.starts_with("--"))
        .map(|w| w.trim_end_matches([',', '.']).to_owned())
        .collect()
}

const SOURCE: [&str; 4] = ["--api-url", "--demo", "--no-cache", "--refresh"];
const QUERY: [&str; 4] = ["--mode", "--filter", "--order-by", "--page-size"];

#[test]
fn each_help_lists_only_the_flags_its_command_uses() {
    let has = |flags: &[String], f: &str| flags.iter().any(|g| g == f);
    let open = flags(&["open"]);
    for f in SOURCE.iter().chain(&QUERY).chain(&["--budget"]) {
        assert!(!has(&open, f), "open lists {f}: {open:?}");
    }
    assert!(has(&open, "--config"));

    let serve = flags(&["serve-demo"]);
    for f in SOURCE.iter().chain(&QUERY).chain(&["--config", "--budget"]) {
        assert!(!has(&serve, f), "serve-demo lists {f}: {serve:?}");
    }
    assert!(has(&serve, "--latency-ms"));

    let config = flags(&["config"]);
    for f in SOURCE.iter().chain(&QUERY) {
        assert!(!has(&config, f), "config lists {f}: {config:?}");
    }
    assert!(has(&config, "--keys") && has(&config, "--config"));

    // The explorer and export share the query and source flags.
    let explorer = flags(&[]);
    let export = flags(&["export"]);
    for f in SOURCE.iter().chain(&QUERY).chain(&["--config", "--budget"]) {
        assert!(has(&explorer, f), "the explorer lacks {f}: {explorer:?}");
        assert!(has(&export, f), "export lacks {f}: {export:?}");
    }
    assert!(!has(&explorer, "--keys") && !has(&export, "--keys"));
    assert!(!has(&explorer, "--output") && has(&export, "--output"));
}

#[test]
fn the_api_url_variable_is_named_without_looking_empty() {
    let home = tempfile::tempdir().unwrap();
    for env in [None, Some("http://127.0.0.1:9")] {
        let mut cmd = backlinks(home.path(), &["export", "--help"]);
        if let Some(v) = env {
            cmd.env("DATAFORSEO_API_URL", v);
        }
        let help = text(&cmd.output().unwrap().stdout);
        assert!(help.contains("[env: DATAFORSEO_API_URL]"), "{help}");
        assert!(!help.contains("DATAFORSEO_API_URL="), "{help}");
    }
}

#[test]
fn a_flag_of_another_command_is_refused() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["serve-demo", "--demo"][..],
        &["open", "x.csv", "--no-cache"],
        &["config", "--api-url", "http://127.0.0.1:9"],
        &["--refresh", "config"],
    ] {
        let out = backlinks(home.path(), args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("error:"), "{args:?}: {err}");
        assert!(
            !err.contains("terminal"),
            "refused as a flag, not run: {err}"
        );
    }
}

#[test]
fn completions_for_every_shell_and_bash_accepts_its_script() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = backlinks(home.path(), &["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = text(&out.stdout);
        for word in ["backlinks", "export", "output", "serve-demo"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        if shell == "bash" {
            let file = home.path().join("backlinks.bash");
            std::fs::write(&file, &script).unwrap();
            let check = Command::new("bash").arg("-n").arg(&file).output().unwrap();
            assert!(check.status.success(), "bash -n: {}", text(&check.stderr));
        }
    }
    let out = with_closed_stdout(home.path(), &["completions", "zsh"]);
    assert_no_panic(&out);
    assert!(out.status.success());
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let out = backlinks(home.path(), &["man"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = text(&out.stdout);
    assert!(page.starts_with(".TH backlinks 1"), "{}", &page[..80]);
    for sub in [
        "SERVE-DEMO",
        "EXPORT",
        "OPEN",
        "CONFIG",
        "COMPLETIONS",
        "MAN",
    ] {
        assert!(
            page.contains(&format!(".SH \"BACKLINKS {sub}\"")),
            "no section for {sub}"
        );
    }
    // The subcommands' own flags are in it, roff-escaped.
    assert!(page.contains("\\-\\-manifest") && page.contains("\\-\\-latency\\-ms"));
}

#[test]
fn version_prints_the_version() {
    let home = tempfile::tempdir().unwrap();
    let out = backlinks(home.path(), &["--version"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("backlinks {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn export_progress_is_hidden_when_stderr_is_not_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = backlinks(
        home.path(),
        &[
            "export",
            "forbes.com",
            "--max-rows",
            "3000",
            "--page-size",
            "1000",
            "-o",
            "set.csv",
        ],
    )
    .current_dir(dir.path())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = text(&out.stderr);
    // What it will cost before, what it did after; no bar, no redraws, no progress lines.
    assert!(stderr.contains("wrote 3,000 rows"), "{stderr}");
    for noise in ["rows/s", "\r", "█", "left"] {
        assert!(!stderr.contains(noise), "{noise:?} in:\n{stderr}");
    }
}

/// `export forbes.com --max-rows 3000 --budget 0.06 -o OUTPUT` run in `dir`: the first page
/// costs $0.05 and the other two $0.10, so the rest crosses the budget.
const PAST_THE_BUDGET: [&str; 8] = [
    "export",
    "forbes.com",
    "--max-rows",
    "3000",
    "--budget",
    "0.06",
    "-o",
    "out.csv",
];

/// [`PAST_THE_BUDGET`] with stdin and stderr a terminal (util-linux `script` gives it a
/// pseudo-terminal) on which the user has typed `typed`. The output is the terminal's.
fn export_at_a_terminal(home: &Path, dir: &Path, typed: &str) -> Output {
    use std::io::Write as _;
    let command = format!(
        "'{}' {}",
        env!("CARGO_BIN_EXE_backlinks"),
        PAST_THE_BUDGET.join(" ")
    );
    let cmd = Command::new("script");
    let mut cmd = private_home(cmd, home);
    cmd.args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("util-linux `script` runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn export_past_the_budget_asks_at_a_terminal() {
    let question = "the rest is 2,000 rows to fetch in 2 requests, about $0.10; that is $0.09 past \
                    your $0.06 budget (spent $0.05). Fetch it? [y/N]";
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let yes = export_at_a_terminal(home.path(), dir.path(), "y\n");
    let screen = text(&yes.stdout);
    assert_eq!(yes.status.code(), Some(0), "{screen}");
    assert!(screen.contains(question), "{screen}");
    assert!(screen.contains("wrote 3,000 rows to out.csv"), "{screen}");

    let no = export_at_a_terminal(home.path(), dir.path(), "n\n");
    let screen = text(&no.stdout);
    assert_eq!(no.status.code(), Some(3), "{screen}");
    assert!(screen.contains(question), "{screen}");
    assert!(screen.contains("you said no"), "{screen}");
    assert!(
        screen.contains("kept 1,000 rows to out.csv ($0.0500, 1 request"),
        "{screen}"
    );
}

#[test]
fn export_past_the_budget_without_a_terminal_needs_yes() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = backlinks(home.path(), &PAST_THE_BUDGET)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(!err.contains("[y/N]"), "nobody to ask: {err}");
    assert!(
        err.contains("is above the budget $0.06 by $0.09; run again with --yes"),
        "{err}"
    );
    assert!(err.contains("kept 1,000 rows"), "{err}");
}
