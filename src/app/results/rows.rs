//! The rows the table shows: either items in memory (a locally built list, a test) or a view
//! over a [`RowStore`] (an opened file, or the live pages of a query spilled to an unlinked
//! file), so that memory does not grow with the text of the rows.
//!
//! A view is the store, how many of its rows it sees (a page store grows; older views keep
//! their length) and an optional order (row ids of a locally filtered or sorted result). Rows
//! are decoded on demand: [`Rows::get`] keeps a small window of decoded rows around the last
//! miss (the screen's rows and the detail panel's row come from it), and [`Rows::iter`] reads
//! whole chunks in order for search, statistics, marks and saving, never all rows at once.
//!
//! Reading can fail (the opened file was truncated, rewritten or removed: [`RowsError`]).
//! Then `get` gives `None` (never a row from the new content), iteration stops, and the error
//! is kept for the app to show ([`Rows::take_error`]).

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::api::response::{Backlink, Row};
use crate::rows::{RowId, RowStore, RowsError};

/// Rows decoded around a miss of [`Rows::get`].
const WINDOW: usize = 160;
/// Rows decoded at a time by [`Rows::iter`].
const CHUNK: usize = 2048;

/// Which fields to decode (`None`: every field).
type Only<'a> = Option<&'a dyn Fn(&str) -> bool>;

/// A store shared by the views over it (a page store gains rows while a save reads it).
pub type SharedStore = Arc<RwLock<RowStore>>;

/// An opened file's store, as a message carries it (equal when it is the same store).
#[derive(Debug, Clone)]
pub struct OpenedStore(pub SharedStore);

impl PartialEq for OpenedStore {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl OpenedStore {
    pub fn new(store: RowStore) -> OpenedStore {
        OpenedStore(Arc::new(RwLock::new(store)))
    }
}

/// The rows of the table (see the module header).
#[derive(Debug, Default)]
pub struct Rows {
    backing: Backing,
    /// Decoded rows `start..start + rows.len()` of this view.
    window: Mutex<Window>,
    /// The first read error since the app last asked.
    error: Mutex<Option<RowsError>>,
}

#[derive(Debug, Clone)]
enum Backing {
    Mem(Vec<Row>),
    Store(View),
}

impl Default for Backing {
    fn default() -> Self {
        Backing::Mem(Vec::new())
    }
}

#[derive(Debug, Clone)]
struct View {
    store: SharedStore,
    /// Rows of the store this view sees (all of them unless `order` says otherwise).
    len: usize,
    order: Option<Arc<[RowId]>>,
}

#[derive(Debug, Default)]
struct Window {
    start: usize,
    rows: Vec<Row>,
}

impl Clone for Rows {
    fn clone(&self) -> Self {
        Rows {
            backing: self.backing.clone(),
            window: Mutex::default(),
            error: Mutex::default(),
        }
    }
}

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        match (&self.backing, &other.backing) {
            (Backing::Mem(a), Backing::Mem(b)) => a == b,
            (Backing::Store(a), Backing::Store(b)) => {
                Arc::ptr_eq(&a.store, &b.store) && a.len == b.len && a.order == b.order
            }
            _ => false,
        }
    }
}

impl From<Vec<Row>> for Rows {
    fn from(rows: Vec<Row>) -> Self {
        Rows {
            backing: Backing::Mem(rows),
            ..Rows::default()
        }
    }
}

impl From<Vec<Backlink>> for Rows {
    fn from(rows: Vec<Backlink>) -> Self {
        rows.into_iter().map(Row::new).collect::<Vec<_>>().into()
    }
}

impl FromIterator<Row> for Rows {
    fn from_iter<I: IntoIterator<Item = Row>>(iter: I) -> Self {
        iter.into_iter().collect::<Vec<_>>().into()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read(store: &SharedStore) -> std::sync::RwLockReadGuard<'_, RowStore> {
    store.read().unwrap_or_else(PoisonError::into_inner)
}

impl Rows {
    /// Every row of `store`, in its order.
    pub fn of_store(store: SharedStore) -> Rows {
        let len = read(&store).len();
        Rows {
            backing: Backing::Store(View {
                store,
                len,
                order: None,
            }),
            ..Rows::default()
        }
    }

    /// The rows `ids` of the store this view reads (a local filter or sort of a whole
    /// store); `None` for rows in memory.
    pub fn with_order(&self, ids: Vec<RowId>) -> Option<Rows> {
        let Backing::Store(view) = &self.backing else {
            return None;
        };
        Some(Rows {
            backing: Backing::Store(View {
                store: view.store.clone(),
                len: ids.len(),
                order: Some(ids.into()),
            }),
            ..Rows::default()
        })
    }

