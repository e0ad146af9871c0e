//! Partitioned exports, the pure part: whether a query can be cut into slices, on which field,
//! the slices' half-open ranges as filter conditions, and where to cut a slice that is too big.
//!
//! Offsets reach 20,000 rows; past that only the `search_after_token` chain goes on, one
//! request at a time. Slicing the result by `F >= a and F < b` conditions on a field that is
//! never null gives pieces that each fit under the offset limit and can be fetched side by side.
//! The union of the slices is the query's result exactly when every row has a value of `F`
//! (checked row by row, and against `total_count`) and the ranges tile the whole line.
//!
//! The file keeps the requested order: when `F` is the first sort key the slices follow one
//! another ([`Layout::Concat`]); otherwise each slice is sorted by the API and the slices are
//! merged ([`Layout::Merge`]).

use std::fmt;

use crate::api::fields::{Catalog, FieldRef, FilterType};
use crate::api::filter::{Condition, Filter, Group, Logic, Op, Value};
use crate::api::request::{
    LiveRequest, MAX_FILTER_CONDITIONS, MAX_OFFSET, Mode, OrderBy, RankScale, SortDir,
};
use crate::api::response::Backlink;
use crate::api::time;
use crate::order::effective_order;

/// Conditions a slice adds to the user's filter (at most: `F >= a and F < b`).
pub const SLICE_CONDITIONS: usize = 2;
/// Rows a chain of slices (concatenated layout) is expected to cover before another chain is
/// started beside it.
pub const CHAIN_ROWS: u64 = 200_000;
/// Most chains started at once.
pub const MAX_CHAINS: u64 = 8;

/// Fields a slice can be cut on: never empty, and the same on every link of a referring page.
/// The API filters links before it keeps one row per referring page (its highest-rank link,
/// with `links_count` counting the links that passed the filter), so a range on a link's own
/// value (`rank`) would split a page's links between slices: the page would come back once per
/// slice, with a smaller `links_count`. A range on a page's value keeps all its links together.
pub const PAGE_FIELDS: &[&str] = &[
    "page_from_rank",
    "domain_from_rank",
    "page_from_external_links",
    "page_from_internal_links",
    "page_from_size",
    "page_from_status_code",
    "first_seen",
    "prev_seen",
    "last_seen",
];

/// The order of the page that samples the slice field's values for the first cuts of a merged
/// export: a page's size says nothing of its rank.
pub const SAMPLE_ORDER: &str = "page_from_size,asc";

/// The slice field when the first sort key cannot be one.
pub const DEFAULT_FIELD: &str = "page_from_rank";

/// How the slice field's values are compared and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A number; ranges on integers.
    Int,
    /// A date, `YYYY-MM-DD HH:MM:SS +00:00`; ranges on Unix seconds.
    Time,
}

/// The field the slices are cut on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceField {
    pub name: String,
    pub kind: KeyKind,
    /// Where its values lie, when that is known (`[0, 1001)` for the rank fields).
    pub domain: Range,
}

impl SliceField {
    /// The field's value in `row` as a key, `None` when the row has none.
    pub fn key(&self, row: &Backlink) -> Option<i64> {
        match (self.kind, row.field(&self.name)) {
            (KeyKind::Int, FieldRef::Int(i)) => Some(i),
            (KeyKind::Time, FieldRef::Str(s)) => {
                time::parse(s).ok().map(jiff::Timestamp::as_second)
            }
            _ => None,
        }
    }

    fn value(&self, key: i64) -> Value {
        match self.kind {
            KeyKind::Int => Value::Int(key),
            KeyKind::Time => Value::Str(
                jiff::Timestamp::from_second(key).map_or_else(|_| key.to_string(), time::format),
            ),
        }
    }

    /// A key as a person reads it in a message.
    pub fn show(&self, key: i64) -> String {
        match self.value(key) {
            Value::Str(s) => s,
            _ => key.to_string(),
        }
    }
}

/// How the slices make the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The slice field is the first sort key: the slices follow one another, in this direction.
    Concat(SortDir),
    /// Each slice is sorted by the API; the slices are merged with the same comparator.
    Merge,
}

