//! A fast reader of one JSON object's top-level members: for each, its key and the raw bytes
//! of its value, without building anything. Strings are skipped with `memchr2` (a quote or a
//! backslash), nested objects and lists by depth; a key or value is unescaped only when it
//! has a backslash ([`unescape`]). Malformed input gives a [`ScanError`] with its byte
//! position, never a panic.
//!
//! What it checks: the object's structure (quotes, brackets, commas, colons), that escapes are
//! JSON escapes, that literals are `true`/`false`/`null` and numbers look like numbers, and
//! that nothing but whitespace follows the object. What it leaves to whoever reads a value:
//! the value's type (a member's value is only a span), what a skipped string holds (control
//! characters, lone surrogates: found when it is read), a number's range, and UTF-8 (the caller checks the
//! item's text once).

use std::borrow::Cow;
use std::fmt;

/// `bytes` as text, checked as UTF-8 with SIMD (several times std's speed on the mostly-ASCII
/// text of items); the error is where the first bad byte is.
pub fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes).map_err(|e| e.valid_up_to()),
    }
}

/// `a == b` for short keys, compared eight bytes at a time in place (no call to `memcmp`).
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail = |p: &[u8]| p.iter().fold(0u64, |w, &c| (w << 8) | u64::from(c));
    x.by_ref().zip(y.by_ref()).all(|(p, q)| {
        u64::from_ne_bytes(p.try_into().unwrap_or_default())
            == u64::from_ne_bytes(q.try_into().unwrap_or_default())
    }) && tail(x.remainder()) == tail(y.remainder())
}

/// Nesting deeper than this is refused (serde_json's limit is 128).
const MAX_DEPTH: usize = 128;

/// Why an object could not be read, and where (a byte offset into the scanned text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub at: usize,
    pub what: &'static str,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.what, self.at + 1)
    }
}

impl std::error::Error for ScanError {}

impl ScanError {
    /// Whether the text ended inside the object (more bytes may complete it).
    pub fn is_eof(&self) -> bool {
        self.what.starts_with("EOF")
    }
}

pub(crate) fn err<T>(at: usize, what: &'static str) -> Result<T, ScanError> {
    Err(ScanError { at, what })
}

/// `what` at `at`, or the end of the text when `b` ends before `need`.
fn err_or_eof<T>(b: &[u8], at: usize, need: usize, what: &'static str) -> Result<T, ScanError> {
    if need > b.len() {
        err(b.len(), "EOF while parsing a value")
    } else {
        err(at, what)
    }
}

/// One top-level member of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'a> {
    /// The key's bytes between its quotes, still escaped if `key_escaped`.
    pub key: &'a [u8],
    pub key_escaped: bool,
    /// The value's bytes: a string with its quotes, a number, a literal, an object or list.
    pub value: &'a [u8],
    /// Where the value starts in the scanned text.
    pub at: usize,
    /// The key is the one [`Members::expect`] named.
    pub expected: bool,
}

impl<'a> Member<'a> {
    /// The key, unescaped (borrowed when it has no backslash).
    pub fn key(&self) -> Result<Cow<'a, str>, ScanError> {
        text(self.key, self.key_escaped, self.at)
    }
}

/// The members of the object that `bytes` holds (whitespace around it allowed).
pub fn members(bytes: &[u8]) -> Members<'_> {
    Members {
        b: bytes,
        pos: 0,
        state: State::Start,
        prefix: false,
        expect: b"",
    }
}

/// The members of the object at the start of `bytes` (after whitespace), which may go on
/// after it: [`Members::end`] tells where the object ended.
pub fn members_prefix(bytes: &[u8]) -> Members<'_> {
    Members {
        prefix: true,
        ..members(bytes)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    /// After `{` or a member: a key, `,` or `}` next.
    First,
    Next,
    Done,
}

