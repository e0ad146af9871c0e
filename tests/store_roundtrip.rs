//! Save → open gives the same items back, for every format, with the fixture's nested fields,
//! unicode and hostile strings; and the readers accept a raw API response and report bad lines.

use std::path::Path;

use backlinks::api::LiveRequest;
use backlinks::api::response::{Backlink, Envelope, IndirectHop, RankedKeywordsInfo};
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetMeta, write_set};

const FIXTURE: &str = "tests/fixtures/backlinks_live_example_response.json";

fn fixture_items() -> Vec<Backlink> {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let env: Envelope = serde_json::from_str(&text).unwrap();
    env.first_result().unwrap().items.clone().unwrap()
}

/// Strings a crawled page can hold, and strings that look like other types.
const HOSTILE: &[&str] = &[
    "comma, \"quoted\" and 'single'",
    "line one\nline two\r\nline three\rend",
    "tab\there\tand\tthere",
    "\x1b[31mred\x1b[0m \x1b]52;c;cm0gLXJmIH4=\x07 osc",
    "nul \0 bell \x07 backspace \x08",
    "\u{202e}reversed\u{202c} gpj.exe \u{2066}iso\u{2069}",
    "👩\u{200d}👩\u{200d}👧 日本語 한국어 🇺🇸 ＷＩＤＥ Ελληνικά кириллица",
    "  leading and trailing spaces  ",
    "\"",
    "\"\"",
    ",",
    "123",
    "true",
    "null",
    "{\"looks\":\"like json\"}",
    "[1,2]",
    "=HYPERLINK(\"http://evil.example\")",
    "\u{feff}bom\u{200b}zero width",
];

fn hostile_items() -> Vec<Backlink> {
    let base = fixture_items().remove(0);
    HOSTILE
        .iter()
        .enumerate()
        .map(|(i, s)| Backlink {
            anchor: Some((*s).to_owned()),
            page_from_title: Some(format!("title {i}: {s}")),
            text_pre: Some(s.repeat(2)),
            attributes: Some(vec![(*s).to_owned(), "nofollow".into()]),
            domain_from_platform_type: Some(vec![]),
            rank: Some(i as i64 - 5),
            ranked_keywords_info: Some(RankedKeywordsInfo {
                page_from_keywords_count_top_3: Some(i as i64),
                page_from_keywords_count_top_10: None,
                page_from_keywords_count_top_100: Some(1_000_000),
            }),
            indirect_link_path: Some(vec![IndirectHop {
                kind: Some("redirect".into()),
                status_code: Some(301),
                url: Some(format!("https://x.example/{s}")),
            }]),
            ..base.clone()
        })
        .collect()
}

fn all_items() -> Vec<Backlink> {
    let mut items = fixture_items();
    items.extend(hostile_items());
    items.push(Backlink::default()); // every field null
    items
}

fn meta() -> SetMeta {
    let mut query = LiveRequest::new("forbes.com");
    query.limit = Some(1000);
    SetMeta {
        query: Some(query),
        fetched_at: Some("2024-05-01 09:30:00 +00:00".into()),
        total_count: Some(42_671_699),
        cost: 0.020_15,
        partial: true,
    }
}

fn round_trip(format: Format, items: &[Backlink]) -> (Vec<Backlink>, Option<SetMeta>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("set.{}", format.extension()));
    let n = write_set(&path, format, &meta(), items).unwrap();
    assert_eq!(n, items.len() as u64);
    let set = read_all(&path).unwrap();
    assert!(set.bad.is_empty(), "{format}: {:?}", set.bad);
    (set.rows, set.meta)
}

#[test]
fn json_and_jsonl_keep_fields_this_version_does_not_know() {
    let mut item: Backlink = serde_json::from_str(
        r#"{"rank":5,"url_from":"https://a.example/","future_score":{"value":0.5,"model":"v2"}}"#,
    )
    .unwrap();
    assert!(item.extra.is_some());
    for format in [Format::Json, Format::Jsonl] {
        let (rows, _) = round_trip(format, std::slice::from_ref(&item));
        assert_eq!(rows, [item.clone()], "{format}");
    }
    // CSV has a column per known field only; the rest of the row is kept.
    let (rows, _) = round_trip(Format::Csv, std::slice::from_ref(&item));
    item.extra = None;
    assert_eq!(rows, [item]);
}

#[test]
fn every_format_gives_the_same_items_back() {
    let items = all_items();
    assert!(items.iter().any(|i| i.indirect_link_path.is_some()));
    for format in Format::ALL {
        let (rows, _) = round_trip(format, &items);
        assert_eq!(rows.len(), items.len(), "{format}");
        for (i, (got, want)) in rows.iter().zip(&items).enumerate() {
            assert_eq!(got, want, "{format}: item {i}");
        }
    }
}

#[test]
fn a_json_set_keeps_its_query_and_totals() {
    let (_, got) = round_trip(Format::Json, &fixture_items());
    assert_eq!(got, Some(meta()));
}

