//! Builder, quick filters and sorting against the simulator over HTTP: what the app sends is
//! answered with rows that satisfy the filter, in the requested order, and the local sort of a
//! complete result orders rows exactly as the server does.

mod support;

use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::filter::{CompiledFilter, Filter};
use backlinks::api::request::{OrderBy, SortDir};
use backlinks::app::App;
use backlinks::app::columns::COLUMNS;
use backlinks::app::msg::{Cmd, Msg};
use backlinks::app::sort::compare;
use backlinks::fetch::Event;
use backlinks::fetch::worker::Worker;
use backlinks::sim::dataset::DatasetConfig;
use backlinks::sim::server::{RunningServer, ServerConfig, spawn};
use crossterm::event::KeyCode;
use support::filters::*;
use support::*;
use tokio::sync::mpsc;

const EXPR: &str = r#"dofollow = true and (anchor like "%news%" or domain_from_rank >= 500)"#;

struct Rig {
    server: RunningServer,
    client: HttpClient,
    worker: Worker,
    events: mpsc::UnboundedReceiver<Event>,
}

async fn rig() -> Rig {
    let server = spawn(ServerConfig {
        dataset: DatasetConfig {
            rows: Some(6000),
            ..DatasetConfig::default()
        },
        ..ServerConfig::default()
    })
    .await
    .expect("simulator");
    let client = HttpClient::new(ClientConfig::new(
        server.url(),
        Credentials::new("demo", "demo"),
    ))
    .expect("client");
    let (tx, events) = mpsc::unbounded_channel();
    let worker = Worker::spawn(client.clone(), tx);
    Rig {
        server,
        client,
        worker,
        events,
    }
}

impl Rig {
    /// Carries out `cmds` as the runtime would, feeding answers back, until nothing is in flight.
    async fn drive(&mut self, app: &mut App, cmds: Vec<Cmd>) {
        let mut pending = cmds;
        loop {
            for cmd in pending.drain(..) {
                // Other commands (quit, and any later kinds) play no part here.
                if let Cmd::Fetch(r) = cmd {
                    self.worker.fetch(r);
                } else if let Cmd::Supersede(g) = cmd {
                    self.worker.supersede(g);
                }
            }
            if !app.results.tail.is_loading() {
                return;
            }
            // On the paused clock, which moves only once every task waits: the limit is
            // reached only when the answer will never come.
            let ev = tokio::time::timeout(Duration::from_secs(30), self.events.recv())
                .await
                .expect("an answer in time")
                .expect("worker alive");
            pending = app.update(Msg::from(ev));
            assert!(
                app.results.tail.failure().is_none(),
                "{:?}",
                app.results.tail
            );
        }
    }

    async fn key(&mut self, app: &mut App, code: KeyCode) {
        let cmds = key(app, code);
        self.drive(app, cmds).await;
    }
}

fn column(app: &mut App, field: &str) {
    app.results.column = COLUMNS
        .iter()
        .position(|c| c.field == Some(field))
        .expect("a column");
}

