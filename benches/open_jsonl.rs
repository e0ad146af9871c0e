//! Opening a 1,000,000-row JSONL file as `backlinks open` does: time to the first frame, to
//! every row in the app, and to every row in and sorted by rank (locally, by the `s` key).
//!
//! The file takes about 1.3 GB of disk in the temp folder; `BENCH_ROWS=N` makes a smaller one
//! where the disk is short.

mod big;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backlinks::app::App;
use backlinks::app::msg::{LoadEvent, Msg};
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use backlinks::store::read::CHUNK_ROWS;
use backlinks::store::{Format, ReadEvent, SetEnd, SetWriter, read_file};
use big::rows;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A 1M-row file of realistic items (the simulator's, repeated with distinct URLs).
fn make_file(dir: &Path) -> PathBuf {
    let path = dir.join("big.jsonl");
    let base = big::base();
    let mut w = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    for i in 0..rows() {
        w.write(&big::item(&base, i)).unwrap();
    }
    w.finish(&SetEnd::default()).unwrap();
    path
}

/// What `backlinks open` does with a file: a reader thread sends the rows in chunks to the
/// app, which takes them in as messages; the first frame is drawn after the first chunk.
/// Returns the app and the time from the start to the frame drawn (the first one, or the one
/// after the last row); stopping the reader afterwards is not counted.
fn open_in_app(path: &Path, stop_after_first_frame: bool) -> (App, Duration) {
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader_path = path.to_owned();
    let reader = std::thread::spawn(move || {
        let result = read_file(&reader_path, CHUNK_ROWS, |ev| {
            let ev = match ev {
                ReadEvent::Rows(r) => LoadEvent::Rows(r),
                ReadEvent::Meta(m) => LoadEvent::Meta(m),
                ReadEvent::BadLine { line, reason } => LoadEvent::BadLine { line, reason },
            };
            tx.send(Msg::FileLoad(ev)).is_ok()
        });
        let _ = tx.send(Msg::FileLoad(LoadEvent::Done(
            result.map(|_| ()).map_err(|e| e.to_string()),
        )));
    });
    let mut app = App::new(Source::Demo, Keymap::defaults());
    app.resize(160, 45);
    app.open_file(path);
    let mut term = Terminal::new(TestBackend::new(160, 45)).unwrap();
    while let Ok(msg) = rx.recv() {
        let done = matches!(msg, Msg::FileLoad(LoadEvent::Done(_)));
        app.update(msg);
        if stop_after_first_frame || done {
            term.draw(|f| backlinks::ui::render(&app, f)).unwrap();
            break;
        }
    }
    let took = started.elapsed();
    drop(rx); // the reader stops at its next chunk
    reader.join().unwrap();
    (app, took)
}

/// Runs `one` `iters` times and adds up the times it reports; dropping what it returns (a
/// million rows) is not counted: the app never frees them.
fn timed<T>(iters: u64, mut one: impl FnMut() -> (T, Duration)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let (value, took) = one();
        total += took;
        drop(black_box(value));
    }
    total
}

fn press(app: &mut App, c: char) {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = make_file(dir.path());
    let mut g = c.benchmark_group(format!("open_jsonl_{}", rows()));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("first_frame", |b| {
        b.iter_custom(|iters| timed(iters, || open_in_app(&path, true)));
    });
    g.bench_function("load_all", |b| {
        b.iter_custom(|iters| timed(iters, || open_in_app(&path, false)));
    });
    g.bench_function("load_and_sort_by_rank", |b| {
        b.iter_custom(|iters| {
            timed(iters, || {
                let (mut app, loaded) = open_in_app(&path, false);
                let sorting = Instant::now();
                press(&mut app, 'l'); // from the marker column to rank
                press(&mut app, 's');
                assert!(
                    app.status
                        .note
                        .as_deref()
                        .unwrap_or("")
                        .contains("sorted locally")
                );
                let took = loaded + sorting.elapsed();
                (app, took)
            })
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
