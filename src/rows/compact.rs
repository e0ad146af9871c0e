//! One item's column values, read from its JSON text without building a `Backlink` (with the
//! [`scan`] reader): keys are borrowed, long text is checked to be text (or null) and skipped,
//! nothing is allocated but the odd escaped string and the two short lists. This is what makes
//! indexing a big file fast.

use std::borrow::Cow;

use serde::de;

use super::scan::{self, Member, Members, ScanError};
use super::slots::{
    BOOL_FIELDS, DATE_FIELDS, DICT_FIELDS, ItemKeys, KW_FIRST, LIST_FIELDS, NULL_NUM, NUM_FIELDS,
    Slot,
};

/// A null date.
pub const NULL_DATE: i64 = i64::MIN;
/// A date whose text is not the API's shape: its text is kept aside, by row.
pub const ODD_DATE: i64 = i64::MIN + 1;

/// The column values of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactRow<'a> {
    pub nums: [i64; NUM_FIELDS.len()],
    /// 0 null, 1 false, 2 true.
    pub bools: [u8; BOOL_FIELDS.len()],
    pub dates: [i64; DATE_FIELDS.len()],
    /// The text of a date that is not in the API's shape.
    pub odd_dates: [Option<Cow<'a, str>>; DATE_FIELDS.len()],
    pub dicts: [Option<Cow<'a, str>>; DICT_FIELDS.len()],
    pub lists: [Option<Vec<Cow<'a, str>>>; LIST_FIELDS.len()],
}

impl Default for CompactRow<'_> {
    fn default() -> Self {
        CompactRow {
            nums: [NULL_NUM; NUM_FIELDS.len()],
            bools: [0; BOOL_FIELDS.len()],
            dates: [NULL_DATE; DATE_FIELDS.len()],
            odd_dates: Default::default(),
            dicts: Default::default(),
            lists: Default::default(),
        }
    }
}

impl<'a> CompactRow<'a> {
    /// Reads one item's JSON text (serde_json's error type, for callers that want it).
    pub fn from_json(text: &'a [u8]) -> serde_json::Result<CompactRow<'a>> {
        CompactRow::scan(text).map_err(de::Error::custom)
    }

    /// Reads one item's JSON text with the [`scan`] reader: keys and values borrowed, long
    /// text checked to be text (or null) and skipped.
    pub fn scan(text: &'a [u8]) -> Result<CompactRow<'a>, ScanError> {
        let text = check_utf8(text)?;
        CompactRow::of_members(text, &mut scan::members(text.as_bytes()))
    }

    /// Reads the item at the start of `text` (which may go on after it); returns the row and
    /// where the item ended. `text` must be valid UTF-8 as far as the item goes.
    pub fn scan_prefix(text: &'a str) -> Result<(CompactRow<'a>, usize), ScanError> {
        let mut members = scan::members_prefix(text.as_bytes());
        let row = CompactRow::of_members(text, &mut members)?;
        Ok((row, members.end()))
    }

    /// The row of an item's members, scanned from `text` (checked UTF-8 text, so its keys
    /// and values are sliced from it, not checked again).
    fn of_members(text: &'a str, members: &mut Members<'a>) -> Result<CompactRow<'a>, ScanError> {
        let mut row = CompactRow::default();
        let mut keys = ItemKeys::default();
        loop {
            members.expect(keys.expected());
            let Some(m) = members.next() else { break };
            let m = m?;
            let (key, slot) = if m.expected {
                let key = keys.expected();
                (Cow::Borrowed(key), keys.came())
            } else {
                let key = match within(text, m.key) {
                    Some(k) if !m.key_escaped => Cow::Borrowed(k),
                    _ => m.key()?,
                };
                let slot = keys.other(&key);
                (key, slot)
            };
            let (v, at) = (m.value, m.at);
            let string_or_null = |v: &'a [u8], at: usize| match v {
                [b'"', inner @ .., b'"'] if memchr::memchr(b'\\', inner).is_none() => {
                    within(text, inner)
                        .map_or_else(|| scan::string_or_null(v, at), |s| Ok(Some(s.into())))
                }
                _ => scan::string_or_null(v, at),
            };
            match slot {
                Slot::Num(i) => row.nums[i] = scan::int_or_null(v, at)?.unwrap_or(NULL_NUM),
                Slot::Bool(i) => {
                    row.bools[i] = scan::bool_or_null(v, at)?.map_or(0, |b| 1 + u8::from(b));
                }
                Slot::Date(i) => {
                    if let Some(t) = string_or_null(v, at)? {
                        row.set_date(i, t);
                    } else {
                        row.dates[i] = NULL_DATE;
                        row.odd_dates[i] = None;
                    }
                }
                Slot::Dict(i) => row.dicts[i] = string_or_null(v, at)?,
                Slot::List(i) => {
                    let mut list = Vec::new();
                    let some = scan::each_string(v, at, |s| list.push(s))?;
                    row.lists[i] = some.then_some(list);
                }
                Slot::Keywords => {
                    if v != b"null" {
                        if v.first() != Some(&b'{') {
                            return Err(ScanError {
                                at,
                                what: "invalid type: expected an object",
                            });
                        }
                        let kw = keywords_of(scan::members(v), at)?;
                        for (slot, v) in row.nums[KW_FIRST..].iter_mut().zip(kw) {
                            *slot = v.unwrap_or(NULL_NUM);
                        }
                    }
                }
                Slot::Long => {
                    if is_text_field(&key) && v != b"null" && v.first() != Some(&b'"') {
                        return Err(ScanError {
                            at,
                            what: "invalid type: expected a string",
                        });
                    }
                }
            }
        }
        Ok(row)
    }

    /// Sets a date from its text.
    pub fn set_date(&mut self, i: usize, text: Cow<'a, str>) {
        if let Some(v) = pack_date(&text) {
            self.dates[i] = v;
        } else {
            self.dates[i] = ODD_DATE;
            self.odd_dates[i] = Some(text);
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS +00:00` as the integer `YYYYMMDDhhmmss`, which orders as the text
/// does (and as `cmp_time` compares); `None` for any other shape.
pub fn pack_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 26 || &b[19..] != b" +00:00" {
        return None;
    }
    let mut v: i64 = 0;
    for (i, &c) in b[..19].iter().enumerate() {
        let sep = match i {
            4 | 7 => Some(b'-'),
            10 => Some(b' '),
            13 | 16 => Some(b':'),
            _ => None,
        };
        match sep {
            Some(want) if c == want => {}
            None if c.is_ascii_digit() => v = v * 10 + i64::from(c - b'0'),
            Some(_) | None => return None,
        }
    }
    Some(v)
}

/// A bare date `YYYY-MM-DD` or a full API date as a packed value (midnight for a bare date),
/// for filter literals.
pub fn pack_date_or_day(s: &str) -> Option<i64> {
    if s.len() == 10 {
        pack_date(&format!("{s} 00:00:00 +00:00"))
    } else {
        pack_date(s)
    }
}

/// The API's text of a packed date, written into `buf`.
pub fn unpack_date(v: i64, buf: &mut [u8; 26]) -> &str {
    let mut digits = [0u8; 14];
    let mut x = v;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (x % 10) as u8;
        x /= 10;
    }
    let mut j = 0;
    for (i, slot) in buf.iter_mut().enumerate().take(19) {
        *slot = match i {
            4 | 7 => b'-',
            10 => b' ',
            13 | 16 => b':',
            _ => {
                j += 1;
                digits[j - 1]
            }
        };
    }
    buf[19..].copy_from_slice(b" +00:00");
    std::str::from_utf8(buf).unwrap_or_default()
}

/// The long text fields of an item (checked to be text, as the full decoder would).
fn is_text_field(key: &str) -> bool {
    matches!(
        key,
        "url_from"
            | "url_to"
            | "page_from_title"
            | "alt"
            | "image_url"
            | "anchor"
            | "text_pre"
            | "text_post"
            | "url_to_redirect_target"
    )
}

/// `part` as text, when it is a slice of `text` (found by its place; O(1)).
fn within<'a>(text: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    text.get(start..start.checked_add(part.len())?)
}

/// `ranked_keywords_info`'s three counts from its JSON text (a CSV cell).
pub fn keywords_from_json(text: &[u8]) -> serde_json::Result<[Option<i64>; 3]> {
    let read = || {
        check_utf8(text)?;
        if text.trim_ascii() == b"null" {
            return Ok([None; 3]);
        }
        keywords_of(scan::members(text), 0)
    };
    read().map_err(de::Error::custom)
}

/// `ranked_keywords_info`'s three counts from its members (`at`: where the object starts).
fn keywords_of<'a>(
    members: impl Iterator<Item = Result<Member<'a>, ScanError>>,
    at: usize,
) -> Result<[Option<i64>; 3], ScanError> {
    let mut kw = [None; 3];
    for m in members {
        let m = m?;
        let i = match m.key()?.as_ref() {
            "page_from_keywords_count_top_3" => 0,
            "page_from_keywords_count_top_10" => 1,
            "page_from_keywords_count_top_100" => 2,
            _ => continue,
        };
        kw[i] = scan::int_or_null(m.value, at + m.at)?;
    }
    Ok(kw)
}

/// The whole text checked as UTF-8 once (its keys and values are then sliced from it).
fn check_utf8(text: &[u8]) -> Result<&str, ScanError> {
    scan::utf8(text).map_err(|at| ScanError {
        at,
        what: "invalid UTF-8",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pack_in_text_order_and_unpack_to_the_same_text() {
        let a = "2019-11-15 12:57:46 +00:00";
        let b = "2019-11-15 13:00:00 +00:00";
        let (pa, pb) = (pack_date(a).unwrap(), pack_date(b).unwrap());
        assert!(pa < pb);
        let mut buf = [0u8; 26];
        assert_eq!(unpack_date(pa, &mut buf), a);
        assert_eq!(pack_date("2019-11-15"), None);
        assert_eq!(pack_date("2019-11-15 12:57:46 +01:00"), None);
        assert_eq!(
            pack_date_or_day("2019-11-15"),
            pack_date("2019-11-15 00:00:00 +00:00")
        );
    }

    #[test]
    fn an_item_gives_its_column_values_and_checks_the_long_text_types() {
        let row = CompactRow::from_json(
            br#"{"rank":5,"dofollow":false,"first_seen":"2020-01-02 03:04:05 +00:00",
                "prev_seen":"yesterday","domain_from":"a\u00e9.com","attributes":["nofollow"],
                "ranked_keywords_info":{"page_from_keywords_count_top_10":7},
                "anchor":"x","zzz":{"new":1}}"#,
        )
        .unwrap();
        assert_eq!(row.nums[1], 5);
        assert_eq!(row.nums[KW_FIRST + 1], 7);
        assert_eq!(row.nums[0], NULL_NUM);
        assert_eq!(row.bools[5], 1);
        assert_eq!(row.dates[0], 20_200_102_030_405);
        assert_eq!(row.dates[1], ODD_DATE);
        assert_eq!(row.odd_dates[1].as_deref(), Some("yesterday"));
        assert_eq!(row.dicts[1].as_deref(), Some("aé.com"));
        assert_eq!(row.lists[1].as_ref().unwrap()[0], "nofollow");
        assert!(CompactRow::from_json(br#"{"anchor":5}"#).is_err());
        assert!(CompactRow::from_json(br#"{"rank":"high"}"#).is_err());
        assert!(CompactRow::from_json(br#"{"rank":1} x"#).is_err());
    }
}
