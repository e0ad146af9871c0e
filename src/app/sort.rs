//! Sorting: `s` cycles the current column through desc, asc and off; `S` adds it as the next
//! key (the API takes 3). Loaded rows sorted locally use the order of [`crate::order`], the
//! one the simulator answers with: nulls last in both directions, strings by bytes,
//! `false < true`, dates as text, ties broken by `url_from` ascending (a file's rows: ties keep
//! the file's order, [`Ties::Kept`]).

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::api::fields::{Catalog, FilterType};
use crate::api::request::{MAX_ORDER_BY, OrderBy, SortDir};
use crate::api::response::Backlink;
pub use crate::order::effective_order;
use crate::order::packed::PackedKeys;
use crate::order::{SortVal, Ties, compare_values, effective_order_for};

use super::App;
use super::msg::Cmd;
use super::requery::Change;

/// A row's values under `rules`, as the server reads them from a stored item.
fn values<'a>(item: &'a Backlink, rules: &[OrderBy]) -> impl Iterator<Item = SortVal<'a>> {
    rules
        .iter()
        .map(|r| SortVal::of_field(item.field(&r.field)))
}

/// Compares two rows under `order_by` as the server orders them.
pub fn compare(a: &Backlink, b: &Backlink, order_by: &[OrderBy]) -> Ordering {
    let rules = effective_order(order_by);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let ka: Vec<SortVal<'_>> = values(a, &rules).collect();
    let kb: Vec<SortVal<'_>> = values(b, &rules).collect();
    compare_values(&ka, &kb, &dirs)
}

/// Rows in the order the server would return them. Each row's keys are read once and packed
/// into integers (the simulator's own keys), so the sort compares mostly contiguous numbers.
pub fn sorted<'a, B: Borrow<Backlink>>(
    rows: impl IntoIterator<Item = &'a B>,
    order_by: &[OrderBy],
) -> Vec<&'a B> {
    sorted_with(rows, order_by, Ties::Server)
}

/// [`sorted`], with rows equal on every rule ordered by `ties`.
pub fn sorted_with<'a, B: Borrow<Backlink>>(
    rows: impl IntoIterator<Item = &'a B>,
    order_by: &[OrderBy],
    ties: Ties,
) -> Vec<&'a B> {
    let rules = effective_order_for(order_by, ties);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let rows: Vec<&B> = rows.into_iter().collect();
    let mut keys = PackedKeys::new(&dirs, rows.len());
    let mut row_values = Vec::with_capacity(rules.len());
    for item in &rows {
        row_values.clear();
        row_values.extend(values((*item).borrow(), &rules));
        keys.push(&row_values);
    }
    // The index breaks remaining ties, so the unstable sort keeps equal rows in input order.
    let cmp = |i: &usize, j: &usize| keys.compare(*i, *j).then(i.cmp(j));
    sort_indices(rows.len(), &cmp)
        .into_iter()
        .map(|i| rows[i])
        .collect()
}

/// Below this many rows one thread sorts; above it, two halves are sorted at once and merged.
const PARALLEL_SORT_MIN: usize = 50_000;

/// `0..n` in `cmp`'s order (a total order: no two indices compare equal).
fn sort_indices(n: usize, cmp: &(impl Fn(&usize, &usize) -> Ordering + Sync)) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if n < PARALLEL_SORT_MIN || threads < 2 {
        order.sort_unstable_by(cmp);
        return order;
    }
    let (left, right) = order.split_at_mut(n / 2);
    std::thread::scope(|s| {
        s.spawn(|| left.sort_unstable_by(cmp));
        right.sort_unstable_by(cmp);
    });
    merge(&order[..n / 2], &order[n / 2..], cmp)
}

