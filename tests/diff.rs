//! `backlinks diff OLD NEW`: the built binary on saved sets, as an SEO person would run it
//! a month after the last export.

#[path = "common/binary.rs"]
mod binary;

use std::path::{Path, PathBuf};
use std::process::Output;

use backlinks::api::Backlink;
use backlinks::api::request::LiveRequest;
use backlinks::sim::dataset::{DatasetConfig, generate};
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetMeta, write_set};
use binary::{backlinks, text};

/// 60 realistic rows of forbes.com, the first with a field this version does not know.
fn rows() -> Vec<Backlink> {
    let mut rows = generate(
        "forbes.com",
        &DatasetConfig {
            seed: 7,
            rows: Some(60),
        },
    );
    rows.truncate(60);
    let extra = serde_json::json!({"future_field": {"x": [1, "é"]}});
    rows[0].extra = Some(Box::new(extra.as_object().unwrap().clone()));
    rows
}

fn meta(target: &str, partial: bool) -> SetMeta {
    SetMeta {
        query: Some(LiveRequest::new(target)),
        fetched_at: Some("2026-11-03 10:00:00 +00:00".into()),
        total_count: Some(100),
        cost: 0.0,
        partial,
    }
}

fn save(dir: &Path, name: &str, format: Format, rows: &[Backlink], meta: &SetMeta) -> String {
    let path = dir.join(name);
    write_set(&path, format, meta, rows).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `rows` saved in `dir` as `name`, in `format`, as a complete forbes.com set: its path.
fn save_forbes(dir: &Path, name: &str, format: Format, rows: &[Backlink]) -> String {
    save(dir, name, format, rows, &meta("forbes.com", false))
}

/// `old` and `new` saved in `dir` as the complete forbes.com sets `a.jsonl` and `b.jsonl`:
/// their paths.
fn save_jsonl_pair(dir: &Path, old: &[Backlink], new: &[Backlink]) -> (String, String) {
    (
        save_forbes(dir, "a.jsonl", Format::Jsonl, old),
        save_forbes(dir, "b.jsonl", Format::Jsonl, new),
    )
}

fn summary(out: &Output) -> String {
    text(&out.stdout)
        .lines()
        .find(|l| l.ends_with(" unchanged"))
        .unwrap_or_else(|| panic!("no summary in {out:?}"))
        .to_owned()
}

/// The rows written by `diff -o`, read back with `open`'s reader.
fn written(path: &Path) -> Vec<Backlink> {
    let set = read_all(path).unwrap();
    assert!(set.bad.is_empty(), "{:?}", set.bad);
    set.rows
}

/// A change made to one row.
type Edit = fn(&mut Backlink);

fn untagged(mut b: Backlink) -> Backlink {
    b.change = None;
    b.changed_fields = None;
    b
}

#[test]
fn a_set_against_itself_has_no_differences_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let rows = rows();
    for format in Format::ALL {
        let name = format!("a.{format}");
        let a = save_forbes(home.path(), &name, format, &rows);
        let out = backlinks(home.path(), &["diff", &a, &a]);
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
        assert_eq!(
            summary(&out),
            "0 new, 0 lost, 0 changed, 60 unchanged",
            "{format}"
        );
    }
}

#[test]
fn fields_outside_the_comparison_are_not_changes() {
    let home = tempfile::tempdir().unwrap();
    let old = rows();
    let mut new = old.clone();
    new[3].rank = Some(1);
    new[4].last_seen = Some("2026-12-01 00:00:00 +00:00".into());
    new[5].page_from_title = Some("another title".into());
    let (a, b) = save_jsonl_pair(home.path(), &old, &new);
    let out = backlinks(home.path(), &["diff", &a, &b]);
    assert_eq!(summary(&out), "0 new, 0 lost, 0 changed, 60 unchanged");
}

#[test]
fn repeats_of_a_link_are_matched_in_order() {
    let home = tempfile::tempdir().unwrap();
    let base = rows();
    // OLD: link 0 twice (the second nofollow); NEW: link 0 three times, all dofollow.
    let mut old = base[..10].to_vec();
    let mut again = base[0].clone();
    again.dofollow = Some(false);
    old.push(again);
    let mut new = base[..10].to_vec();
    new[0].dofollow = Some(true);
    old[0].dofollow = Some(true);
    let mut second = base[0].clone();
    second.dofollow = Some(true);
    new.push(second.clone());
    new.push(second);
    let (a, b) = save_jsonl_pair(home.path(), &old, &new);
    let out = backlinks(home.path(), &["diff", &a, &b, "-o", "d.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // 1st repeat equal, 2nd changed (nofollow → dofollow), 3rd new.
    assert_eq!(summary(&out), "1 new, 0 lost, 1 changed, 10 unchanged");
    let d = written(&home.path().join("d.jsonl"));
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].change.as_deref(), Some("changed"));
    assert_eq!(
        d[0].changed_fields.as_deref(),
        Some(&["dofollow".to_owned()][..])
    );
    assert_eq!(d[1].change.as_deref(), Some("new"));

    // The other way round: the third repeat is lost.
    let out = backlinks(home.path(), &["diff", &b, &a]);
    assert_eq!(summary(&out), "0 new, 1 lost, 1 changed, 10 unchanged");
}

