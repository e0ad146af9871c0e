//! The eleven fields a diff reads of a row: four say which link it is (`url_from`, `url_to`,
//! `item_type`, `anchor`), seven what the link is like. A row is reduced to two hashes of
//! them, so a million rows take a few dozen megabytes.
//!
//! [`extract`] is the one place that reads them out of a row's JSON text: a faster field
//! scanner may replace its body; everything else goes through [`LinkFields`].

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

use serde::Deserialize;

use crate::api::response::Backlink;

mod scan;

/// The compared fields, in the order `changed_fields` names them.
pub const COMPARED: [&str; 7] = [
    "dofollow",
    "attributes",
    "is_broken",
    "url_to_status_code",
    "url_to_redirect_target",
    "semantic_location",
    "original",
];

/// A row's identity and compared fields, borrowed from its text where it can be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LinkFields<'a> {
    #[serde(borrow)]
    pub url_from: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub url_to: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub item_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub anchor: Option<Cow<'a, str>>,
    pub dofollow: Option<bool>,
    #[serde(borrow)]
    pub attributes: Option<Vec<Cow<'a, str>>>,
    pub is_broken: Option<bool>,
    pub url_to_status_code: Option<i64>,
    #[serde(borrow)]
    pub url_to_redirect_target: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub semantic_location: Option<Cow<'a, str>>,
    pub original: Option<bool>,
}

/// The fields of one item's JSON text. A small scanner walks the top-level keys and skips
/// the other 36 values without decoding them (strings by `memchr`); anything it does not
/// expect (a number with a fraction where an integer belongs, broken JSON) goes to serde,
/// which gives the answer or the reason.
pub fn extract(json: &[u8]) -> serde_json::Result<LinkFields<'_>> {
    let Ok(text) = std::str::from_utf8(json) else {
        return serde_json::from_slice(json);
    };
    match scan::fields(text) {
        Some(f) => Ok(f),
        None => serde_json::from_str(text),
    }
}

/// A key: 128 bits, so two different links share one with a chance of about 2^-128 per
/// pair (two independent 64-bit hashes; no row is read back to check).
pub type Key = [u64; 2];

const SEEDS: [u64; 3] = [
    0x6b65_795f_6f6e_6531,
    0x6b65_795f_7477_6f32,
    0x7661_6c75_6573_3033,
];

fn hasher(seed: u64) -> impl Hasher {
    foldhash::quality::FixedState::with_seed(seed).build_hasher()
}

/// Null and each text are told apart (a length before the bytes, a tag for null).
fn put_str(h: &mut impl Hasher, s: Option<&str>) {
    match s {
        None => h.write_u8(0),
        Some(s) => {
            h.write_u8(1);
            h.write_usize(s.len());
            h.write(s.as_bytes());
        }
    }
}

