//! A scanner for the eleven fields of one item's JSON object, for [`super::extract`]. It walks
//! the top-level keys; the values of other keys are skipped (strings with `memchr`, nested
//! values by bracket depth) without being decoded. It answers `None` for anything it does not
//! expect, and the caller asks serde instead, so it only has to be right on input it accepts.
//!
//! Why not serde alone: serde checks and matches every one of the 47 keys and walks every
//! skipped string byte by byte; a diff of two million rows spent most of its time there.

use std::borrow::Cow;

use super::LinkFields;

/// The scanner met what it does not read (serde will).
struct Bail;

/// A value that may be null, or [`Bail`].
type Value<T> = Result<Option<T>, Bail>;

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn ws(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// A string at `i` (just at its quote): its raw inside and whether it has escapes.
    fn raw_string(&mut self) -> Option<(usize, usize, bool)> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            let j = memchr::memchr2(b'"', b'\\', self.b.get(at..)?)?;
            if self.b[at + j] == b'"' {
                self.i = at + j + 1;
                return Some((start, at + j, escaped));
            }
            escaped = true;
            at += j + 2;
        }
    }

    /// A string value (or null).
    fn string(&mut self) -> Value<Cow<'a, str>> {
        self.ws();
        if self.literal(b"null") {
            return Ok(None);
        }
        let (start, end, escaped) = self.raw_string().ok_or(Bail)?;
        let raw = self.text.get(start..end).ok_or(Bail)?;
        if escaped {
            // Rare: let serde undo the escapes.
            let quoted = self.text.get(start - 1..=end).ok_or(Bail)?;
            let s: String = serde_json::from_str(quoted).map_err(|_| Bail)?;
            return Ok(Some(Cow::Owned(s)));
        }
        Ok(Some(Cow::Borrowed(raw)))
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let hit = self.b.get(self.i..self.i + word.len()) == Some(word);
        if hit {
            self.i += word.len();
        }
        hit
    }

    fn boolean(&mut self) -> Value<bool> {
        self.ws();
        if self.literal(b"true") {
            Ok(Some(true))
        } else if self.literal(b"false") {
            Ok(Some(false))
        } else if self.literal(b"null") {
            Ok(None)
        } else {
            Err(Bail)
        }
    }

    /// A whole number (anything else, such as `2.0`, is left to serde).
    fn integer(&mut self) -> Value<i64> {
        self.ws();
        if self.literal(b"null") {
            return Ok(None);
        }
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        if matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E')) {
            return Err(Bail);
        }
        let digits = self.text.get(start..self.i).ok_or(Bail)?;
        digits.parse().map(Some).map_err(|_| Bail)
    }

    fn strings(&mut self) -> Value<Vec<Cow<'a, str>>> {
        self.ws();
        if self.literal(b"null") {
            return Ok(None);
        }
        self.eat(b'[').ok_or(Bail)?;
        let mut out = Vec::new();
        if self.eat(b']').is_some() {
            return Ok(Some(out));
        }
        loop {
            out.push(self.string()?.ok_or(Bail)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Some(out));
                }
                _ => return Err(Bail),
            }
        }
    }

    /// Skips any value.
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match *self.b.get(self.i)? {
            b'"' => self.raw_string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match *self.b.get(self.i)? {
                        b'"' => {
                            self.raw_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                let start = self.i;
                while self.b.get(self.i).is_some_and(|c| {
                    !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }
}

/// The fields of `text`, one JSON object; `None` when it is not what this scanner reads.
pub(super) fn fields(text: &str) -> Option<LinkFields<'_>> {
    let mut s = Scan {
        text,
        b: text.as_bytes(),
        i: 0,
    };
    let mut f = LinkFields::default();
    s.eat(b'{')?;
    if s.eat(b'}').is_some() {
        return s.end(f);
    }
    loop {
        s.ws();
        let (start, end, escaped) = s.raw_string()?;
        if escaped {
            return None;
        }
        s.eat(b':')?;
        match &s.b[start..end] {
            b"url_from" => f.url_from = s.string().ok()?,
            b"url_to" => f.url_to = s.string().ok()?,
            b"item_type" => f.item_type = s.string().ok()?,
            b"anchor" => f.anchor = s.string().ok()?,
            b"dofollow" => f.dofollow = s.boolean().ok()?,
            b"attributes" => f.attributes = s.strings().ok()?,
            b"is_broken" => f.is_broken = s.boolean().ok()?,
            b"url_to_status_code" => f.url_to_status_code = s.integer().ok()?,
            b"url_to_redirect_target" => f.url_to_redirect_target = s.string().ok()?,
            b"semantic_location" => f.semantic_location = s.string().ok()?,
            b"original" => f.original = s.boolean().ok()?,
            _ => s.skip()?,
        }
        s.ws();
        match s.b.get(s.i)? {
            b',' => s.i += 1,
            b'}' => {
                s.i += 1;
                return s.end(f);
            }
            _ => return None,
        }
    }
}

impl Scan<'_> {
    /// Only whitespace may follow the object.
    fn end<T>(&mut self, value: T) -> Option<T> {
        self.ws();
        (self.i == self.b.len()).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(text: &str) -> Option<LinkFields<'_>> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn the_scanner_reads_what_serde_reads() {
        for text in [
            r#"{"url_from":"https://a.example/","url_to":"https://t.example/","item_type":"anchor","anchor":"x","dofollow":true,"attributes":["ugc","nofollow"],"is_broken":false,"url_to_status_code":301,"url_to_redirect_target":null,"semantic_location":"footer","original":false}"#,
            r#" { "anchor" : "quote \" and \\ and \u00e9" , "nested": {"a":[1,{"b":"}]"}],"c":null}, "rank": -12, "attributes": [ ] , "url_to_status_code": -1 } "#,
            r"{}",
            r#"{"attributes":null,"text_pre":"a [ b { c","x":[[],[]],"y":1.5e3,"z":false}"#,
        ] {
            assert_eq!(fields(text), serde(text), "{text}");
            assert!(fields(text).is_some(), "{text}");
        }
    }

    #[test]
    fn what_it_does_not_expect_is_left_to_serde() {
        for text in [
            r#"{"url_to_status_code":2.0}"#,
            r#"{"url_from":"a""#,
            r#"{"url_from":"a"} trailing"#,
            r#"{"dofollow":"yes"}"#,
            r#"{"a\u0062":1}"#,
            r"[1]",
        ] {
            assert_eq!(fields(text), None, "{text}");
        }
    }
}