/// A half-open range `[lo, hi)` of keys; an open end has no condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Range {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl Range {
    /// Every key.
    pub const ALL: Range = Range { lo: None, hi: None };

    pub fn new(lo: Option<i64>, hi: Option<i64>) -> Range {
        Range { lo, hi }
    }

    pub fn contains(&self, key: i64) -> bool {
        self.lo.is_none_or(|lo| key >= lo) && self.hi.is_none_or(|hi| key < hi)
    }

    /// One value at most: it cannot be cut again.
    pub fn is_single(&self) -> bool {
        matches!((self.lo, self.hi), (Some(lo), Some(hi)) if hi.saturating_sub(lo) <= 1)
    }

    /// Keys below `cut` and keys from `cut` on.
    pub fn split_at(&self, cut: i64) -> (Range, Range) {
        (
            Range::new(self.lo, Some(cut)),
            Range::new(Some(cut), self.hi),
        )
    }

    /// The conditions that select it.
    fn conditions(&self, field: &SliceField) -> Vec<Filter> {
        let cond = |op, key| {
            Filter::Cond(Condition {
                field: field.name.clone(),
                op,
                value: field.value(key),
            })
        };
        let mut out = Vec::new();
        if let Some(lo) = self.lo {
            out.push(cond(Op::Ge, lo));
        }
        if let Some(hi) = self.hi {
            out.push(cond(Op::Lt, hi));
        }
        out
    }

    /// `[3, 7)`, `[3, …)`, `(…, 7)`, `all`, with dates written out.
    pub fn describe(&self, field: &SliceField) -> String {
        match (self.lo, self.hi) {
            (None, None) => "all".into(),
            (Some(lo), Some(hi)) if hi - lo == 1 => format!("{} = {}", field.name, field.show(lo)),
            (lo, hi) => format!(
                "{} in [{}, {})",
                field.name,
                lo.map_or_else(|| "…".into(), |k| field.show(k)),
                hi.map_or_else(|| "…".into(), |k| field.show(k)),
            ),
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = |k: Option<i64>| k.map_or_else(|| "…".to_owned(), |k| k.to_string());
        write!(f, "[{}, {})", end(self.lo), end(self.hi))
    }
}

/// Everything the engine needs to cut a query into slices.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionPlan {
    pub field: SliceField,
    pub layout: Layout,
    /// The order the API applies (the user's rules, or the default, then `url_from`).
    pub order: Vec<OrderBy>,
    /// The deepest offset a slice pages to (the API's 20,000; lower only in tests).
    pub max_offset: u64,
    pub page_size: u32,
}

impl PartitionPlan {
    /// Rows a slice can hold and still be paged by offset to its end.
    pub fn slice_cap(&self) -> u64 {
        self.max_offset + u64::from(self.page_size)
    }

    /// Rows a slice is aimed at when a big one is cut by its sample: short of the cap, so that
    /// a sample's error rarely needs another cut.
    pub fn slice_target(&self) -> u64 {
        self.slice_cap() * 3 / 4
    }

    /// `query` restricted to `range` (the user's filter and the range's conditions).
    pub fn request_for(&self, query: &LiveRequest, range: &Range) -> LiveRequest {
        let mut request = query.clone();
        let conditions = range.conditions(&self.field);
        if conditions.is_empty() {
            return request;
        }
        let slice = if conditions.len() == 1 {
            conditions
                .into_iter()
                .next()
                .unwrap_or_else(|| unreachable!())
        } else {
            Filter::Group(Group {
                logic: Logic::And,
                items: conditions,
            })
        };
        request.filters = Some(match request.filters.take() {
            Some(user) => user.and(slice),
            None => slice,
        });
        request
    }

    /// How many slices the export is expected to end with, for the price shown before it starts:
    /// each slice's last page is a partial one.
    pub fn expected_slices(&self, rows: u64) -> u64 {
        match self.layout {
            Layout::Concat(_) => chains(rows).max(1),
            Layout::Merge => rows.div_ceil(self.slice_target().max(1)).max(1),
        }
    }
}

