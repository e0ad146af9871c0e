//! The filter builder through `App::update`: every tree operation, the pickers, value checking,
//! apply and cancel.

mod support;

use backlinks::api::filter::{Filter, Op};
use backlinks::app::Focus;
use backlinks::app::filters::Stage;
use backlinks::app::msg::Cmd;
use backlinks::app::stack::LayerKind;
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

const TARGET_EXPR: &str =
    r#"dofollow = true and (anchor like "%news%" or domain_from_rank >= 500)"#;

/// Builds `TARGET_EXPR` with the builder's keys alone.
fn build_target_expression(app: &mut backlinks::app::App) {
    key(app, KeyCode::Char('f'));
    assert_eq!(app.layers.top_kind(), Some(LayerKind::Builder));
    add_condition(app, "dofollow", Op::Eq, "true");
    add_condition(app, "anchor", Op::Like, "%news%");
    add_condition(app, "domain_from_rank", Op::Ge, "500");
    // Mark the last two and wrap them: the group takes `or` inside the `and` top level.
    select_line(app, "anchor");
    key(app, KeyCode::Char(' '));
    key(app, KeyCode::Char('j'));
    key(app, KeyCode::Char(' '));
    key(app, KeyCode::Char('w'));
}

#[test]
fn the_builder_builds_a_nested_expression_and_apply_runs_it() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    build_target_expression(&mut app);
    assert_eq!(draft_text(&app), TARGET_EXPR);
    assert!(
        app.results.query.as_ref().unwrap().filters.is_none(),
        "not applied yet"
    );
    let cmds = key(&mut app, KeyCode::Char('A'));
    let sent = fetches(&cmds);
    assert_eq!(sent.len(), 1, "apply runs the query: {cmds:?}");
    assert!(cmds.contains(&Cmd::Supersede(sent[0].generation)));
    assert!(sent[0].generation > first.generation);
    assert_eq!(sent[0].request.target, "forbes.com");
    assert_eq!(sent[0].request.offset, Some(0));
    let want = Filter::parse(TARGET_EXPR).unwrap();
    assert_eq!(sent[0].request.filters.as_ref(), Some(&want));
    assert_eq!(
        app.query.filter.as_ref(),
        Some(&want),
        "the query pane shows it"
    );
    assert_eq!(app.focus, Focus::Results);
    assert!(app.builder().is_none());
    // Reopening shows the applied expression.
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(draft_text(&app), TARGET_EXPR);
}

#[test]
fn esc_leaves_without_touching_the_running_query() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "rank", Op::Gt, "100");
    let cmds = key(&mut app, KeyCode::Esc);
    assert!(fetches(&cmds).is_empty() && !cmds.iter().any(|c| matches!(c, Cmd::Supersede(_))));
    assert_eq!(app.focus, Focus::Results);
    assert!(app.query.filter.is_none());
    assert_eq!(app.results.rows.len(), 1000, "rows untouched");
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(draft_text(&app), "", "the abandoned draft is gone");
}

#[test]
fn esc_steps_back_through_value_operator_and_field() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "rank");
    choose_op(&mut app, "rank", Op::Ge);
    assert!(matches!(builder_stage(&app), Some(Stage::Value(_))));
    key(&mut app, KeyCode::Esc);
    let Some(Stage::Op(p)) = builder_stage(&app) else {
        panic!("back to the operator")
    };
    assert_eq!(
        p.current(),
        Op::Ge,
        "the chosen operator is still highlighted"
    );
    key(&mut app, KeyCode::Esc);
    let Some(Stage::Field(p)) = builder_stage(&app) else {
        panic!("back to the field")
    };
    assert_eq!(p.current().unwrap().name, "rank");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(builder_stage(&app), Some(Stage::Tree)));
    key(&mut app, KeyCode::Esc);
    assert!(app.builder().is_none());
}

#[test]
fn field_picker_narrows_by_typing_and_shows_only_valid_operators() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "spam");
    let Some(Stage::Field(p)) = builder_stage(&app) else {
        panic!()
    };
    let names: Vec<&str> = p.matches().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["backlink_spam_score", "url_to_spam_score"]);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Tab);
    let Some(Stage::Field(p)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(p.input.value(), "url_to_spam_score", "tab completes");
    for _ in 0..30 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "dofollow");
    key(&mut app, KeyCode::Enter);
    let Some(Stage::Op(p)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(
        p.ops(),
        [Op::Eq, Op::Ne],
        "true/false fields take = and <> only"
    );
    key(&mut app, KeyCode::Enter);
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(v.input.value(), "true", "a true/false value starts as true");
    key(&mut app, KeyCode::Char(' '));
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(v.input.value(), "false", "space switches it");
    key(&mut app, KeyCode::Enter);
    assert_eq!(draft_text(&app), "dofollow = false");
}

