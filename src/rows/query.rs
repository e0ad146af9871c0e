//! Sort, filter and search over a store. Columns answer for every row at memory speed; long
//! text is read back from the file in batches, on every core, decoding only the fields asked
//! about.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::api::fields::FieldRef;
use crate::api::filter::{CompiledFilter, Filter, Logic, ValidationError};
use crate::api::response::Backlink;

use super::slots::{NULL_NUM, Slot, column_slot};
use super::{RowId, RowStore, RowsError};

/// Why a filter could not be run.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryError {
    Invalid(ValidationError),
    Rows(RowsError),
}

impl From<RowsError> for QueryError {
    fn from(e: RowsError) -> Self {
        QueryError::Rows(e)
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Invalid(e) => write!(f, "{}", e.message),
            QueryError::Rows(e) => write!(f, "{e}"),
        }
    }
}

/// A filter compiled against the store's columns.
enum Node {
    /// A number column, tested per row.
    Num(usize, CompiledFilter),
    /// A date column, tested per row on its text.
    Date(usize, CompiledFilter),
    /// A true/false column: the answer for null, false, true.
    Bool(usize, [bool; 3]),
    /// A dictionary column: the answer per code (0 is null).
    Dict(usize, Vec<bool>),
    List(usize, Vec<bool>),
    /// A field only in the row's bytes.
    Text(CompiledFilter),
    All(Vec<Node>),
    Any(Vec<Node>),
}

impl RowStore {
    fn compile(&self, f: &Filter, text_fields: &mut Vec<&'static str>) -> Result<Node, QueryError> {
        let cond = match f {
            Filter::Group(g) => {
                let items = g
                    .items
                    .iter()
                    .map(|i| self.compile(i, text_fields))
                    .collect::<Result<_, _>>()?;
                return Ok(match g.logic {
                    Logic::And => Node::All(items),
                    Logic::Or => Node::Any(items),
                });
            }
            Filter::Cond(_) => f,
        };
        let compiled = CompiledFilter::new(cond).map_err(QueryError::Invalid)?;
        let field = compiled.single_field().unwrap_or_default();
        let test = |v: FieldRef<'_>| compiled.passes_value(v).unwrap_or(false);
        let cols = &self.cols;
        Ok(match column_slot(field) {
            Slot::Num(k) => Node::Num(k, compiled),
            Slot::Date(k) => Node::Date(k, compiled),
            Slot::Bool(k) => Node::Bool(
                k,
                [
                    test(FieldRef::Null),
                    test(FieldRef::Bool(false)),
                    test(FieldRef::Bool(true)),
                ],
            ),
            Slot::Dict(k) => {
                let table = std::iter::once(test(FieldRef::Null))
                    .chain(cols.dicts[k].values.iter().map(|v| test(FieldRef::Str(v))))
                    .collect();
                Node::Dict(k, table)
            }
            Slot::List(k) => {
                let table = std::iter::once(test(FieldRef::Null))
                    .chain(cols.lists[k].values.iter().map(|v| test(FieldRef::Strs(v))))
                    .collect();
                Node::List(k, table)
            }
            Slot::Keywords | Slot::Long => {
                if !text_fields.contains(&field) {
                    text_fields.push(field);
                }
                Node::Text(compiled)
            }
        })
    }

    fn eval(&self, node: &Node, row: usize, item: Option<&Backlink>) -> bool {
        let cols = &self.cols;
        match node {
            Node::Num(k, f) => {
                let v = cols.num(*k, row);
                let v = if v == NULL_NUM {
                    FieldRef::Null
                } else {
                    FieldRef::Int(v)
                };
                f.passes_value(v).unwrap_or(false)
            }
            Node::Date(k, f) => {
                let mut buf = [0u8; 26];
                let v = cols
                    .date_text(*k, row, &mut buf)
                    .map_or(FieldRef::Null, FieldRef::Str);
                f.passes_value(v).unwrap_or(false)
            }
            Node::Bool(k, table) => table[cols.bool(*k, row) as usize],
            Node::Dict(k, table) => table[cols.dict_code(*k, row) as usize],
            Node::List(k, table) => table[cols.list_code(*k, row) as usize],
            Node::Text(f) => item.is_some_and(|i| f.matches(i)),
            Node::All(items) => items.iter().all(|n| self.eval(n, row, item)),
            Node::Any(items) => items.iter().any(|n| self.eval(n, row, item)),
        }
    }

