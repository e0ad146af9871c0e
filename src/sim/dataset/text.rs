//! The words of a referring page: its URL path, title, anchors, surrounding text and images.
//!
//! Strings are appended piece by piece to one buffer rather than built with nested `format!`
//! calls: this runs for every one of up to 60,000 links and the allocations dominated.

use super::dates::year_month;
use super::referrers::{Referrer, SiteKind, push_title_case};
use super::rng::Rng;
use super::site::{Page, Site};
use super::words::Words;

/// Appends a decimal integer.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Appends a two-digit, zero-padded number (months, days).
fn push2(out: &mut String, n: i64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `words` with spaces turned into `sep`.
fn push_joined(out: &mut String, words: &str, sep: char) {
    for (i, word) in words.split(' ').enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(word);
    }
}

/// Appends a slug about `topic`: `best-running-shoes-guide`.
fn push_slug(out: &mut String, rng: &mut Rng, w: &Words, topic: &str) {
    if rng.chance(0.4) {
        out.push_str(rng.word(&w.adjectives));
        out.push('-');
    }
    push_joined(out, topic, '-');
    if rng.chance(0.5) {
        out.push('-');
        out.push_str(rng.word(&w.nouns));
    }
}

/// Appends the path of a referring page, shaped like the pages of its kind of site; `topic`
/// names the page, `ts` dates it. Returns whether the path is the home page (`/`).
pub fn push_referring_path(
    out: &mut String,
    rng: &mut Rng,
    w: &Words,
    kind: SiteKind,
    topic: &str,
    ts: i64,
) -> bool {
    let (year, month) = year_month(ts);
    let id = rng.range(1_000, 9_999_999);
    let dated = |out: &mut String, day: Option<i64>| {
        push_int(out, year);
        out.push('/');
        push2(out, month);
        out.push('/');
        if let Some(day) = day {
            push2(out, day);
            out.push('/');
        }
    };
    let (before, after): (&str, &str) = match (kind, rng.weighted(&[45, 20, 20, 10, 5])) {
        (SiteKind::Blog, 0) => {
            out.push('/');
            dated(out, None);
            ("", "/")
        }
        (SiteKind::Blog, 1) => ("/blog/", ""),
        (SiteKind::Blog, 2) => ("/", "/"),
        (SiteKind::Blog, 3) => {
            out.push_str("/posts/");
            push_int(out, id);
            ("/", "")
        }
        (SiteKind::News, 0 | 1) => {
            out.push('/');
            out.push_str(rng.word(&w.nouns));
            out.push('/');
            let day = rng.range(1, 28);
            dated(out, Some(day));
            ("", "")
        }
        (SiteKind::News, 2 | 3) => {
            out.push_str("/article/");
            push_int(out, id);
            ("/", ".html")
        }
        (SiteKind::Forum, 0 | 1) => ("/threads/", "/"),
        (SiteKind::Forum, 2 | 3) => ("/t/", "/"),
        (SiteKind::Forum, _) => {
            out.push_str("/viewtopic.php?t=");
            push_int(out, id);
            return false;
        }
        (SiteKind::Wiki, _) => {
            out.push_str("/wiki/");
            let mut title = String::with_capacity(topic.len());
            push_title_case(&mut title, topic);
            push_joined(out, &title, '_');
            return false;
        }
        (SiteKind::Shop, 0..=2) => ("/products/", ""),
        (SiteKind::Shop, _) => {
            out.push_str("/collections/");
            out.push_str(rng.word(&w.nouns));
            return false;
        }
        (SiteKind::Org | SiteKind::Generic, 1) => {
            out.push_str(rng.word(&["/links/", "/resources/", "/partners/", "/press/"]));
            return false;
        }
        (SiteKind::Org | SiteKind::Generic, 2) => {
            out.push('/');
            out.push_str(rng.word(&w.nouns));
            ("/", ".html")
        }
        (SiteKind::Org | SiteKind::Generic, 3) => {
            out.push_str("/p/");
            push_int(out, id);
            return false;
        }
        (SiteKind::Org | SiteKind::Generic, 0) => ("/", ""),
        _ => {
            out.push('/');
            return true;
        }
    };
    out.push_str(before);
    push_slug(out, rng, w, topic);
    out.push_str(after);
    false
}

/// Appends a path certain to be new on its host (used when the first choice was taken).
pub fn push_fallback_path(out: &mut String, rng: &mut Rng, w: &Words, topic: &str) {
    out.push('/');
    out.push_str(rng.word(&w.nouns));
    out.push('/');
    push_slug(out, rng, w, topic);
    out.push('-');
    push_int(out, rng.range(10_000_000, 99_999_999));
}

/// Title of a referring page about `topic` (title-cased), in the page's language when the
/// lists have phrases for it (`phrases`).
pub fn title(rng: &mut Rng, w: &Words, r: &Referrer, topic: &str, home: bool) -> String {
    let sep = rng.word(&[" - ", " | ", " – ", " :: ", ": "]);
    let mut out = String::with_capacity(24 + topic.len() + r.name.len());
    let mut name_last = true;
    if home {
        out.push_str(&r.name);
        out.push_str(sep);
        push_title_case(&mut out, rng.word(&w.adjectives));
        out.push(' ');
        out.push_str(topic);
        return out;
    }
    if !r.phrases.is_empty() && r.language != Some("en") && rng.chance(0.7) {
        out.push_str(rng.word(r.phrases));
        out.push(' ');
        out.push_str(topic);
    } else {
        match (r.kind, rng.weighted(&[30, 20, 20, 15, 15])) {
            (SiteKind::Forum, _) => {
                out.push_str(topic);
                out.push_str(" — advice needed");
            }
            (SiteKind::Wiki, _) | (_, 0) => out.push_str(topic),
            (_, 1) => {
                push_int(&mut out, rng.range(3, 25));
                out.push_str(" Best ");
                out.push_str(topic);
                out.push_str(" in ");
                push_int(&mut out, rng.range(2019, 2026));
            }
            (_, 2) => {
                out.push_str("How to ");
                push_title_case(&mut out, rng.word(&w.verbs));
                out.push(' ');
                out.push_str(topic);
            }
            (_, 3) => {
                push_title_case(&mut out, rng.word(&w.adjectives));
                out.push(' ');
                out.push_str(topic);
                out.push_str(": ");
                push_title_case(&mut out, rng.word(&w.nouns));
                name_last = false;
            }
            _ => {
                out.push_str(topic);
                name_last = false;
            }
        }
    }
    if name_last {
        out.push_str(sep);
        out.push_str(&r.name);
    }
    out
}

