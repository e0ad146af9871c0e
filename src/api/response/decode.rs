//! Reading a `Backlink`: the known fields into their typed slots, and every other field the
//! API sends (one added after this was written) into `extra`, as it came, so a saved set
//! keeps it. Written out rather than derived because serde's `flatten` would buffer every
//! item before reading it, which halves the speed of opening a big file.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::Backlink;

/// The known fields: their wire names and the struct fields they fill.
macro_rules! known_fields {
    ($($wire:literal => $field:ident),* $(,)?) => {
        /// A known field of an item.
        #[allow(non_camel_case_types, reason = "named as the struct fields")]
        #[derive(Clone, Copy)]
        enum Known {
            $($field),*
        }

        fn known(name: &str) -> Option<Known> {
            match name {
                $($wire => Some(Known::$field),)*
                _ => None,
            }
        }

        /// Reads the value of field `k` into `item`.
        fn read_value<'de, A: MapAccess<'de>>(
            item: &mut Backlink,
            k: Known,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match k {
                $(Known::$field => item.$field = map.next_value()?,)*
            }
            Ok(())
        }
    };
}

known_fields! {
    "type" => kind,
    "domain_from" => domain_from,
    "url_from" => url_from,
    "url_from_https" => url_from_https,
    "domain_to" => domain_to,
    "url_to" => url_to,
    "url_to_https" => url_to_https,
    "tld_from" => tld_from,
    "is_new" => is_new,
    "is_lost" => is_lost,
    "backlink_spam_score" => backlink_spam_score,
    "rank" => rank,
    "page_from_rank" => page_from_rank,
    "domain_from_rank" => domain_from_rank,
    "domain_from_platform_type" => domain_from_platform_type,
    "domain_from_is_ip" => domain_from_is_ip,
    "domain_from_ip" => domain_from_ip,
    "domain_from_country" => domain_from_country,
    "page_from_external_links" => page_from_external_links,
    "page_from_internal_links" => page_from_internal_links,
    "page_from_size" => page_from_size,
    "page_from_encoding" => page_from_encoding,
    "page_from_language" => page_from_language,
    "page_from_title" => page_from_title,
    "page_from_status_code" => page_from_status_code,
    "first_seen" => first_seen,
    "prev_seen" => prev_seen,
    "last_seen" => last_seen,
    "item_type" => item_type,
    "attributes" => attributes,
    "dofollow" => dofollow,
    "original" => original,
    "alt" => alt,
    "image_url" => image_url,
    "anchor" => anchor,
    "text_pre" => text_pre,
    "text_post" => text_post,
    "semantic_location" => semantic_location,
    "links_count" => links_count,
    "group_count" => group_count,
    "is_broken" => is_broken,
    "url_to_status_code" => url_to_status_code,
    "url_to_spam_score" => url_to_spam_score,
    "url_to_redirect_target" => url_to_redirect_target,
    "ranked_keywords_info" => ranked_keywords_info,
    "is_indirect_link" => is_indirect_link,
    "indirect_link_path" => indirect_link_path,
    "change" => change,
    "changed_fields" => changed_fields,
}

/// A key of an item object.
enum Key {
    Known(Known),
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(known(v).map_or_else(|| Key::Other(v.to_owned()), Key::Known))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Backlink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Backlink, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Backlink;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a backlink item (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Backlink, A::Error> {
                let mut item = Backlink::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Known(k) => read_value(&mut item, k, &mut map)?,
                        Key::Other(name) => {
                            let value: serde_json::Value = map.next_value()?;
                            item.extra
                                .get_or_insert_with(Box::default)
                                .insert(name, value);
                        }
                    }
                }
                Ok(item)
            }
        }
        d.deserialize_map(ItemVisitor)
    }
}

impl Backlink {
    /// Reads an item's JSON keeping only the known fields `keep` accepts; the others are
    /// skipped unread. For a scan that tests one or two text fields of a million rows.
    pub fn from_json_only(
        text: &[u8],
        keep: &dyn Fn(&str) -> bool,
    ) -> serde_json::Result<Backlink> {
        struct Only<'k>(&'k dyn Fn(&str) -> bool);
        /// A key, when known and kept; read without copying it.
        struct KeptKey<'k>(&'k dyn Fn(&str) -> bool);
        impl<'de> de::DeserializeSeed<'de> for KeptKey<'_> {
            type Value = Option<Known>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Known>, D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for KeptKey<'_> {
            type Value = Option<Known>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Known>, E> {
                Ok(known(v).filter(|_| (self.0)(v)))
            }
        }
        impl<'de> Visitor<'de> for Only<'_> {
            type Value = Backlink;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a backlink item (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Backlink, A::Error> {
                let mut item = Backlink::default();
                while let Some(key) = map.next_key_seed(KeptKey(self.0))? {
                    match key {
                        Some(k) => read_value(&mut item, k, &mut map)?,
                        None => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(item)
            }
        }
        // One UTF-8 check for the item instead of one per string.
        let Ok(text) = std::str::from_utf8(text) else {
            let mut de = serde_json::Deserializer::from_slice(text);
            let item = de.deserialize_map(Only(keep))?;
            de.end()?;
            return Ok(item);
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let item = de.deserialize_map(Only(keep))?;
        de.end()?;
        Ok(item)
    }
}
