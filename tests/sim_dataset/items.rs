//! Each item on its own: consistent fields, the API's vocabularies, the planted hostile rows.

use std::collections::HashSet;

use backlinks::api::response::Backlink;
use backlinks::sim::dataset::{LONG_TITLE_CHARS, is_hostile};

use super::{forbes, text};

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

#[test]
fn every_item_is_internally_consistent() {
    for item in forbes() {
        let (from, to) = (text(item.url_from.as_ref()), text(item.url_to.as_ref()));
        let domain_from = text(item.domain_from.as_ref());
        assert_eq!(item.kind.as_deref(), Some("backlink"));
        assert_eq!(item.group_count, Some(0));
        assert_eq!(item.url_from_https, Some(from.starts_with("https://")));
        assert_eq!(item.url_to_https, Some(to.starts_with("https://")));
        assert_eq!(host_of(from), domain_from);
        assert_eq!(host_of(to), text(item.domain_to.as_ref()));
        let tld = text(item.tld_from.as_ref());
        if item.domain_from_is_ip == Some(true) {
            assert_eq!(item.domain_from_ip.as_deref(), Some(domain_from));
        } else {
            assert!(
                domain_from.ends_with(&format!(".{tld}")),
                "{domain_from} / {tld}"
            );
        }
        let item_type = item.item_type.as_deref().unwrap_or("");
        if matches!(item_type, "image" | "redirect") {
            assert!(item.anchor.is_none(), "{item_type} links have no anchor");
        }
        assert_eq!(item.image_url.is_some(), item_type == "image");
        if item_type != "image" {
            assert!(item.alt.is_none());
        }
        if item_type == "redirect" {
            assert!((300..400).contains(&item.page_from_status_code.unwrap_or(0)));
            assert_eq!(item.page_from_size, Some(0));
        }
        let status = item.url_to_status_code;
        assert_eq!(item.is_broken, Some(status.is_some_and(|s| s >= 400)));
        if let Some(s) = status {
            assert!([200, 301, 404, 410, 500].contains(&s), "{s}");
            assert_eq!(item.url_to_redirect_target.is_some(), s == 301);
        }
        if item.dofollow == Some(false) {
            let attrs = item.attributes.clone().unwrap_or_default();
            assert!(
                attrs
                    .iter()
                    .any(|a| ["nofollow", "ugc", "sponsored"].contains(&a.as_str()))
            );
        }
        let path = item.indirect_link_path.as_deref();
        assert_eq!(item.is_indirect_link == Some(true), path.is_some());
        for hop in path.unwrap_or_default() {
            match hop.kind.as_deref() {
                Some("redirect") => {
                    assert!([301, 302, 307].contains(&hop.status_code.unwrap_or(0)));
                }
                Some("canonical") => assert_eq!(hop.status_code, Some(200)),
                other => panic!("hop type {other:?}"),
            }
            assert!(text(hop.url.as_ref()).starts_with("http"));
        }
        assert!((1..=2).contains(&path.map_or(1, <[_]>::len)));
        let kw = item.ranked_keywords_info.clone().unwrap_or_default();
        let (t3, t10, t100) = (
            kw.page_from_keywords_count_top_3.unwrap_or(-1),
            kw.page_from_keywords_count_top_10.unwrap_or(-1),
            kw.page_from_keywords_count_top_100.unwrap_or(-1),
        );
        assert!(0 <= t3 && t3 <= t10 && t10 <= t100);
        assert!(item.page_from_external_links.unwrap_or(0) >= item.links_count.unwrap_or(1));
    }
}

#[test]
fn vocabularies_match_the_api() {
    let items = forbes();
    let platforms: HashSet<&str> = items
        .iter()
        .filter_map(|i| i.domain_from_platform_type.as_ref())
        .flatten()
        .map(String::as_str)
        .collect();
    let known = [
        "cms",
        "blogs",
        "ecommerce",
        "message-boards",
        "wikis",
        "news",
        "organization",
        "unknown",
    ];
    assert_eq!(platforms, known.into_iter().collect());
    let places: HashSet<&str> = items
        .iter()
        .filter_map(|i| i.semantic_location.as_deref())
        .collect();
    let known = [
        "article", "section", "main", "aside", "footer", "header", "nav", "summary",
    ];
    assert_eq!(places, known.into_iter().collect());
    let countries: HashSet<&str> = items
        .iter()
        .filter_map(|i| i.domain_from_country.as_deref())
        .collect();
    assert!(countries.contains("WW") && countries.contains("US") && countries.len() > 20);
    assert!(
        countries
            .iter()
            .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()))
    );
    // Country follows a country-code TLD most of the time, and language follows country.
    let de: Vec<&Backlink> = items
        .iter()
        .filter(|i| i.tld_from.as_deref() == Some("de"))
        .collect();
    let in_germany = de
        .iter()
        .filter(|i| i.domain_from_country.as_deref() == Some("DE"))
        .count();
    assert!(
        in_germany * 10 > de.len() * 8,
        "{in_germany} of {}",
        de.len()
    );
    let german = de
        .iter()
        .filter(|i| i.page_from_language.as_deref() == Some("de"))
        .count();
    assert!(german * 10 > de.len() * 7, "{german} of {}", de.len());
    let anchors: HashSet<&str> = items.iter().filter_map(|i| i.anchor.as_deref()).collect();
    for expected in [
        "Forbes",
        "forbes.com",
        "click here",
        "https://www.forbes.com/",
    ] {
        assert!(anchors.contains(expected), "anchor {expected:?}");
    }
    let hosts: HashSet<&str> = items
        .iter()
        .filter_map(|i| i.domain_to.as_deref())
        .collect();
    for host in [
        "forbes.com",
        "www.forbes.com",
        "blog.forbes.com",
        "shop.forbes.com",
    ] {
        assert!(hosts.contains(host), "{host}");
    }
}

#[test]
fn hostile_rows_carry_each_kind_of_trap() {
    let hostile: Vec<&Backlink> = forbes().iter().filter(|i| is_hostile(i)).collect();
    let texts: Vec<String> = hostile
        .iter()
        .flat_map(|i| {
            [
                &i.page_from_title,
                &i.anchor,
                &i.text_pre,
                &i.text_post,
                &i.alt,
            ]
        })
        .filter_map(Clone::clone)
        .collect();
    let any = |pred: &dyn Fn(&str) -> bool| texts.iter().any(|t| pred(t));
    assert!(any(&|t| t.contains("\x1b[")), "CSI");
    assert!(any(&|t| t.contains("\x1b]52;")), "OSC 52");
    assert!(any(&|t| t.contains('\u{202e}')), "bidi override");
    assert!(any(&|t| t.contains('\u{200d}')), "zero-width joiner");
    assert!(
        any(&|t| t.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c))),
        "C1"
    );
    assert!(any(&|t| t.contains('\0')), "NUL");
    assert!(
        any(&|t| t.chars().count() == LONG_TITLE_CHARS),
        "5,000-character title"
    );
    // Ordinary rows stay clean, so tests elsewhere can tell the two apart.
    let clean = forbes().iter().filter(|i| !is_hostile(i)).take(5_000);
    for item in clean {
        assert!(
            !text(item.page_from_title.as_ref())
                .chars()
                .any(char::is_control)
        );
    }
}
