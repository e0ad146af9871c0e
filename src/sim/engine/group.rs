//! Deduplication per referring page and grouping by `mode` / `custom_mode` (reference §6,
//! DESIGN.md §6.5).
//!
//! Decisions: the page's representative is its highest-rank link (then the latest `last_seen`,
//! then the first stored); `links_count` counts the page's links that passed scope and filters.
//! A group is keyed by the field's value, `null` being one value of its own; `group_count` is the
//! number of pages in the whole group, before the per-group cap.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

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
            Entry::Occupied(e) => {
                let page = &mut pages[*e.get()];
                page.links += 1;
                if better(item, &profile[page.idx as usize]) {
                    page.idx = idx;
                }
            }
            Entry::Vacant(e) => {
                e.insert(pages.len());
                pages.push(Page { idx, links: 1 });
            }
        }
    }
    pages
}

/// [`dedupe`] with page ids precomputed by the profile index (same result, no hashing).
pub fn dedupe_indexed(
    profile: &[Backlink],
    candidates: &[u32],
    page_of: &[u32],
    page_count: usize,
) -> Vec<Page> {
    const UNSEEN: u32 = u32::MAX;
    let mut slot = vec![UNSEEN; page_count];
    let mut pages: Vec<Page> = Vec::with_capacity(candidates.len());
    for &idx in candidates {
        let s = &mut slot[page_of[idx as usize] as usize];
        if *s == UNSEEN {
            *s = pages.len() as u32;
            pages.push(Page { idx, links: 1 });
        } else {
            let page = &mut pages[*s as usize];
            page.links += 1;
            if better(&profile[idx as usize], &profile[page.idx as usize]) {
                page.idx = idx;
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

/// The group of each page: a dense id per distinct value of `field`, and each group's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    /// Group id of each page.
    pub of_page: Vec<u32>,
    /// Pages in each group.
    pub sizes: Vec<u32>,
}

impl Groups {
    pub fn new(profile: &[Backlink], pages: &[Page], field: &str) -> Self {
        let mut ids: HashMap<GroupKey<'_>, u32> = HashMap::with_capacity(pages.len() / 4);
        let mut sizes: Vec<u32> = Vec::new();
        let of_page = pages
            .iter()
            .map(|p| {
                let next = sizes.len() as u32;
                let id = *ids
                    .entry(key(&profile[p.idx as usize], field))
                    .or_insert(next);
                if id == next {
                    sizes.push(0);
                }
                sizes[id as usize] += 1;
                id
            })
            .collect();
        Self { of_page, sizes }
    }

    /// The size of the whole group of each page.
    pub fn page_sizes(&self) -> Vec<u32> {
        self.of_page
            .iter()
            .map(|&g| self.sizes[g as usize])
            .collect()
    }

    /// Keeps, from `order` (page positions already sorted), the first `cap` pages of each group.
    pub fn cap(&self, order: &[u32], cap: u32) -> Vec<u32> {
        let mut taken = vec![0u32; self.sizes.len()];
        order
            .iter()
            .copied()
            .filter(|&pos| {
                let n = &mut taken[self.of_page[pos as usize] as usize];
                *n += 1;
                *n <= cap
            })
            .collect()
    }
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
        let by_domain = Groups::new(&profile, &pages, "domain_from");
        let by_anchor = Groups::new(&profile, &pages, "anchor");
        assert_eq!(by_domain.page_sizes(), vec![3, 3, 1, 3]);
        assert_eq!(by_anchor.page_sizes(), vec![2, 2, 2, 2], "null is a group");
        let order = [3, 2, 1, 0];
        assert_eq!(by_domain.cap(&order, 1), vec![3, 2]);
        assert_eq!(by_domain.cap(&order, 2), vec![3, 2, 1]);
        assert_eq!(by_anchor.cap(&order, 1), vec![3, 2]);
        let page_of = [0, 1, 2, 3];
        assert_eq!(dedupe_indexed(&profile, &[0, 1, 2, 3], &page_of, 4), pages);
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