/// Chains of slices a concatenated export starts side by side.
pub fn chains(rows: u64) -> u64 {
    rows.div_ceil(CHAIN_ROWS).clamp(1, MAX_CHAINS)
}

/// What an export of more rows than offsets reach will do.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// Cut into slices, fetched side by side.
    Partition(PartitionPlan),
    /// Today's walk, one page at a time past the offset limit; why, in words for the user.
    Sequential(String),
    /// Offset pages reach every row: nothing to cut.
    NotNeeded,
}

/// What [`choose`] looks at besides the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The query's `total_count`.
    pub total_count: u64,
    /// Rows the file should end with (`total_count`, or `--max-rows`).
    pub target_rows: u64,
    /// Rows the caller has (the first page, or the explorer's loaded rows).
    pub start_row: u64,
    /// The caller's rows were fetched by offset (not already down the token chain).
    pub by_offset: bool,
    pub page_size: u32,
    /// [`MAX_OFFSET`] unless a test lowers it.
    pub max_offset: u64,
}

impl Shape {
    pub fn new(total_count: u64, target_rows: u64, start_row: u64, page_size: u32) -> Shape {
        Shape {
            total_count,
            target_rows,
            start_row,
            by_offset: true,
            page_size,
            max_offset: u64::from(MAX_OFFSET),
        }
    }
}

/// Decides how to fetch `query` (paging fields unset).
pub fn choose(query: &LiveRequest, shape: &Shape) -> Choice {
    let page_size = shape.page_size.max(1);
    if shape.target_rows <= shape.max_offset + u64::from(page_size) {
        return Choice::NotNeeded;
    }
    let sequential = |why: &str| {
        Choice::Sequential(format!(
            "{why}: past {} rows, pages come one at a time (slower)",
            crate::text::group(shape.max_offset)
        ))
    };
    if shape.target_rows < shape.total_count {
        return sequential("--max-rows keeps the first rows in order, so the result is not sliced");
    }
    if !shape.by_offset || shape.start_row > shape.max_offset {
        return sequential("the rows so far came by token, so the result is not sliced");
    }
    if query.custom_mode.is_some() || query.mode.is_some_and(|m| m != Mode::AsIs) {
        return sequential("grouped results cannot be sliced without changing the groups");
    }
    let used = query.filters.as_ref().map_or(0, Filter::condition_count);
    if used + SLICE_CONDITIONS > MAX_FILTER_CONDITIONS {
        return sequential(&format!(
            "the filter uses {used} of the API's {MAX_FILTER_CONDITIONS} conditions and slicing \
             needs {SLICE_CONDITIONS} more"
        ));
    }
    let order = query.order_by.clone().unwrap_or_default();
    let scale = query.rank_scale.unwrap_or_default();
    let (field, layout) = match order
        .first()
        .and_then(|f| slice_field_opt(&f.field, scale).map(|s| (s, f.dir)))
    {
        Some((f, dir)) => (f, Layout::Concat(dir)),
        None => (slice_field(DEFAULT_FIELD, scale), Layout::Merge),
    };
    Choice::Partition(PartitionPlan {
        field,
        layout,
        order: effective_order(&order),
        max_offset: shape.max_offset,
        page_size,
    })
}

/// `name` as a slice field when it is one of [`PAGE_FIELDS`] (numbers and dates).
fn slice_field_opt(name: &str, scale: RankScale) -> Option<SliceField> {
    if !PAGE_FIELDS.contains(&name) {
        return None;
    }
    let kind = match Catalog::get().find(name)?.filter_type? {
        FilterType::Num => KeyKind::Int,
        FilterType::Time => KeyKind::Time,
        _ => return None,
    };
    let top = if scale == RankScale::OneHundred {
        101
    } else {
        1001
    };
    let domain = if name.ends_with("rank") {
        Range::new(Some(0), Some(top))
    } else {
        Range::ALL
    };
    Some(SliceField {
        name: name.to_owned(),
        kind,
        domain,
    })
}

fn slice_field(name: &str, scale: RankScale) -> SliceField {
    slice_field_opt(name, scale).unwrap_or_else(|| SliceField {
        name: name.to_owned(),
        kind: KeyKind::Int,
        domain: Range::ALL,
    })
}

