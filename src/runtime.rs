//! The loop: terminal input and worker events in, `App::update`, commands out, draw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive the
//! real loop with scripted keys and a `TestBackend`.

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::task::Poll;
use std::time::{Duration, SystemTime};

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::detail::age::UnixTime;
use crate::app::filters::Date;
use crate::app::msg::{Cmd, FetchEvent, Msg};
use crate::app::open::is_web_url;
use crate::clipboard::osc52;
use crate::worker::Worker;
use crate::{persist, ui};

/// How often the spinner turns while a request is in flight.
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
    mut events: mpsc::UnboundedReceiver<FetchEvent>,
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
    let mut pending = initial;
    app.now = Some(clock());
    pending.extend(app.update(Msg::Today(today())));
    pending.extend(app.update(Msg::Tick));
    if execute(pending, terminal, app, worker) {
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
        if handle(terminal, app, msg, worker) {
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
                && handle(terminal, app, msg, worker)
            {
                return Ok(());
            }
        }
        dirty = true;
    }
}

/// The time handed to the app for relative dates; read here, never inside `update`.
fn clock() -> UnixTime {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// Today's UTC date from the system clock (read here, never inside `update`).
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_secs(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn handle<B: Backend + RawOutput>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    msg: Msg,
    worker: &Worker,
) -> bool {
    app.now = Some(clock());
    let cmds = app.update(msg);
    execute(cmds, terminal, app, worker)
}

/// Carries out commands; true when the app should stop. A failed effect goes back to the app
/// as a message (and whatever that asks for is carried out too).
fn execute<B: Backend + RawOutput>(
    cmds: Vec<Cmd>,
    terminal: &mut Terminal<B>,
    app: &mut App,
    worker: &Worker,
) -> bool {
    let mut quit = false;
    let mut queue = std::collections::VecDeque::from(cmds);
    while let Some(cmd) = queue.pop_front() {
        match cmd {
            Cmd::Fetch(req) => worker.fetch(req),
            Cmd::Supersede(generation) => worker.supersede(generation),
            Cmd::Quit => quit = true,
            effect @ (Cmd::Copy(_) | Cmd::OpenUrl(_)) => {
                if let Err(text) = perform(&effect, terminal.backend_mut()) {
                    queue.extend(app.update(Msg::EffectFailed(text)));
                }
            }
            Cmd::Persist(p) => {
                let outcome = persist::execute(*p, SystemTime::now());
                queue.extend(app.update(Msg::Persisted(outcome)));
            }
        }
    }
    quit
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

/// Starts the system's opener on `url`, detached from the terminal; a thread reaps it.
fn open_url(url: &str) -> Result<(), String> {
    if !is_web_url(url) {
        return Err("only http(s) URLs are opened".into());
    }
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("explorer", &[])
    } else {
        ("xdg-open", &[])
    };
    let mut child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not open the browser ({program}: {e})"))?;
    std::thread::spawn(move || match child.wait() {
        Ok(status) if !status.success() => tracing::warn!(%status, "browser opener failed"),
        Err(e) => tracing::warn!(error = %e, "browser opener lost"),
        Ok(_) => {}
    });
    Ok(())
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
