//! Deduplication per referring page and grouping by `mode` / `custom_mode` (reference §6,
//! DESIGN.md §6.5).
//!
//! Decisions: the page's representative is its highest-rank link (then the latest `last_seen`,
//! then the first stored); `links_count` counts the page's links that passed scope and filters.
//! A group is keyed by the field's value, `null` being one value of its own; `group_count` is the
//! number of pages in the whole group, before the per-group cap.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::query::Query;
use crate::api::fields::FieldRef;
use crate::api::request::Mode;
use crate::api::response::Backlink;

/// One referring page after deduplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Profile index of the representative link.
    pub idx: u32,
    /// Links from this page that passed scope and filters.
    pub links: u32,
}

/// How rows are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    AsIs,
    /// At most `cap` rows per distinct value of `field`.
    By {
        field: String,
        cap: u32,
    },
}

impl Grouping {
    /// `custom_mode` wins over `mode` (reference §6).
    pub fn of(q: &Query) -> Self {
        if let Some(c) = &q.custom_mode {
            return Grouping::By {
                field: c.field.clone(),
                cap: c.value,
            };
        }
        match q.mode() {
            Mode::AsIs => Grouping::AsIs,
            Mode::OnePerDomain => Grouping::By {
                field: "domain_from".into(),
                cap: 1,
            },
            Mode::OnePerAnchor => Grouping::By {
                field: "anchor".into(),
                cap: 1,
            },
        }
    }
}

/// One item per `url_from`, in order of first appearance among `candidates`.
pub fn dedupe(profile: &[Backlink], candidates: &[u32]) -> Vec<Page> {
    let mut slot: HashMap<Option<&str>, usize> = HashMap::with_capacity(candidates.len());
    let mut pages: Vec<Page> = Vec::with_capacity(candidates.len());
    for &idx in candidates {
        let item = &profile[idx as usize];
        match slot.entry(item.url_from.as_deref()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let page = &mut pages[*e.get()];
                page.links += 1;
                if better(item, &profile[page.idx as usize]) {
                    page.idx = idx;
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(pages.len());
                pages.push(Page { idx, links: 1 });
            }
        }
    }
    pages
}

/// `a` represents its page better than `b` (an earlier `b` wins ties).
fn better(a: &Backlink, b: &Backlink) -> bool {
    let by_rank = a.rank.unwrap_or(i64::MIN).cmp(&b.rank.unwrap_or(i64::MIN));
    let by_seen = || a.last_seen.as_deref().cmp(&b.last_seen.as_deref());
    by_rank.then_with(by_seen) == Ordering::Greater
}

/// A hashable group value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
}

fn key<'a>(item: &'a Backlink, field: &str) -> GroupKey<'a> {
    match item.field(field) {
        FieldRef::Bool(b) => GroupKey::Bool(b),
        FieldRef::Int(i) => GroupKey::Int(i),
        FieldRef::Str(s) => GroupKey::Str(s),
        FieldRef::Null | FieldRef::Strs(_) | FieldRef::Nested => GroupKey::Null,
    }
}

/// For each page, the size of its whole group.
pub fn group_sizes(profile: &[Backlink], pages: &[Page], field: &str) -> Vec<u32> {
    let keys: Vec<GroupKey<'_>> = pages
        .iter()
        .map(|p| key(&profile[p.idx as usize], field))
        .collect();
    let mut sizes: HashMap<GroupKey<'_>, u32> = HashMap::new();
    for k in &keys {
        *sizes.entry(*k).or_default() += 1;
    }
    keys.iter().map(|k| sizes[k]).collect()
}

/// Keeps, from `order` (page positions already sorted), the first `cap` pages of each group.
pub fn cap_groups(
    profile: &[Backlink],
    pages: &[Page],
    order: &[u32],
    field: &str,
    cap: u32,
) -> Vec<u32> {
    let mut taken: HashMap<GroupKey<'_>, u32> = HashMap::new();
    order
        .iter()
        .copied()
        .filter(|&pos| {
            let n = taken
                .entry(key(&profile[pages[pos as usize].idx as usize], field))
                .or_default();
            *n += 1;
            *n <= cap
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, domain: &str, anchor: Option<&str>, rank: i64) -> Backlink {
        Backlink {
            url_from: Some(url.into()),
            domain_from: Some(domain.into()),
            anchor: anchor.map(Into::into),
            rank: Some(rank),
            last_seen: Some("2024-01-01 00:00:00 +00:00".into()),
            ..Backlink::default()
        }
    }

    #[test]
    fn one_page_one_row_with_its_best_link_and_link_count() {
        let profile = vec![
            item("https://a.org/1", "a.org", Some("x"), 10),
            item("https://a.org/1", "a.org", Some("y"), 50),
            item("https://b.org/", "b.org", None, 20),
            item("https://a.org/1", "a.org", Some("z"), 50),
        ];
        let pages = dedupe(&profile, &[0, 1, 2, 3]);
        assert_eq!(
            pages,
            vec![Page { idx: 1, links: 3 }, Page { idx: 2, links: 1 }],
            "rank 50 wins, the earlier of two equal links is kept"
        );
        let pages = dedupe(&profile, &[0, 2]);
        assert_eq!(
            pages[0],
            Page { idx: 0, links: 1 },
            "only links that passed count"
        );
    }

    #[test]
    fn later_last_seen_breaks_rank_ties() {
        let mut profile = vec![
            item("https://a.org/1", "a.org", None, 10),
            item("https://a.org/1", "a.org", None, 10),
        ];
        profile[1].last_seen = Some("2025-01-01 00:00:00 +00:00".into());
        assert_eq!(dedupe(&profile, &[0, 1])[0].idx, 1);
    }

    #[test]
    fn groups_count_whole_groups_and_cap_in_sorted_order() {
        let profile = vec![
            item("https://a.org/1", "a.org", Some("x"), 10),
            item("https://a.org/2", "a.org", None, 20),
            item("https://b.org/1", "b.org", Some("x"), 30),
            item("https://a.org/3", "a.org", None, 40),
        ];
        let pages = dedupe(&profile, &[0, 1, 2, 3]);
        assert_eq!(
            group_sizes(&profile, &pages, "domain_from"),
            vec![3, 3, 1, 3]
        );
        assert_eq!(
            group_sizes(&profile, &pages, "anchor"),
            vec![2, 2, 2, 2],
            "null is a group"
        );
        let order = [3, 2, 1, 0];
        assert_eq!(
            cap_groups(&profile, &pages, &order, "domain_from", 1),
            vec![3, 2]
        );
        assert_eq!(
            cap_groups(&profile, &pages, &order, "domain_from", 2),
            vec![3, 2, 1]
        );
        assert_eq!(
            cap_groups(&profile, &pages, &order, "anchor", 1),
            vec![3, 2]
        );
    }

    #[test]
    fn custom_mode_overrides_mode() {
        let q = Query::parse(
            &serde_json::json!({"target":"x.com","mode":"one_per_anchor",
            "custom_mode":{"field":"tld_from","value":7}}),
        )
        .unwrap();
        assert_eq!(
            Grouping::of(&q),
            Grouping::By {
                field: "tld_from".into(),
                cap: 7
            }
        );
        let q =
            Query::parse(&serde_json::json!({"target":"x.com","mode":"one_per_domain"})).unwrap();
        assert_eq!(
            Grouping::of(&q),
            Grouping::By {
                field: "domain_from".into(),
                cap: 1
            }
        );
    }
}
