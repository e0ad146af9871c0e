//! The page cache: a page paid for once is served again for free, marked `cached`; the key
//! ignores `tag` and key order but not paging; `--refresh` fetches anew; the TTL holds.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use backlinks::api::{ApiError, Backlink, LiveRequest};
use backlinks::fetch::Page;
use backlinks::fetch::worker::PageSource;
use backlinks::store::cache::{CacheMode, Cached, PageCache, canonical_request, key};

/// Answers every request with one item naming its offset and token; counts calls.
#[derive(Clone, Default)]
struct Counting {
    calls: Arc<AtomicUsize>,
}

impl PageSource for Counting {
    async fn fetch(&self, request: LiveRequest) -> Result<Page, ApiError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let label = format!("{:?}/{:?}", request.offset, request.search_after_token);
        Ok(Page {
            items: vec![Backlink {
                anchor: Some(label),
                ..Backlink::default()
            }],
            total_count: 77,
            search_after_token: Some("next-token".into()),
            cost: 0.020_03,
            elapsed: Duration::from_millis(300),
            cached: false,
            body: None,
        })
    }
}

fn request(offset: u32) -> LiveRequest {
    let mut r = LiveRequest::new("forbes.com");
    r.offset = Some(offset);
    r.limit = Some(1000);
    r
}

fn setup(ttl: Duration, mode: CacheMode) -> (tempfile::TempDir, Counting, Cached<Counting>) {
    let dir = tempfile::tempdir().unwrap();
    let cache = PageCache::open(&dir.path().join("nested/pages.sqlite3"), ttl).unwrap();
    let inner = Counting::default();
    let source = Cached::new(inner.clone(), Arc::new(cache), "http://127.0.0.1:1/", mode);
    (dir, inner, source)
}

#[tokio::test]
async fn a_page_is_paid_for_once() {
    let (_dir, inner, source) = setup(Duration::from_hours(24), CacheMode::Use);
    let first = source.fetch(request(0)).await.unwrap();
    assert!(!first.cached);
    assert!(first.cost > 0.0);
    let again = source.fetch(request(0)).await.unwrap();
    assert!(again.cached, "served from the cache");
    assert!(again.cost.abs() < f64::EPSILON, "at no cost");
    assert_eq!(again.items, first.items);
    assert_eq!(again.total_count, 77);
    assert_eq!(again.search_after_token.as_deref(), Some("next-token"));
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    assert!(source.has(&request(0)).await);
    assert!(!source.has(&request(1000)).await);
}

