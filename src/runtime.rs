//! The loop: terminal input and worker events in, `App::update`, commands out, draw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive the
//! real loop with scripted keys and a `TestBackend`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::task::Poll;
use std::time::{Duration, SystemTime};

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::msg::{Cmd, DisavowRequest, LoadEvent, Msg, PathKind, SaveRequest, Saved};
use crate::app::open::is_web_url;
use crate::app::results::{OpenedStore, Rows};
use crate::clipboard::osc52;
use crate::fetch::Event as WorkerEvent;
use crate::fetch::export::Cancel;
use crate::fetch::worker::Worker;
use crate::store::{self, Format, ReadEvent, SetEnd, SetMeta, SetWriter};
use crate::{persist, ui};

/// How often the spinner turns while a request is in flight (and the clock moves on for a
/// retry's countdown and a message's expiry).
const TICK: Duration = Duration::from_millis(100);

/// Bytes for the terminal itself, beside the drawing: the OSC 52 clipboard sequence.
pub trait RawOutput {
    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()>;
}

impl<W: Write> RawOutput for CrosstermBackend<W> {
    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)?;
        Write::flush(self)
    }
}

/// Test screens have no clipboard; what would be copied is checked on the `Cmd`.
impl RawOutput for TestBackend {
    fn write_raw(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

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
    mut events: mpsc::UnboundedReceiver<WorkerEvent>,
    initial: Vec<Cmd>,
    mut observe: impl FnMut(&App),
) -> io::Result<()>
where
    B: Backend + RawOutput,
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
    app.set_clock(SystemTime::now());
    let mut pending = initial;
    pending.extend(app.update(Msg::Tick));
    if io.execute(pending, terminal, app) {
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
        let ticking = app.wants_tick();
        let working = app.wants_work();
        // Keys first: long work goes on only while nothing else is waiting.
        let msg = tokio::select! {
            biased;
            ev = input.next() => match ev {
                Some(ev) => to_msg(ev?),
                None => return Ok(()),
            },
            Some(ev) = events.recv() => Some(Msg::from(ev)),
            Some(msg) = io_rx.recv() => Some(msg),
            _ = tick.tick(), if ticking => Some(Msg::Tick),
            () = std::future::ready(()), if working => Some(Msg::Work),
        };
        let Some(msg) = msg else { continue };
        if io.handle(terminal, app, msg) {
            return Ok(());
        }
        // Merge a burst (held keys, several pages) into one draw. `poll!` polls with this
        // task's own waker: crossterm's EventStream keeps the first waker it is given while a
        // wake-up is pending, so a throw-away waker (`now_or_never`) would leave the loop asleep.
        loop {
            let next = if let Poll::Ready(Some(ev)) = futures::poll!(input.next()) {
                to_msg(ev?)
            } else if let Ok(ev) = events.try_recv() {
                Some(Msg::from(ev))
            } else if let Ok(msg) = io_rx.try_recv() {
                Some(msg)
            } else {
                break;
            };
            if let Some(msg) = next
                && io.handle(terminal, app, msg)
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
    fn handle<B: Backend + RawOutput>(
        &mut self,
        terminal: &mut Terminal<B>,
        app: &mut App,
        msg: Msg,
    ) -> bool {
        app.set_clock(SystemTime::now());
        let cmds = app.update(msg);
        self.execute(cmds, terminal, app)
    }

    /// Carries out commands; true when the app should stop. A failed effect goes back to the
    /// app as a message (and whatever that asks for is carried out too).
    fn execute<B: Backend + RawOutput>(
        &mut self,
        cmds: Vec<Cmd>,
        terminal: &mut Terminal<B>,
        app: &mut App,
    ) -> bool {
        let mut quit = false;
        let mut queue = std::collections::VecDeque::from(cmds);
        while let Some(cmd) = queue.pop_front() {
            match cmd {
                effect @ (Cmd::Copy(_) | Cmd::OpenUrl(_)) => {
                    if let Err(text) = perform(&effect, terminal.backend_mut()) {
                        queue.extend(app.update(Msg::EffectFailed(text)));
                    }
                }
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
                        let result = write_rows(&path, format, &meta, &rows)
                            .map(|n| Saved { path, rows: n });
                        let _ = tx.send(Msg::Saved(result));
                    });
                }
                Cmd::Disavow(req) => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let _ = tx.send(Msg::Disavowed(write_disavow(*req)));
                    });
                }
                Cmd::Export(req) => {
                    let cancel = Cancel::new();
                    self.export = Some(cancel.clone());
                    self.worker.export(req, cancel);
                }
                Cmd::CancelExport => {
                    if let Some(c) = &self.export {
                        c.cancel();
                    }
                }
                Cmd::LoadFile(path) => load_file(path, self.tx.clone()),
                Cmd::ReadBalance => self.worker.read_balance(),
                // Small writes (a history line, a view file), done on the spot so the last
                // history line is written before a quit ends the loop.
                Cmd::Persist(p) => {
                    let outcome = persist::execute(*p, SystemTime::now());
                    queue.extend(app.update(Msg::Persisted(outcome)));
                }
            }
        }
        quit
    }
}

