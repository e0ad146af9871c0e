//! Saved views: a query without its target, saved from the explorer as a TOML file a person can
//! read, reloaded and applied to another target — the same request but for the target.

mod support;

use std::time::SystemTime;

use backlinks::api::LiveRequest;
use backlinks::app::App;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::prefs::paths::Paths;
use backlinks::views::{self, View, ViewError};
use backlinks::{cli, persist};
use crossterm::event::KeyCode;
use serde_json::Value;
use support::*;

/// Runs the app's writes the way the runtime does, feeding the outcome back.
fn carry_out(app: &mut App, cmds: Vec<Cmd>) {
    for cmd in cmds {
        if let Cmd::Persist(p) = cmd {
            let outcome = persist::execute(*p, SystemTime::UNIX_EPOCH);
            app.update(Msg::Persisted(outcome));
        }
    }
}

/// An app with every query setting away from its default, a filter, a sort and columns.
fn app_with_a_shaped_query(dir: &std::path::Path) -> (App, LiveRequest) {
    let mut app = app();
    app.paths = Paths::in_dir(dir);
    app.query.mode = backlinks::api::request::Mode::OnePerDomain;
    app.query.status = backlinks::api::request::StatusType::All;
    app.query.include_subdomains = false;
    app.query.exclude_internal = false;
    app.query.page_size = 250;
    app.query.filter = Some(
        cli::parse_filter(
            r#"dofollow = true and (anchor ilike "%news%" or domain_from_rank >= 500)"#,
        )
        .unwrap(),
    );
    app.query.order_by = vec!["domain_from_rank,desc".parse().unwrap()];
    app.set_columns(&["domain_from", "anchor", "domain_from_country"]);
    let first = run_target(&mut app, "forbes.com");
    (app, first.request)
}

fn without(mut v: Value, keys: &[&str]) -> Value {
    for k in keys {
        v.as_object_mut().unwrap().remove(*k);
    }
    v
}

#[test]
fn a_saved_view_reloaded_and_applied_to_another_target_sends_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, original) = app_with_a_shaped_query(dir.path());

    // v, s, a name, Enter.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "dofollow-news");
    let cmds = key(&mut app, KeyCode::Enter);
    carry_out(&mut app, cmds);
    let file = dir.path().join("views/dofollow-news.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("mode = \"one_per_domain\""), "{text}");
    assert!(
        text.contains(
            r#"filter = 'dofollow = true and (anchor ilike "%news%" or domain_from_rank >= 500)'"#
        ) || text.contains(
            r#"filter = "dofollow = true and (anchor ilike \"%news%\" or domain_from_rank >= 500)""#
        ),
        "{text}"
    );
    assert!(
        !text.contains("forbes.com"),
        "a view has no target:\n{text}"
    );

    // Reloaded from disk and applied headless, as `export --view` does.
    let view = views::load_from(&dir.path().join("views"), "dofollow-news").unwrap();
    assert_eq!(
        view.columns.as_deref(),
        Some(&["domain_from", "anchor", "domain_from_country"][..])
    );
    let mut other = LiveRequest::new("example.org");
    view.apply(&mut other);
    let sent = serde_json::to_value(&original).unwrap();
    let mut expected = without(sent.clone(), &["offset"]);
    expected["target"] = "example.org".into();
    assert_eq!(serde_json::to_value(&other).unwrap(), expected);

    // And in a fresh explorer: the target, Tab to the controls, v, Enter on the view.
    let mut fresh = app_in(dir.path());
    typed(&mut fresh, "example.org");
    key(&mut fresh, KeyCode::Tab);
    key(&mut fresh, KeyCode::Char('v'));
    let cmds = key(&mut fresh, KeyCode::Enter);
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1, "{cmds:?}");
    let body = serde_json::to_value(&f[0].request).unwrap();
    assert_eq!(body["target"], "example.org");
    assert_eq!(without(body, &["target"]), without(sent, &["target"]));
    let fields: Vec<_> = fresh
        .visible_columns()
        .iter()
        .filter_map(|c| c.field)
        .collect();
    assert_eq!(fields, ["domain_from", "anchor", "domain_from_country"]);
}

/// A new app that reads the views in `dir` like the explorer does at start.
fn app_in(dir: &std::path::Path) -> App {
    let mut app = app();
    let paths = Paths::in_dir(dir);
    app.views.list = views::list(&paths.views_dir().unwrap()).0;
    app.paths = paths;
    app
}

