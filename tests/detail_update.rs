//! Pure `App::update` behaviour of the detail panel, search, marks, copy and open: no
//! terminal, no clipboard, no browser — the commands are checked instead.

mod support;

use backlinks::api::Backlink;
use backlinks::app::App;
use backlinks::app::Focus;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::app::stack::LayerKind;
use backlinks::clipboard::{MAX_COPY_BYTES, osc52};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crossterm::event::KeyCode;
use support::*;

/// forbes.com with the first 1000 of 48,213 rows loaded.
fn loaded_app() -> App {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    app
}

fn ch(app: &mut App, c: char) -> Vec<Cmd> {
    key(app, KeyCode::Char(c))
}

fn shown_url(app: &App) -> String {
    app.detail_lines(80)
        .iter()
        .find(|l| l.first().is_some_and(|(s, _)| s.starts_with("url_from ")))
        .map(|l| l[1].0.clone())
        .unwrap_or_default()
}

#[test]
fn enter_opens_the_detail_and_it_follows_the_selection() {
    let mut app = loaded_app();
    key(&mut app, KeyCode::Enter);
    assert!(app.detail.open);
    assert_eq!(shown_url(&app), "https://site0.com/");
    ch(&mut app, 'j');
    ch(&mut app, 'j');
    assert_eq!(app.results.selected, 2, "j still moves the table");
    assert_eq!(shown_url(&app), "https://site2.com/");
    key(&mut app, KeyCode::Esc);
    assert!(!app.detail.open);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(!app.detail.open, "enter toggles");
}

#[test]
fn the_detail_scrolls_within_its_text_and_restarts_on_another_row() {
    let mut app = loaded_app();
    app.resize(100, 30);
    key(&mut app, KeyCode::Enter);
    for _ in 0..50 {
        key(&mut app, KeyCode::PageDown);
    }
    let panel = app.detail_areas().panel;
    let lines = app.detail_lines(usize::from(panel.width - 2)).len();
    let max = lines - usize::from(panel.height - 2);
    assert_eq!(app.detail.scroll_for(0), max, "stops at the last line");
    assert_eq!(
        app.results.selected, 0,
        "pagedown scrolled the panel, not the table"
    );
    key(&mut app, KeyCode::PageUp);
    assert!(app.detail.scroll_for(0) < max, "and comes back at once");
    ch(&mut app, 'j');
    assert_eq!(app.detail.scroll_for(1), 0);
}

#[test]
fn leaving_the_table_closes_a_full_screen_detail_only() {
    let mut app = loaded_app();
    app.resize(100, 30);
    key(&mut app, KeyCode::Enter);
    ch(&mut app, 'i');
    assert!(
        !app.detail.open,
        "the target field is not typed into out of sight"
    );
    app.resize(160, 45);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    assert!(app.detail.open);
    ch(&mut app, 'i');
    assert!(
        app.detail.open,
        "beside the table the query pane stays visible"
    );
}

#[test]
fn z_toggles_side_and_full_and_j_shows_json() {
    let mut app = loaded_app();
    key(&mut app, KeyCode::Enter);
    assert!(!app.detail.is_full(160), "wide terminal: beside the table");
    ch(&mut app, 'z');
    assert!(app.detail.is_full(160));
    ch(&mut app, 'z');
    assert!(!app.detail.is_full(160));
    ch(&mut app, 'J');
    assert!(app.detail.raw);
    let first = &app.detail_lines(80)[0];
    assert_eq!(
        first.iter().map(|(s, _)| s.as_str()).collect::<String>(),
        "{"
    );
}