#[tokio::test]
async fn the_tag_does_not_matter_but_paging_does() {
    let (_dir, inner, source) = setup(Duration::from_hours(24), CacheMode::Use);
    source.fetch(request(0)).await.unwrap();
    let mut tagged = request(0);
    tagged.tag = Some("my label".into());
    assert!(source.fetch(tagged).await.unwrap().cached);
    assert!(!source.fetch(request(1000)).await.unwrap().cached);
    let mut by_token = LiveRequest::new("forbes.com");
    by_token.limit = Some(1000);
    by_token.search_after_token = Some("abc".into());
    assert!(!source.fetch(by_token.clone()).await.unwrap().cached);
    assert!(source.fetch(by_token.clone()).await.unwrap().cached);
    by_token.search_after_token = Some("abd".into());
    assert!(
        !source.fetch(by_token).await.unwrap().cached,
        "keyed by token"
    );
    assert_eq!(inner.calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn the_cache_outlives_the_process_and_is_shared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.sqlite3");
    let inner = Counting::default();
    let ttl = Duration::from_hours(24);
    {
        let cache = Arc::new(PageCache::open(&path, ttl).unwrap());
        let s = Cached::new(inner.clone(), cache, "http://a", CacheMode::Use);
        s.fetch(request(0)).await.unwrap();
    }
    let cache = Arc::new(PageCache::open(&path, ttl).unwrap());
    let s = Cached::new(inner.clone(), cache.clone(), "http://a", CacheMode::Use);
    assert!(s.fetch(request(0)).await.unwrap().cached);
    let other = Cached::new(inner.clone(), cache, "http://b", CacheMode::Use);
    assert!(
        !other.fetch(request(0)).await.unwrap().cached,
        "per base URL"
    );
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn refresh_fetches_anew_and_stores() {
    let (_dir, inner, source) = setup(Duration::from_hours(24), CacheMode::Refresh);
    assert!(!source.fetch(request(0)).await.unwrap().cached);
    assert!(!source.fetch(request(0)).await.unwrap().cached);
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
    assert_eq!(source.cache().unwrap().stored_pages().unwrap(), 1);
}

#[tokio::test]
async fn stale_pages_are_fetched_again() {
    let (_dir, inner, source) = setup(Duration::ZERO, CacheMode::Use);
    source.fetch(request(0)).await.unwrap();
    assert!(!source.fetch(request(0)).await.unwrap().cached);
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn no_cache_passes_through() {
    let inner = Counting::default();
    let source = Cached::uncached(inner.clone(), "http://a");
    source.fetch(request(0)).await.unwrap();
    assert!(!source.fetch(request(0)).await.unwrap().cached);
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[test]
fn the_key_is_canonical() {
    let mut a = request(2000);
    a.order_by = Some(vec!["rank,desc".parse().unwrap()]);
    a.filters = Some(backlinks::api::Filter::parse("dofollow = true").unwrap());
    let text = canonical_request(&a);
    assert_eq!(
        text,
        r#"{"filters":["dofollow","=",true],"limit":1000,"offset":2000,"order_by":["rank,desc"],"target":"forbes.com"}"#
    );
    assert!(key("http://x/", &a).starts_with("http://x\n{"));
    assert!(key("http://x/", &a).ends_with("\n2000"));
}

/// The files in `dir` whose names start with `prefix`.
fn named(dir: &std::path::Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_cache_file_that_is_not_a_database_is_moved_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.sqlite3");
    let garbage = "this is no database, just text a crash left behind\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let ttl = Duration::from_hours(24);
    let cache = PageCache::open(&path, ttl).expect("a damaged cache is rebuilt, not refused");
    let aside = cache.moved_aside().expect("moved aside").to_owned();
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("pages.sqlite3.corrupt-"),
        "{}",
        aside.display()
    );
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), garbage);
    let notice = cache.notice().unwrap();
    assert!(notice.contains("damaged"), "{notice}");
    assert!(notice.contains(&aside.display().to_string()), "{notice}");
    // The new cache works: a page is paid for once.
    let inner = Counting::default();
    let source = Cached::new(inner.clone(), Arc::new(cache), "http://h/", CacheMode::Use);
    source.fetch(request(0)).await.unwrap();
    assert!(source.fetch(request(0)).await.unwrap().cached);
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    drop(source);
    // One message: the next run finds a good cache, with the page in it.
    let cache = PageCache::open(&path, ttl).unwrap();
    assert!(cache.notice().is_none());
    assert_eq!(cache.stored_pages().unwrap(), 1);
    assert_eq!(named(dir.path(), "pages.sqlite3.corrupt-"), [aside]);
}

#[test]
fn a_cache_damaged_inside_is_moved_aside_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.sqlite3");
    let ttl = Duration::from_hours(24);
    {
        let cache = PageCache::open(&path, ttl).unwrap();
        let page = Page {
            items: vec![
                Backlink {
                    anchor: Some("x".repeat(3000)),
                    ..Backlink::default()
                };
                4
            ],
            total_count: 4,
            search_after_token: None,
            cost: 0.02,
            elapsed: Duration::ZERO,
            cached: false,
            body: None,
        };
        for offset in 0..20 {
            cache.put("http://h/", &request(offset), &page).unwrap();
        }
    }
    // Keep the header (page 1), wreck the pages of the table.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16 * 4096, "{}", bytes.len());
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let cache = PageCache::open(&path, ttl).unwrap();
    assert!(cache.moved_aside().is_some());
    assert_eq!(cache.stored_pages().unwrap(), 0);
    assert_eq!(named(dir.path(), "pages.sqlite3.corrupt-").len(), 1);
}
