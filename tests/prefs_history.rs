//! The query history: every query is recorded when it is left, with rows and cost; `ctrl+r`
//! finds one by typing and sends exactly the same request again, in this session or the next.

mod support;

use std::time::{Duration, SystemTime};

use backlinks::api::request::{Mode, StatusType};
use backlinks::app::App;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::app::overlay::Overlay;
use backlinks::fetch::FetchRequest;
use backlinks::history::{self, HistoryEntry};
use backlinks::persist;
use backlinks::persist::Persist;
use backlinks::prefs::paths::Paths;
use crossterm::event::KeyCode;
use support::*;

/// Writes what the app asks to write, like the runtime.
fn carry_out(app: &mut App, cmds: &[Cmd]) {
    for cmd in cmds {
        if let Cmd::Persist(p) = cmd {
            let outcome = persist::execute(
                (**p).clone(),
                SystemTime::UNIX_EPOCH + Duration::from_mins(28_620_725),
            );
            app.update(Msg::Persisted(outcome));
        }
    }
}

fn writes(cmds: &[Cmd]) -> Vec<HistoryEntry> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Persist(p) => match &**p {
                Persist::History { entry, .. } => Some(entry.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Three queries, each with a page loaded; returns their first page requests.
fn three_queries(app: &mut App) -> Vec<FetchRequest> {
    let mut firsts = Vec::new();
    for (i, target) in ["forbes.com", "example.com", "wikipedia.org"]
        .into_iter()
        .enumerate()
    {
        if i == 1 {
            // The second one with other settings, to tell it apart.
            app.query.mode = Mode::OnePerAnchor;
            app.query.status = StatusType::Lost;
            app.query.page_size = 100;
        } else {
            app.query.mode = Mode::AsIs;
            app.query.status = StatusType::Live;
            app.query.page_size = 1000;
        }
        key(app, KeyCode::Char('i'));
        ctrl(app, 'u');
        typed(app, target);
        let cmds = key(app, KeyCode::Enter);
        carry_out(app, &cmds);
        let first = fetches(&cmds).remove(0);
        let cmds = app.update(loaded(&first, first.request.limit.unwrap() as usize, 5000));
        carry_out(app, &cmds);
        firsts.push(first);
    }
    firsts
}

#[test]
fn each_query_is_recorded_when_it_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.paths = Paths::in_dir(dir.path());
    key(&mut app, KeyCode::Char('i'));
    ctrl(&mut app, 'u');
    typed(&mut app, "forbes.com");
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(writes(&cmds).is_empty(), "nothing ran before");
    let first = fetches(&cmds).remove(0);
    app.update(loaded(&first, 1000, 48_213));
    key(&mut app, KeyCode::Char('i'));
    ctrl(&mut app, 'u');
    typed(&mut app, "example.com");
    let cmds = key(&mut app, KeyCode::Enter);
    let w = writes(&cmds);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].request.target, "forbes.com");
    assert_eq!(w[0].request.limit, Some(1000), "the page size is kept");
    assert_eq!(w[0].request.offset, None);
    assert_eq!((w[0].rows, w[0].total), (1000, Some(48_213)));
    assert!((w[0].cost - 0.05).abs() < 1e-9, "{}", w[0].cost);
    carry_out(&mut app, &cmds);
    // Quitting records the running one.
    let cmds = key(&mut app, KeyCode::Char('q'));
    assert_eq!(writes(&cmds)[0].request.target, "example.com");
    assert!(
        matches!(cmds.last(), Some(Cmd::Quit)),
        "written before quitting"
    );
    carry_out(&mut app, &cmds);
    let (entries, bad) = history::load(&dir.path().join("history.jsonl")).unwrap();
    assert_eq!(bad, 0);
    let targets: Vec<&str> = entries.iter().map(|e| e.request.target.as_str()).collect();
    assert_eq!(targets, ["forbes.com", "example.com"]);
    assert_eq!(
        entries[0].time, 1_717_243_500,
        "the runtime stamps the time"
    );
}

#[test]
fn rerunning_the_second_query_from_history_sends_the_same_request() {
    let mut app = app();
    let firsts = three_queries(&mut app);
    ctrl(&mut app, 'r');
    let Some(Overlay::History(list)) = app.layers.window() else {
        panic!("ctrl+r opens the history");
    };
    // Two recorded so far (the third is still running), newest first.
    assert_eq!(list.matches(&app.history.entries), [1, 0]);
    typed(&mut app, "exam");
    let cmds = key(&mut app, KeyCode::Enter);
    let again = fetches(&cmds);
    assert_eq!(again.len(), 1, "{cmds:?}");
    assert_eq!(again[0].request, firsts[1].request, "the same request body");
    assert!(again[0].generation > firsts[2].generation, "as a new query");
    assert!(app.layers.window().is_none());
    assert_eq!(
        app.query.mode,
        Mode::OnePerAnchor,
        "the query pane shows it"
    );
    assert_eq!(app.query.page_size, 100);
    assert_eq!(app.query.target.value(), "example.com");
}

#[test]
fn rerunning_from_the_file_in_a_new_session_sends_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.paths = Paths::in_dir(dir.path());
    let firsts = three_queries(&mut app);
    let cmds = key(&mut app, KeyCode::Char('q'));
    carry_out(&mut app, &cmds);

    let mut next = support::app();
    next.history.entries = history::load(&dir.path().join("history.jsonl")).unwrap().0;
    ctrl(&mut next, 'r');
    key(&mut next, KeyCode::Down); // newest first: wikipedia, then example
    let cmds = key(&mut next, KeyCode::Enter);
    assert_eq!(fetches(&cmds)[0].request, firsts[1].request);
}

#[test]
fn history_is_kept_to_the_last_thousand_and_bad_lines_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let entry = |i: usize| HistoryEntry {
        time: i as u64,
        request: backlinks::api::LiveRequest::new(format!("site{i}.com")),
        rows: 0,
        total: None,
        cost: 0.0,
    };
    for i in 0..1300 {
        history::append(&path, &entry(i)).unwrap();
    }
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert!(lines <= 1250, "cut back as it grows: {lines}");
    std::fs::write(
        &path,
        format!(
            "{}\nnot json\n",
            std::fs::read_to_string(&path).unwrap().trim_end()
        ),
    )
    .unwrap();
    let (entries, bad) = history::load(&path).unwrap();
    assert_eq!(bad, 1);
    assert_eq!(entries.len(), 1000);
    assert_eq!(entries.last().unwrap().request.target, "site1299.com");
}
