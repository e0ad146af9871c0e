//! The loop: terminal input and worker events in, `App::update`, commands out, draw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive the
//! real loop with scripted keys and a `TestBackend`.

use std::io;
use std::path::PathBuf;
use std::time::Duration;
use std::time::SystemTime;

use crossterm::event::{Event, KeyEventKind};
use std::task::Poll;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::msg::{Cmd, FetchEvent, LoadEvent, Msg, PathKind, SaveRequest, Saved};
use crate::export::Cancel;
use crate::store::{self, ReadEvent};
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
    let (io_tx, mut io_rx) = mpsc::unbounded_channel();
    let mut io = Io {
        worker,
        tx: io_tx,
        export: None,
    };
    let mut pending = initial;
    pending.extend(app.update(Msg::Tick));
    if io.execute(pending) {
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
            Some(msg) = io_rx.recv() => Some(msg),
            _ = tick.tick(), if loading => Some(Msg::Tick),
        };
        let Some(msg) = msg else { continue };
        if io.handle(app, msg) {
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
            } else if let Ok(msg) = io_rx.try_recv() {
                Some(msg)
            } else {
                break;
            };
            if let Some(msg) = next
                && io.handle(app, msg)
            {
                return Ok(());
            }
        }
        dirty = true;
    }
}

/// What commands act on: the fetch worker, the channel back to the loop for the answers of
/// file and export commands, and the running export's stop switch.
struct Io<'w> {
    worker: &'w Worker,
    tx: mpsc::UnboundedSender<Msg>,
    export: Option<Cancel>,
}

impl Io<'_> {
    fn handle(&mut self, app: &mut App, msg: Msg) -> bool {
        app.clock = SystemTime::now();
        let cmds = app.update(msg);
        self.execute(cmds)
    }

    /// Carries out commands; true when the app should stop.
    fn execute(&mut self, cmds: Vec<Cmd>) -> bool {
        let mut quit = false;
        for cmd in cmds {
            match cmd {
                Cmd::Fetch(req) => self.worker.fetch(req),
                Cmd::Supersede(generation) => self.worker.supersede(generation),
                Cmd::Quit => quit = true,
                Cmd::ProbePath(path) => {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let kind = match tokio::fs::metadata(&path).await {
                            Ok(m) if m.is_dir() => PathKind::Folder,
                            Ok(_) => PathKind::File,
                            Err(_) => PathKind::Missing,
                        };
                        let _ = tx.send(Msg::PathProbed { path, kind });
                    });
                }
                Cmd::Save(req) => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let SaveRequest {
                            path,
                            format,
                            meta,
                            rows,
                        } = *req;
                        let result = store::write_set(&path, format, &meta, &rows)
                            .map(|n| Saved { path, rows: n })
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::Saved(result));
                    });
                }
                Cmd::Export(req) => {
                    let cancel = Cancel::new();
                    self.export = Some(cancel.clone());
                    self.worker.export(req, cancel, self.tx.clone());
                }
                Cmd::CancelExport => {
                    if let Some(c) = &self.export {
                        c.cancel();
                    }
                }
                Cmd::LoadFile(path) => load_file(path, self.tx.clone()),
            }
        }
        quit
    }
}

/// Reads `path` on a blocking thread, sending its rows as they come.
fn load_file(path: PathBuf, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let result = store::read_file(&path, store::read::CHUNK_ROWS, |ev| {
            let ev = match ev {
                ReadEvent::Rows(rows) => LoadEvent::Rows(rows),
                ReadEvent::Meta(meta) => LoadEvent::Meta(meta),
                ReadEvent::BadLine { line, reason } => LoadEvent::BadLine { line, reason },
            };
            tx.send(Msg::FileLoad(ev)).is_ok()
        });
        let done = result.map(|_| ()).map_err(|e| e.to_string());
        let _ = tx.send(Msg::FileLoad(LoadEvent::Done(done)));
    });
}
