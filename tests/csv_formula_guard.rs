//! CSV injection: formula-like crawled text is saved to CSV and TSV with a leading `'` (the
//! guard is on by default), kept exactly in JSON and JSONL, and read back as it came.

use std::path::Path;

use backlinks::api::response::Backlink;
use backlinks::cli::{Cli, Command};
use backlinks::config::{self, FileRule};
use backlinks::store::csv::{formula_guard, item_text, unguard_text};
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetMeta, write_set};
use clap::Parser;

/// Text a crawled page can hold that a spreadsheet would run, and text that only looks close.
const FORMULAS: &[&str] = &[
    "=HYPERLINK(\"http://x\",\"click\")",
    "@SUM(1)",
    "+1",
    "-2",
    "\tX",
    "\rX",
    "'=already",
    "''+twice",
    "'plain quote",
    "a=1",
    "'",
];

fn items() -> Vec<Backlink> {
    FORMULAS
        .iter()
        .enumerate()
        .map(|(i, s)| Backlink {
            anchor: Some((*s).to_owned()),
            page_from_title: Some(format!("title {i}")),
            url_from: Some(format!("https://a.example/{i}")),
            rank: Some(-(i as i64)),
            ..Backlink::default()
        })
        .collect()
}

fn save(dir: &Path, format: Format, items: &[Backlink]) -> std::path::PathBuf {
    let path = dir.join(format!("set.{}", format.extension()));
    write_set(&path, format, &SetMeta::default(), items).unwrap();
    path
}

/// The `anchor` and `rank` cells of a CSV/TSV file, as a spreadsheet would get them.
fn cells(path: &Path, delimiter: u8) -> Vec<(String, String)> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (anchor, rank) = (col("anchor"), col("rank"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[anchor].to_owned(), r[rank].to_owned())
        })
        .collect()
}

#[test]
fn the_guard_is_on_unless_turned_off() {
    assert!(formula_guard());
}

#[test]
fn csv_and_tsv_put_a_quote_before_formula_like_text_and_read_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let items = items();
    for (format, delimiter) in [(Format::Csv, b','), (Format::Tsv, b'\t')] {
        let path = save(dir.path(), format, &items);
        let got = cells(&path, delimiter);
        let anchors: Vec<&str> = got.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "'=HYPERLINK(\"http://x\",\"click\")",
                "'@SUM(1)",
                "'+1",
                "'-2",
                "'\tX",
                "'\rX",
                "''=already",
                "'''+twice",
                "'plain quote",
                "a=1",
                "'",
            ],
            "{format}"
        );
        // Numbers are not text: a negative rank stays a number.
        assert_eq!(got[2].1, "-2", "{format}");
        let back = read_all(&path).unwrap();
        assert!(back.bad.is_empty(), "{format}: {:?}", back.bad);
        assert_eq!(back.rows, items, "{format}");
    }
}

#[test]
fn json_and_jsonl_keep_the_text_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let items = items();
    let path = save(dir.path(), Format::Jsonl, &items);
    let text = std::fs::read_to_string(&path).unwrap();
    for (line, want) in text.lines().zip(FORMULAS) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["anchor"], *want);
    }
    assert_eq!(read_all(&path).unwrap().rows, items);
    let path = save(dir.path(), Format::Json, &items);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["items"][0]["anchor"], FORMULAS[0]);
    assert_eq!(read_all(&path).unwrap().rows, items);
}

#[test]
fn copy_as_csv_is_guarded_too() {
    let item = &items()[1];
    let row = item_text(item, b',', false);
    assert!(row.contains(",'@SUM(1),"), "{row:?}");
    assert!(!row.contains(",@SUM"), "{row:?}");
}

#[test]
fn reading_takes_off_only_the_quote_the_guard_added() {
    assert_eq!(unguard_text("'=1"), "=1");
    assert_eq!(unguard_text("''=1"), "'=1");
    assert_eq!(unguard_text("'\tX"), "\tX");
    assert_eq!(unguard_text("'plain"), "'plain");
    assert_eq!(unguard_text("'"), "'");
    assert_eq!(unguard_text("=1"), "=1");
    assert_eq!(unguard_text("a'=1"), "a'=1");
}

#[test]
fn a_spreadsheet_csv_with_formulas_opens_as_written() {
    // A file this app did not guard: formula cells are text as they stand.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.csv");
    std::fs::write(&path, "anchor,rank\n=1+1,-3\n'=x,4\n").unwrap();
    let rows = read_all(&path).unwrap().rows;
    assert_eq!(rows[0].anchor.as_deref(), Some("=1+1"));
    assert_eq!(rows[0].rank, Some(-3));
    assert_eq!(rows[1].anchor.as_deref(), Some("=x"));
}

#[test]
fn a_flag_and_a_setting_turn_the_guard_off() {
    let cli = Cli::parse_from(["backlinks", "export", "x.com", "-o", "x.csv"]);
    let Some(Command::Export(args)) = cli.command else {
        panic!("not export")
    };
    assert!(!args.no_formula_guard);
    let cli = Cli::parse_from([
        "backlinks",
        "export",
        "x.com",
        "-o",
        "x.csv",
        "--no-formula-guard",
    ]);
    let Some(Command::Export(args)) = cli.command else {
        panic!("not export")
    };
    assert!(args.no_formula_guard);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let no_env = |_: &str| None;
    std::fs::write(&path, "csv_formula_guard = false\n").unwrap();
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.settings.csv_formula_guard, Some(false));
    std::fs::write(&path, "csv_formula_guard = \"no\"\n").unwrap();
    let loaded = config::load_file(Some(&path), FileRule::MustExist, &no_env).unwrap();
    assert_eq!(loaded.settings.csv_formula_guard, None);
    assert_eq!(loaded.problems.len(), 1);
    assert!(
        loaded.problems[0]
            .to_string()
            .contains("`csv_formula_guard` must be true or false"),
        "{}",
        loaded.problems[0]
    );
}
