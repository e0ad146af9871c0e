//! Presets (each adds, never replaces), the date presets' clock, and the API's limits.

mod support;

use backlinks::api::filter::Op;
use backlinks::api::request::StatusType;
use backlinks::app::App;
use backlinks::app::filters::Stage;
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

/// Sets the app's clock to noon UTC on that day (the runtime does this before each message).
fn set_today(app: &mut App, year: i16, month: i8, day: i8) {
    let noon = jiff::civil::date(year, month, day).at(12, 0, 0, 0);
    let at = jiff::tz::Offset::UTC.to_timestamp(noon).unwrap();
    app.set_clock(at.try_into().unwrap());
}

/// An app with a query running, rows loaded, the builder open and today stamped.
fn builder_app() -> App {
    let mut app = app();
    set_today(&mut app, 2025, 3, 31);
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 1000, 48_000));
    key(&mut app, KeyCode::Char('f'));
    app
}

fn preset(app: &mut App, digit: char) {
    key(app, KeyCode::Char('p'));
    assert!(matches!(builder_stage(app), Some(Stage::Presets { .. })));
    key(app, KeyCode::Char(digit));
}

#[test]
fn each_preset_adds_its_condition() {
    let cases = [
        ('1', "dofollow = true"),
        ('2', r#"item_type = "anchor""#),
        ('3', "is_new = true"),
        ('5', "domain_from_rank >= 200"),
        ('6', "backlink_spam_score < 30"),
        ('7', r#"first_seen >= "2025-03-01""#),
        ('8', r#"first_seen >= "2024-12-31""#),
        ('9', r#"first_seen >= "2024-03-31""#),
    ];
    for (digit, want) in cases {
        let mut app = builder_app();
        preset(&mut app, digit);
        // The N presets open the value box on their default; Enter keeps it.
        if matches!(builder_stage(&app), Some(Stage::Value(_))) {
            key(&mut app, KeyCode::Enter);
        }
        assert_eq!(draft_text(&app), want, "preset {digit}");
    }
}

#[test]
fn presets_add_to_the_users_expression_and_never_replace_it() {
    let mut app = builder_app();
    add_condition(&mut app, "anchor", Op::Ilike, "%seo%");
    add_condition(&mut app, "rank", Op::Gt, "10");
    // Make the top level `or`: a preset must `and` the whole of it, not join the `or`.
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(draft_text(&app), r#"anchor ilike "%seo%" or rank > 10"#);
    preset(&mut app, '1');
    assert_eq!(
        draft_text(&app),
        r#"(anchor ilike "%seo%" or rank > 10) and dofollow = true"#
    );
    preset(&mut app, '3');
    assert_eq!(
        draft_text(&app),
        r#"(anchor ilike "%seo%" or rank > 10) and dofollow = true and is_new = true"#
    );
    // A second preset on a field already used is added beside it, and says so.
    preset(&mut app, '1');
    let b = app.builder().unwrap();
    assert_eq!(b.draft.condition_count(), 5);
    assert!(b.message.as_deref().unwrap().contains("dofollow"));
}

#[test]
fn authority_asks_for_n_with_the_default_ready_to_replace() {
    let mut app = builder_app();
    preset(&mut app, '5');
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!("the value box opens on N")
    };
    assert_eq!(v.input.value(), "200");
    typed(&mut app, "500");
    assert_eq!(
        draft_text(&app),
        "domain_from_rank >= 200",
        "in the tree until Enter"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        draft_text(&app),
        "domain_from_rank >= 500",
        "typing replaced the default"
    );
    // Spam: keep typing after the first key appends.
    preset(&mut app, '6');
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        draft_text(&app),
        "domain_from_rank >= 500 and backlink_spam_score < 35"
    );
}

#[test]
fn lost_links_switches_the_status_on_apply() {
    let mut app = builder_app();
    preset(&mut app, '4');
    assert_eq!(draft_text(&app), "", "no condition: the status does it");
    assert_eq!(app.query.status, StatusType::Live, "not before apply");
    let cmds = key(&mut app, KeyCode::Char('A'));
    let sent = fetches(&cmds);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].request.backlinks_status_type,
        Some(StatusType::Lost)
    );
    assert_eq!(
        app.query.status,
        StatusType::Lost,
        "the status control shows it"
    );
}

#[test]
fn date_presets_need_the_clock_from_the_runtime() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 10, 10));
    key(&mut app, KeyCode::Char('f'));
    preset(&mut app, '7');
    assert_eq!(draft_text(&app), "");
    let msg = app.builder().unwrap().message.clone().unwrap();
    assert!(msg.contains("today"), "{msg}");
    set_today(&mut app, 2024, 3, 1);
    preset(&mut app, '7');
    assert_eq!(draft_text(&app), r#"first_seen >= "2024-01-31""#);
}

#[test]
fn the_presets_menu_opens_from_the_table_too() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 10, 10));
    key(&mut app, KeyCode::Char('p'));
    assert!(matches!(builder_stage(&app), Some(Stage::Presets { .. })));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(draft_text(&app), r#"item_type = "anchor""#);
}

#[test]
fn a_ninth_condition_is_refused_with_the_apis_limit() {
    let mut app = builder_app();
    for i in 0..8 {
        add_condition(&mut app, "rank", Op::Gt, &i.to_string());
    }
    assert_eq!(app.builder().unwrap().draft.condition_count(), 8);
    key(&mut app, KeyCode::Char('a'));
    assert!(
        matches!(builder_stage(&app), Some(Stage::Tree)),
        "no picker"
    );
    let msg = app.builder().unwrap().message.clone().unwrap();
    assert!(msg.contains("at most 8"), "{msg}");
    preset(&mut app, '1');
    let b = app.builder().unwrap();
    assert_eq!(b.draft.condition_count(), 8);
    assert!(b.message.as_deref().unwrap().contains("at most 8"));
    // Eight are fine to send.
    let cmds = key(&mut app, KeyCode::Char('A'));
    assert_eq!(fetches(&cmds).len(), 1);
    assert_eq!(
        fetches(&cmds)[0]
            .request
            .filters
            .as_ref()
            .unwrap()
            .condition_count(),
        8
    );
}

#[test]
fn a_ninth_condition_from_the_filter_bar_is_not_sent() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded(&first, 10, 10));
    key(&mut app, KeyCode::Char(':'));
    let nine = (0..9)
        .map(|i| format!("rank > {i}"))
        .collect::<Vec<_>>()
        .join(" and ");
    typed(&mut app, &nine);
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(fetches(&cmds).is_empty());
    assert!(app.status.warning.as_deref().unwrap().contains("at most 8"));
    assert!(app.query.filter.is_none());
}
