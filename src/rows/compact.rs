//! One item's column values, read from its JSON text without building a `Backlink`: keys are
//! borrowed, long text is checked to be text (or null) and skipped, nothing is allocated but
//! the odd escaped string. This is what makes indexing a big file fast.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::slots::{
    BOOL_FIELDS, DATE_FIELDS, DICT_FIELDS, KW_FIRST, LIST_FIELDS, NULL_NUM, NUM_FIELDS, Slot, slot,
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
    /// Reads one item's JSON text.
    pub fn from_json(text: &'a [u8]) -> serde_json::Result<CompactRow<'a>> {
        // One UTF-8 check for the whole item is much cheaper than serde_json's check of each
        // string; invalid text goes the slow way for serde_json's message.
        let Ok(text) = std::str::from_utf8(text) else {
            let mut de = serde_json::Deserializer::from_slice(text);
            let row = CompactRow::deserialize(&mut de)?;
            de.end()?;
            return Ok(row);
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let row = CompactRow::deserialize(&mut de)?;
        de.end()?;
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

impl<'de> Deserialize<'de> for CompactRow<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RowVisitor)
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = CompactRow<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backlink item (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut row = CompactRow::default();
        while let Some(Key { slot: at, text }) = map.next_key::<Key>()? {
            match at {
                Slot::Num(i) => row.nums[i] = map.next_value::<Option<i64>>()?.unwrap_or(NULL_NUM),
                Slot::Bool(i) => {
                    row.bools[i] = map
                        .next_value::<Option<bool>>()?
                        .map_or(0, |b| 1 + u8::from(b));
                }
                Slot::Date(i) => match map.next_value::<Option<Text<'de>>>()? {
                    Some(t) => row.set_date(i, t.0),
                    None => row.dates[i] = NULL_DATE,
                },
                Slot::Dict(i) => row.dicts[i] = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                Slot::List(i) => {
                    row.lists[i] = map
                        .next_value::<Option<Vec<Text<'de>>>>()?
                        .map(|v| v.into_iter().map(|t| t.0).collect());
                }
                Slot::Keywords => {
                    if let Some(kw) = map.next_value::<Option<Keywords>>()? {
                        let slots = &mut row.nums[KW_FIRST..];
                        for (slot, v) in slots.iter_mut().zip(kw.0) {
                            *slot = v.unwrap_or(NULL_NUM);
                        }
                    }
                }
                Slot::Long => {
                    if text {
                        map.next_value::<TextOrNull>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        Ok(row)
    }
}

/// A key's slot, read without copying the key.
struct Key {
    slot: Slot,
    /// A long text field (checked to be text).
    text: bool,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key {
                    slot: slot(v),
                    text: is_text_field(v),
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// Text borrowed from the input where it has no escapes (serde's own `Cow` always copies).
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
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

/// `ranked_keywords_info`'s three counts.
struct Keywords([Option<i64>; 3]);

/// `ranked_keywords_info`'s three counts from its JSON text (a CSV cell).
pub fn keywords_from_json(text: &[u8]) -> serde_json::Result<[Option<i64>; 3]> {
    serde_json::from_slice::<Option<Keywords>>(text).map(|k| k.map_or([None; 3], |k| k.0))
}

impl<'de> Deserialize<'de> for Keywords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keywords;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("ranked_keywords_info (an object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keywords, A::Error> {
                let mut kw = [None; 3];
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    let at = match key.0.as_ref() {
                        "page_from_keywords_count_top_3" => Some(0),
                        "page_from_keywords_count_top_10" => Some(1),
                        "page_from_keywords_count_top_100" => Some(2),
                        _ => None,
                    };
                    match at {
                        Some(i) => kw[i] = map.next_value()?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Keywords(kw))
            }
        }
        d.deserialize_map(V)
    }
}

/// A string or null, not kept.
struct TextOrNull;

impl<'de> Deserialize<'de> for TextOrNull {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(TextOrNullVisitor)
    }
}

struct TextOrNullVisitor;

impl<'de> Visitor<'de> for TextOrNullVisitor {
    type Value = TextOrNull;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_none<E: de::Error>(self) -> Result<TextOrNull, E> {
        Ok(TextOrNull)
    }
    fn visit_unit<E: de::Error>(self) -> Result<TextOrNull, E> {
        Ok(TextOrNull)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<TextOrNull, D::Error> {
        d.deserialize_str(self)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<TextOrNull, E> {
        Ok(TextOrNull)
    }
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
