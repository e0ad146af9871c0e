//! Driving the filter builder and the table's filter/sort keys like a user.

use backlinks::api::Backlink;
use backlinks::api::fields::Catalog;
use backlinks::api::filter::{Op, ops_for};
use backlinks::app::App;
use backlinks::app::columns::COLUMNS;
use backlinks::app::filters::Stage;
use backlinks::app::msg::Cmd;
use crossterm::event::KeyCode;

use super::{app, ctrl, fetches, key, loaded_items, run_target, typed};

/// In the builder's tree: `a`, the field typed, its operator chosen with the arrows, the value
/// typed, Enter. Returns the commands of the last key.
pub fn add_condition(app: &mut App, field: &str, op: Op, value: &str) -> Vec<Cmd> {
    key(app, KeyCode::Char('a'));
    assert!(
        matches!(builder_stage(app), Some(Stage::Field(_))),
        "a opens the field picker: {:?}",
        app.builder().and_then(|b| b.message.clone())
    );
    choose_field(app, field);
    choose_op(app, field, op);
    ctrl(app, 'u');
    typed(app, value);
    key(app, KeyCode::Enter)
}

/// In the field picker: types the name, Enter.
pub fn choose_field(app: &mut App, field: &str) {
    typed(app, field);
    key(app, KeyCode::Enter);
}

/// In the operator picker: arrows down to `op`, Enter.
pub fn choose_op(app: &mut App, field: &str, op: Op) {
    let ft = Catalog::get()
        .find(field)
        .and_then(|f| f.filter_type)
        .expect("a filterable field");
    let i = ops_for(ft)
        .iter()
        .position(|o| *o == op)
        .expect("a valid operator");
    assert!(matches!(builder_stage(app), Some(Stage::Op(_))));
    key(app, KeyCode::Home);
    for _ in 0..ops_for(ft).len() {
        key(app, KeyCode::Up);
    }
    for _ in 0..i {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
}

pub fn builder_stage(app: &App) -> Option<&Stage> {
    app.builder().map(|b| &b.stage)
}

/// The builder's draft in the text syntax ("" when empty).
pub fn draft_text(app: &App) -> String {
    app.builder()
        .and_then(|b| b.draft.to_filter())
        .map(|f| f.to_string())
        .unwrap_or_default()
}

/// Selects the builder line whose text contains `needle`.
pub fn select_line(app: &mut App, needle: &str) {
    let b = app.layers.builder_mut().expect("builder open");
    let rows = b.rows();
    let i = rows
        .iter()
        .position(|r| match &r.node {
            backlinks::app::filters::tree::RowNode::Cond(c) => {
                backlinks::api::filter::Filter::Cond(c.clone())
                    .to_string()
                    .contains(needle)
            }
            backlinks::app::filters::tree::RowNode::Group { .. } => false,
        })
        .unwrap_or_else(|| panic!("no line with {needle}"));
    b.selected = 0;
    for _ in 0..i {
        key(app, KeyCode::Char('j'));
    }
}

/// Varied rows: every field the quick filters and sorts look at is set (or null on purpose).
pub fn rich_items(n: usize) -> Vec<Backlink> {
    (0..n)
        .map(|i| Backlink {
            url_from: Some(format!("https://site{i:03}.com/page")),
            domain_from: Some(format!("site{}.com", i % 7)),
            anchor: Some(["news today", "Forbes", "click here", "read news"][i % 4].into()),
            dofollow: Some(i % 3 != 0),
            item_type: Some(if i % 5 == 0 { "image" } else { "anchor" }.into()),
            rank: Some((i as i64 * 37) % 1000),
            domain_from_rank: if i % 11 == 0 {
                None
            } else {
                Some((i as i64 * 53) % 1000)
            },
            backlink_spam_score: Some((i as i64 * 13) % 100),
            first_seen: Some(format!(
                "2024-{:02}-{:02} 10:00:00 +00:00",
                1 + i % 12,
                1 + i % 28
            )),
            last_seen: Some("2025-01-01 00:00:00 +00:00".into()),
            is_new: Some(i % 4 == 0),
            ..Backlink::default()
        })
        .collect()
}

/// Puts the current column on `field`.
pub fn column(app: &mut App, field: &str) {
    key(app, KeyCode::Home);
    app.results.column = COLUMNS
        .iter()
        .position(|c| c.field == Some(field))
        .expect("a column");
}

/// A query with only part of its rows loaded (so changes go to the server).
pub fn partial() -> App {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&first, rich_items(1000), 5000));
    app
}

/// A query whose every row is loaded (so changes are made locally).
pub fn complete(n: usize) -> App {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&first, rich_items(n), n as u64));
    assert!(app.results.is_complete());
    app
}

pub fn order(app: &App) -> Vec<String> {
    app.results
        .query
        .as_ref()
        .unwrap()
        .order_by
        .clone()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

pub fn sent_one(cmds: &[Cmd]) -> backlinks::fetch::FetchRequest {
    let f = fetches(cmds);
    assert_eq!(f.len(), 1, "one request: {cmds:?}");
    f[0].clone()
}
