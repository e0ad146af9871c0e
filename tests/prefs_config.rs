//! Settings in `config.toml`: good ones are used, bad ones are reported with file, line and key
//! and leave their default, and the app still starts.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use backlinks::cli::Cli;
use backlinks::commands::prefs;
use backlinks::config::{self, FileRule};
use backlinks::prefs::ThemeName;
use backlinks::prefs::paths::Paths;
use clap::Parser as _;
use support::*;

fn no_env(_: &str) -> Option<String> {
    None
}

fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

const BAD: &str = r#"api_url = "http://127.0.0.1:9"
page_size = 5000
colour = "dark"
theme = "blue"
columns = ["rank", "nope", "anchor"]
budget = -1
cache_ttl = "3 weeks"
budjet = 2

[keys.results]
"x" = "explode"
"hyper+q" = "quit"
"ctrl+d" = "page_down"

[keys.nowhere]
"a" = "quit"
"#;

#[test]
fn every_bad_setting_is_named_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, BAD);
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env)
        .expect("bad settings do not stop the app");
    let got: Vec<(usize, &str)> = loaded
        .problems
        .iter()
        .map(|p| (p.line, p.key.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "page_size"),
            (3, "colour"),
            (4, "theme"),
            (5, "columns"),
            (6, "budget"),
            (7, "cache_ttl"),
            (8, "budjet"),
            (11, "keys.results.\"x\""),
            (12, "keys.results.\"hyper+q\""),
            (15, "keys.nowhere"),
        ]
    );
    let text: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    let shown = path.display().to_string();
    assert!(text.iter().all(|t| t.starts_with(&shown)), "{text:#?}");
    assert!(text[0].contains(":2:13: `page_size` must be a whole number from 1 to 1000"));
    assert!(text[1].contains(":3:1: `colour` is not a setting"));
    assert!(text[3].contains(":5:20: `columns` has `nope`, which is not a field"));
    assert!(text[6].contains("did you mean `budget`?"), "{}", text[6]);
    assert!(text[7].contains("is not an action (`backlinks config --keys` lists them)"));
    // The good parts are kept, the bad ones stay at their defaults.
    let s = &loaded.settings;
    assert_eq!(s.page_size, None);
    assert_eq!(s.theme, ThemeName::Dark);
    assert_eq!(s.columns.as_deref(), Some(&["rank", "anchor"][..]));
    assert_eq!(s.budget, None);
    assert_eq!(s.cache_ttl, None);
    assert_eq!(loaded.api_url.as_deref(), Some("http://127.0.0.1:9"));
}

#[test]
fn good_settings_reach_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "page_size = 250\ntheme = \"light\"\ncolumns = [\"domain_from\", \"domain_from_country\", \"ranked_keywords_info.page_from_keywords_count_top_10\"]\ncache_ttl = \"7d\"\nbudget = 0.5\n",
    );
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.settings.cache_ttl, Some(Duration::from_hours(168)));

    let mut app = app();
    let cli = Cli::parse_from(["backlinks"]);
    let problems = prefs::apply(&mut app, &cli, &loaded, Paths::in_dir(dir.path()));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(app.query.page_size, 250);
    assert!(app.theme.light);
    assert_eq!(app.budget.limit, Some(0.5));
    let fields: Vec<_> = app.visible_columns().iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            None,
            Some("domain_from"),
            Some("domain_from_country"),
            Some("ranked_keywords_info.page_from_keywords_count_top_10")
        ]
    );
    // The flag wins over the file.
    let cli = Cli::parse_from(["backlinks", "--budget", "2", "--page-size", "100"]);
    let mut app = support::app();
    app.query.page_size = 100;
    prefs::apply(&mut app, &cli, &loaded, Paths::in_dir(dir.path()));
    assert_eq!(app.budget.limit, Some(2.0));
    assert_eq!(app.query.page_size, 100);
}

#[test]
fn a_config_with_problems_still_starts_the_explorer_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, BAD);
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    let mut app = app();
    let cli = Cli::parse_from(["backlinks"]);
    let problems = prefs::apply(&mut app, &cli, &loaded, Paths::in_dir(dir.path()));
    assert_eq!(problems.len(), 10);
    let line = prefs::status_line(&problems).unwrap();
    assert!(
        line.contains("`page_size`") && line.contains("(and 9 more"),
        "{line}"
    );
    assert_eq!(app.query.page_size, 1000, "the default stays");
}

#[test]
fn backlinks_config_prints_where_every_file_lives() {
    let home = tempfile::tempdir().unwrap();
    let path = write(&home, BAD);
    let data = home.path().join("data");
    std::fs::create_dir_all(data.join("backlinks/views")).unwrap();
    std::fs::write(data.join("backlinks/history.jsonl"), "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_backlinks"))
        .args(["config", "--config"])
        .arg(&path)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", home.path().join("cfg"))
        .env_remove("DATAFORSEO_LOGIN")
        .env_remove("DATAFORSEO_PASSWORD")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |what: &str| {
        text.lines()
            .find(|l| l.starts_with(what))
            .unwrap_or_else(|| panic!("no {what} line in\n{text}"))
            .to_owned()
    };
    assert!(line("config file").contains(&path.display().to_string()));
    assert!(line("config file").ends_with("(exists, flag --config)"));
    assert!(line("history").contains("backlinks/history.jsonl  (exists)"));
    assert!(line("views").contains("backlinks/views  (exists)"));
    assert!(line("columns").ends_with("(not there yet)"));
    assert!(line("cache").contains("pages.sqlite3"));
    assert!(line("log").contains("backlinks.log"));
    assert!(line("credentials").contains("none"));
    assert!(text.contains(":3:1: `colour` is not a setting"), "{text}");
}