/// The iterator of [`members`]; it stops after the first error.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    b: &'a [u8],
    pos: usize,
    state: State,
    /// Whether bytes may follow the object.
    prefix: bool,
    /// The key the next member likely has (see [`Members::expect`]).
    expect: &'static [u8],
}

impl<'a> Members<'a> {
    /// Just after the object's `}`, once every member was read.
    pub fn end(&self) -> usize {
        self.pos
    }

    /// Names the key the next member likely has (a plain key: no quote, no backslash): when
    /// it has it, the key is known by one comparison, without looking for its closing quote,
    /// and the member says [`Member::expected`].
    pub fn expect(&mut self, key: &'static str) {
        self.expect = key.as_bytes();
    }

    fn step(&mut self) -> Result<Option<Member<'a>>, ScanError> {
        let b = self.b;
        let mut i = skip_ws(b, self.pos);
        match self.state {
            State::Done => return Ok(None),
            State::Start => {
                if b.get(i) != Some(&b'{') {
                    return err(i, "expected an object");
                }
                i = skip_ws(b, i + 1);
                self.state = State::First;
                if b.get(i) == Some(&b'}') {
                    return self.finish(i + 1);
                }
            }
            State::First | State::Next => match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => return self.finish(i + 1),
                Some(_) => return err(i, "expected ',' or '}'"),
                None => return err(i, "EOF while parsing an object"),
            },
        }
        if b.get(i) != Some(&b'"') {
            return err_or_eof(b, i, i + 1, "expected a key");
        }
        let expect = std::mem::take(&mut self.expect);
        let n = expect.len();
        let expected = n > 0
            && b.get(i + 1 + n) == Some(&b'"')
            && b.get(i + 1..i + 1 + n).is_some_and(|k| same(k, expect));
        let (key_end, key_escaped) = if expected {
            (i + 2 + n, false)
        } else {
            string_end(b, i)?
        };
        let key = &b[i + 1..key_end - 1];
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return err_or_eof(b, i, i + 1, "expected ':'");
        }
        let at = skip_ws(b, i + 1);
        let end = value_end(b, at)?;
        self.pos = end;
        self.state = State::Next;
        Ok(Some(Member {
            key,
            key_escaped,
            value: &b[at..end],
            at,
            expected,
        }))
    }

    fn finish(&mut self, after: usize) -> Result<Option<Member<'a>>, ScanError> {
        self.pos = after;
        self.state = State::Done;
        let rest = skip_ws(self.b, after);
        if !self.prefix && rest < self.b.len() {
            return err(rest, "trailing characters");
        }
        Ok(None)
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = Result<Member<'a>, ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(m) => m.map(Ok),
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(c) = b.get(i) {
        if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        i += 1;
    }
    i
}

/// Just after the closing quote of the string opening at `b[i]`, and whether it has escapes.
pub(crate) fn string_end(b: &[u8], i: usize) -> Result<(usize, bool), ScanError> {
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        let Some(k) = memchr::memchr2(b'"', b'\\', &b[j.min(b.len())..]) else {
            return err(b.len(), "EOF while parsing a string");
        };
        j += k;
        if b[j] == b'"' {
            return Ok((j + 1, escaped));
        }
        escaped = true;
        match b.get(j + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
            Some(b'u') => {
                let hex = b.get(j + 2..j + 6);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return err_or_eof(b, j, j + 6, "invalid \\u escape");
                }
                j += 6;
            }
            Some(_) => return err(j, "invalid escape"),
            None => return err(b.len(), "EOF while parsing a string"),
        }
    }
}

