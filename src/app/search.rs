//! `/` search over the loaded rows: case-insensitive, over the text columns of the table, never
//! a request. Matches are kept as sorted row indices and maintained incrementally: a query that
//! extends the previous one only re-checks the previous matches, and newly loaded pages are
//! scanned once, appended at the end.
//!
//! The rows are looked at [`STEP`] at a time (on every core), one step per message: a million
//! rows of a file never hold the keyboard. While rows are left ([`SearchState::pending`]) the
//! runtime sends `Msg::Work` whenever no key is waiting, and the selection goes to the first
//! match after the bar's start as soon as one is known ([`SearchState::landing`]).

use regex::{Regex, RegexBuilder};
use tui_input::{Input, InputRequest};

use crate::api::response::Backlink;

use super::columns::{COLUMNS, Column, cell_text};
use super::results::Rows;
use crate::fetch::Generation;
use crate::rows::query::on_cores;

/// Rows looked at per step of a search (a few tens of milliseconds of reading back a store).
pub const STEP: usize = 20_000;

/// The columns a search looks at: every shown text column (numbers and the marker excluded).
pub fn searchable() -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(|c| c.field.is_some() && !c.numeric)
}

/// State of the search bar and its matches.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub input: Input,
    /// The text the matches are for; empty when no search is active.
    query: String,
    matcher: Option<Regex>,
    /// Matching row indices, ascending.
    matches: Vec<usize>,
    /// Rows already looked at for `query`.
    scanned: usize,
    /// Generation of the rows the matches index.
    generation: Generation,
    /// Selection when the bar opened: the search starts there and Esc goes back there.
    pub origin: usize,
    /// The table's text columns when they are not the default ones (`App::set_columns`).
    columns: Option<Vec<Column>>,
    /// The selection went where the text typed last leads (see [`SearchState::landing`]).
    pub placed: bool,
}