#[test]
fn good_key_overrides_apply_beside_bad_ones() {
    let home = tempfile::tempdir().unwrap();
    let path = write(
        &home,
        "[keys.results]\n\"ctrl+d\" = \"page_down\"\n\"x\" = 5\n\"z\" = \"explode\"\n",
    );
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    let keys: Vec<&str> = loaded.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["keys.results.\"x\"", "keys.results.\"z\""]);
    let out = Command::new(env!("CARGO_BIN_EXE_backlinks"))
        .args(["config", "--keys", "--config"])
        .arg(&path)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let results = text.split("[keys.results]").nth(1).unwrap();
    assert!(
        results.contains("\"ctrl+d\" = \"page_down\""),
        "the good override is kept:\n{results}"
    );
}

#[test]
fn the_light_theme_changes_colours_and_no_color_still_wins() {
    use backlinks::ui::theme::Theme;
    let dark = Theme::default();
    let light = Theme {
        color: true,
        light: true,
    };
    assert_ne!(
        light.header().fg,
        dark.header().fg,
        "yellow is unreadable on white"
    );
    assert_ne!(light.selected_row().bg, dark.selected_row().bg);
    let no_color = Theme {
        color: false,
        light: true,
    };
    assert_eq!(no_color.header().fg, None);
    assert_eq!(no_color.selected_row().bg, None);
}

/// `backlinks config` in a private home holding `config_text` and a remembered column set,
/// with the environment `vars`: its stdout.
fn config_output(config_text: &str, vars: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("cfg/backlinks")).unwrap();
    std::fs::write(home.path().join("cfg/backlinks/config.toml"), config_text).unwrap();
    let data = home.path().join("data/backlinks");
    std::fs::create_dir_all(&data).unwrap();
    // What `c`, then Enter, leaves in the data dir.
    let paths = Paths::in_dir(&data);
    backlinks::persist::write_columns(&paths.columns().unwrap(), &["anchor", "url_from"]).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_backlinks"));
    cmd.arg("config")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("cfg"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("DATAFORSEO_LOGIN")
        .env_remove("DATAFORSEO_PASSWORD")
        .env_remove("DATAFORSEO_API_URL")
        .env_remove("NO_COLOR");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The line of `text` that starts with `what`, after the paths (the values in effect).
fn effective<'a>(text: &'a str, what: &str) -> &'a str {
    let values = text
        .split("\n\n")
        .nth(1)
        .expect("a block of values in effect");
    values
        .lines()
        .find(|l| l.starts_with(what))
        .unwrap_or_else(|| panic!("no {what} line in\n{text}"))
}

#[test]
fn backlinks_config_shows_each_value_in_effect_and_where_it_came_from() {
    let text = config_output(
        "api_url = \"http://127.0.0.1:9\"\npage_size = 200\nbudget = 0.5\ntheme = \"light\"\n",
        &[],
    );
    // No credentials, api_url set: the app sends there (with the demo login), not to the demo.
    let to = effective(&text, "requests to");
    assert!(
        to.contains("http://127.0.0.1:9  (api_url: config file"),
        "{text}"
    );
    assert!(!to.contains("demo simulator"), "{text}");
    assert!(effective(&text, "credentials").contains("none"), "{text}");
    assert_eq!(
        effective(&text, "page_size"),
        "page_size    200  (config file)"
    );
    // The remembered set, not "the built-in set (default)".
    assert_eq!(
        effective(&text, "columns"),
        "columns      anchor, url_from  (data dir columns.toml)"
    );
    assert_eq!(
        effective(&text, "budget"),
        "budget       $0.50  (config file)"
    );
    assert_eq!(
        effective(&text, "theme"),
        "theme        light  (config file)"
    );
    assert!(
        effective(&text, "csv guard").ends_with("on  (default)"),
        "{text}"
    );
    assert!(effective(&text, "cache").ends_with("(default)"), "{text}");
}

#[test]
fn backlinks_config_names_the_environment_and_never_the_secret() {
    let secret = "Sup3r-Secret-Pw";
    let text = config_output(
        "",
        &[
            ("DATAFORSEO_LOGIN", "me@example.com"),
            ("DATAFORSEO_PASSWORD", secret),
        ],
    );
    assert!(!text.contains(secret), "{text}");
    assert_eq!(
        effective(&text, "credentials"),
        "credentials  set  (environment DATAFORSEO_LOGIN/DATAFORSEO_PASSWORD)"
    );
    assert!(
        effective(&text, "requests to").starts_with("requests to  https://api.dataforseo.com"),
        "{text}"
    );
    let text = config_output("", &[("DATAFORSEO_API_URL", "http://127.0.0.1:9")]);
    assert!(
        effective(&text, "requests to")
            .contains("http://127.0.0.1:9  (api_url: environment DATAFORSEO_API_URL"),
        "{text}"
    );
    let text = config_output("", &[]);
    assert!(
        effective(&text, "requests to").contains("demo simulator  (default"),
        "{text}"
    );
}
