//! `backlinks export TARGET --output FILE`: fetch every row of a query into a file, headless.
//! The first page tells the size; the rest is priced before a cent more is spent. When that
//! price is above `--budget`, the person at the terminal is asked (`y/n`, with how far past
//! the budget it goes); without a terminal `--yes` is needed (see [`ask`]). Progress goes to
//! stderr.
//!
//! The account's balance is read first (free): a first page, or a rest, that costs more than
//! it is refused before it is sent (exit 2), whatever `--yes` says; the API would refuse it
//! anyway, after the wait. When the balance cannot be read the export goes on without it.
//!
//! `-o -` streams the set to stdout (CSV unless `--format` says otherwise), with no manifest
//! unless `--manifest FILE`. When the reader goes away (`| head`) the write fails, the engine
//! admits no further page, and the export ends quietly after the pages already in flight.
//!
//! Exit status: 0 complete (or stdout closed by its reader), 1 failed, 2 bad arguments,
//! 3 stopped (budget or Ctrl-C) with a partial file.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use crate::api::request::{LiveRequest, MAX_LIMIT};
use crate::api::target::normalize_target;
use crate::api::time;
use crate::app::budget::{Overrun, page_estimate};
use crate::cli::{Cli, ExportArgs, QueryArgs};
use crate::config;
use crate::fetch::Cursor;
use crate::fetch::Source;
use crate::fetch::export::estimate::Estimate;
use crate::fetch::export::finish::{ExportInfo, finish};
use crate::fetch::export::manifest;
use crate::fetch::export::partition::{self, Choice, Shape};
use crate::fetch::export::{self, Cancel, ExportJob, Outcome, Progress, Stop};
use crate::fetch::worker::PageSource;
use crate::store::cache::Cached;
use crate::store::{Format, SetWriter, StoreError};
use crate::text::group;

pub mod ask;
mod progress;

use super::CommandError;
use super::backend::Backend;

use ask::{Asker, Decision};
use progress::Printer;

/// Exit statuses of `export`.
pub mod status {
    pub const COMPLETE: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const BAD_ARGUMENTS: u8 = 2;
    pub const PARTIAL: u8 = 3;
}

/// What `export` was asked to do (parsed flags).
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub target: String,
    pub query: QueryArgs,
    pub output: PathBuf,
    pub format: Option<Format>,
    /// Where the manifest goes instead of beside the output (with `-o -`: whether there is
    /// one at all).
    pub manifest: Option<PathBuf>,
    pub max_rows: Option<u64>,
    /// Accept an estimate above the budget.
    pub yes: bool,
    /// USD.
    pub budget: f64,
}

/// `backlinks export`: chooses the backend like the explorer, then [`run`]s. Ctrl-C stops
/// after the pages in flight and keeps a partial file.
pub fn main(cli: &Cli, args: &ExportArgs) -> u8 {
    let mut query = args.query.clone();
    if let Some(name) = &args.view {
        match crate::views::load(name) {
            Ok(view) => view.fill_args(&mut query),
            Err(e) => {
                eprintln!("backlinks export: {e}");
                return status::BAD_ARGUMENTS;
            }
        }
    }
    let opts = ExportOptions {
        target: args.target.clone(),
        query,
        output: args.output.clone(),
        format: args.format,
        manifest: args.manifest.clone(),
        max_rows: args.max_rows,
        yes: args.yes,
        budget: args.budget,
    };
    let fail = |e: CommandError| {
        eprintln!("backlinks export: {e}");
        e.exit_code()
    };
    let loaded = match config::load(cli.config.as_deref(), &|k| std::env::var(k).ok()) {
        Ok(l) => l,
        Err(e) => return fail(e.into()),
    };
    let guard = !args.no_formula_guard && loaded.settings.csv_formula_guard != Some(false);
    crate::store::csv::set_formula_guard(guard);
    for w in &loaded.warnings {
        eprintln!("backlinks export: {w}");
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return fail(e.into()),
    };
    rt.block_on(async {
        let backend = match Backend::choose(cli, &loaded).await {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        let (source, problem) = match backend.source(cli) {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        if let Some(p) = problem {
            eprintln!("backlinks export: {p}");
        }
        if backend.source == Source::Demo {
            eprintln!(
                "backlinks export: no credentials: exporting demo data from the built-in simulator"
            );
        }
        let cancel = Cancel::new();
        let on_signal = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\nstopping after the pages in flight…");
                on_signal.cancel();
            }
        });
        // A bar redrawn in place would tangle with rows going to the same terminal.
        let rows_on_terminal = to_stdout(&opts.output) && io::stdout().is_terminal();
        let tty = io::stderr().is_terminal() && !rows_on_terminal;
        let (err, asker) = (&mut std::io::stderr(), &mut ask::Terminal);
        run_asking(&source, &opts, &cancel, err, tty, asker).await
    })
}

