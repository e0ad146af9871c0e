//! Hostile strings: what a crawled web page can put in a title or an anchor, and what a
//! terminal app must never draw raw. About 1 % of items carry one, in a text field.
//!
//! Ordinary generated text is plain (ASCII plus accented Latin, Greek and Cyrillic letters), so
//! [`is_hostile`] can tell the planted rows apart by content alone.

use crate::api::response::Backlink;

use super::rng::Rng;

/// Share of items that carry a hostile string.
pub const HOSTILE_RATE: f64 = 0.01;

/// Length of the over-long titles, in characters.
pub const LONG_TITLE_CHARS: usize = 5_000;

/// Terminal escapes and control characters wrapped around or mixed into the original text.
fn payload(rng: &mut Rng, text: &str) -> String {
    match rng.index(14) {
        0 => format!("\x1b[31m{text}\x1b[0m"),
        1 => format!("\x1b[2J\x1b[H{text}"),
        2 => format!("{text}\x1b[5A\x1b[K\x1b[1;37;41m"),
        3 => format!("\x1b]0;pwned terminal title\x07{text}"),
        // OSC 52: would put "rm -rf ~" on the clipboard.
        4 => format!("\x1b]52;c;cm0gLXJmIH4=\x07{text}"),
        5 => format!("\x1b]8;;https://evil.example/\x1b\\{text}\x1b]8;;\x1b\\"),
        6 => format!("{text}\x00\x07\x08\x08\x08\r\x0b\x0cgotcha"),
        7 => format!("line one\nline two\t{text}\r\n"),
        8 => format!("\u{9b}31m{text}\u{85}\u{9d}\u{80}"),
        9 => format!("\u{202e}{text}\u{202c} gpj.exe"),
        10 => format!("\u{2066}{text}\u{2069}\u{2067}\u{2068}txet\u{2069}"),
        11 => {
            let family = "👩\u{200d}👩\u{200d}👧\u{200d}👦";
            format!("{family} {text} 日本語のタイトル 한국어 🇺🇸")
        }
        12 => format!("ＷＩＤＥ　ｔｅｘｔ {text} 中文标题测试"),
        _ => format!("{text}\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}"),
    }
}

/// A title of exactly [`LONG_TITLE_CHARS`] characters.
fn long_title(text: &str) -> String {
    let base = if text.is_empty() {
        "Untitled page"
    } else {
        text
    };
    let unit = base.chars().count() + 1;
    let mut title = format!("{base} ").repeat(LONG_TITLE_CHARS / unit + 1);
    // Cut at the character boundary after exactly LONG_TITLE_CHARS characters.
    if let Some((end, _)) = title.char_indices().nth(LONG_TITLE_CHARS) {
        title.truncate(end);
    }
    title
}

/// Plants one hostile string in a text field of `item` (the title when it has no other text).
pub fn inject(rng: &mut Rng, item: &mut Backlink) {
    if rng.chance(0.15) {
        let title = item.page_from_title.as_deref().unwrap_or("");
        item.page_from_title = Some(long_title(title));
        return;
    }
    let field = match rng.index(5) {
        0 if item.anchor.is_some() => &mut item.anchor,
        1 if item.text_pre.is_some() => &mut item.text_pre,
        2 if item.text_post.is_some() => &mut item.text_post,
        3 if item.alt.is_some() => &mut item.alt,
        _ => &mut item.page_from_title,
    };
    let text = field.as_deref().unwrap_or("Untitled");
    *field = Some(payload(rng, text));
}

/// Whether a character never appears in ordinary generated text: controls (C0, DEL, C1), bidi
/// and zero-width format characters, emoji, and wide East Asian text.
pub fn is_hostile_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
            | '\u{1100}'..='\u{115f}'
            | '\u{2e80}'..='\u{a4cf}'
            | '\u{ac00}'..='\u{d7a3}'
            | '\u{f900}'..='\u{faff}'
            | '\u{fe30}'..='\u{fe4f}'
            | '\u{ff00}'..='\u{ff60}'
            | '\u{ffe0}'..='\u{ffe6}'
            | '\u{2600}'..='\u{27bf}'
            | '\u{1f000}'..)
}

/// Whether a text is hostile: a hostile character, or longer than 1,000 characters.
pub fn is_hostile_text(text: &str) -> bool {
    text.chars().any(is_hostile_char) || text.chars().nth(1_000).is_some()
}

/// Whether an item carries a hostile string in one of its text fields (title, anchor,
/// surrounding text, alt). The demo plants them in about 1 % of items.
pub fn is_hostile(item: &Backlink) -> bool {
    [
        &item.page_from_title,
        &item.anchor,
        &item.text_pre,
        &item.text_post,
        &item.alt,
    ]
    .iter()
    .any(|f| f.as_deref().is_some_and(is_hostile_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payload_is_detected() {
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            let mut item = Backlink {
                page_from_title: Some("Plain title".into()),
                anchor: Some("plain anchor".into()),
                ..Backlink::default()
            };
            assert!(!is_hostile(&item));
            inject(&mut rng, &mut item);
            assert!(is_hostile(&item), "{item:?}");
        }
    }

    #[test]
    fn long_titles_are_exactly_five_thousand_characters() {
        assert_eq!(long_title("Forbes").chars().count(), LONG_TITLE_CHARS);
        assert_eq!(long_title("").chars().count(), LONG_TITLE_CHARS);
    }

    #[test]
    fn accented_and_cyrillic_text_is_not_hostile() {
        for text in [
            "Überblick Garden – Tips",
            "Новости: Лучшие",
            "Ειδήσεις",
            "Dicas para café",
        ] {
            assert!(!is_hostile_text(text), "{text}");
        }
        assert!(is_hostile_text("a\u{202e}b"));
        assert!(is_hostile_text("\u{85}"));
        assert!(is_hostile_text("日本"));
    }
}
