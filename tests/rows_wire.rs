//! The explorer over the row store: an opened file's rows are read back from the file, so a
//! file that changes while open must be reported (never rows of the new content); bad
//! records are named by line with the good rows kept; an empty file opens empty; saving a
//! store-backed file gives back the same items in every format; local filter and sort of a
//! store answer exactly what they answer on rows in memory; live pages cost little memory.

mod support;

use std::path::{Path, PathBuf};

use backlinks::api::Backlink;
use backlinks::api::filter::Filter;
use backlinks::api::request::{OrderBy, SortDir};
use backlinks::app::App;
use backlinks::app::msg::{LoadEvent, Msg};
use backlinks::app::results::{OpenedStore, Rows};
use backlinks::fetch::Generation;
use backlinks::order::Ties;
use backlinks::rows::RowStore;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::store::{Format, SetEnd, SetMeta, SetWriter, read::read_all};
use crossterm::event::KeyCode;
use support::{app, key, loaded_items, run_target};

/// Demo items (every field, hostile text included).
fn demo(n: usize) -> Vec<Backlink> {
    generate(
        "forbes.com",
        &DatasetConfig {
            seed: 7,
            rows: Some(n),
        },
    )
    .into_iter()
    .take(n)
    .collect()
}

fn write(path: &Path, format: Format, items: &[Backlink]) {
    let mut w = SetWriter::create(path, format, None, None).unwrap();
    w.write_all(items).unwrap();
    w.finish(&SetEnd::default()).unwrap();
}

/// An explorer of `path` whose rows come from its row store, as `backlinks open` does it.
fn opened(path: &Path) -> App {
    let mut a = app();
    a.open_file(path);
    let store = RowStore::open(path).unwrap();
    a.update(Msg::FileLoad(LoadEvent::Store(OpenedStore::new(store))));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    a
}

fn urls(rows: &Rows) -> Vec<Option<String>> {
    rows.iter().map(|r| r.url_from.clone()).collect()
}

#[test]
fn a_file_truncated_while_open_is_reported_and_no_row_is_shown_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &demo(300));
    let mut a = opened(&path);
    assert!(a.results.rows.is_stored());
    assert_eq!(a.results.rows.len(), 300);
    assert!(a.status.error.is_none());
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    key(&mut a, KeyCode::Char('G'));
    let error = a.status.error.clone().unwrap();
    assert!(error.contains("the file changed on disk"), "{error}");
    assert!(error.contains("shorter"), "{error}");
    assert!(a.results.rows.get(299).is_none(), "no row from a cut file");
    assert!(a.results.rows.get(0).is_none(), "nor any other row");
}

#[test]
fn a_file_rewritten_in_place_while_open_gives_no_wrong_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.jsonl");
    let items = demo(200);
    write(&path, Format::Jsonl, &items);
    let mut a = opened(&path);
    // The same bytes with rows in another order: same length, other content.
    let mut reordered = items.clone();
    reordered.reverse();
    write(&path, Format::Jsonl, &reordered);
    key(&mut a, KeyCode::Char('j'));
    let error = a.status.error.clone().unwrap();
    assert!(error.contains("the file changed on disk"), "{error}");
    for i in [0, 1, 150, 199] {
        assert!(a.results.rows.get(i).is_none(), "row {i} must not be read");
    }
}

#[test]
fn a_file_replaced_while_open_stops_a_save_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.csv");
    write(&path, Format::Csv, &demo(100));
    let a = opened(&path);
    std::fs::remove_file(&path).unwrap();
    write(&path, Format::Csv, &demo(100));
    let out = dir.path().join("copy.jsonl");
    let meta = SetMeta::default();
    let err =
        backlinks::runtime::write_rows(&out, Format::Jsonl, &meta, &a.results.rows).unwrap_err();
    assert!(err.contains("changed"), "{err}");
    assert!(!out.exists(), "no half-written file");
}

#[test]
fn bad_lines_are_named_by_line_and_the_good_rows_kept() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    let items = demo(6);
    write(&good, Format::Jsonl, &items);
    let text = std::fs::read_to_string(&good).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "{\"rank\": \"nope\", broken");
    lines.insert(5, "not json at all");
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let a = opened(&path);
    assert_eq!(a.results.rows.len(), 6, "every good row kept");
    assert_eq!(
        urls(&a.results.rows),
        items.iter().map(|i| i.url_from.clone()).collect::<Vec<_>>()
    );
    let error = a.status.error.clone().unwrap();
    assert!(error.starts_with("2 bad rows skipped"), "{error}");
    assert!(
        error.contains("line 3:") && error.contains("line 6:"),
        "{error}"
    );
}