#[test]
fn typing_into_the_filled_in_true_replaces_it() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "dofollow");
    choose_op(&mut app, "dofollow", Op::Eq);
    typed(&mut app, "false");
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(v.input.value(), "false", "not `truefalse`");
    key(&mut app, KeyCode::Enter);
    assert_eq!(draft_text(&app), "dofollow = false");
}

#[test]
fn an_unknown_field_cannot_be_chosen() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "nosuchfield");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(builder_stage(&app), Some(Stage::Field(_))));
    let msg = app.builder().unwrap().message.clone().unwrap();
    assert!(msg.contains("no filterable field"), "{msg}");
}

#[test]
fn enter_edits_a_condition_in_place() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "rank", Op::Gt, "100");
    add_condition(&mut app, "dofollow", Op::Eq, "true");
    select_line(&mut app, "rank");
    key(&mut app, KeyCode::Enter);
    // The picker starts on the condition's field, the operator and value follow.
    key(&mut app, KeyCode::Enter);
    let Some(Stage::Op(p)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(p.current(), Op::Gt);
    key(&mut app, KeyCode::Enter);
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert_eq!(v.input.value(), "100");
    typed(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    assert_eq!(draft_text(&app), "rank > 1000 and dofollow = true");
    assert_eq!(app.builder().unwrap().draft.condition_count(), 2);
}

#[test]
fn delete_move_wrap_unwrap_and_logic() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "rank", Op::Gt, "1");
    add_condition(&mut app, "rank", Op::Gt, "2");
    add_condition(&mut app, "rank", Op::Gt, "3");
    assert_eq!(draft_text(&app), "rank > 1 and rank > 2 and rank > 3");
    // Move the last one up twice, then once more (already first: refused, nothing changes).
    key(&mut app, KeyCode::Char('K'));
    key(&mut app, KeyCode::Char('K'));
    assert_eq!(draft_text(&app), "rank > 3 and rank > 1 and rank > 2");
    key(&mut app, KeyCode::Char('K'));
    assert!(
        app.builder()
            .unwrap()
            .message
            .as_deref()
            .unwrap()
            .contains("first")
    );
    key(&mut app, KeyCode::Char('J'));
    assert_eq!(draft_text(&app), "rank > 1 and rank > 3 and rank > 2");
    // Wrap the selected one alone, add into the group, switch its logic.
    key(&mut app, KeyCode::Char('w'));
    assert_eq!(
        draft_text(&app),
        "rank > 1 and rank > 3 and rank > 2",
        "a group of one means the same"
    );
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "dofollow");
    choose_op(&mut app, "dofollow", Op::Eq);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        draft_text(&app),
        "rank > 1 and (rank > 3 or dofollow = true) and rank > 2"
    );
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        draft_text(&app),
        "rank > 1 and rank > 3 and dofollow = true and rank > 2",
        "o on a condition switches the group it is in"
    );
    key(&mut app, KeyCode::Char('o'));
    // `o` selected the group; unwrap it: its items join the top level.
    key(&mut app, KeyCode::Char('W'));
    assert_eq!(
        draft_text(&app),
        "rank > 1 and rank > 3 and dofollow = true and rank > 2"
    );
    let b = app.builder().unwrap();
    assert_eq!(b.draft.root.items.len(), 4, "no group left");
    // Top level to `or`, then delete until empty.
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        draft_text(&app),
        "rank > 1 or rank > 3 or dofollow = true or rank > 2"
    );
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(draft_text(&app), "rank > 1 or rank > 3 or dofollow = true");
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(draft_text(&app), "", "d on the top line clears everything");
}

#[test]
fn marked_nodes_in_different_groups_are_not_wrapped() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    build_target_expression(&mut app);
    select_line(&mut app, "dofollow");
    key(&mut app, KeyCode::Char(' '));
    select_line(&mut app, "anchor");
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('w'));
    assert!(
        app.builder()
            .unwrap()
            .message
            .as_deref()
            .unwrap()
            .contains("same group")
    );
    assert_eq!(draft_text(&app), TARGET_EXPR);
}