    /// The store behind the rows, when they are every row of it in its order (what the
    /// store's own filter and sort answer for).
    pub fn whole_store(&self) -> Option<&SharedStore> {
        match &self.backing {
            Backing::Store(v) if v.order.is_none() && v.len == read(&v.store).len() => {
                Some(&v.store)
            }
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        match &self.backing {
            Backing::Mem(v) => v.len(),
            Backing::Store(v) => v.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the rows are read from a store.
    pub fn is_stored(&self) -> bool {
        matches!(self.backing, Backing::Store(_))
    }

    /// Heap bytes held for rows read from a store (its columns and places, and the view's
    /// order); `None` for rows in memory.
    pub fn heap_bytes(&self) -> Option<usize> {
        match &self.backing {
            Backing::Mem(_) => None,
            Backing::Store(v) => {
                Some(read(&v.store).heap_bytes() + v.order.as_ref().map_or(0, |o| o.len() * 4))
            }
        }
    }

    /// Row `i`, decoded now if it is not in the window; `None` past the end or when the
    /// store cannot give it (the error is kept).
    pub fn get(&self, i: usize) -> Option<Row> {
        let view = match &self.backing {
            Backing::Mem(v) => return v.get(i).cloned(),
            Backing::Store(view) => view,
        };
        if i >= view.len {
            return None;
        }
        {
            let w = lock(&self.window);
            if let Some(row) = i.checked_sub(w.start).and_then(|k| w.rows.get(k)) {
                return Some(row.clone());
            }
        }
        let start = i.saturating_sub(WINDOW / 4);
        let end = (start + WINDOW).min(view.len);
        match view.read_range(start, end, None) {
            Ok(rows) => {
                let row = rows.get(i - start).cloned();
                *lock(&self.window) = Window { start, rows };
                row
            }
            Err(e) => {
                *lock(&self.window) = Window::default();
                self.keep_error(e);
                None
            }
        }
    }

    /// Keeps `e` for the app to show (the first one since it last asked).
    pub fn keep_error(&self, e: RowsError) {
        lock(&self.error).get_or_insert(e);
    }

    /// The first read error since the last call, if any.
    pub fn take_error(&self) -> Option<RowsError> {
        lock(&self.error).take()
    }

    /// Whether the file behind the rows is still what was opened; the error is kept too.
    pub fn check(&self) -> Result<(), RowsError> {
        let Backing::Store(view) = &self.backing else {
            return Ok(());
        };
        read(&view.store).check().inspect_err(|_| {
            *lock(&self.window) = Window::default();
        })
    }
}

impl View {
    /// Decodes positions `start..end` (with `only`, just the fields it accepts).
    fn read_range(&self, start: usize, end: usize, only: Only<'_>) -> Result<Vec<Row>, RowsError> {
        let store = read(&self.store);
        let Some(order) = &self.order else {
            let mut rows = Vec::with_capacity(end - start);
            store.scan(start, end, |id, bytes| {
                rows.push(Row::new(store.decode(id, bytes, only)?));
                Ok(true)
            })?;
            return Ok(rows);
        };
        Self::read_ids(&store, &order[start..end], only)
    }

    fn read_ids(store: &RowStore, ids: &[RowId], only: Only<'_>) -> Result<Vec<Row>, RowsError> {
        let mut buf = Vec::new();
        ids.iter()
            .map(|&id| {
                store.row_bytes(id, &mut buf)?;
                Ok(Row::new(store.decode(id, &buf, only)?))
            })
            .collect()
    }

    fn id(&self, position: usize) -> RowId {
        match &self.order {
            Some(order) => order[position],
            None => RowId(position as u32),
        }
    }
}

impl Rows {
    /// Rows `from..to` in order, decoded a chunk at a time; the first error is returned.
    pub fn try_chunks(
        &self,
        from: usize,
        to: usize,
        mut each: impl FnMut(usize, &[Row]),
    ) -> Result<(), RowsError> {
        let to = to.min(self.len());
        let mut at = from.min(to);
        while at < to {
            let end = (at + CHUNK).min(to);
            match &self.backing {
                Backing::Mem(v) => each(at, &v[at..end]),
                Backing::Store(view) => each(at, &view.read_range(at, end, None)?),
            }
            at = end;
        }
        Ok(())
    }

    /// Like [`Rows::chunks`], decoding only the fields `only` accepts from a store (a scan
    /// that looks at a few fields, such as `/` search, need not decode whole items).
    pub fn chunks_of(
        &self,
        from: usize,
        to: usize,
        only: &dyn Fn(&str) -> bool,
        mut each: impl FnMut(usize, &[Row]),
    ) {
        let to = to.min(self.len());
        let mut at = from.min(to);
        while at < to {
            let end = (at + CHUNK).min(to);
            match &self.backing {
                Backing::Mem(v) => each(at, &v[at..end]),
                Backing::Store(view) => match view.read_range(at, end, Some(only)) {
                    Ok(rows) => each(at, &rows),
                    Err(e) => return self.keep_error(e),
                },
            }
            at = end;
        }
    }

    /// The rows at `positions` (ascending), decoding only the fields `only` accepts from a
    /// store; each with its position. An error stops it and is kept.
    pub fn each_at(
        &self,
        positions: &[usize],
        only: &dyn Fn(&str) -> bool,
        mut each: impl FnMut(usize, &Row),
    ) {
        let view = match &self.backing {
            Backing::Mem(v) => {
                for &i in positions {
                    if let Some(row) = v.get(i) {
                        each(i, row);
                    }
                }
                return;
            }
            Backing::Store(view) => view,
        };
        let positions: Vec<usize> = positions
            .iter()
            .copied()
            .filter(|&i| i < view.len)
            .collect();
        for batch in positions.chunks(CHUNK) {
            let ids: Vec<RowId> = batch.iter().map(|&i| view.id(i)).collect();
            match View::read_ids(&read(&view.store), &ids, Some(only)) {
                Ok(rows) => batch.iter().zip(&rows).for_each(|(&i, row)| each(i, row)),
                Err(e) => return self.keep_error(e),
            }
        }
    }

    /// Like [`Rows::try_chunks`]; an error stops the chunks and is kept.
    pub fn chunks(&self, from: usize, to: usize, each: impl FnMut(usize, &[Row])) {
        if let Err(e) = self.try_chunks(from, to, each) {
            self.keep_error(e);
        }
    }

    /// Every row in order (decoded a chunk at a time; a read error ends it and is kept).
    pub fn iter(&self) -> RowsIter<'_> {
        RowsIter {
            rows: self,
            next: 0,
            buf: Vec::new(),
            buf_start: 0,
        }
    }

    /// Every row as a list (tests, and small lists such as a save's marked rows).
    pub fn to_vec(&self) -> Vec<Row> {
        self.iter().collect()
    }

    /// Appends a page's items: into the page store when there is one (or when these are the
    /// first rows and a spill file can be made), else in memory.
    pub fn extend_items(&mut self, items: Vec<Backlink>) {
        self.extend_page(items, None);
    }

    /// [`extend_items`](Self::extend_items), the store reading the items from the response
    /// `body` they were decoded from when there is one (as they came, at about twice the
    /// speed of encoding them again).
    pub fn extend_page(&mut self, items: Vec<Backlink>, body: Option<&[u8]>) {
        if self.is_empty()
            && matches!(self.backing, Backing::Mem(_))
            && let Some(store) = new_page_store()
        {
            self.backing = Backing::Store(View {
                store: Arc::new(RwLock::new(store)),
                len: 0,
                order: None,
            });
        }
        match &mut self.backing {
            Backing::Mem(v) => v.extend(items.into_iter().map(Row::new)),
            Backing::Store(view) if view.order.is_none() => {
                let mut store = view.store.write().unwrap_or_else(PoisonError::into_inner);
                let from_body = body.map(|b| store.push_page_of(b, items.len()));
                let pushed = match from_body {
                    Some(Ok(true)) => Ok(()),
                    other => {
                        if let Some(other) = other {
                            tracing::warn!(?other, "a page's body did not give its items");
                        }
                        store.push_items(&items)
                    }
                };
                view.len = store.len();
                drop(store);
                if let Err(e) = pushed {
                    self.error
                        .get_mut()
                        .unwrap_or_else(PoisonError::into_inner)
                        .get_or_insert(e);
                }
            }
            Backing::Store(_) => {
                // An ordered view is a local result: it gains no pages.
                let mut all = self.to_vec();
                all.extend(items.into_iter().map(Row::new));
                self.backing = Backing::Mem(all);
            }
        }
    }

    /// Appends rows kept in memory (an opened file's first rows, before its store).
    pub fn extend(&mut self, rows: impl IntoIterator<Item = Row>) {
        if let Backing::Store(_) = self.backing {
            let all = self.to_vec();
            self.backing = Backing::Mem(all);
        }
        if let Backing::Mem(v) = &mut self.backing {
            v.extend(rows);
        }
    }
}

/// A store for live pages, its spill file in the temporary directory; `None` (rows stay in
/// memory) when that directory cannot take one.
fn new_page_store() -> Option<RowStore> {
    match RowStore::for_pages(&std::env::temp_dir()) {
        Ok(store) => Some(store),
        Err(e) => {
            tracing::warn!(error = %e, "no spill file for pages; keeping them in memory");
            None
        }
    }
}

/// Rows in order, a chunk at a time (see [`Rows::iter`]).
#[derive(Debug)]
pub struct RowsIter<'a> {
    rows: &'a Rows,
    next: usize,
    buf: Vec<Row>,
    buf_start: usize,
}

impl Iterator for RowsIter<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if let Backing::Mem(v) = &self.rows.backing {
            let row = v.get(self.next).cloned();
            self.next += 1;
            return row;
        }
        if self.next >= self.buf_start + self.buf.len() {
            let end = (self.next + CHUNK).min(self.rows.len());
            if self.next >= end {
                return None;
            }
            let Backing::Store(view) = &self.rows.backing else {
                return None;
            };
            match view.read_range(self.next, end, None) {
                Ok(rows) => {
                    self.buf = rows;
                    self.buf_start = self.next;
                }
                Err(e) => {
                    self.rows.keep_error(e);
                    self.next = usize::MAX;
                    return None;
                }
            }
        }
        let row = self.buf.get(self.next - self.buf_start).cloned();
        self.next += 1;
        row
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = Row;
    type IntoIter = RowsIter<'a>;

    fn into_iter(self) -> RowsIter<'a> {
        self.iter()
    }
}