/// Writes `rows` to a set file, streamed a chunk at a time (rows read from a store are never
/// all decoded at once). A row that cannot be read back (the opened file changed) fails the
/// save and leaves no file.
pub fn write_rows(path: &Path, format: Format, meta: &SetMeta, rows: &Rows) -> Result<u64, String> {
    let mut w = SetWriter::create(
        path,
        format,
        meta.query.as_ref(),
        meta.fetched_at.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let mut failed = None;
    let read = rows.try_chunks(0, rows.len(), |_, chunk| {
        if failed.is_none()
            && let Err(e) = w.write_all(chunk)
        {
            failed = Some(e);
        }
    });
    read.map_err(|e| e.to_string())?;
    if let Some(e) = failed {
        return Err(e.to_string());
    }
    w.finish(&SetEnd {
        total_count: meta.total_count,
        cost: meta.cost,
        partial: meta.partial,
    })
    .map_err(|e| e.to_string())
}

/// Writes a disavow file for the save dialog; the note says what changed.
fn write_disavow(req: DisavowRequest) -> Result<String, String> {
    let merge = req.merge.then_some(req.path.as_path());
    let plan = crate::disavow::file::write(&req.path, merge, req.entries, &req.origin)
        .map_err(|e| e.to_string())?;
    let what = req.origin.by.plural();
    Ok(if req.merge {
        format!(
            "added {} {what} to {} ({} already there)",
            crate::text::group(plan.added as u64),
            req.path.display(),
            crate::text::group(plan.already as u64)
        )
    } else {
        format!(
            "wrote {} {what} to {}",
            crate::text::group(plan.added as u64),
            req.path.display()
        )
    })
}

/// Reads `path` on a blocking thread: the first rows at once (the first screen), then the
/// whole file indexed into a row store, whose rows are read back from the file on demand.
/// A file the store cannot take is read whole, as it always was, after the rows already sent.
fn load_file(path: PathBuf, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        // An export's manifest says what the rows answer and whether the file is partial (a
        // saved JSON set says it again inside, and that comes later).
        if let Some(m) = crate::fetch::export::manifest::read_beside(&path) {
            let _ = tx.send(Msg::FileLoad(LoadEvent::Meta(Box::new(m.set_meta()))));
        }
        // The first screen: the reader's first chunk. Bad lines are left for the store (or
        // the whole read below) to report, once.
        let mut sent = 0;
        let _ = store::read_file(&path, store::read::CHUNK_ROWS, |ev| match ev {
            ReadEvent::Rows(rows) => {
                sent = rows.len();
                let _ = tx.send(Msg::FileLoad(LoadEvent::Rows(rows)));
                false
            }
            ReadEvent::Meta(meta) => tx.send(Msg::FileLoad(LoadEvent::Meta(meta))).is_ok(),
            ReadEvent::BadLine { .. } => true,
        });
        // A JSON set says what it answers at its end: read just its head and closing line.
        // Other JSON documents (a raw API response) are read whole, as before.
        let meta = match store::read::detect(&path) {
            Ok(Format::Json) if !starts_with_bracket(&path) => {
                store::json::meta_only(&path).map(Some)
            }
            _ => Some(None),
        };
        if let Some(meta) = meta
            && let Ok(opened) = crate::rows::RowStore::open(&path)
        {
            if let Some(meta) = meta {
                let _ = tx.send(Msg::FileLoad(LoadEvent::Meta(Box::new(meta))));
            }
            let _ = tx.send(Msg::FileLoad(LoadEvent::Store(OpenedStore::new(opened))));
            let _ = tx.send(Msg::FileLoad(LoadEvent::Done(Ok(()))));
            return;
        }
        let mut skip = sent;
        let result = store::read_file(&path, store::read::CHUNK_ROWS, |ev| {
            let ev = match ev {
                ReadEvent::Rows(mut rows) => {
                    let n = skip.min(rows.len());
                    skip -= n;
                    rows.drain(..n);
                    if rows.is_empty() {
                        return true;
                    }
                    LoadEvent::Rows(rows)
                }
                ReadEvent::Meta(meta) => LoadEvent::Meta(meta),
                ReadEvent::BadLine { line, reason } => LoadEvent::BadLine { line, reason },
            };
            tx.send(Msg::FileLoad(ev)).is_ok()
        });
        // The FILE badge names the file: the message need not.
        let done = result.map(|_| ()).map_err(|e| e.without_path());
        let _ = tx.send(Msg::FileLoad(LoadEvent::Done(done)));
    });
}