    /// The rows passing `filter`, in file order. Every operator of the filter language, with
    /// the same answers as [`CompiledFilter::matches`] on the whole items.
    pub fn filter(&self, filter: &Filter) -> Result<Vec<RowId>, QueryError> {
        let mut text_fields = Vec::new();
        let node = self.compile(filter, &mut text_fields)?;
        if text_fields.is_empty() {
            return Ok((0..self.len())
                .filter(|&r| self.eval(&node, r, None))
                .map(|r| RowId(r as u32))
                .collect());
        }
        let keep = |name: &str| text_fields.contains(&name);
        let parts = self.in_parts(|from, to| {
            let mut hits = Vec::new();
            self.scan(from, to, |id, bytes| {
                let item = self.decode(id, bytes, Some(&keep))?;
                if self.eval(&node, id.index(), Some(&item)) {
                    hits.push(id);
                }
                Ok(true)
            })?;
            Ok(hits)
        })?;
        Ok(parts.into_iter().flatten().collect())
    }

    /// Runs `work` on a range of rows per core, in order.
    fn in_parts<T: Send>(
        &self,
        work: impl Fn(usize, usize) -> Result<T, RowsError> + Sync,
    ) -> Result<Vec<T>, RowsError> {
        on_cores(self.len(), 1024, work, || RowsError::Io {
            path: self.source.path().to_owned(),
            reason: "a reading thread failed".into(),
        })
    }

    /// Every row sorted by `field`: nulls last in both directions, strings by bytes,
    /// `false < true`, ties in file order.
    pub fn sorted(&self, field: &str, descending: bool) -> Result<Vec<RowId>, RowsError> {
        let all: Vec<RowId> = (0..self.len() as u32).map(RowId).collect();
        if let Some(keys) = self.column_keys(field, &all) {
            return Ok(order_of_keys(&keys, descending)
                .into_iter()
                .map(|i| all[i])
                .collect());
        }
        match column_slot(field) {
            // Dates of another shape sort by their text.
            Slot::Date(k) => {
                let mut buf = [0u8; 26];
                let texts: Vec<Option<String>> = (0..self.len())
                    .map(|r| self.cols.date_text(k, r, &mut buf).map(str::to_owned))
                    .collect();
                Ok(sort_texts(&texts, descending))
            }
            _ => self.sorted_by_text(field, descending),
        }
    }

    /// The sort key of each of `ids` for `field`, read from the columns alone (`None`: null),
    /// ordered as [`crate::order::compare_values`] orders the field's values: numbers as
    /// themselves, `false < true`, dates and dictionary text by their text's byte order.
    /// `None` when the columns cannot answer (long text, or dates kept as odd text).
    pub fn column_keys(&self, field: &str, ids: &[RowId]) -> Option<Vec<Option<i64>>> {
        let cols = &self.cols;
        Some(match column_slot(field) {
            Slot::Num(k) => ids
                .iter()
                .map(|r| Some(cols.nums[k].get(r.index())).filter(|v| *v != NULL_NUM))
                .collect(),
            Slot::Date(k) if cols.odd_dates[k].is_empty() => ids
                .iter()
                .map(|r| cols.dates[k].key(r.index()).map(i64::from))
                .collect(),
            Slot::Bool(k) => ids
                .iter()
                .map(|r| match cols.bool(k, r.index()) {
                    0 => None,
                    b => Some(i64::from(b)),
                })
                .collect(),
            Slot::Dict(k) => {
                let ranks = dict_ranks(cols.dicts[k].values.iter().map(AsRef::as_ref));
                ids.iter()
                    .map(|r| Some(ranks[cols.dict_code(k, r.index()) as usize]).filter(|v| *v >= 0))
                    .collect()
            }
            // Lists sort as null (as `order::SortVal` does).
            Slot::List(_) => vec![None; ids.len()],
            Slot::Date(_) | Slot::Keywords | Slot::Long => return None,
        })
    }