#[test]
fn deleting_the_last_item_of_a_group_removes_the_group() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    build_target_expression(&mut app);
    select_line(&mut app, "anchor");
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(
        draft_text(&app),
        "dofollow = true and domain_from_rank >= 500"
    );
    select_line(&mut app, "domain_from_rank");
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(draft_text(&app), "dofollow = true");
    assert_eq!(app.builder().unwrap().rows().len(), 2);
}

#[test]
fn apply_before_a_query_keeps_the_filter_for_the_next_run() {
    let mut app = app();
    typed(&mut app, "forbes.com");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "rank", Op::Gt, "100");
    let cmds = key(&mut app, KeyCode::Char('A'));
    // The pane has a valid target, so applying runs it.
    assert_eq!(fetches(&cmds).len(), 1);
    assert_eq!(
        fetches(&cmds)[0]
            .request
            .filters
            .as_ref()
            .unwrap()
            .to_string(),
        "rank > 100"
    );

    let mut app = support::app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "rank", Op::Gt, "100");
    let cmds = key(&mut app, KeyCode::Char('A'));
    assert!(fetches(&cmds).is_empty(), "no target yet");
    assert_eq!(app.query.filter.as_ref().unwrap().to_string(), "rank > 100");
    key(&mut app, KeyCode::Char('i'));
    let req = run_target(&mut app, "forbes.com");
    assert_eq!(req.request.filters.unwrap().to_string(), "rank > 100");
}

#[test]
fn question_mark_shows_the_builder_keys() {
    use backlinks::action::Action::*;
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('?'));
    assert!(app.layers.is_open(LayerKind::Help));
    assert_eq!(
        app.layers.pane_below_help(),
        Some(backlinks::keymap::Pane::Builder)
    );
    let actions: Vec<_> = app
        .keymap
        .bindings(backlinks::keymap::Pane::Builder)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for a in [
        BuilderAdd,
        BuilderEdit,
        BuilderDelete,
        BuilderMoveUp,
        BuilderMoveDown,
        BuilderMark,
        BuilderWrap,
        BuilderUnwrap,
        BuilderToggleLogic,
        FilterPresets,
        ApplyFilter,
    ] {
        assert!(actions.contains(&a), "{a:?} is bound in the builder");
    }
    key(&mut app, KeyCode::Esc);
    assert!(!app.layers.is_open(LayerKind::Help));
    assert_eq!(
        app.layers.top_kind(),
        Some(LayerKind::Builder),
        "esc closed the help, not the builder"
    );
}

/// The value box of the builder, as typed.
fn value_text(app: &backlinks::app::App) -> String {
    match builder_stage(app) {
        Some(Stage::Value(v)) => v.input.value().to_owned(),
        other => panic!("the value box is open: {other:?}"),
    }
}

#[test]
fn fields_with_known_values_offer_them_in_the_value_box() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "item_type");
    choose_op(&mut app, "item_type", Op::Eq);
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!("the value box is open")
    };
    assert!(v.known().contains(&"canonical"), "{:?}", v.known());
    assert!(!v.hint().contains("as it appears"), "{}", v.hint());
    // Tab on an empty box gives the first value; again, the next one.
    key(&mut app, KeyCode::Tab);
    assert_eq!(value_text(&app), "anchor");
    key(&mut app, KeyCode::Tab);
    assert_eq!(value_text(&app), "image");
    // A typed start completes to the value it begins.
    ctrl(&mut app, 'u');
    typed(&mut app, "ca");
    key(&mut app, KeyCode::Tab);
    assert_eq!(value_text(&app), "canonical");
    key(&mut app, KeyCode::Enter);
    assert_eq!(draft_text(&app), r#"item_type = "canonical""#);
    // In a list only the last item is completed.
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "semantic_location");
    choose_op(&mut app, "semantic_location", Op::In);
    typed(&mut app, "article, foo");
    key(&mut app, KeyCode::Tab);
    assert_eq!(value_text(&app), "article, footer");
    // A free-text field has none, and Tab types nothing there.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "anchor");
    choose_op(&mut app, "anchor", Op::Eq);
    key(&mut app, KeyCode::Tab);
    assert_eq!(value_text(&app), "");
}