/// Runs an export through `source` with nobody to ask (past the budget, `--yes` is needed);
/// messages and progress go to `err`. Returns the exit status.
pub async fn run<S: PageSource>(
    source: &Cached<S>,
    opts: &ExportOptions,
    cancel: &Cancel,
    err: &mut dyn Write,
    tty: bool,
) -> u8 {
    run_asking(source, opts, cancel, err, tty, &mut ask::NoTerminal).await
}

/// [`run`], asking `asker` whether to go past the budget.
#[expect(
    clippy::too_many_lines,
    reason = "the export's steps in the order they happen; each step's detail has its own function"
)]
pub async fn run_asking<S: PageSource>(
    source: &Cached<S>,
    opts: &ExportOptions,
    cancel: &Cancel,
    err: &mut dyn Write,
    tty: bool,
    asker: &mut dyn Asker,
) -> u8 {
    let say = |err: &mut dyn Write, text: &str| {
        // Nowhere left to report to if stderr itself is gone.
        let _ = writeln!(err, "{text}");
    };
    let (format, query, page_size) = match prepare(opts) {
        Ok(p) => p,
        Err(e) => {
            say(err, &format!("backlinks export: {e}"));
            return status::BAD_ARGUMENTS;
        }
    };
    let max_rows = opts.max_rows.unwrap_or(u64::MAX);
    let first = first_limit(page_size, max_rows);
    let balance = read_balance(source).await;
    if let Some(why) = first_page_refused(source, balance, &first_page(&query, first)).await {
        say(
            err,
            &format!("backlinks export: {why}; nothing was fetched"),
        );
        return status::BAD_ARGUMENTS;
    }
    let started = SystemTime::now();
    let fetched_at = time::format(time::from_system(started));
    let (mut writer, closed) = match open_writer(opts, format, &query, &fetched_at) {
        Ok(w) => w,
        Err(e) => {
            say(err, &format!("backlinks export: {e}"));
            return status::FAILED;
        }
    };
    // The first page: it says how many rows there are.
    let page = match export::fetch_page(source, first_page(&query, first)).await {
        Ok(p) => p,
        Err(e) => {
            say(
                err,
                &format!("backlinks export: the first page failed: {e}"),
            );
            return status::FAILED;
        }
    };
    let mut before = Progress {
        requests: u64::from(!page.cached),
        cached_pages: u64::from(page.cached),
        cost: page.cost,
        ..Progress::default()
    };
    let got = (page.items.len() as u64).min(max_rows);
    if let Err(e) = writer.write_all(page.items.iter().take(got as usize)) {
        return write_failed(&closed, &e, &before, err);
    }
    let short = (page.items.len() as u64) < u64::from(first);
    let target_rows = if short {
        got
    } else {
        page.total_count.min(max_rows)
    };
    before.rows = got;
    let job = ExportJob {
        query: query.clone(),
        page_size,
        start_row: got,
        cursor: Cursor::Offset(got as usize),
        target_rows,
    };
    let (choice, estimate) = plan_rest(source, opts, &job, page.total_count, err).await;
    say(err, &first_line(&job, &page, &estimate));
    let info = ExportInfo {
        output: &opts.output,
        format,
        query: Some(&query),
        started_at: started,
        before,
        manifest: manifest_path(opts),
    };
    let cap = match consent(&estimate, before.cost, balance, opts, cancel, asker, err).await {
        Ok(cap) => cap,
        Err((why, stop, code)) => {
            let kept = source.cache().is_some_and(|c| c.lasting());
            let done = stop_early(&why, stop, &info, writer, page.total_count, kept, err);
            return if done == status::FAILED { done } else { code };
        }
    };
    let mut printer = Printer::new(tty);
    let mut outcome = export::run_with(
        source,
        &job,
        &choice,
        &page.items[..got as usize],
        writer,
        cancel,
        cap,
        |p| printer.show(p, &before),
    )
    .await;
    outcome.total_count = outcome.total_count.or(Some(page.total_count));
    printer.done();
    if closed.load(Ordering::SeqCst) {
        return reader_gone(outcome.progress, &before, err);
    }
    conclude(outcome, &info, err)
}