/// Just after the value starting at `b[i]`.
pub(crate) fn value_end(b: &[u8], i: usize) -> Result<usize, ScanError> {
    match b.get(i) {
        Some(b'"') => string_end(b, i).map(|(end, _)| end),
        Some(b'{' | b'[') => nested_end(b, i),
        Some(b't') => literal(b, i, b"true"),
        Some(b'f') => literal(b, i, b"false"),
        Some(b'n') => literal(b, i, b"null"),
        Some(b'-' | b'0'..=b'9') => number_end(b, i),
        Some(_) => err(i, "expected a value"),
        None => err(i, "EOF while parsing a value"),
    }
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize, ScanError> {
    let have = &b[i..b.len().min(i + word.len())];
    if have == word {
        Ok(i + word.len())
    } else if word.starts_with(have) {
        err(b.len(), "EOF while parsing a value")
    } else {
        err(i, "expected a value")
    }
}

/// A JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_end(b: &[u8], i: usize) -> Result<usize, ScanError> {
    let digits = |mut j: usize| {
        let from = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        (j, j - from)
    };
    let mut j = i + usize::from(b[i] == b'-');
    let (end, n) = digits(j);
    if n == 0 || (n > 1 && b[j] == b'0') {
        return err_or_eof(b, j, j + 1, "invalid number");
    }
    j = end;
    if b.get(j) == Some(&b'.') {
        let (end, n) = digits(j + 1);
        if n == 0 {
            return err_or_eof(b, j, j + 2, "invalid number");
        }
        j = end;
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let (end, n) = digits(j);
        if n == 0 {
            return err_or_eof(b, j, j + 1, "invalid number");
        }
        j = end;
    }
    Ok(j)
}

/// Just after the object or list opening at `b[i]`, checking its structure as far as
/// brackets, strings, commas and colons go (scalars are checked as [`value_end`] does).
fn nested_end(b: &[u8], i: usize) -> Result<usize, ScanError> {
    // The open brackets, innermost last: true for an object.
    let mut stack = [false; MAX_DEPTH];
    let mut depth = 0usize;
    let mut j = i;
    loop {
        // `j` is at the start of a value.
        match b.get(j).copied() {
            Some(c @ (b'{' | b'[')) => {
                if depth == MAX_DEPTH {
                    return err(j, "nested too deep");
                }
                stack[depth] = c == b'{';
                depth += 1;
                j = skip_ws(b, j + 1);
                let close = if c == b'{' { b'}' } else { b']' };
                if b.get(j) == Some(&close) {
                    depth -= 1;
                    j += 1;
                } else {
                    if c == b'{' {
                        j = object_key(b, j)?;
                    }
                    continue;
                }
            }
            _ => j = value_end(b, j)?,
        }
        // A value just ended: a separator (then the next value) or closing brackets.
        loop {
            if depth == 0 {
                return Ok(j);
            }
            j = skip_ws(b, j);
            let in_object = stack[depth - 1];
            let close = if in_object { b'}' } else { b']' };
            match b.get(j) {
                Some(b',') => {
                    j = skip_ws(b, j + 1);
                    if in_object {
                        j = object_key(b, j)?;
                    }
                    break;
                }
                Some(&c) if c == close => {
                    depth -= 1;
                    j += 1;
                }
                Some(_) => return err(j, "expected ',' or a closing bracket"),
                None => return err(j, "EOF while parsing a value"),
            }
        }
    }
}

/// Skips `"key" :` at `b[j]`; returns where the value starts.
fn object_key(b: &[u8], j: usize) -> Result<usize, ScanError> {
    if b.get(j) != Some(&b'"') {
        return err_or_eof(b, j, j + 1, "expected a key");
    }
    let (end, _) = string_end(b, j)?;
    let k = skip_ws(b, end);
    if b.get(k) != Some(&b':') {
        return err_or_eof(b, k, k + 1, "expected ':'");
    }
    Ok(skip_ws(b, k + 1))
}

