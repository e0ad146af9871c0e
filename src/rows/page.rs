//! API pages into a store: each item's JSON text goes to the spill file as it came, its
//! column values to the columns. The body is checked as UTF-8 once (SIMD), and walked once:
//! down `tasks[0].result[0].items` without reading what it passes more than to skip it, and
//! each item read once for its columns where it lies; nothing is allocated per field and no
//! `Backlink` is built.

use super::compact::CompactRow;
use super::scan::{self, ScanError, err, skip_ws, string_end, value_end};
use super::{RowStore, RowsError};

/// One step down the envelope.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// The value of an object's member (its first occurrence).
    Member(&'static str),
    /// The first element of a list.
    First,
}

/// The way to the items.
const TO_ITEMS: [Step; 5] = [
    Step::Member("tasks"),
    Step::First,
    Step::Member("result"),
    Step::First,
    Step::Member("items"),
];

/// The items of `tasks[0].result[0].items` in a response body, each read for its columns:
/// (row, item's offset, item's length). Everything else is checked for structure only.
fn page_rows(body: &str) -> Result<Vec<Item<'_>>, ScanError> {
    let b = body.as_bytes();
    let mut rows = Vec::new();
    let at = skip_ws(b, 0);
    let end = descend(body, at, &TO_ITEMS, &mut rows)?;
    let rest = skip_ws(b, end);
    if rest < b.len() {
        return err(rest, "trailing characters");
    }
    Ok(rows)
}

/// Follows `path` into the value at `i` (the items list when `path` is empty); returns
/// where that value ends. A null (or a missing member, or an empty list) on the way means no
/// items.
fn descend<'a>(
    body: &'a str,
    i: usize,
    path: &[Step],
    rows: &mut Vec<Item<'a>>,
) -> Result<usize, ScanError> {
    let b = body.as_bytes();
    if b[i..].starts_with(b"null") {
        return value_end(b, i);
    }
    let Some((step, rest)) = path.split_first() else {
        return items(body, i, rows);
    };
    match *step {
        Step::Member(want) => {
            if b.get(i) != Some(&b'{') {
                return match b.get(i) {
                    None => err(i, "EOF while parsing a value"),
                    Some(_) => err(i, "invalid type: expected an object"),
                };
            }
            let mut j = skip_ws(b, i + 1);
            if b.get(j) == Some(&b'}') {
                return Ok(j + 1);
            }
            let mut found = false;
            loop {
                if b.get(j) != Some(&b'"') {
                    return err(j, "expected a key");
                }
                let (key_end, escaped) = string_end(b, j)?;
                let key = &b[j + 1..key_end - 1];
                j = skip_ws(b, key_end);
                if b.get(j) != Some(&b':') {
                    return err(j, "expected ':'");
                }
                let v = skip_ws(b, j + 1);
                let matches = !found && !escaped && key == want.as_bytes();
                j = if matches {
                    found = true;
                    descend(body, v, rest, rows)?
                } else {
                    value_end(b, v)?
                };
                j = skip_ws(b, j);
                match b.get(j) {
                    Some(b',') => j = skip_ws(b, j + 1),
                    Some(b'}') => return Ok(j + 1),
                    Some(_) => return err(j, "expected ',' or '}'"),
                    None => return err(j, "EOF while parsing an object"),
                }
            }
        }
        Step::First => list(b, i, |k, at| {
            if k == 0 {
                descend(body, at, rest, rows)
            } else {
                value_end(b, at)
            }
        }),
    }
}

/// The list at `i`, each element handed to `element` (its index and start), which returns
/// where it ends; returns where the list ends.
fn list(
    b: &[u8],
    i: usize,
    element: impl FnMut(usize, usize) -> Result<usize, ScanError>,
) -> Result<usize, ScanError> {
    match b.get(i) {
        Some(b'[') => {}
        None => return err(i, "EOF while parsing a value"),
        Some(_) => return err(i, "invalid type: expected a list"),
    }
    let j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b']') {
        return Ok(j + 1);
    }
    list_from(b, j, element)
}

/// The rest of a list from `j`, an element's start inside it: as [`list`].
fn list_from(
    b: &[u8],
    mut j: usize,
    mut element: impl FnMut(usize, usize) -> Result<usize, ScanError>,
) -> Result<usize, ScanError> {
    let mut k = 0;
    loop {
        j = skip_ws(b, element(k, j)?);
        k += 1;
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b']') => return Ok(j + 1),
            Some(_) => return err(j, "expected ',' or ']'"),
            None => return err(j, "EOF while parsing a list"),
        }
    }
}

/// One item read: its row, where it starts and how long it is.
type Item<'a> = (CompactRow<'a>, usize, usize);

/// Below this many bytes after the list's start, a page's items are read on one thread.
const SPLIT_MIN: usize = 256 << 10;

