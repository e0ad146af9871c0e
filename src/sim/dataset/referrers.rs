//! Referring domains. Which hosts link to a target comes from the target's stream; everything
//! about a host (rank, country, IP…) comes from a hash of the host itself, so a host that links
//! to two targets shows the same `domain_from_rank` in both profiles.

use std::collections::HashSet;

use super::rng::{Rng, fnv1a64, mix};
use super::target::is_ip;
use super::text::push_int;
use super::words::{Words, words};

/// What kind of site a referrer is: drives its platform types, URL shapes and titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    Blog,
    News,
    Forum,
    Wiki,
    Shop,
    Org,
    Generic,
}

/// One referring host and the attributes every link from it shares.
#[derive(Debug, Clone)]
pub struct Referrer {
    pub host: String,
    /// Human name for titles ("Green Garden").
    pub name: String,
    /// Last label of the host; empty for an IP "domain".
    pub tld: String,
    pub is_ip: bool,
    pub ip: String,
    pub country: Option<&'static str>,
    pub language: Option<&'static str>,
    /// Title phrases of `language` (empty when the lists have none).
    pub phrases: &'static [&'static str],
    pub encoding: Option<&'static str>,
    pub platforms: Option<Vec<&'static str>>,
    pub kind: SiteKind,
    /// `domain_from_rank`, 0–1000, few high and many low.
    pub rank: i64,
    pub https: bool,
    /// Typical `backlink_spam_score` of its links.
    pub spam: i64,
}

/// First octets of public-looking IPv4 ranges (hosting and CDN blocks).
const FIRST_OCTETS: [u8; 24] = [
    104, 172, 151, 185, 35, 52, 54, 13, 34, 45, 94, 77, 188, 193, 212, 217, 62, 81, 91, 46, 176,
    23, 66, 199,
];

impl Referrer {
    /// The referrer behind `host`, its attributes fixed by `seed` and the host name alone.
    pub fn from_host(host: &str, name: String, seed: u64) -> Self {
        let w = words();
        let mut rng = Rng::new(mix(seed, fnv1a64(host.as_bytes())));
        let is_ip = is_ip(host);
        let popular = w.popular.iter().find(|p| p.host == host);
        let kind = popular.map_or_else(
            || kind_of(host, is_ip, &mut rng),
            |p| kind_of_platforms(&p.platforms),
        );
        let cc_tld = (!is_ip)
            .then(|| {
                w.tlds
                    .iter()
                    .find(|t| t.country != "WW" && has_suffix(host, t.suffix))
            })
            .flatten();
        let country = match (popular, cc_tld) {
            (Some(p), _) => Some(p.country),
            (None, Some(t)) => match rng.weighted(&[92, 4, 4]) {
                0 => Some(t.country),
                1 => Some("WW"),
                _ => None,
            },
            (None, None) => match rng.weighted(&[45, 30, 18, 7]) {
                0 => Some("WW"),
                1 => Some("US"),
                2 => Some(w.tlds[rng.weighted(&w.tld_weights)].country),
                _ => None,
            },
        };
        let home = country.and_then(|c| w.tld_of_country(c));
        let language = match (home, rng.weighted(&[90, 6, 4])) {
            (Some(t), 0) => Some(t.language),
            (None, 0) | (_, 1) => Some("en"),
            _ => None,
        };
        let encoding = match rng.weighted(&[88, 8, 4]) {
            0 => Some("utf-8"),
            1 => Some(home.and_then(|t| t.legacy_encoding).unwrap_or("iso-8859-1")),
            _ => None,
        };
        let platforms = if rng.chance(0.06) {
            None
        } else if let Some(p) = popular {
            Some(p.platforms.clone())
        } else {
            Some(platforms_of(kind, &mut rng))
        };
        let rank = popular.map_or_else(|| (1000.0 * rng.skewed_unit(3)) as i64, |p| p.rank);
        let spam = if rank > 400 || rng.chance(0.5) {
            rng.range(0, 3)
        } else {
            (60.0 * rng.skewed_unit(2)) as i64 + if rank < 60 { rng.range(0, 25) } else { 0 }
        };
        let ip = if is_ip {
            host.to_string()
        } else {
            invent_ip(&mut rng)
        };
        Self {
            host: host.to_string(),
            name,
            tld: if is_ip {
                String::new()
            } else {
                host.rsplit('.').next().unwrap_or("").to_string()
            },
            is_ip,
            ip,
            country,
            language,
            phrases: language.map_or(&[], |l| w.phrases(l)),
            encoding,
            platforms,
            kind,
            rank: rank.clamp(0, 1000),
            https: !is_ip && rng.chance(if rank > 150 { 0.96 } else { 0.8 }),
            spam: spam.min(100),
        }
    }
}

