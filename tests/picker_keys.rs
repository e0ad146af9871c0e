//! The filter builder's pickers and the view name prompt take their keys from the keymap, so
//! `[keys.picker]` and `[keys.view_name]` in config.toml rebind them, and the hints follow.

mod support;

use backlinks::app::App;
use backlinks::app::filters::Stage;
use backlinks::app::msg::Msg;
use backlinks::config::{self, FileRule};
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::filters::*;
use support::*;

/// An app with rows, its keymap read from a config file holding `keys`.
fn app_with_keys(keys: &str) -> App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, keys).unwrap();
    let no_env = |_: &str| None;
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut app = App::new(Source::Demo, Keymap::from_config(&loaded.table));
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&req, rich_items(100), 100));
    app
}

/// The last line of the screen: the app's hint line.
fn hint_line(app: &mut App) -> String {
    let (w, h) = (120, 30);
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| backlinks::ui::render(app, f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..w).map(|x| buf[(x, h - 1)].symbol()).collect()
}

fn field_cursor(app: &App) -> (usize, String) {
    let Some(Stage::Field(p)) = builder_stage(app) else {
        panic!("not in the field picker: {:?}", builder_stage(app));
    };
    (p.cursor, p.current().expect("a field").name.clone())
}

#[test]
fn picker_keys_are_rebound_through_the_config() {
    let mut app = app_with_keys(
        "[keys.picker]\n\"f2\" = \"select_next\"\n\"f3\" = \"confirm\"\n\"x\" = \"confirm\"\n",
    );
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    let hints = hint_line(&mut app);
    assert!(hints.contains("f2 choose"), "{hints}");
    assert!(hints.contains("f3 take"), "{hints}");

    // x is bound, but the field picker is a text field: typed characters narrow it.
    typed(&mut app, "rank");
    key(&mut app, KeyCode::Char('x'));
    let Some(Stage::Field(p)) = builder_stage(&app) else {
        panic!("x is typed, not taken: {:?}", builder_stage(&app));
    };
    assert_eq!(p.input.value(), "rankx");
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "rank");

    let (start, _) = field_cursor(&app);
    key(&mut app, KeyCode::F(2));
    let (moved, chosen) = field_cursor(&app);
    assert_eq!(moved, start + 1, "f2 chooses the next field");
    key(&mut app, KeyCode::F(3));
    let Some(Stage::Op(op)) = builder_stage(&app) else {
        panic!("f3 takes the field: {:?}", builder_stage(&app));
    };
    assert_eq!(op.field.name, chosen);
    let hints = hint_line(&mut app);
    assert!(
        hints.contains("x take"),
        "not a text field: x shows: {hints}"
    );

    // In the operator picker nothing is typed: x takes the operator.
    key(&mut app, KeyCode::Char('x'));
    assert!(
        matches!(builder_stage(&app), Some(Stage::Value(_))),
        "x takes the operator: {:?}",
        builder_stage(&app)
    );
}

#[test]
fn the_view_name_prompt_is_rebound_through_the_config() {
    let mut app = app_with_keys("[keys.view_name]\n\"f3\" = \"confirm\"\n");
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "mine");
    key(&mut app, KeyCode::F(3));
    assert!(
        app.views.list.iter().any(|v| v.name == "mine"),
        "f3 saves the view: {:?}",
        app.status.note
    );
}