/// The account's balance, USD, or `None` when it cannot be read (an old server, a source
/// without an account): then nothing is refused on its account.
async fn read_balance<S: PageSource>(source: &Cached<S>) -> Option<f64> {
    match source.user_data().await {
        Ok(data) => data.balance(),
        Err(error) => {
            tracing::info!(%error, "export: the balance could not be read");
            None
        }
    }
}

/// Why the first page is not sent: it costs more than the known `balance` (served from the
/// cache, it costs nothing).
async fn first_page_refused<S: PageSource>(
    source: &Cached<S>,
    balance: Option<f64>,
    first: &LiveRequest,
) -> Option<String> {
    let price = page_estimate(first.limit.unwrap_or(MAX_LIMIT));
    let short = Overrun::balance(balance?, price)?;
    if source.has(first).await {
        return None;
    }
    Some(short.describe_for("the first page"))
}

/// The file, or stdout for `-o -`; the flag is set when stdout's reader goes away.
fn open_writer(
    opts: &ExportOptions,
    format: Format,
    query: &LiveRequest,
    fetched_at: &str,
) -> Result<(SetWriter, Arc<AtomicBool>), StoreError> {
    let closed = Arc::new(AtomicBool::new(false));
    if !to_stdout(&opts.output) {
        let w = SetWriter::create(&opts.output, format, Some(query), Some(fetched_at))?;
        return Ok((w, closed));
    }
    let out = StdoutSink {
        out: BufWriter::with_capacity(64 * 1024, io::stdout()),
        closed: closed.clone(),
    };
    let w = SetWriter::to_stream(
        Path::new("stdout"),
        Box::new(out),
        format,
        Some(query),
        Some(fetched_at),
    )?;
    Ok((w, closed))
}

/// `--manifest FILE`, else beside the output file; none for stdout unless asked for.
fn manifest_path(opts: &ExportOptions) -> Option<PathBuf> {
    opts.manifest
        .clone()
        .or_else(|| (!to_stdout(&opts.output)).then(|| manifest::path_for(&opts.output)))
}

/// `-o -`: the set goes to stdout.
fn to_stdout(output: &Path) -> bool {
    output.as_os_str() == "-"
}

/// Stdout for `-o -`, noting when its reader has gone away.
struct StdoutSink {
    out: BufWriter<io::Stdout>,
    closed: Arc<AtomicBool>,
}

impl StdoutSink {
    fn note<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.closed.store(true, Ordering::SeqCst);
        }
        result
    }
}

impl Write for StdoutSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.out.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.out.flush();
        self.note(r)
    }
}

/// The first page could not be written: quietly done when stdout's reader went away, else
/// a failure.
fn write_failed(closed: &AtomicBool, e: &StoreError, before: &Progress, err: &mut dyn Write) -> u8 {
    if closed.load(Ordering::SeqCst) {
        return reader_gone(Progress::default(), before, err);
    }
    let _ = writeln!(err, "backlinks export: {e}");
    status::FAILED
}

/// The reader of stdout went away (`| head`): it has what it wanted, so this is no failure.
/// No further page was fetched; what was paid for (`run` after `before`) is said on stderr.
fn reader_gone(run: Progress, before: &Progress, err: &mut dyn Write) -> u8 {
    let p = Progress {
        requests: before.requests + run.requests,
        cached_pages: before.cached_pages + run.cached_pages,
        cost: before.cost + run.cost,
        ..run
    };
    let _ = writeln!(
        err,
        "backlinks export: stdout was closed by its reader; stopped fetching (${:.4}, {} \
         request{}, {} cached page{})",
        p.cost,
        p.requests,
        if p.requests == 1 { "" } else { "s" },
        p.cached_pages,
        if p.cached_pages == 1 { "" } else { "s" },
    );
    status::COMPLETE
}

