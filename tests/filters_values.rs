//! The builder's value box: every value is checked as it is typed, and a bad one cannot be
//! added.

mod support;

use backlinks::api::filter::{Filter, Op};
use backlinks::app::filters::Stage;
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

/// Types `value` for `field op` and returns the value box's verdict.
fn verdict(field: &str, op: Op, value: &str) -> Result<String, String> {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, field);
    choose_op(&mut app, field, op);
    ctrl(&mut app, 'u');
    typed(&mut app, value);
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    let result = v
        .condition()
        .map(|c| Filter::Cond(c).to_string())
        .ok_or_else(|| v.parsed.clone().err().unwrap_or_default());
    // Enter adds only a good value.
    key(&mut app, KeyCode::Enter);
    let added = matches!(builder_stage(&app), Some(Stage::Tree));
    assert_eq!(added, result.is_ok(), "{field} {op} {value}");
    if result.is_err() {
        let msg = app.builder().unwrap().message.clone().unwrap();
        assert!(msg.starts_with("not added"), "{msg}");
        assert_eq!(draft_text(&app), "");
    }
    result
}

#[test]
fn values_are_checked_as_they_are_typed() {
    assert_eq!(
        verdict("domain_from_rank", Op::Ge, "500").unwrap(),
        "domain_from_rank >= 500"
    );
    assert!(
        verdict("domain_from_rank", Op::Ge, "lots")
            .unwrap_err()
            .contains("number")
    );
    assert!(
        verdict("dofollow", Op::Eq, "maybe")
            .unwrap_err()
            .contains("true or false")
    );
    assert_eq!(
        verdict("first_seen", Op::Ge, "2024-01-31").unwrap(),
        r#"first_seen >= "2024-01-31""#
    );
    assert!(
        verdict("first_seen", Op::Ge, "2024-02-30")
            .unwrap_err()
            .contains("calendar")
    );
    assert!(
        verdict("first_seen", Op::Ge, "yesterday")
            .unwrap_err()
            .contains("YYYY-MM-DD")
    );
    assert_eq!(
        verdict("domain_from_country", Op::In, "US, GB").unwrap(),
        r#"domain_from_country in ["US", "GB"]"#
    );
    assert!(
        verdict("domain_from_country", Op::In, " , ")
            .unwrap_err()
            .contains("at least one")
    );
    assert!(
        verdict("url_from", Op::Regex, "(unclosed")
            .unwrap_err()
            .contains("invalid regex")
    );
    assert_eq!(
        verdict("anchor", Op::Ilike, "%seo%").unwrap(),
        r#"anchor ilike "%seo%""#
    );
    assert!(
        verdict("anchor", Op::Match, "!!")
            .unwrap_err()
            .contains("word")
    );
    assert!(
        verdict("rank", Op::Gt, "")
            .unwrap_err()
            .contains("type a value")
    );
}

#[test]
fn like_without_a_wildcard_gets_a_hint() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('a'));
    choose_field(&mut app, "anchor");
    choose_op(&mut app, "anchor", Op::Like);
    typed(&mut app, "news");
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert!(v.advice().unwrap().contains('%'));
    typed(&mut app, "%");
    let Some(Stage::Value(v)) = builder_stage(&app) else {
        panic!()
    };
    assert!(v.advice().is_none());
}
