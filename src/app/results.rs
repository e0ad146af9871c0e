//! The results table: rows of the current query in API order, lazy paging and selection.
//!
//! The rows are a [`Rows`]: live pages go into a page store (their JSON in an unlinked spill
//! file, their columns in memory) and an opened file's rows are read back from the file, so
//! memory does not grow with the text of the rows; rows are decoded when shown or scanned.

use crate::api::ApiError;
use crate::api::request::{LiveRequest, MAX_OFFSET};
use crate::api::response::Row;

use crate::fetch::{Cursor, FetchRequest, Generation, Page};

mod local;
mod rows;
mod stored;

pub use local::{LocalBase, can_serve, narrows};
pub use rows::{OpenedStore, Rows, RowsIter, SharedStore};
pub use stored::{filter_sort, sort_ids};

/// Smallest prefetch margin in rows; the margin is at least two screens.
pub const MIN_PREFETCH_ROWS: usize = 200;

/// A page request that failed, shown as an error row until retried.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFailure {
    pub row_start: usize,
    pub error: ApiError,
}

/// What is at the end of the loaded rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Tail {
    /// Nothing pending: the next page is requested when the selection comes near the end
    /// (if more rows exist).
    #[default]
    Idle,
    /// A page is in flight, starting at this row; one at a time per query.
    Loading(usize),
    /// A page failed, shown as an error row until retried.
    Failed(PageFailure),
    /// Nothing more to load: the last page came back short or empty, or the rows are all
    /// there is (a file, a locally computed result).
    End,
}

impl Tail {
    /// A page is in flight.
    pub fn is_loading(&self) -> bool {
        matches!(self, Tail::Loading(_))
    }

