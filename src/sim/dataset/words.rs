//! The word lists of `assets/words/`, embedded at build time and parsed once per process.

use std::sync::OnceLock;

use super::referrers::title_case;

/// A top-level domain a referring site may use, with the country and language it implies.
#[derive(Debug, Clone, Copy)]
pub struct Tld {
    /// `com`, `co.uk`…: what follows the site name in the host.
    pub suffix: &'static str,
    /// ISO 3166 code; `WW` for generic TLDs.
    pub country: &'static str,
    pub language: &'static str,
    pub weight: u32,
    /// A legacy encoding sometimes seen on sites of that TLD.
    pub legacy_encoding: Option<&'static str>,
}

/// A well-known referring site with fixed attributes (shows up in many profiles).
#[derive(Debug, Clone)]
pub struct Popular {
    pub host: &'static str,
    /// Site name for titles ("Wikipedia").
    pub name: &'static str,
    pub rank: i64,
    pub country: &'static str,
    pub platforms: Vec<&'static str>,
}

/// Every list, parsed.
#[derive(Debug)]
pub struct Words {
    pub nouns: Vec<&'static str>,
    pub adjectives: Vec<&'static str>,
    pub verbs: Vec<&'static str>,
    pub topics: Vec<&'static str>,
    /// `topics` in title case ("Running Shoes"), same order.
    pub topic_titles: Vec<String>,
    pub first_names: Vec<&'static str>,
    pub surnames: Vec<&'static str>,
    pub generic_anchors: Vec<&'static str>,
    pub text_pre: Vec<&'static str>,
    pub text_post: Vec<&'static str>,
    pub subdomains: Vec<&'static str>,
    pub site_suffixes: Vec<&'static str>,
    pub shorteners: Vec<&'static str>,
    pub public_suffixes: Vec<&'static str>,
    pub famous: Vec<&'static str>,
    pub popular: Vec<Popular>,
    pub tlds: Vec<Tld>,
    pub tld_weights: Vec<u32>,
    /// `(language, title phrases)`, one entry per language.
    pub localized: Vec<(&'static str, Vec<&'static str>)>,
}

impl Words {
    /// Title phrases for a language (empty when the language has none).
    pub fn phrases(&self, language: &str) -> &[&'static str] {
        self.localized
            .iter()
            .find(|(lang, _)| *lang == language)
            .map_or(&[], |(_, phrases)| phrases.as_slice())
    }

    /// The TLD entry for a country code, if one of the lists' ccTLDs belongs to it.
    pub fn tld_of_country(&self, country: &str) -> Option<&Tld> {
        self.tlds.iter().find(|t| t.country == country)
    }
}

/// The lists, parsed on first use.
pub fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(parse)
}

/// Non-empty, non-comment lines.
fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn parse() -> Words {
    let tlds: Vec<Tld> = lines(include_str!("../../../assets/words/tlds.txt"))
        .into_iter()
        .map(|line| {
            let mut f = line.split('|');
            let mut next = || f.next().unwrap_or("").trim();
            let suffix = next();
            let country = next();
            let language = next();
            let weight = next().parse().unwrap_or(1);
            let enc = next();
            Tld {
                suffix,
                country,
                language,
                weight,
                legacy_encoding: (!enc.is_empty()).then_some(enc),
            }
        })
        .collect();
    let popular = lines(include_str!("../../../assets/words/popular_referrers.txt"))
        .into_iter()
        .map(|line| {
            let mut f = line.split('|');
            let mut next = || f.next().unwrap_or("").trim();
            Popular {
                host: next(),
                name: next(),
                rank: next().parse().unwrap_or(500),
                country: next(),
                platforms: next().split(',').map(str::trim).collect(),
            }
        })
        .collect();
    let mut localized: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for line in lines(include_str!("../../../assets/words/localized.txt")) {
        let (lang, phrase) = line.split_once('|').unwrap_or(("en", line));
        match localized.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, phrases)) => phrases.push(phrase),
            None => localized.push((lang, vec![phrase])),
        }
    }
    let topics = lines(include_str!("../../../assets/words/topics.txt"));
    Words {
        topic_titles: topics.iter().map(|t| title_case(t)).collect(),
        topics,
        nouns: lines(include_str!("../../../assets/words/nouns.txt")),
        adjectives: lines(include_str!("../../../assets/words/adjectives.txt")),
        verbs: lines(include_str!("../../../assets/words/verbs.txt")),
        first_names: lines(include_str!("../../../assets/words/first_names.txt")),
        surnames: lines(include_str!("../../../assets/words/surnames.txt")),
        generic_anchors: lines(include_str!("../../../assets/words/generic_anchors.txt")),
        text_pre: lines(include_str!("../../../assets/words/text_pre.txt")),
        text_post: lines(include_str!("../../../assets/words/text_post.txt")),
        subdomains: lines(include_str!("../../../assets/words/subdomains.txt")),
        site_suffixes: lines(include_str!("../../../assets/words/site_suffixes.txt")),
        shorteners: lines(include_str!("../../../assets/words/shorteners.txt")),
        public_suffixes: lines(include_str!("../../../assets/words/public_suffixes.txt")),
        famous: lines(include_str!("../../../assets/words/famous.txt")),
        tld_weights: tlds.iter().map(|t| t.weight).collect(),
        tlds,
        popular,
        localized,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_present_and_clean() {
        let w = words();
        for list in [
            &w.nouns,
            &w.adjectives,
            &w.verbs,
            &w.topics,
            &w.first_names,
            &w.surnames,
            &w.generic_anchors,
            &w.text_pre,
            &w.text_post,
            &w.subdomains,
            &w.site_suffixes,
            &w.shorteners,
            &w.public_suffixes,
            &w.famous,
        ] {
            assert!(!list.is_empty());
            for word in list {
                assert!(!word.chars().any(char::is_control), "{word:?}");
            }
        }
        assert!(w.nouns.len() > 200 && w.topics.len() > 100);
    }

    #[test]
    fn tlds_carry_country_language_and_weight() {
        let w = words();
        let uk = w
            .tlds
            .iter()
            .find(|t| t.suffix == "co.uk")
            .expect("co.uk listed");
        assert_eq!((uk.country, uk.language), ("GB", "en"));
        let de = w.tld_of_country("DE").expect("de listed");
        assert_eq!((de.suffix, de.language), ("de", "de"));
        assert!(w.tlds.iter().all(|t| t.weight > 0 && t.country.len() == 2));
        assert_eq!(w.tld_weights.len(), w.tlds.len());
    }

    #[test]
    fn localized_phrases_group_by_language() {
        let w = words();
        assert!(w.phrases("de").contains(&"Ratgeber"));
        assert!(w.phrases("xx").is_empty());
        assert!(w.popular.iter().all(|p| (0..=1000).contains(&p.rank)));
    }
}
