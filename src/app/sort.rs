//! Sorting: `s` cycles the current column through desc, asc and off; `S` adds it as the next
//! key (the API takes 3). Also the comparison used when the loaded rows are sorted locally —
//! the simulator's: nulls last in both directions, strings by bytes, `false < true`, dates as
//! text (chronological in the API's format), ties broken by `url_from` ascending.

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::api::fields::{Catalog, FieldRef, FilterType};
use crate::api::request::{MAX_ORDER_BY, OrderBy, SortDir};
use crate::api::response::Backlink;

use super::App;
use super::msg::Cmd;
use super::requery::Change;

/// The order the server uses: the user's keys (or `rank desc, last_seen desc` when none), then
/// `url_from asc` so that the order is total.
pub fn effective_order(order_by: &[OrderBy]) -> Vec<OrderBy> {
    let mut rules = if order_by.is_empty() {
        vec![
            OrderBy::new("rank", SortDir::Desc),
            OrderBy::new("last_seen", SortDir::Desc),
        ]
    } else {
        order_by.to_vec()
    };
    rules.push(OrderBy::new("url_from", SortDir::Asc));
    rules
}

/// One sort value of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortVal<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
}

impl SortVal<'_> {
    fn of<'a>(item: &'a Backlink, field: &str) -> SortVal<'a> {
        match item.field(field) {
            FieldRef::Bool(b) => SortVal::Bool(b),
            FieldRef::Int(i) => SortVal::Int(i),
            FieldRef::Str(s) => SortVal::Str(s),
            FieldRef::Null | FieldRef::Strs(_) | FieldRef::Nested => SortVal::Null,
        }
    }

    /// Ascending order of two non-null values of one field.
    fn cmp_asc(self, other: Self) -> Ordering {
        match (self, other) {
            (SortVal::Bool(a), SortVal::Bool(b)) => a.cmp(&b),
            (SortVal::Int(a), SortVal::Int(b)) => a.cmp(&b),
            (SortVal::Str(a), SortVal::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
            (a, b) => a.kind().cmp(&b.kind()),
        }
    }

    fn kind(self) -> u8 {
        match self {
            SortVal::Bool(_) => 0,
            SortVal::Int(_) => 1,
            SortVal::Str(_) => 2,
            SortVal::Null => 3,
        }
    }
}

fn cmp_keys(a: &[SortVal<'_>], b: &[SortVal<'_>], dirs: &[SortDir]) -> Ordering {
    for ((x, y), dir) in a.iter().zip(b).zip(dirs) {
        let o = match (x, y) {
            (SortVal::Null, SortVal::Null) => Ordering::Equal,
            (SortVal::Null, _) => Ordering::Greater,
            (_, SortVal::Null) => Ordering::Less,
            _ if *dir == SortDir::Desc => y.cmp_asc(*x),
            _ => x.cmp_asc(*y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Compares two rows under `order_by` as the server orders them.
pub fn compare(a: &Backlink, b: &Backlink, order_by: &[OrderBy]) -> Ordering {
    let rules = effective_order(order_by);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let ka: Vec<SortVal<'_>> = rules.iter().map(|r| SortVal::of(a, &r.field)).collect();
    let kb: Vec<SortVal<'_>> = rules.iter().map(|r| SortVal::of(b, &r.field)).collect();
    cmp_keys(&ka, &kb, &dirs)
}

/// Rows in the order the server would return them; each row's keys are read once.
pub fn sorted<'a, B: Borrow<Backlink>>(
    rows: impl IntoIterator<Item = &'a B>,
    order_by: &[OrderBy],
) -> Vec<&'a B> {
    let rules = effective_order(order_by);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let width = rules.len();
    let rows: Vec<&B> = rows.into_iter().collect();
    let keys: Vec<SortVal<'a>> = rows
        .iter()
        .flat_map(|item| {
            let item: &'a Backlink = (*item).borrow();
            rules.iter().map(move |r| SortVal::of(item, &r.field))
        })
        .collect();
    // The index breaks remaining ties, so the unstable sort keeps equal rows in input order.
    let cmp = |i: &usize, j: &usize| {
        cmp_keys(
            &keys[i * width..(i + 1) * width],
            &keys[j * width..(j + 1) * width],
            &dirs,
        )
        .then(i.cmp(j))
    };
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
pub fn cycle(current: &[OrderBy], field: &str, default_is_rank: bool) -> Vec<OrderBy> {
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