impl SearchState {
    /// Whether a search is active (highlights shown, n/N work).
    pub fn is_active(&self) -> bool {
        self.matcher.is_some()
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// Matching row indices, ascending.
    pub fn matches(&self) -> &[usize] {
        &self.matches
    }

    /// The compiled search, for highlighting the matched text.
    pub fn matcher(&self) -> Option<&Regex> {
        self.matcher.as_ref()
    }

    /// Opens the bar (the app puts its layer on top), starting from the selected row.
    pub fn open(&mut self, selected: usize) {
        self.origin = selected;
        self.input = Input::new(self.query.clone());
    }

    /// Forgets the search.
    pub fn clear(&mut self) {
        self.query.clear();
        self.matcher = None;
        self.matches.clear();
        self.scanned = 0;
        self.input = Input::default();
    }

    /// Applies a key to the bar's text and searches again (a first step).
    pub fn edit(&mut self, req: InputRequest, rows: &Rows) {
        self.input.handle(req);
        let text = self.input.value().to_owned();
        self.placed = false;
        // The step is taken after the key, with every message's (`App::sync_row_views`).
        self.prepare(&text, rows);
    }

    /// Whether rows are left to look at.
    pub fn pending(&self, rows: &Rows) -> bool {
        self.matcher.is_some() && self.scanned < rows.len()
    }

    /// How far the search got, in percent of the rows.
    pub fn progress(&self, rows: &Rows) -> u8 {
        let n = rows.len().max(1);
        (self.scanned.min(n) * 100 / n) as u8
    }

    /// Where typing takes the selection, once known: the first match at or after `from`;
    /// when the search is done and there is none after it, the first match (wrapping), or
    /// `Some(None)` when nothing matched. `None` while it cannot be known yet.
    pub fn landing(&self, from: usize, rows: &Rows) -> Option<Option<usize>> {
        let i = self.matches.partition_point(|&r| r < from);
        match self.matches.get(i) {
            Some(&r) => Some(Some(r)),
            None if self.pending(rows) => None,
            None => Some(self.matches.first().copied()),
        }
    }

    /// Searches `rows` for `text`. Typing one more character only re-checks the rows that
    /// matched before: whatever contains the longer text contains the shorter one.
    pub fn set_query(&mut self, text: &str, rows: &Rows) {
        self.prepare(text, rows);
        self.scan(rows);
    }

    /// [`set_query`](Self::set_query) without its first step.
    fn prepare(&mut self, text: &str, rows: &Rows) {
        if text == self.query && self.matcher.is_some() {
            return;
        }
        if text.is_empty() {
            self.query.clear();
            self.matcher = None;
            self.matches.clear();
            self.scanned = 0;
            return;
        }
        let refine = self.matcher.is_some()
            && text.is_ascii()
            && self.query.is_ascii()
            && text
                .to_ascii_lowercase()
                .contains(&self.query.to_ascii_lowercase());
        let Ok(matcher) = RegexBuilder::new(&regex::escape(text))
            .case_insensitive(true)
            .build()
        else {
            // An escaped literal always compiles, unless it is enormous.
            return;
        };
        // Re-checking many earlier matches costs as much as looking again, a step at a time.
        if refine && self.matches.len() <= STEP {
            let columns = self.columns.as_deref();
            let mut kept = Vec::with_capacity(self.matches.len());
            rows.each_at(&self.matches, &|f| read_by(columns, f), |i, item| {
                if hits(columns, &matcher, item) {
                    kept.push(i);
                }
            });
            self.matches = kept;
        } else {
            self.matches.clear();
            self.scanned = 0;
        }
        text.clone_into(&mut self.query);
        self.matcher = Some(matcher);
    }

    /// Keeps the matches in step with the rows: new pages are scanned and appended; another
    /// query's rows start over.
    pub fn sync(&mut self, rows: &Rows, generation: Generation) {
        if generation != self.generation || rows.len() < self.scanned {
            self.generation = generation;
            self.matches.clear();
            self.scanned = 0;
        }
        self.scan(rows);
    }

    /// Searches these columns' text from now on (the matches are found again).
    pub fn set_columns(&mut self, columns: &[Column]) {
        self.columns = Some(
            columns
                .iter()
                .filter(|c| c.field.is_some() && !c.numeric)
                .copied()
                .collect(),
        );
        self.matches.clear();
        self.scanned = 0;
    }

    /// One step: the next [`STEP`] rows, split across the cores.
    fn scan(&mut self, rows: &Rows) {
        let Some(matcher) = &self.matcher else {
            self.scanned = rows.len();
            return;
        };
        let start = self.scanned.min(rows.len());
        let end = (start + STEP).min(rows.len());
        let columns = self.columns.as_deref();
        let look = |from: usize, to: usize| {
            let mut found = Vec::new();
            rows.chunks_of(from, to, &|f| read_by(columns, f), |at, chunk| {
                for (i, item) in chunk.iter().enumerate() {
                    if hits(columns, matcher, item) {
                        found.push(at + i);
                    }
                }
            });
            found
        };
        // A reader that panics finds nothing in this step rather than taking the app down.
        let found = on_cores(
            end - start,
            4096,
            |from, to| Ok::<_, ()>(look(start + from, start + to)),
            || (),
        );
        self.matches
            .extend(found.unwrap_or_default().into_iter().flatten());
        self.scanned = end;
    }

    /// Whether `row` is a match.
    pub fn is_match(&self, row: usize) -> bool {
        self.matches.binary_search(&row).is_ok()
    }

    /// The next match after `from` (or before it, going back), wrapping around the ends.
    pub fn next_from(&self, from: usize, forward: bool) -> Option<usize> {
        let (first, last) = (*self.matches.first()?, *self.matches.last()?);
        if forward {
            let i = self.matches.partition_point(|&r| r <= from);
            Some(self.matches.get(i).copied().unwrap_or(first))
        } else {
            let i = self.matches.partition_point(|&r| r < from);
            Some(if i == 0 { last } else { self.matches[i - 1] })
        }
    }

    /// The first match at or after `from`, wrapping: where typing takes the selection.
    pub fn first_from(&self, from: usize) -> Option<usize> {
        let i = self.matches.partition_point(|&r| r < from);
        self.matches.get(i).or(self.matches.first()).copied()
    }

    /// `(n, total)` when `row` is the n-th match (1-based).
    pub fn position(&self, row: usize) -> Option<(usize, usize)> {
        let i = self.matches.binary_search(&row).ok()?;
        Some((i + 1, self.matches.len()))
    }
}

/// Whether the search reads `field` (the anchor column shows the image's `alt` too).
fn read_by(columns: Option<&[Column]>, field: &str) -> bool {
    field == "alt"
        || match columns {
            Some(columns) => columns.iter().any(|c| c.field == Some(field)),
            None => searchable().any(|c| c.field == Some(field)),
        }
}

/// Whether `item` matches in one of `columns` (the default text columns when `None`).
fn hits(columns: Option<&[Column]>, matcher: &Regex, item: &Backlink) -> bool {
    let hit = |c: &Column| matcher.is_match(&cell_text(c, item));
    match columns {
        Some(columns) => columns.iter().any(hit),
        None => searchable().any(hit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Backlink> {
        [
            "Alpha.com",
            "beta.org",
            "ALPHABET.net",
            "gamma.io",
            "alp.com",
        ]
        .iter()
        .map(|d| Backlink {
            domain_from: Some((*d).to_owned()),
            ..Backlink::default()
        })
        .collect()
    }

    #[test]
    fn matching_ignores_case_and_refines_as_the_query_grows() {
        let rows: Rows = items().into();
        let mut s = SearchState::default();
        s.set_query("al", &rows);
        assert_eq!(s.matches(), &[0, 2, 4]);
        s.set_query("alph", &rows);
        assert_eq!(s.matches(), &[0, 2]);
        s.set_query("ALPHAB", &rows);
        assert_eq!(s.matches(), &[2]);
        s.set_query("a", &rows);
        assert_eq!(
            s.matches(),
            &[0, 1, 2, 3, 4],
            "a shorter query searches again"
        );
        s.set_query("", &rows);
        assert!(!s.is_active() && s.matches().is_empty());
    }

    #[test]
    fn a_growing_query_keeps_matches_found_in_a_chosen_column() {
        let mut rows = items();
        rows[1].domain_from_country = Some("ALPINE".into());
        let rows: Rows = rows.into();
        let country = super::super::columns::column_for("domain_from_country").unwrap();
        let domain = super::super::columns::column_for("domain_from").unwrap();
        let mut s = SearchState::default();
        s.set_columns(&[domain, country]);
        s.set_query("al", &rows);
        assert_eq!(s.matches(), &[0, 1, 2, 4]);
        s.set_query("alp", &rows);
        assert_eq!(s.matches(), &[0, 1, 2, 4], "row 1 matches in its country");
        // Only number columns shown: nothing to search, not the hidden default columns.
        let rank = super::super::columns::column_for("rank").unwrap();
        s.set_columns(&[rank]);
        s.set_query("al", &rows);
        assert!(s.matches().is_empty());
    }

    #[test]
    fn special_characters_are_literal() {
        let mut rows = items();
        rows[3].url_from = Some("https://x.io/a+b?(c)".into());
        let rows: Rows = rows.into();
        let mut s = SearchState::default();
        s.set_query("a+b?(c", &rows);
        assert_eq!(s.matches(), &[3]);
        s.set_query(".", &rows);
        assert_eq!(s.matches().len(), 5, "a dot is a dot, every domain has one");
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let mut s = SearchState::default();
        s.set_query("al", &items().into());
        assert_eq!(s.next_from(0, true), Some(2));
        assert_eq!(s.next_from(2, true), Some(4));
        assert_eq!(s.next_from(4, true), Some(0), "wraps to the first");
        assert_eq!(s.next_from(0, false), Some(4), "wraps to the last");
        assert_eq!(s.next_from(3, false), Some(2));
        assert_eq!(s.first_from(1), Some(2));
        assert_eq!(s.first_from(5), Some(0));
        assert_eq!(s.position(2), Some((2, 3)));
        assert_eq!(s.position(1), None);
    }

    #[test]
    fn new_pages_are_appended_and_a_new_query_starts_over() {
        let mut all = items();
        let mut s = SearchState::default();
        let two: Rows = all[..2].to_vec().into();
        s.sync(&two, Generation(1));
        s.set_query("al", &two);
        assert_eq!(s.matches(), &[0]);
        s.sync(&all.clone().into(), Generation(1));
        assert_eq!(s.matches(), &[0, 2, 4]);
        all.truncate(1);
        all[0].domain_from = Some("nothing".into());
        s.sync(&all.into(), Generation(2));
        assert!(s.matches().is_empty());
        assert!(s.is_active(), "the search stays on for the new rows");
    }
}
