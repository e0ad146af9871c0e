//! Sort keys packed into integers, so that sorting tens of thousands of rows compares mostly
//! contiguous `u128`s instead of chasing string pointers through the profile.
//!
//! Each value becomes one `u128` whose order equals [`compare_values`]'s order for that rule:
//! the top byte is 1 for null (last in both directions), the low 120 bits hold the value
//! (integers with the sign bit flipped, booleans as 0/1, strings as their first 15 bytes),
//! inverted for descending rules. Strings whose packed prefixes are equal are then compared in
//! full, so the order is exact.

use std::cmp::Ordering;

use super::SortVal;
#[cfg(doc)]
use super::compare_values;
use crate::api::request::SortDir;

const VALUE_BITS: u32 = 120;
const VALUE_MASK: u128 = (1 << VALUE_BITS) - 1;
const NULL: u128 = 1 << VALUE_BITS;
const PREFIX: usize = 15;

/// Flat packed keys of many rows, `width` values per row.
#[derive(Debug)]
pub struct PackedKeys<'a> {
    width: usize,
    dirs: Vec<SortDir>,
    keys: Vec<u128>,
    /// The full string of each string value, `None` otherwise.
    strs: Vec<Option<&'a str>>,
}

impl<'a> PackedKeys<'a> {
    /// Keys for `rows` rows under rules with these directions.
    pub fn new(dirs: &[SortDir], rows: usize) -> Self {
        Self {
            width: dirs.len(),
            dirs: dirs.to_vec(),
            keys: Vec::with_capacity(rows * dirs.len()),
            strs: Vec::with_capacity(rows * dirs.len()),
        }
    }

    /// Appends one row, given its values in rule order.
    pub fn push(&mut self, values: &[SortVal<'a>]) {
        for (v, dir) in values.iter().zip(&self.dirs) {
            let (bits, s) = match *v {
                SortVal::Null => (None, None),
                SortVal::Bool(b) => (Some(u128::from(b)), None),
                SortVal::Int(i) => (Some(u128::from((i as u64) ^ (1 << 63))), None),
                SortVal::Str(s) => (Some(prefix(s)), Some(s)),
            };
            self.keys.push(match bits {
                None => NULL,
                Some(b) if *dir == SortDir::Desc => !b & VALUE_MASK,
                Some(b) => b,
            });
            self.strs.push(s);
        }
    }

    /// Orders rows `a` and `b` (indices in push order).
    pub fn compare(&self, row_a: usize, row_b: usize) -> Ordering {
        let (start_a, start_b) = (row_a * self.width, row_b * self.width);
        for i in 0..self.width {
            let (key_a, key_b) = (self.keys[start_a + i], self.keys[start_b + i]);
            if key_a != key_b {
                return key_a.cmp(&key_b);
            }
            if let (Some(str_a), Some(str_b)) = (self.strs[start_a + i], self.strs[start_b + i]) {
                let o = str_a.cmp(str_b);
                let o = if self.dirs[i] == SortDir::Desc {
                    o.reverse()
                } else {
                    o
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
        Ordering::Equal
    }
}

/// The first 15 bytes, big-endian, zero-padded: prefix order is byte order.
fn prefix(s: &str) -> u128 {
    let mut buf = [0u8; 16];
    let n = s.len().min(PREFIX);
    buf[1..=n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(buf)
}

#[cfg(test)]
mod tests {
    use super::super::compare_values;
    use super::*;
    use proptest::prelude::*;

    fn val() -> impl Strategy<Value = SortVal<'static>> {
        let strs: &'static [&'static str] = &[
            "",
            "a",
            "ab",
            "ab\u{0}",
            "https://www.example.com/a",
            "https://www.example.com/b",
            "2024-05-01 10:00:00 +00:00",
            "2024-05-01 10:00:01 +00:00",
            "Z",
            "é",
        ];
        prop_oneof![
            Just(SortVal::Null),
            any::<bool>().prop_map(SortVal::Bool),
            any::<i64>().prop_map(SortVal::Int),
            (-3i64..3).prop_map(SortVal::Int),
            (0..strs.len()).prop_map(move |i| SortVal::Str(strs[i])),
        ]
    }

    /// Two values of one rule share a type (or are null), as they do within a field.
    fn same_type(a: SortVal<'_>, b: SortVal<'_>) -> bool {
        matches!(
            (a, b),
            (SortVal::Null, _)
                | (_, SortVal::Null)
                | (SortVal::Bool(_), SortVal::Bool(_))
                | (SortVal::Int(_), SortVal::Int(_))
                | (SortVal::Str(_), SortVal::Str(_))
        )
    }

    proptest! {
        #[test]
        fn packed_order_equals_value_order(a in val(), b in val(), c in val(), d in val(), desc in any::<bool>()) {
            prop_assume!(same_type(a, c) && same_type(b, d));
            let dirs = [if desc { SortDir::Desc } else { SortDir::Asc }, SortDir::Asc];
            let mut packed = PackedKeys::new(&dirs, 2);
            packed.push(&[a, b]);
            packed.push(&[c, d]);
            prop_assert_eq!(packed.compare(0, 1), compare_values(&[a, b], &[c, d], &dirs));
        }
    }
}
