//! The account's balance in the explorer (issue #16): read at start, kept current from each
//! page's cost, read again after a save or an export, shown in the status bar; a page that
//! costs more than it is refused before it is sent.
//!
//! The real loop runs against the simulator on loopback through the real HTTP client, on
//! tokio's paused clock (see `explorer_runtime.rs`); the rest are pure updates.

mod support;

use std::io;
use std::time::Duration;

use backlinks::api::ApiError;
use backlinks::api::client::{ClientConfig, Credentials, HttpClient};
use backlinks::api::user_data::UserData;
use backlinks::app::App;
use backlinks::app::balance::BalanceState;
use backlinks::app::budget::Limit;
use backlinks::app::msg::{Cmd, Msg, Saved};
use backlinks::fetch::Source;
use backlinks::fetch::worker::Worker;
use backlinks::keymap::Keymap;
use backlinks::runtime;
use backlinks::sim::server::{self, DEMO_BALANCE, RunningServer, ServerConfig};
use backlinks::ui;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;
use tokio::sync::{mpsc, watch};

fn http(server: &RunningServer) -> HttpClient {
    HttpClient::new(ClientConfig::new(
        server.url(),
        Credentials::new("demo", "demo"),
    ))
    .unwrap()
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "the input stream carries io::Result"
)]
fn press(code: KeyCode) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// What the test watches after every update.
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    rows: usize,
    loading: bool,
    balance: BalanceState,
    refused: bool,
}

/// The explorer's loop over the simulator, as `backlinks` runs it: the balance is read at
/// start, beside whatever else happens.
struct Explorer {
    keys: mpsc::UnboundedSender<io::Result<Event>>,
    seen: watch::Receiver<Seen>,
    done: tokio::task::JoinHandle<(App, Terminal<TestBackend>)>,
}

impl Explorer {
    fn start(server: &RunningServer, width: u16) -> Explorer {
        let source = http(server);
        let (keys, input) = mpsc::unbounded_channel();
        let input =
            futures::stream::unfold(
                input,
                |mut rx| async move { rx.recv().await.map(|e| (e, rx)) },
            )
            .boxed();
        let (seen_tx, seen) = watch::channel(Seen::default());
        let done = tokio::spawn(async move {
            let (events_tx, events_rx) = mpsc::unbounded_channel();
            let worker = Worker::spawn(source, events_tx);
            let mut app = App::new(Source::Demo, Keymap::defaults());
            let mut terminal = Terminal::new(TestBackend::new(width, 24)).unwrap();
            let initial = app.read_balance();
            runtime::run(
                &mut terminal,
                &mut app,
                input,
                &worker,
                events_rx,
                initial,
                |a| {
                    let _ = seen_tx.send(Seen {
                        rows: a.results.rows.len(),
                        loading: a.results.tail.is_loading(),
                        balance: a.balance,
                        refused: a.budget.short.is_some(),
                    });
                },
            )
            .await
            .unwrap();
            (app, terminal)
        });
        Explorer { keys, seen, done }
    }

    fn send(&self, events: impl IntoIterator<Item = io::Result<Event>>) {
        for e in events {
            self.keys.send(e).unwrap();
        }
    }

    fn run_query(&self, target: &str) {
        self.send(target.chars().map(|c| press(KeyCode::Char(c))));
        self.send([press(KeyCode::Enter)]);
    }

    /// Waits until the loop shows a state with `ok`; the limit is on the paused clock.
    async fn wait_for(&mut self, what: &str, ok: impl Fn(&Seen) -> bool) {
        let waited = tokio::time::timeout(Duration::from_mins(1), self.seen.wait_for(|s| ok(s)))
            .await
            .map(|r| r.map(|_| ()));
        assert!(
            waited.is_ok(),
            "timed out waiting for {what}: {:?}",
            *self.seen.borrow()
        );
    }

    async fn quit(self) -> (App, Terminal<TestBackend>) {
        self.send([press(KeyCode::Char('q'))]);
        tokio::time::timeout(Duration::from_secs(30), self.done)
            .await
            .unwrap()
            .unwrap()
    }
}

/// The status bar: the screen's last line but one.
fn status_line(terminal: &Terminal<TestBackend>) -> String {
    line(terminal, terminal.backend().buffer().area.height - 2)
}

/// Line `y` of the screen, without its trailing blanks.
fn line(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .trim_end()
        .to_owned()
}