/// Where to cut `range`, holding about `count` rows of which `sample` are keys, into pieces
/// of about `target` rows: at the sample's quantiles, with a value the sample says is heavier
/// than a piece on its own. Empty when the range cannot be cut.
pub fn cuts(range: &Range, sample: &[i64], count: u64, target: u64) -> Vec<i64> {
    let pieces = count.div_ceil(target.max(1)).max(2) as usize;
    let mut sorted: Vec<i64> = sample
        .iter()
        .copied()
        .filter(|k| range.contains(*k))
        .collect();
    sorted.sort_unstable();
    let mut out = Vec::new();
    if !sorted.is_empty() {
        for i in 1..pieces {
            out.push(sorted[i * sorted.len() / pieces]);
        }
        // A value holding more than a piece's share gets a slice of its own.
        let share = |n: usize| n as u64 * count / sorted.len() as u64;
        for run in sorted.chunk_by(|a, b| a == b) {
            if share(run.len()) > target {
                out.push(run[0]);
                out.push(run[0].saturating_add(1));
            }
        }
    }
    if let (Some(lo), Some(hi)) = (range.lo, range.hi) {
        // Nothing to go by: halve the range.
        if out.iter().all(|c| *c <= lo || *c >= hi) && hi - lo >= 2 {
            out.push(lo + (hi - lo) / 2);
        }
    }
    out.retain(|c| range.lo.is_none_or(|lo| *c > lo) && range.hi.is_none_or(|hi| *c < hi));
    out.sort_unstable();
    out.dedup();
    out
}

/// The pieces of `range` between `cuts` (sorted), lowest first.
pub fn pieces(range: &Range, cuts: &[i64]) -> Vec<Range> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut rest = *range;
    for &c in cuts {
        let (below, above) = rest.split_at(c);
        out.push(below);
        rest = above;
    }
    out.push(rest);
    out
}

