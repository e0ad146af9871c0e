//! The target side of a profile: the hosts of the target's registrable domain and the pages on
//! them that links point at (`domain_to`, `url_to`, and the target page's own status).

use std::collections::HashSet;

use super::dates::{ANCHOR, DAY, START, year_month};
use super::referrers::title_case;
use super::rng::{Rng, fnv1a64, mix};
use super::target::page_key;
use super::words::{Words, words};

/// One page of the target that links point at.
#[derive(Debug, Clone)]
pub struct Page {
    /// Canonical URL (`https://host/path`).
    pub url: String,
    pub host: String,
    /// Keyword phrase of the page, for keyword anchors.
    pub topic: &'static str,
    /// `url_to_status_code`; `None` = not crawled yet.
    pub status: Option<i64>,
    /// `url_to_spam_score`; `None` with `status`.
    pub spam: Option<i64>,
    /// Where a 3xx page redirects (`url_to_redirect_target`).
    pub redirect: Option<String>,
}

/// The target's hosts and pages.
#[derive(Debug, Clone)]
pub struct Site {
    /// Registrable domain (`forbes.com`).
    pub domain: String,
    /// `Forbes`: the brand anchors and alts use.
    pub brand: String,
    /// Hosts of the site that links may come from when internal.
    pub hosts: Vec<String>,
    /// Pages in order of importance: links favour the first ones.
    pub pages: Vec<Page>,
    /// Whether links may use `http://` for an `https://` page. False when the user typed the
    /// page: those links must point at exactly that URL.
    pub vary_scheme: bool,
}

