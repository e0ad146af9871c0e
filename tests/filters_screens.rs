//! Screens of the filter builder, the filter bar and the sorted table (insta snapshots).

mod support;

use backlinks::api::filter::Op;
use backlinks::app::App;
use backlinks::app::columns::COLUMNS;
use backlinks::app::msg::Msg;
use backlinks::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::filters::*;
use support::*;

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal
}

fn with_rows() -> App {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&first, rich_items(1000), 48_213));
    app
}

#[test]
fn builder_with_a_nested_group() {
    let mut app = with_rows();
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "dofollow", Op::Eq, "true");
    add_condition(&mut app, "anchor", Op::Like, "%news%");
    add_condition(&mut app, "domain_from_rank", Op::Ge, "500");
    select_line(&mut app, "anchor");
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('w'));
    insta::assert_snapshot!(draw(&mut app, 120, 30).backend());
}

#[test]
fn builder_field_picker() {
    let mut app = with_rows();
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "dofollow", Op::Eq, "true");
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "rank");
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(draw(&mut app, 120, 30).backend());
}

#[test]
fn builder_value_error() {
    let mut app = with_rows();
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "first_seen");
    choose_op(&mut app, "first_seen", Op::Ge);
    typed(&mut app, "2024-02-30");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(draw(&mut app, 120, 30).backend());
}

#[test]
fn builder_presets_menu() {
    let mut app = with_rows();
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(draw(&mut app, 120, 30).backend());
}

#[test]
fn sort_arrows_show_direction_and_key_order() {
    let mut app = with_rows();
    app.results.column = COLUMNS
        .iter()
        .position(|c| c.field == Some("domain_from_rank"))
        .unwrap();
    let req = fetches(&key(&mut app, KeyCode::Char('s'))).remove(0);
    app.update(loaded_items(&req, rich_items(1000), 48_213));
    app.results.column = COLUMNS
        .iter()
        .position(|c| c.field == Some("first_seen"))
        .unwrap();
    let req = fetches(&key(&mut app, KeyCode::Char('S'))).remove(0);
    app.update(loaded_items(&req, rich_items(1000), 48_213));
    let req = fetches(&key(&mut app, KeyCode::Char('S'))).remove(0);
    app.update(loaded_items(&req, rich_items(1000), 48_213));
    insta::assert_snapshot!(draw(&mut app, 160, 16).backend());
}

#[test]
fn filter_bar_points_at_the_error() {
    let mut app = with_rows();
    key(&mut app, KeyCode::Char(':'));
    typed(
        &mut app,
        r#"dofollow = true and (anchor like "%news%" or domain_from_rank >= "x")"#,
    );
    insta::assert_snapshot!(draw(&mut app, 120, 20).backend());
}
