//! Sorting from the table: `s` cycles a column, `S` adds keys up to the API's 3, refusals, and
//! local sorting of a complete result versus a new query on the server.

mod support;

use backlinks::api::request::{OrderBy, SortDir};
use backlinks::app::sort::compare;
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;

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
fn s_on_one_key_of_several_acts_on_that_key_and_keeps_the_others() {
    let mut app = partial();
    column(&mut app, "domain_from_rank");
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    app.update(loaded_items(&req, rich_items(1000), 5000));
    for field in ["first_seen", "anchor"] {
        column(&mut app, field);
        let req = sent_one(&key(&mut app, KeyCode::Char('S')));
        app.update(loaded_items(&req, rich_items(1000), 5000));
    }
    column(&mut app, "first_seen");
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(
        order(&app),
        ["domain_from_rank,desc", "first_seen,asc", "anchor,desc"],
        "s on the second key switches its direction, in place"
    );
    app.update(loaded_items(&req, rich_items(1000), 5000));
    let req = sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(order(&app), ["domain_from_rank,desc", "anchor,desc"]);
    app.update(loaded_items(&req, rich_items(1000), 5000));
    // A column that is not a key still sorts alone.
    column(&mut app, "dofollow");
    sent_one(&key(&mut app, KeyCode::Char('s')));
    assert_eq!(order(&app), ["dofollow,desc"]);
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
    let rows = app.results.rows.to_vec();
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
    for w in app.results.rows.to_vec().windows(2) {
        assert_ne!(compare(&w[0], &w[1], &o), std::cmp::Ordering::Greater);
    }
    assert_eq!(app.status.requests, 1, "only the first page was paid for");
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