/// Whether a file's first non-blank byte opens a JSON array (a plain array of items).
fn starts_with_bracket(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// Carries out a copy or an open; the error text is for the status bar.
pub fn perform(cmd: &Cmd, out: &mut impl RawOutput) -> Result<(), String> {
    match cmd {
        Cmd::Copy(text) => out
            .write_raw(osc52(text).as_bytes())
            .map_err(|e| format!("copy failed: {e}")),
        Cmd::OpenUrl(url) => open_url(url),
        _ => Ok(()),
    }
}

/// Opens `url` through the `webbrowser` crate, which honours `$BROWSER` and knows WSL, macOS
/// and Windows. A dry run first says whether any browser is there, so that case gets a useful
/// message at once; the real start runs on a thread, because for some browsers the crate
/// waits until the browser exits, and the loop must not.
fn open_url(url: &str) -> Result<(), String> {
    if !is_web_url(url) {
        return Err("only http(s) URLs are opened".into());
    }
    let mut dry = webbrowser::BrowserOptions::new();
    dry.with_dry_run(true);
    if let Err(e) = webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &dry) {
        tracing::warn!(error = %e, "no browser to open a URL with");
        return Err(no_browser_message());
    }
    let url = url.to_owned();
    std::thread::spawn(move || {
        if let Err(e) = webbrowser::open(&url) {
            tracing::warn!(error = %e, "the browser did not start");
        }
    });
    Ok(())
}

/// Said when no browser can be found: how to name one.
fn no_browser_message() -> String {
    "no browser found: set $BROWSER (e.g. BROWSER=firefox)".into()
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    struct Recorder(Vec<u8>);

    impl RawOutput for Recorder {
        fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
            self.0.extend_from_slice(bytes);
            Ok(())
        }
    }

    #[test]
    fn a_copy_writes_exactly_one_osc52_sequence_with_the_value() {
        let mut out = Recorder(Vec::new());
        let value = "https://www.opencart.com/ \u{1b}]0;x\u{7}";
        perform(&Cmd::Copy(value.to_owned()), &mut out).unwrap();
        let written = String::from_utf8(out.0).unwrap();
        let b64 = written
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|s| s.strip_suffix('\u{7}'))
            .expect("ESC ] 52 ; c ; <base64> BEL and nothing else");
        assert_eq!(STANDARD.decode(b64).unwrap(), value.as_bytes());
    }

    #[test]
    fn refused_urls_never_reach_the_opener() {
        let mut out = Recorder(Vec::new());
        let err = perform(&Cmd::OpenUrl("file:///etc/passwd".into()), &mut out).unwrap_err();
        assert!(err.contains("http"));
        assert!(out.0.is_empty());
    }
}
