//! The request side of the wire protocol: one live task (reference §2).
//!
//! Unset fields are `None` and are left out of the JSON entirely.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::filter::Filter;

/// Largest `offset` the API accepts; deeper pages need `search_after_token`.
pub const MAX_OFFSET: u32 = 20_000;
/// Largest page the API returns.
pub const MAX_LIMIT: u32 = 1_000;
/// Largest N of `custom_mode` (items per group).
pub const MAX_CUSTOM_MODE_VALUE: u32 = 1_000;
/// At most this many `order_by` rules.
pub const MAX_ORDER_BY: usize = 3;
/// At most this many conditions in `filters`, counted at any depth.
pub const MAX_FILTER_CONDITIONS: usize = 8;
/// Longest `tag`.
pub const MAX_TAG_LEN: usize = 255;

/// One task of `POST /v3/backlinks/backlinks/live`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveRequest {
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mode: Option<Mode>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub custom_mode: Option<CustomMode>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub filters: Option<Filter>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order_by: Option<Vec<OrderBy>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub search_after_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub backlinks_status_type: Option<StatusType>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub include_subdomains: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub include_indirect_links: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exclude_internal_backlinks: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rank_scale: Option<RankScale>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tag: Option<String>,
}

impl LiveRequest {
    /// A request for `target` with every other field unset (API defaults).
    pub fn new(target: impl Into<String>) -> Self {
        Self {
            target: target.into(),
            ..Self::default()
        }
    }
}

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
        pub enum $name {
            #[default]
            $(#[serde(rename = $wire)] $variant),+
        }
        impl $name {
            /// Every value, in the order the UI offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The word the API uses.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(format!(
                        "'{s}' is not one of {}",
                        [$($wire),+].join(", ")
                    )),
                }
            }
        }
    };
}

wire_enum!(
    /// Grouping of results (reference §6).
    Mode { AsIs => "as_is", OnePerDomain => "one_per_domain", OnePerAnchor => "one_per_anchor" }
);
wire_enum!(
    /// Which links: present at the last check, removed, or both.
    StatusType { Live => "live", Lost => "lost", All => "all" }
);
wire_enum!(
    /// Scale of the rank fields.
    RankScale { OneThousand => "one_thousand", OneHundred => "one_hundred" }
);
wire_enum!(
    /// Sort direction of one `order_by` rule.
    SortDir { Desc => "desc", Asc => "asc" }
);

/// The fields `custom_mode.field` accepts (reference §2).
pub const CUSTOM_MODE_FIELDS: &[&str] = &[
    "anchor",
    "domain_from",
    "domain_from_country",
    "tld_from",
    "page_from_encoding",
    "page_from_language",
    "item_type",
    "page_from_status_code",
    "semantic_location",
];

/// "Up to `value` backlinks per distinct `field`".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomMode {
    pub field: String,
    pub value: u32,
}

/// One sort rule, `"<field>,<asc|desc>"` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderBy {
    pub field: String,
    pub dir: SortDir,
}

impl OrderBy {
    pub fn new(field: impl Into<String>, dir: SortDir) -> Self {
        Self {
            field: field.into(),
            dir,
        }
    }
}

impl fmt::Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.field, self.dir)
    }
}

impl FromStr for OrderBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (field, dir) = s
            .split_once(',')
            .ok_or_else(|| format!("'{s}' should be written FIELD,asc or FIELD,desc"))?;
        let field = field.trim();
        if field.is_empty() {
            return Err(format!("'{s}' has no field name"));
        }
        Ok(Self::new(field, dir.trim().parse()?))
    }
}

impl Serialize for OrderBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OrderBy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_fields_are_omitted() {
        let mut r = LiveRequest::new("forbes.com");
        r.limit = Some(5);
        r.mode = Some(Mode::AsIs);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"target":"forbes.com","mode":"as_is","limit":5})
        );
    }

    #[test]
    fn every_field_has_its_wire_name() {
        let r = LiveRequest {
            target: "x.com".into(),
            mode: Some(Mode::OnePerDomain),
            custom_mode: Some(CustomMode {
                field: "domain_from".into(),
                value: 3,
            }),
            filters: None,
            order_by: Some(vec![OrderBy::new("rank", SortDir::Desc)]),
            offset: Some(10),
            search_after_token: Some("t".into()),
            limit: Some(1000),
            backlinks_status_type: Some(StatusType::Lost),
            include_subdomains: Some(false),
            include_indirect_links: Some(false),
            exclude_internal_backlinks: Some(false),
            rank_scale: Some(RankScale::OneHundred),
            tag: Some("t1".into()),
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"target":"x.com","mode":"one_per_domain",
                "custom_mode":{"field":"domain_from","value":3},"order_by":["rank,desc"],
                "offset":10,"search_after_token":"t","limit":1000,"backlinks_status_type":"lost",
                "include_subdomains":false,"include_indirect_links":false,
                "exclude_internal_backlinks":false,"rank_scale":"one_hundred","tag":"t1"})
        );
        let back: LiveRequest = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn order_by_parses_and_refuses() {
        assert_eq!(
            "rank,asc".parse::<OrderBy>().unwrap(),
            OrderBy::new("rank", SortDir::Asc)
        );
        assert!("rank".parse::<OrderBy>().is_err());
        assert!("rank,up".parse::<OrderBy>().is_err());
    }
}
