//! From the table: quick filters, sort cycling and multi-key sorting, local versus server
//! filtering/sorting, the filter bar and the custom mode editor.

mod support;

use backlinks::api::filter::{CompiledFilter, Filter};
use backlinks::api::request::{OrderBy, SortDir};
use backlinks::app::columns::COLUMNS;
use backlinks::app::msg::Cmd;
use backlinks::app::sort::compare;
use backlinks::app::{App, Focus};
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

/// Puts the current column on `field`.
fn column(app: &mut App, field: &str) {
    key(app, KeyCode::Home);
    app.results.column = COLUMNS
        .iter()
        .position(|c| c.field == Some(field))
        .expect("a column");
}

/// A query with only part of its rows loaded (so changes go to the server).
fn partial() -> App {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&first, rich_items(1000), 5000));
    app
}

/// A query whose every row is loaded (so changes are made locally).
fn complete(n: usize) -> App {
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(loaded_items(&first, rich_items(n), n as u64));
    assert!(app.results.is_complete());
    app
}

fn order(app: &App) -> Vec<String> {
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

fn sent_one(cmds: &[Cmd]) -> backlinks::app::msg::FetchRequest {
    let f = fetches(cmds);
    assert_eq!(f.len(), 1, "one request: {cmds:?}");
    f[0].clone()
}

#[test]
fn equals_and_bang_add_the_cell_as_a_condition_and_requery() {
    let mut app = partial();
    column(&mut app, "domain_from");
    let want = app.results.rows[0].domain_from.clone().unwrap();
    let req = sent_one(&key(&mut app, KeyCode::Char('=')));
    assert_eq!(
        req.request.filters.as_ref().unwrap().to_string(),
        format!("domain_from = \"{want}\"")
    );
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "dofollow");
    key(&mut app, KeyCode::Down);
    let dofollow = app.results.rows[1].dofollow.unwrap();
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
fn s_cycles_desc_asc_off_on_the_server() {
    let mut app = partial();
    column(&mut app, "domain_from_rank");
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(order(&app), ["domain_from_rank,desc"]);
    assert_eq!(
        req.request.order_by,
        Some(vec![OrderBy::new("domain_from_rank", SortDir::Desc)])
    );
    app.update(loaded_items(&req, rich_items(1000), 5000));
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(order(&app), ["domain_from_rank,asc"]);
    app.update(loaded_items(&req, rich_items(1000), 5000));
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    assert!(order(&app).is_empty(), "off: the default order");
    assert_eq!(req.request.order_by, None);
    // The default is rank desc: s on rank goes straight to asc.
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "rank");
    sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(order(&app), ["rank,asc"]);
}

#[test]
fn capital_s_adds_keys_up_to_three() {
    let mut app = partial();
    column(&mut app, "domain_from_rank");
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "first_seen");
    let req = sent_one(&key(&mut app, KeyCode::Char('S')));
    assert_eq!(order(&app), ["domain_from_rank,desc", "first_seen,desc"]);
    app.update(loaded_items(&req, rich_items(1000), 5000));
    // S again on a key: asc, then removed.
    let req = sent_one(&key(&mut app, KeyCode::Char('S')));
    assert_eq!(order(&app), ["domain_from_rank,desc", "first_seen,asc"]);
    app.update(loaded_items(&req, rich_items(1000), 5000));
    column(&mut app, "anchor");
    let req = sent_one(&key(&mut app, KeyCode::Char('S')));
    app.update(loaded_items(&req, rich_items(1000), 5000));
    assert_eq!(
        order(&app),
        ["domain_from_rank,desc", "first_seen,asc", "anchor,desc"]
    );
    assert_eq!(app.query.order_by.len(), 3, "the query pane follows");
    // A fourth is refused, naming the limit; nothing is sent.
    column(&mut app, "dofollow");
    assert!(key(&mut app, KeyCode::Char('S')).is_empty());
    assert!(app.status.warning.as_deref().unwrap().contains("at most 3"));
    assert_eq!(order(&app).len(), 3);
    column(&mut app, "first_seen");
    sent_one(&key(&mut app, KeyCode::Char('S')));
    assert_eq!(order(&app), ["domain_from_rank,desc", "anchor,desc"]);
}

