//! The links of a profile: referring pages, one [`Backlink`] per link on them.

use std::collections::HashSet;

use crate::api::response::{Backlink, IndirectHop};

use super::hostile::{self, HOSTILE_RATE};
use super::referrers::{self, Referrer, SiteKind};
use super::refpage::RefPage;
use super::rng::Rng;
use super::site::{Page, Site};
use super::text;
use super::words::{Words, words};

/// Share of referring pages on the target's own hosts (internal links).
const INTERNAL_RATE: f64 = 0.031;
/// Characters of shortener codes (no look-alikes).
const SHORT_CODE: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Share of anchor and image links that reach the target through a redirect or canonical.
const INDIRECT_RATE: f64 = 0.09;

const ITEM_TYPES: [&str; 7] = [
    "anchor",
    "image",
    "redirect",
    "canonical",
    "alternate",
    "meta",
    "link",
];
const ITEM_TYPE_WEIGHTS: [u32; 7] = [800, 90, 25, 20, 25, 15, 25];

/// Appends `count` links into `site` to `out`. `seed` fixes each referring host's attributes,
/// `stream` the choice of hosts and pages; `used` holds (hashes of) every `url_from` so far, so
/// each referring page is distinct and its `links_count` is exactly the links made for it.
pub fn build(
    site: &Site,
    count: usize,
    seed: u64,
    stream: u64,
    used: &mut HashSet<u64>,
    out: &mut Vec<Backlink>,
) {
    if site.pages.is_empty() {
        return;
    }
    let w = words();
    let mut rng = Rng::new(stream);
    let per_domain = rng.range(3, 12) as usize;
    let pool = referrers::pool(&mut rng, (count / per_domain).max(1), seed, &site.domain);
    // The target's own hosts link to it too; they are not spam sites.
    let internal: Vec<Referrer> = site
        .hosts
        .iter()
        .map(|h| Referrer {
            spam: 0,
            ..Referrer::from_host(h, site.brand.clone(), seed)
        })
        .collect();
    let start = out.len();
    let end = start + count;
    while out.len() < end {
        let produced = out.len() - start;
        let referrer = if produced >= site.pages.len() && rng.chance(INTERNAL_RATE) {
            rng.pick(&internal)
        } else {
            &pool[rng.skewed_index(pool.len(), 2)]
        };
        let first_type = ITEM_TYPES[rng.weighted(&ITEM_TYPE_WEIGHTS)];
        let redirecting = first_type == "redirect";
        let mut page = RefPage::new(&mut rng, w, referrer, redirecting, used);
        let links = if redirecting {
            1
        } else {
            [1, 2, 3][rng.weighted(&[950, 35, 15])].min(end - out.len())
        };
        let mut rank = (page.rank as f64 * (0.55 + 0.45 * rng.unit())) as i64;
        for j in 0..links {
            let produced = out.len() - start;
            let target = if produced < site.pages.len() {
                &site.pages[produced]
            } else {
                &site.pages[rng.skewed_index(site.pages.len(), 3)]
            };
            let item_type = if j == 0 {
                first_type
            } else {
                ["anchor", "image"][rng.weighted(&[9, 1])]
            };
            if j > 0 {
                rank = (rank as f64 * (0.5 + 0.45 * rng.unit())) as i64;
            }
            let ctx = Ctx {
                w,
                site,
                referrer,
                page: &page,
                target,
            };
            let mut item = ctx.link(&mut rng, item_type, rank, links);
            page.fill(&mut item, j + 1 == links);
            if rng.chance(HOSTILE_RATE) {
                hostile::inject(&mut rng, &mut item);
            }
            out.push(item);
        }
    }
}

/// What one link is made from.
struct Ctx<'a> {
    w: &'static Words,
    site: &'a Site,
    referrer: &'a Referrer,
    page: &'a RefPage,
    target: &'a Page,
}

