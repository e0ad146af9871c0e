//! From the table: quick filters, sort cycling and multi-key sorting, local versus server
//! filtering/sorting, the filter bar and the custom mode editor.

mod support;

use backlinks::api::filter::{CompiledFilter, Filter};
use backlinks::app::Focus;
use backlinks::app::stack::LayerKind;
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

#[test]
fn equals_and_bang_add_the_cell_as_a_condition_and_requery() {
    let mut app = partial();
    column(&mut app, "domain_from");
    let want = app
        .results
        .rows
        .get(0)
        .unwrap()
        .domain_from
        .clone()
        .unwrap();
    let req = sent_one(&key(&mut app, KeyCode::Char('=')));
    assert_eq!(
        req.request.filters.as_ref().unwrap().to_string(),
        format!("domain_from = \"{want}\"")
    );
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "dofollow");
    key(&mut app, KeyCode::Down);
    let dofollow = app.results.rows.get(1).unwrap().dofollow.unwrap();
    let req = sent_one(&key(&mut app, KeyCode::Char('!')));
    assert_eq!(
        req.request.filters.as_ref().unwrap().to_string(),
        format!("domain_from = \"{want}\" and dofollow <> {dofollow}"),
        "added with and, the first one kept"
    );
    assert_eq!(
        app.query.filter, req.request.filters,
        "the query pane follows"
    );
}

#[test]
fn quick_filters_refuse_nulls_the_marker_column_and_a_ninth_condition() {
    let mut app = partial();
    // Row 0 has no domain_from_rank (every 11th row).
    column(&mut app, "domain_from_rank");
    let cmds = key(&mut app, KeyCode::Char('='));
    assert!(cmds.is_empty());
    assert!(
        app.status.warning.as_deref().unwrap().contains("null"),
        "{:?}",
        app.status.warning
    );
    key(&mut app, KeyCode::Home);
    app.results.column = 0;
    assert!(key(&mut app, KeyCode::Char('=')).is_empty());
    assert!(
        app.status
            .warning
            .as_deref()
            .unwrap()
            .contains("marker column")
    );
    // Eight conditions already: the ninth is refused.
    let eight = (0..8)
        .map(|i| format!("rank > {i}"))
        .collect::<Vec<_>>()
        .join(" and ");
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, &eight);
    let req = sent_one(&key(&mut app, KeyCode::Enter));
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "rank");
    assert!(key(&mut app, KeyCode::Char('=')).is_empty());
    assert!(app.status.warning.as_deref().unwrap().contains("at most 8"));
    // The warning goes with the next key.
    key(&mut app, KeyCode::Down);
    assert!(app.status.warning.is_none());
}

#[test]
fn non_filterable_fields_and_lists_are_refused() {
    use backlinks::app::filters::quick::quick_condition;
    let item = backlinks::api::Backlink {
        kind: Some("backlink".into()),
        attributes: Some(vec!["nofollow".into()]),
        ..Default::default()
    };
    assert!(
        quick_condition("type", &item, false)
            .unwrap_err()
            .contains("cannot be used in filters")
    );
    assert!(
        quick_condition("attributes", &item, false)
            .unwrap_err()
            .contains("several values")
    );
}

#[test]
fn complete_results_filter_locally_and_widen_on_the_server() {
    let mut app = complete(300);
    column(&mut app, "dofollow");
    let cmds = key(&mut app, KeyCode::Char('='));
    assert!(cmds.is_empty(), "no request: {cmds:?}");
    assert!(
        app.status
            .note
            .as_deref()
            .unwrap()
            .starts_with("filtered locally")
    );
    let f = app.results.query.as_ref().unwrap().filters.clone().unwrap();
    let compiled = CompiledFilter::new(&f).unwrap();
    let all = rich_items(300);
    let want = all.iter().filter(|r| compiled.matches(r)).count();
    assert_eq!(app.results.rows.len(), want);
    assert_eq!(app.results.total, Some(want as u64));
    assert!(app.results.rows.iter().all(|r| compiled.matches(&r)));
    // Narrower again (an added condition): still local, from the full set.
    key(&mut app, KeyCode::Char('f'));
    add_condition(
        &mut app,
        "anchor",
        backlinks::api::filter::Op::Ilike,
        "%news%",
    );
    assert!(key(&mut app, KeyCode::Char('A')).is_empty());
    let f2 = app.results.query.as_ref().unwrap().filters.clone().unwrap();
    let c2 = CompiledFilter::new(&f2).unwrap();
    assert_eq!(
        app.results.rows.len(),
        all.iter().filter(|r| c2.matches(r)).count()
    );
    // Removing the first condition keeps the rest narrower than the full set: local.
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, r#"anchor ilike "%news%""#);
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    // Everything off: back to every loaded row, locally.
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.results.rows.len(), 300);
    assert_eq!(app.status.requests, 1);
}

