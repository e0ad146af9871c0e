//! The JSONL and CSV readers read in blocks and parse them on several threads: rows still
//! come back in file order, bad lines keep their true line numbers across blocks, odd lines
//! (longer than a block, CRLF endings, invalid UTF-8, no final newline, line breaks inside
//! quoted CSV cells) are handled, and a reader that stops early is not kept waiting.

use std::fmt::Write as _;
use std::io::Write;

use backlinks::api::response::Backlink;
use backlinks::store::read::{CHUNK_ROWS, read_all};
use backlinks::store::{ReadEvent, read_file};

fn item(i: usize) -> Backlink {
    Backlink {
        url_from: Some(format!("https://site{i}.example/page")),
        domain_from: Some(format!("site{i}.example")),
        rank: Some(i as i64),
        // Sizeable rows, so the file spans several blocks.
        page_from_title: Some("t".repeat(1200)),
        ..Backlink::default()
    }
}

/// Writes `n` lines; `odd(line)` may replace a line's text (1-based line numbers).
fn write_file(
    path: &std::path::Path,
    n: usize,
    odd: impl Fn(usize) -> Option<Vec<u8>>,
) -> Vec<usize> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut good = Vec::new();
    for line in 1..=n {
        if let Some(bytes) = odd(line) {
            f.write_all(&bytes).unwrap();
        } else {
            serde_json::to_writer(&mut f, &item(line)).unwrap();
            good.push(line);
        }
        if line < n {
            f.write_all(b"\n").unwrap();
        }
    }
    f.flush().unwrap();
    good
}

#[test]
fn rows_come_in_file_order_and_bad_lines_keep_their_numbers_across_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    // About 12 MB: the small first block, then several full blocks.
    let bad_lines = [2, 97, 3_001, 7_777, 9_000];
    let good = write_file(&path, 9_000, |line| {
        bad_lines
            .contains(&line)
            .then(|| format!("{{\"rank\": \"not a number on line {line}\"}}").into_bytes())
    });
    let set = read_all(&path).unwrap();
    let ranks: Vec<usize> = set.rows.iter().map(|r| r.rank.unwrap() as usize).collect();
    assert_eq!(ranks, good, "every good row once, in file order");
    let lines: Vec<u64> = set.bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 97, 3_001, 7_777, 9_000]);
    assert!(set.bad[0].1.contains("invalid type"), "{:?}", set.bad[0]);
}

#[test]
fn long_lines_crlf_invalid_utf8_and_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.jsonl");
    let huge = Backlink {
        anchor: Some("a".repeat(3 << 20)), // longer than a whole block
        rank: Some(2),
        ..Backlink::default()
    };
    let good = write_file(&path, 400, |line| match line {
        2 => Some(serde_json::to_vec(&huge).unwrap()),
        5 => Some(b"   ".to_vec()),
        8 => {
            let mut crlf = serde_json::to_vec(&item(8)).unwrap();
            crlf.push(b'\r');
            Some(crlf)
        }
        9 => Some(b"{\"anchor\": \"caf\xe9\"}".to_vec()),
        _ => None,
    });
    let set = read_all(&path).unwrap();
    let mut want: Vec<usize> = good;
    want.extend([2, 8]);
    want.sort_unstable();
    let ranks: Vec<usize> = set.rows.iter().map(|r| r.rank.unwrap() as usize).collect();
    assert_eq!(ranks, want);
    assert_eq!(set.rows[1].anchor.as_ref().unwrap().len(), 3 << 20);
    let lines: Vec<u64> = set.bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [9], "{:?}", set.bad);
    assert_eq!(set.bad[0].1, "invalid unicode code point at column 16");
}

#[test]
fn a_reader_that_stops_after_the_first_rows_is_not_kept_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    write_file(&path, 20_000, |_| None);
    let mut chunks = Vec::new();
    let summary = read_file(&path, CHUNK_ROWS, |ev| {
        if let ReadEvent::Rows(r) = ev {
            chunks.push(r.len());
        }
        false
    })
    .unwrap();
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0] > 0 && chunks[0] <= CHUNK_ROWS, "{chunks:?}");
    assert_eq!(summary.rows, chunks[0] as u64);
}