impl Site {
    /// The site of a registrable domain with about `links / 10` pages (never more than
    /// `links`, so that every page gets at least one link).
    pub fn of_domain(domain: &str, base: u64, links: usize) -> Self {
        let w = words();
        let mut rng = Rng::stream(base, "site");
        let mut hosts = vec![format!("www.{domain}"), domain.to_string()];
        hosts.push(format!("blog.{domain}"));
        hosts.push(format!("shop.{domain}"));
        for _ in 0..rng.range(0, 2) {
            let host = format!("{}.{domain}", rng.word(&w.subdomains));
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        let count = (links / 10).clamp(10, 4_000).min(links);
        let mut site = Self::empty(domain, hosts, true);
        site.pages.reserve_exact(count);
        let mut used = HashSet::with_capacity(count);
        for i in 0..count {
            // Home pages first (they get most links), then inner pages mostly on `www.`.
            let host_index = if i < site.hosts.len() {
                i
            } else {
                match rng.weighted(&[70, 12, 8, 5, 5]) {
                    4 if site.hosts.len() > 4 => 4 + rng.index(site.hosts.len() - 4),
                    4 => 0,
                    h => h,
                }
            };
            let host = site.hosts[host_index].clone();
            let path = if i < site.hosts.len() {
                "/".to_string()
            } else {
                unique_path(&mut rng, w, &host, &mut used)
            };
            site.pages
                .push(page(&mut rng, w, host, &path, i < site.hosts.len()));
        }
        site
    }

    /// A one-page site for a page target the profile does not cover (`url` exactly as typed).
    pub fn of_page(domain: &str, host: &str, url: &str, base: u64) -> Self {
        let mut rng = Rng::stream(base, "page");
        let mut site = Self::empty(domain, vec![host.to_string()], false);
        let mut p = page(&mut rng, words(), host.to_string(), "/", false);
        p.url = url.to_string();
        // Its own path is unknown to us, so it cannot redirect anywhere sensible.
        if p.redirect.take().is_some() {
            p.status = Some(200);
        }
        site.pages.push(p);
        site
    }

    /// A small site on a subdomain the profile does not cover (`docs.forbes.com`).
    pub fn of_host(domain: &str, host: &str, base: u64) -> Self {
        let w = words();
        let mut rng = Rng::stream(base, "host");
        let mut site = Self::empty(domain, vec![host.to_string()], true);
        let mut used = HashSet::new();
        site.pages
            .push(page(&mut rng, w, host.to_string(), "/", true));
        for _ in 0..rng.range(4, 30) {
            let path = unique_path(&mut rng, w, host, &mut used);
            site.pages
                .push(page(&mut rng, w, host.to_string(), &path, false));
        }
        site
    }

    fn empty(domain: &str, hosts: Vec<String>, vary_scheme: bool) -> Self {
        let label = domain.split('.').next().unwrap_or(domain);
        Self {
            domain: domain.to_string(),
            brand: title_case(label),
            hosts,
            pages: Vec::new(),
            vary_scheme,
        }
    }

    /// Whether a page URL (any scheme, trailing slash or not) is one of the site's pages.
    pub fn has_page(&self, url: &str) -> bool {
        let key = page_key(url);
        self.pages.iter().any(|p| page_key(&p.url) == key)
    }
}

/// A page on `host` at `path`, with its crawl status. Home pages always answer 200.
fn page(rng: &mut Rng, w: &Words, host: String, path: &str, home: bool) -> Page {
    let url = format!("https://{host}{path}");
    let status = if home {
        Some(200)
    } else {
        match rng.weighted(&[915, 30, 10, 10, 15, 20]) {
            0 => Some(200),
            1 => Some(404),
            2 => Some(410),
            3 => Some(500),
            4 => Some(301),
            _ => None,
        }
    };
    let redirect = (status == Some(301)).then(|| {
        let (year, _) = year_month(START + rng.range(0, (ANCHOR - START) / DAY) * DAY);
        format!("https://{host}/archive/{year}{path}")
    });
    let spam = status.map(|_| (12.0 * rng.skewed_unit(2)) as i64);
    Page {
        url,
        host,
        topic: rng.word(&w.topics),
        status,
        spam,
        redirect,
    }
}

/// A realistic path not yet used on `host`.
fn unique_path(rng: &mut Rng, w: &Words, host: &str, used: &mut HashSet<String>) -> String {
    loop {
        let path = path_for(rng, w, host);
        if used.insert(format!("{host}{path}")) {
            return path;
        }
    }
}

fn path_for(rng: &mut Rng, w: &Words, host: &str) -> String {
    let slug = slug(rng, w);
    let (year, month) = year_month(START + rng.range(0, (ANCHOR - START) / DAY) * DAY);
    let id = rng.range(10_000, 9_999_999);
    let sub = host.split('.').next().unwrap_or("");
    match sub {
        "blog" => match rng.weighted(&[50, 30, 10, 10]) {
            0 => format!("/{year}/{month:02}/{slug}/"),
            1 => format!("/posts/{slug}"),
            2 => format!("/tag/{}/", rng.word(&w.nouns)),
            _ => format!(
                "/author/{}-{}/",
                rng.word(&w.first_names),
                rng.word(&w.surnames)
            ),
        },
        "shop" | "store" => match rng.weighted(&[60, 30, 10]) {
            0 => format!("/products/{slug}"),
            1 => format!("/collections/{}", rng.word(&w.nouns)),
            _ => format!("/sale/{}-{id}", rng.word(&w.nouns)),
        },
        "www" | "" => match rng.weighted(&[22, 22, 12, 10, 6, 6, 6, 6]) {
            0 => format!(
                "/sites/{}{}/{year}/{month:02}/{:02}/{slug}/",
                rng.word(&w.first_names),
                rng.word(&w.surnames),
                rng.range(1, 28)
            ),
            1 => format!("/{}/{slug}/", rng.word(&w.nouns)),
            2 => format!("/article/{slug}-{id}"),
            3 => format!("/{year}/{month:02}/{slug}.html"),
            4 => format!("/lists/{slug}/"),
            5 => format!("/category/{}/", rng.word(&w.nouns)),
            6 => format!("/video/{id}/{slug}/"),
            _ => rng
                .pick(&[
                    "/about/",
                    "/contact/",
                    "/careers/",
                    "/privacy/",
                    "/advertise/",
                ])
                .to_string(),
        },
        _ => match rng.weighted(&[50, 30, 20]) {
            0 => format!("/{}/{slug}", rng.word(&w.nouns)),
            1 => format!("/articles/{id}-{slug}"),
            _ => format!("/{slug}/"),
        },
    }
}

/// `best-running-shoes-guide`: 2–5 words from the lists.
pub fn slug(rng: &mut Rng, w: &Words) -> String {
    let mut slug = String::with_capacity(48);
    if rng.chance(0.35) {
        slug.push_str(rng.word(&w.adjectives));
        slug.push('-');
    }
    for word in rng.word(&w.topics).split(' ') {
        slug.push_str(word);
        slug.push('-');
    }
    slug.push_str(rng.word(&w.nouns));
    slug
}

/// The seed of a subsidiary stream named by a text (a page URL, a host).
pub fn text_seed(seed: u64, text: &str) -> u64 {
    mix(seed, fnv1a64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_site_has_www_bare_blog_and_shop_and_distinct_pages() {
        let site = Site::of_domain("forbes.com", 1, 60_000);
        for host in [
            "www.forbes.com",
            "forbes.com",
            "blog.forbes.com",
            "shop.forbes.com",
        ] {
            assert!(site.hosts.iter().any(|h| h == host), "{host}");
        }
        assert_eq!(site.pages.len(), 4_000);
        assert_eq!(site.pages[0].url, "https://www.forbes.com/");
        let keys: HashSet<String> = site.pages.iter().map(|p| page_key(&p.url)).collect();
        assert_eq!(keys.len(), site.pages.len());
        assert!(site.pages.iter().all(|p| p.host.ends_with("forbes.com")));
        assert!(site.has_page("http://www.forbes.com"));
        assert_eq!(site.brand, "Forbes");
    }

    #[test]
    fn page_count_never_exceeds_the_profile_size() {
        assert_eq!(Site::of_domain("a.com", 1, 3).pages.len(), 3);
        assert_eq!(Site::of_domain("a.com", 1, 0).pages.len(), 0);
        assert_eq!(Site::of_domain("a.com", 1, 1_000).pages.len(), 100);
    }

    #[test]
    fn statuses_are_consistent() {
        let site = Site::of_domain("example.org", 4, 40_000);
        for p in &site.pages {
            assert_eq!(p.status.is_none(), p.spam.is_none());
            assert_eq!(p.status == Some(301), p.redirect.is_some());
        }
        assert!(site.pages.iter().any(|p| p.status.is_none()));
        assert!(site.pages.iter().any(|p| p.status == Some(404)));
    }

    #[test]
    fn a_typed_page_keeps_its_exact_url() {
        let site = Site::of_page("forbes.com", "forbes.com", "http://forbes.com/x/", 3);
        assert_eq!(site.pages.len(), 1);
        assert_eq!(site.pages[0].url, "http://forbes.com/x/");
        assert!(!site.vary_scheme);
    }
}