#[test]
fn the_marker_column_and_lists_are_not_sort_keys() {
    let mut app = partial();
    app.results.column = 0;
    assert!(key(&mut app, KeyCode::Char('s')).is_empty());
    assert!(
        app.status
            .warning
            .as_deref()
            .unwrap()
            .contains("marker column")
    );
    let e = backlinks::app::sort::check_sort_key("attributes").unwrap_err();
    assert!(e.contains("list"), "{e}");
    assert!(backlinks::app::sort::check_sort_key("domain_from_platform_type").is_err());
    assert!(backlinks::app::sort::check_sort_key("first_seen").is_ok());
}

#[test]
fn complete_results_sort_locally_without_a_request() {
    let mut app = complete(300);
    column(&mut app, "domain_from_rank");
    let cmds = key(&mut app, KeyCode::Char('s'));
    assert!(cmds.is_empty(), "no request: {cmds:?}");
    assert!(
        app.status
            .note
            .as_deref()
            .unwrap()
            .starts_with("sorted locally")
    );
    assert_eq!(app.results.rows.len(), 300);
    let o = app
        .results
        .query
        .as_ref()
        .unwrap()
        .order_by
        .clone()
        .unwrap();
    assert_eq!(o, [OrderBy::new("domain_from_rank", SortDir::Desc)]);
    let rows = &app.results.rows;
    for w in rows.windows(2) {
        assert_ne!(
            compare(&w[0], &w[1], &o),
            std::cmp::Ordering::Greater,
            "sorted"
        );
    }
    assert!(rows[0].domain_from_rank >= rows[1].domain_from_rank);
    assert!(
        rows.last().unwrap().domain_from_rank.is_none(),
        "nulls last"
    );
    // Add a second key, then switch it off again: still local.
    column(&mut app, "first_seen");
    assert!(key(&mut app, KeyCode::Char('S')).is_empty());
    let o = app
        .results
        .query
        .as_ref()
        .unwrap()
        .order_by
        .clone()
        .unwrap();
    assert_eq!(o.len(), 2);
    for w in app.results.rows.windows(2) {
        assert_ne!(compare(&w[0], &w[1], &o), std::cmp::Ordering::Greater);
    }
    assert_eq!(app.status.requests, 1, "only the first page was paid for");
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
    assert!(app.results.rows.iter().all(|r| compiled.matches(r)));
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
fn partial_results_and_grouped_modes_sort_on_the_server() {
    let mut app = partial();
    column(&mut app, "anchor");
    sent_one(&key(&mut app, KeyCode::Char('s')));
    // Grouped: one row per domain; a new sort picks other representatives, so the server.
    let mut app = support::app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char('i'));
    let first = run_target(&mut app, "forbes.com");
    assert!(first.request.mode.is_some());
    app.update(loaded_items(&first, rich_items(40), 40));
    assert!(app.results.is_complete());
    column(&mut app, "anchor");
    sent_one(&key(&mut app, KeyCode::Char('s')));
}

#[test]
fn the_filter_bar_points_at_the_error_and_applies_only_good_input() {
    let mut app = partial();
    key(&mut app, KeyCode::Char('F'));
    assert_eq!(app.focus, Focus::FilterBar);
    typed(&mut app, "rank >> 5");
    let bar = app.filters.bar.as_ref().unwrap();
    let e = bar.parsed.as_ref().unwrap_err();
    assert_eq!(e.column, 6, "the operator starts at column 6: {e:?}");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "not applied");
    assert_eq!(app.focus, Focus::FilterBar, "still open to fix it");
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
        app.filters.bar.as_ref().unwrap().input.value(),
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
    assert_eq!(app.focus, Focus::FilterBar);
    assert_eq!(
        app.filters.bar.as_ref().unwrap().input.value(),
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