#[test]
fn an_empty_file_opens_to_an_empty_table_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.jsonl");
    std::fs::write(&path, "").unwrap();
    let a = opened(&path);
    assert!(a.results.rows.is_empty());
    assert_eq!(a.results.total, Some(0));
    assert_eq!(a.status.note.as_deref(), Some("the file has no rows"));
    assert!(a.status.error.is_none());
}

#[test]
fn saving_a_store_backed_file_gives_back_its_items_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let items = demo(120);
    let formats = [Format::Jsonl, Format::Json, Format::Csv, Format::Tsv];
    for from in formats {
        let src = dir.path().join(format!("src.{}", from.extension()));
        write(&src, from, &items);
        let want = read_all(&src).unwrap().rows;
        let a = opened(&src);
        assert!(a.results.rows.is_stored());
        for to in formats {
            let out: PathBuf = dir.path().join(format!("out-{from}.{}", to.extension()));
            let n = backlinks::runtime::write_rows(&out, to, &SetMeta::default(), &a.results.rows)
                .unwrap();
            assert_eq!(n, 120);
            let back = read_all(&out).unwrap();
            assert!(back.bad.is_empty(), "{from} → {to}: {:?}", back.bad);
            assert_eq!(back.rows, want, "{from} → {to}");
            if from == to && from != Format::Json {
                assert_eq!(
                    std::fs::read(&out).unwrap(),
                    std::fs::read(&src).unwrap(),
                    "{from}: the same bytes, column order and values unchanged"
                );
            }
        }
    }
}

