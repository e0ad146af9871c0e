//! Columns as narrow as their values allow: numbers in 32 bits until one does not fit,
//! dictionary codes in 8 or 16 bits until the dictionary grows past them, dates as 32-bit
//! seconds since 1970, and the nine true/false fields two bits each in one `u32`. A column
//! widens itself (once, copying) when a value needs it, so any file still reads exactly.

use super::compact::{NULL_DATE, ODD_DATE};
use super::slots::NULL_NUM;

/// A number column; [`NULL_NUM`] for null.
#[derive(Debug, Clone)]
pub enum NumCol {
    /// Every value fits in an `i32` (`i32::MIN` is null).
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl Default for NumCol {
    fn default() -> Self {
        NumCol::Narrow(Vec::new())
    }
}

impl NumCol {
    pub fn get(&self, row: usize) -> i64 {
        match self {
            NumCol::Narrow(v) => match v[row] {
                i32::MIN => NULL_NUM,
                x => i64::from(x),
            },
            NumCol::Wide(v) => v[row],
        }
    }

    pub fn push(&mut self, x: i64) {
        match self {
            NumCol::Narrow(v) => {
                if let Some(n) = narrow(x) {
                    v.push(n);
                } else {
                    self.widen();
                    self.push(x);
                }
            }
            NumCol::Wide(v) => v.push(x),
        }
    }

    fn widen(&mut self) {
        if let NumCol::Narrow(v) = self {
            let mut wide = Vec::with_capacity(v.capacity());
            wide.extend(v.iter().map(|&x| {
                if x == i32::MIN {
                    NULL_NUM
                } else {
                    i64::from(x)
                }
            }));
            *self = NumCol::Wide(wide);
        }
    }

    pub fn len(&self) -> usize {
        match self {
            NumCol::Narrow(v) => v.len(),
            NumCol::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn reserve(&mut self, n: usize) {
        match self {
            NumCol::Narrow(v) => v.reserve(n),
            NumCol::Wide(v) => v.reserve(n),
        }
    }

    /// Appends another column's values.
    pub fn append(&mut self, other: NumCol) {
        match (&mut *self, other) {
            (NumCol::Narrow(a), NumCol::Narrow(b)) => a.extend(b),
            (NumCol::Wide(a), NumCol::Wide(b)) => a.extend(b),
            (NumCol::Wide(a), NumCol::Narrow(b)) => a.extend(b.into_iter().map(|x| {
                if x == i32::MIN {
                    NULL_NUM
                } else {
                    i64::from(x)
                }
            })),
            (NumCol::Narrow(_), b @ NumCol::Wide(_)) => {
                self.widen();
                self.append(b);
            }
        }
    }

    /// Every value in row order (null as [`NULL_NUM`]).
    pub fn values(&self) -> Box<dyn Iterator<Item = i64> + '_> {
        match self {
            NumCol::Narrow(v) => Box::new(v.iter().map(|&x| {
                if x == i32::MIN {
                    NULL_NUM
                } else {
                    i64::from(x)
                }
            })),
            NumCol::Wide(v) => Box::new(v.iter().copied()),
        }
    }

    pub fn heap_bytes(&self) -> usize {
        match self {
            NumCol::Narrow(v) => v.capacity() * 4,
            NumCol::Wide(v) => v.capacity() * 8,
        }
    }
}

/// `x` as a narrow value, if it fits (null is `i32::MIN`).
fn narrow(x: i64) -> Option<i32> {
    if x == NULL_NUM {
        Some(i32::MIN)
    } else {
        i32::try_from(x).ok().filter(|n| *n != i32::MIN)
    }
}

/// A dictionary code column (0 is null).
#[derive(Debug, Clone)]
pub enum CodeCol {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for CodeCol {
    fn default() -> Self {
        CodeCol::U8(Vec::new())
    }
}

impl CodeCol {
    pub fn get(&self, row: usize) -> u32 {
        match self {
            CodeCol::U8(v) => u32::from(v[row]),
            CodeCol::U16(v) => u32::from(v[row]),
            CodeCol::U32(v) => v[row],
        }
    }

