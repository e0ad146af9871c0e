//! Pure `App::update` behaviour: no terminal, no network.

mod support;

use backlinks::api::ApiError;
use backlinks::app::Focus;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::app::stack::LayerKind;
use crossterm::event::KeyCode;
use support::*;

#[test]
fn enter_runs_the_query_and_focuses_the_table() {
    let mut app = app();
    assert_eq!(app.focus, Focus::Target);
    let req = run_target(&mut app, "forbes.com");
    assert_eq!(app.focus, Focus::Results);
    assert_eq!(req.request.target, "forbes.com");
    assert_eq!(req.request.offset, Some(0));
    assert_eq!(req.request.limit, Some(1000));
    assert_eq!(req.row_start, 0);
}

#[test]
fn a_bad_target_is_refused_with_the_reason_and_nothing_is_sent() {
    let mut app = app();
    typed(&mut app, "https://www.forbes.com");
    // A URL with a scheme but no path is a page target: accepted. A www. domain is not.
    ctrl(&mut app, 'u');
    typed(&mut app, "www.forbes.com");
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(fetches(&cmds).is_empty());
    assert_eq!(app.focus, Focus::Target);
    assert!(
        app.query
            .error
            .as_deref()
            .unwrap()
            .contains("write forbes.com")
    );
}

#[test]
fn scrolling_requests_pages_ahead_and_one_at_a_time() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    let cmds = app.update(loaded(&first, 1000, 48_000));
    assert!(fetches(&cmds).is_empty(), "row 0 is far from the end");
    // Hold PgDn: a second page is requested once, not per key.
    let mut sent = Vec::new();
    for _ in 0..25 {
        sent.extend(fetches(&key(&mut app, KeyCode::PageDown)));
    }
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].request.offset, Some(1000));
    assert!(app.results.tail.is_loading());
    app.update(loaded(&sent[0], 1000, 48_000));
    assert_eq!(app.results.rows.len(), 2000);
}

#[test]
fn answers_of_an_old_query_are_dropped() {
    let mut app = app();
    let old = run_target(&mut app, "forbes.com");
    key(&mut app, KeyCode::Char('i'));
    let new = run_target(&mut app, "example.com");
    assert!(new.generation > old.generation);
    app.update(loaded(&old, 1000, 48_000));
    assert!(app.results.rows.is_empty(), "the old page must not show up");
    app.update(loaded(&new, 500, 500));
    assert_eq!(app.results.rows.len(), 500);
    assert_eq!(
        app.results.rows[0].url_from.as_deref(),
        Some("https://site0.com/")
    );
}

#[test]
fn a_new_query_supersedes_the_old_generation() {
    let mut app = app();
    run_target(&mut app, "forbes.com");
    key(&mut app, KeyCode::Char('i'));
    ctrl(&mut app, 'u');
    typed(&mut app, "example.com");
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(cmds.contains(&Cmd::Supersede(app.generation())));
}

#[test]
fn changing_a_control_and_rerunning_starts_a_new_generation() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    // Tab to the status control, switch it to "lost", run again.
    key(&mut app, KeyCode::Char('i'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    assert!(matches!(app.focus, Focus::Control(_)));
    key(&mut app, KeyCode::Right);
    let cmds = key(&mut app, KeyCode::Enter);
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1);
    assert!(f[0].generation > first.generation);
    assert!(app.results.rows.is_empty());
    let body = serde_json::to_value(&f[0].request).unwrap();
    assert_eq!(body["backlinks_status_type"], "lost");
}

#[test]
fn a_failed_page_shows_and_r_retries_it() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    let err = ApiError::Server {
        code: 50000,
        message: "Internal Error.".into(),
    };
    let cmds = app.update(failed(&first, err));
    assert!(fetches(&cmds).is_empty(), "no silent retry loop");
    let f = app.results.tail.failure().unwrap();
    assert_eq!(f.error.code(), Some(50000));
    assert!(app.status.error.as_deref().unwrap().contains("50000"));
    let cmds = key(&mut app, KeyCode::Char('r'));
    let again = fetches(&cmds);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].request, first.request);
    app.update(loaded(&again[0], 1000, 5000));
    assert!(app.results.tail.failure().is_none() && app.status.error.is_none());
}

#[test]
fn end_jumps_to_the_last_loaded_row_and_keeps_loading() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    let cmds = key(&mut app, KeyCode::End);
    assert_eq!(app.results.selected, 999);
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].row_start, 1000);
}

#[test]
fn costs_add_up_per_page() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    let cmds = key(&mut app, KeyCode::End);
    app.update(loaded(&fetches(&cmds)[0], 1000, 48_000));
    assert!((app.status.session_cost - 2.0 * 0.05).abs() < 1e-9);
    assert_eq!(app.status.requests, 2);
    assert_eq!(app.status.last_cost, Some(0.02 + 0.03));
}

