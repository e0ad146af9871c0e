//! Text patterns of `like`/`ilike` and `match` (DESIGN.md §6.4), compiled once per filter.
//!
//! `like`: `%` is any run of characters (possibly none), `_` exactly one character, everything
//! else literal, and the pattern must cover the whole value. There is no escape character
//! (the API documents none): to find a literal `%` or `_`, use `regex`.
//!
//! `ilike`: the same, comparing the Unicode lowercase of pattern and value.
//!
//! `match`: case-insensitive whole words, where words are the runs of alphanumeric characters
//! (compared by the lowercase of each character).
//! A value of several words matches when they appear consecutively in the same order
//! (`"link building"` matches "Best Link-Building tips", not "building links").
use std::borrow::Cow;

/// A compiled `like` pattern.
#[derive(Debug, Clone)]
pub(super) struct LikePattern {
    /// The pieces between `%` signs; there is always at least one (maybe empty).
    pieces: Vec<Piece>,
    /// `ilike`: the pieces are lowercased and values compared in lowercase.
    ignore_case: bool,
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

    /// Byte length of the match at the start of `s`. With `fold`, `s` is ASCII and compared
    /// ignoring ASCII case against a lowercased piece.
    fn prefix_len(&self, s: &str, fold: bool) -> Option<usize> {
        match self {
            Piece::Plain(p) => {
                let head = s.as_bytes().get(..p.len())?;
                bytes_eq(head, p.as_bytes(), fold).then_some(p.len())
            }
            Piece::Wild(w) => {
                let mut used = 0;
                let mut chars = s.chars();
                for want in w {
                    let c = chars.next()?;
                    if want.is_some_and(|w| w != fold_char(c, fold)) {
                        return None;
                    }
                    used += c.len_utf8();
                }
                Some(used)
            }
        }
    }

    /// Byte length of the match at the end of `s`.
    fn suffix_len(&self, s: &str, fold: bool) -> Option<usize> {
        match self {
            Piece::Plain(p) => {
                let start = s.len().checked_sub(p.len())?;
                let tail = s.as_bytes().get(start..)?;
                bytes_eq(tail, p.as_bytes(), fold).then_some(p.len())
            }
            Piece::Wild(w) => {
                let mut used = 0;
                let mut chars = s.chars().rev();
                for want in w.iter().rev() {
                    let c = chars.next()?;
                    if want.is_some_and(|w| w != fold_char(c, fold)) {
                        return None;
                    }
                    used += c.len_utf8();
                }
                Some(used)
            }
        }
    }

    /// Byte end of the leftmost match in `s`.
    fn find_end(&self, s: &str, fold: bool) -> Option<usize> {
        match self {
            Piece::Plain(p) if p.is_empty() => Some(0),
            Piece::Plain(p) if !fold => s.find(p.as_str()).map(|i| i + p.len()),
            Piece::Plain(p) => s
                .as_bytes()
                .windows(p.len())
                .position(|w| w.eq_ignore_ascii_case(p.as_bytes()))
                .map(|i| i + p.len()),
            Piece::Wild(_) => s
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(s.len()))
                .find_map(|i| self.prefix_len(&s[i..], fold).map(|n| i + n)),
        }
    }
}