#[test]
fn local_filter_and_sort_of_a_store_match_rows_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let items = demo(2000);
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &items);
    let mut stored = opened(&path);
    let mut memory = app();
    memory.open_file(&path);
    let rows: Vec<backlinks::api::Row> = read_all(&path)
        .unwrap()
        .rows
        .into_iter()
        .map(backlinks::api::Row::new)
        .collect();
    memory.update(Msg::FileLoad(LoadEvent::Rows(rows)));
    memory.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert!(stored.results.rows.is_stored() && !memory.results.rows.is_stored());
    let cases: [(Option<&str>, Vec<OrderBy>); 5] = [
        (Some("domain_from_rank >= 500"), vec![]),
        (
            Some(r#"anchor ilike "%news%" or dofollow = false"#),
            vec![OrderBy::new("rank", SortDir::Asc)],
        ),
        (None, vec![OrderBy::new("domain_from", SortDir::Desc)]),
        (
            Some(
                r#"first_seen > "2022-01-01 00:00:00 +00:00" and tld_from in ["com", "org"] and domain_from_platform_type has "cms""#,
            ),
            vec![
                OrderBy::new("dofollow", SortDir::Desc),
                OrderBy::new("first_seen", SortDir::Asc),
            ],
        ),
        (
            Some(r#"url_from not_like "%wiki%""#),
            vec![OrderBy::new("anchor", SortDir::Asc)],
        ),
    ];
    // Both tie rules: a file's (ties keep the file's order) and a query's (ties by
    // `url_from`, as the server); the store's columns and its rows read back must agree with
    // the rows in memory under each.
    let cases = cases
        .into_iter()
        .flat_map(|c| [(c.clone(), Ties::Kept), (c, Ties::Server)]);
    for (k, ((filter, order_by), ties)) in cases.enumerate() {
        let mut request = stored.results.query.clone().unwrap();
        request.filters = filter.map(|f| Filter::parse(f).unwrap());
        request.order_by = (!order_by.is_empty()).then_some(order_by);
        let generation = Generation(100 + k as u64);
        let a = stored.results.serve_locally(generation, &request, ties);
        let b = memory.results.serve_locally(generation, &request, ties);
        assert!(a.is_some() && a == b, "{filter:?}: {a:?} vs {b:?}");
        assert!(a.is_some_and(|n| n > 10), "{filter:?} keeps rows: {a:?}");
        assert!(
            stored.results.rows.is_stored(),
            "the result is a view of the store"
        );
        assert_eq!(
            urls(&stored.results.rows),
            urls(&memory.results.rows),
            "{filter:?} {ties:?}"
        );
    }
}

#[test]
fn live_pages_cost_at_most_400_bytes_a_row() {
    let mut a = app();
    let req = run_target(&mut a, "forbes.com");
    let items = demo(5000);
    a.update(loaded_items(&req, items[..1000].to_vec(), 5000));
    for page in 1..5 {
        let req = support::fetches(&key(&mut a, KeyCode::End))
            .into_iter()
            .next()
            .expect("the next page is asked for");
        a.update(loaded_items(
            &req,
            items[page * 1000..(page + 1) * 1000].to_vec(),
            5000,
        ));
    }
    let rows = &a.results.rows;
    assert_eq!(rows.len(), 5000);
    assert!(rows.is_stored(), "live pages go into a page store");
    let per_row = rows.heap_bytes().unwrap() / rows.len();
    assert!(per_row <= 400, "{per_row} bytes a row");
    // Every row reads back as it came.
    let back: Vec<Backlink> = rows.iter().map(|r| (*r).clone()).collect();
    assert_eq!(back, items);
}

#[test]
fn search_over_a_store_finds_what_it_finds_in_memory_and_refines_alike() {
    use backlinks::app::search::SearchState;
    let dir = tempfile::tempdir().unwrap();
    let items = demo(1500);
    for format in [Format::Jsonl, Format::Csv] {
        let path = dir.path().join(format!("links.{}", format.extension()));
        write(&path, format, &items);
        let stored = RowStore::open(&path).unwrap();
        let stored = Rows::of_store(OpenedStore::new(stored).0);
        let memory: Rows = read_all(&path).unwrap().rows.into();
        let (mut a, mut b) = (SearchState::default(), SearchState::default());
        for text in ["wiki", "wikipedia.org/", "FORBES", "for"] {
            a.set_query(text, &stored);
            b.set_query(text, &memory);
            assert!(!b.matches().is_empty(), "{text}");
            assert_eq!(a.matches(), b.matches(), "{format}: {text}");
        }
        assert!(stored.take_error().is_none());
    }
}

#[test]
fn sorting_a_file_keeps_its_order_among_equal_rows() {
    let dir = tempfile::tempdir().unwrap();
    // Three ranks; in the file, each rank's URLs run backwards (the server's tie-break,
    // `url_from` ascending, would reverse them).
    let items: Vec<Backlink> = demo(300)
        .into_iter()
        .enumerate()
        .map(|(i, mut it)| {
            it.rank = Some((i % 3) as i64);
            it.url_from = Some(format!("https://site{:03}.example/", 299 - i));
            it
        })
        .collect();
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &items);
    let mut a = opened(&path);
    support::filters::column(&mut a, "rank");
    let cmds = key(&mut a, KeyCode::Char('s'));
    assert!(
        support::fetches(&cmds).is_empty(),
        "a file is sorted locally"
    );
    let order = a.results.query.as_ref().unwrap().order_by.clone().unwrap();
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].field, "rank");
    let desc = order[0].dir == SortDir::Desc;
    let want: Vec<Option<String>> = (0..3)
        .map(|r| if desc { 2 - r } else { r })
        .flat_map(|rank| {
            items
                .iter()
                .filter(move |it| it.rank == Some(rank))
                .map(|it| it.url_from.clone())
        })
        .collect();
    assert_eq!(urls(&a.results.rows), want);
}

#[test]
fn searching_many_rows_goes_a_step_at_a_time_and_lands_on_the_first_match() {
    use backlinks::app::search::STEP;
    let dir = tempfile::tempdir().unwrap();
    let n = STEP * 2 + STEP / 2;
    let needle = STEP * 2 + 100;
    let mut items = support::items(0, n);
    items[needle].domain_from = Some("quiz.example".into());
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &items);
    let mut a = opened(&path);
    assert!(a.results.rows.is_stored());
    key(&mut a, KeyCode::Char('/'));
    key(&mut a, KeyCode::Char('q'));
    // One step looked at the first rows: the keyboard is back, the search goes on.
    assert!(a.wants_work(), "rows are left to look at");
    assert_eq!(
        a.results.selected, 0,
        "no match known yet: the selection waits"
    );
    let text = screen(&mut a);
    assert!(text.contains("searching… 40%"), "{text}");
    a.update(Msg::Work);
    assert!(a.wants_work());
    assert_eq!(a.results.selected, 0);
    a.update(Msg::Work);
    assert!(!a.wants_work(), "every row looked at");
    assert_eq!(
        a.results.selected, needle,
        "the selection lands on the match"
    );
    assert_eq!(a.search.matches(), &[needle]);
    // A query with no match at all: back to where the bar opened, once that is known.
    key(&mut a, KeyCode::Char('x'));
    while a.wants_work() {
        a.update(Msg::Work);
    }
    assert_eq!(a.results.selected, 0);
    assert!(a.search.matches().is_empty());
}