/// The first cuts of a concatenated export: equal stretches of the field's known domain, one
/// chain each; none when the domain is not known or one chain will do.
pub fn chain_cuts(field: &SliceField, rows: u64) -> Vec<i64> {
    let n = chains(rows) as i64;
    match (field.domain.lo, field.domain.hi) {
        (Some(lo), Some(hi)) if n > 1 && hi - lo >= n => {
            (1..n).map(|i| lo + (hi - lo) * i / n).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::filter::Filter;

    fn shape(total: u64) -> Shape {
        Shape::new(total, total, 1000, 1000)
    }

    fn query(filter: Option<&str>, order: &[&str]) -> LiveRequest {
        let mut q = LiveRequest::new("x.com");
        q.filters = filter.map(|f| Filter::parse(f).unwrap());
        if !order.is_empty() {
            q.order_by = Some(order.iter().map(|o| o.parse().unwrap()).collect());
        }
        q
    }

    fn plan(c: Choice) -> PartitionPlan {
        match c {
            Choice::Partition(p) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn small_results_are_not_cut() {
        assert_eq!(choose(&query(None, &[]), &shape(21_000)), Choice::NotNeeded);
        assert!(matches!(
            choose(&query(None, &[]), &shape(21_001)),
            Choice::Partition(_)
        ));
    }

    #[test]
    fn the_slice_field_follows_the_first_sort_key_when_it_can() {
        // The default order (rank desc): page rank slices, merged.
        let p = plan(choose(&query(None, &[]), &shape(50_000)));
        assert_eq!(p.field.name, "page_from_rank");
        assert_eq!(p.layout, Layout::Merge);
        let p = plan(choose(
            &query(None, &["domain_from_rank,desc"]),
            &shape(50_000),
        ));
        assert_eq!(p.field.name, "domain_from_rank");
        assert_eq!(p.layout, Layout::Concat(SortDir::Desc));
        let p = plan(choose(
            &query(None, &["first_seen,asc", "rank,desc"]),
            &shape(50_000),
        ));
        assert_eq!(
            (p.field.name.as_str(), p.field.kind),
            ("first_seen", KeyKind::Time)
        );
        assert_eq!(p.layout, Layout::Concat(SortDir::Asc));
        // Text, numbers that may be empty, a link's own rank: page rank slices, merged.
        for order in ["domain_from,asc", "url_to_status_code,desc", "rank,asc"] {
            let p = plan(choose(&query(None, &[order]), &shape(50_000)));
            assert_eq!(p.field.name, "page_from_rank");
            assert_eq!(p.layout, Layout::Merge);
        }
    }

    #[test]
    fn a_full_filter_falls_back_and_says_why() {
        let six = "rank > 1 and rank > 2 and rank > 3 and rank > 4 and rank > 5 and rank > 6";
        assert!(matches!(
            choose(&query(Some(six), &[]), &shape(50_000)),
            Choice::Partition(_)
        ));
        let seven = format!("{six} and dofollow = true");
        match choose(&query(Some(&seven), &[]), &shape(50_000)) {
            Choice::Sequential(why) => {
                assert!(why.contains("uses 7 of the API's 8 conditions"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn grouped_results_and_max_rows_fall_back() {
        let mut q = query(None, &[]);
        q.mode = Some(Mode::OnePerDomain);
        assert!(matches!(choose(&q, &shape(50_000)), Choice::Sequential(_)));
        let mut s = shape(50_000);
        s.target_rows = 30_000;
        assert!(matches!(
            choose(&query(None, &[]), &s),
            Choice::Sequential(_)
        ));
    }

    #[test]
    fn a_slice_request_adds_its_conditions_to_the_users() {
        let p = plan(choose(&query(Some("dofollow = true"), &[]), &shape(50_000)));
        let r = p.request_for(
            &query(Some("dofollow = true"), &[]),
            &Range::new(Some(10), Some(20)),
        );
        let f = r.filters.unwrap();
        assert_eq!(f.condition_count(), 3);
        assert_eq!(
            f.to_string(),
            "dofollow = true and page_from_rank >= 10 and page_from_rank < 20"
        );
        let all = p.request_for(&query(None, &[]), &Range::ALL);
        assert_eq!(all.filters, None);
    }

    #[test]
    fn date_ranges_are_written_as_api_dates() {
        let p = plan(choose(&query(None, &["last_seen,desc"]), &shape(50_000)));
        let r = p.request_for(&query(None, &[]), &Range::new(Some(1_700_000_000), None));
        assert_eq!(
            r.filters.unwrap().to_string(),
            "last_seen >= \"2023-11-14 22:13:20 +00:00\""
        );
    }

    #[test]
    fn cuts_follow_the_sample_and_isolate_heavy_values() {
        let r = Range::new(Some(0), Some(1001));
        let sample: Vec<i64> = (0..1000).collect();
        assert_eq!(cuts(&r, &sample, 40_000, 20_000), vec![500]);
        // Half the sample is 7: it gets a slice of its own.
        let mut heavy = vec![7; 500];
        heavy.extend(500..1000);
        let c = cuts(&r, &heavy, 100_000, 20_000);
        assert!(c.contains(&7) && c.contains(&8), "{c:?}");
        let ranges = pieces(&r, &c);
        assert!(ranges.contains(&Range::new(Some(7), Some(8))));
        // Every key in exactly one piece.
        for k in 0..1001 {
            assert_eq!(ranges.iter().filter(|p| p.contains(k)).count(), 1, "{k}");
        }
        // One value only: cannot be cut.
        assert!(cuts(&Range::new(Some(7), Some(8)), &[7, 7], 50_000, 20_000).is_empty());
        // No sample: halves.
        assert_eq!(
            cuts(&Range::new(Some(0), Some(10)), &[], 50_000, 20_000),
            vec![5]
        );
    }

    #[test]
    fn chains_cut_the_rank_domain_evenly() {
        let f = slice_field("page_from_rank", RankScale::OneThousand);
        assert!(chain_cuts(&f, 150_000).is_empty());
        assert_eq!(chain_cuts(&f, 1_000_000), vec![200, 400, 600, 800]);
        let date = slice_field("first_seen", RankScale::OneThousand);
        assert!(chain_cuts(&date, 1_000_000).is_empty());
    }
}