#[test]
fn keys_reach_the_target_field_not_the_bindings() {
    let mut app = app();
    typed(&mut app, "quiz.com");
    assert!(!app.quitting, "q typed into the field does not quit");
    assert_eq!(app.query.target.value(), "quiz.com");
    typed(&mut app, " extra");
    ctrl(&mut app, 'w');
    assert_eq!(
        app.query.target.value(),
        "quiz.com ",
        "ctrl+w deletes a word"
    );
    ctrl(&mut app, 'a');
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.query.target.value(), "xquiz.com ");
    ctrl(&mut app, 'e');
    key(&mut app, KeyCode::Left);
    ctrl(&mut app, 'u');
    assert_eq!(app.query.target.value(), " ", "ctrl+u clears to the start");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.focus,
        Focus::Target,
        "nothing to return to before a query"
    );
}

#[test]
fn q_quits_outside_text_fields_and_ctrl_c_always() {
    let mut app = app();
    run_target(&mut app, "forbes.com");
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Cmd::Quit]);
    let mut app = support::app();
    assert_eq!(ctrl(&mut app, 'c'), vec![Cmd::Quit]);
}

#[test]
fn help_opens_and_closes() {
    let mut app = app();
    run_target(&mut app, "forbes.com");
    key(&mut app, KeyCode::Char('?'));
    assert!(app.layers.is_open(LayerKind::Help));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(
        app.results.selected, 0,
        "keys do not leak through the overlay"
    );
    key(&mut app, KeyCode::Esc);
    assert!(!app.layers.is_open(LayerKind::Help));
}

#[test]
fn help_that_does_not_fit_scrolls_and_stops_at_its_ends() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    // 160×45: everything shows; the moving keys do nothing.
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(app.help_frame().max_scroll(), 0);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.layers.help_scroll().unwrap_or(0), 0);
    // 80×24: one column (too narrow for two) that scrolls.
    app.update(Msg::Resize(80, 24));
    let frame = app.help_frame();
    assert!(!frame.two_columns);
    let max = frame.max_scroll();
    assert!(max > 10, "{frame:?}");
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Down);
    assert_eq!(app.layers.help_scroll().unwrap_or(0), 2);
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(app.layers.help_scroll().unwrap_or(0), 1);
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.layers.help_scroll().unwrap_or(0), max);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.layers.help_scroll().unwrap_or(0),
        max,
        "not past the last line"
    );
    key(&mut app, KeyCode::PageUp);
    assert_eq!(
        app.layers.help_scroll().unwrap_or(0),
        max.saturating_sub(frame.rows - 1)
    );
    key(&mut app, KeyCode::Home);
    assert_eq!(app.layers.help_scroll().unwrap_or(0), 0);
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Esc);
    assert!(!app.layers.is_open(LayerKind::Help));
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(
        app.layers.help_scroll().unwrap_or(0),
        0,
        "opens at the top again"
    );
    assert_eq!(app.results.selected, 0, "no key reached the table");
}

#[test]
fn resize_keeps_the_selection() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    for _ in 0..300 {
        key(&mut app, KeyCode::Down);
    }
    app.update(Msg::Resize(80, 20));
    assert_eq!(app.results.selected, 300);
    let top = app.results.top;
    assert!(top <= 300 && 300 < top + app.results.viewport);
}

#[test]
fn history_recalls_earlier_targets() {
    let mut app = app();
    run_target(&mut app, "forbes.com");
    key(&mut app, KeyCode::Char('i'));
    run_target(&mut app, "example.com");
    key(&mut app, KeyCode::Char('i'));
    ctrl(&mut app, 'u');
    key(&mut app, KeyCode::Up);
    assert_eq!(app.query.target.value(), "example.com");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.query.target.value(), "forbes.com");
}

#[test]
fn the_mouse_wheel_scrolls_and_a_click_selects() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: crossterm::event::KeyModifiers::NONE,
        })
    };
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.results.selected, 3);
    app.update(mouse(MouseEventKind::ScrollUp, 10, 10));
    assert_eq!(app.results.selected, 0);
    // The body starts two lines below the table's top border.
    let body = app.layout.body;
    app.update(mouse(
        MouseEventKind::Down(MouseButton::Left),
        body.x + 5,
        body.y + 7,
    ));
    assert_eq!(app.results.selected, 7);
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 5, 1));
    assert_eq!(
        app.focus,
        Focus::Target,
        "a click on the query pane edits the target"
    );
}

#[test]
fn one_clock_reading_sets_every_notion_of_now() {
    use std::time::{Duration, SystemTime};
    let mut app = app();
    // 2024-02-29 23:59:59 UTC, then one second later.
    let before = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_251_199);
    app.set_clock(before);
    assert_eq!(SystemTime::try_from(app.clock()).unwrap(), before);
    assert_eq!(
        app.now.map(backlinks::api::time::format).as_deref(),
        Some("2024-02-29 23:59:59 +00:00")
    );
    assert_eq!(
        app.today().map(|d| d.to_string()).as_deref(),
        Some("2024-02-29")
    );
    app.set_clock(before + Duration::from_secs(1));
    assert_eq!(
        app.today().map(|d| d.to_string()).as_deref(),
        Some("2024-03-01"),
        "the date presets count back from the new day after midnight"
    );
    assert_eq!(
        app.now.map(backlinks::api::time::format).as_deref(),
        Some("2024-03-01 00:00:00 +00:00")
    );
}