/// The items list at `i`: each item read for its columns where it lies. A big page is read
/// in two halves at once: the second from a guessed item start after the middle (`},{`),
/// which the first half checks when it gets there; a wrong guess (`},{` inside a string)
/// leaves the first half to go on alone.
fn items<'a>(body: &'a str, i: usize, rows: &mut Vec<Item<'a>>) -> Result<usize, ScanError> {
    let b = body.as_bytes();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let guess = (b.get(i) == Some(&b'[') && b.len() - i >= SPLIT_MIN && cores > 1)
        .then(|| {
            let mid = i + (b.len() - i) / 2;
            memchr::memmem::find(&b[mid..], b"},{").map(|k| mid + k + 2)
        })
        .flatten();
    let Some(guess) = guess else {
        return list(b, i, |_, at| read_item(body, at, rows));
    };
    let (first, reached, end, second) = std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut more = Vec::new();
            let end = list_from(b, guess, |_, at| read_item(body, at, &mut more));
            end.map(|end| (more, end))
        });
        let mut first = Vec::new();
        let mut reached = false;
        let end = list(b, i, |_, at| {
            if at == guess {
                // The guess was an item's start: the second half has the rest. The list
                // is cut short here (the error that makes is not one).
                reached = true;
                return err(at, "reached the second half");
            }
            read_item(body, at, &mut first)
        });
        (first, reached, end, second.join())
    });
    rows.extend(first);
    if !reached {
        return end;
    }
    let (more, end) = second.unwrap_or_else(|_| err(guess, "a reading thread failed"))?;
    rows.extend(more);
    Ok(end)
}

/// Reads the item at `at` into `rows`; returns where it ends.
fn read_item<'a>(body: &'a str, at: usize, rows: &mut Vec<Item<'a>>) -> Result<usize, ScanError> {
    // Every item starts at ASCII (`{`, checked by the scan) of the checked text.
    let text = body.get(at..).unwrap_or_default();
    let (row, len) = CompactRow::scan_prefix(text).map_err(|e| ScanError {
        at: at + e.at,
        what: e.what,
    })?;
    rows.push((row, at, len));
    Ok(at + len)
}

impl RowStore {
    /// Appends the items of one API response body (`tasks[0].result[0].items`); returns how
    /// many. An item that is not a backlink fails the page, as decoding the envelope would.
    pub fn push_page(&mut self, body: &[u8]) -> Result<usize, RowsError> {
        self.push_page_if(body, None).map(|(n, _)| n)
    }

    /// [`push_page`](Self::push_page) when the body holds exactly `items` items (the ones
    /// decoded from it); else nothing is added and the answer is `false`.
    pub fn push_page_of(&mut self, body: &[u8], items: usize) -> Result<bool, RowsError> {
        self.push_page_if(body, Some(items)).map(|(_, added)| added)
    }

    /// The items of `body` appended unless there are not `want` of them: (how many, added).
    fn push_page_if(
        &mut self,
        body: &[u8],
        want: Option<usize>,
    ) -> Result<(usize, bool), RowsError> {
        let bad = |e: &dyn std::fmt::Display| RowsError::Format {
            path: self.source_path().to_owned(),
            reason: format!("the page is not a backlinks response: {e}"),
        };
        let body = scan::utf8(body).map_err(|at| {
            bad(&ScanError {
                at,
                what: "invalid UTF-8",
            })
        })?;
        let rows = page_rows(body).map_err(|e| bad(&e))?;
        if want.is_some_and(|n| n != rows.len()) {
            return Ok((rows.len(), false));
        }
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok((0, true));
        };
        // The items lie one after another in the body: they go to the spill file in one
        // write, separators and all, each row at its place in it.
        let (from, to) = (first.1, last.1 + last.2);
        let bytes = body.as_bytes();
        let base = self.source.write_now(&bytes[from..to])?;
        self.reserve(rows.len());
        for (row, at, len) in &rows {
            self.push_at(base + (at - from) as u64, &bytes[*at..at + len], row);
        }
        Ok((rows.len(), true))
    }
}

#[cfg(test)]
mod tests {
    use crate::api::Envelope;
    use crate::rows::{RowId, RowStore};