fn read(usd: f64) -> Msg {
    let body = format!(r#"{{"tasks":[{{"result":[{{"money":{{"balance":{usd}}}}}]}}]}}"#);
    Msg::Balance(Ok(UserData::from_body(body.as_bytes()).unwrap()))
}

#[tokio::test(start_paused = true)]
async fn the_simulators_balance_goes_down_by_exactly_what_the_session_cost() {
    let server = server::spawn(ServerConfig::default()).await.unwrap();
    let mut x = Explorer::start(&server, 160);
    x.wait_for("the balance read at start", |s| {
        matches!(s.balance, BalanceState::Read(_))
    })
    .await;
    x.run_query("forbes.com");
    x.wait_for("the first page", |s| s.rows == 1000 && !s.loading)
        .await;
    // Two more pages, as a user scrolling down asks for them.
    x.send([press(KeyCode::Char('G'))]);
    x.wait_for("the second page", |s| s.rows == 2000 && !s.loading)
        .await;
    x.send([press(KeyCode::Char('G'))]);
    x.wait_for("the third page", |s| s.rows == 3000 && !s.loading)
        .await;
    let (app, terminal) = x.quit().await;

    let spent = app.status.session_cost;
    assert_eq!(app.status.requests, 3);
    assert!((spent - 0.15).abs() < 1e-9, "three pages of 1,000: {spent}");
    let shown = app.balance_left().expect("a balance");
    assert!(
        (shown - (DEMO_BALANCE - spent)).abs() < 1e-9,
        "{shown} = {DEMO_BALANCE} - {spent}"
    );
    // What the account says now, read afresh, is what the status bar had worked out.
    let server_says = http(&server).user_data().await.unwrap().balance().unwrap();
    assert!(
        (server_says - shown).abs() < 1e-6,
        "{server_says} vs {shown}"
    );
    let line = status_line(&terminal);
    assert!(line.contains("balance $49.85"), "{line}");
    assert!(line.contains("session $0.1500"), "{line}");
}

#[tokio::test(start_paused = true)]
async fn a_page_above_the_balance_is_refused_and_never_sent() {
    let server = server::spawn(ServerConfig {
        balance: 0.02,
        ..ServerConfig::default()
    })
    .await
    .unwrap();
    let mut x = Explorer::start(&server, 80);
    x.wait_for("the balance read at start", |s| {
        matches!(s.balance, BalanceState::Read(_))
    })
    .await;
    x.run_query("forbes.com");
    x.wait_for("the refusal", |s| s.refused).await;
    // `r` reads the balance again (it may have been topped up); still short, still refused.
    x.send([press(KeyCode::Char('r'))]);
    x.wait_for("the second read", |s| {
        s.refused && matches!(s.balance, BalanceState::Read(_))
    })
    .await;
    let (app, terminal) = x.quit().await;

    assert_eq!(server.live_calls(), 0, "no page request reached the server");
    assert_eq!(app.status.requests, 0);
    assert!(app.results.rows.is_empty());
    let short = app.budget.short.expect("held back");
    assert_eq!(short.of, Limit::Balance);
    let line = status_line(&terminal);
    assert!(
        line.contains("not sent: page $0.05 > balance $0.02"),
        "{line}"
    );
    assert_eq!(
        short.describe(),
        "balance $0.02 is less than this request's $0.05"
    );
    assert_eq!(
        http(&server).user_data().await.unwrap().balance(),
        Some(0.02),
        "nothing was spent"
    );
}

#[tokio::test(start_paused = true)]
async fn an_old_server_without_the_endpoint_shows_a_question_mark_and_blocks_nothing() {
    let server = server::spawn(ServerConfig::default()).await.unwrap();
    // A base URL under which the simulator serves nothing: its account path answers 404 /
    // 40400, as a server without the endpoint does.
    let source = HttpClient::new(ClientConfig::new(
        format!("{}/old", server.url()),
        Credentials::new("demo", "demo"),
    ))
    .unwrap();
    let err = source.user_data().await.unwrap_err();
    assert_eq!(err.code(), Some(40400), "{err}");

    let mut a = app();
    assert_eq!(a.read_balance(), [Cmd::ReadBalance]);
    a.update(Msg::Balance(Err(err)));
    assert_eq!(a.balance, BalanceState::Failed);
    assert!(a.status.error.is_none(), "no error message for it");
    assert!(a.layers.is_empty(), "no popup");
    let req = run_target(&mut a, "forbes.com");
    assert_eq!(req.row_start, 0, "the first page goes out as usual");
    a.update(loaded(&req, 1000, 46_873));
    let line = draw_status(&mut a, 80);
    assert!(line.ends_with("balance ?"), "{line}");
}

/// The status bar of `app` drawn `w` columns wide.
fn draw_status(app: &mut App, w: u16) -> String {
    app.update(Msg::Resize(w, 24));
    let mut terminal = Terminal::new(TestBackend::new(w, 24)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    status_line(&terminal)
}

#[test]
fn the_balance_follows_each_pages_cost_and_is_read_again_after_a_save() {
    let mut a = app();
    assert_eq!(a.read_balance(), [Cmd::ReadBalance]);
    assert_eq!(a.balance_left(), None, "nothing shown until it answers");
    a.update(read(48.21));
    assert_eq!(a.balance_left(), Some(48.21));
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 46_873));
    assert!((a.balance_left().unwrap() - 48.16).abs() < 1e-9);
    assert!(draw_status(&mut a, 80).ends_with("balance $48.16"));

    // A save finished: read again. Meanwhile the last amount stays on screen.
    let cmds = a.update(Msg::Saved(Ok(Saved {
        path: "x.csv".into(),
        rows: 1000,
    })));
    assert!(cmds.contains(&Cmd::ReadBalance), "{cmds:?}");
    assert!((a.balance_left().unwrap() - 48.16).abs() < 1e-9);
    // The account was spent from elsewhere too: the new reading wins.
    a.update(read(40.0));
    assert_eq!(a.balance_left(), Some(40.0));
    // A failed save spends nothing and reads nothing.
    let cmds = a.update(Msg::Saved(Err("disk full".into())));
    assert!(!cmds.contains(&Cmd::ReadBalance));
}

