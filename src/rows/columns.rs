//! The compact columns: what sort, filter and statistics read for every row without touching
//! the row's bytes. About 230 bytes a row whatever the length of its text.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt::Write as _;

use foldhash::fast::RandomState;

use super::compact::{CompactRow, NULL_DATE, ODD_DATE};
use super::slots::{BOOL_FIELDS, DATE_FIELDS, DICT_FIELDS, LIST_FIELDS, NUM_FIELDS};

/// Distinct values of one column; code 0 is null, code `n + 1` is `values[n]`.
#[derive(Debug, Clone, Default)]
pub struct Dict<T> {
    pub values: Vec<T>,
    codes: HashMap<T, u32, RandomState>,
}

impl<T: std::hash::Hash + Eq + Clone> Dict<T> {
    /// The code of a value, added if new.
    pub fn code<Q>(&mut self, v: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized + ToOwnedAs<T>,
    {
        if let Some(c) = self.codes.get(v) {
            return *c;
        }
        let owned = v.to_owned_as();
        self.values.push(owned.clone());
        let c = self.values.len() as u32;
        self.codes.insert(owned, c);
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

/// Every compact column of a set of rows.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub len: usize,
    pub nums: [Vec<i64>; NUM_FIELDS.len()],
    pub bools: [Vec<u8>; BOOL_FIELDS.len()],
    pub dates: [Vec<i64>; DATE_FIELDS.len()],
    /// Text of dates not in the API's shape, by row.
    pub odd_dates: [BTreeMap<u32, Box<str>>; DATE_FIELDS.len()],
    pub dicts: [Dict<Box<str>>; DICT_FIELDS.len()],
    pub dict_codes: [Vec<u32>; DICT_FIELDS.len()],
    pub lists: [ListDict; LIST_FIELDS.len()],
    pub list_codes: [Vec<u32>; LIST_FIELDS.len()],
}

impl Columns {
    /// Room for `n` more rows in every column.
    pub fn reserve(&mut self, n: usize) {
        self.nums.iter_mut().for_each(|c| c.reserve(n));
        self.bools.iter_mut().for_each(|c| c.reserve(n));
        self.dates.iter_mut().for_each(|c| c.reserve(n));
        self.dict_codes.iter_mut().for_each(|c| c.reserve(n));
        self.list_codes.iter_mut().for_each(|c| c.reserve(n));
    }

    /// Appends one row.
    pub fn push(&mut self, row: &CompactRow<'_>) {
        let at = self.len as u32;
        for (col, v) in self.nums.iter_mut().zip(row.nums) {
            col.push(v);
        }
        for (col, v) in self.bools.iter_mut().zip(row.bools) {
            col.push(v);
        }
        for (i, (col, v)) in self.dates.iter_mut().zip(row.dates).enumerate() {
            col.push(v);
            if v == ODD_DATE
                && let Some(text) = &row.odd_dates[i]
            {
                self.odd_dates[i].insert(at, text.as_ref().into());
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
        let base = self.len as u32;
        for (a, b) in self.nums.iter_mut().zip(other.nums) {
            a.extend(b);
        }
        for (a, b) in self.bools.iter_mut().zip(other.bools) {
            a.extend(b);
        }
        for (a, b) in self.dates.iter_mut().zip(other.dates) {
            a.extend(b);
        }
        for (a, b) in self.odd_dates.iter_mut().zip(other.odd_dates) {
            a.extend(b.into_iter().map(|(row, text)| (row + base, text)));
        }
        for (i, (dict, codes)) in other.dicts.into_iter().zip(other.dict_codes).enumerate() {
            let map: Vec<u32> = std::iter::once(0)
                .chain(dict.values.iter().map(|v| self.dicts[i].code(v.as_ref())))
                .collect();
            self.dict_codes[i].extend(codes.into_iter().map(|c| map[c as usize]));
        }
        for (i, (dict, codes)) in other.lists.into_iter().zip(other.list_codes).enumerate() {
            let map: Vec<u32> = std::iter::once(0)
                .chain(dict.values.iter().map(|v| self.lists[i].code(v)))
                .collect();
            self.list_codes[i].extend(codes.into_iter().map(|c| map[c as usize]));
        }
        self.len += other.len;
    }

    /// A date's text, if not null.
    pub fn date_text<'b>(&'b self, i: usize, row: usize, buf: &'b mut [u8; 26]) -> Option<&'b str> {
        match self.dates[i][row] {
            NULL_DATE => None,
            ODD_DATE => self.odd_dates[i].get(&(row as u32)).map(AsRef::as_ref),
            v => Some(super::compact::unpack_date(v, buf)),
        }
    }

    /// Bytes held, roughly (columns and dictionaries).
    pub fn heap_bytes(&self) -> usize {
        let n = self.len;
        let fixed = n
            * (NUM_FIELDS.len() * 8
                + BOOL_FIELDS.len()
                + DATE_FIELDS.len() * 8
                + (DICT_FIELDS.len() + LIST_FIELDS.len()) * 4);
        let dicts: usize = self
            .dicts
            .iter()
            .map(|d| d.values.iter().map(|v| v.len() + 40).sum::<usize>())
            .sum();
        fixed + dicts
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
        let dom = |r: usize| a.dicts[1].get(a.dict_codes[1][r]).map(AsRef::as_ref);
        assert_eq!(
            [dom(0), dom(1), dom(2)],
            [Some("a.com"), Some("b.com"), Some("a.com")]
        );
        let attrs = |r: usize| a.lists[1].get(a.list_codes[1][r]).cloned();
        assert_eq!(attrs(1), Some(vec!["y".to_owned(), "x".to_owned()]));
        assert_eq!(a.odd_dates[0].get(&1).map(AsRef::as_ref), Some("odd"));
        assert_eq!(a.dicts[1].values.len(), 2);
    }
}
