//! A referring page: everything its links share (URL, title, status, crawl dates, rank).
//! Lost and new are decided per page, so the links of one page agree on them.

use std::collections::HashSet;

use crate::api::response::{Backlink, RankedKeywordsInfo};

use super::dates::{self, ANCHOR, DAY, START};
use super::referrers::Referrer;
use super::rng::{Rng, fnv1a64};
use super::text;
use super::words::Words;

const HOUR: i64 = 3_600;

/// Share of referring pages whose links are lost, and whose links are new.
pub const LOST_RATE: u32 = 15;
pub const NEW_RATE: u32 = 5;

/// The page-level fields of the links on one referring page.
#[derive(Debug, Clone)]
pub struct RefPage {
    pub url: String,
    pub https: bool,
    pub title: Option<String>,
    pub status: i64,
    pub size: i64,
    pub external_links: i64,
    pub internal_links: i64,
    pub rank: i64,
    pub first_seen: i64,
    /// The three crawl dates in the API's format, written once per page.
    pub first_seen_text: String,
    pub prev_seen_text: String,
    pub last_seen_text: String,
    pub is_lost: bool,
    pub is_new: bool,
    pub keywords: RankedKeywordsInfo,
    /// What the page is about, title-cased ("Running Shoes").
    pub topic: &'static str,
}

/// Crawl history of a page: `(first, prev, last, lost, new)` with first ≤ prev ≤ last < ANCHOR.
/// Live pages were seen in the last 30 days; new ones were first seen then; lost ones were
/// last seen any time before.
fn history(rng: &mut Rng) -> (i64, i64, i64, bool, bool) {
    let state = rng.weighted(&[100 - LOST_RATE - NEW_RATE, LOST_RATE, NEW_RATE]);
    let since_start = |rng: &mut Rng, end: i64| {
        // Later dates are likelier: the web keeps growing.
        let (a, b) = (rng.unit(), rng.unit());
        START + ((end - START) as f64 * a.max(b)) as i64
    };
    match state {
        0 => {
            let first = since_start(rng, ANCHOR - 31 * DAY);
            let last = ANCHOR - rng.range(HOUR, 30 * DAY);
            let prev = (last - rng.range(DAY, 120 * DAY)).max(first);
            (first, prev, last, false, false)
        }
        1 => {
            let first = since_start(rng, ANCHOR - 60 * DAY);
            let last = first + rng.range(0, ANCHOR - DAY - first);
            let prev = (last - rng.range(DAY, 120 * DAY)).max(first);
            (first, prev, last, true, false)
        }
        _ => {
            let first = ANCHOR - rng.range(HOUR, 30 * DAY);
            let last = first + rng.range(0, ANCHOR - 1 - first);
            (first, first, last, false, true)
        }
    }
}