    /// The page that failed, if one did.
    pub fn failure(&self) -> Option<&PageFailure> {
        match self {
            Tail::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// Nothing more to load.
    pub fn at_end(&self) -> bool {
        matches!(self, Tail::End)
    }
}

/// Rows and paging state of the current query.
#[derive(Debug, Clone, Default)]
pub struct ResultsState {
    pub generation: Generation,
    /// The running query without paging fields; `None` before the first query.
    pub query: Option<LiveRequest>,
    pub page_size: u32,
    /// Append-only, in API order.
    pub rows: Rows,
    /// `total_count` of the query, once the first page arrived.
    pub total: Option<u64>,
    /// Token of the last page, for paging past the offset limit.
    last_token: Option<String>,
    /// What is at the end of the loaded rows: idle, loading, failed or the end.
    pub tail: Tail,
    /// Selected row (always `< rows.len()` when there are rows).
    pub selected: usize,
    /// Where the user asked to go; ahead of `selected` while those rows are still loading.
    wanted: usize,
    /// First row on screen.
    pub top: usize,
    /// Rows that fit on screen, set by the layout.
    pub viewport: usize,
    /// Current column (index into the visible columns).
    pub column: usize,
    /// The complete result that local filtering and sorting start from (see `local`).
    pub local_base: Option<LocalBase>,
}

impl ResultsState {
    /// Starts a new query: forgets the old rows.
    pub fn reset(&mut self, generation: Generation, query: LiveRequest, page_size: u32) {
        let viewport = self.viewport;
        let column = self.column;
        *self = ResultsState {
            generation,
            query: Some(query),
            page_size,
            viewport,
            column,
            ..ResultsState::default()
        };
    }

    /// Where the next page would start, if more rows exist.
    pub fn next_cursor(&self) -> Option<Cursor> {
        if self.query.is_none() || self.tail.at_end() {
            return None;
        }
        let n = self.rows.len();
        if self.total.is_some_and(|t| n as u64 >= t) {
            return None;
        }
        if n <= MAX_OFFSET as usize {
            Some(Cursor::Offset(n))
        } else {
            self.last_token.clone().map(Cursor::Token)
        }
    }

    /// The margin of rows to keep loaded beyond the selection.
    pub fn prefetch_margin(&self) -> usize {
        (2 * self.viewport).max(MIN_PREFETCH_ROWS)
    }

    /// The next page to request now, if any: when the wanted row comes within the prefetch
    /// margin of the loaded end, nothing is in flight, no page failed, and more rows exist.
    pub fn wanted_next_page(&self) -> Option<Cursor> {
        if self.tail != Tail::Idle {
            return None;
        }
        let target = self.wanted.max(self.selected);
        if target + self.prefetch_margin() < self.rows.len() {
            return None;
        }
        self.next_cursor()
    }

    /// The request for a page at `cursor`.
    pub fn page_request(&self, cursor: &Cursor) -> Option<FetchRequest> {
        let mut request = self.query.clone()?;
        request.limit = Some(self.page_size);
        match cursor {
            Cursor::Offset(n) => request.offset = Some(*n as u32),
            Cursor::Token(t) => request.search_after_token = Some(t.clone()),
        }
        Some(FetchRequest {
            generation: self.generation,
            row_start: self.rows.len(),
            request,
        })
    }

    /// Marks the next wanted page as in flight and returns its request.
    pub fn take_next_page(&mut self) -> Option<FetchRequest> {
        let cursor = self.wanted_next_page()?;
        let req = self.page_request(&cursor)?;
        self.tail = Tail::Loading(req.row_start);
        self.scroll_to_selection();
        Some(req)
    }

    /// Whether an answer for the page at `row_start` of `generation` is the one in flight.
    pub fn awaits(&self, generation: Generation, row_start: usize) -> bool {
        generation == self.generation && self.tail == Tail::Loading(row_start)
    }

    /// A page arrived. Pages of another query or for another row range are ignored.
    pub fn page_loaded(&mut self, generation: Generation, row_start: usize, page: Page) -> bool {
        if !self.awaits(generation, row_start) || row_start != self.rows.len() {
            return false;
        }
        let got = page.items.len();
        self.rows.extend_page(page.items, page.body.as_deref());
        self.total = Some(page.total_count);
        self.last_token = page.search_after_token;
        self.tail = if got < self.page_size as usize || got == 0 {
            Tail::End
        } else {
            Tail::Idle
        };
        self.follow_wanted();
        true
    }

    /// A page failed: keep the error for the error row. Answers of another query or for
    /// another row range are ignored.
    pub fn page_failed(
        &mut self,
        generation: Generation,
        row_start: usize,
        error: ApiError,
    ) -> bool {
        if !self.awaits(generation, row_start) {
            return false;
        }
        self.tail = Tail::Failed(PageFailure { row_start, error });
        self.scroll_to_selection();
        true
    }

    /// `r` on the error row: forget the failure so the page is requested again.
    pub fn retry(&mut self) -> bool {
        if self.tail.failure().is_none() {
            return false;
        }
        self.tail = Tail::Idle;
        true
    }

    /// Moves the selection by `delta` rows. Moving down past the loaded rows remembers the
    /// wish, so holding PgDn keeps going as pages arrive.
    pub fn move_by(&mut self, delta: isize) {
        if delta >= 0 {
            let base = self.wanted.max(self.selected);
            let mut wanted = base.saturating_add(delta.unsigned_abs());
            if let Some(total) = self.total {
                wanted = wanted.min((total as usize).saturating_sub(1));
            }
            self.wanted = wanted;
        } else {
            self.wanted = self.selected.saturating_sub(delta.unsigned_abs());
        }
        self.follow_wanted();
    }

    /// Home / g.
    pub fn first(&mut self) {
        self.wanted = 0;
        self.follow_wanted();
    }

    /// End / G: the last loaded row; prefetch then loads from there.
    pub fn last(&mut self) {
        self.wanted = self.rows.len().saturating_sub(1);
        self.follow_wanted();
    }

    /// Selects a loaded row (a search jump); rows not loaded are ignored.
    pub fn select(&mut self, row: usize) {
        if row < self.rows.len() {
            self.wanted = row;
            self.follow_wanted();
        }
    }

    /// Selects a row on screen (mouse click); `offset` counts from the top row.
    pub fn click(&mut self, offset: usize) {
        let row = self.top + offset;
        if row < self.rows.len() {
            self.wanted = row;
            self.follow_wanted();
        }
    }

    fn follow_wanted(&mut self) {
        self.selected = self.wanted.min(self.rows.len().saturating_sub(1));
        if self.wanted <= self.selected {
            self.wanted = self.selected;
        }
        self.scroll_to_selection();
    }

    /// Whether a line below the last row says "loading", "failed" or "no rows".
    pub fn has_status_row(&self) -> bool {
        matches!(self.tail, Tail::Loading(_) | Tail::Failed(_)) || self.total == Some(0)
    }

    /// Keeps the selection on screen after a move or a resize, and the status row too when
    /// the selection is on the last row.
    pub fn scroll_to_selection(&mut self) {
        let h = self.viewport.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + h {
            self.top = self.selected + 1 - h;
        }
        let last = self.rows.len().saturating_sub(1);
        if self.has_status_row() && self.selected == last && h > 1 && last + 2 > self.top + h {
            self.top = last + 2 - h;
        }
    }

    /// The selected item.
    pub fn selected_item(&self) -> Option<Row> {
        self.rows.get(self.selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, total: u64, token: &str) -> Page {
        Page {
            items: vec![crate::api::response::Backlink::default(); n],
            total_count: total,
            search_after_token: Some(token.into()),
            ..Page::default()
        }
    }

    fn state(rows: usize, total: Option<u64>, selected: usize, viewport: usize) -> ResultsState {
        let mut s = ResultsState::default();
        s.reset(Generation(1), LiveRequest::new("x.com"), 1000);
        s.rows = vec![Row::default(); rows].into();
        s.total = total;
        s.viewport = viewport;
        s.selected = selected;
        s.wanted = selected;
        s.last_token = Some("tok".into());
        s
    }

    #[test]
    fn wanted_next_page_table() {
        // (rows, total, selected, viewport, expected)
        type Case = (usize, Option<u64>, usize, usize, Option<Cursor>);
        let cases: &[Case] = &[
            (0, None, 0, 40, Some(Cursor::Offset(0))),
            (1000, Some(5000), 0, 40, None),
            (1000, Some(5000), 799, 40, None),
            (1000, Some(5000), 800, 40, Some(Cursor::Offset(1000))),
            // Two screens beat 200 rows on a tall terminal.
            (1000, Some(5000), 700, 150, Some(Cursor::Offset(1000))),
            (1000, Some(1000), 999, 40, None),
            (
                20_000,
                Some(50_000),
                19_900,
                40,
                Some(Cursor::Offset(20_000)),
            ),
            (
                21_000,
                Some(50_000),
                20_900,
                40,
                Some(Cursor::Token("tok".into())),
            ),
        ];
        for (rows, total, sel, vp, want) in cases {
            let s = state(*rows, *total, *sel, *vp);
            assert_eq!(&s.wanted_next_page(), want, "rows {rows} sel {sel} vp {vp}");
        }
    }

    #[test]
    fn nothing_is_requested_while_a_page_is_in_flight_or_failed() {
        let mut s = state(1000, Some(5000), 990, 40);
        s.tail = Tail::Loading(1000);
        assert_eq!(s.wanted_next_page(), None);
        s.tail = Tail::Failed(PageFailure {
            row_start: 1000,
            error: ApiError::Timeout(std::time::Duration::from_secs(1)),
        });
        assert_eq!(s.wanted_next_page(), None);
        assert!(s.retry());
        assert_eq!(s.wanted_next_page(), Some(Cursor::Offset(1000)));
    }

    #[test]
    fn offset_pages_switch_to_the_token_past_twenty_thousand() {
        let mut s = state(0, None, 0, 40);
        let mut kinds = Vec::new();
        for i in 0..23 {
            s.move_by(1000);
            let req = s.take_next_page().expect("a page is wanted");
            kinds.push((req.request.offset, req.request.search_after_token.clone()));
            assert!(s.page_loaded(
                req.generation,
                req.row_start,
                page(1000, 40_000, &format!("t{i}"))
            ));
        }
        for (i, (offset, token)) in kinds.iter().enumerate().take(21) {
            assert_eq!((*offset, token.as_deref()), (Some(i as u32 * 1000), None));
        }
        assert_eq!(kinds[21], (None, Some("t20".into())));
        assert_eq!(kinds[22], (None, Some("t21".into())));
    }

    #[test]
    fn short_page_ends_the_query() {
        let mut s = state(0, None, 0, 40);
        let req = s.take_next_page().unwrap();
        assert!(s.page_loaded(req.generation, req.row_start, page(300, 300, "t")));
        s.last();
        assert_eq!(s.selected, 299);
        assert_eq!(s.wanted_next_page(), None);
    }

    #[test]
    fn moving_past_loaded_rows_waits_for_them() {
        let mut s = state(0, None, 0, 40);
        let req = s.take_next_page().unwrap();
        s.page_loaded(req.generation, req.row_start, page(1000, 10_000, "t"));
        s.move_by(1500);
        assert_eq!(s.selected, 999, "clamped to what is loaded");
        let req = s.take_next_page().unwrap();
        assert_eq!(req.request.offset, Some(1000));
        s.page_loaded(req.generation, req.row_start, page(1000, 10_000, "t"));
        assert_eq!(s.selected, 1500, "selection catches up when rows arrive");
        s.move_by(-10);
        assert_eq!(s.selected, 1490);
        assert!(s.top <= 1490 && 1490 < s.top + 40);
    }

    #[test]
    fn pages_for_other_rows_are_ignored() {
        let mut s = state(0, None, 0, 40);
        let req = s.take_next_page().unwrap();
        assert!(!s.page_loaded(req.generation, req.row_start + 1000, page(1000, 5000, "t")));
        assert!(s.rows.is_empty());
    }

    fn timeout() -> ApiError {
        ApiError::Timeout(std::time::Duration::from_secs(1))
    }

    #[test]
    fn tail_goes_idle_loading_idle_then_end() {
        let mut s = state(0, None, 0, 40);
        assert_eq!(s.tail, Tail::Idle);
        let req = s.take_next_page().unwrap();
        assert_eq!(s.tail, Tail::Loading(0));
        assert!(s.tail.is_loading() && !s.tail.at_end() && s.tail.failure().is_none());
        assert!(s.page_loaded(req.generation, 0, page(1000, 1500, "t")));
        assert_eq!(s.tail, Tail::Idle, "a full page: more may follow");
        s.last();
        let req = s.take_next_page().unwrap();
        assert_eq!(s.tail, Tail::Loading(1000));
        assert!(s.page_loaded(req.generation, 1000, page(500, 1500, "t")));
        assert_eq!(s.tail, Tail::End, "a short page is the last");
        assert!(s.tail.at_end() && !s.has_status_row());
        s.last();
        assert_eq!(s.take_next_page(), None);
        assert_eq!(s.tail, Tail::End);
    }

    #[test]
    fn an_empty_page_is_the_end() {
        let mut s = state(0, None, 0, 40);
        let req = s.take_next_page().unwrap();
        assert!(s.page_loaded(req.generation, 0, page(0, 0, "t")));
        assert_eq!(s.tail, Tail::End);
    }

    #[test]
    fn a_failed_page_stays_failed_until_retried() {
        let mut s = state(0, None, 0, 40);
        let req = s.take_next_page().unwrap();
        assert!(s.page_failed(req.generation, 0, timeout()));
        let failure = PageFailure {
            row_start: 0,
            error: timeout(),
        };
        assert_eq!(s.tail.failure(), Some(&failure));
        assert!(!s.tail.is_loading() && s.has_status_row());
        assert_eq!(s.take_next_page(), None, "no silent retry");
        assert!(
            !s.page_loaded(req.generation, 0, page(1000, 5000, "t")),
            "nothing is in flight"
        );
        assert_eq!(s.tail, Tail::Failed(failure));
        assert!(s.retry());
        assert_eq!(s.tail, Tail::Idle);
        assert!(!s.retry(), "nothing left to retry");
        let again = s.take_next_page().unwrap();
        assert_eq!(again, req, "the same page again");
        assert_eq!(s.tail, Tail::Loading(0));
        assert!(s.page_loaded(again.generation, 0, page(1000, 5000, "t")));
        assert_eq!(s.tail, Tail::Idle);
    }

    #[test]
    fn retry_only_leaves_a_failure() {
        let mut s = state(0, None, 0, 40);
        s.take_next_page().unwrap();
        assert!(!s.retry());
        assert_eq!(s.tail, Tail::Loading(0));
        s.tail = Tail::End;
        assert!(!s.retry());
        assert_eq!(s.tail, Tail::End);
    }

    #[test]
    fn answers_of_an_older_generation_leave_the_tail_alone() {
        let mut s = state(0, None, 0, 40);
        let old = s.take_next_page().unwrap();
        s.reset(Generation(2), LiveRequest::new("y.com"), 1000);
        assert_eq!(s.tail, Tail::Idle, "a new query starts idle");
        let new = s.take_next_page().unwrap();
        assert_eq!(
            (new.generation, new.row_start),
            (Generation(2), old.row_start)
        );
        // The old query's answer is for the same rows, but not this query's.
        assert!(!s.page_loaded(old.generation, 0, page(1000, 5000, "t")));
        assert!(!s.page_failed(old.generation, 0, timeout()));
        assert_eq!(s.tail, Tail::Loading(0));
        assert!(s.rows.is_empty());
        assert!(s.page_loaded(new.generation, 0, page(10, 10, "t")));
        assert_eq!(s.tail, Tail::End);
        assert!(!s.page_failed(old.generation, 0, timeout()));
        assert_eq!(s.tail, Tail::End);
    }

    #[test]
    fn a_new_query_resets_the_tail_to_idle() {
        let tails = [
            Tail::Loading(1000),
            Tail::Failed(PageFailure {
                row_start: 1000,
                error: timeout(),
            }),
            Tail::End,
        ];
        for tail in tails {
            let mut s = state(1000, Some(5000), 0, 40);
            s.tail = tail.clone();
            s.reset(Generation(2), LiveRequest::new("y.com"), 1000);
            assert_eq!(s.tail, Tail::Idle, "from {tail:?}");
            assert_eq!(s.take_next_page().map(|r| r.row_start), Some(0));
        }
    }
}
