//! The stack of layers: the top layer takes the keys and the mouse, so nothing moves under
//! it; and the keys of every layer come from the keymap, so `[keys.<pane>]` rebinds them.

mod support;

use std::time::{Duration, SystemTime};

use backlinks::app::App;
use backlinks::app::budget::BudgetState;
use backlinks::app::msg::{Cmd, Msg, PathKind};
use backlinks::app::save::SaveStage;
use backlinks::app::stack::LayerKind;
use backlinks::config::{self, FileRule};
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use support::*;

/// forbes.com with 1,000 of 5,000 rows loaded and the 6th row selected.
fn loaded_with(keymap: Keymap) -> App {
    let mut a = App::new(Source::Demo, keymap);
    a.resize(160, 45);
    a.set_clock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096));
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 5000));
    for _ in 0..5 {
        key(&mut a, KeyCode::Down);
    }
    assert_eq!(a.results.selected, 5);
    a
}

fn loaded_app() -> App {
    loaded_with(Keymap::defaults())
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

/// Wheel both ways and a click on another row of the table.
fn wheel_and_click_over_the_table(app: &mut App) {
    let body = app.layout.body;
    let (x, y) = (body.x + 2, body.y + 1);
    for _ in 0..3 {
        mouse(app, MouseEventKind::ScrollDown, x, y);
    }
    mouse(app, MouseEventKind::ScrollUp, x, y);
    mouse(app, MouseEventKind::Down(MouseButton::Left), x, body.y + 12);
}

#[test]
fn without_a_layer_the_mouse_moves_the_table() {
    let mut a = loaded_app();
    wheel_and_click_over_the_table(&mut a);
    assert_ne!(a.results.selected, 5, "the check below would prove nothing");
}

#[test]
fn no_layer_lets_the_mouse_move_the_table_under_it() {
    type Opener = fn(&mut App);
    let openers: [(LayerKind, Opener); 12] = [
        (LayerKind::Search, |a| {
            key(a, KeyCode::Char('/'));
        }),
        (LayerKind::Builder, |a| {
            key(a, KeyCode::Char('f'));
        }),
        (LayerKind::FilterBar, |a| {
            key(a, KeyCode::Char('F'));
        }),
        (LayerKind::Window, |a| {
            key(a, KeyCode::Char('c')); // columns
        }),
        (LayerKind::Window, |a| {
            key(a, KeyCode::Char('t')); // statistics
        }),
        (LayerKind::Window, |a| {
            a.history.entries = vec![backlinks::history::HistoryEntry {
                time: 1_709_210_000,
                request: backlinks::api::LiveRequest::new("example.com"),
                rows: 1000,
                total: Some(3000),
                cost: 0.05,
            }];
            ctrl(a, 'r'); // history
        }),
        (LayerKind::Window, |a| {
            key(a, KeyCode::Char('v')); // views
        }),
        (LayerKind::Copy, |a| {
            key(a, KeyCode::Char('y'));
        }),
        (LayerKind::Help, |a| {
            key(a, KeyCode::Char('?'));
        }),
        (LayerKind::Save, |a| {
            ctrl(a, 's');
        }),
        (LayerKind::Budget, |a| {
            a.budget = BudgetState::new(Some(0.06));
            key(a, KeyCode::End); // the next page would cross $0.06
        }),
        (LayerKind::Export, |a| {
            ctrl(a, 's');
            key(a, KeyCode::Tab); // the whole result
            key(a, KeyCode::Enter);
            a.update(Msg::PathProbed {
                path: "forbes.com-20240229-123456.csv".into(),
                kind: PathKind::Missing,
            });
            key(a, KeyCode::Char('y')); // the price
        }),
    ];
    for (i, (kind, open)) in openers.into_iter().enumerate() {
        let mut a = loaded_app();
        open(&mut a);
        assert_eq!(a.layers.top_kind(), Some(kind), "opener {i}: {kind:?}");
        let before = a.results.selected;
        wheel_and_click_over_the_table(&mut a);
        assert_eq!(a.results.selected, before, "the table moved under {kind:?}");
        assert_eq!(a.layers.top_kind(), Some(kind), "{kind:?} is still on top");
    }
}

#[test]
fn the_top_layer_takes_the_keys_and_esc_peels_one_at_a_time() {
    let mut a = loaded_app();
    key(&mut a, KeyCode::Char('y'));
    key(&mut a, KeyCode::Char('?'));
    assert_eq!(a.layers.top_kind(), Some(LayerKind::Help));
    key(&mut a, KeyCode::Char('j')); // scrolls the help, not the menu or the table
    assert_eq!(a.results.selected, 5);
    assert_eq!(a.layers.copy_menu().unwrap().selected, 0);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.layers.top_kind(), Some(LayerKind::Copy));
    key(&mut a, KeyCode::Char('j'));
    assert_eq!(a.layers.copy_menu().unwrap().selected, 1);
    assert_eq!(a.results.selected, 5);
    key(&mut a, KeyCode::Esc);
    assert!(a.layers.is_empty());
    key(&mut a, KeyCode::Char('j'));
    assert_eq!(a.results.selected, 6);
}

#[test]
fn copy_menu_and_save_dialog_keys_are_rebound_through_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[keys.copy]\n\"x\" = \"confirm\"\n\"l\" = \"select_next\"\n\
         [keys.save]\n\"ctrl+o\" = \"confirm\"\n\"ctrl+t\" = \"next_choice\"\n",
    )
    .unwrap();
    let no_env = |_: &str| None;
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut a = loaded_with(Keymap::from_config(&loaded.table));

    key(&mut a, KeyCode::Char('y'));
    key(&mut a, KeyCode::Char('l'));
    assert_eq!(a.layers.copy_menu().unwrap().selected, 1, "l moves down");
    key(&mut a, KeyCode::Char('k'));
    let cmds = key(&mut a, KeyCode::Char('x'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::Copy(_)]),
        "x copies the chosen line: {cmds:?}"
    );
    assert!(a.layers.copy_menu().is_none());

    ctrl(&mut a, 's');
    let scope = a.layers.save().unwrap().scope;
    ctrl(&mut a, 't');
    assert_ne!(
        a.layers.save().unwrap().scope,
        scope,
        "ctrl+t picks what to save"
    );
    let cmds = ctrl(&mut a, 'o');
    assert!(
        matches!(cmds.as_slice(), [Cmd::ProbePath(_)]),
        "ctrl+o takes the name: {cmds:?}"
    );
    assert_eq!(a.layers.save().unwrap().stage, SaveStage::Checking);
}

#[test]
fn config_keys_lists_the_layers_panes() {
    let km = Keymap::defaults();
    for pane in ["copy", "help", "save", "export", "budget", "columns"] {
        assert!(
            backlinks::keymap::Pane::ALL
                .iter()
                .any(|p| p.name() == pane),
            "{pane}"
        );
    }
    let copy = km.bindings(backlinks::keymap::Pane::Copy);
    assert!(
        copy.iter()
            .any(|(a, _)| *a == backlinks::action::Action::Confirm)
    );
}