impl RefPage {
    /// A new page on referrer `r`, its URL not yet in `used`. `redirecting` pages answer 3xx
    /// and have size 0 (their one link is the redirect).
    pub fn new(
        rng: &mut Rng,
        w: &'static Words,
        r: &Referrer,
        redirecting: bool,
        used: &mut HashSet<u64>,
    ) -> Self {
        let (first_seen, prev_seen, last_seen, is_lost, is_new) = history(rng);
        let topic_index = rng.index(w.topics.len());
        let topic = w.topics[topic_index];
        let topic_title = w.topic_titles[topic_index].as_str();
        let mut url = String::with_capacity(96);
        url.push_str(if r.https { "https://" } else { "http://" });
        url.push_str(&r.host);
        let origin = url.len();
        let written = first_seen - rng.range(0, 90) * DAY;
        let mut home = text::push_referring_path(&mut url, rng, w, r.kind, topic, written);
        // Hashes stand for the URLs: a (vanishingly rare) false clash only costs another path.
        while !used.insert(fnv1a64(url.as_bytes())) {
            url.truncate(origin);
            text::push_fallback_path(&mut url, rng, w, topic);
            home = false;
        }
        let status = if redirecting {
            [301, 302, 307, 308][rng.weighted(&[60, 25, 10, 5])]
        } else if is_lost {
            [200, 404, 410, 301][rng.weighted(&[52, 35, 5, 8])]
        } else {
            200
        };
        let size = if (300..400).contains(&status) {
            0
        } else {
            4_000 + (400_000.0 * rng.skewed_unit(2)) as i64 + rng.range(0, 20_000)
        };
        let title = if rng.chance(if status == 200 { 0.03 } else { 0.5 }) {
            None
        } else {
            Some(text::title(rng, w, r, topic_title, home))
        };
        let rank = if home {
            r.rank + rng.range(0, 300)
        } else {
            (r.rank as f64 * (0.35 + 0.75 * rng.unit())) as i64 + rng.range(0, 40)
        }
        .clamp(0, 1000);
        Self {
            url,
            https: r.https,
            title,
            status,
            size,
            external_links: 1 + (250.0 * rng.skewed_unit(3)) as i64,
            internal_links: 3 + (400.0 * rng.skewed_unit(2)) as i64,
            rank,
            first_seen,
            first_seen_text: dates::format(first_seen),
            prev_seen_text: dates::format(prev_seen),
            last_seen_text: dates::format(last_seen),
            is_lost,
            is_new,
            keywords: keywords(rng, rank),
            topic: topic_title,
        }
    }

    /// Sets the page-level text fields of one of its links. The last link takes the strings
    /// instead of copying them: most pages have a single link.
    pub fn fill(&mut self, item: &mut Backlink, last: bool) {
        let share = |text: &mut String| {
            if last {
                std::mem::take(text)
            } else {
                text.clone()
            }
        };
        item.url_from = Some(share(&mut self.url));
        item.first_seen = Some(share(&mut self.first_seen_text));
        item.prev_seen = Some(share(&mut self.prev_seen_text));
        item.last_seen = Some(share(&mut self.last_seen_text));
        item.page_from_title = if last {
            self.title.take()
        } else {
            self.title.clone()
        };
    }
}

/// Keywords the page ranks for: top 3 ≤ top 10 ≤ top 100, more for higher-ranked pages.
fn keywords(rng: &mut Rng, rank: i64) -> RankedKeywordsInfo {
    let top_100 = (4_000.0 * rng.skewed_unit(2) * rank as f64 / 1000.0) as i64 + rng.range(0, 3);
    let top_10 = (top_100 as f64 * (0.05 + 0.35 * rng.unit())) as i64;
    let top_3 = (top_10 as f64 * (0.1 + 0.5 * rng.unit())) as i64;
    RankedKeywordsInfo {
        page_from_keywords_count_top_3: Some(top_3),
        page_from_keywords_count_top_10: Some(top_10),
        page_from_keywords_count_top_100: Some(top_100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_ordered_and_before_the_anchor() {
        let mut rng = Rng::new(11);
        for _ in 0..20_000 {
            let (first, prev, last, is_lost, is_new) = history(&mut rng);
            assert!(START <= first && first <= prev && prev <= last && last < ANCHOR);
            assert!(!(is_lost && is_new));
            if is_new {
                assert!(first >= ANCHOR - 30 * DAY);
            } else {
                assert!(first < ANCHOR - 30 * DAY);
            }
            if !is_lost {
                assert!(last >= ANCHOR - 30 * DAY);
            }
        }
    }

    #[test]
    fn keyword_counts_nest() {
        let mut rng = Rng::new(12);
        for rank in [0, 10, 500, 1000] {
            for _ in 0..1_000 {
                let k = keywords(&mut rng, rank);
                let (t3, t10, t100) = (
                    k.page_from_keywords_count_top_3.unwrap_or(-1),
                    k.page_from_keywords_count_top_10.unwrap_or(-1),
                    k.page_from_keywords_count_top_100.unwrap_or(-1),
                );
                assert!(0 <= t3 && t3 <= t10 && t10 <= t100);
            }
        }
    }
}
