//! The compact columns: what sort, filter and statistics read for every row without touching
//! the row's bytes. About 100 bytes a row whatever the length of its text.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt::Write as _;

use foldhash::fast::RandomState;

use super::compact::{CompactRow, NULL_DATE, ODD_DATE};
use super::narrow::{BoolCols, CodeCol, DateCol, NumCol};
use super::slots::{DATE_FIELDS, DICT_FIELDS, LIST_FIELDS, NUM_FIELDS};

/// Distinct values of one column; code 0 is null, code `n + 1` is `values[n]`.
#[derive(Debug, Clone, Default)]
pub struct Dict<T> {
    pub values: Vec<T>,
    codes: HashMap<T, u32, RandomState>,
    /// The code given last (rows in a file often repeat their neighbour's value).
    last: u32,
}

impl<T: std::hash::Hash + Eq + Clone> Dict<T> {
    /// The code of a value, added if new.
    pub fn code<Q>(&mut self, v: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized + ToOwnedAs<T> + AsRef<[u8]>,
    {
        let same = |l: &T| super::scan::same(l.borrow().as_ref(), v.as_ref());
        if self.get(self.last).is_some_and(same) {
            return self.last;
        }
        if let Some(c) = self.codes.get(v) {
            self.last = *c;
            return *c;
        }
        let owned = v.to_owned_as();
        self.values.push(owned.clone());
        let c = self.values.len() as u32;
        self.codes.insert(owned, c);
        self.last = c;
        c
    }

    /// The value of a code (`None` for null).
    pub fn get(&self, code: u32) -> Option<&T> {
        code.checked_sub(1)
            .and_then(|i| self.values.get(i as usize))
    }
}

/// How a borrowed value becomes a dictionary entry.
pub trait ToOwnedAs<T> {
    fn to_owned_as(&self) -> T;
}

impl ToOwnedAs<Box<str>> for str {
    fn to_owned_as(&self) -> Box<str> {
        self.into()
    }
}

/// Distinct lists of one column; code 0 is null, code `n + 1` is `values[n]`. Looked up by
/// a key built in a reused buffer, so a row's list costs no allocation once seen.
#[derive(Debug, Clone, Default)]
pub struct ListDict {
    pub values: Vec<Vec<String>>,
    keys: Dict<Box<str>>,
    scratch: String,
}

impl ListDict {
    /// The code of a list, added if new.
    pub fn code<S: AsRef<str>>(&mut self, items: &[S]) -> u32 {
        self.scratch.clear();
        for s in items {
            let s = s.as_ref();
            // Length-prefixed, so no item text can fake a boundary.
            let _ = write!(self.scratch, "{}:{s}", s.len());
        }
        let code = self.keys.code(self.scratch.as_str());
        if code as usize > self.values.len() {
            self.values
                .push(items.iter().map(|s| s.as_ref().to_owned()).collect());
        }
        code
    }

    /// The list of a code (`None` for null).
    pub fn get(&self, code: u32) -> Option<&Vec<String>> {
        code.checked_sub(1)
            .and_then(|i| self.values.get(i as usize))
    }
}

/// Every compact column of a set of rows (see [`super::narrow`] for their widths).
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub len: usize,
    pub nums: [NumCol; NUM_FIELDS.len()],
    /// The [`BOOL_FIELDS`](super::slots::BOOL_FIELDS), two bits each per row.
    pub bools: BoolCols,
    pub dates: [DateCol; DATE_FIELDS.len()],
    /// Text of dates not held in a date column (not the API's shape, or out of its range),
    /// by row.
    pub odd_dates: [BTreeMap<u32, Box<str>>; DATE_FIELDS.len()],
    pub dicts: [Dict<Box<str>>; DICT_FIELDS.len()],
    pub dict_codes: [CodeCol; DICT_FIELDS.len()],
    pub lists: [ListDict; LIST_FIELDS.len()],
    pub list_codes: [CodeCol; LIST_FIELDS.len()],
}

impl Columns {
    /// Room for `n` more rows in every column.
    pub fn reserve(&mut self, n: usize) {
        self.nums.iter_mut().for_each(|c| c.reserve(n));
        self.bools.0.reserve(n);
        self.dates.iter_mut().for_each(|c| c.0.reserve(n));
        self.dict_codes.iter_mut().for_each(|c| c.reserve(n));
        self.list_codes.iter_mut().for_each(|c| c.reserve(n));
    }

    /// Number column `k` of `row` ([`super::slots::NULL_NUM`] for null).
    pub fn num(&self, k: usize, row: usize) -> i64 {
        self.nums[k].get(row)
    }

    /// True/false column `k` of `row`: 0 null, 1 false, 2 true.
    pub fn bool(&self, k: usize, row: usize) -> u8 {
        self.bools.get(k, row)
    }

    /// Dictionary code of column `k` for `row` (0 null).
    pub fn dict_code(&self, k: usize, row: usize) -> u32 {
        self.dict_codes[k].get(row)
    }

    /// List code of column `k` for `row` (0 null).
    pub fn list_code(&self, k: usize, row: usize) -> u32 {
        self.list_codes[k].get(row)
    }