/// `host` is `suffix` or ends with `.suffix`.
fn has_suffix(host: &str, suffix: &str) -> bool {
    host.strip_suffix(suffix)
        .is_some_and(|head| head.is_empty() || head.ends_with('.'))
}

/// Words in a host name that give its kind away.
const KIND_HINTS: [(&str, SiteKind); 12] = [
    ("blog", SiteKind::Blog),
    ("wordpress", SiteKind::Blog),
    ("substack", SiteKind::Blog),
    ("forum", SiteKind::Forum),
    ("news", SiteKind::News),
    ("times", SiteKind::News),
    ("daily", SiteKind::News),
    ("post", SiteKind::News),
    ("wire", SiteKind::News),
    ("shop", SiteKind::Shop),
    ("store", SiteKind::Shop),
    ("wiki", SiteKind::Wiki),
];

/// Kind from the host's look, else from its hash.
fn kind_of(host: &str, is_ip: bool, rng: &mut Rng) -> SiteKind {
    let roll = rng.weighted(&[30, 12, 8, 3, 10, 7, 30]);
    let hint = || {
        let bytes = host.as_bytes();
        (0..bytes.len()).find_map(|i| {
            KIND_HINTS
                .iter()
                .find(|(word, _)| {
                    word.as_bytes()[0] == bytes[i] && bytes[i..].starts_with(word.as_bytes())
                })
                .map(|(_, kind)| *kind)
        })
    };
    if is_ip {
        SiteKind::Generic
    } else if let Some(kind) = hint() {
        kind
    } else {
        [
            SiteKind::Blog,
            SiteKind::News,
            SiteKind::Forum,
            SiteKind::Wiki,
            SiteKind::Shop,
            SiteKind::Org,
            SiteKind::Generic,
        ][roll]
    }
}

fn kind_of_platforms(platforms: &[&str]) -> SiteKind {
    match platforms.first().copied() {
        Some("wikis") => SiteKind::Wiki,
        Some("message-boards") => SiteKind::Forum,
        Some("news") => SiteKind::News,
        Some("blogs") => SiteKind::Blog,
        Some("organization") => SiteKind::Org,
        _ => SiteKind::Generic,
    }
}

fn platforms_of(kind: SiteKind, rng: &mut Rng) -> Vec<&'static str> {
    let both = rng.chance(0.4);
    match kind {
        SiteKind::Blog if both => vec!["cms", "blogs"],
        SiteKind::Blog => vec!["blogs"],
        SiteKind::News if both => vec!["cms", "news"],
        SiteKind::News => vec!["news"],
        SiteKind::Forum => vec!["message-boards"],
        SiteKind::Wiki => vec!["wikis"],
        SiteKind::Shop if both => vec!["cms", "ecommerce"],
        SiteKind::Shop => vec!["ecommerce"],
        SiteKind::Org => vec!["organization"],
        SiteKind::Generic if both => vec!["cms"],
        SiteKind::Generic => vec!["unknown"],
    }
}

/// `count` distinct referring hosts for one profile, none inside `own_domain` (those are the
/// internal links, made separately). A few well-known sites come first when the pool is big.
pub fn pool(rng: &mut Rng, count: usize, seed: u64, own_domain: &str) -> Vec<Referrer> {
    let w = words();
    let mut taken = HashSet::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    let outside = |host: &str| host != own_domain && !has_suffix(host, own_domain);
    for p in w.popular.iter().take(count / 40) {
        if outside(p.host) && taken.insert(p.host.to_string()) {
            out.push(Referrer::from_host(p.host, p.name.to_string(), seed));
        }
    }
    while out.len() < count {
        let (host, name) = invent_host(rng, w);
        if outside(&host) && taken.insert(host.clone()) {
            out.push(Referrer::from_host(&host, name, seed));
        }
    }
    out
}