fn assert_sorted(rows: &[backlinks::api::Row], order: &[OrderBy]) {
    for (i, w) in rows.windows(2).enumerate() {
        assert_ne!(
            compare(&w[0], &w[1], order),
            std::cmp::Ordering::Greater,
            "rows {i} and {} out of order under {order:?}",
            i + 1
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_builder_expression_and_two_sort_keys_come_back_filtered_and_ordered() {
    let mut rig = rig().await;
    let mut app = app();
    let cmds = {
        typed(&mut app, "forbes.com");
        key(&mut app, KeyCode::Enter)
    };
    rig.drive(&mut app, cmds).await;
    assert!(!app.results.rows.is_empty());

    // The expression, with the builder alone.
    key(&mut app, KeyCode::Char('f'));
    add_condition(&mut app, "dofollow", backlinks::api::filter::Op::Eq, "true");
    add_condition(
        &mut app,
        "anchor",
        backlinks::api::filter::Op::Like,
        "%news%",
    );
    add_condition(
        &mut app,
        "domain_from_rank",
        backlinks::api::filter::Op::Ge,
        "500",
    );
    select_line(&mut app, "anchor");
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('w'));
    assert_eq!(draft_text(&app), EXPR);
    rig.key(&mut app, KeyCode::Char('A')).await;

    // Sort by domain_from_rank, then first_seen.
    column(&mut app, "domain_from_rank");
    rig.key(&mut app, KeyCode::Char('s')).await;
    column(&mut app, "first_seen");
    rig.key(&mut app, KeyCode::Char('S')).await;
    let q = app.results.query.clone().unwrap();
    let order = vec![
        OrderBy::new("domain_from_rank", SortDir::Desc),
        OrderBy::new("first_seen", SortDir::Desc),
    ];
    assert_eq!(q.order_by.as_deref(), Some(&order[..]));
    assert_eq!(q.filters, Some(Filter::parse(EXPR).unwrap()));

    // Load everything (or a few pages), then check every row.
    for _ in 0..5 {
        rig.key(&mut app, KeyCode::End).await;
    }
    let rows = app.results.rows.to_vec();
    assert!(!rows.is_empty(), "the demo profile has matching links");
    let compiled = CompiledFilter::new(&Filter::parse(EXPR).unwrap()).unwrap();
    for r in &rows {
        assert!(
            compiled.matches(r),
            "{:?} does not satisfy the filter",
            r.url_from
        );
    }
    assert_sorted(&rows, &order);
    assert!(
        rows.windows(2)
            .any(|w| w[0].domain_from_rank == w[1].domain_from_rank),
        "ties exist, so the second key was exercised"
    );
    rig.server.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn local_sorting_of_a_complete_result_matches_the_server() {
    let mut rig = rig().await;
    let mut app = app();
    // A narrow query, so that one page holds every row.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(':'));
    typed(
        &mut app,
        r#"dofollow = true and domain_from_rank >= 300 and anchor ilike "%a%""#,
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('i'));
    let cmds = {
        typed(&mut app, "forbes.com");
        key(&mut app, KeyCode::Enter)
    };
    rig.drive(&mut app, cmds).await;
    let total = app.results.total.unwrap();
    assert!(
        (2..=1000).contains(&total),
        "one page holds the result: {total}"
    );
    assert!(app.results.is_complete());
    let requests = app.status.requests;

    for (field, add) in [
        ("anchor", false),
        ("first_seen", true),
        ("dofollow", false),
        ("page_from_rank", false),
        ("page_from_rank", false),
    ] {
        column(&mut app, field);
        let cmds = key(&mut app, KeyCode::Char(if add { 'S' } else { 's' }));
        assert!(cmds.is_empty(), "sorted locally, no request");
        assert!(app.status.note.as_deref().unwrap().contains("locally"));
        // The same request to the server gives the same order.
        let mut request = app.results.query.clone().unwrap();
        request.limit = Some(1000);
        let answer = rig.client.live(&request).await.expect("server answer");
        let server: Vec<Option<String>> = answer
            .result
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.url_from)
            .collect();
        let local: Vec<Option<String>> = app
            .results
            .rows
            .iter()
            .map(|i| i.url_from.clone())
            .collect();
        assert_eq!(local.len(), server.len());
        let first_difference = local.iter().zip(&server).position(|(a, b)| a != b);
        assert_eq!(
            first_difference, None,
            "local and server order differ under {:?}",
            request.order_by
        );
    }
    // A quick filter narrows locally, and matches the server's answer too.
    column(&mut app, "domain_from");
    let cmds = key(&mut app, KeyCode::Char('!'));
    assert!(cmds.is_empty());
    let mut request = app.results.query.clone().unwrap();
    request.limit = Some(1000);
    let answer = rig.client.live(&request).await.expect("server answer");
    assert_eq!(
        app.results.total,
        answer.result.total_count.map(|t| t as u64),
        "same count as the server"
    );
    assert_eq!(app.status.requests, requests, "nothing was paid for");
    rig.server.shutdown().await.unwrap();
}
