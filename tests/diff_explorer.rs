//! The explorer over a diff, as `backlinks diff OLD NEW` opens it on a terminal: the diff's
//! rows written to JSONL, read back by `open`'s reader, `change` as the first column.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use backlinks::api::Backlink;
use backlinks::app::App;
use backlinks::app::columns::change_first;
use backlinks::app::msg::{Cmd, LoadEvent, Msg};
use backlinks::diff::Diff;
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::store::{Format, ReadEvent, SetEnd, SetMeta, SetWriter, read_file, write_set};
use backlinks::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{ctrl, key, typed};

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal
}

/// OLD and NEW of forbes.com: 3 lost, 4 new, 2 changed (dofollow; status and broken).
fn sets(dir: &Path) -> (PathBuf, PathBuf) {
    let base = generate(
        "forbes.com",
        &DatasetConfig {
            seed: 3,
            rows: Some(40),
        },
    );
    let old: Vec<Backlink> = base[..36].to_vec();
    let mut new: Vec<Backlink> = base[3..].to_vec();
    new[0].dofollow = Some(!new[0].dofollow.unwrap_or(false));
    new[1].url_to_status_code = Some(404);
    new[1].is_broken = Some(true);
    let meta = SetMeta::default();
    let (a, b) = (dir.join("march.jsonl"), dir.join("april.jsonl"));
    write_set(&a, Format::Jsonl, &meta, &old).unwrap();
    write_set(&b, Format::Jsonl, &meta, &new).unwrap();
    (a, b)
}

/// The explorer over the diff of `sets`, every row loaded.
fn explorer(dir: &Path) -> App {
    let (a, b) = sets(dir);
    let diff = Diff::of(&a, &b).unwrap();
    assert_eq!(
        diff.summary().to_string(),
        "4 new, 3 lost, 2 changed, 31 unchanged"
    );
    let path = dir.join("march.jsonl → april.jsonl");
    let mut w = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    diff.write(&mut w).unwrap();
    w.finish(&SetEnd::default()).unwrap();

    let mut app = App::new(Source::Demo, Keymap::defaults());
    app.set_clock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096));
    app.open_file(&path);
    change_first(&mut app.columns);
    read_file(&path, 1000, |ev| {
        let msg = match ev {
            ReadEvent::Rows(rows) => LoadEvent::Rows(rows),
            ReadEvent::Meta(m) => LoadEvent::Meta(m),
            ReadEvent::BadLine { line, reason } => LoadEvent::BadLine { line, reason },
        };
        app.update(Msg::FileLoad(msg));
        true
    })
    .unwrap();
    app.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    app
}

fn changes(app: &App) -> Vec<String> {
    app.results
        .rows
        .iter()
        .map(|r| r.change.clone().unwrap_or_default())
        .collect()
}

#[test]
fn the_diff_explorer_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = explorer(dir.path());
    insta::assert_snapshot!(draw(&mut app, 80, 24).backend());
}

#[test]
fn the_help_explains_the_change_markers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = explorer(dir.path());
    key(&mut app, KeyCode::Char('?'));
    let help: Vec<String> = app.help_lines().iter().map(|l| format!("{l:?}")).collect();
    let text = help.join("\n");
    assert!(text.contains("change (a diff's rows)"), "{text}");
    assert!(text.contains("lost: in OLD only"), "{text}");
}

#[test]
fn a_filter_on_change_keeps_only_those_rows_locally() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = explorer(dir.path());
    assert_eq!(app.results.rows.len(), 9);
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, r#"change = "lost""#);
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Fetch(_))),
        "no request for a file: {cmds:?}"
    );
    assert_eq!(changes(&app), ["lost", "lost", "lost"]);
    let note = app.status.note.clone().unwrap_or_default();
    assert!(note.contains("locally"), "{note}");

    // changed_fields is a list filter like attributes.
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, r#"changed_fields = "is_broken""#);
    key(&mut app, KeyCode::Enter);
    assert_eq!(changes(&app), ["changed"]);
    let fields = app
        .results
        .rows
        .get(0)
        .unwrap()
        .changed_fields
        .clone()
        .unwrap();
    assert_eq!(fields, ["is_broken", "url_to_status_code"]);
}

