//! Sort keys of the simulator's rules: extracted once per row, compared as flat slices
//! (reference §5, DESIGN.md §6.12). The values and their order are the shared ones of
//! [`crate::order`]; what is the simulator's own is where a value comes from: `links_count`
//! and `group_count` sort by the values the response shows (computed by the engine), rank
//! fields by their value in the requested scale.

use std::cmp::Ordering;

use serde_json::Value;

use super::rank::{is_rank_field, scale_rank};
use crate::api::fields::{Catalog, FieldRef, FilterType};
use crate::api::request::{OrderBy, RankScale, SortDir};
use crate::api::response::Backlink;
pub use crate::order::SortVal;
use crate::order::compare_values;

impl<'a> SortVal<'a> {
    /// The value as written into a token.
    pub fn to_json(self) -> Value {
        match self {
            SortVal::Null => Value::Null,
            SortVal::Bool(b) => Value::Bool(b),
            SortVal::Int(i) => Value::from(i),
            SortVal::Str(s) => Value::from(s),
        }
    }

    /// A token's value back; anything unexpected compares as `null`.
    pub fn from_json(v: &'a Value) -> SortVal<'a> {
        match v {
            Value::Bool(b) => SortVal::Bool(*b),
            Value::Number(n) => n.as_i64().map_or(SortVal::Null, SortVal::Int),
            Value::String(s) => SortVal::Str(s),
            _ => SortVal::Null,
        }
    }
}

/// What a rule reads from a row.
#[derive(Debug, Clone)]
enum Key {
    Field(String),
    ScaledRank(String),
    LinksCount,
    GroupCount,
}

/// The computed numbers of a row that are not in the stored item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCounts {
    pub links_count: u32,
    pub group_count: u32,
}

/// The effective sort rules, resolved once per request.
#[derive(Debug, Clone)]
pub struct SortSpec {
    keys: Vec<Key>,
    dirs: Vec<SortDir>,
}

impl SortSpec {
    pub fn new(rules: &[OrderBy], scale: RankScale) -> Self {
        let keys = rules
            .iter()
            .map(|r| match r.field.as_str() {
                "links_count" => Key::LinksCount,
                "group_count" => Key::GroupCount,
                f if scale == RankScale::OneHundred && is_rank_field(f) => {
                    Key::ScaledRank(f.to_owned())
                }
                f => Key::Field(f.to_owned()),
            })
            .collect();
        let dirs = rules.iter().map(|r| r.dir).collect();
        Self { keys, dirs }
    }

    /// Number of values per row.
    pub fn width(&self) -> usize {
        self.keys.len()
    }

    /// The direction of each rule.
    pub fn dirs(&self) -> &[SortDir] {
        &self.dirs
    }

    /// The value of rule `i` for a row.
    pub fn value<'a>(&self, i: usize, item: &'a Backlink, counts: RowCounts) -> SortVal<'a> {
        match &self.keys[i] {
            Key::LinksCount => SortVal::Int(i64::from(counts.links_count)),
            Key::GroupCount => SortVal::Int(i64::from(counts.group_count)),
            Key::ScaledRank(f) => match item.field(f) {
                FieldRef::Int(v) => SortVal::Int(scale_rank(v, RankScale::OneHundred)),
                _ => SortVal::Null,
            },
            Key::Field(f) => SortVal::of_field(item.field(f)),
        }
    }

    /// The field of rule `i` when it holds strings (text or dates), which an index can rank.
    pub fn string_field(&self, i: usize) -> Option<&str> {
        match &self.keys[i] {
            Key::Field(f) => Catalog::get()
                .find(f)
                .and_then(|spec| spec.filter_type)
                .is_some_and(|t| matches!(t, FilterType::Str | FilterType::Time))
                .then_some(f.as_str()),
            _ => None,
        }
    }

    /// Appends the row's sort values to `out`.
    pub fn extract<'a>(&self, item: &'a Backlink, counts: RowCounts, out: &mut Vec<SortVal<'a>>) {
        out.extend((0..self.keys.len()).map(|i| self.value(i, item, counts)));
    }

    /// The row's sort values as a fresh vector.
    pub fn values<'a>(&self, item: &'a Backlink, counts: RowCounts) -> Vec<SortVal<'a>> {
        let mut v = Vec::with_capacity(self.width());
        self.extract(item, counts, &mut v);
        v
    }

    /// Compares two rows' values under the rules. A shorter slice (an empty token key) sorts
    /// before everything.
    pub fn compare(&self, a: &[SortVal<'_>], b: &[SortVal<'_>]) -> Ordering {
        compare_values(a, b, &self.dirs).then(a.len().cmp(&b.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(rules: &[&str], scale: RankScale) -> SortSpec {
        let rules: Vec<OrderBy> = rules.iter().map(|r| r.parse().unwrap()).collect();
        SortSpec::new(&rules, scale)
    }

    const C: RowCounts = RowCounts {
        links_count: 1,
        group_count: 0,
    };

    #[test]
    fn nulls_sort_last_in_both_directions() {
        for rule in ["rank,asc", "rank,desc"] {
            let s = spec(&[rule], RankScale::OneThousand);
            let null = [SortVal::Null];
            let five = [SortVal::Int(5)];
            assert_eq!(s.compare(&five, &null), Ordering::Less, "{rule}");
            assert_eq!(s.compare(&null, &five), Ordering::Greater, "{rule}");
        }
    }

    #[test]
    fn later_rules_break_ties_and_directions_apply() {
        let s = spec(&["dofollow,desc", "anchor,asc"], RankScale::OneThousand);
        let a = [SortVal::Bool(true), SortVal::Str("b")];
        let b = [SortVal::Bool(true), SortVal::Str("a")];
        let c = [SortVal::Bool(false), SortVal::Str("a")];
        assert_eq!(s.compare(&b, &a), Ordering::Less);
        assert_eq!(s.compare(&a, &c), Ordering::Less);
        assert_eq!(s.compare(&a, &a), Ordering::Equal);
    }

    #[test]
    fn rank_fields_sort_in_the_requested_scale() {
        let item = Backlink {
            rank: Some(864),
            ..Backlink::default()
        };
        let s = spec(&["rank,desc"], RankScale::OneHundred);
        assert_eq!(s.values(&item, C), vec![SortVal::Int(86)]);
        let s = spec(&["rank,desc"], RankScale::OneThousand);
        assert_eq!(s.values(&item, C), vec![SortVal::Int(864)]);
    }

    #[test]
    fn computed_counts_and_nested_fields_are_keys() {
        let item = Backlink {
            links_count: Some(99),
            ranked_keywords_info: Some(crate::api::response::RankedKeywordsInfo {
                page_from_keywords_count_top_10: Some(7),
                ..Default::default()
            }),
            ..Backlink::default()
        };
        let s = spec(
            &[
                "links_count,asc",
                "group_count,asc",
                "ranked_keywords_info.page_from_keywords_count_top_10,asc",
            ],
            RankScale::OneThousand,
        );
        let counts = RowCounts {
            links_count: 3,
            group_count: 4,
        };
        assert_eq!(
            s.values(&item, counts),
            vec![SortVal::Int(3), SortVal::Int(4), SortVal::Int(7)]
        );
    }

    #[test]
    fn token_values_round_trip() {
        for v in [
            SortVal::Null,
            SortVal::Bool(true),
            SortVal::Int(-3),
            SortVal::Str("x"),
        ] {
            let j = v.to_json();
            assert_eq!(SortVal::from_json(&j), v);
        }
    }
}