#[test]
fn rows_arrive_in_chunks_of_at_most_the_asked_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mid.jsonl");
    write_file(&path, 5_000, |_| None);
    let mut sizes = Vec::new();
    let summary = read_file(&path, 700, |ev| {
        if let ReadEvent::Rows(r) = ev {
            sizes.push(r.len());
        }
        true
    })
    .unwrap();
    assert_eq!(summary.rows, 5_000);
    assert_eq!(sizes.iter().sum::<usize>(), 5_000);
    assert!(sizes.iter().all(|s| (1..=700).contains(s)), "{sizes:?}");
}

/// A CSV of `n` records over several blocks: every record spans two lines (a line break in a
/// quoted cell), `tld_from` alternates between empty text (`""`) and null (an empty cell), and
/// the records in `bad` have a rank that is not a number.
fn csv_text(n: usize, bad: &[usize], sep: char) -> String {
    let mut text = format!("rank{sep}tld_from{sep}text_pre{sep}anchor\n");
    let filler = "x".repeat(1500);
    for i in 1..=n {
        let rank = if bad.contains(&i) {
            "high".to_owned()
        } else {
            i.to_string()
        };
        let tld = if i % 2 == 0 { "\"\"" } else { "" };
        let _ = writeln!(
            text,
            "{rank}{sep}{tld}{sep}\"first line\nsecond, with \"\"quotes\"\" {sep} {filler}\"{sep}a\"b"
        );
    }
    text
}

#[test]
fn csv_records_with_line_breaks_in_cells_split_across_blocks_come_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sep) in [("big.csv", ','), ("big.tsv", '\t')] {
        let path = dir.path().join(name);
        let bad = [1, 1_000, 5_555];
        std::fs::write(&path, csv_text(6_000, &bad, sep)).unwrap();
        let set = read_all(&path).unwrap();
        let want: Vec<usize> = (1..=6_000).filter(|i| !bad.contains(i)).collect();
        let ranks: Vec<usize> = set.rows.iter().map(|r| r.rank.unwrap() as usize).collect();
        assert_eq!(ranks, want, "{name}: every good record once, in order");
        for r in &set.rows {
            let i = r.rank.unwrap();
            let tld = if i % 2 == 0 { Some("") } else { None };
            assert_eq!(
                r.tld_from.as_deref(),
                tld,
                "{name}: \"\" is empty text, an empty cell null"
            );
            let pre = r.text_pre.as_deref().unwrap();
            assert!(
                pre.starts_with(&format!("first line\nsecond, with \"quotes\" {sep} ")),
                "{pre:?}"
            );
            // A quote inside an unquoted cell is text, as the csv crate reads it.
            assert_eq!(r.anchor.as_deref(), Some("a\"b"));
        }
        // Record k starts on line 2k (the header is line 1; each record takes two lines).
        let lines: Vec<u64> = set.bad.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 2_000, 11_110], "{name}: {:?}", set.bad);
        assert!(
            set.bad[0].1.contains("rank: 'high' is not a whole number"),
            "{:?}",
            set.bad
        );
    }
}

#[test]
fn a_json_set_as_written_reads_line_by_line_with_its_meta_and_line_numbers() {
    use backlinks::store::{Format, SetMeta, write_set};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.json");
    let items: Vec<Backlink> = (1..=3_000).map(item).collect();
    let meta = SetMeta {
        query: Some(backlinks::api::LiveRequest::new("forbes.com")),
        fetched_at: Some("2024-05-01 09:30:00 +00:00".into()),
        total_count: Some(9_000),
        cost: 0.11,
        partial: true,
    };
    write_set(&path, Format::Json, &meta, &items).unwrap();
    let set = read_all(&path).unwrap();
    assert_eq!(set.rows, items);
    assert_eq!(set.meta.as_ref(), Some(&meta));
    // An item line broken in place: reported with its line in the file, the rest kept.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2_000] = "{\"rank\": \"high\"},".into(); // line 2,001: item 2,000
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let set = read_all(&path).unwrap();
    assert_eq!(set.rows.len(), 2_999);
    assert_eq!(set.bad.len(), 1);
    assert_eq!(set.bad[0].0, 2_001, "{:?}", set.bad);
    assert_eq!(set.meta.unwrap().total_count, Some(9_000));
    // The same set laid out another way still reads (the streaming reader).
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let set = read_all(&path).unwrap();
    assert_eq!(set.rows, items);
    assert_eq!(set.meta.as_ref(), Some(&meta));
    // And an empty one.
    write_set(&path, Format::Json, &meta, &[] as &[Backlink]).unwrap();
    let set = read_all(&path).unwrap();
    assert!(set.rows.is_empty() && set.bad.is_empty());
    assert_eq!(set.meta.as_ref(), Some(&meta));
}
