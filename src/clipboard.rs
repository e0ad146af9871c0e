//! The system clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64> BEL`). The
//! terminal, not this process, owns the clipboard, so copying works over SSH and inside tmux
//! (with `set-clipboard on`) without any display server or helper program.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Largest payload sent, in bytes before encoding. Many terminals drop OSC 52 sequences
/// beyond about 100 kB; base64 grows the text by a third, so 74,000 bytes stay under that.
pub const MAX_COPY_BYTES: usize = 74_000;

/// The escape sequence that puts `text` on the clipboard ("c" = the clipboard selection).
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", STANDARD.encode(text))
}

/// `text` cut to at most `max` bytes at a character boundary, and whether it was cut.
pub fn cap(text: &str, max: usize) -> (Cow<'_, str>, bool) {
    if text.len() <= max {
        return (Cow::Borrowed(text), false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (Cow::Borrowed(&text[..end]), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_exactly_osc52_around_the_base64_of_the_text() {
        let seq = osc52("https://www.opencart.com/");
        let body = seq
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|s| s.strip_suffix('\u{7}'))
            .expect("ESC ] 52 ; c ; … BEL");
        assert_eq!(body, "aHR0cHM6Ly93d3cub3BlbmNhcnQuY29tLw==");
        assert_eq!(STANDARD.decode(body).unwrap(), b"https://www.opencart.com/");
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
    }

    #[test]
    fn hostile_text_cannot_end_the_sequence_early() {
        let seq = osc52("a\u{7}b\u{1b}\\c\u{1b}]0;title\u{7}");
        assert_eq!(seq.matches('\u{7}').count(), 1, "only the terminating BEL");
        assert_eq!(seq.matches('\u{1b}').count(), 1, "only the introducing ESC");
    }

    #[test]
    fn caps_cut_at_character_boundaries() {
        assert_eq!(cap("short", 10), (Cow::Borrowed("short"), false));
        let (cut, was_cut) = cap("ab日本", 4);
        assert_eq!(
            (cut.as_ref(), was_cut),
            ("ab", true),
            "never half a character"
        );
        let big = "x".repeat(MAX_COPY_BYTES + 10);
        let (cut, was_cut) = cap(&big, MAX_COPY_BYTES);
        assert!(was_cut);
        assert!(osc52(&cut).len() < 100_000);
    }
}
