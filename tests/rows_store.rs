//! The row store: a file indexed into compact columns gives back every row exactly as the
//! full reader does (JSONL, CSV, TSV, our set, a plain JSON array on one line or many, a raw
//! API response), sorts and filters as the item-by-item code does, reports bad lines by
//! number while keeping the good rows, opens an empty file, and refuses to hand out rows
//! once the file changed underneath.

use std::io::Write;
use std::path::{Path, PathBuf};

use backlinks::api::filter::{CompiledFilter, Filter};
use backlinks::api::request::SortDir;
use backlinks::api::response::Backlink;
use backlinks::order::{SortVal, compare_values};
use backlinks::rows::{RowId, RowStore, RowsError};
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetEnd, SetWriter};

/// Realistic items (hostile text included), enough for the indexers to cut the file in parts.
fn items(n: usize) -> Vec<Backlink> {
    generate(
        "forbes.com",
        &DatasetConfig {
            seed: 7,
            rows: Some(n),
        },
    )
}

fn write(dir: &Path, name: &str, format: Format, items: &[Backlink]) -> PathBuf {
    let path = dir.join(name);
    let mut w = SetWriter::create(&path, format, None, None).unwrap();
    for it in items {
        w.write(it).unwrap();
    }
    w.finish(&SetEnd::default()).unwrap();
    path
}

fn all_rows(store: &RowStore) -> Vec<Backlink> {
    let ids: Vec<RowId> = (0..store.len() as u32).map(RowId).collect();
    store.rows(&ids).unwrap()
}

/// Every row read back equals what the full reader gives for the same file.
fn same_as_full_reader(path: &Path) -> RowStore {
    let store = RowStore::open(path).unwrap();
    let full = read_all(path).unwrap();
    assert!(store.bad_records().is_empty(), "{:?}", store.bad_records());
    assert_eq!(store.len(), full.rows.len());
    assert!(
        all_rows(&store) == full.rows,
        "{} rows differ",
        path.display()
    );
    store
}

#[test]
fn every_format_reads_back_the_rows_the_full_reader_gives() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(4000);
    for (name, format) in [
        ("a.jsonl", Format::Jsonl),
        ("a.csv", Format::Csv),
        ("a.tsv", Format::Tsv),
        ("a.json", Format::Json),
    ] {
        let path = write(dir.path(), name, format, &items);
        let store = same_as_full_reader(&path);
        assert_eq!(store.len(), items.len(), "{name}");
    }
}

#[test]
fn a_plain_json_array_on_one_line_or_many_takes_the_fast_path() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(4000);
    let one_line = dir.path().join("one.json");
    std::fs::write(&one_line, serde_json::to_vec(&items).unwrap()).unwrap();
    let pretty = dir.path().join("pretty.json");
    std::fs::write(&pretty, serde_json::to_vec_pretty(&items).unwrap()).unwrap();
    for path in [one_line, pretty] {
        let store = same_as_full_reader(&path);
        assert_eq!(store.len(), items.len());
    }
}

#[test]
fn a_raw_api_response_opens_through_the_full_reader() {
    let path = Path::new("tests/fixtures/backlinks_live_example_response.json");
    let store = same_as_full_reader(path);
    assert!(!store.is_empty());
}

#[test]
fn bad_lines_are_reported_by_number_and_the_good_rows_kept() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(50);
    let path = dir.path().join("bad.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for (i, it) in items.iter().enumerate() {
        match i + 1 {
            3 => writeln!(f, "{{\"rank\": \"high\"}}").unwrap(),
            7 => writeln!(f, "{{not json").unwrap(),
            9 => writeln!(f, "{{\"anchor\": 5}}").unwrap(),
            _ => writeln!(f, "{}", serde_json::to_string(it).unwrap()).unwrap(),
        }
    }
    drop(f);
    let store = RowStore::open(&path).unwrap();
    let lines: Vec<u64> = store.bad_records().iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 7, 9]);
    assert!(store.bad_records()[0].reason.contains("column"));
    assert_eq!(store.len(), 47);
    let good: Vec<Backlink> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| ![2, 6, 8].contains(i))
        .map(|(_, it)| it.clone())
        .collect();
    assert!(all_rows(&store) == good);
}

#[test]
fn a_bad_csv_row_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(20);
    let path = write(dir.path(), "a.csv", Format::Csv, &items);
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().next().unwrap();
    let rank_col = header.split(',').position(|h| h == "rank").unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Line 5 of the file: rank is not a number. (The generated rows have no line breaks in
    // cells before the rank column, so splitting on ',' finds it.)
    let mut cells: Vec<String> = lines[4].split(',').map(str::to_owned).collect();
    cells[rank_col] = "high".into();
    lines[4] = cells.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let store = RowStore::open(&path).unwrap();
    let bad = store.bad_records();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].line, 5);
    assert!(bad[0].reason.contains("rank"), "{}", bad[0].reason);
    assert_eq!(store.len(), 19);
}

#[test]
fn an_empty_file_is_an_empty_set() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["e.jsonl", "e.csv", "e.json"] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"").unwrap();
        let store = RowStore::open(&path).unwrap();
        assert_eq!(store.len(), 0, "{name}");
        assert!(store.bad_records().is_empty());
    }
    let path = dir.path().join("e2.json");
    std::fs::write(&path, b"[]").unwrap();
    assert_eq!(RowStore::open(&path).unwrap().len(), 0);
}