/// Merges two sorted runs.
fn merge(a: &[usize], b: &[usize], cmp: &impl Fn(&usize, &usize) -> Ordering) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&b[j], &a[i]) == Ordering::Less {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Whether a field can be a sort key; the reason when not.
pub fn check_sort_key(field: &str) -> Result<(), String> {
    match Catalog::get().find(field) {
        Some(spec) if spec.filter_type == Some(FilterType::ArrayStr) => {
            Err(format!("{field} is a list: lists cannot be sort keys"))
        }
        Some(spec) if spec.sortable => Ok(()),
        _ => Err(format!("{field} cannot be a sort key")),
    }
}

/// `s`: a column not sorted alone goes to `desc`, then `asc`, then off (the default order).
/// With no explicit order, the default `rank desc` counts as the current one — unless the
/// rows are in a file's own order (`default_is_rank` false), where nothing is sorted yet.
/// On one key of several, `s` acts on that key alone (desc, asc, then it leaves the order)
/// and keeps the others: throwing a three-key sort away for a press on its second key would
/// lose work the user did with `S`.
pub fn cycle(current: &[OrderBy], field: &str, default_is_rank: bool) -> Vec<OrderBy> {
    if current.len() > 1 && current.iter().any(|o| o.field == field) {
        let mut next = current.to_vec();
        if let Some(i) = next.iter().position(|o| o.field == field) {
            if next[i].dir == SortDir::Desc {
                next[i].dir = SortDir::Asc;
            } else {
                next.remove(i);
            }
        }
        return next;
    }
    let default = [OrderBy::new("rank", SortDir::Desc)];
    let now = if current.is_empty() && default_is_rank {
        &default[..]
    } else {
        current
    };
    match now {
        [only] if only.field == field && only.dir == SortDir::Desc => {
            vec![OrderBy::new(field, SortDir::Asc)]
        }
        [only] if only.field == field => Vec::new(),
        _ => vec![OrderBy::new(field, SortDir::Desc)],
    }
}

/// `S`: adds the column as the next key (desc); on a column already a key, switches it to asc,
/// then removes it. A 4th key is refused with the API's limit.
pub fn add_key(current: &[OrderBy], field: &str) -> Result<Vec<OrderBy>, String> {
    let mut next = current.to_vec();
    match next.iter().position(|o| o.field == field) {
        Some(i) if next[i].dir == SortDir::Desc => next[i].dir = SortDir::Asc,
        Some(i) => {
            next.remove(i);
        }
        None if next.len() >= MAX_ORDER_BY => {
            return Err(format!(
                "the API sorts by at most {MAX_ORDER_BY} keys: press s to sort by this column alone"
            ));
        }
        None => next.push(OrderBy::new(field, SortDir::Desc)),
    }
    Ok(next)
}

impl App {
    /// `s` (`add` false) or `S` (`add` true) on the current column.
    pub(crate) fn sort_column(&mut self, add: bool) -> Vec<Cmd> {
        let next = (|| {
            let query = self.results.query.as_ref().ok_or("run a query first")?;
            let field = self
                .current_column()
                .and_then(|c| c.field)
                .ok_or("the marker column cannot be sorted: move to a field with h / l")?;
            check_sort_key(field)?;
            let current = query.order_by.clone().unwrap_or_default();
            if add {
                add_key(&current, field)
            } else {
                Ok(cycle(&current, field, !self.in_file_order()))
            }
        })();
        match next {
            Ok(order_by) => self.apply_change(&Change {
                order_by: Some(order_by),
                ..Change::default()
            }),
            Err(e) => {
                self.status.warning = Some(e);
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, rank: Option<i64>) -> Backlink {
        Backlink {
            url_from: Some(url.into()),
            rank,
            ..Backlink::default()
        }
    }

    #[test]
    fn two_halves_sorted_at_once_and_merged_give_the_one_thread_order() {
        let n = PARALLEL_SORT_MIN * 2 + 7;
        // Many ties on the key; the index decides between them.
        let key: Vec<u64> = (0..n as u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54)
            .collect();
        let cmp = |a: &usize, b: &usize| key[*a].cmp(&key[*b]).then(a.cmp(b));
        let mut want: Vec<usize> = (0..n).collect();
        want.sort_by(cmp);
        assert_eq!(sort_indices(n, &cmp), want);
        assert_eq!(sort_indices(10, &cmp).len(), 10);
    }

    #[test]
    fn nulls_last_both_ways_and_ties_by_url() {
        let rows = [
            item("https://b/", Some(5)),
            item("https://n/", None),
            item("https://a/", Some(5)),
            item("https://c/", Some(9)),
        ];
        for dir in [SortDir::Desc, SortDir::Asc] {
            let order = [OrderBy::new("rank", dir)];
            let urls: Vec<&str> = sorted(&rows, &order)
                .iter()
                .map(|r| r.url_from.as_deref().unwrap())
                .collect();
            let want = if dir == SortDir::Desc {
                ["https://c/", "https://a/", "https://b/", "https://n/"]
            } else {
                ["https://a/", "https://b/", "https://c/", "https://n/"]
            };
            assert_eq!(urls, want, "{dir}");
            assert_eq!(compare(&rows[2], &rows[0], &order), Ordering::Less);
        }
    }
}