/// A public-looking IPv4 address.
fn invent_ip(rng: &mut Rng) -> String {
    let mut ip = String::with_capacity(15);
    push_int(&mut ip, i64::from(*rng.pick(&FIRST_OCTETS)));
    for (lo, hi) in [(0, 255), (0, 255), (1, 254)] {
        ip.push('.');
        push_int(&mut ip, rng.range(lo, hi));
    }
    ip
}

/// A plausible host name and the site name it stands for.
fn invent_host(rng: &mut Rng, w: &Words) -> (String, String) {
    if rng.chance(0.005) {
        let ip = invent_ip(rng);
        return (ip.clone(), ip);
    }
    let parts: Vec<&str> = match rng.weighted(&[25, 20, 20, 10, 8, 4, 8]) {
        0 => vec![rng.word(&w.adjectives), rng.word(&w.nouns)],
        1 => vec![rng.word(&w.nouns), rng.word(&w.nouns)],
        2 => vec![rng.word(&w.nouns), rng.word(&w.site_suffixes)],
        3 => vec![rng.word(&w.first_names), rng.word(&w.surnames)],
        4 => vec![rng.word(&w.nouns), "-", rng.word(&w.nouns)],
        5 => vec![rng.word(&w.nouns)],
        _ => {
            let label = format!("{}{}", rng.word(&w.first_names), rng.word(&w.nouns));
            let platform = rng.pick(&["blogspot.com", "wordpress.com", "substack.com"]);
            return (format!("{label}.{platform}"), title_case(&label));
        }
    };
    let mut label: String = parts.concat();
    if parts.len() == 1 {
        label.push_str(&rng.range(1, 999).to_string());
    }
    let tld = w.tlds[rng.weighted(&w.tld_weights)].suffix;
    let prefix = match rng.weighted(&[55, 38, 2, 2, 1, 1, 1]) {
        0 => "www.",
        1 => "",
        2 => "blog.",
        3 => "news.",
        4 => "forum.",
        5 => "m.",
        _ => "en.",
    };
    let name = parts
        .iter()
        .filter(|p| **p != "-")
        .map(|p| title_case(p))
        .collect::<Vec<_>>()
        .join(" ");
    (format!("{prefix}{label}.{tld}"), name)
}

/// `green garden` → `Green Garden`; only the first letter of each word changes.
pub fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_title_case(&mut out, text);
    out
}

/// Appends `text` in title case (see [`title_case`]).
pub fn push_title_case(out: &mut String, text: &str) {
    let mut start = true;
    for c in text.chars() {
        if start && c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == ' ' || c == '-';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_has_the_same_attributes_in_every_profile() {
        let a = Referrer::from_host("www.gardenhub.de", "Garden Hub".into(), 5);
        let b = Referrer::from_host("www.gardenhub.de", "other".into(), 5);
        assert_eq!(
            (a.rank, &a.ip, a.country, a.spam),
            (b.rank, &b.ip, b.country, b.spam)
        );
        assert_eq!(a.tld, "de");
    }

    #[test]
    fn pool_hosts_are_distinct_and_outside_the_target() {
        let mut rng = Rng::new(9);
        let pool = pool(&mut rng, 3_000, 1, "forbes.com");
        let hosts: HashSet<&str> = pool.iter().map(|r| r.host.as_str()).collect();
        assert_eq!(hosts.len(), pool.len());
        assert!(pool.iter().all(|r| !r.host.ends_with("forbes.com")));
        assert!(pool.iter().any(|r| r.host == "en.wikipedia.org"));
        for r in &pool {
            assert!((0..=1000).contains(&r.rank) && (0..=100).contains(&r.spam));
            assert!(
                r.is_ip || r.host.ends_with(&format!(".{}", r.tld)),
                "{}",
                r.host
            );
        }
        let low = pool.iter().filter(|r| r.rank < 200).count();
        assert!(low * 2 > pool.len(), "most domains have low rank");
    }

    #[test]
    fn country_follows_the_tld() {
        let mut agree = 0;
        for i in 0..200 {
            let r = Referrer::from_host(&format!("site{i}.fr"), String::new(), 1);
            agree += usize::from(r.country == Some("FR"));
        }
        assert!(agree > 160, "{agree}");
    }

    #[test]
    fn title_case_capitalises_words() {
        assert_eq!(title_case("green garden-tools"), "Green Garden-Tools");
    }
}
