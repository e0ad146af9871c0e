//! Text patterns of `like`/`ilike` and `match` (DESIGN.md §6.4), compiled once per filter.
//!
//! `like`: `%` is any run of characters (possibly none), `_` exactly one character, everything
//! else literal, and the pattern must cover the whole value. There is no escape character
//! (the API documents none): to find a literal `%` or `_`, use `regex`.
//!
//! `match`: case-insensitive whole words, where words are the runs of alphanumeric characters.
//! A value of several words matches when they appear consecutively in the same order
//! (`"link building"` matches "Best Link-Building tips", not "building links").
use std::borrow::Cow;

/// A compiled `like` pattern.
#[derive(Debug, Clone)]
pub(super) struct LikePattern {
    /// The pieces between `%` signs; there is always at least one (maybe empty).
    pieces: Vec<Piece>,
}

/// A run of literal characters and `_` wildcards, so of a fixed length in characters.
#[derive(Debug, Clone)]
enum Piece {
    /// No `_`: plain substring operations.
    Plain(String),
    /// `None` is `_`.
    Wild(Vec<Option<char>>),
}

impl Piece {
    fn new(text: &str) -> Piece {
        if text.contains('_') {
            Piece::Wild(text.chars().map(|c| (c != '_').then_some(c)).collect())
        } else {
            Piece::Plain(text.to_owned())
        }
    }

    /// Byte length of the match at the start of `s`.
    fn prefix_len(&self, s: &str) -> Option<usize> {
        match self {
            Piece::Plain(p) => s.starts_with(p.as_str()).then_some(p.len()),
            Piece::Wild(w) => {
                let mut used = 0;
                let mut chars = s.chars();
                for want in w {
                    let c = chars.next()?;
                    if want.is_some_and(|w| w != c) {
                        return None;
                    }
                    used += c.len_utf8();
                }
                Some(used)
            }
        }
    }

    /// Byte length of the match at the end of `s`.
    fn suffix_len(&self, s: &str) -> Option<usize> {
        match self {
            Piece::Plain(p) => s.ends_with(p.as_str()).then_some(p.len()),
            Piece::Wild(w) => {
                let mut used = 0;
                let mut chars = s.chars().rev();
                for want in w.iter().rev() {
                    let c = chars.next()?;
                    if want.is_some_and(|w| w != c) {
                        return None;
                    }
                    used += c.len_utf8();
                }
                Some(used)
            }
        }
    }

    /// Byte end of the leftmost match in `s`.
    fn find_end(&self, s: &str) -> Option<usize> {
        match self {
            Piece::Plain(p) => s.find(p.as_str()).map(|i| i + p.len()),
            Piece::Wild(_) => s
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(s.len()))
                .find_map(|i| self.prefix_len(&s[i..]).map(|n| i + n)),
        }
    }
}

impl LikePattern {
    pub fn new(pattern: &str) -> LikePattern {
        LikePattern {
            pieces: pattern.split('%').map(Piece::new).collect(),
        }
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return s.is_empty();
        };
        let Some((last, middle)) = rest.split_last() else {
            // No `%`: the single piece must cover the value exactly.
            return first.prefix_len(s) == Some(s.len());
        };
        let Some(start) = first.prefix_len(s) else {
            return false;
        };
        let Some(tail) = last.suffix_len(&s[start..]) else {
            return false;
        };
        // The end piece is fixed-length, so the middle pieces must fit before it; taking each
        // at its leftmost place leaves the most room for the next.
        let mut rest = &s[start..s.len() - tail];
        for piece in middle {
            match piece.find_end(rest) {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
        true
    }
}

/// Unicode lowercase, borrowing when there is nothing to change (the common case).
pub(super) fn lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A compiled `match` value: its words, lowercased.
#[derive(Debug, Clone)]
pub(super) struct WordPattern {
    words: Vec<String>,
}

impl WordPattern {
    pub fn new(value: &str) -> WordPattern {
        WordPattern {
            words: words(&lower(value)).map(str::to_owned).collect(),
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        let text = lower(s);
        match self.words.as_slice() {
            [] => false,
            [one] => words(&text).any(|w| w == one),
            many => {
                let have: Vec<&str> = words(&text).collect();
                have.windows(many.len()).any(|win| win == many)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(p: &str, s: &str) -> bool {
        LikePattern::new(p).matches(s)
    }

    #[test]
    fn like_covers_the_whole_value() {
        assert!(like("seo", "seo"));
        assert!(!like("seo", "seo tools"));
        assert!(like("%seo%", "best seo tools"));
        assert!(like("seo%", "seo tools"));
        assert!(!like("seo%", "best seo"));
        assert!(like("%seo", "best seo"));
        assert!(like("%", ""));
        assert!(like("", ""));
        assert!(!like("", "x"));
        assert!(like("a%b%c", "abc"));
        assert!(like("a%b%c", "a-b-b-c"));
        assert!(!like("a%b%c", "acb"));
        assert!(
            !like("ab%ba", "aba"),
            "start and end pieces may not overlap"
        );
    }

    #[test]
    fn underscore_is_one_character_even_outside_ascii() {
        assert!(like("s_o", "seo"));
        assert!(like("s_o", "söo"));
        assert!(!like("s_o", "so"));
        assert!(like("%_ü_%", "xxüx"));
        assert!(like("%é_", "café!"));
        assert!(!like("_", ""));
    }

    #[test]
    fn match_is_whole_words_ignoring_case() {
        let m = WordPattern::new("SEO");
        assert!(m.matches("Best seo-tools"));
        assert!(!m.matches("seotools"));
        let two = WordPattern::new("link building");
        assert!(two.matches("Best Link-Building tips"));
        assert!(!two.matches("building links"));
        assert!(!two.matches("link and building"));
        assert!(!WordPattern::new("--").matches("--"));
    }
}
