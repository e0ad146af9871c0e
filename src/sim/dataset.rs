//! Deterministic link profiles for any target.
//!
//! A profile belongs to a *registrable domain*: `generate("blog.forbes.com")` and
//! `generate("https://www.forbes.com/x")` contain the profile of `forbes.com`, and the engine
//! narrows it to the target with [`Target::matches`]. Two additions make every target typed in
//! the demo return something:
//! - a page target that is not one of the profile's pages gets 50–500 extra links pointing
//!   exactly at that URL (seeded by the URL);
//! - a subdomain the profile does not cover (`docs.forbes.com`) gets 50–500 extra links to a
//!   few pages on it (seeded by the host).
//!
//! Same seed + same target → the same items on every machine: the randomness is our own
//! (module `rng`), and "today" is the fixed [`TODAY`], never the wall clock.
//!
//! Module map: `rng` (hash + generator), `words` (embedded lists), `target` (parsing, scoping),
//! `dates`, `site` (the target's hosts and pages), `referrers` (linking hosts), `refpage` (a
//! linking page), `text` (titles, anchors…), `links` (items), `hostile` (planted bad strings).

mod dates;
mod hostile;
mod links;
mod referrers;
mod refpage;
pub(crate) mod rng;
mod site;
mod target;
mod text;
mod words;

use std::collections::HashSet;

use crate::api::response::Backlink;

pub use hostile::{LONG_TITLE_CHARS, is_hostile, is_hostile_text};
pub use target::{Target, is_ip, page_key, registrable_domain, target_host};

use rng::{Rng, fnv1a64, mix};
use site::{Site, text_seed};

/// The dataset's "today" (the fixed anchor date): every date is before it, live links were
/// seen in the 30 days before it, new links were first seen then.
pub const TODAY: &str = "2026-11-01 00:00:00 +00:00";
/// The earliest `first_seen`.
pub const EARLIEST: &str = "2019-01-01 00:00:00 +00:00";
/// Bounds of a profile's natural size (without `rows`).
pub const MIN_PROFILE: usize = 1_000;
pub const MAX_PROFILE: usize = 60_000;
/// Bounds of the extra links made for an uncovered page or subdomain.
pub const EXTRA_LINKS: (usize, usize) = (50, 500);

/// Size buckets: each is 60^(1/16) times the last, so sizes are log-uniform-ish.
const SIZE_BOUNDS: [i64; 17] = [
    1_000, 1_292, 1_668, 2_155, 2_783, 3_595, 4_643, 5_997, 7_746, 10_005, 12_922, 16_691, 21_558,
    27_845, 35_965, 46_453, 60_000,
];

/// How a profile is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetConfig {
    /// Same seed + same target → same items on every machine.
    pub seed: u64,
    /// Overrides the per-target size (`serve-demo --rows N`); extra links for an uncovered
    /// page or subdomain come on top.
    pub rows: Option<usize>,
}

impl Default for DatasetConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            rows: None,
        }
    }
}

/// What `generate` will make for a target.
struct Plan {
    site: Site,
    size: usize,
    links_seed: u64,
    extra: Option<Extra>,
}

/// Extra links for an uncovered page or subdomain.
struct Extra {
    site: Site,
    count: usize,
    links_seed: u64,
}

impl Plan {
    fn new(target: &Target, cfg: &DatasetConfig) -> Self {
        let base = mix(cfg.seed, fnv1a64(target.domain.as_bytes()));
        let links = cfg
            .rows
            .unwrap_or_else(|| natural_size(&target.domain, base));
        let site = Site::of_domain(&target.domain, base, links);
        let extra = match &target.page_url {
            Some(url) if !site.has_page(url) => {
                let base = text_seed(cfg.seed, &format!("page {}", page_key(url)));
                Some((Site::of_page(&target.domain, &target.host, url, base), base))
            }
            None if target.host != target.domain && !site.hosts.contains(&target.host) => {
                let base = text_seed(cfg.seed, &format!("host {}", target.host));
                Some((Site::of_host(&target.domain, &target.host, base), base))
            }
            _ => None,
        }
        .map(|(site, base)| Extra {
            site,
            count: Rng::stream(base, "count").range(EXTRA_LINKS.0 as i64, EXTRA_LINKS.1 as i64)
                as usize,
            links_seed: mix(base, fnv1a64(b"links")),
        });
        Self {
            site,
            size: links,
            links_seed: mix(base, fnv1a64(b"links")),
            extra,
        }
    }