    /// Appends one row.
    pub fn push(&mut self, row: &CompactRow<'_>) {
        let at = self.len as u32;
        for (col, v) in self.nums.iter_mut().zip(row.nums) {
            col.push(v);
        }
        self.bools.push(&row.bools);
        for (i, (col, v)) in self.dates.iter_mut().zip(row.dates).enumerate() {
            let held = col.push(v);
            if v == ODD_DATE {
                if let Some(text) = &row.odd_dates[i] {
                    self.odd_dates[i].insert(at, text.as_ref().into());
                }
            } else if !held {
                let mut buf = [0u8; 26];
                let text = super::compact::unpack_date(v, &mut buf);
                self.odd_dates[i].insert(at, text.into());
            }
        }
        for (i, v) in row.dicts.iter().enumerate() {
            let code = v.as_deref().map_or(0, |s| self.dicts[i].code(s));
            self.dict_codes[i].push(code);
        }
        for (i, v) in row.lists.iter().enumerate() {
            let code = v.as_ref().map_or(0, |items| self.lists[i].code(items));
            self.list_codes[i].push(code);
        }
        self.len += 1;
    }

    /// Appends every row of `other` (built on another thread, with its own dictionaries).
    pub fn append(&mut self, other: Columns) {
        Columns::concat_into(self, vec![other]);
    }

    /// The rows of `parts` in order, in one set of columns; each column is gathered in its
    /// final size and the parts' copies freed as it goes, so the peak is one column over.
    pub fn concat(mut parts: Vec<Columns>) -> Columns {
        if parts.is_empty() {
            return Columns::default();
        }
        let mut first = parts.remove(0);
        Columns::concat_into(&mut first, parts);
        first
    }

    fn concat_into(all: &mut Columns, mut rest: Vec<Columns>) {
        let more: usize = rest.iter().map(|c| c.len).sum();
        if more == 0 {
            return;
        }
        let base = all.len;
        for (i, col) in all.nums.iter_mut().enumerate() {
            col.reserve(more);
            for p in &mut rest {
                col.append(std::mem::take(&mut p.nums[i]));
            }
        }
        all.bools.0.reserve_exact(more);
        for p in &mut rest {
            all.bools.0.extend(std::mem::take(&mut p.bools.0));
        }
        for (i, col) in all.dates.iter_mut().enumerate() {
            col.0.reserve_exact(more);
            let mut at = base as u32;
            for p in &mut rest {
                col.0.extend(std::mem::take(&mut p.dates[i].0));
                let odd = std::mem::take(&mut p.odd_dates[i]);
                all.odd_dates[i].extend(odd.into_iter().map(|(row, text)| (row + at, text)));
                at += p.len as u32;
            }
        }
        for (i, col) in all.dict_codes.iter_mut().enumerate() {
            col.reserve(more);
            for p in &mut rest {
                let map: Vec<u32> = std::iter::once(0)
                    .chain(
                        p.dicts[i]
                            .values
                            .iter()
                            .map(|v| all.dicts[i].code(v.as_ref())),
                    )
                    .collect();
                col.append_mapped(&std::mem::take(&mut p.dict_codes[i]), &map);
            }
        }
        for (i, col) in all.list_codes.iter_mut().enumerate() {
            col.reserve(more);
            for p in &mut rest {
                let map: Vec<u32> = std::iter::once(0)
                    .chain(p.lists[i].values.iter().map(|v| all.lists[i].code(v)))
                    .collect();
                col.append_mapped(&std::mem::take(&mut p.list_codes[i]), &map);
            }
        }
        all.len += more;
    }

    /// A date's text, if not null.
    pub fn date_text<'b>(&'b self, i: usize, row: usize, buf: &'b mut [u8; 26]) -> Option<&'b str> {
        match self.dates[i].get(row) {
            NULL_DATE => None,
            ODD_DATE => self.odd_dates[i].get(&(row as u32)).map(AsRef::as_ref),
            v => Some(super::compact::unpack_date(v, buf)),
        }
    }

    /// Bytes held, roughly (columns and dictionaries).
    pub fn heap_bytes(&self) -> usize {
        let fixed = self.nums.iter().map(NumCol::heap_bytes).sum::<usize>()
            + self.bools.0.capacity() * 4
            + self.dates.iter().map(|d| d.0.capacity() * 4).sum::<usize>()
            + self
                .dict_codes
                .iter()
                .chain(&self.list_codes)
                .map(CodeCol::heap_bytes)
                .sum::<usize>();
        let dicts: usize = self
            .dicts
            .iter()
            .map(|d| d.values.iter().map(|v| v.len() + 40).sum::<usize>())
            .sum();
        let odd: usize = self
            .odd_dates
            .iter()
            .map(|m| m.values().map(|v| v.len() + 48).sum::<usize>())
            .sum();
        fixed + dicts + odd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_appended_from_another_part_keep_their_values() {
        let a_row =
            CompactRow::from_json(br#"{"domain_from":"a.com","attributes":["x"]}"#).unwrap();
        let b_row = CompactRow::from_json(
            br#"{"domain_from":"b.com","attributes":["y","x"],"first_seen":"odd"}"#,
        )
        .unwrap();
        let mut a = Columns::default();
        a.push(&a_row);
        let mut b = Columns::default();
        b.push(&b_row);
        b.push(&a_row);
        a.append(b);
        assert_eq!(a.len, 3);
        let dom = |r: usize| a.dicts[1].get(a.dict_code(1, r)).map(AsRef::as_ref);
        assert_eq!(
            [dom(0), dom(1), dom(2)],
            [Some("a.com"), Some("b.com"), Some("a.com")]
        );
        let attrs = |r: usize| a.lists[1].get(a.list_code(1, r)).cloned();
        assert_eq!(attrs(1), Some(vec!["y".to_owned(), "x".to_owned()]));
        assert_eq!(a.odd_dates[0].get(&1).map(AsRef::as_ref), Some("odd"));
        assert_eq!(a.dicts[1].values.len(), 2);
    }
}
