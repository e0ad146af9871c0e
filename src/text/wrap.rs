//! Word wrapping of already-sanitised text into lines of at most `width` cells, keeping a tag
//! (a style, an emphasis flag) on every piece. Runs of whitespace collapse to one space; a word
//! wider than the line (a long URL) is broken at character boundaries.

use unicode_width::UnicodeWidthChar;

use super::width;

/// Wraps tagged segments into lines of `(text, tag)` pieces, each line at most `width` cells.
/// Always returns at least one (possibly empty) line.
pub fn wrap_tagged<T: Copy + PartialEq>(
    segments: &[(&str, T)],
    width: usize,
) -> Vec<Vec<(String, T)>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<(String, T)>> = vec![Vec::new()];
    let mut used = 0usize;
    // Whether a space is owed before the next word (pending whitespace between words).
    let mut space_owed = false;
    // The tag of the text the owed space came from.
    let mut space_tag: Option<T> = None;
    for (text, tag) in segments {
        if text.starts_with(char::is_whitespace) {
            space_owed = used > 0;
            space_tag = Some(*tag);
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                space_owed = used > 0;
                space_tag = Some(*tag);
            }
            let w = width_of(word);
            let sep = usize::from(space_owed);
            if used > 0 && used + sep + w > width {
                lines.push(Vec::new());
                used = 0;
                space_owed = false;
            }
            if space_owed {
                // The space takes the tag of the text it sits in.
                push(lines.last_mut(), " ", space_tag.unwrap_or(*tag));
                used += 1;
                space_owed = false;
            }
            let mut rest: &str = word;
            while width_of(rest) > width - used {
                let (head, tail) = split_at_width(rest, width - used);
                if head.is_empty() && used == 0 {
                    // A single character wider than the line: emit it anyway.
                    let c_len = rest.chars().next().map_or(rest.len(), char::len_utf8);
                    push(lines.last_mut(), &rest[..c_len], *tag);
                    rest = &rest[c_len..];
                } else {
                    push(lines.last_mut(), head, *tag);
                    rest = tail;
                }
                lines.push(Vec::new());
                used = 0;
                if rest.is_empty() {
                    break;
                }
            }
            if !rest.is_empty() {
                push(lines.last_mut(), rest, *tag);
                used += width_of(rest);
            }
        }
        if text.ends_with(char::is_whitespace) && used > 0 {
            space_owed = true;
            space_tag = Some(*tag);
        }
    }
    if lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

/// Wraps plain text: the lines as strings.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_tagged(&[(text, ())], width)
        .into_iter()
        .map(|pieces| pieces.into_iter().map(|(s, ())| s).collect())
        .collect()
}

/// Cuts `text` into pieces of at most `width` cells at character boundaries, keeping every
/// character (spaces included): for code, where words are not the unit.
pub fn wrap_hard(text: &str, width: usize) -> Vec<&str> {
    let width = width.max(2);
    let mut out = Vec::new();
    let mut rest = text;
    while width_of(rest) > width {
        let (head, tail) = split_at_width(rest, width);
        out.push(head);
        rest = tail;
    }
    out.push(rest);
    out
}

fn width_of(s: &str) -> usize {
    width(s)
}

/// Appends to the last piece when it has the same tag, so a line holds few pieces.
fn push<T: Copy + PartialEq>(line: Option<&mut Vec<(String, T)>>, s: &str, tag: T) {
    let Some(line) = line else { return };
    match line.last_mut() {
        Some((text, t)) if *t == tag => text.push_str(s),
        _ => line.push((s.to_owned(), tag)),
    }
}

/// The longest prefix of `s` that fits in `max` cells, and the rest.
fn split_at_width(s: &str, max: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            return s.split_at(i);
        }
        used += w;
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fill_lines_greedily() {
        assert_eq!(
            wrap("the quick brown fox jumps over", 10),
            vec!["the quick", "brown fox", "jumps over"]
        );
        assert_eq!(wrap("  spaced\t\tout  ", 20), vec!["spaced out"]);
        assert_eq!(wrap("", 5), vec![""]);
    }

    #[test]
    fn long_words_break_and_wide_characters_count_twice() {
        assert_eq!(
            wrap("https://example.com/a/very/long/path", 12),
            vec!["https://exam", "ple.com/a/ve", "ry/long/path"]
        );
        assert_eq!(
            wrap("日本語のテキスト", 5),
            vec!["日本", "語の", "テキ", "スト"]
        );
        for line in wrap("日本語 のテキスト 🙂🙂🙂 abc", 5) {
            assert!(width(&line) <= 5, "{line:?}");
        }
    }

    #[test]
    fn hard_wrapping_keeps_every_character() {
        assert_eq!(
            wrap_hard("\"url\": \"a  b\"", 6),
            vec!["\"url\":", " \"a  b", "\""]
        );
        assert_eq!(wrap_hard("", 6), vec![""]);
        assert_eq!(wrap_hard("日本語", 4), vec!["日本", "語"]);
    }

    #[test]
    fn tags_follow_their_words_and_spaces_sit_between_segments() {
        let lines = wrap_tagged(
            &[("read the ", false), ("anchor", true), (" now", false)],
            40,
        );
        assert_eq!(
            lines,
            vec![vec![
                ("read the ".to_owned(), false),
                ("anchor".to_owned(), true),
                (" now".to_owned(), false),
            ]]
        );
        // No space is invented between segments that touch.
        let lines = wrap_tagged(&[("pre", false), ("fix", true)], 40);
        assert_eq!(
            lines[0].iter().map(|(s, _)| s.as_str()).collect::<String>(),
            "prefix"
        );
    }
}