    fn total(&self) -> usize {
        self.size + self.extra.as_ref().map_or(0, |e| e.count)
    }
}

/// Natural profile size: well-known domains (`assets/words/famous.txt`, `forbes.com` among
/// them) get the maximum so deep paging is exercised; others are log-uniform in
/// [`MIN_PROFILE`]..=[`MAX_PROFILE`] from the domain's hash.
fn natural_size(domain: &str, base: u64) -> usize {
    if words::words().famous.contains(&domain) {
        return MAX_PROFILE;
    }
    let mut rng = Rng::stream(base, "size");
    let bucket = rng.index(SIZE_BOUNDS.len() - 1);
    rng.range(SIZE_BOUNDS[bucket], SIZE_BOUNDS[bucket + 1]) as usize
}

/// How many items [`generate`] returns for `target`, without generating them.
pub fn profile_size(target: &str, cfg: &DatasetConfig) -> usize {
    Plan::new(&Target::parse(target), cfg).total()
}

/// Every link (live and lost, direct and indirect, internal and external) pointing into the
/// registrable domain of `target`, before any request parameter is applied — plus the extra
/// links of an uncovered page or subdomain target (see the module doc). Links on one referring
/// page share `url_from`; `links_count` is how many items share it, and the first of them has
/// the highest `rank`.
pub fn generate(target: &str, cfg: &DatasetConfig) -> Vec<Backlink> {
    let plan = Plan::new(&Target::parse(target), cfg);
    let mut out = Vec::with_capacity(plan.total());
    let mut used = HashSet::with_capacity(plan.total());
    links::build(
        &plan.site,
        plan.size,
        cfg.seed,
        plan.links_seed,
        &mut used,
        &mut out,
    );
    if let Some(extra) = &plan.extra {
        links::build(
            &extra.site,
            extra.count,
            cfg.seed,
            extra.links_seed,
            &mut used,
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_constants_match_the_date_module() {
        assert_eq!(TODAY, dates::format(dates::ANCHOR));
        assert_eq!(EARLIEST, dates::format(dates::START));
    }

    #[test]
    fn size_buckets_span_the_bounds() {
        assert_eq!(SIZE_BOUNDS[0] as usize, MIN_PROFILE);
        assert_eq!(SIZE_BOUNDS[16] as usize, MAX_PROFILE);
        assert!(SIZE_BOUNDS.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn any_text_typed_as_a_target_gives_a_profile() {
        let cfg = DatasetConfig {
            seed: 1,
            rows: Some(200),
        };
        let odd = [
            "",
            "   ",
            "localhost",
            "http://",
            "::1",
            "[::1]:8080",
            "10.0.0.1",
            "ünïcode.de",
            "a..b",
            "https://x.com?q=1",
            "x.com#frag",
            ".",
            "co.uk",
            "WWW.EXAMPLE.COM.",
        ];
        for target in odd {
            let items = generate(target, &cfg);
            assert!(items.len() >= 200, "{target:?}");
            assert_eq!(items.len(), profile_size(target, &cfg), "{target:?}");
        }
    }

    #[test]
    fn profile_size_predicts_generate() {
        let cfg = DatasetConfig {
            seed: 3,
            rows: Some(700),
        };
        for target in [
            "example.org",
            "https://example.org/a/b",
            "docs.example.org",
            "www.example.org",
        ] {
            assert_eq!(
                profile_size(target, &cfg),
                generate(target, &cfg).len(),
                "{target}"
            );
        }
    }
}
