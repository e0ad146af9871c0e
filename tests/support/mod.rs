//! Helpers shared by the explorer tests.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::time::Duration;

use backlinks::api::{ApiError, Backlink};
use backlinks::app::App;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::fetch::Source;
use backlinks::fetch::{FetchEvent, FetchRequest, Page};
use backlinks::keymap::Keymap;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn app() -> App {
    let mut app = App::new(Source::Demo, Keymap::defaults());
    app.resize(160, 45);
    app
}

pub fn key(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn fetches(cmds: &[Cmd]) -> Vec<FetchRequest> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Fetch(r) => Some((**r).clone()),
            _ => None,
        })
        .collect()
}

/// Items numbered from `start`: `url_from` is `https://site{n}.com/` and rank counts down.
pub fn items(start: usize, n: usize) -> Vec<Backlink> {
    (start..start + n)
        .map(|i| Backlink {
            url_from: Some(format!("https://site{i}.com/")),
            domain_from: Some(format!("site{i}.com")),
            rank: Some(900 - (i / 4) as i64 % 900),
            ..Backlink::default()
        })
        .collect()
}

/// `items` as the explorer holds them.
pub fn rows(start: usize, n: usize) -> Vec<backlinks::api::Row> {
    items(start, n)
        .into_iter()
        .map(backlinks::api::Row::new)
        .collect()
}

pub fn loaded(req: &FetchRequest, n: usize, total: u64) -> Msg {
    Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: req.row_start,
        page: Page {
            items: items(req.row_start, n),
            total_count: total,
            search_after_token: Some(format!("token-after-{}", req.row_start + n)),
            cost: 0.02 + 0.000_03 * n as f64,
            elapsed: Duration::from_millis(420),
            cached: false,
            body: None,
        },
    })
}

pub fn failed(req: &FetchRequest, error: ApiError) -> Msg {
    Msg::Fetch(FetchEvent::PageFailed {
        generation: req.generation,
        row_start: req.row_start,
        error,
    })
}

/// Types `target`, presses Enter; returns the first page request.
pub fn run_target(app: &mut App, target: &str) -> FetchRequest {
    ctrl(app, 'u');
    typed(app, target);
    let cmds = key(app, KeyCode::Enter);
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1, "Enter sends exactly the first page: {cmds:?}");
    f[0].clone()
}

pub mod filters;

/// A page with the given items for `req`.
pub fn loaded_items(req: &FetchRequest, items: Vec<Backlink>, total: u64) -> Msg {
    Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: req.row_start,
        page: Page {
            items,
            total_count: total,
            search_after_token: None,
            cost: 0.02,
            elapsed: Duration::from_millis(100),
            cached: false,
            body: None,
        },
    })
}

/// `--budget 0.12`: three pages loaded of 23,000 rows, the third sent past the budget ("send
/// this once"), so $0.15 is spent; then Ctrl-S, the whole result, Enter.
pub fn whole_result_past_the_budget() -> backlinks::app::App {
    let mut a = app();
    a.set_clock(std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096));
    a.budget = backlinks::app::budget::BudgetState::new(Some(0.12));
    let mut req = run_target(&mut a, "forbes.com");
    for page in 0..3 {
        a.update(loaded(&req, 1000, 23_000));
        if page == 2 {
            break;
        }
        let mut cmds = key(&mut a, KeyCode::End);
        if page == 1 {
            assert!(a.layers.budget().is_some(), "the third page crosses $0.12");
            cmds = key(&mut a, KeyCode::Char('y'));
            key(&mut a, KeyCode::Home); // no fourth page wanted
        }
        req = fetches(&cmds).remove(0);
    }
    assert!((a.status.session_cost - 0.15).abs() < 1e-9);
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: backlinks::app::msg::PathKind::Missing,
    });
    a
}