#[test]
fn an_export_that_finishes_has_the_balance_read_again() {
    let mut a = whole_result_past_the_budget();
    a.update(read(10.0));
    // The save's question (past the budget, within the balance): yes.
    let cmds = key(&mut a, KeyCode::Char('y'));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::Export(_))), "{cmds:?}");
    let cmds = a.update(Msg::Export(backlinks::fetch::ExportEvent::Finished(Err(
        "the API went away".into(),
    ))));
    assert!(cmds.contains(&Cmd::ReadBalance), "{cmds:?}");
}

#[test]
fn a_whole_result_save_above_the_balance_is_refused_with_the_reason() {
    let mut a = whole_result_past_the_budget();
    // $0.15 was spent after a reading of $1.00: $0.85 left, and the rest is 20 pages.
    a.balance = BalanceState::Read(backlinks::app::balance::Reading {
        usd: 1.0,
        spent: 0.0,
    });
    // The dialog priced the rest before the balance was known; ask again.
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: backlinks::app::msg::PathKind::Missing,
    });
    let d = a.layers.save().expect("the dialog");
    let backlinks::app::save::SaveStage::ConfirmPrice(e, Some(over)) = d.stage.clone() else {
        panic!("a price: {:?}", d.stage)
    };
    assert_eq!(over.of, Limit::Balance, "the balance, before the budget");
    assert!(e.price > 0.85, "{e:?}");
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    a.update(Msg::Resize(120, 30));
    terminal.draw(|f| ui::render(&a, f)).unwrap();
    let screen = format!("{:?}", terminal.backend());
    assert!(screen.contains("not possible"), "{screen}");
    let hints = line(&terminal, 29);
    assert_eq!(hints.trim(), "esc back", "nothing to say yes to");
    // Yes is not possible: no export, back to the name with the reason.
    let cmds = key(&mut a, KeyCode::Char('y'));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Export(_))),
        "{cmds:?}"
    );
    let d = a.layers.save().expect("still open");
    let why = d.error.clone().unwrap();
    assert!(
        why.starts_with("not saving the whole result: balance $0.85 is less than this save's $"),
        "{why}"
    );
}

#[test]
fn a_file_has_no_balance() {
    let mut a = App::new(
        Source::File {
            path: "links.csv".into(),
        },
        Keymap::defaults(),
    );
    assert!(a.read_balance().is_empty(), "no account to ask");
    assert_eq!(a.balance, BalanceState::NotRead);
    assert!(!draw_status(&mut a, 160).contains("balance"));
}

#[test]
fn the_status_bar_at_80x24_with_the_balance() {
    let mut a = app();
    a.read_balance();
    a.update(read(48.21));
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 46_873));
    for _ in 0..3 {
        key(&mut a, KeyCode::Down);
    }
    a.update(Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::render(&a, f)).unwrap();
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_failed_read_is_a_question_mark_and_a_new_read_replaces_it() {
    let mut a = app();
    a.read_balance();
    a.update(Msg::Balance(Err(ApiError::Transport("refused".into()))));
    assert_eq!(a.balance, BalanceState::Failed);
    assert!(draw_status(&mut a, 80).ends_with("balance ?"));
    a.read_balance();
    a.update(read(3.5));
    assert_eq!(a.balance_left(), Some(3.5));
    // An answer without a balance in it says nothing either.
    a.read_balance();
    a.update(Msg::Balance(Ok(UserData::default())));
    assert_eq!(a.balance, BalanceState::Failed);
}

#[test]
fn the_status_bar_at_80x24_when_the_next_page_costs_more_than_the_balance() {
    let mut a = app();
    a.read_balance();
    a.update(read(0.07));
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 46_873));
    // $0.02 left; scrolling to the end wants the next page, which costs up to $0.05.
    let cmds = key(&mut a, KeyCode::End);
    assert!(fetches(&cmds).is_empty(), "not sent: {cmds:?}");
    assert!(a.layers.is_empty(), "no question: it cannot be sent anyway");
    a.update(Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::render(&a, f)).unwrap();
    insta::assert_snapshot!(terminal.backend());
    // Topped up since: `r` reads it again, and the page goes.
    let cmds = key(&mut a, KeyCode::Char('r'));
    assert_eq!(cmds, [Cmd::ReadBalance]);
    let cmds = a.update(read(5.0));
    assert_eq!(fetches(&cmds).len(), 1, "{cmds:?}");
    assert!(a.budget.short.is_none());
}