#[test]
fn each_compared_field_is_a_change_named_in_changed_fields() {
    let home = tempfile::tempdir().unwrap();
    let old = rows();
    let a = save_forbes(home.path(), "a.jsonl", Format::Jsonl, &old);
    let edits: [(&str, Edit); 7] = [
        ("dofollow", |r| {
            r.dofollow = Some(!r.dofollow.unwrap_or(false));
        }),
        ("attributes", |r| {
            r.attributes
                .get_or_insert_with(Vec::new)
                .push("sponsored".into());
        }),
        ("is_broken", |r| {
            r.is_broken = Some(!r.is_broken.unwrap_or(false));
        }),
        ("url_to_status_code", |r| r.url_to_status_code = Some(410)),
        ("url_to_redirect_target", |r| {
            r.url_to_redirect_target = Some("https://elsewhere.example/".into());
        }),
        ("semantic_location", |r| {
            r.semantic_location = Some(
                if r.semantic_location.as_deref() == Some("footer") {
                    "nav"
                } else {
                    "footer"
                }
                .into(),
            );
        }),
        ("original", |r| {
            r.original = Some(!r.original.unwrap_or(false));
        }),
    ];
    for (field, edit) in edits {
        let mut new = old.clone();
        edit(&mut new[7]);
        let b = save_forbes(home.path(), "b.jsonl", Format::Jsonl, &new);
        let out = backlinks(home.path(), &["diff", &a, &b, "-o", "d.jsonl"]);
        assert_eq!(out.status.code(), Some(0), "{field}: {out:?}");
        assert_eq!(
            summary(&out),
            "0 new, 0 lost, 1 changed, 59 unchanged",
            "{field}"
        );
        let d = written(&home.path().join("d.jsonl"));
        assert_eq!(d.len(), 1, "{field}");
        assert_eq!(d[0].change.as_deref(), Some("changed"));
        assert_eq!(
            d[0].changed_fields.as_deref(),
            Some(&[field.to_owned()][..]),
            "{field}"
        );
        // The row written is NEW's.
        assert_eq!(untagged(d[0].clone()), new[7], "{field}");
    }
}

/// OLD and NEW for the format tests: 2 lost, 3 new, 1 changed, 55 unchanged.
fn old_and_new() -> (Vec<Backlink>, Vec<Backlink>) {
    let base = rows();
    let old = base[..57].to_vec();
    let mut new = base[2..].to_vec(); // rows 0 and 1 lost, 57..60 new
    new[0].dofollow = Some(!new[0].dofollow.unwrap_or(false)); // row 2 changed
    (old, new)
}

#[test]
fn every_format_in_gives_the_same_diff() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new();
    for fa in Format::ALL {
        for fb in Format::ALL {
            let a = save_forbes(home.path(), &format!("a.{fa}"), fa, &old);
            let b = save_forbes(home.path(), &format!("b.{fb}"), fb, &new);
            let out = backlinks(home.path(), &["diff", &a, &b]);
            assert_eq!(out.status.code(), Some(0), "{fa} → {fb}: {out:?}");
            assert_eq!(
                summary(&out),
                "3 new, 2 lost, 1 changed, 54 unchanged",
                "{fa} → {fb}"
            );
        }
    }
}