#[test]
fn relative_dates_come_from_the_time_given_to_the_app() {
    let mut app = loaded_app();
    let mut rows = app.results.rows.to_vec();
    std::sync::Arc::make_mut(&mut rows[0]).first_seen = Some("2021-06-01 00:00:00 +00:00".into());
    app.results.rows = rows.into();
    key(&mut app, KeyCode::Enter);
    let text = |app: &App| -> String {
        app.detail_lines(100)
            .iter()
            .flat_map(|l| l.iter().map(|(s, _)| s.clone()))
            .collect()
    };
    assert!(
        !text(&app).contains("ago"),
        "no time given: no relative date"
    );
    app.now = backlinks::api::time::parse("2023-06-02").ok();
    assert!(text(&app).contains("2021-06-01 00:00:00 +00:00 · 2 years ago"));
}

#[test]
fn search_jumps_counts_and_wraps_without_a_request() {
    let mut app = loaded_app();
    let mut cmds = ch(&mut app, '/');
    for c in "SITE12".chars() {
        cmds.extend(ch(&mut app, c));
    }
    // site12, site120..site129
    assert_eq!(app.search.matches().len(), 11);
    assert_eq!(app.results.selected, 12, "typing jumps to the first match");
    cmds.extend(key(&mut app, KeyCode::Enter));
    assert!(
        !app.layers.is_open(LayerKind::Search),
        "enter keeps the search and leaves the bar"
    );
    cmds.extend(ch(&mut app, 'n'));
    assert_eq!(app.results.selected, 120);
    assert_eq!(app.search.position(120), Some((2, 11)));
    cmds.extend(ch(&mut app, 'N'));
    cmds.extend(ch(&mut app, 'N'));
    assert_eq!(
        app.results.selected, 129,
        "N from the first match wraps to the last"
    );
    assert!(app.status.note.as_deref().unwrap().contains("wrapped"));
    cmds.extend(ch(&mut app, 'n'));
    assert_eq!(
        app.results.selected, 12,
        "n from the last wraps to the first"
    );
    assert!(
        fetches(&cmds).is_empty(),
        "searching sends nothing: {cmds:?}"
    );
    assert!(cmds.is_empty());
}

#[test]
fn escape_in_the_search_bar_goes_back_and_forgets() {
    let mut app = loaded_app();
    for _ in 0..5 {
        ch(&mut app, 'j');
    }
    ch(&mut app, '/');
    for c in "site9".chars() {
        ch(&mut app, c);
    }
    assert_eq!(app.results.selected, 9);
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.search.query(), "site");
    assert_eq!(
        app.results.selected, 5,
        "a shorter text searches from the start row"
    );
    key(&mut app, KeyCode::Esc);
    assert!(!app.search.is_active() && !app.layers.is_open(LayerKind::Search));
    assert_eq!(app.results.selected, 5);
    ch(&mut app, 'j');
    assert_eq!(app.results.selected, 6, "keys are the table's again");
}

#[test]
fn new_pages_extend_the_matches() {
    let mut app = loaded_app();
    ch(&mut app, '/');
    for c in "site12".chars() {
        ch(&mut app, c);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.search.matches().len(), 11);
    let cmds = key(&mut app, KeyCode::End);
    let next = fetches(&cmds).remove(0);
    app.update(loaded(&next, 1000, 48_213));
    assert_eq!(app.search.matches().len(), 111, "site1200..site1299 joined");
    assert_eq!(*app.search.matches().last().unwrap(), 1299);
}

#[test]
fn marks_toggle_range_clear_and_belong_to_one_query() {
    let mut app = loaded_app();
    ch(&mut app, ' ');
    ch(&mut app, 'j');
    ch(&mut app, ' ');
    ch(&mut app, ' ');
    assert_eq!(app.marks.count(), 1, "space twice unmarks");
    for _ in 0..2 {
        ch(&mut app, 'j');
    }
    ch(&mut app, 'V');
    assert_eq!(app.marks.anchor, Some(3));
    for _ in 0..3 {
        ch(&mut app, 'j');
    }
    ch(&mut app, 'V');
    let urls: Vec<String> = app
        .marked_rows()
        .iter()
        .map(|b| b.url_from.clone().unwrap())
        .collect();
    assert_eq!(
        urls,
        ["0", "3", "4", "5", "6"].map(|n| format!("https://site{n}.com/"))
    );
    ch(&mut app, 'u');
    assert!(app.marked_rows().is_empty());
    ch(&mut app, ' ');
    ch(&mut app, 'i');
    run_target(&mut app, "example.com");
    assert_eq!(
        app.marks.count(),
        0,
        "another query, other rows: marks are gone"
    );
}