fn first_limit(page_size: u32, max_rows: u64) -> u32 {
    u64::from(page_size).min(max_rows).max(1) as u32
}

/// The request for the first `limit` rows.
fn first_page(query: &LiveRequest, limit: u32) -> LiveRequest {
    let mut first = query.clone();
    first.offset = Some(0);
    first.limit = Some(limit);
    first
}

/// The format, the query (paging fields unset) and the page size.
fn prepare(opts: &ExportOptions) -> Result<(Format, LiveRequest, u32), String> {
    let format = opts
        .format
        .or_else(|| {
            if to_stdout(&opts.output) {
                Some(Format::Csv)
            } else {
                Format::from_path(&opts.output)
            }
        })
        .ok_or_else(|| {
            format!(
                "cannot tell the format from '{}'; end it in .csv, .tsv, .json or .jsonl, or \
                 give --format",
                opts.output.display()
            )
        })?;
    opts.query.check()?;
    let target = normalize_target(&opts.target)?;
    if opts.max_rows == Some(0) {
        return Err("--max-rows must be at least 1".into());
    }
    let mut query = opts.query.to_request(&target);
    let page_size = query.limit.take().unwrap_or(MAX_LIMIT);
    Ok((format, query, page_size))
}

/// Whether to fetch the rest of `estimate` after a first page that cost `spent`, and the cap
/// on this run's spend; `Err`: why not, how the export stops (the first page is kept) and its
/// exit status. More than what the `balance` read before the first page leaves (when known)
/// is refused whatever `--yes` says: the API would refuse it.
async fn consent(
    estimate: &Estimate,
    spent: f64,
    balance: Option<f64>,
    opts: &ExportOptions,
    cancel: &Cancel,
    asker: &mut dyn Asker,
    err: &mut dyn Write,
) -> Result<Option<f64>, (String, Stop, u8)> {
    if let Some(short) = balance.and_then(|b| Overrun::balance(b - spent, estimate.price)) {
        let why = format!("not fetching the rest: {}", short.describe_for("the rest"));
        return Err((why, Stop::Budget, status::BAD_ARGUMENTS));
    }
    let budget_left = opts.budget - spent;
    match ask::decide(estimate.price, budget_left, opts.yes, asker.can_ask()) {
        Decision::Go { cap } => Ok(cap),
        Decision::Refuse => Err((
            format!(
                "the estimate ${:.2} (with the first page ${:.2}) is above the budget ${:.2} by \
                 ${:.2}; run again with --yes, or raise --budget",
                estimate.price,
                estimate.price + spent,
                opts.budget,
                estimate.price + spent - opts.budget,
            ),
            Stop::Budget,
            status::PARTIAL,
        )),
        Decision::Ask => {
            let _ = write!(err, "{}", ask::question(estimate, spent, opts.budget));
            let _ = err.flush();
            let answer = tokio::select! {
                biased;
                answer = asker.answer() => answer,
                () = cancelled(cancel) => {
                    let _ = writeln!(err);
                    return Err(("stopped".into(), Stop::Cancelled, status::PARTIAL));
                }
            };
            match answer {
                Ok(Some(line)) if ask::is_yes(&line) => Ok(None),
                Ok(line) => {
                    if line.is_none() {
                        let _ = writeln!(err); // the end of input left the cursor on the question
                    }
                    Err((
                        "not fetching the rest: you said no".into(),
                        Stop::Budget,
                        status::PARTIAL,
                    ))
                }
                Err(e) => Err((
                    format!("not fetching the rest: no answer ({e})"),
                    Stop::Budget,
                    status::PARTIAL,
                )),
            }
        }
    }
}

/// Goes no further than the first page (`why`), kept as a partial file, cached for a re-run
/// when `kept` (the cache lasts beyond this run: not the demo's, not `--no-cache`).
fn stop_early(
    why: &str,
    stop: Stop,
    info: &ExportInfo<'_>,
    writer: SetWriter,
    total_count: u64,
    kept: bool,
    err: &mut dyn Write,
) -> u8 {
    let kept = if kept {
        " (cached: a re-run does not pay for it again)"
    } else {
        ""
    };
    let _ = writeln!(
        err,
        "backlinks export: {why}. Keeping the first page{kept}."
    );
    let outcome = Outcome {
        progress: Progress::default(),
        stop,
        total_count: Some(total_count),
        writer: Some(writer),
        slices: Vec::new(),
    };
    conclude(outcome, info, err)
}

