//! A CSV/TSV record splitter for the row store: the fields of one record as spans of the
//! bytes, found with `memchr` (the delimiter or a line break; a quote inside a quoted field),
//! read as the `csv` crate reads them: a quote opens a quoted field only at a field's start,
//! `""` inside one is a quote, a line break inside one is text, `\r\n` ends a record as `\n`
//! does, blank lines are no records. Nothing is copied unless a field has a `""`.

use std::borrow::Cow;

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The bytes between the quotes of a quoted field (with `""` still doubled when
    /// `escaped`), or the whole field.
    pub raw: &'a [u8],
    pub quoted: bool,
    pub escaped: bool,
}

impl<'a> Field<'a> {
    /// The field's bytes, `""` read as `"`.
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        if !self.escaped {
            return Cow::Borrowed(self.raw);
        }
        let mut out = Vec::with_capacity(self.raw.len());
        let mut i = 0;
        while let Some(k) = memchr::memchr(b'"', &self.raw[i..]) {
            out.extend_from_slice(&self.raw[i..i + k]);
            i += k + 1;
            if self.raw.get(i) == Some(&b'"') {
                out.push(b'"');
                i += 1;
            } else {
                // The closing quote of `"a"b`: what follows it is plain text.
                break;
            }
        }
        out.extend_from_slice(&self.raw[i..]);
        Cow::Owned(out)
    }

    /// The field as text (`None` when it is not UTF-8).
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self.bytes() {
            Cow::Borrowed(b) => std::str::from_utf8(b).ok().map(Cow::Borrowed),
            Cow::Owned(b) => String::from_utf8(b).ok().map(Cow::Owned),
        }
    }
}

/// A record found by [`split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Where the record starts (after blank lines before it).
    pub start: usize,
    /// Just after its line break (or the end of the bytes).
    pub end: usize,
    /// Line breaks from the start of the bytes to the record's start.
    pub lines_before: u64,
}

/// The next record of `buf` from `from`: its fields into `fields` (cleared first). `None`
/// when only blank lines are left, or when the record is cut by the end of `buf` and `last`
/// is false (read more, then call again from the same place).
pub fn split<'a>(
    buf: &'a [u8],
    from: usize,
    delimiter: u8,
    last: bool,
    fields: &mut Vec<Field<'a>>,
) -> Option<Record> {
    fields.clear();
    let mut i = from;
    let mut lines_before = 0u64;
    // Blank lines are no records.
    loop {
        match buf.get(i) {
            Some(b'\n') => {
                i += 1;
                lines_before += 1;
            }
            Some(b'\r') if buf.get(i + 1) == Some(&b'\n') => {
                i += 2;
                lines_before += 1;
            }
            Some(_) => break,
            None => return None,
        }
    }
    let start = i;
    loop {
        // At a field's start.
        if buf.get(i) == Some(&b'"') {
            let open = i + 1;
            let mut j = open;
            let mut escaped = false;
            let close = loop {
                let Some(k) = memchr::memchr(b'"', &buf[j..]) else {
                    if !last {
                        return None;
                    }
                    // A quote never closed: the rest is the field, as the `csv` crate reads it.
                    break buf.len();
                };
                j += k;
                if buf.get(j + 1) == Some(&b'"') {
                    escaped = true;
                    j += 2;
                    continue;
                }
                if j + 1 >= buf.len() && !last {
                    return None; // the next byte may be a second quote
                }
                break j;
            };
            // Text after the closing quote (`"a"b`) belongs to the field too.
            let after = (close + 1).min(buf.len());
            let end = field_end(buf, after, delimiter);
            let raw_end = if end > after { end } else { close };
            let raw = &buf[open.min(raw_end)..raw_end];
            fields.push(Field {
                raw,
                quoted: true,
                escaped: escaped || end > after,
            });
            i = end;
        } else {
            let end = field_end(buf, i, delimiter);
            let mut raw = &buf[i..end];
            if buf.get(end) != Some(&delimiter) {
                raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            }
            fields.push(Field {
                raw,
                quoted: false,
                escaped: false,
            });
            i = end;
        }
        // A field ends at a line break, the delimiter or the end of the bytes.
        match buf.get(i) {
            Some(b'\n') => {
                return Some(Record {
                    start,
                    end: i + 1,
                    lines_before,
                });
            }
            Some(_) => i += 1,
            None if last => {
                return Some(Record {
                    start,
                    end: i,
                    lines_before,
                });
            }
            None => return None,
        }
    }
}

/// Where an unquoted field from `i` ends: at the delimiter, a line break or the end.
fn field_end(buf: &[u8], i: usize, delimiter: u8) -> usize {
    memchr::memchr2(delimiter, b'\n', &buf[i.min(buf.len())..]).map_or(buf.len(), |k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut fields = Vec::new();
        let mut at = 0;
        while let Some(r) = split(text.as_bytes(), at, b',', true, &mut fields) {
            out.push(
                fields
                    .iter()
                    .map(|f| f.text().unwrap().into_owned())
                    .collect(),
            );
            at = r.end;
        }
        out
    }

    fn csv_crate(text: &str) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn records_split_as_the_csv_crate_reads_them() {
        for text in [
            "a,b,c\n1,2,3\n",
            "a,\"b,\"\"x\"\"\ny\",c\r\n\n\n,,\n\"\"\n",
            "last,line,without,break",
            "x,\"unclosed\n",
            "é,\"ü\"\"\",'=1\n\"a\"b,c\n",
            "\"\",\"\"\"\"\n",
        ] {
            assert_eq!(records(text), csv_crate(text), "{text:?}");
        }
    }

    #[test]
    fn a_record_cut_by_the_end_of_a_block_asks_for_more() {
        let text = b"a,\"b\nc\",d\ne,f\n";
        let mut fields = Vec::new();
        for cut in 1..9 {
            assert_eq!(
                split(&text[..cut], 0, b',', false, &mut fields),
                None,
                "{cut}"
            );
        }
        let r = split(text, 0, b',', false, &mut fields).unwrap();
        assert_eq!((r.start, r.end), (0, 10));
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[1].raw, b"b\nc");
        let r = split(b"\n\r\nx\n", 0, b',', true, &mut fields).unwrap();
        assert_eq!((r.start, r.lines_before), (3, 2));
    }

    /// Random records of hostile cells read back as the `csv` crate reads them.
    #[test]
    fn random_records_agree_with_the_csv_crate() {
        let cells = [
            "", "a", "\"", ",", "\n", "\r\n", "\"\"", "x\"y", "é", " ", "'=",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut wtr = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for _ in 0..2000 {
            let n = 1 + next() % 5;
            let row: Vec<String> = (0..n)
                .map(|_| {
                    (0..next() % 4)
                        .map(|_| cells[(next() % cells.len() as u64) as usize])
                        .collect()
                })
                .collect();
            wtr.write_record(&row).unwrap();
        }
        let text = String::from_utf8(wtr.into_inner().unwrap()).unwrap();
        assert_eq!(records(&text), csv_crate(&text));
    }
}