/// Anchor text of a link to `page`: brand, naked domain, URL, generic words or keywords.
pub fn anchor(rng: &mut Rng, w: &Words, site: &Site, page: &Page, url_to: &str) -> String {
    match rng.weighted(&[20, 12, 8, 20, 32, 8]) {
        0 => match rng.weighted(&[80, 10, 10]) {
            0 => site.brand.clone(),
            1 => site.brand.to_uppercase(),
            _ => {
                let mut out = site.brand.clone();
                out.push(' ');
                push_title_case(&mut out, rng.word(&w.nouns));
                out
            }
        },
        1 => {
            if rng.chance(0.5) {
                site.domain.clone()
            } else {
                page.host.clone()
            }
        }
        2 => url_to.to_string(),
        3 => rng.word(&w.generic_anchors).to_string(),
        4 => page.topic.to_string(),
        _ => {
            let mut out = String::with_capacity(32);
            push_title_case(&mut out, rng.word(&w.adjectives));
            out.push(' ');
            out.push_str(page.topic);
            out
        }
    }
}

/// Text just before an anchor on a page about `topic` (title-cased).
pub fn text_pre(rng: &mut Rng, w: &Words, topic: &str) -> String {
    let lead = rng.word(&w.text_pre);
    if rng.chance(0.3) {
        let mut out = String::with_capacity(topic.len() + lead.len() + 26);
        out.push_str(topic);
        out.push_str(" matters more than ever. ");
        out.push_str(lead);
        out
    } else {
        lead.to_string()
    }
}

/// Text just after an anchor.
pub fn text_post(rng: &mut Rng, w: &Words) -> String {
    rng.word(&w.text_post).to_string()
}

/// `(image_url, alt)` of an image link; the alt is missing now and then, like on real pages.
pub fn image(
    rng: &mut Rng,
    w: &Words,
    r: &Referrer,
    site: &Site,
    ts: i64,
) -> (String, Option<String>) {
    let scheme = if r.https { "https" } else { "http" };
    let brand = site.brand.to_lowercase();
    let ext = rng.word(&["png", "jpg", "webp", "svg", "gif"]);
    let (year, month) = year_month(ts);
    let url = match rng.weighted(&[40, 30, 30]) {
        0 => format!(
            "{scheme}://{}/wp-content/uploads/{year}/{month:02}/{brand}-logo.{ext}",
            r.host
        ),
        1 => format!(
            "{scheme}://{}/images/{}-{}.{ext}",
            r.host,
            rng.word(&w.nouns),
            rng.range(1, 9_999)
        ),
        _ => format!("{scheme}://{}/static/press/{brand}.{ext}", r.host),
    };
    let alt = match rng.weighted(&[35, 20, 20, 25]) {
        0 => Some(site.brand.clone()),
        1 => Some(format!("{} logo", site.brand)),
        2 => Some(format!("As featured in {}", site.brand)),
        _ => None,
    };
    (url, alt)
}

#[cfg(test)]
mod tests {
    use super::super::referrers::Referrer;
    use super::super::words::words;
    use super::*;

    #[test]
    fn paths_start_with_a_slash_and_stay_ascii() {
        let w = words();
        let mut rng = Rng::new(2);
        let kinds = [
            SiteKind::Blog,
            SiteKind::News,
            SiteKind::Forum,
            SiteKind::Wiki,
            SiteKind::Shop,
            SiteKind::Org,
            SiteKind::Generic,
        ];
        let mut homes = 0;
        for kind in kinds {
            for _ in 0..200 {
                let mut p = String::new();
                let home = push_referring_path(&mut p, &mut rng, w, kind, "running shoes", 0);
                assert!(
                    p.starts_with('/') && p.is_ascii() && !p.contains(' '),
                    "{p}"
                );
                assert_eq!(home, p == "/", "{p}");
                homes += usize::from(home);
            }
        }
        assert!(homes > 0);
    }

    #[test]
    fn integers_are_written_in_decimal() {
        for n in [0, 7, 10, 2026, -45, 9_999_999] {
            let mut s = String::new();
            push_int(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn localized_titles_use_the_page_language() {
        let w = words();
        let mut r = Referrer::from_host("www.gartenwelt.de", "Gartenwelt".into(), 1);
        r.language = Some("de");
        r.phrases = w.phrases("de");
        let mut rng = Rng::new(4);
        let titles: Vec<String> = (0..50)
            .map(|_| title(&mut rng, w, &r, "Garden Tools", false))
            .collect();
        assert!(
            titles
                .iter()
                .any(|t| w.phrases("de").iter().any(|p| t.starts_with(p)))
        );
        assert!(titles.iter().all(|t| t.contains("Garden Tools")));
    }
}
