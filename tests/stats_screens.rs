//! The statistics view over generated data, drawn into a `TestBackend`.

mod support;

use std::time::Duration;

use backlinks::app::App;
use backlinks::app::msg::Msg;
use backlinks::fetch::{FetchEvent, Page};
use backlinks::sim::dataset::{DatasetConfig, generate};
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

fn app_with_stats() -> App {
    let items = generate(
        "forbes.com",
        &DatasetConfig {
            seed: 1,
            rows: Some(3000),
        },
    );
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: 0,
        page: Page {
            items: items[..1000].to_vec(),
            total_count: 3000,
            cost: 0.05,
            elapsed: Duration::from_millis(300),
            ..Page::default()
        },
    }));
    key(&mut app, KeyCode::Char('t'));
    app
}

#[test]
fn statistics_countries() {
    let mut app = app_with_stats();
    for _ in 0..6 {
        key(&mut app, KeyCode::Char('l'));
    }
    key(&mut app, KeyCode::Char('j'));
    insta::assert_snapshot!(draw(&mut app, 140, 36).backend());
}

#[test]
fn statistics_domain_rank_histogram() {
    let mut app = app_with_stats();
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('l'));
    }
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    insta::assert_snapshot!(draw(&mut app, 140, 36).backend());
}

#[test]
fn statistics_months_on_a_narrow_terminal() {
    let mut app = app_with_stats();
    for _ in 0..5 {
        key(&mut app, KeyCode::Char('h'));
    }
    insta::assert_snapshot!(draw(&mut app, 80, 30).backend());
}