#[test]
fn the_detail_of_a_changed_row_starts_with_what_changed() {
    use backlinks::app::detail::doc::{DocLine, document};
    let dir = tempfile::tempdir().unwrap();
    let app = explorer(dir.path());
    let doc = document(&app.results.rows.get(1).unwrap(), None);
    assert_eq!(doc[0], DocLine::Heading("Diff"));
    let value = |label: &str| {
        doc.iter()
            .find_map(|l| match l {
                DocLine::Field { label: l, value } if l == label => {
                    Some(value.iter().map(|(t, _)| t.as_str()).collect::<String>())
                }
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(value("change"), "changed");
    assert!(
        value("changed_fields").contains("url_to_status_code"),
        "{doc:?}"
    );
    // A row of an ordinary set has no such section.
    let mut plain = (*app.results.rows.get(1).unwrap()).clone();
    plain.change = None;
    plain.changed_fields = None;
    assert_ne!(document(&plain, None)[0], DocLine::Heading("Diff"));
}

#[test]
fn saving_the_explorer_s_rows_as_csv_keeps_change_and_changed_fields() {
    let dir = tempfile::tempdir().unwrap();
    let app = explorer(dir.path());
    let path = dir.path().join("saved.csv");
    write_set(
        &path,
        Format::Csv,
        &SetMeta::default(),
        &app.results.rows.to_vec(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("change,changed_fields,"), "{text}");
    let back = backlinks::store::read::read_all(&path).unwrap().rows;
    let saved: Vec<_> = back.iter().map(|r| r.change.clone().unwrap()).collect();
    assert_eq!(saved, changes(&app));
    assert_eq!(
        back[1].changed_fields,
        app.results.rows.get(1).unwrap().changed_fields
    );
}

#[test]
fn a_filter_on_change_is_never_sent_to_the_api() {
    let mut app = support::app();
    let req = support::run_target(&mut app, "forbes.com");
    app.update(support::loaded(&req, 1000, 5000));
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, r#"change = "new""#);
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(support::fetches(&cmds).is_empty(), "{cmds:?}");
    let warning = app.status.warning.clone().unwrap_or_default();
    assert!(warning.contains("change is not an API field"), "{warning}");
}

/// The fields shown in the table, in order.
fn shown(app: &App) -> Vec<&'static str> {
    app.visible_columns()
        .iter()
        .filter_map(|c| c.field)
        .collect()
}

#[test]
fn change_can_be_hidden_and_shown_again_and_is_not_kept_for_other_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = explorer(dir.path());
    app.paths = backlinks::prefs::paths::Paths::in_dir(&dir.path().join("data"));
    assert_eq!(shown(&app)[0], "change");
    // Hide it: `change` is the first entry of the chooser.
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    assert!(!shown(&app).contains(&"change"));
    // The chooser still offers it (the rows have it), and it comes back.
    key(&mut app, KeyCode::Char('c'));
    let Some(backlinks::app::overlay::Overlay::Columns(ch)) = app.layers.window() else {
        panic!("the chooser is open");
    };
    let at = ch
        .entries
        .iter()
        .position(|(f, on)| *f == "change" && !on)
        .expect("change is offered, hidden");
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char(' '));
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(shown(&app).contains(&"change"));
    // What is remembered for the next explorer leaves `change` out.
    let persisted: Vec<&str> = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Persist(p) => match &**p {
                backlinks::persist::Persist::Columns { fields, .. } => Some(fields.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("the columns are remembered");
    assert!(!persisted.is_empty() && !persisted.contains(&"change"));
    // Reset (the defaults) in a diff keeps `change` first.
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(shown(&app)[0], "change");
}
