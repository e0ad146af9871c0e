//! API pages into a store: each item's JSON text goes to the spill file as it came, its
//! column values to the columns. The page is read once for its item boundaries (borrowed raw
//! values) and each item once more for its columns; nothing is allocated per field.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::compact::CompactRow;
use super::{RowStore, RowsError};

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    tasks: Option<Vec<Task<'a>>>,
}

#[derive(Deserialize)]
struct Task<'a> {
    #[serde(borrow)]
    result: Option<Vec<TaskResult<'a>>>,
}

#[derive(Deserialize)]
struct TaskResult<'a> {
    #[serde(borrow)]
    items: Option<Vec<&'a RawValue>>,
}

impl RowStore {
    /// Appends the items of one API response body (`tasks[0].result[0].items`); returns how
    /// many. An item that is not a backlink fails the page, as decoding the envelope would.
    pub fn push_page(&mut self, body: &[u8]) -> Result<usize, RowsError> {
        let bad = |e: serde_json::Error| RowsError::Format {
            path: self.source_path().to_owned(),
            reason: format!("the page is not a backlinks response: {e}"),
        };
        let env: Envelope<'_> = serde_json::from_slice(body).map_err(bad)?;
        let items = env
            .tasks
            .and_then(|t| t.into_iter().next())
            .and_then(|t| t.result)
            .and_then(|r| r.into_iter().next())
            .and_then(|r| r.items)
            .unwrap_or_default();
        let rows = items
            .iter()
            .map(|raw| CompactRow::from_json(raw.get().as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        self.reserve(rows.len());
        for (raw, row) in items.iter().zip(&rows) {
            self.push_item(raw.get().as_bytes(), row);
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
