//! The page cache: every page paid for is kept in SQLite (in the data folder) and served again
//! for free while it is younger than the TTL, so nothing is paid for twice — not by the
//! explorer, not by a re-run or resumed export.
//!
//! Key: API base URL + the canonical request (keys sorted, `tag` left out) + the row start.
//! `search_after_token` pages are cached too, keyed by their token (it is part of the
//! request): a re-run walks the same chain of tokens from the cached offset pages, so the
//! whole chain is served from the cache; a token the server minted anew simply misses.
//! Only pages are stored — never credentials (the base URL never holds userinfo; the client
//! refuses one).
//!
//! A cache file SQLite cannot use (not a database, or damaged where opening reads it) is moved
//! aside to `pages.sqlite3.corrupt-<UTC time>` (with its `-wal` and `-shm`) and a new one is
//! started; [`PageCache::notice`] says so once. Running without a cache would pay full price
//! for every page on every run after.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::ApiError;
use crate::api::request::LiveRequest;
use crate::api::response::Backlink;
use crate::fetch::Page;
use crate::fetch::worker::{OnRetry, PageSource, ignore_retries};

use super::StoreError;

/// How long a cached page is served by default.
pub const DEFAULT_TTL: Duration = Duration::from_hours(24);
/// The cache's file name in the data folder.
pub const FILE_NAME: &str = "pages.sqlite3";

/// The SQLite store. Cheap to share (`Arc`); calls block briefly and are run off the async
/// threads by [`Cached`].
#[derive(Debug)]
pub struct PageCache {
    conn: Mutex<Connection>,
    ttl: Duration,
    /// Where a damaged cache file was moved when this one was started in its place.
    moved_aside: Option<PathBuf>,
    /// The pages are kept in a file, for the next run too (not the demo's in-memory cache).
    lasting: bool,
}

/// What a cached page holds besides its key.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    items: Vec<Backlink>,
    total_count: u64,
    search_after_token: Option<String>,
}

