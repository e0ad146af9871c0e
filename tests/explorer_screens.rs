//! Screens of the explorer, drawn into a `TestBackend` and compared with committed snapshots.

mod support;

use backlinks::api::{ApiError, Backlink};
use backlinks::app::App;
use backlinks::app::msg::Msg;
use backlinks::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal
}

#[test]
fn empty_start_screen_with_demo_badge() {
    let mut app = app();
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
}

#[test]
fn loading_the_first_page() {
    let mut app = app();
    run_target(&mut app, "forbes.com");
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
}

#[test]
fn a_loaded_page() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Right);
    insta::assert_snapshot!(draw(&mut app, 160, 24).backend());
}

#[test]
fn an_error_row() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    let cmds = key(&mut app, KeyCode::End);
    let next = fetches(&cmds).remove(0);
    app.update(failed(
        &next,
        ApiError::Server {
            code: 50401,
            message: "Internal Error - Timeout.".into(),
        },
    ));
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
}

fn dead_server() -> ApiError {
    ApiError::Transport(
        "sending to http://127.0.0.1:9/v3/backlinks/backlinks/live: error sending request: \
         client error (Connect): tcp connect error: Connection refused (os error 111)"
            .into(),
    )
}

/// A loaded first page, then the second fails: the status bar at 80 columns keeps the loaded
/// count, the session cost, a short reason and the retry key.
#[test]
fn status_bar_at_80x24_after_a_failed_request() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    let cmds = key(&mut app, KeyCode::End);
    let next = fetches(&cmds).remove(0);
    app.update(failed(&next, dead_server()));
    insta::assert_snapshot!(draw(&mut app, 80, 24).backend());
}

#[test]
fn status_bar_at_80x24_with_a_message() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    app.update(Msg::EffectFailed(
        "could not open the browser (xdg-open: No such file or directory (os error 2))".into(),
    ));
    insta::assert_snapshot!(draw(&mut app, 80, 24).backend());
}

#[test]
fn status_bar_at_80x24_with_a_loaded_count_and_a_budget() {
    let mut app = app();
    app.budget.limit = Some(0.12);
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!(draw(&mut app, 80, 24).backend());
}

/// The first page of a query to a server that is not there: the retries as they happen,
/// then the failure, at 100 columns.
#[test]
fn a_dead_server_at_100_columns() {
    let mut app = app();
    let t0 = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_hours(500_000);
    app.set_clock(t0);
    let req = run_target(&mut app, "forbes.com");
    app.update(Msg::Fetch(backlinks::fetch::FetchEvent::Retrying {
        generation: req.generation,
        row_start: req.row_start,
        notice: backlinks::api::client::RetryNotice {
            next_try: 3,
            max_tries: 4,
            wait: std::time::Duration::from_millis(1_800),
            error: dead_server(),
        },
    }));
    insta::assert_snapshot!(
        "a_dead_server_at_100_columns_retrying",
        draw(&mut app, 100, 30).backend()
    );
    app.update(failed(&req, dead_server()));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn the_help_overlay() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&mut app, 120, 40).backend());
}

#[test]
fn terminal_too_small() {
    let mut app = app();
    insta::assert_snapshot!(draw(&mut app, 50, 10).backend());
}

#[test]
fn narrow_terminal_scrolls_columns_horizontally() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    for _ in 0..11 {
        key(&mut app, KeyCode::Char('l'));
    }
    let term = draw(&mut app, 80, 20);
    let text = format!("{}", term.backend());
    assert!(
        text.contains("last_seen"),
        "the current (last) column is on screen"
    );
    assert!(
        !text.contains("url_from"),
        "columns on the left scrolled away"
    );
}

#[test]
fn hostile_strings_never_reach_the_screen() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 10, 10));
    let nasty = Backlink {
        domain_from: Some("evil\u{1b}]0;owned\u{7}.com".into()),
        url_from: Some("https://x.com/\u{1b}[2J\u{9b}31m".into()),
        anchor: Some("click\u{202e}ereh\u{0}\u{85} 日本語 🙂".into()),
        ..Backlink::default()
    };
    let mut rows = app.results.rows.to_vec();
    rows.insert(0, nasty.into());
    app.results.rows = rows.into();
    let term = draw(&mut app, 160, 24);
    for cell in term.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(
                !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c),
                "control character {c:?} reached the buffer"
            );
        }
    }
    let text = format!("{}", term.backend());
    assert!(text.contains("click"));
}

#[test]
fn the_simulators_hostile_rows_never_reach_the_screen() {
    use backlinks::sim::dataset::{DatasetConfig, generate, is_hostile};
    let hostile: Vec<Backlink> = generate("forbes.com", &DatasetConfig::default())
        .into_iter()
        .filter(is_hostile)
        .take(200)
        .collect();
    assert!(
        hostile.len() >= 100,
        "the demo data has hostile rows to test with"
    );
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 0, 0));
    app.results.rows = hostile.into();
    app.results.total = Some(app.results.rows.len() as u64);
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
    // Page through all of them, every column scrolled into view once.
    for step in 0..12 {
        app.results.column = step;
        terminal.draw(|f| ui::render(&app, f)).unwrap();
        for cell in terminal.backend().buffer().content() {
            for c in cell.symbol().chars() {
                assert!(
                    !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c),
                    "control character {c:?} reached the buffer"
                );
            }
        }
        for _ in 0..2 {
            key(&mut app, KeyCode::PageDown);
        }
    }
}

#[test]
fn the_help_overlay_scrolls_on_a_small_terminal() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    app.update(Msg::Resize(80, 24));
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Char('G'));
    let text = format!("{}", draw(&mut app, 80, 24).backend());
    assert!(
        text.contains("esc or ? closes this help"),
        "the end:\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn the_help_overlay_flows_into_two_columns_rather_than_cutting_bindings_off() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    key(&mut app, KeyCode::Char('?'));
    let text = format!("{}", draw(&mut app, 120, 30).backend());
    for wanted in [
        "next row",
        "quit",
        "save rows to a file",
        "esc or ? closes this help",
    ] {
        assert!(text.contains(wanted), "'{wanted}' is on screen:\n{text}");
    }
}

#[test]
fn every_query_control_and_the_quit_hint_stay_on_narrow_screens() {
    for (w, h) in [(160, 30), (100, 30), (80, 24)] {
        let mut app = app();
        let req = run_target(&mut app, "forbes.com");
        app.update(loaded(&req, 1000, 48_213));
        let text = format!("{}", draw(&mut app, w, h).backend());
        let lines: Vec<&str> = text.lines().collect();
        let controls = lines[2];
        for wanted in ["as_is", "off", "live", "yes", "page 1000"] {
            assert!(controls.contains(wanted), "{w}: '{wanted}' in {controls}");
        }
        let hints = lines[lines.len() - 1];
        assert!(
            hints.contains("? help") && hints.contains("q quit"),
            "{w}: {hints}"
        );
    }
}