#[test]
fn copy_sends_the_value_as_one_osc52_sequence() {
    let mut app = loaded_app();
    ch(&mut app, 'y');
    assert!(app.layers.copy_menu().is_some());
    let cmds = ch(&mut app, '1');
    assert!(app.layers.copy_menu().is_none());
    let [Cmd::Copy(text)] = cmds.as_slice() else {
        panic!("one copy command: {cmds:?}");
    };
    assert_eq!(text, "https://site0.com/");
    assert_eq!(
        app.status.note.as_deref(),
        Some("copied url_from (18 chars)")
    );
    let seq = osc52(text);
    let b64 = seq
        .strip_prefix("\u{1b}]52;c;")
        .and_then(|s| s.strip_suffix('\u{7}'))
        .unwrap();
    assert_eq!(STANDARD.decode(b64).unwrap(), b"https://site0.com/");
}

#[test]
fn copy_menu_moves_and_picks_with_enter_and_closes_with_escape() {
    let mut app = loaded_app();
    ch(&mut app, 'y');
    key(&mut app, KeyCode::Esc);
    assert!(app.layers.copy_menu().is_none());
    assert_eq!(app.results.selected, 0);
    ch(&mut app, 'y');
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    let cmds = key(&mut app, KeyCode::Enter);
    let [Cmd::Copy(csv)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert!(csv.starts_with("type,domain_from,url_from,"));
    assert!(csv.contains("\n,site0.com,https://site0.com/,"));
}

#[test]
fn huge_payloads_are_cut_and_the_note_says_so() {
    let mut app = loaded_app();
    let mut rows = app.results.rows.to_vec();
    rows[0] = Backlink {
        anchor: Some("x".repeat(200_000)),
        ..Backlink::default()
    }
    .into();
    app.results.rows = rows.into();
    ch(&mut app, 'y');
    let cmds = ch(&mut app, '5');
    let [Cmd::Copy(json)] = cmds.as_slice() else {
        panic!()
    };
    assert_eq!(json.len(), MAX_COPY_BYTES);
    assert!(app.status.note.as_deref().unwrap().contains("cut to 74000"));
}

#[test]
fn o_opens_only_web_urls() {
    let mut app = loaded_app();
    let cmds = ch(&mut app, 'o');
    assert_eq!(cmds, vec![Cmd::OpenUrl("https://site0.com/".into())]);
    let mut rows = app.results.rows.to_vec();
    std::sync::Arc::make_mut(&mut rows[1]).url_from = Some("javascript:alert(1)".into());
    app.results.rows = rows.into();
    ch(&mut app, 'j');
    let cmds = ch(&mut app, 'o');
    assert!(cmds.is_empty());
    assert!(
        app.status
            .error
            .as_deref()
            .unwrap()
            .contains("only http(s)")
    );
    app.update(Msg::EffectFailed(
        "could not open the browser (xdg-open: not found)".into(),
    ));
    assert!(app.status.error.as_deref().unwrap().contains("xdg-open"));
}

#[test]
fn keys_of_the_layers_are_inert_before_any_rows() {
    let mut app = app();
    app.focus = Focus::Results;
    for c in ['y', 'o', '/', ' ', 'V', 'u', 'n'] {
        assert!(ch(&mut app, c).is_empty());
    }
    key(&mut app, KeyCode::Enter);
    assert!(
        !app.detail.open
            && app.layers.copy_menu().is_none()
            && !app.layers.is_open(LayerKind::Search)
    );
}