    pub fn push(&mut self, code: u32) {
        match self {
            CodeCol::U8(v) => {
                if let Ok(c) = u8::try_from(code) {
                    v.push(c);
                } else {
                    self.widen(code);
                    self.push(code);
                }
            }
            CodeCol::U16(v) => {
                if let Ok(c) = u16::try_from(code) {
                    v.push(c);
                } else {
                    self.widen(code);
                    self.push(code);
                }
            }
            CodeCol::U32(v) => v.push(code),
        }
    }

    /// Makes room for codes up to `max`.
    fn widen(&mut self, max: u32) {
        let (len, cap) = (self.len(), self.capacity());
        let wide = max > u32::from(u16::MAX);
        let codes = (0..len).map(|r| self.get(r));
        let new = if wide {
            let mut v = Vec::with_capacity(cap);
            v.extend(codes);
            CodeCol::U32(v)
        } else {
            let mut v = Vec::with_capacity(cap);
            v.extend(codes.map(|c| c as u16));
            CodeCol::U16(v)
        };
        if new.width() > self.width() {
            *self = new;
        }
    }

    fn width(&self) -> usize {
        match self {
            CodeCol::U8(_) => 1,
            CodeCol::U16(_) => 2,
            CodeCol::U32(_) => 4,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            CodeCol::U8(v) => v.len(),
            CodeCol::U16(v) => v.len(),
            CodeCol::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn capacity(&self) -> usize {
        match self {
            CodeCol::U8(v) => v.capacity(),
            CodeCol::U16(v) => v.capacity(),
            CodeCol::U32(v) => v.capacity(),
        }
    }

    pub fn reserve(&mut self, n: usize) {
        match self {
            CodeCol::U8(v) => v.reserve(n),
            CodeCol::U16(v) => v.reserve(n),
            CodeCol::U32(v) => v.reserve(n),
        }
    }

    /// Appends another column's codes, each mapped through `map` (its dictionary's codes in
    /// this one's).
    pub fn append_mapped(&mut self, other: &CodeCol, map: &[u32]) {
        if let Some(&max) = map.iter().max() {
            self.widen(max);
        }
        self.reserve(other.len());
        for r in 0..other.len() {
            self.push(map[other.get(r) as usize]);
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.capacity() * self.width()
    }
}

/// Null and odd-date sentinels of a [`DateCol`].
const NULL_SECS: u32 = u32::MAX;
const ODD_SECS: u32 = u32::MAX - 1;

/// A date column: seconds since 1970-01-01 00:00:00 UTC (to 2106), which order as the
/// API's text does. Dates outside that range or not real dates are "odd": their text is kept
/// aside by the caller.
#[derive(Debug, Clone, Default)]
pub struct DateCol(pub Vec<u32>);

impl DateCol {
    /// A packed `YYYYMMDDhhmmss` value ([`NULL_DATE`], [`ODD_DATE`] as such); false when
    /// the date cannot be held (then it was pushed as odd).
    pub fn push(&mut self, packed: i64) -> bool {
        let secs = match packed {
            NULL_DATE => NULL_SECS,
            ODD_DATE => ODD_SECS,
            v => {
                let Some(s) = secs_of(v) else {
                    self.0.push(ODD_SECS);
                    return false;
                };
                s
            }
        };
        self.0.push(secs);
        true
    }

    /// The packed `YYYYMMDDhhmmss` value of a row (or [`NULL_DATE`], [`ODD_DATE`]).
    pub fn get(&self, row: usize) -> i64 {
        match self.0[row] {
            NULL_SECS => NULL_DATE,
            ODD_SECS => ODD_DATE,
            s => packed_of(s),
        }
    }

    /// A sort key: seconds, nulls as `None` (odd dates sort with their text elsewhere).
    pub fn key(&self, row: usize) -> Option<u32> {
        Some(self.0[row]).filter(|s| *s < ODD_SECS)
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Seconds since 1970 of a packed `YYYYMMDDhhmmss`, when it is a real date in range.
#[allow(clippy::many_single_char_names)]
fn secs_of(v: i64) -> Option<u32> {
    let (date, time) = (v / 1_000_000, v % 1_000_000);
    let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
    let (h, mi, s) = (time / 10_000, time / 100 % 100, time % 100);
    if !(1..=12).contains(&m) || d < 1 || h > 23 || mi > 59 || s > 59 || y < 1970 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // A day past the month's end would come back as another date.
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    u32::try_from(secs).ok().filter(|s| *s < ODD_SECS)
}

fn packed_of(secs: u32) -> i64 {
    let secs = i64::from(secs);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    ((y * 100 + m) * 100 + d) * 1_000_000 + (t / 3600) * 10_000 + (t / 60 % 60) * 100 + t % 60
}

/// The nine true/false columns of a row, two bits each (0 null, 1 false, 2 true).
#[derive(Debug, Clone, Default)]
pub struct BoolCols(pub Vec<u32>);

impl BoolCols {
    pub fn push(&mut self, values: &[u8]) {
        let packed = values
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (u32::from(*v & 3) << (2 * i)));
        self.0.push(packed);
    }

    /// Field `k` of a row: 0 null, 1 false, 2 true.
    pub fn get(&self, k: usize, row: usize) -> u8 {
        ((self.0[row] >> (2 * k)) & 3) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_widens_when_a_value_needs_it_and_keeps_earlier_values() {
        let mut c = NumCol::default();
        for x in [5, NULL_NUM, -7] {
            c.push(x);
        }
        assert!(matches!(c, NumCol::Narrow(_)));
        c.push(1 << 40);
        c.push(i64::from(i32::MIN));
        assert!(matches!(c, NumCol::Wide(_)));
        let got: Vec<i64> = c.values().collect();
        assert_eq!(got, [5, NULL_NUM, -7, 1 << 40, i64::from(i32::MIN)]);
        let mut a = NumCol::default();
        a.push(1);
        a.append(c);
        assert_eq!(a.get(4), 1 << 40);
        assert_eq!(a.get(2), NULL_NUM);

        let mut codes = CodeCol::default();
        codes.push(3);
        codes.push(300);
        codes.push(70_000);
        assert_eq!([codes.get(0), codes.get(1), codes.get(2)], [3, 300, 70_000]);
        let mut more = CodeCol::default();
        more.append_mapped(&codes, &(0..70_001).map(|c| c + 1).collect::<Vec<_>>());
        assert_eq!(more.get(2), 70_001);
    }

    #[test]
    fn dates_keep_their_order_and_their_exact_value() {
        let mut c = DateCol::default();
        let dates = [
            19_700_101_000_000,
            20_000_229_235_959,
            20_191_115_125_746,
            21_060_207_062_813,
        ];
        for d in dates {
            assert!(c.push(d));
        }
        for (r, d) in dates.iter().enumerate() {
            assert_eq!(c.get(r), *d);
        }
        assert!(c.key(0) < c.key(1) && c.key(1) < c.key(2) && c.key(2) < c.key(3));
        // Not real dates, or out of range: odd (their text is kept aside).
        for d in [
            20_190_231_000_000,
            20_190_229_000_000,
            19_691_231_235_959,
            21_060_207_062_816,
            20_191_115_245_746,
        ] {
            assert!(!c.push(d), "{d}");
        }
        assert!(c.push(NULL_DATE));
        assert_eq!(c.get(c.0.len() - 1), NULL_DATE);
        assert_eq!(c.key(c.0.len() - 1), None);
    }

    #[test]
    fn bools_pack_two_bits_each() {
        let mut b = BoolCols::default();
        b.push(&[0, 1, 2, 2, 1, 0, 0, 2, 1]);
        let got: Vec<u8> = (0..9).map(|k| b.get(k, 0)).collect();
        assert_eq!(got, [0, 1, 2, 2, 1, 0, 0, 2, 1]);
    }
}