fn put_bool(h: &mut impl Hasher, b: Option<bool>) {
    h.write_u8(match b {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
}

impl LinkFields<'_> {
    /// The fields of an item read whole (formats without a fast path).
    pub fn of(item: &Backlink) -> LinkFields<'_> {
        fn s(v: Option<&String>) -> Option<Cow<'_, str>> {
            v.map(|s| Cow::Borrowed(s.as_str()))
        }
        LinkFields {
            url_from: s(item.url_from.as_ref()),
            url_to: s(item.url_to.as_ref()),
            item_type: s(item.item_type.as_ref()),
            anchor: s(item.anchor.as_ref()),
            dofollow: item.dofollow,
            attributes: item
                .attributes
                .as_ref()
                .map(|a| a.iter().map(|x| Cow::Borrowed(x.as_str())).collect()),
            is_broken: item.is_broken,
            url_to_status_code: item.url_to_status_code,
            url_to_redirect_target: s(item.url_to_redirect_target.as_ref()),
            semantic_location: s(item.semantic_location.as_ref()),
            original: item.original,
        }
    }

    /// The link's identity: equal for the same `url_from`, `url_to`, `item_type`, `anchor`.
    pub fn key(&self) -> Key {
        let mut out = [0; 2];
        for (slot, seed) in out.iter_mut().zip(SEEDS) {
            let mut h = hasher(seed);
            for v in [&self.url_from, &self.url_to, &self.item_type, &self.anchor] {
                put_str(&mut h, v.as_deref());
            }
            *slot = h.finish();
        }
        out
    }

    /// A hash of the seven compared fields: rows of one link whose values differ get
    /// different hashes (but for a chance of 2^-64 per pair).
    pub fn values(&self) -> u64 {
        let mut h = hasher(SEEDS[2]);
        put_bool(&mut h, self.dofollow);
        match &self.attributes {
            None => h.write_u8(0),
            Some(list) => {
                h.write_u8(1);
                h.write_usize(list.len());
                for a in list {
                    put_str(&mut h, Some(a));
                }
            }
        }
        put_bool(&mut h, self.is_broken);
        match self.url_to_status_code {
            None => h.write_u8(0),
            Some(n) => {
                h.write_u8(1);
                h.write_i64(n);
            }
        }
        put_str(&mut h, self.url_to_redirect_target.as_deref());
        put_str(&mut h, self.semantic_location.as_deref());
        put_bool(&mut h, self.original);
        h.finish()
    }

    /// The names of the compared fields whose values differ from `old`'s, in
    /// [`COMPARED`] order.
    pub fn changed_from(&self, old: &LinkFields<'_>) -> Vec<&'static str> {
        let differs = [
            self.dofollow != old.dofollow,
            self.attributes != old.attributes,
            self.is_broken != old.is_broken,
            self.url_to_status_code != old.url_to_status_code,
            self.url_to_redirect_target != old.url_to_redirect_target,
            self.semantic_location != old.semantic_location,
            self.original != old.original,
        ];
        COMPARED
            .iter()
            .zip(differs)
            .filter_map(|(name, d)| d.then_some(*name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_reader_and_the_item_reader_agree() {
        let text = br#"{"url_from":"https://a.example/\u00e9","url_to":"https://t.example/","item_type":"anchor","anchor":null,"extra_thing":{"x":[1,2]},"dofollow":true,"attributes":["ugc"],"url_to_status_code":301,"original":false}"#;
        let fast = extract(text).unwrap();
        let item: Backlink = serde_json::from_slice(text).unwrap();
        let slow = LinkFields::of(&item);
        assert_eq!(fast, slow);
        assert_eq!(fast.key(), slow.key());
        assert_eq!(fast.values(), slow.values());
        assert_eq!(fast.url_from.as_deref(), Some("https://a.example/é"));
    }

    #[test]
    fn null_and_empty_text_are_different_links() {
        let a = LinkFields {
            anchor: None,
            ..LinkFields::default()
        };
        let b = LinkFields {
            anchor: Some("".into()),
            ..LinkFields::default()
        };
        assert_ne!(a.key(), b.key());
        // Moving text from one field to the next is another link too.
        let c = LinkFields {
            url_from: Some("ab".into()),
            url_to: Some("c".into()),
            ..LinkFields::default()
        };
        let d = LinkFields {
            url_from: Some("a".into()),
            url_to: Some("bc".into()),
            ..LinkFields::default()
        };
        assert_ne!(c.key(), d.key());
    }

    #[test]
    fn only_the_compared_fields_count_as_changes() {
        let old = LinkFields {
            url_from: Some("u".into()),
            dofollow: Some(true),
            ..LinkFields::default()
        };
        let mut new = old.clone();
        assert_eq!(new.values(), old.values());
        assert!(new.changed_from(&old).is_empty());
        new.dofollow = Some(false);
        new.original = Some(true);
        assert_ne!(new.values(), old.values());
        assert_eq!(new.changed_from(&old), ["dofollow", "original"]);
    }
}