impl PageCache {
    /// Opens (or creates) the cache at `path`, dropping pages older than `ttl`. A damaged
    /// file is moved aside and a new cache started ([`PageCache::notice`]).
    pub fn open(path: &Path, ttl: Duration) -> Result<PageCache, StoreError> {
        let fail = |e: &dyn std::fmt::Display| {
            StoreError::Cache(format!("cannot open {}: {e}", path.display()))
        };
        let in_memory = path == Path::new(":memory:");
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !in_memory)
        {
            std::fs::create_dir_all(dir).map_err(|e| fail(&super::atomic::reason(&e)))?;
        }
        match PageCache::open_once(path, ttl) {
            Err(e) if !in_memory && is_damage(&e) => {
                tracing::warn!(%e, path = %path.display(), "page cache damaged");
                let aside = move_aside(path).map_err(|e| {
                    fail(&format!(
                        "it is damaged and could not be moved aside: {}",
                        super::atomic::reason(&e)
                    ))
                })?;
                let mut cache = PageCache::open_once(path, ttl).map_err(|e| fail(&e))?;
                cache.moved_aside = Some(aside);
                Ok(cache)
            }
            opened => opened.map_err(|e| fail(&e)),
        }
    }

    /// One try at [`PageCache::open`].
    fn open_once(path: &Path, ttl: Duration) -> Result<PageCache, rusqlite::Error> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS pages (
                 key        TEXT PRIMARY KEY,
                 base_url   TEXT NOT NULL,
                 row_start  INTEGER NOT NULL,
                 fetched_at INTEGER NOT NULL,
                 cost       REAL NOT NULL,
                 page       TEXT NOT NULL
             );",
        )?;
        let cache = PageCache {
            conn: Mutex::new(conn),
            ttl,
            moved_aside: None,
            lasting: path != Path::new(":memory:"),
        };
        // Reads the whole table: damage anywhere in it shows here, not on a later page.
        cache.conn().execute(
            "DELETE FROM pages WHERE fetched_at <= ?1",
            params![cache.oldest()],
        )?;
        Ok(cache)
    }

    /// Whether the pages outlive this process, so a re-run does not pay for them again (the
    /// demo's in-memory cache does not).
    pub fn lasting(&self) -> bool {
        self.lasting
    }

    /// Where a damaged cache file was moved when this one replaced it.
    pub fn moved_aside(&self) -> Option<&Path> {
        self.moved_aside.as_deref()
    }

    /// The one message to show after opening, if any: a damaged cache was moved aside.
    pub fn notice(&self) -> Option<String> {
        self.moved_aside.as_ref().map(|p| {
            format!(
                "the page cache was damaged: moved it to {} and started a new one",
                p.display()
            )
        })
    }

    /// A cache that lives as long as the process (the demo's).
    pub fn in_memory(ttl: Duration) -> Result<PageCache, StoreError> {
        PageCache::open(Path::new(":memory:"), ttl)
    }

    /// The cache in the data folder (`config::data_dir()`).
    pub fn open_default(ttl: Duration) -> Result<PageCache, StoreError> {
        let dir = crate::config::data_dir()
            .ok_or_else(|| StoreError::Cache("no data folder on this system".into()))?;
        PageCache::open(&dir.join(FILE_NAME), ttl)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Pages fetched at or before this Unix second are past their TTL.
    fn oldest(&self) -> i64 {
        now().saturating_sub(self.ttl.as_secs()) as i64
    }

    /// Forgets pages past their TTL.
    pub fn purge(&self) -> Result<usize, StoreError> {
        self.conn()
            .execute(
                "DELETE FROM pages WHERE fetched_at <= ?1",
                params![self.oldest()],
            )
            .map_err(|e| StoreError::Cache(e.to_string()))
    }

    /// The page for `request` at `base_url`, if one younger than the TTL is stored.
    pub fn get(&self, base_url: &str, request: &LiveRequest) -> Result<Option<Page>, StoreError> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT page FROM pages WHERE key = ?1 AND fetched_at > ?2",
                params![key(base_url, request), self.oldest()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| StoreError::Cache(e.to_string()))?;
        let Some(text) = text else {
            return Ok(None);
        };
        let stored: Stored = serde_json::from_str(&text)
            .map_err(|e| StoreError::Cache(format!("a stored page is damaged: {e}")))?;
        Ok(Some(Page {
            items: stored.items,
            total_count: stored.total_count,
            search_after_token: stored.search_after_token,
            cost: 0.0,
            elapsed: Duration::ZERO,
            cached: true,
            body: None,
        }))
    }

    /// Whether a fresh page for `request` is stored (cheaper than `get`: no decoding).
    pub fn contains(&self, base_url: &str, request: &LiveRequest) -> Result<bool, StoreError> {
        self.conn()
            .query_row(
                "SELECT 1 FROM pages WHERE key = ?1 AND fetched_at > ?2",
                params![key(base_url, request), self.oldest()],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| StoreError::Cache(e.to_string()))
    }

    /// Stores a page just fetched for `request`.
    pub fn put(
        &self,
        base_url: &str,
        request: &LiveRequest,
        page: &Page,
    ) -> Result<(), StoreError> {
        #[derive(Serialize)]
        struct StoredRef<'a> {
            items: &'a [Backlink],
            total_count: u64,
            search_after_token: Option<&'a str>,
        }
        let text = serde_json::to_string(&StoredRef {
            items: &page.items,
            total_count: page.total_count,
            search_after_token: page.search_after_token.as_deref(),
        })
        .map_err(|e| StoreError::Cache(e.to_string()))?;
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO pages (key, base_url, row_start, fetched_at, cost, page)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    key(base_url, request),
                    base_url,
                    i64::from(request.offset.unwrap_or(0)),
                    now() as i64,
                    page.cost,
                    text
                ],
            )
            .map_err(|e| StoreError::Cache(e.to_string()))?;
        Ok(())
    }

    /// Number of stored pages (fresh or not).
    pub fn stored_pages(&self) -> Result<u64, StoreError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM pages", [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| StoreError::Cache(e.to_string()))
    }
}

/// Whether SQLite refused the file as not a database or as damaged.
fn is_damage(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Renames `path` (and its `-wal` and `-shm`, when there) to `<path>.corrupt-<UTC time>`;
/// returns the new name of `path`.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let mut aside = with(&format!(".corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = with(&format!(".corrupt-{stamp}-{n}"));
    }
    std::fs::rename(path, &aside)?;
    for companion in ["-wal", "-shm"] {
        let from = with(companion);
        if from.exists() {
            let mut to = aside.as_os_str().to_owned();
            to.push(companion);
            // The database itself is out of the way; a companion left behind is reset by
            // SQLite when it does not match the new file.
            let _ = std::fs::rename(&from, PathBuf::from(to));
        }
    }
    Ok(aside)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache key of `request` at `base_url`.