fn bytes_eq(a: &[u8], b: &[u8], fold: bool) -> bool {
    if fold {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

fn fold_char(c: char, fold: bool) -> char {
    if fold { c.to_ascii_lowercase() } else { c }
}

impl LikePattern {
    /// A case-sensitive pattern (`like`).
    pub fn new(pattern: &str) -> LikePattern {
        LikePattern {
            pieces: pattern.split('%').map(Piece::new).collect(),
            ignore_case: false,
        }
    }

    /// A pattern ignoring case (`ilike`): both sides compared in Unicode lowercase.
    pub fn new_ignore_case(pattern: &str) -> LikePattern {
        LikePattern {
            ignore_case: true,
            ..LikePattern::new(&lower(pattern))
        }
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        if !self.ignore_case {
            return self.matches_folded(s, false);
        }
        // ASCII values (most of them) are compared in place; others are lowercased first.
        if s.is_ascii() {
            self.matches_folded(s, true)
        } else {
            self.matches_folded(&s.to_lowercase(), false)
        }
    }

    fn matches_folded(&self, s: &str, fold: bool) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return s.is_empty();
        };
        let Some((last, middle)) = rest.split_last() else {
            // No `%`: the single piece must cover the value exactly.
            return first.prefix_len(s, fold) == Some(s.len());
        };
        let Some(start) = first.prefix_len(s, fold) else {
            return false;
        };
        let Some(tail) = last.suffix_len(&s[start..], fold) else {
            return false;
        };
        // The end piece is fixed-length, so the middle pieces must fit before it; taking each
        // at its leftmost place leaves the most room for the next.
        let mut rest = &s[start..s.len() - tail];
        for piece in middle {
            match piece.find_end(rest, fold) {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
        true
    }
}

/// Unicode lowercase, borrowing when there is nothing to change.
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

fn words(s: &str) -> impl Iterator<Item = &str> + Clone {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A word compared to a lowercased word, without allocating.
fn word_eq(word: &str, lowered: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lowered)
    } else {
        word.chars()
            .flat_map(char::to_lowercase)
            .eq(lowered.chars())
    }
}

/// A compiled `match` value: its words, lowercased.
#[derive(Debug, Clone)]
pub(super) struct WordPattern {
    words: Vec<String>,
    /// For ASCII words: the words joined by separators, ignoring ASCII case. On ASCII text its
    /// literal search skips most of the text; each hit is then checked for word boundaries.
    ascii: Option<regex::bytes::Regex>,
}

impl WordPattern {
    pub fn new(value: &str) -> WordPattern {
        let words: Vec<String> = words(value)
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let ascii = (!words.is_empty() && words.iter().all(|w| w.is_ascii()))
            .then(|| {
                let seq: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
                regex::bytes::Regex::new(&format!("(?i-u){}", seq.join("[^0-9A-Za-z]+"))).ok()
            })
            .flatten();
        WordPattern { words, ascii }
    }

    pub fn matches(&self, s: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        if s.is_ascii()
            && let Some(re) = &self.ascii
        {
            let b = s.as_bytes();
            let mut from = 0;
            while let Some(m) = re.find_at(b, from) {
                let starts_word = m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric();
                let ends_word = b.get(m.end()).is_none_or(|c| !c.is_ascii_alphanumeric());
                if starts_word && ends_word {
                    return true;
                }
                // A later match may overlap this one ("a a" in "xa a a"): step one byte.
                from = m.start() + 1;
            }
            false
        } else if s.is_ascii() {
            // Same words as below (ASCII alphanumerics are exactly the alphanumeric chars of
            // an ASCII string), split byte-wise: several times faster on long texts.
            let words = s
                .as_bytes()
                .split(|b| !b.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty());
            self.sequence_in(words, |w, q| w.eq_ignore_ascii_case(q.as_bytes()))
        } else {
            self.sequence_in(words(s), word_eq)
        }
    }

    /// Whether the pattern's words occur consecutively in `text_words`.
    fn sequence_in<W: Copy, I: Iterator<Item = W> + Clone>(
        &self,
        mut text_words: I,
        eq: impl Fn(W, &str) -> bool,
    ) -> bool {
        loop {
            let mut probe = text_words.clone();
            if self
                .words
                .iter()
                .all(|q| probe.next().is_some_and(|w| eq(w, q)))
            {
                return true;
            }
            if text_words.next().is_none() {
                return false;
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
    fn ilike_ignores_case_in_and_outside_ascii() {
        let i = |p: &str, s: &str| LikePattern::new_ignore_case(p).matches(s);
        assert!(i("%SEO%", "best seo"));
        assert!(i("%seo%", "BEST SEO"));
        assert!(i("B_st%", "best"));
        assert!(i("%über%", "ÜBER alles"));
        assert!(i("_ber", "Über"));
        assert!(!i("%über%", "uber"));
        assert!(i("%%", ""));
        assert!(!i("seo", "seo!"));
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
        assert!(WordPattern::new("über").matches("ÜBER-Alles"));
        assert!(WordPattern::new("a b").matches("x A b"));
        assert!(!WordPattern::new("a b c").matches("a b"));
    }
}