impl Ctx<'_> {
    /// The link's item, without the page's text fields ([`RefPage::fill`] sets them).
    fn link(&self, rng: &mut Rng, item_type: &'static str, rank: i64, links: usize) -> Backlink {
        let (w, r, p, t) = (self.w, self.referrer, self.page, self.target);
        let url_to = match t.url.strip_prefix("https://") {
            Some(rest) if self.site.vary_scheme && rng.chance(0.1) => format!("http://{rest}"),
            _ => t.url.clone(),
        };
        // An old http link to a live https page answers with the redirect to it.
        let (status, redirect) = match t.status {
            Some(200) if url_to.starts_with("http://") && t.url.starts_with("https://") => {
                (Some(301), Some(t.url.clone()))
            }
            status => (status, t.redirect.clone()),
        };
        let in_body = matches!(item_type, "anchor" | "image");
        let (dofollow, attributes) = follow(rng, item_type, r.kind);
        let anchor = (item_type == "anchor" && !rng.chance(0.01))
            .then(|| text::anchor(rng, w, self.site, t, &url_to));
        let with_text = item_type == "anchor" || (item_type == "image" && rng.chance(0.2));
        let text_pre = (with_text && rng.chance(0.82)).then(|| text::text_pre(rng, w, p.topic));
        let text_post = (with_text && rng.chance(0.8)).then(|| text::text_post(rng, w));
        let (image_url, alt) = if item_type == "image" {
            let (url, alt) = text::image(rng, w, r, self.site, p.first_seen);
            (Some(url), alt)
        } else {
            (None, None)
        };
        let indirect = in_body && rng.chance(INDIRECT_RATE);
        let spam = (r.spam + rng.range(-5, 10)).clamp(0, 100);
        Backlink {
            kind: Some("backlink".into()),
            domain_from: Some(r.host.clone()),
            url_from: None,
            url_from_https: Some(p.https),
            domain_to: Some(t.host.clone()),
            url_to_https: Some(url_to.starts_with("https://")),
            tld_from: Some(r.tld.clone()),
            is_new: Some(p.is_new),
            is_lost: Some(p.is_lost),
            backlink_spam_score: Some(spam),
            rank: Some(rank.clamp(0, p.rank)),
            page_from_rank: Some(p.rank),
            domain_from_rank: Some(r.rank),
            domain_from_platform_type: r
                .platforms
                .as_ref()
                .map(|v| v.iter().map(|s| (*s).to_string()).collect()),
            domain_from_is_ip: Some(r.is_ip),
            domain_from_ip: Some(r.ip.clone()),
            domain_from_country: r.country.map(str::to_string),
            page_from_external_links: Some(p.external_links.max(links as i64)),
            page_from_internal_links: Some(p.internal_links),
            page_from_size: Some(p.size),
            page_from_encoding: r.encoding.map(str::to_string),
            page_from_language: r.language.map(str::to_string),
            page_from_title: None,
            page_from_status_code: Some(p.status),
            first_seen: None,
            prev_seen: None,
            last_seen: None,
            item_type: Some(item_type.into()),
            attributes,
            dofollow: Some(dofollow),
            original: Some(rng.chance(0.35)),
            alt,
            image_url,
            anchor,
            text_pre,
            text_post,
            semantic_location: semantic_location(rng, item_type),
            links_count: Some(links as i64),
            group_count: Some(0),
            is_broken: Some(status.is_some_and(|s| s >= 400)),
            url_to_status_code: status,
            url_to_spam_score: t.spam,
            url_to_redirect_target: redirect,
            ranked_keywords_info: Some(p.keywords.clone()),
            is_indirect_link: Some(indirect),
            indirect_link_path: indirect.then(|| self.hops(rng, &url_to)),
            url_to: Some(url_to),
            change: None,
            changed_fields: None,
            extra: None,
        }
    }

    /// The 1–2 hops a link passes before reaching `url_to`: a shortener, an old URL of the
    /// target that redirects, or a tracking/AMP copy whose canonical is `url_to`.
    fn hops(&self, rng: &mut Rng, url_to: &str) -> Vec<IndirectHop> {
        let hop = |kind: &str, status: i64, url: String| IndirectHop {
            kind: Some(kind.into()),
            status_code: Some(status),
            url: Some(url),
        };
        let short = |rng: &mut Rng| {
            let code: String = (0..7)
                .map(|_| *rng.pick(SHORT_CODE))
                .map(char::from)
                .collect();
            hop(
                "redirect",
                [301, 302, 307][rng.weighted(&[60, 30, 10])],
                format!("https://{}/{code}", rng.word(&self.w.shorteners)),
            )
        };
        let bare = url_to.split_once("://").map_or(url_to, |(_, rest)| rest);
        let mut path = match rng.weighted(&[45, 30, 25]) {
            0 => vec![short(rng)],
            1 => vec![hop(
                "redirect",
                301,
                format!("http://{}", bare.trim_end_matches('/')),
            )],
            _ => {
                let copy = if rng.chance(0.5) {
                    format!(
                        "{url_to}?utm_source={}&utm_medium=referral",
                        rng.word(&self.w.nouns)
                    )
                } else {
                    let (host, rest) = bare.split_once('/').unwrap_or((bare, ""));
                    format!("https://{host}/amp/{rest}")
                };
                vec![hop("canonical", 200, copy)]
            }
        };
        if rng.chance(0.25) {
            path.insert(0, short(rng));
        }
        path
    }
}

/// `(dofollow, attributes)`: head links always follow; forums and wikis mostly do not.
fn follow(rng: &mut Rng, item_type: &str, kind: SiteKind) -> (bool, Option<Vec<String>>) {
    let p_follow = match (item_type, kind) {
        ("anchor" | "image", SiteKind::Forum) => 0.25,
        ("anchor" | "image", SiteKind::Wiki) => 0.1,
        ("anchor" | "image", SiteKind::News) => 0.55,
        ("anchor" | "image", _) => 0.7,
        ("link", _) => 0.9,
        _ => 1.0,
    };
    let list = |attrs: &[&str]| Some(attrs.iter().map(|a| (*a).to_string()).collect());
    if rng.chance(p_follow) {
        let attributes = match rng.weighted(&[85, 10, 5]) {
            0 => None,
            1 => list(&["noopener"]),
            _ => list(&["noopener", "noreferrer"]),
        };
        return (true, attributes);
    }
    let attributes = match (kind, rng.weighted(&[65, 8, 7, 12, 8])) {
        (SiteKind::Forum, 1 | 2) => list(&["ugc", "nofollow"]),
        (_, 1) => list(&["ugc"]),
        (_, 2) => list(&["sponsored"]),
        (_, 3) => list(&["nofollow", "noopener"]),
        (_, 4) => list(&["nofollow", "noopener", "noreferrer"]),
        _ => list(&["nofollow"]),
    };
    (false, attributes)
}

/// HTML5 element around the link; head elements (canonical, meta…) have none.
fn semantic_location(rng: &mut Rng, item_type: &str) -> Option<String> {
    const PLACES: [&str; 8] = [
        "article", "section", "main", "aside", "footer", "header", "nav", "summary",
    ];
    let weights: [u32; 9] = match item_type {
        "anchor" => [34, 12, 14, 8, 12, 4, 5, 3, 8],
        "image" => [30, 10, 10, 10, 10, 15, 0, 0, 15],
        _ => return None,
    };
    PLACES.get(rng.weighted(&weights)).map(|s| (*s).to_string())
}