fn changed(r: Result<Backlink, RowsError>) -> String {
    match r {
        Err(e @ RowsError::Changed { .. }) => e.to_string(),
        other => panic!("expected a change to be reported, got {other:?}"),
    }
}

#[test]
fn a_file_truncated_rewritten_or_removed_while_open_gives_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(30);
    let path = write(dir.path(), "a.jsonl", Format::Jsonl, &items);
    let store = RowStore::open(&path).unwrap();
    assert!(store.row(RowId(29)).unwrap() == items[29]);

    // Truncated.
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(len / 2).unwrap();
    assert!(changed(store.row(RowId(0))).contains("shorter"));
    drop(f);

    // Rewritten in place with the same length (the time may not move within its resolution:
    // the row's hash still tells).
    let path = write(dir.path(), "b.jsonl", Format::Jsonl, &items);
    let store = RowStore::open(&path).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.iter().position(|b| *b == b'f').unwrap();
    bytes[at] = b'g';
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    changed(store.row(RowId(0)));
    let filter = Filter::parse(r#"anchor ilike "%a%""#).unwrap();
    assert!(
        store.filter(&filter).is_err(),
        "a scan refuses changed rows too"
    );

    // Removed, then replaced by another file.
    let path = write(dir.path(), "c.jsonl", Format::Jsonl, &items);
    let store = RowStore::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(changed(store.row(RowId(1))).contains("removed"));
    write(dir.path(), "c.jsonl", Format::Jsonl, &items);
    assert!(changed(store.row(RowId(1))).contains("another file"));
}

/// Reference order: the comparator the explorer's local sort uses, ties in file order.
fn reference_sort(items: &[Backlink], field: &str, descending: bool) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..items.len()).collect();
    ids.sort_by(|a, b| {
        let (va, vb) = (
            SortVal::of_field(items[*a].field(field)),
            SortVal::of_field(items[*b].field(field)),
        );
        let dir = if descending {
            SortDir::Desc
        } else {
            SortDir::Asc
        };
        compare_values(&[va], &[vb], &[dir]).then(a.cmp(b))
    });
    ids
}

#[test]
fn sorting_by_any_column_gives_the_explorers_order() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(3000);
    for format in [Format::Jsonl, Format::Csv] {
        let path = write(dir.path(), &format!("s.{format}"), format, &items);
        let store = RowStore::open(&path).unwrap();
        for field in [
            "rank",
            "domain_from_rank",
            "page_from_external_links",
            "first_seen",
            "last_seen",
            "dofollow",
            "domain_from",
            "tld_from",
            "page_from_language",
            "page_from_title",
            "url_from",
            "ranked_keywords_info.page_from_keywords_count_top_10",
        ] {
            for descending in [false, true] {
                let got: Vec<usize> = store
                    .sorted(field, descending)
                    .unwrap()
                    .into_iter()
                    .map(RowId::index)
                    .collect();
                let want = reference_sort(&items, field, descending);
                assert_eq!(got, want, "{format} {field} desc={descending}");
            }
        }
    }
}

#[test]
fn filters_give_the_rows_the_item_evaluator_gives() {
    let dir = tempfile::tempdir().unwrap();
    let items = items(3000);
    let filters = [
        "domain_from_rank >= 500",
        "rank < 100 or dofollow = false",
        "page_from_status_code not_in [200, 301]",
        r#"anchor ilike "%news%""#,
        r#"anchor not_ilike "%a%""#,
        r#"page_from_title like "%The%" and domain_from_rank > 10"#,
        r#"url_from regex "^https://[a-z]+\\.com""#,
        r#"first_seen > "2024-01-01""#,
        r#"last_seen <= "2026-10-15 12:00:00 +00:00""#,
        r#"tld_from = "com""#,
        r#"tld_from != "com""#,
        r#"domain_from like "%news%""#,
        r#"attributes has "nofollow""#,
        r#"attributes has_not "nofollow""#,
        r#"domain_from_platform_type has "blogs""#,
        r#"semantic_location = "article""#,
        r#"text_pre match "the""#,
        "is_lost = true",
        "ranked_keywords_info.page_from_keywords_count_top_10 > 2",
        r#"item_type in ["anchor", "image"] and (rank > 50 or anchor ilike "%a%")"#,
    ];
    for format in [Format::Jsonl, Format::Csv] {
        let path = write(dir.path(), &format!("f.{format}"), format, &items);
        let store = RowStore::open(&path).unwrap();
        for text in filters {
            let filter = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            let compiled = CompiledFilter::new(&filter).unwrap();
            let want: Vec<usize> = (0..items.len())
                .filter(|i| compiled.matches(&items[*i]))
                .collect();
            let got: Vec<usize> = store
                .filter(&filter)
                .unwrap()
                .into_iter()
                .map(RowId::index)
                .collect();
            assert_eq!(got, want, "{format}: {text}");
            // Each filter keeps some rows and drops others, so a wrong answer shows.
            assert!(
                !got.is_empty() && got.len() < items.len(),
                "{format}: {text}"
            );
        }
    }
}
