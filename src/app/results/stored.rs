//! Local filter and sort of a whole store (an opened file, or every live page of a query),
//! answered without decoding every row into memory: the store's own filter picks the rows
//! (conditions on columns are tested on the columns; text conditions read the rows back), and
//! the sort reads back only the fields its rules name.
//!
//! Each rule's keys come from the store's columns when its field has one
//! ([`RowStore::column_keys`]); the others (long text) are read in one pass over the rows, split
//! across the cores, decoding just those fields; then the ids are sorted by them. A query's
//! loaded rows break ties by `url_from` as the server does ([`Ties::Server`]: a long text, so
//! every row is read); a file's keep their order ([`Ties::Kept`]), so a sort on column fields
//! reads nothing back.

use std::cmp::Ordering;

use crate::api::filter::Filter;
use crate::api::request::{OrderBy, SortDir};
pub use crate::order::Ties;
use crate::order::{SortVal, compare_values, effective_order_for};
use crate::rows::query::{QueryError, on_cores, order_of_keys};
use crate::rows::{RowId, RowStore, RowsError};

/// One sort value; strings live in one shared text (`Str(start, len)`), so a million keys
/// cost no allocation each.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Null,
    Bool(bool),
    Int(i64),
    Str(u32, u32),
}

impl Key {
    fn of(v: SortVal<'_>, text: &mut String) -> Key {
        match v {
            SortVal::Null => Key::Null,
            SortVal::Bool(b) => Key::Bool(b),
            SortVal::Int(i) => Key::Int(i),
            SortVal::Str(s) => match (u32::try_from(text.len()), u32::try_from(s.len())) {
                (Ok(start), Ok(len)) => {
                    text.push_str(s);
                    Key::Str(start, len)
                }
                // Past 4 GiB of sort text: compare as null rather than fail.
                _ => Key::Null,
            },
        }
    }

    fn val(self, text: &str) -> SortVal<'_> {
        match self {
            Key::Null => SortVal::Null,
            Key::Bool(b) => SortVal::Bool(b),
            Key::Int(i) => SortVal::Int(i),
            Key::Str(start, len) => {
                SortVal::Str(&text[start as usize..start as usize + len as usize])
            }
        }
    }
}

/// The rows of `store` passing `filter` (all without one), in the order of `order_by`
/// (`None`: the store's own order), rows equal on every rule ordered by `ties`.
pub fn filter_sort(
    store: &RowStore,
    filter: Option<&Filter>,
    order_by: Option<&[OrderBy]>,
    ties: Ties,
) -> Result<Vec<RowId>, QueryError> {
    let ids = match filter {
        Some(f) => store.filter(f)?,
        None => (0..store.len() as u32).map(RowId).collect(),
    };
    match order_by {
        Some(order_by) => Ok(sort_ids(store, ids, order_by, ties)?),
        None => Ok(ids),
    }
}

/// `ids` (in ascending file order) in the order of `order_by`: the server's with
/// [`Ties::Server`], else ties in file order.
pub fn sort_ids(
    store: &RowStore,
    ids: Vec<RowId>,
    order_by: &[OrderBy],
    ties: Ties,
) -> Result<Vec<RowId>, RowsError> {
    let rules = effective_order_for(order_by, ties);
    let dirs: Vec<SortDir> = rules.iter().map(|r| r.dir).collect();
    let width = rules.len();
    if ids.is_empty() || width == 0 {
        return Ok(ids);
    }
    // One rule on a column (a file sorted by one column): plain integer keys, nulls last,
    // ties in the order of `ids`.
    if let [rule] = rules.as_slice()
        && let Some(col) = store.column_keys(&rule.field, &ids)
    {
        let order = order_of_keys(&col, rule.dir == SortDir::Desc);
        return Ok(order.into_iter().map(|i| ids[i]).collect());
    }
    // Rules on column fields take their keys from the columns; the others (long text, such
    // as the `url_from` that breaks the server's ties) read them from the rows.
    let mut keys = vec![Key::Null; ids.len() * width];
    let mut from_rows = Vec::new();
    for (j, rule) in rules.iter().enumerate() {
        match store.column_keys(&rule.field, &ids) {
            Some(col) => {
                for (i, k) in col.into_iter().enumerate() {
                    keys[i * width + j] = k.map_or(Key::Null, Key::Int);
                }
            }
            None => from_rows.push(j),
        }
    }
    let mut text = String::new();
    if !from_rows.is_empty() {
        let read: Vec<OrderBy> = from_rows.iter().map(|&j| rules[j].clone()).collect();
        let (row_keys, row_text) = read_keys(store, &ids, &read)?;
        for (i, row) in row_keys.chunks_exact(read.len()).enumerate() {
            for (k, &j) in row.iter().zip(&from_rows) {
                keys[i * width + j] = *k;
            }
        }
        text = row_text;
    }
    let row_keys = |i: usize| &keys[i * width..(i + 1) * width];
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (ka, kb) = (row_keys(a), row_keys(b));
        ka.iter()
            .zip(kb)
            .zip(&dirs)
            .map(|((x, y), dir)| compare_values(&[x.val(&text)], &[y.val(&text)], &[*dir]))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    });
    Ok(order.into_iter().map(|i| ids[i]).collect())
}

/// The keys of `rules` for every row of `ids`, read back from the rows: on every core, a run
/// of `ids` each, decoding just the rules' fields; each part's strings live in its own text,
/// moved into one afterwards.
fn read_keys(
    store: &RowStore,
    ids: &[RowId],
    rules: &[OrderBy],
) -> Result<(Vec<Key>, String), RowsError> {
    let width = rules.len();
    let keep = |name: &str| rules.iter().any(|r| r.field == name);
    let keep = &keep;
    let read = |from: usize, to: usize| -> Result<(Vec<Key>, String), RowsError> {
        let run = &ids[from..to];
        let mut keys: Vec<Key> = Vec::with_capacity(run.len() * width);
        let mut text = String::new();
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            return Ok((keys, text));
        };
        let mut next = 0;
        store.scan(first.index(), last.index() + 1, |id, bytes| {
            if run.get(next) != Some(&id) {
                return Ok(true);
            }
            next += 1;
            let item = store.decode(id, bytes, Some(keep))?;
            keys.extend(
                rules
                    .iter()
                    .map(|r| Key::of(SortVal::of_field(item.field(&r.field)), &mut text)),
            );
            Ok(next < run.len())
        })?;
        Ok((keys, text))
    };
    let results = on_cores(ids.len(), 4096, read, || RowsError::Io {
        path: store.source_path().to_owned(),
        reason: "a sorting thread failed".into(),
    })?;
    let mut keys: Vec<Key> = Vec::with_capacity(ids.len() * width);
    let mut text = String::new();
    for (part_keys, part_text) in results {
        let base = u32::try_from(text.len()).ok();
        keys.extend(part_keys.into_iter().map(|k| {
            match (k, base) {
                (Key::Str(start, len), Some(base)) => base
                    .checked_add(start)
                    .map_or(Key::Null, |start| Key::Str(start, len)),
                (Key::Str(..), None) => Key::Null,
                (other, _) => other,
            }
        }));
        text.push_str(&part_text);
    }
    Ok((keys, text))
}
