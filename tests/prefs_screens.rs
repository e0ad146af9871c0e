//! Screens of the column chooser, the history, the views and the budget question.

mod support;

use backlinks::app::App;
use backlinks::app::budget::BudgetState;
use backlinks::app::msg::Msg;
use backlinks::history::HistoryEntry;
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

fn loaded_app() -> App {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    app
}

fn selected_field(app: &App) -> &'static str {
    match app.layers.window() {
        Some(backlinks::app::overlay::Overlay::Columns(ch)) => ch.entries[ch.selected].0,
        _ => panic!("the chooser is open"),
    }
}

#[test]
fn the_column_chooser() {
    let mut app = loaded_app();
    key(&mut app, KeyCode::Char('c'));
    // Hide url_from, move anchor up twice, show domain_from_country.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('K'));
    key(&mut app, KeyCode::Char('K'));
    while selected_field(&app) != "domain_from_country" {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Char(' '));
    insta::assert_snapshot!(draw(&mut app, 120, 40).backend());
    key(&mut app, KeyCode::Enter);
    let fields: Vec<_> = app
        .visible_columns()
        .iter()
        .filter_map(|c| c.field)
        .collect();
    assert_eq!(&fields[..3], ["rank", "anchor", "domain_from"]);
    assert!(!fields.contains(&"url_from"));
    assert!(fields.contains(&"domain_from_country"));
    insta::assert_snapshot!(
        "table_with_the_chosen_columns",
        draw(&mut app, 120, 16).backend()
    );
}

#[test]
fn the_history_list() {
    let mut app = loaded_app();
    let entry = |time: u64, target: &str, filter: Option<&str>, rows: u64, cost: f64| {
        let mut request = backlinks::api::LiveRequest::new(target);
        request.limit = Some(1000);
        request.filters = filter.map(|f| backlinks::cli::parse_filter(f).unwrap());
        HistoryEntry {
            time,
            request,
            rows,
            total: Some(rows * 3),
            cost,
        }
    };
    app.history.entries = vec![
        entry(1_717_243_500, "example.com", None, 1000, 0.05),
        entry(
            1_717_329_900,
            "wikipedia.org",
            Some("dofollow = true"),
            3000,
            0.15,
        ),
        entry(
            1_717_416_300,
            "forbes.com",
            Some("domain_from_country = \"US\""),
            2000,
            0.10,
        ),
    ];
    ctrl(&mut app, 'r');
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
    typed(&mut app, "dofollow");
    insta::assert_snapshot!(
        "the_history_list_narrowed",
        draw(&mut app, 120, 24).backend()
    );
}

#[test]
fn the_budget_question() {
    let mut app = app();
    app.budget = BudgetState::new(Some(0.10));
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_213));
    let second = fetches(&key(&mut app, KeyCode::End)).remove(0);
    app.update(loaded(&second, 1000, 48_213));
    key(&mut app, KeyCode::End);
    assert!(app.layers.budget().is_some());
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
}

#[test]
fn the_views_list_and_name_prompt() {
    let mut app = loaded_app();
    for name in ["dofollow-news", "lost-last-month"] {
        let mut view = app.current_view(name);
        view.status = Some(backlinks::api::request::StatusType::Lost);
        app.views.put(view);
    }
    key(&mut app, KeyCode::Char('v'));
    insta::assert_snapshot!(draw(&mut app, 120, 20).backend());
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "my view");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(
        "the_view_name_prompt_refuses_a_space",
        draw(&mut app, 120, 20).backend()
    );
}
