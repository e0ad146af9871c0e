//! The statistics view: counts follow the pages as they arrive, and a bar becomes a filter.

mod support;

use std::time::Duration;

use backlinks::api::Backlink;
use backlinks::app::App;
use backlinks::app::msg::Msg;
use backlinks::app::overlay::Overlay;
use backlinks::app::stats::agg::Aggregate;
use backlinks::app::stats::charts::{ChartKind, chart};
use backlinks::fetch::{FetchEvent, FetchRequest, Page};
use backlinks::sim::dataset::{DatasetConfig, generate};
use crossterm::event::KeyCode;
use support::*;

/// 3,000 generated links of forbes.com (the simulator's data).
pub fn profile() -> Vec<Backlink> {
    generate(
        "forbes.com",
        &DatasetConfig {
            seed: 1,
            rows: Some(3000),
        },
    )
}

fn page_of(req: &FetchRequest, items: &[Backlink], total: u64) -> Msg {
    let start = req.row_start;
    let n = req.request.limit.unwrap() as usize;
    Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: start,
        page: Page {
            items: items[start..(start + n).min(items.len())].to_vec(),
            total_count: total,
            search_after_token: None,
            cost: 0.05,
            elapsed: Duration::from_millis(300),
            cached: false,
            body: None,
        },
    })
}

fn chart_kind(app: &App) -> ChartKind {
    match app.layers.window() {
        Some(Overlay::Stats(v)) => v.kind(),
        other => panic!("statistics view not open: {other:?}"),
    }
}

#[test]
fn counts_follow_the_pages_as_they_arrive() {
    let items = profile();
    let mut app = app();
    app.query.page_size = 1000;
    let first = run_target(&mut app, "forbes.com");
    app.update(page_of(&first, &items, 3000));
    // End asks for the second page; the view opens while it is on its way.
    let second = fetches(&key(&mut app, KeyCode::End)).remove(0);
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(app.stats.rows(), 1000);
    app.update(page_of(&second, &items, 3000));
    assert_eq!(app.stats.rows(), 2000, "counted on arrival");
    // Closed, the view still counts pages as they come: opening it has nothing to catch up.
    key(&mut app, KeyCode::Char('t'));
    let third = fetches(&key(&mut app, KeyCode::End)).remove(0);
    app.update(page_of(&third, &items, 3000));
    assert_eq!(app.stats.rows(), 3000);
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(app.results.rows.len(), 3000);
    assert_eq!(app.stats.rows(), 3000);
    // Page by page equals all at once.
    let mut whole = Aggregate::default();
    whole.add_all(&items);
    for (i, kind) in ChartKind::ALL.iter().enumerate() {
        assert_eq!(app.stats.charts[i], chart(&whole, *kind), "{kind:?}");
    }
    let follow = &app.stats.charts[0];
    assert_eq!(
        follow.bars[0].value + follow.bars[1].value + follow.missing,
        3000
    );
}

#[test]
fn a_country_bar_becomes_a_filter_and_a_new_query() {
    let items = profile();
    let mut app = app();
    app.query.filter = Some(backlinks::cli::parse_filter("dofollow = true").unwrap());
    let first = run_target(&mut app, "forbes.com");
    app.update(page_of(&first, &items, 27_214));
    key(&mut app, KeyCode::Char('t'));
    while chart_kind(&app) != ChartKind::Countries {
        key(&mut app, KeyCode::Char('l'));
    }
    key(&mut app, KeyCode::Char('j'));
    let countries = &app.stats.charts[6];
    let country = countries.bars[1].label.clone();
    let cmds = key(&mut app, KeyCode::Enter);
    let f = fetches(&cmds);
    assert_eq!(f.len(), 1, "{cmds:?}");
    assert!(f[0].generation > first.generation);
    let filter = f[0].request.filters.as_ref().unwrap().to_string();
    assert_eq!(
        filter,
        format!("dofollow = true and domain_from_country = \"{country}\"")
    );
    assert_eq!(
        app.query.filter.as_ref().unwrap().to_string(),
        filter,
        "the query pane shows it"
    );
    assert_eq!(
        chart_kind(&app),
        ChartKind::Countries,
        "the view stays, for the new rows"
    );
    assert_eq!(app.stats.rows(), 0, "counts start again with the new query");
    app.update(page_of(&f[0], &items, 812));
    assert_eq!(app.stats.rows(), 1000);
}

#[test]
fn range_bars_add_two_conditions_and_the_limit_is_kept() {
    let items = profile();
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(page_of(&first, &items, 3000));
    key(&mut app, KeyCode::Char('t'));
    while chart_kind(&app) != ChartKind::DomainRank {
        key(&mut app, KeyCode::Char('l'));
    }
    key(&mut app, KeyCode::Char('j'));
    let f = fetches(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        f[0].request.filters.as_ref().unwrap().to_string(),
        "domain_from_rank >= 100 and domain_from_rank < 200"
    );
    // Seven conditions already: a range would make nine.
    let seven = (0..7)
        .map(|i| format!("rank <> {i}"))
        .collect::<Vec<_>>()
        .join(" and ");
    app.query.filter = Some(backlinks::cli::parse_filter(&seven).unwrap());
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('i'));
    let first = run_target(&mut app, "forbes.com");
    app.update(page_of(&first, &items, 3000));
    key(&mut app, KeyCode::Char('t'));
    while chart_kind(&app) != ChartKind::DomainRank {
        key(&mut app, KeyCode::Char('l'));
    }
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(fetches(&cmds).is_empty());
    assert!(
        app.status
            .note
            .as_deref()
            .unwrap()
            .contains("more than 8 conditions")
    );
}

#[test]
fn months_filter_on_first_seen() {
    let items = profile();
    let mut app = app();
    let first = run_target(&mut app, "forbes.com");
    app.update(page_of(&first, &items, 3000));
    key(&mut app, KeyCode::Char('t'));
    while chart_kind(&app) != ChartKind::Months {
        key(&mut app, KeyCode::Char('h'));
    }
    let months = app.stats.charts[5].bars.clone();
    assert!(!months.is_empty() && months.len() <= 24);
    assert!(
        months.windows(2).all(|w| w[0].label < w[1].label),
        "oldest first"
    );
    key(&mut app, KeyCode::Char('G'));
    let last = months.last().unwrap().label.clone();
    let f = fetches(&key(&mut app, KeyCode::Enter));
    let text = f[0].request.filters.as_ref().unwrap().to_string();
    assert!(
        text.starts_with(&format!(
            "first_seen >= \"{last}-01 00:00:00 +00:00\" and first_seen < "
        )),
        "{text}"
    );
}