#[test]
fn a_hand_written_view_sets_only_what_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost.toml");
    std::fs::write(
        &path,
        "status = \"lost\"\norder_by = [\"first_seen,desc\"]\n",
    )
    .unwrap();
    let view = views::load_from(dir.path(), "lost").unwrap();
    let mut r = LiveRequest::new("x.com");
    r.include_subdomains = Some(false);
    view.apply(&mut r);
    let body = serde_json::to_value(&r).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"target":"x.com","backlinks_status_type":"lost",
            "order_by":["first_seen,desc"],"include_subdomains":false})
    );
}

#[test]
fn mistakes_in_a_view_file_are_placed_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(format!("{name}.toml")), text).unwrap();
    };
    write("a", "mode = \"as_is\"\nfilter = \"rank >\"\n");
    write("b", "mode = \"as_is\"\ncolour = 1\n");
    write("c", "order_by = [\"rank,desc\", \"nope,asc\"]\n");
    let msg = |name: &str| views::load_from(dir.path(), name).unwrap_err().to_string();
    assert!(
        msg("a").contains("a.toml:2:10: `filter`: expected a value"),
        "{}",
        msg("a")
    );
    assert!(msg("b").contains("b.toml:2:1:"), "{}", msg("b"));
    assert!(
        msg("c").contains("c.toml:1:26: `order_by`: unknown field 'nope'"),
        "{}",
        msg("c")
    );
    let missing = views::load_from(dir.path(), "zzz").unwrap_err();
    assert!(matches!(missing, ViewError::NotFound { .. }));
    assert!(missing.to_string().contains("a, b, c") || missing.to_string().contains("saved views"));
    assert!(views::check_name("../etc").is_err());
    assert!(views::check_name("dofollow-news_2").is_ok());
}

#[test]
fn a_view_round_trips_through_its_file() {
    let mut r = LiveRequest::new("x.com");
    r.custom_mode = Some(backlinks::api::request::CustomMode {
        field: "domain_from".into(),
        value: 3,
    });
    r.filters = Some(cli::parse_filter(r#"anchor like "say \"hi\"%""#).unwrap());
    let view = View::from_request("v1", &r, 500, vec!["rank", "anchor"]);
    let text = view.to_toml();
    let back = View::from_toml("v1", std::path::Path::new("v1.toml"), &text).unwrap();
    assert_eq!(back, view, "{text}");
}

#[test]
fn export_with_a_view_sends_the_view_s_request() {
    let dir = tempfile::tempdir().unwrap();
    let (app, original) = app_with_a_shaped_query(dir.path());
    let view = app.current_view("news");
    // `export example.org --view news`: the view fills the flags left unset.
    let mut args = backlinks::cli::QueryArgs::default();
    view.fill_args(&mut args);
    let request = args.to_request("example.org");
    let mut expected = without(serde_json::to_value(&original).unwrap(), &["offset"]);
    expected["target"] = "example.org".into();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
    // A flag given on the command line wins over the view.
    let mut args = backlinks::cli::QueryArgs {
        page_size: Some(10),
        ..Default::default()
    };
    view.fill_args(&mut args);
    assert_eq!(args.to_request("x.com").limit, Some(10));
}

#[test]
fn backlinks_export_reads_the_view_from_the_data_dir() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let views_dir = data.join("backlinks/views");
    std::fs::create_dir_all(&views_dir).unwrap();
    std::fs::write(
        views_dir.join("dofollow.toml"),
        "filter = \"dofollow = true\"\npage_size = 100\n",
    )
    .unwrap();
    let out = home.path().join("out.jsonl");
    let run = |view: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_backlinks"))
            .args([
                "export",
                "example.org",
                "--max-rows",
                "50",
                "--demo",
                "--no-cache",
                "--view",
                view,
                "--output",
            ])
            .arg(&out)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .env("XDG_CONFIG_HOME", home.path().join("cfg"))
            .output()
            .unwrap()
    };
    let bad = run("nope");
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no view called 'nope' (saved views: dofollow)"),
        "{err}"
    );
    let good = run("dofollow");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 50);
    assert!(
        rows.iter().all(|r| r["dofollow"] == true),
        "the view's filter was sent"
    );
}