    fn sorted_by_text(&self, field: &str, descending: bool) -> Result<Vec<RowId>, RowsError> {
        let keep = |name: &str| name == field;
        let parts = self.in_parts(|from, to| {
            let mut texts = Vec::with_capacity(to - from);
            self.scan(from, to, |id, bytes| {
                let item = self.decode(id, bytes, Some(&keep))?;
                texts.push(match item.field(field) {
                    FieldRef::Str(s) => Some(s.to_owned()),
                    _ => None,
                });
                Ok(true)
            })?;
            Ok(texts)
        })?;
        let texts: Vec<Option<String>> = parts.into_iter().flatten().collect();
        Ok(sort_texts(&texts, descending))
    }

    /// The first position of `order` from `start` (itself included) going forward or back,
    /// wrapping around, whose row passes `hit`; `stop` cancels a long search.
    pub fn find(
        &self,
        order: &[RowId],
        start: usize,
        forward: bool,
        keep: Option<&dyn Fn(&str) -> bool>,
        hit: &dyn Fn(&Backlink) -> bool,
        stop: &AtomicBool,
    ) -> Result<Option<usize>, RowsError> {
        let n = order.len();
        if n == 0 {
            return Ok(None);
        }
        let mut buf = Vec::new();
        for step in 0..n {
            if step % 1024 == 0 && stop.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let pos = if forward {
                (start + step) % n
            } else {
                (start + n - step % n) % n
            };
            let id = order[pos];
            self.row_bytes(id, &mut buf)?;
            if hit(&self.decode(id, &buf, keep)?) {
                return Ok(Some(pos));
            }
        }
        Ok(None)
    }
}

/// `work(from, to)` on runs of `0..len`, one per core (none shorter than `min` unless it is
/// all), in order; `failed` is the error of a thread that panicked.
pub(crate) fn on_cores<T: Send, E: Send>(
    len: usize,
    min: usize,
    work: impl Fn(usize, usize) -> Result<T, E> + Sync,
    failed: impl Fn() -> E,
) -> Result<Vec<T>, E> {
    let n = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(len.div_ceil(min.max(1)).max(1));
    super::index::each_on_thread(n, |k| work(len * k / n, len * (k + 1) / n), failed)
        .into_iter()
        .collect()
}

/// The places of `keys` in their order: nulls last in both directions, ties in place order.
pub fn order_of_keys(keys: &[Option<i64>], descending: bool) -> Vec<usize> {
    let mut keyed: Vec<(bool, i64, u32)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| match *k {
            None => (true, 0, i as u32),
            // `!v` reverses the order without overflow.
            Some(v) if descending => (false, !v, i as u32),
            Some(v) => (false, v, i as u32),
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i as usize).collect()
}

/// Each code's place among the dictionary's values in byte order (code 0, null, is -1).
fn dict_ranks<'a>(values: impl Iterator<Item = &'a str>) -> Vec<i64> {
    let values: Vec<&str> = values.collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|a, b| values[*a].cmp(values[*b]));
    let mut ranks = vec![-1; values.len() + 1];
    for (rank, i) in order.into_iter().enumerate() {
        ranks[i + 1] = rank as i64;
    }
    ranks
}

fn sort_texts(texts: &[Option<String>], descending: bool) -> Vec<RowId> {
    let mut ids: Vec<u32> = (0..texts.len() as u32).collect();
    ids.sort_by(|a, b| match (&texts[*a as usize], &texts[*b as usize]) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) if descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
    });
    ids.into_iter().map(RowId).collect()
}