#[test]
fn a_raw_api_response_is_read_too() {
    let home = tempfile::tempdir().unwrap();
    let (old, _) = old_and_new();
    let response = serde_json::json!({
        "status_code": 20000,
        "tasks": [{"status_code": 20000, "data": {"target": "forbes.com"},
                   "result": [{"target": "forbes.com", "total_count": 57, "items": old}]}]
    });
    std::fs::write(home.path().join("raw.json"), response.to_string()).unwrap();
    let a = save_forbes(home.path(), "a.jsonl", Format::Jsonl, &old);
    let out = backlinks(home.path(), &["diff", "raw.json", &a]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(summary(&out), "0 new, 0 lost, 0 changed, 57 unchanged");
}

#[test]
fn every_format_out_reads_back_through_open_with_change_and_changed_fields() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new();
    let a = save_forbes(home.path(), "a.jsonl", Format::Jsonl, &old);
    let b = save_forbes(home.path(), "b.json", Format::Json, &new);
    for format in Format::ALL {
        let out_name = format!("d.{format}");
        let out = backlinks(home.path(), &["diff", &a, &b, "-o", &out_name]);
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
        assert!(text(&out.stderr).contains("wrote 6 rows"), "{out:?}");
        let d = written(&home.path().join(&out_name));
        let changes: Vec<&str> = d.iter().map(|r| r.change.as_deref().unwrap()).collect();
        // NEW's rows in NEW's order (row 2 changed first, then the three new), then the lost.
        assert_eq!(
            changes,
            ["changed", "new", "new", "new", "lost", "lost"],
            "{format}"
        );
        assert_eq!(
            d[0].changed_fields.as_deref(),
            Some(&["dofollow".to_owned()][..])
        );
        assert_eq!(d[1].changed_fields.as_deref(), Some(&[][..]));
        // A lost row is OLD's, the others NEW's, their other values as they were.
        let keep_extra = matches!(format, Format::Json | Format::Jsonl);
        let expect = |r: &Backlink| {
            let mut r = r.clone();
            if !keep_extra {
                r.extra = None; // CSV/TSV have a column per known field only
            }
            r
        };
        assert_eq!(untagged(d[0].clone()), expect(&new[0]), "{format}");
        assert_eq!(untagged(d[1].clone()), expect(&new[55]), "{format}");
        assert_eq!(untagged(d[4].clone()), expect(&old[0]), "{format}");
        assert_eq!(untagged(d[5].clone()), expect(&old[1]), "{format}");
        if keep_extra {
            assert!(d[4].extra.as_ref().unwrap().contains_key("future_field"));
        }
    }
    // CSV: `change` and `changed_fields` are the first columns.
    let csv = std::fs::read_to_string(home.path().join("d.csv")).unwrap();
    assert!(csv.starts_with("change,changed_fields,type,"), "{csv}");
}

#[test]
fn dash_writes_the_rows_to_stdout_and_the_rest_to_stderr() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new();
    let (a, b) = save_jsonl_pair(home.path(), &old, &new);
    let out = backlinks(
        home.path(),
        &["diff", &a, &b, "-o", "-", "--format", "jsonl"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let lines: Vec<Backlink> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(text(&out.stderr).contains("3 new, 2 lost, 1 changed, 54 unchanged"));
}

#[test]
fn sets_of_different_targets_are_refused_unless_forced() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new();
    let a = save_forbes(home.path(), "a.json", Format::Json, &old);
    let b = save(
        home.path(),
        "b.json",
        Format::Json,
        &new,
        &meta("nytimes.com", false),
    );
    let out = backlinks(home.path(), &["diff", &a, &b, "-o", "d.csv"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("forbes.com") && err.contains("nytimes.com") && err.contains("--force"),
        "{err}"
    );
    assert!(!home.path().join("d.csv").exists(), "nothing written");

    let out = backlinks(home.path(), &["diff", &a, &b, "--force", "-o", "d.csv"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stdout).contains("warning: comparing different targets"));
    assert!(home.path().join("d.csv").exists());

    // www. and case are the same target.
    let c = save(
        home.path(),
        "c.json",
        Format::Json,
        &new,
        &meta("WWW.Forbes.com", false),
    );
    let out = backlinks(home.path(), &["diff", &a, &c]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn each_set_s_query_line_is_shown_and_a_partial_set_is_warned_about() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new();
    let a = save_forbes(home.path(), "a.json", Format::Json, &old);
    let b = save(
        home.path(),
        "b.json",
        Format::Json,
        &new,
        &meta("forbes.com", true),
    );
    let out = backlinks(home.path(), &["diff", &a, &b]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("OLD ")
            && lines[0].contains(
                "a.json: forbes.com, fetched 2026-11-03 10:00:00 +00:00, complete, 57 rows"
            ),
        "{stdout}"
    );
    assert!(
        lines[1].contains(
            "b.json: forbes.com, fetched 2026-11-03 10:00:00 +00:00, partial (of 100 rows), 58 rows"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("NEW (")
            && stdout.contains(
                "partial set: some of the 2 \"lost\" links may just not have been fetched"
            ),
        "{stdout}"
    );
    // Not a terminal and no -o: the summary, and how to see the rows.
    assert!(stdout.contains("give -o FILE"), "{stdout}");

    // A JSONL export's manifest says the same for its file.
    let c = save_forbes(home.path(), "c.jsonl", Format::Jsonl, &old);
    let out = backlinks(home.path(), &["diff", &c, &b]);
    assert!(
        text(&out.stdout).contains("c.jsonl: no saved query"),
        "{out:?}"
    );

    // A partial NEW against itself has no "lost" links: its query line says partial, and no
    // warning speaks of a count of none.
    let out = backlinks(home.path(), &["diff", &b, &b]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("partial (of 100 rows)"), "{stdout}");
    assert!(!stdout.contains("some of the"), "{stdout}");
}

#[test]
fn a_file_that_is_not_a_set_is_refused_with_its_name() {
    let home = tempfile::tempdir().unwrap();
    let (old, _) = old_and_new();
    let a = save_forbes(home.path(), "a.jsonl", Format::Jsonl, &old);
    let missing: PathBuf = home.path().join("nope.jsonl");
    let out = backlinks(home.path(), &["diff", &a, missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("nope.jsonl"), "{out:?}");
}
