//! The loop: terminal input and worker events in, `App::update`, commands out, draw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive the
//! real loop with scripted keys and a `TestBackend`.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use std::task::Poll;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::msg::{Cmd, FetchEvent, Msg};
use crate::ui;
use crate::worker::Worker;

/// How often the spinner turns while a request is in flight.
const TICK: Duration = Duration::from_millis(100);

/// Translates a terminal event; key releases and repeats-as-release are dropped.
pub fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        _ => None,
    }
}

/// Runs until the app quits or the input ends. `initial` are commands to carry out first (the
/// query given on the command line); `observe` sees the state after every update (tests use
/// it to wait for a condition; the app passes a no-op).
pub async fn run<B, I>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: I,
    worker: &Worker,
    mut events: mpsc::UnboundedReceiver<FetchEvent>,
    initial: Vec<Cmd>,
    mut observe: impl FnMut(&App),
) -> io::Result<()>
where
    B: Backend,
    I: Stream<Item = io::Result<Event>> + Unpin,
{
    let size = terminal
        .size()
        .map_err(|e| io::Error::other(e.to_string()))?;
    app.resize(size.width, size.height);
    let mut pending = initial;
    pending.extend(app.update(Msg::Tick));
    if execute(pending, worker) {
        return Ok(());
    }
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    loop {
        if dirty {
            terminal
                .draw(|f| ui::render(app, f))
                .map_err(|e| io::Error::other(e.to_string()))?;
            observe(app);
            dirty = false;
        }
        let loading = app.results.in_flight.is_some();
        let msg = tokio::select! {
            ev = input.next() => match ev {
                Some(ev) => to_msg(ev?),
                None => return Ok(()),
            },
            Some(ev) = events.recv() => Some(Msg::Fetch(ev)),
            _ = tick.tick(), if loading => Some(Msg::Tick),
        };
        let Some(msg) = msg else { continue };
        if handle(app, msg, worker) {
            return Ok(());
        }
        // Merge a burst (held keys, several pages) into one draw. `poll!` polls with this
        // task's own waker: crossterm's EventStream keeps the first waker it is given while a
        // wake-up is pending, so a throw-away waker (`now_or_never`) would leave the loop asleep.
        loop {
            let next = if let Poll::Ready(Some(ev)) = futures::poll!(input.next()) {
                to_msg(ev?)
            } else if let Ok(ev) = events.try_recv() {
                Some(Msg::Fetch(ev))
            } else {
                break;
            };
            if let Some(msg) = next
                && handle(app, msg, worker)
            {
                return Ok(());
            }
        }
        dirty = true;
    }
}

fn handle(app: &mut App, msg: Msg, worker: &Worker) -> bool {
    let cmds = app.update(msg);
    execute(cmds, worker)
}

/// Carries out commands; true when the app should stop.
fn execute(cmds: Vec<Cmd>, worker: &Worker) -> bool {
    let mut quit = false;
    for cmd in cmds {
        match cmd {
            Cmd::Fetch(req) => worker.fetch(req),
            Cmd::Supersede(generation) => worker.supersede(generation),
            Cmd::Quit => quit = true,
        }
    }
    quit
}
