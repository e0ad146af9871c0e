//! A saved file in the explorer (`backlinks open`): rows arrive from a background reader as
//! page-like messages, no request is ever made, and the status bar says FILE.

use std::fmt::Write as _;
use std::path::Path;

use jiff::Timestamp;

use crate::api::request::LiveRequest;
use crate::text::group;

use super::msg::LoadEvent;
use super::results::{Rows, Tail};
use super::{App, Focus};
use crate::fetch::Source;
use crate::rows::RowsError;
use std::sync::PoisonError;

/// Bad lines named one by one in the status bar; the rest are counted.
const NAMED_BAD_LINES: usize = 3;

/// How far reading the file got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileState {
    /// The whole file is read.
    pub done: bool,
    /// Rows that could not be read: (line, reason), the first few.
    pub bad: Vec<(u64, String)>,
    pub bad_count: u64,
    /// The app's clock when the first rows came (for "opened N rows in 1.2 s").
    pub started: Option<Timestamp>,
    /// The file named the query its rows came from (a JSON set does); else the rows are in
    /// the file's own order, whatever that was.
    pub has_query: bool,
    /// The set (or its export manifest) says it is partial, of this many rows in all.
    pub partial_of: Option<Option<u64>>,
    /// Why no row could be read (the file is not a set, or cannot be read), shown in place
    /// of the rows.
    pub failed: Option<String>,
}

impl App {
    /// Turns a fresh app into the explorer of `path` (rows arrive as `Msg::FileLoad`).
    pub fn open_file(&mut self, path: &Path) {
        self.status.source = Source::File {
            path: path.to_owned(),
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.results.query = Some(LiveRequest::new(name));
        // Nothing is ever fetched: the rows are all there is.
        self.results.tail = Tail::End;
        self.file = Some(FileState::default());
        self.focus = Focus::Results;
    }

    /// Whether this app shows a file (no requests).
    pub fn is_file(&self) -> bool {
        matches!(self.status.source, Source::File { .. })
    }

    /// The rows are as the file has them: no query says how they were sorted, and none of
    /// the user's sorts is applied.
    pub fn in_file_order(&self) -> bool {
        self.file.as_ref().is_some_and(|f| !f.has_query)
            && self
                .results
                .query
                .as_ref()
                .is_none_or(|q| q.order_by.is_none())
    }

    pub(super) fn on_file_load(&mut self, ev: LoadEvent) {
        let now = self.clock();
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let started = *file.started.get_or_insert(now);
        match ev {
            LoadEvent::Rows(rows) => {
                self.results.rows.extend(rows);
                self.results.scroll_to_selection();
            }
            LoadEvent::Store(opened) => {
                {
                    let store = opened.0.read().unwrap_or_else(PoisonError::into_inner);
                    let bad = store.bad_records();
                    if !bad.is_empty() {
                        file.bad_count += bad.len() as u64;
                        for b in bad
                            .iter()
                            .take(NAMED_BAD_LINES - file.bad.len().min(NAMED_BAD_LINES))
                        {
                            file.bad
                                .push((b.line, crate::text::sanitize(&b.reason).into_owned()));
                        }
                        self.status.error = Some(bad_lines_text(file));
                    }
                }
                self.results.rows = Rows::of_store(opened.0);
                self.results.scroll_to_selection();
            }
            LoadEvent::Meta(meta) => {
                file.partial_of = meta.partial.then_some(meta.total_count);
                if let Some(mut q) = meta.query {
                    file.has_query = true;
                    q.offset = None;
                    q.limit = None;
                    q.search_after_token = None;
                    // The query pane shows what the rows were fetched with.
                    self.query.load_request(&q);
                    self.results.query = Some(q);
                }
            }
            LoadEvent::BadLine { line, reason } => {
                file.bad_count += 1;
                if file.bad.len() < NAMED_BAD_LINES {
                    file.bad
                        .push((line, crate::text::sanitize(&reason).into_owned()));
                }
                self.status.error = Some(bad_lines_text(file));
            }
            LoadEvent::Done(result) => {
                file.done = true;
                self.results.total = Some(self.results.rows.len() as u64);
                match result {
                    Ok(()) if file.bad_count == 0 && self.results.rows.is_empty() => {
                        self.status.note = Some("the file has no rows".into());
                    }
                    Ok(()) if file.bad_count == 0 => {
                        let took = now.duration_since(started);
                        let took = std::time::Duration::try_from(took).unwrap_or_default();
                        let took = if took.as_secs() == 0 {
                            format!("{} ms", took.as_millis())
                        } else {
                            format!("{:.1} s", took.as_secs_f64())
                        };
                        self.status.note = Some(format!(
                            "opened {} rows in {took}",
                            group(self.results.rows.len() as u64),
                        ));
                    }
                    Ok(()) => {}
                    Err(reason) if self.results.rows.is_empty() => {
                        let reason = crate::text::sanitize(&reason).into_owned();
                        self.status.error = Some(reason.clone());
                        file.failed = Some(reason);
                    }
                    Err(reason) => {
                        let kept = group(self.results.rows.len() as u64);
                        self.status.error = Some(format!(
                            "{}; kept the {kept} rows read before it",
                            crate::text::sanitize(&reason)
                        ));
                    }
                }
                if let Some(of) = file.partial_of {
                    let of = of.map_or_else(String::new, |n| format!(" of {}", group(n)));
                    self.status.warning = Some(format!(
                        "a partial set: {} rows{of} (not every row of its query)",
                        group(self.results.rows.len() as u64)
                    ));
                }
            }
        }
    }
}

impl App {
    /// After every message: a store whose file changed (or could not be read) says so in
    /// the status bar; its rows are no longer shown, never rows of the new content.
    pub(super) fn watch_rows(&mut self) {
        let rows = &self.results.rows;
        let Some(e) = rows.take_error().or_else(|| rows.check().err()) else {
            return;
        };
        let text = match &e {
            RowsError::Changed { reason, .. } => {
                format!("the file changed on disk: open it again ({reason})")
            }
            other => other.to_string(),
        };
        self.status.error = Some(crate::text::sanitize(&text).into_owned());
    }
}

fn bad_lines_text(file: &FileState) -> String {
    let named: Vec<String> = file
        .bad
        .iter()
        .map(|(line, reason)| format!("line {line}: {reason}"))
        .collect();
    let more = file.bad_count - file.bad.len() as u64;
    let mut text = format!(
        "{} bad row{} skipped — {}",
        file.bad_count,
        if file.bad_count == 1 { "" } else { "s" },
        named.join("; ")
    );
    if more > 0 {
        let _ = write!(text, "; and {more} more");
    }
    text
}
