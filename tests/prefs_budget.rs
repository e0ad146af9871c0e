//! The budget guard: it asks before the first request that would take the session past its
//! budget — never before — and the answer decides: send once, raise, or cancel.

mod support;

use backlinks::app::App;
use backlinks::app::budget::BudgetState;
use crossterm::event::KeyCode;
use support::*;

/// An app with a budget of `usd` and pages of 1000 rows (about $0.05 each).
fn app_with_budget(usd: f64) -> App {
    let mut app = app();
    app.budget = BudgetState::new(Some(usd));
    app
}

/// Loads every page the app asks for while the user keeps pressing End, until it stops asking.
fn scroll_until_held(app: &mut App) -> usize {
    let mut sent = 0;
    let mut pending = Vec::new();
    for _ in 0..50 {
        let cmds = key(app, KeyCode::End);
        pending.extend(fetches(&cmds));
        if let Some(req) = pending.pop() {
            sent += 1;
            let cmds = app.update(loaded(&req, 1000, 100_000));
            pending.extend(fetches(&cmds));
        }
        if app.layers.budget().is_some() {
            break;
        }
    }
    sent
}

#[test]
fn asks_before_the_crossing_request_and_not_before() {
    let mut app = app_with_budget(0.15);
    let first = run_target(&mut app, "forbes.com");
    assert!(app.layers.budget().is_none(), "$0.05 of $0.15: no question");
    app.update(loaded(&first, 1000, 100_000));
    let sent = 1 + scroll_until_held(&mut app);
    assert_eq!(
        sent, 3,
        "three pages make exactly $0.15: all sent without asking"
    );
    assert!((app.status.session_cost - 0.15).abs() < 1e-9);
    let prompt = app
        .layers
        .budget()
        .cloned()
        .expect("the fourth page would cross");
    assert!((prompt.spent - 0.15).abs() < 1e-9);
    assert!((prompt.estimate - 0.05).abs() < 1e-9);
    assert!(
        !app.results.tail.is_loading(),
        "nothing is sent while asking"
    );
    for _ in 0..5 {
        assert!(fetches(&key(&mut app, KeyCode::PageDown)).is_empty());
    }
    // Send once: that page goes, the next one asks again.
    let cmds = key(&mut app, KeyCode::Char('y'));
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].request.offset, Some(3000));
    app.update(loaded(&f[0], 1000, 100_000));
    scroll_until_held(&mut app);
    assert!(
        app.layers.budget().is_some(),
        "asks again for the next page"
    );
}

#[test]
fn raise_lifts_the_budget_and_sends() {
    let mut app = app_with_budget(0.05);
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 100_000));
    scroll_until_held(&mut app);
    assert!(app.layers.budget().is_some());
    let cmds = key(&mut app, KeyCode::Char('r'));
    assert_eq!(fetches(&cmds).len(), 1);
    assert_eq!(app.budget.limit, Some(0.10));
}

#[test]
fn cancel_holds_the_page_until_asked_again() {
    let mut app = app_with_budget(0.05);
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 100_000));
    scroll_until_held(&mut app);
    let cmds = key(&mut app, KeyCode::Esc);
    assert!(fetches(&cmds).is_empty());
    assert!(app.layers.budget().is_none());
    assert!(app.budget_holds_back());
    for _ in 0..5 {
        let cmds = key(&mut app, KeyCode::PageDown);
        assert!(fetches(&cmds).is_empty());
        assert!(app.layers.budget().is_none(), "no nagging after cancel");
    }
    key(&mut app, KeyCode::Char('r'));
    assert!(app.layers.budget().is_some(), "r asks again");
}

#[test]
fn the_first_page_of_a_query_is_guarded_too() {
    let mut app = app_with_budget(0.04);
    app.query.target = tui_input::Input::new("forbes.com".into());
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(fetches(&cmds).is_empty(), "$0.05 > $0.04: asks first");
    assert!(app.layers.budget().is_some());
    // A smaller page fits.
    key(&mut app, KeyCode::Char('n'));
    let mut app = app_with_budget(0.04);
    app.query.page_size = 100;
    let req = run_target(&mut app, "forbes.com");
    assert_eq!(req.request.limit, Some(100));
}

#[test]
fn without_a_budget_nothing_is_asked() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 100_000));
    let mut sent = 0;
    for _ in 0..40 {
        for f in fetches(&key(&mut app, KeyCode::End)) {
            sent += 1;
            app.update(loaded(&f, 1000, 100_000));
        }
    }
    assert!(sent >= 5);
    assert!(app.layers.budget().is_none());
}
