//! Untrusted text: sanitising strings from the API or a file before they reach the terminal,
//! and width-aware truncation (wide CJK and emoji count as two cells).

pub mod wrap;

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes everything that could move the cursor, change colours, set the window title, talk to
/// the clipboard or reorder text: ESC sequences (CSI, OSC, DCS…), C0 and C1 controls, bidi
/// overrides and isolates. Tabs and newlines become single spaces. Borrowed when already clean.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS / APC / PM / SOS introduce sequences of their own.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9f}' | '\u{9e}' | '\u{98}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' if !out.ends_with(' ') => out.push(' '),
            '\t' | '\n' | '\r' => {}
            c if is_safe(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

fn is_safe(c: char) -> bool {
    !(c.is_control() || is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | '_' | '^' | 'X') => {
            chars.next();
            skip_string(chars);
        }
        // Two-character escapes (ESC c, ESC 7, ESC ( B …): drop the next character, and the
        // designator that follows a charset escape.
        Some('(' | ')' | '*' | '+' | '#' | '%') => {
            chars.next();
            chars.next();
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in `@`..=`~`.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            return;
        }
        if !(' '..='?').contains(&c) {
            // Not a CSI byte: the sequence was malformed; stop dropping.
            return;
        }
    }
}

/// OSC / DCS / APC / PM / SOS: everything up to BEL, ST (ESC \) or C1 ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// 48213 → "48,213".
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending with `…` when something was cut. Never splits a
/// wide character across the limit.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Sanitises, then truncates: what every table cell goes through.
pub fn cell(s: &str, max: usize) -> String {
    truncate(&sanitize(s), max).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(48_213), "48,213");
        assert_eq!(group(1_000_000), "1,000,000");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("plain text ü 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(sanitize("x\x1b[2Jy"), "xy");
        assert_eq!(sanitize("t\x1b]0;pwned\x07u"), "tu");
        assert_eq!(sanitize("t\x1b]52;c;aGk=\x1b\\u"), "tu");
        assert_eq!(sanitize("a\u{9b}1;2Hb"), "ab");
        assert_eq!(sanitize("a\u{9d}osc\u{9c}b"), "ab");
        assert_eq!(sanitize("a\x1b(Bb"), "ab");
    }

    #[test]
    fn controls_and_bidi_are_removed() {
        assert_eq!(sanitize("a\x00b\x07c\x7fd\u{85}e"), "abcde");
        assert_eq!(sanitize("abc\u{202e}fed\u{2066}x\u{2069}"), "abcfedx");
        assert_eq!(sanitize("one\ttwo\r\nthree"), "one two three");
    }

    #[test]
    fn nothing_unsafe_survives_any_input() {
        let nasty: String = (0u32..0x300).filter_map(char::from_u32).collect();
        let out = sanitize(&nasty);
        assert!(out.chars().all(|c| !c.is_control() && !is_bidi_control(c)));
    }

    #[test]
    fn truncation_counts_cells() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        // Each CJK character is two cells: 3 fit into 7 cells with the ellipsis.
        assert_eq!(truncate("日本語のテキスト", 7), "日本語…");
        assert!(width(&truncate("日本語のテキスト", 6)) <= 6);
        assert_eq!(truncate("🙂🙂🙂", 4), "🙂…");
        assert_eq!(truncate("abc", 0), "");
    }
}