/// The elements of a list value (`[…]`, its bytes starting at offset `at` of the scanned
/// text): each element's bytes and offset, or the first error.
pub fn elements(list: &[u8], at: usize) -> Result<Vec<(&[u8], usize)>, ScanError> {
    if list.first() != Some(&b'[') {
        return err(at, "invalid type: expected a list");
    }
    let mut out = Vec::new();
    let mut i = skip_ws(list, 1);
    if list.get(i) == Some(&b']') {
        return Ok(out);
    }
    loop {
        let end = value_end(list, i).map_err(|e| ScanError {
            at: at + e.at,
            what: e.what,
        })?;
        out.push((&list[i..end], at + i));
        i = skip_ws(list, end);
        match list.get(i) {
            Some(b',') => i = skip_ws(list, i + 1),
            Some(b']') => return Ok(out),
            _ => return err(at + i, "expected ',' or ']'"),
        }
    }
}

/// Whether `bytes` is one JSON value, whitespace around it allowed (structure only, as for
/// [`members`]).
pub fn check_value(bytes: &[u8]) -> Result<(), ScanError> {
    let end = value_end(bytes, skip_ws(bytes, 0))?;
    let rest = skip_ws(bytes, end);
    if rest < bytes.len() {
        return err(rest, "trailing characters");
    }
    Ok(())
}

/// The text between a string's quotes, unescaped when `escaped` (`at` for errors).
fn text(raw: &[u8], escaped: bool, at: usize) -> Result<Cow<'_, str>, ScanError> {
    if escaped {
        unescape(raw, at).map(Cow::Owned)
    } else {
        std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .or_else(|_| err(at, "invalid UTF-8"))
    }
}

/// A string value (with its quotes) as text; `None` for `null`; an error for anything else.
pub fn string_or_null(value: &[u8], at: usize) -> Result<Option<Cow<'_, str>>, ScanError> {
    match value {
        b"null" => Ok(None),
        [b'"', inner @ .., b'"'] => {
            let escaped = memchr::memchr(b'\\', inner).is_some();
            text(inner, escaped, at).map(Some)
        }
        _ => err(at, "invalid type: expected a string"),
    }
}

/// The strings of a list value (`["a","b"]`), handed to `each`; `false` for `null`.
pub fn each_string<'a>(
    value: &'a [u8],
    at: usize,
    mut each: impl FnMut(Cow<'a, str>),
) -> Result<bool, ScanError> {
    if value == b"null" {
        return Ok(false);
    }
    if value.first() != Some(&b'[') {
        return err(at, "invalid type: expected a list");
    }
    let mut i = skip_ws(value, 1);
    if value.get(i) == Some(&b']') {
        return Ok(true);
    }
    loop {
        if value.get(i) != Some(&b'"') {
            return err(at + i, "invalid type: expected a string");
        }
        let (end, escaped) = string_end(value, i)?;
        each(text(&value[i + 1..end - 1], escaped, at + i)?);
        i = skip_ws(value, end);
        match value.get(i) {
            Some(b',') => i = skip_ws(value, i + 1),
            Some(b']') => return Ok(true),
            _ => return err(at + i, "expected ',' or ']'"),
        }
    }
}

/// A whole number (`i64`); `None` for `null`; an error for anything else (as serde_json
/// reads an `Option<i64>`: no fraction, no exponent, in range).
pub fn int_or_null(value: &[u8], at: usize) -> Result<Option<i64>, ScanError> {
    if value == b"null" {
        return Ok(None);
    }
    let (neg, digits) = match value {
        [b'-', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return err(at, "invalid type: expected a whole number");
    }
    let mut v: i64 = 0;
    for &d in digits {
        let d = i64::from(d - b'0');
        v = v
            .checked_mul(10)
            .and_then(|v| {
                if neg {
                    v.checked_sub(d)
                } else {
                    v.checked_add(d)
                }
            })
            .map_or_else(|| err(at, "number out of range"), Ok)?;
    }
    Ok(Some(v))
}

/// `true`, `false` or `null`.
pub fn bool_or_null(value: &[u8], at: usize) -> Result<Option<bool>, ScanError> {
    match value {
        b"true" => Ok(Some(true)),
        b"false" => Ok(Some(false)),
        b"null" => Ok(None),
        _ => err(at, "invalid type: expected true or false"),
    }
}

/// The text of a JSON string's inside (between its quotes), escapes resolved.
pub fn unescape(raw: &[u8], at: usize) -> Result<String, ScanError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let Some(k) = memchr::memchr(b'\\', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            break;
        };
        out.extend_from_slice(&raw[i..i + k]);
        i += k;
        let c = match raw.get(i + 1) {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 8,
            Some(b'f') => 12,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                let (ch, used) = unicode_escape(raw, i, at)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += used;
                continue;
            }
            _ => return err(at + i, "invalid escape"),
        };
        out.push(c);
        i += 2;
    }
    String::from_utf8(out).or_else(|_| err(at, "invalid UTF-8"))
}