    #[test]
    fn a_pages_items_read_back_as_the_envelope_decodes_them() {
        let body = std::fs::read("tests/fixtures/backlinks_live_example_response.json").unwrap();
        let env: Envelope = serde_json::from_slice(&body).unwrap();
        let want = env.first_result().unwrap().items.clone().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut store = RowStore::for_pages(dir.path()).unwrap();
        assert_eq!(store.push_page(&body).unwrap(), want.len());
        assert_eq!(store.push_page(&body).unwrap(), want.len());
        assert_eq!(store.len(), want.len() * 2);
        // The spill file is unlinked: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        for (i, item) in want.iter().chain(&want).enumerate() {
            assert_eq!(&store.row(RowId(i as u32)).unwrap(), item);
        }
        assert!(
            store
                .push_page(b"{\"tasks\":[{\"result\":[{\"items\":[{\"rank\":\"x\"}]}]}]}")
                .is_err()
        );
        assert_eq!(store.len(), want.len() * 2, "a bad page adds nothing");
    }

    /// The fixture's items repeated to `n`, each `text_pre` set by `text(i)`, as a body.
    fn big_page(n: usize, text: impl Fn(usize) -> String) -> Vec<u8> {
        let body = std::fs::read("tests/fixtures/backlinks_live_example_response.json").unwrap();
        let mut env: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let seeds = env["tasks"][0]["result"][0]["items"]
            .as_array()
            .unwrap()
            .clone();
        let items: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let mut it = seeds[i % seeds.len()].clone();
                it["text_pre"] = text(i).into();
                it["rank"] = i.into();
                it
            })
            .collect();
        env["tasks"][0]["result"][0]["items"] = items.into();
        serde_json::to_vec(&env).unwrap()
    }

    fn read_back(body: &[u8]) -> Vec<crate::api::Backlink> {
        let dir = tempfile::tempdir().unwrap();
        let mut store = RowStore::for_pages(dir.path()).unwrap();
        let n = store.push_page(body).unwrap();
        (0..n)
            .map(|i| store.row(RowId(i as u32)).unwrap())
            .collect()
    }

    #[test]
    fn a_big_page_read_in_two_halves_gives_every_item_in_order() {
        let decoded = |body: &[u8]| {
            let env: Envelope = serde_json::from_slice(body).unwrap();
            env.first_result().unwrap().items.clone().unwrap()
        };
        // Big enough to be split; plain text.
        let plain = big_page(600, |i| format!("before {i}"));
        assert!(plain.len() > super::SPLIT_MIN);
        assert_eq!(read_back(&plain), decoded(&plain));
        // Every text holds `},{`: the guessed start after the middle is inside a string,
        // and the first half goes on alone.
        let tricky = big_page(600, |i| format!("{}{i}", "},{".repeat(600)));
        let list = tricky.windows(9).position(|w| w == b"\"items\":[").unwrap() + 8;
        let mid = list + (tricky.len() - list) / 2;
        let guess = mid + memchr::memmem::find(&tricky[mid..], b"},{").unwrap() + 2;
        assert!(
            tricky[guess..].starts_with(b"{},{"),
            "the guess is inside a text"
        );
        let back = read_back(&tricky);
        assert_eq!(back.len(), 600);
        assert_eq!(back, decoded(&tricky));
        // A broken item in the second half fails the page whole.
        let mut broken = plain.clone();
        let at = broken.len() * 3 / 4;
        let quote = at + broken[at..].iter().position(|&c| c == b'"').unwrap();
        broken[quote] = b'#';
        let dir = tempfile::tempdir().unwrap();
        let mut store = RowStore::for_pages(dir.path()).unwrap();
        assert!(store.push_page(&broken).is_err());
        assert_eq!(store.len(), 0);
    }

    #[test]
    fn a_broken_body_adds_nothing_and_empty_answers_add_no_rows() {
        let body = std::fs::read("tests/fixtures/backlinks_live_example_response.json").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut store = RowStore::for_pages(dir.path()).unwrap();
        // Cut anywhere, the body is not a response: it fails whole.
        for cut in (1..body.len()).step_by(97) {
            let r = store.push_page(&body[..cut]);
            assert!(r.is_err(), "cut at {cut}: {r:?}");
        }
        assert!(store.push_page(&[&body[..], b" x"].concat()).is_err());
        assert!(store.push_page(b"\xff{}").is_err());
        assert_eq!(store.len(), 0);
        for empty in [
            &b"{\"tasks\":null}"[..],
            b"{\"tasks\":[]}",
            b"{\"tasks\":[{\"result\":null}]}",
            b"{\"tasks\":[{\"result\":[{\"items\":null,\"total_count\":0}]}]}",
            b" {\"status_code\":20000,\"tasks\":[{\"result\":[{\"items\":[]}]}]} ",
        ] {
            assert_eq!(
                store.push_page(empty),
                Ok(0),
                "{}",
                String::from_utf8_lossy(empty)
            );
        }
        assert!(
            store
                .push_page(b"{\"tasks\":[{\"result\":[{\"items\":[1]}]}]}")
                .is_err()
        );
        assert!(store.push_page(b"{\"tasks\":{}}").is_err());
        // Only the first task's first result counts; the rest is checked, not read.
        let two = br#"{"tasks":[{"result":[{"items":[{"rank":1}]},{"items":[{"rank":2}]}]},{"result":[{"items":[{"rank":3}]}]}]}"#;
        assert_eq!(store.push_page(two), Ok(1));
        assert_eq!(store.row(RowId(0)).unwrap().rank, Some(1));
    }
}