#[test]
fn next_match_does_not_wrap_past_rows_not_yet_searched() {
    use backlinks::app::search::STEP;
    let dir = tempfile::tempdir().unwrap();
    let mut items = support::items(0, STEP * 3);
    items[5].domain_from = Some("quiz.example".into());
    items[2 * STEP + 5].domain_from = Some("quiz.example".into());
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &items);
    let mut a = opened(&path);
    key(&mut a, KeyCode::Char('/'));
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.results.selected, 5);
    // Every message moves the search on a step: two thirds are looked at after Enter.
    key(&mut a, KeyCode::Enter);
    assert!(a.wants_work());
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(
        a.results.selected, 5,
        "the next match may be in rows not looked at yet"
    );
    assert!(
        a.status
            .note
            .as_deref()
            .is_some_and(|n| n.contains("still searching")),
        "{:?}",
        a.status.note
    );
    assert!(!a.wants_work(), "the last step came with that key");
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(a.results.selected, 2 * STEP + 5);
}

/// The screen as text, 100×24.
fn screen(app: &mut App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 24)).unwrap();
    app.resize(100, 24);
    terminal.draw(|f| backlinks::ui::render(app, f)).unwrap();
    format!("{}", terminal.backend())
}

#[test]
fn statistics_of_a_big_file_are_counted_a_step_at_a_time() {
    use backlinks::app::stats::STEP;
    let dir = tempfile::tempdir().unwrap();
    let n = STEP * 3 + 7;
    let path = dir.path().join("links.jsonl");
    write(&path, Format::Jsonl, &support::items(0, n));
    let mut a = opened(&path);
    assert_eq!(a.stats.rows(), 0, "a file is counted when the view opens");
    assert!(!a.wants_work());
    key(&mut a, KeyCode::Char('t'));
    assert!(a.stats.rows() < n as u64, "not all at once");
    assert!(a.wants_work());
    let text = screen(&mut a);
    assert!(text.contains("counting…"), "{text}");
    let mut steps = 0;
    while a.wants_work() {
        a.update(Msg::Work);
        steps += 1;
        assert!(steps < 10, "the counting ends");
    }
    assert_eq!(a.stats.rows(), n as u64);
    assert_eq!(a.stats.domains(), n, "every row counted once");
    assert!(!screen(&mut a).contains("counting…"));
}

#[test]
fn a_live_page_goes_into_the_store_from_its_body_when_it_holds_the_items() {
    use backlinks::api::Envelope;
    use backlinks::fetch::{FetchEvent, Page};
    let body = std::fs::read("tests/fixtures/backlinks_live_example_response.json").unwrap();
    let env: Envelope = serde_json::from_slice(&body).unwrap();
    let items = env.first_result().unwrap().items.clone().unwrap();
    // Typed items told apart from the body's: which one the store read shows in `rank`.
    let typed: Vec<Backlink> = items
        .iter()
        .cloned()
        .map(|mut it| {
            it.rank = Some(it.rank.unwrap_or(0) + 5000);
            it
        })
        .collect();
    let load = |body: Option<Vec<u8>>| {
        let mut a = app();
        let req = run_target(&mut a, "forbes.com");
        a.update(Msg::Fetch(FetchEvent::PageLoaded {
            generation: req.generation,
            row_start: req.row_start,
            page: Page {
                items: typed.clone(),
                total_count: typed.len() as u64,
                body: body.map(std::sync::Arc::from),
                ..Page::default()
            },
        }));
        assert!(a.results.rows.is_stored());
        a.results.rows.to_vec()
    };
    let ranks = |rows: Vec<backlinks::api::Row>| -> Vec<Option<i64>> {
        rows.iter().map(|r| r.rank).collect()
    };
    let want = |from: &[Backlink]| -> Vec<Option<i64>> { from.iter().map(|i| i.rank).collect() };
    // With its body, the rows are the body's items as they came (the fixture's unknown
    // fields and all); without one, the typed items.
    let from_body = load(Some(body.clone()));
    assert_eq!(ranks(from_body.clone()), want(&items));
    assert_eq!(
        from_body.iter().map(|r| (**r).clone()).collect::<Vec<_>>(),
        items
    );
    assert_eq!(ranks(load(None)), want(&typed));
    // A body that does not hold as many items as were decoded is not trusted.
    let mut other: serde_json::Value = serde_json::from_slice(&body).unwrap();
    other["tasks"][0]["result"][0]["items"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_eq!(
        ranks(load(Some(serde_json::to_vec(&other).unwrap()))),
        want(&typed)
    );
}
