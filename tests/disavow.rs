//! `backlinks disavow`: the built binary on saved sets, as an SEO person would run it before
//! uploading the file to Google Search Console.

#[path = "common/binary.rs"]
mod binary;

use std::path::Path;

use binary::{backlinks, text};
use serde_json::json;

/// A JSONL set of `(domain_from, url_from, rank)` rows.
fn jsonl(dir: &Path, name: &str, rows: &[(&str, &str, i64)]) -> String {
    let mut body = String::new();
    for (domain, url, rank) in rows {
        let row = json!({"type": "backlink", "domain_from": domain, "url_from": url,
                         "domain_from_rank": rank, "url_to": "https://forbes.com/"});
        body.push_str(&row.to_string());
        body.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_owned()
}

fn entries(file: &str) -> Vec<String> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_filter_picks_the_rows_and_each_domain_is_written_once() {
    let home = tempfile::tempdir().unwrap();
    let set = jsonl(
        home.path(),
        "set.jsonl",
        &[
            ("spam.example", "https://spam.example/a", 2),
            ("good.example", "https://good.example/", 80),
            ("SPAM.example", "https://spam.example/b", 1),
            ("junk.example", "https://junk.example/x", 3),
        ],
    );
    let out = backlinks(
        home.path(),
        &[
            "disavow",
            &set,
            "--filter",
            "domain_from_rank < 10",
            "-o",
            "d.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let file = std::fs::read_to_string(home.path().join("d.txt")).unwrap();
    assert_eq!(
        entries(&file),
        ["domain:spam.example", "domain:junk.example"]
    );
    assert!(file.contains("# filter: domain_from_rank < 10"), "{file}");
    assert!(
        file.starts_with("# 2 domains added by backlinks on "),
        "{file}"
    );
    assert!(text(&out.stderr).contains("3 of 4 rows picked"), "{out:?}");
}

#[test]
fn by_url_writes_the_referring_pages() {
    let home = tempfile::tempdir().unwrap();
    let set = jsonl(
        home.path(),
        "set.jsonl",
        &[
            ("a.example", "https://a.example/1", 1),
            ("a.example", "https://a.example/2", 1),
        ],
    );
    let out = backlinks(home.path(), &["disavow", &set, "--by", "url", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        entries(&text(&out.stdout)),
        ["https://a.example/1", "https://a.example/2"]
    );
}

#[test]
fn a_merge_into_the_same_file_keeps_its_lines_and_comments_and_adds_only_new_domains() {
    let home = tempfile::tempdir().unwrap();
    let old =
        "# disavowed by hand in March\ndomain:Spam.Example\n\n# a page\nhttps://x.example/p\n";
    std::fs::write(home.path().join("disavow.txt"), old).unwrap();
    let set = jsonl(
        home.path(),
        "set.jsonl",
        &[
            ("spam.example", "https://spam.example/a", 2),
            ("new.example", "https://new.example/", 3),
        ],
    );
    let out = backlinks(
        home.path(),
        &[
            "disavow",
            &set,
            "--merge",
            "disavow.txt",
            "-o",
            "disavow.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let file = std::fs::read_to_string(home.path().join("disavow.txt")).unwrap();
    assert!(file.starts_with(old), "{file}");
    assert_eq!(
        entries(&file),
        [
            "domain:Spam.Example",
            "https://x.example/p",
            "domain:new.example"
        ]
    );
    assert!(
        text(&out.stderr).contains("1 new domains, 1 already there"),
        "{out:?}"
    );
}

#[test]
fn past_google_s_line_limit_it_refuses_and_leaves_the_old_file_alone() {
    let home = tempfile::tempdir().unwrap();
    let domains: Vec<String> = (0..100_000).map(|i| format!("d{i}.example")).collect();
    let rows: Vec<(&str, &str, i64)> = domains
        .iter()
        .map(|d| (d.as_str(), "https://x.example/", 1))
        .collect();
    let set = jsonl(home.path(), "big.jsonl", &rows);
    std::fs::write(home.path().join("d.txt"), "domain:old.example\n").unwrap();
    let out = backlinks(home.path(), &["disavow", &set, "-o", "d.txt"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("Google accepts at most 100,000 lines"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(home.path().join("d.txt")).unwrap(),
        "domain:old.example\n"
    );
}

#[test]
fn hostile_domains_are_skipped_and_counted_never_written() {
    let home = tempfile::tempdir().unwrap();
    let set = jsonl(
        home.path(),
        "set.jsonl",
        &[
            (
                "evil.example\ndomain:google.com",
                "https://evil.example/",
                1,
            ),
            ("ok.example", "https://ok.example/", 1),
        ],
    );
    let out = backlinks(home.path(), &["disavow", &set, "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(entries(&text(&out.stdout)), ["domain:ok.example"]);
    assert!(text(&out.stderr).contains("1 rows skipped"), "{out:?}");
}

#[test]
fn an_export_s_target_is_named_in_the_header() {
    let home = tempfile::tempdir().unwrap();
    let export = backlinks(
        home.path(),
        &["export", "forbes.com", "--max-rows", "5", "-o", "set.csv"],
    );
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let out = backlinks(home.path(), &["disavow", "set.csv", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let file = text(&out.stdout);
    assert!(file.contains("# target: forbes.com\n"), "{file}");
    assert!(!entries(&file).is_empty());
}

#[test]
fn a_bad_filter_is_refused_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    let set = jsonl(
        home.path(),
        "set.jsonl",
        &[("a.example", "https://a.example/", 1)],
    );
    let out = backlinks(
        home.path(),
        &["disavow", &set, "--filter", "nope = 1", "-o", "d.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown field 'nope'"),
        "{out:?}"
    );
    assert!(!home.path().join("d.txt").exists());
}
