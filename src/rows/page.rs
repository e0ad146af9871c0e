//! API pages into a store: each item's JSON text goes to the spill file as it came, its
//! column values to the columns. The body is checked as UTF-8 once, its envelope walked with
//! the [`scan`] reader down to `tasks[0].result[0].items`, and each item read
//! once for its columns; nothing is allocated per field and no `Backlink` is built.

use super::compact::CompactRow;
use super::scan::{self, ScanError};
use super::{RowStore, RowsError};

/// The items of `tasks[0].result[0].items` in a response body (UTF-8), as (text, offset).
fn page_items(body: &str) -> Result<Vec<(&str, usize)>, ScanError> {
    let bytes = body.as_bytes();
    let Some((tasks, at)) = member(bytes, 0, "tasks")? else {
        return Ok(Vec::new());
    };
    let Some((task, at)) = first(tasks, at)? else {
        return Ok(Vec::new());
    };
    let Some((results, at)) = member(task, at, "result")? else {
        return Ok(Vec::new());
    };
    let Some((result, at)) = first(results, at)? else {
        return Ok(Vec::new());
    };
    let Some((items, at)) = member(result, at, "items")? else {
        return Ok(Vec::new());
    };
    // Every item starts and ends at ASCII of the checked text: slicing it is safe.
    Ok(scan::elements(items, at)?
        .into_iter()
        .map(|(item, at)| (&body[at..at + item.len()], at))
        .collect())
}

/// The value of member `key` of the object `obj` (at offset `at`); `None` when absent or null.
fn member<'a>(obj: &'a [u8], at: usize, key: &str) -> Result<Option<(&'a [u8], usize)>, ScanError> {
    let mut found = None;
    for m in scan::members(obj) {
        let m = m.map_err(|e| ScanError {
            at: at + e.at,
            what: e.what,
        })?;
        if m.key()? == key && m.value != b"null" {
            found = Some((m.value, at + m.at));
        }
    }
    Ok(found)
}

/// The first element of a list value (`None` when empty or null).
fn first(list: &[u8], at: usize) -> Result<Option<(&[u8], usize)>, ScanError> {
    Ok(scan::elements(list, at)?.into_iter().next())
}

impl RowStore {
    /// Appends the items of one API response body (`tasks[0].result[0].items`); returns how
    /// many. An item that is not a backlink fails the page, as decoding the envelope would.
    pub fn push_page(&mut self, body: &[u8]) -> Result<usize, RowsError> {
        let bad = |e: &dyn std::fmt::Display| RowsError::Format {
            path: self.source_path().to_owned(),
            reason: format!("the page is not a backlinks response: {e}"),
        };
        let body = std::str::from_utf8(body).map_err(|e| bad(&e))?;
        let items = page_items(body).map_err(|e| bad(&e))?;
        let rows = items
            .iter()
            .map(|(text, at)| {
                CompactRow::scan_checked(text).map_err(|e| ScanError {
                    at: at + e.at,
                    what: e.what,
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(&e))?;
        self.reserve(rows.len());
        for ((text, _), row) in items.iter().zip(&rows) {
            self.push_item(text.as_bytes(), row);
        }
        self.flush()?;
        Ok(items.len())
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
}