#[test]
fn csv_has_the_catalogue_header_and_json_for_nested_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.csv");
    write_set(&path, Format::Csv, &meta(), &fixture_items()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().next().unwrap();
    let names: Vec<&str> = backlinks::api::Catalog::get()
        .top_level()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(header, names.join(","));
    assert!(header.starts_with("type,domain_from,url_from,"));
    // Arrays and objects as compact JSON, quoted per RFC 4180.
    assert!(text.contains(r#""[""unknown""]""#), "{text}");
    assert!(
        text.contains(r#""{""page_from_keywords_count_top_3"":"#),
        "{text}"
    );
}

#[test]
fn csv_tells_an_empty_text_from_a_null() {
    // An IP host has `tld_from: ""`; a missing anchor is null. A null is an empty cell, an
    // empty text is `""`.
    let items = vec![
        Backlink {
            tld_from: Some(String::new()),
            anchor: None,
            alt: Some(",".into()),
            ..Backlink::default()
        },
        Backlink {
            tld_from: None,
            anchor: Some(String::new()),
            text_pre: Some("\"\"".into()),
            ..Backlink::default()
        },
    ];
    for format in [Format::Csv, Format::Tsv] {
        let (rows, _) = round_trip(format, &items);
        assert_eq!(rows, items, "{format}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.csv");
    write_set(&path, Format::Csv, &meta(), &items).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[7], "\"\"", "tld_from is an empty text: {text}");
    assert_eq!(row[1], "", "domain_from is null");
}

#[test]
fn a_raw_api_response_opens_with_its_query() {
    let set = read_all(Path::new(FIXTURE)).unwrap();
    assert!(set.bad.is_empty());
    assert_eq!(set.rows, fixture_items());
    let meta = set.meta.unwrap();
    assert_eq!(meta.total_count, Some(42_671_699));
    assert!((meta.cost - 0.020_15).abs() < 1e-12);
    let query = meta.query.unwrap();
    assert_eq!(query.target, "forbes.com");
    assert_eq!(query.limit, Some(5));
}

#[test]
fn bad_jsonl_lines_are_reported_by_number_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.jsonl");
    let good = serde_json::to_string(&fixture_items()[0]).unwrap();
    let text = format!("{good}\nnot json at all\n\n{{\"rank\":\"high\"}}\n{good}\n{good}");
    std::fs::write(&path, text).unwrap();
    let backlinks::store::read::LoadedSet { rows, bad, .. } = read_all(&path).unwrap();
    assert_eq!(rows.len(), 3, "the good rows are kept");
    let lines: Vec<u64> = bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![2, 4]);
    assert!(bad[1].1.contains("invalid type"), "{:?}", bad[1]);
}

#[test]
fn bad_csv_rows_are_reported_by_line_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.csv");
    std::fs::write(
        &path,
        "domain_from,rank,dofollow,attributes,made_up_column\n\
         a.com,5,true,\"[\"\"ugc\"\"]\",x\n\
         b.com,high,true,,x\n\
         c.com,7,maybe,,x\n\
         d.com,8,FALSE,,x\n",
    )
    .unwrap();
    let backlinks::store::read::LoadedSet { rows, bad, .. } = read_all(&path).unwrap();
    let domains: Vec<_> = rows
        .iter()
        .map(|r| r.domain_from.clone().unwrap())
        .collect();
    assert_eq!(domains, ["a.com", "d.com"]);
    assert_eq!(rows[0].attributes, Some(vec!["ugc".to_owned()]));
    assert_eq!(rows[1].dofollow, Some(false));
    assert_eq!(bad[0].0, 3);
    assert!(
        bad[0].1.contains("rank: 'high' is not a whole number"),
        "{bad:?}"
    );
    assert_eq!(bad[1].0, 4);
}

#[test]
fn files_that_are_not_sets_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.json");
    std::fs::write(&path, r#"{"hello":"world"}"#).unwrap();
    let err = read_all(&path).unwrap_err().to_string();
    assert!(
        err.contains("neither a backlinks set nor an API response"),
        "{err}"
    );
    let err = read_all(&dir.path().join("missing.jsonl"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("missing.jsonl") && err.contains("does not exist"),
        "{err}"
    );
    let csv = dir.path().join("other.csv");
    std::fs::write(&csv, "a,b\n1,2\n").unwrap();
    let err = read_all(&csv).unwrap_err().to_string();
    assert!(err.contains("names no backlink field"), "{err}");
}

#[test]
fn a_truncated_json_set_keeps_the_rows_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.json");
    let items = all_items();
    write_set(&path, Format::Json, &meta(), &items).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.len() * 2 / 3;
    std::fs::write(&path, &text.as_bytes()[..cut]).unwrap();
    let mut rows = 0;
    let err = backlinks::store::read_file(&path, 3, |ev| {
        if let backlinks::store::ReadEvent::Rows(r) = ev {
            rows += r.len();
        }
        true
    })
    .unwrap_err()
    .to_string();
    assert!(rows > 0 && rows < items.len(), "{rows}");
    assert!(err.contains("line"), "{err}");
}

#[test]
fn unknown_extensions_are_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let items = fixture_items();
    for format in Format::ALL {
        let path = dir.path().join(format!("set-{format}"));
        let tmp = dir.path().join(format!("x.{format}"));
        write_set(&tmp, format, &meta(), &items).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(read_all(&path).unwrap().rows, items, "{format}");
    }
}
