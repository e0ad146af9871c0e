//! Pure `App::update` behaviour: no terminal, no network.

mod support;

use std::time::{Duration, SystemTime};

use backlinks::api::ApiError;
use backlinks::api::client::RetryNotice;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::app::stack::LayerKind;
use backlinks::app::{App, Focus};
use backlinks::fetch::{FetchEvent, FetchRequest};
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
        app.results.rows.get(0).unwrap().url_from.as_deref(),
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
    let bar = status_bar(&app, 120);
    assert!(
        bar.contains("the API answered 50000 · r retry"),
        "the status bar reads the failure from the table: {bar}"
    );
    let cmds = key(&mut app, KeyCode::Char('r'));
    let again = fetches(&cmds);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].request, first.request);
    app.update(loaded(&again[0], 1000, 5000));
    assert!(app.results.tail.failure().is_none() && app.status.error.is_none());
    assert!(!status_bar(&app, 120).contains("50000"));
}

/// The status bar as text, `width` cells wide.
fn status_bar(app: &App, width: usize) -> String {
    use backlinks::ui::status::{fit_status, status_items};
    fit_status(status_items(app), width, ratatui::style::Style::new())
        .iter()
        .map(|s| s.content.as_ref())
        .collect()
}

fn retrying(req: &FetchRequest, next_try: u32, wait_ms: u64) -> Msg {
    Msg::Fetch(FetchEvent::Retrying {
        generation: req.generation,
        row_start: req.row_start,
        notice: RetryNotice {
            next_try,
            max_tries: 4,
            wait: Duration::from_millis(wait_ms),
            error: dead_server(),
        },
    })
}

fn dead_server() -> ApiError {
    ApiError::Transport(
        "sending to http://127.0.0.1:9/v3/backlinks/backlinks/live: error sending request: \
         client error (Connect): tcp connect error: Connection refused (os error 111)"
            .into(),
    )
}

#[test]
fn retries_show_as_they_happen_then_a_short_reason_with_the_retry_key() {
    let mut app = app();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
    app.set_clock(t0);
    let first = run_target(&mut app, "forbes.com");
    app.update(retrying(&first, 2, 1_500));
    assert_eq!(
        status_bar(&app, 80),
        " DEMO  │ loaded 0 … │ can't reach the API · retry 2/4 in 2 s │ session $0.0000"
    );
    assert!(
        status_bar(&app, 120).contains("can't reach the API · retrying in 2 s, attempt 2 of 4")
    );
    // The countdown follows the app's clock.
    app.set_clock(t0 + Duration::from_millis(900));
    app.update(Msg::Tick);
    assert!(status_bar(&app, 120).contains("retrying in 1 s, attempt 2 of 4"));
    // A retry of another query is not this one's.
    let other = FetchRequest {
        generation: backlinks::fetch::Generation(first.generation.0 + 7),
        ..first.clone()
    };
    app.update(retrying(&other, 3, 1_000));
    assert_eq!(app.status.retrying.as_ref().unwrap().attempt, 2);
    app.update(retrying(&first, 4, 2_000));
    assert!(status_bar(&app, 80).contains("retry 4/4"));
    app.update(failed(&first, dead_server()));
    let bar = status_bar(&app, 80);
    assert!(bar.contains("can't reach the API · r retry"), "{bar}");
    assert!(!bar.contains("retrying"), "{bar}");
    assert!(
        !bar.contains("tcp connect"),
        "the detail is on the error row: {bar}"
    );
    // It stays until dealt with: no expiry, and Esc does not hide it.
    app.set_clock(t0 + Duration::from_hours(1));
    app.update(Msg::Tick);
    key(&mut app, KeyCode::Esc);
    assert!(status_bar(&app, 80).contains("can't reach the API · r retry"));
    let again = fetches(&key(&mut app, KeyCode::Char('r')));
    assert_eq!(again.len(), 1);
    assert!(!status_bar(&app, 80).contains("can't reach"));
}

#[test]
fn messages_expire_on_the_clock_and_esc_dismisses_them() {
    let mut app = app();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
    app.set_clock(t0);
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_213));
    app.update(Msg::EffectFailed(
        "could not open the browser (xdg-open: No such file or directory)".into(),
    ));
    assert!(app.wants_tick(), "the clock ticks while a message is up");
    app.set_clock(t0 + Duration::from_secs(10));
    app.update(Msg::Tick);
    assert!(status_bar(&app, 160).contains("could not open the browser"));
    app.set_clock(t0 + Duration::from_secs(15));
    app.update(Msg::Tick);
    assert!(!status_bar(&app, 160).contains("could not open the browser"));
    assert!(app.status.error.is_none());
    assert!(!app.wants_tick(), "nothing left to tick for");
    // Esc in the table, with nothing else to close, dismisses it at once.
    app.update(Msg::EffectFailed("copy failed: broken pipe".into()));
    key(&mut app, KeyCode::Esc);
    assert!(app.status.error.is_none());
    // But Esc first leaves the target field: that is its meaning there.
    app.update(Msg::EffectFailed("copy failed: broken pipe".into()));
    key(&mut app, KeyCode::Char('i'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.focus, backlinks::app::Focus::Results);
    assert!(app.status.error.is_some());
}

#[test]
fn the_session_cost_and_loaded_count_never_drop_and_messages_shrink_first() {
    let mut app = app();
    app.budget.limit = Some(0.12);
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_213));
    app.update(Msg::EffectFailed(
        "could not open the browser (xdg-open: No such file or directory, os error 2)".into(),
    ));
    for width in [60, 80, 100, 140] {
        let bar = status_bar(&app, width);
        assert!(
            unicode_width::UnicodeWidthStr::width(bar.as_str()) <= width,
            "{width}: {bar}"
        );
        assert!(bar.contains("loaded 1,000 of 48,213"), "{width}: {bar}");
        assert!(bar.contains("$0.0500 / $0.12"), "{width}: {bar}");
    }
    let bar = status_bar(&app, 80);
    assert!(bar.contains("could not open"), "{bar}");
    assert!(bar.contains('…'), "cut with an ellipsis: {bar}");
    let wide = status_bar(&app, 200);
    assert!(
        wide.contains("os error 2)"),
        "whole when there is room: {wide}"
    );
    assert!(wide.contains("last $0.0500") && wide.contains("(1 request)"));
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