/// The character of `\uXXXX` (or a surrogate pair `\uXXXX\uXXXX`) at `raw[i]`, and its length.
fn unicode_escape(raw: &[u8], i: usize, at: usize) -> Result<(char, usize), ScanError> {
    let hex = |j: usize| -> Result<u32, ScanError> {
        raw.get(j + 2..j + 6)
            .filter(|_| raw.get(j..j + 2) == Some(b"\\u"))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .map_or_else(|| err(at + j, "invalid \\u escape"), Ok)
    };
    let first = hex(i)?;
    match first {
        0xD800..=0xDBFF => {
            let second = hex(i + 6).or_else(|_| err(at + i, "lone leading surrogate"))?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return err(at + i, "lone leading surrogate");
            }
            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            char::from_u32(c).map_or_else(|| err(at + i, "invalid \\u escape"), |c| Ok((c, 12)))
        }
        0xDC00..=0xDFFF => err(at + i, "lone trailing surrogate"),
        c => char::from_u32(c).map_or_else(|| err(at + i, "invalid \\u escape"), |c| Ok((c, 6))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Result<Vec<(String, String)>, ScanError> {
        members(text.as_bytes())
            .map(|m| {
                let m = m?;
                Ok((
                    m.key()?.into_owned(),
                    String::from_utf8(m.value.to_vec()).unwrap(),
                ))
            })
            .collect()
    }

    #[test]
    fn members_come_with_their_raw_values() {
        let got = all(
            r#" {"a":1, "b" : "x\"y", "c":{"d":[1,{"e":"}"}],"f":null},"g":[],"h":-2.5e3,"i":true} "#,
        )
        .unwrap();
        let want = [
            ("a", "1"),
            ("b", r#""x\"y""#),
            ("c", r#"{"d":[1,{"e":"}"}],"f":null}"#),
            ("g", "[]"),
            ("h", "-2.5e3"),
            ("i", "true"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (&k[..], &v[..])).collect();
        assert_eq!(got, want);
        assert_eq!(all("{}").unwrap(), vec![]);
        let mut it = members_prefix(br#" {"a":[1]} ,{"b":2}"#);
        assert_eq!(it.next().unwrap().unwrap().value, b"[1]");
        assert!(it.next().is_none());
        assert_eq!(it.end(), 10);
        let mut it = members_prefix(br#"{"a":[1"#);
        assert!(it.next().unwrap().unwrap_err().is_eof());
        assert_eq!(all(r#"{"k\u00e9y":{}}"#).unwrap()[0].0, "kéy");
    }

    #[test]
    fn malformed_objects_are_errors() {
        for bad in [
            "",
            "[]",
            "{",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":1} x"#,
            r#"{"a":[1,]}"#,
            r#"{"a":[1}"#,
            r#"{"a":{"b":1]}"#,
            r#"{"a":{1:2}}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":tru}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":-}"#,
            r#"{"a":"b}"#,
            r#"{"a":{"b":"c"}"#,
            r#"{,"a":1}"#,
        ] {
            assert!(all(bad).is_err(), "{bad:?}");
        }
        let deep = format!(r#"{{"a":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(all(&deep).is_err());
    }

    /// Every prefix of a valid object is an error (never a panic), and the scanner agrees
    /// with serde_json on random corruptions of one.
    #[test]
    fn truncations_and_corruptions_never_panic_and_agree_with_serde() {
        let text = r#"{"url":"https://x.com/a?b=\"c\"&d=\\e","n":-12,"t":"\ud83d\ude00 é ✓","l":["a",{"b":[null,true,false]},[]],"o":{"p":{"q":"]}"}},"f":1.5e-3}"#;
        assert!(all(text).is_ok());
        for cut in 0..text.len() {
            let Some(prefix) = text.get(..cut) else {
                continue;
            };
            let e = all(prefix).unwrap_err();
            assert!(cut == 0 || e.is_eof(), "{prefix:?}: {e}");
        }
        let hostile = b"\"\\{}[],:0123456789-+.eEtrufalsn \t\n";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..=(next() % 3) {
                let at = (next() % bytes.len() as u64) as usize;
                let c = hostile[(next() % hostile.len() as u64) as usize];
                match next() % 3 {
                    0 => bytes[at] = c,
                    1 => bytes.insert(at, c),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            let Ok(s) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let ours = all(s).is_ok();
            let theirs = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(s);
            // What is inside a skipped string (control characters, surrogates) is left to
            // the value's reader; on everything else they agree.
            if ours != theirs.is_ok() {
                let inside_string = theirs.as_ref().err().is_some_and(|e| {
                    let e = e.to_string();
                    e.contains("control character")
                        || e.contains("surrogate")
                        || e.contains("hex escape")
                        || e.contains("out of range")
                });
                assert!(inside_string, "scanner {ours} vs serde {theirs:?} on {s}");
            }
        }
    }

    #[test]
    fn values_read_as_serde_reads_them() {
        assert_eq!(int_or_null(b"-42", 0), Ok(Some(-42)));
        assert_eq!(int_or_null(b"null", 0), Ok(None));
        assert_eq!(int_or_null(b"-9223372036854775808", 0), Ok(Some(i64::MIN)));
        for bad in [
            &b"1.5"[..],
            b"1e3",
            b"9223372036854775808",
            b"\"1\"",
            b"-",
            b"",
        ] {
            assert!(int_or_null(bad, 0).is_err(), "{bad:?}");
        }
        assert_eq!(bool_or_null(b"false", 0), Ok(Some(false)));
        assert!(bool_or_null(b"0", 0).is_err());
        assert_eq!(
            string_or_null(br#""a\nb\u00e9\ud83d\ude00""#, 0)
                .unwrap()
                .as_deref(),
            Some("a\nbé😀")
        );
        assert!(matches!(
            string_or_null(br#""plain""#, 0).unwrap(),
            Some(Cow::Borrowed("plain"))
        ));
        assert!(string_or_null(br#""\ud83d""#, 0).is_err());
        assert!(string_or_null(br#""\ude00""#, 0).is_err());
        assert!(string_or_null(b"5", 0).is_err());
        let mut got = Vec::new();
        assert_eq!(
            each_string(br#"[ "a" , "b\"c" ]"#, 0, |s| got.push(s.into_owned())),
            Ok(true)
        );
        assert_eq!(got, ["a", "b\"c"]);
        assert_eq!(each_string(b"null", 0, |_| {}), Ok(false));
        let els = elements(br#"[ {"a":[1]} , 2,"x" ]"#, 10).unwrap();
        let els: Vec<(&[u8], usize)> = els;
        assert_eq!(
            els,
            [
                (&br#"{"a":[1]}"#[..], 12),
                (&b"2"[..], 24),
                (&br#""x""#[..], 26)
            ]
        );
        assert!(elements(b"[1,]", 0).is_err());
        assert!(elements(b"{}", 0).is_err());
        assert!(each_string(b"[1]", 0, |_| {}).is_err());
        assert!(each_string(b"{}", 0, |_| {}).is_err());
    }
}