#[test]
fn a_filter_wider_than_the_loaded_one_goes_to_the_server() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "dofollow = true");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('i'));
    let first = run_target(&mut app, "forbes.com");
    assert_eq!(
        first.request.filters.as_ref().unwrap().to_string(),
        "dofollow = true"
    );
    app.update(loaded_items(&first, rich_items(50), 50));
    assert!(app.results.is_complete());
    key(&mut app, KeyCode::Char(':'));
    ctrl(&mut app, 'u');
    typed(&mut app, "rank > 10");
    let req = sent_one(&key(&mut app, KeyCode::Enter));
    assert_eq!(req.request.filters.unwrap().to_string(), "rank > 10");
}

#[test]
fn the_filter_bar_points_at_the_error_and_applies_only_good_input() {
    let mut app = partial();
    key(&mut app, KeyCode::Char('F'));
    assert_eq!(app.layers.top_kind(), Some(LayerKind::FilterBar));
    typed(&mut app, "rank >> 5");
    let bar = app.filter_bar().unwrap();
    let e = bar.parsed.as_ref().unwrap_err();
    assert_eq!(e.column, 6, "the operator starts at column 6: {e:?}");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "not applied");
    assert_eq!(
        app.layers.top_kind(),
        Some(LayerKind::FilterBar),
        "still open to fix it"
    );
    ctrl(&mut app, 'u');
    typed(&mut app, "dofollow = true and rank >= 100");
    let req = sent_one(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        req.request.filters,
        Some(Filter::parse("dofollow = true and rank >= 100").unwrap())
    );
    assert_eq!(app.focus, Focus::Results);
    // Reopened, it holds the expression; Esc leaves it as it is.
    key(&mut app, KeyCode::Char(':'));
    assert_eq!(
        app.filter_bar().unwrap().input.value(),
        "dofollow = true and rank >= 100"
    );
    typed(&mut app, " and x");
    let cmds = key(&mut app, KeyCode::Esc);
    assert!(cmds.is_empty());
    assert_eq!(
        app.query.filter.as_ref().unwrap().to_string(),
        "dofollow = true and rank >= 100"
    );
}

#[test]
fn the_builder_and_the_bar_edit_the_same_expression() {
    let mut app = partial();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, r#"rank > 5 or anchor match "news""#);
    let req = sent_one(&key(&mut app, KeyCode::Enter));
    app.update(loaded_items(&req, rich_items(1000), 5000));
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(draft_text(&app), r#"rank > 5 or anchor match "news""#);
    add_condition(&mut app, "dofollow", backlinks::api::filter::Op::Eq, "true");
    // `:` in the builder carries the draft over to the bar.
    key(&mut app, KeyCode::Char(':'));
    assert_eq!(app.layers.top_kind(), Some(LayerKind::FilterBar));
    assert_eq!(
        app.filter_bar().unwrap().input.value(),
        r#"rank > 5 or anchor match "news" or dofollow = true"#
    );
}

#[test]
fn custom_mode_n_is_typed_and_the_field_picked_by_letter() {
    let mut app = app();
    typed(&mut app, "forbes.com");
    // Tab to "group by", pick a field by its first letter.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "25");
    assert_eq!(app.query.custom_n, 25);
    typed(&mut app, "00");
    assert_eq!(app.query.custom_n, 250, "2500 refused, 250 kept");
    assert!(app.status.warning.as_deref().unwrap().contains("1 to 1000"));
    let req = sent_one(&key(&mut app, KeyCode::Enter));
    let cm = req.request.custom_mode.unwrap();
    assert_eq!((cm.field.as_str(), cm.value), ("domain_from_country", 250));
}

#[test]
fn a_quick_filter_on_a_malformed_date_is_not_sent() {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    let mut rows = rich_items(10);
    rows[0].first_seen = Some("last tuesday".into());
    app.update(loaded_items(&first, rows, 5000));
    column(&mut app, "first_seen");
    assert!(fetches(&key(&mut app, KeyCode::Char('='))).is_empty());
    let w = app.status.warning.clone().unwrap();
    assert!(w.starts_with("not sent") && w.contains("date"), "{w}");
    assert!(app.results.query.as_ref().unwrap().filters.is_none());
}