/// Resolves once `cancel` is set (Ctrl-C), checked ten times a second.
async fn cancelled(cancel: &Cancel) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The price of the rest, counting offset pages already in the cache as free.
async fn estimate_rest<S: PageSource>(source: &Cached<S>, job: &ExportJob) -> Estimate {
    let rest = job.target_rows.saturating_sub(job.start_row);
    let mut cached = 0;
    for (offset, limit) in crate::fetch::export::offset_pages(job.start_row, job) {
        let mut r = job.query.clone();
        r.offset = Some(offset as u32);
        r.limit = Some(limit);
        cached += u64::from(source.has(&r).await);
    }
    Estimate::new(rest, job.page_size, cached)
}

/// Sliced or page by page (see [`partition::choose`]; why not sliced is said on `err`), and
/// the price of the rest that way.
async fn plan_rest<S: PageSource>(
    source: &Cached<S>,
    opts: &ExportOptions,
    job: &ExportJob,
    total_count: u64,
    err: &mut dyn Write,
) -> (Choice, Estimate) {
    let shape = Shape::new(total_count, job.target_rows, job.start_row, job.page_size);
    let choice = partition::choose(&job.query, &shape);
    let estimate = match &choice {
        Choice::Partition(_) => Estimate::of_choice(&choice, &shape)
            .with_cached(sliced_pages_cached(source, opts, &job.query)),
        Choice::Sequential(why) => {
            let _ = writeln!(err, "backlinks export: {why}");
            estimate_rest(source, job).await
        }
        Choice::NotNeeded => estimate_rest(source, job).await,
    };
    (choice, estimate)
}

/// `forbes.com: 46,873 rows (total_count 46,873); first page $0.0500; <the estimate>`.
fn first_line(job: &ExportJob, page: &crate::fetch::Page, estimate: &Estimate) -> String {
    format!(
        "{}: {} rows (total_count {}); first page ${:.4}{}; {}",
        job.query.target,
        group(job.target_rows),
        group(page.total_count),
        page.cost,
        if page.cached { " (cached)" } else { "" },
        estimate.describe()
    )
}

/// Pages of the rest that a sliced export before this one left in the page cache: what its
/// manifest (beside the output, same query) says it fetched, less the first page. A re-run
/// cuts the same slices from the same cached pages, so it meets those pages again.
fn sliced_pages_cached<S: PageSource>(
    source: &Cached<S>,
    opts: &ExportOptions,
    query: &LiveRequest,
) -> u64 {
    if !source.cache().is_some_and(|c| c.lasting()) {
        return 0;
    }
    manifest_path(opts)
        .and_then(|p| manifest::read(&p).ok())
        .filter(|m| m.query.as_ref() == Some(query) && !m.slices.is_empty())
        .map_or(0, |m| (m.requests + m.cached_pages).saturating_sub(1))
}

/// Finishes the file and the manifest, says how it ended, and picks the exit status.
fn conclude(outcome: Outcome, info: &ExportInfo<'_>, err: &mut dyn Write) -> u8 {
    let stop = outcome.stop.clone();
    let manifest = match finish(outcome, info) {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "backlinks export: {e}");
            return status::FAILED;
        }
    };
    let _ = writeln!(
        err,
        "{} {} rows to {} (${:.4}, {} request{}, {} cached page{}) — {}{}",
        if manifest.is_complete() {
            "wrote"
        } else {
            "kept"
        },
        group(manifest.rows),
        if to_stdout(info.output) {
            "stdout".into()
        } else {
            info.output.display().to_string()
        },
        manifest.cost,
        manifest.requests,
        if manifest.requests == 1 { "" } else { "s" },
        manifest.cached_pages,
        if manifest.cached_pages == 1 { "" } else { "s" },
        manifest.status,
        manifest
            .stopped_by
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default(),
    );
    match stop {
        Stop::Complete => status::COMPLETE,
        Stop::Cancelled | Stop::Budget => status::PARTIAL,
        Stop::Failed(_) | Stop::WriteFailed(_) => status::FAILED,
    }
}