pub fn key(base_url: &str, request: &LiveRequest) -> String {
    format!(
        "{}\n{}\n{}",
        base_url.trim_end_matches('/'),
        canonical_request(request),
        request.offset.unwrap_or(0)
    )
}

/// The request as JSON with object keys sorted at every depth and without `tag` (a label
/// that does not change the answer).
pub fn canonical_request(request: &LiveRequest) -> String {
    let mut value = serde_json::to_value(request).unwrap_or(Value::Null);
    if let Some(obj) = value.as_object_mut() {
        obj.remove("tag");
    }
    let mut out = String::new();
    write_sorted(&value, &mut out);
    out
}

fn write_sorted(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// How a [`Cached`] source uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheMode {
    /// Serve fresh pages from the cache; store what is fetched.
    Use,
    /// `--refresh`: always fetch, and store the new pages.
    Refresh,
}

/// A `PageSource` that answers from the cache when it can and fills it otherwise. The
/// explorer and `export` both fetch through it.
#[derive(Debug, Clone)]
pub struct Cached<S> {
    inner: S,
    /// `None` with `--no-cache` (or when the cache could not be opened).
    cache: Option<Arc<PageCache>>,
    base_url: String,
    mode: CacheMode,
}

impl<S: PageSource> Cached<S> {
    /// Wraps `inner`, whose pages come from `base_url`.
    pub fn new(
        inner: S,
        cache: Arc<PageCache>,
        base_url: impl Into<String>,
        mode: CacheMode,
    ) -> Self {
        Cached {
            inner,
            cache: Some(cache),
            base_url: base_url.into(),
            mode,
        }
    }

    /// Passes every request through (`--no-cache`).
    pub fn uncached(inner: S, base_url: impl Into<String>) -> Self {
        Cached {
            inner,
            cache: None,
            base_url: base_url.into(),
            mode: CacheMode::Refresh,
        }
    }

    pub fn cache(&self) -> Option<&Arc<PageCache>> {
        self.cache.as_ref()
    }

    /// Whether `request` would be answered from the cache.
    pub async fn has(&self, request: &LiveRequest) -> bool {
        let Some(cache) = self.cache.clone().filter(|_| self.mode == CacheMode::Use) else {
            return false;
        };
        let (base, request) = (self.base_url.clone(), request.clone());
        tokio::task::spawn_blocking(move || cache.contains(&base, &request))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or(false)
    }
}

impl<S: PageSource> PageSource for Cached<S> {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        self.fetch_observed(request, ignore_retries()).await
    }

    async fn fetch_observed(
        &self,
        request: LiveRequest,
        on_retry: OnRetry,
    ) -> Result<Page, ApiError> {
        let Some(cache) = self.cache.clone() else {
            return self.inner.fetch_observed(request, on_retry).await;
        };
        if self.mode == CacheMode::Use {
            let (cache, base, req) = (cache.clone(), self.base_url.clone(), request.clone());
            match tokio::task::spawn_blocking(move || cache.get(&base, &req)).await {
                Ok(Ok(Some(page))) => return Ok(page),
                Ok(Ok(None)) => {}
                // A broken cache must not stop the work: fetch as if it were empty.
                Ok(Err(e)) => tracing::warn!(%e, "page cache read failed"),
                Err(e) => tracing::warn!(%e, "page cache task failed"),
            }
        }
        let page = self.inner.fetch_observed(request.clone(), on_retry).await?;
        let (base, stored) = (self.base_url.clone(), page.clone());
        match tokio::task::spawn_blocking(move || cache.put(&base, &request, &stored)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(%e, "page cache write failed"),
            Err(e) => tracing::warn!(%e, "page cache task failed"),
        }
        Ok(page)
    }

    /// The balance is never cached: it is read from the server each time.
    fn user_data(
        &self,
    ) -> impl std::future::Future<Output = Result<crate::api::user_data::UserData, ApiError>> + Send
    {
        self.inner.user_data()
    }
}
