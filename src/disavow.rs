//! Google Search Console disavow files: plain UTF-8 text, one `domain:example.com` or full URL
//! per line, `#` comments. Pure: entries from rows, reading an existing file, merging, and
//! Google's limits (2 MB, 100,000 lines). `backlinks disavow` and the explorer's save dialog
//! both write through [`build`].
//!
//! A merge never drops or rewrites a line of the existing file: its comments, blank lines and
//! entries stay, in order, and only entries it lacks are added, under a comment saying when and
//! from what. Domains compare case-insensitively (and without a trailing dot); URLs compare as
//! written.
//!
//! Domains and URLs come from crawled pages, so they are untrusted: a value with whitespace,
//! a control character or a `#` could add lines or comments of its own, and is skipped (and
//! counted) rather than written.
//!
//! Everything here is pure but [`file`](mod@file), which reads the file to merge into and writes the
//! result atomically.

pub mod file;

use std::fmt::Write as _;

use foldhash::{HashSet, HashSetExt};

use crate::api::response::Backlink;
use crate::text::group;

/// Google's limit on the file's size.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Google's limit on the file's lines.
pub const MAX_LINES: usize = 100_000;

/// What each line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum By {
    /// `domain:` lines: every link from the referring host.
    #[default]
    Domain,
    /// The referring pages' full URLs.
    Url,
}

impl By {
    /// `domains` / `URLs`, for messages.
    pub fn plural(self) -> &'static str {
        match self {
            By::Domain => "domains",
            By::Url => "URLs",
        }
    }
}

/// One line that disavows something.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Entry {
    Domain(String),
    Url(String),
}

impl Entry {
    /// The entry for a row: its referring host or page; `None` when the row has none.
    pub fn from_row(item: &Backlink, by: By) -> Option<Result<Entry, Skipped>> {
        match by {
            By::Domain => item.domain_from.as_deref().map(Entry::domain),
            By::Url => item.url_from.as_deref().map(Entry::url),
        }
    }

    /// `domain:` + a host name, lower-cased, without a trailing dot.
    pub fn domain(host: &str) -> Result<Entry, Skipped> {
        let host = host.trim().trim_end_matches('.').to_lowercase();
        let ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if ok {
            Ok(Entry::Domain(host))
        } else {
            Err(Skipped::NotAHost)
        }
    }

    /// A full http(s) URL with nothing that could break the line.
    pub fn url(url: &str) -> Result<Entry, Skipped> {
        let url = url.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let web = lower.starts_with("http://") || lower.starts_with("https://");
        let clean = !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#');
        if web && clean {
            Ok(Entry::Url(url.to_owned()))
        } else {
            Err(Skipped::NotAUrl)
        }
    }

    /// The entry a line of a disavow file holds, if any (comments and blank lines hold none).
    pub fn parse_line(line: &str) -> Option<Entry> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        match line.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("domain:") => Entry::domain(&line[7..]).ok(),
            _ => Some(Entry::Url(line.to_owned())),
        }
    }

    /// The line as written to the file.
    pub fn line(&self) -> String {
        match self {
            Entry::Domain(d) => format!("domain:{d}"),
            Entry::Url(u) => u.clone(),
        }
    }
}

/// Why a row's value was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    NotAHost,
    NotAUrl,
}

/// Where the entries came from, for the header comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The sets' targets (or file names when a set does not say).
    pub targets: Vec<String>,
    /// The filter in the text syntax, when one was applied.
    pub filter: Option<String>,
    /// What was selected when no filter says it (the explorer's marked rows).
    pub selection: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub by: By,
}

impl Origin {
    fn comment(&self, added: usize) -> Vec<String> {
        let one_line = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        };
        let mut lines = vec![format!(
            "# {} {} added by backlinks on {}",
            group(added as u64),
            self.by.plural(),
            self.date
        )];
        if !self.targets.is_empty() {
            lines.push(format!("# target: {}", one_line(&self.targets.join(", "))));
        }
        if let Some(f) = &self.filter {
            lines.push(format!("# filter: {}", one_line(f)));
        }
        if let Some(s) = &self.selection {
            lines.push(format!("# rows: {}", one_line(s)));
        }
        lines
    }
}

/// A disavow file ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub text: String,
    /// Entries added by this run.
    pub added: usize,
    /// Distinct entries the existing file already had.
    pub already: usize,
    /// Entries given again (the same domain on many rows).
    pub repeats: usize,
    /// Lines of the whole file.
    pub lines: usize,
}

/// The file would pass one of Google's limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the disavow file would have {} lines and {} bytes; Google accepts at most {} lines and \
     2 MB: narrow the filter{}",
    group(*lines as u64), group(*bytes as u64), group(MAX_LINES as u64),
    if *by == By::Url { ", or write domains (--by domain)" } else { "" }
)]
pub struct TooBig {
    pub lines: usize,
    pub bytes: usize,
    pub by: By,
}

/// The file `existing` (when merging) plus every entry it lacks, in first-seen order.
pub fn build(
    existing: Option<&str>,
    entries: impl IntoIterator<Item = Entry>,
    origin: &Origin,
) -> Result<Plan, TooBig> {
    let mut seen: HashSet<Entry> = HashSet::new();
    let mut text = String::new();
    if let Some(old) = existing {
        for line in old.lines() {
            seen.extend(Entry::parse_line(line));
        }
        text.push_str(old);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let in_file = seen.clone();
    let mut found: HashSet<Entry> = HashSet::new();
    let mut new = Vec::new();
    let (mut already, mut repeats) = (0, 0);
    for e in entries {
        if seen.insert(e.clone()) {
            new.push(e);
        } else if in_file.contains(&e) && found.insert(e) {
            already += 1;
        } else {
            repeats += 1;
        }
    }
    if !new.is_empty() || existing.is_none() {
        if !text.is_empty() {
            text.push('\n');
        }
        for line in origin.comment(new.len()) {
            let _ = writeln!(text, "{line}");
        }
        for e in &new {
            let _ = writeln!(text, "{}", e.line());
        }
    }
    let lines = text.lines().count();
    if lines > MAX_LINES || text.len() > MAX_BYTES {
        return Err(TooBig {
            lines,
            bytes: text.len(),
            by: origin.by,
        });
    }
    Ok(Plan {
        text,
        added: new.len(),
        already,
        repeats,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(by: By) -> Origin {
        Origin {
            targets: vec!["forbes.com".into()],
            filter: Some("domain_from_rank < 10".into()),
            selection: None,
            date: "2026-12-03".into(),
            by,
        }
    }

    fn domains(names: &[&str]) -> Vec<Entry> {
        names.iter().map(|n| Entry::domain(n).unwrap()).collect()
    }

    #[test]
    fn a_new_file_has_a_header_then_one_line_per_domain() {
        let plan = build(
            None,
            domains(&["spam.example", "Bad.Example."]),
            &origin(By::Domain),
        )
        .unwrap();
        assert_eq!(
            plan.text,
            "# 2 domains added by backlinks on 2026-12-03\n\
             # target: forbes.com\n\
             # filter: domain_from_rank < 10\n\
             domain:spam.example\n\
             domain:bad.example\n"
        );
        assert_eq!(
            (plan.added, plan.already, plan.repeats, plan.lines),
            (2, 0, 0, 5)
        );
    }

    #[test]
    fn domains_are_deduplicated_case_insensitively() {
        let plan = build(
            None,
            domains(&["a.example", "A.EXAMPLE", "b.example", "a.example."]),
            &origin(By::Domain),
        )
        .unwrap();
        assert_eq!((plan.added, plan.already, plan.repeats), (2, 0, 2));
        assert_eq!(plan.text.matches("domain:a.example\n").count(), 1);
    }

    #[test]
    fn a_merge_keeps_every_line_and_comment_in_order_and_adds_only_what_is_new() {
        let old = "# our own notes\n\
                   domain:Old.Example\n\
                   \n\
                   https://x.example/page?id=1\n\
                   # keep this too\n\
                   domain:z.example";
        let plan = build(
            Some(old),
            domains(&["old.example", "new.example", "z.example", "new.example"]),
            &origin(By::Domain),
        )
        .unwrap();
        assert!(plan.text.starts_with(&format!("{old}\n")), "{}", plan.text);
        assert!(plan.text.ends_with("domain:new.example\n"), "{}", plan.text);
        assert_eq!(plan.text.matches("domain:new.example").count(), 1);
        // old.example and z.example were there; the second new.example is a repeat.
        assert_eq!((plan.added, plan.already, plan.repeats), (1, 2, 1));
    }

    #[test]
    fn a_merge_with_nothing_new_leaves_the_file_as_it_was() {
        let old = "# notes\ndomain:a.example\n";
        let plan = build(Some(old), domains(&["A.example"]), &origin(By::Domain)).unwrap();
        assert_eq!(plan.text, old);
        assert_eq!(plan.added, 0);
    }

    #[test]
    fn urls_are_kept_as_written_and_compared_exactly() {
        let entries = [
            "https://a.example/X",
            "https://a.example/x",
            "https://a.example/X",
        ]
        .iter()
        .map(|u| Entry::url(u).unwrap());
        let plan = build(None, entries, &origin(By::Url)).unwrap();
        assert_eq!(plan.added, 2);
        assert!(
            plan.text
                .contains("\nhttps://a.example/X\nhttps://a.example/x\n")
        );
        assert!(plan.text.starts_with("# 2 URLs added"));
    }

    #[test]
    fn hostile_values_never_become_lines_of_their_own() {
        for bad in [
            "a.example\ndomain:google.com",
            "a b.example",
            "#x",
            "a.example/path",
            "",
        ] {
            assert_eq!(Entry::domain(bad), Err(Skipped::NotAHost), "{bad:?}");
        }
        for bad in [
            "https://a.example/\nhttps://google.com/",
            "https://a.example/#frag",
            "javascript:alert(1)",
            "ftp://a.example/",
        ] {
            assert_eq!(Entry::url(bad), Err(Skipped::NotAUrl), "{bad:?}");
        }
        let origin = Origin {
            filter: Some("anchor like \"%\nx%\"".into()),
            ..origin(By::Domain)
        };
        let plan = build(None, domains(&["a.example"]), &origin).unwrap();
        assert!(
            plan.text
                .lines()
                .all(|l| l.starts_with('#') || l == "domain:a.example")
        );
    }

    #[test]
    fn google_s_limits_are_refused_with_the_numbers() {
        let many = (0..MAX_LINES).map(|i| Entry::domain(&format!("d{i}.example")).unwrap());
        let err = build(None, many, &origin(By::Domain)).unwrap_err();
        assert!(err.lines > MAX_LINES);
        assert!(err.to_string().contains("100,000 lines"), "{err}");

        let long = "x".repeat(2000);
        let big = (0..1100).map(|i| Entry::url(&format!("https://a.example/{i}/{long}")).unwrap());
        let err = build(None, big, &origin(By::Url)).unwrap_err();
        assert!(err.bytes > MAX_BYTES);
        assert!(err.to_string().contains("--by domain"), "{err}");

        let fits = (0..MAX_LINES - 4).map(|i| Entry::domain(&format!("d{i}.io")).unwrap());
        assert_eq!(
            build(None, fits, &origin(By::Domain)).unwrap().lines,
            MAX_LINES - 1
        );
    }

    #[test]
    fn lines_of_an_existing_file_are_read_as_google_reads_them() {
        assert_eq!(
            Entry::parse_line("  DOMAIN:Example.com "),
            Some(Entry::Domain("example.com".into()))
        );
        assert_eq!(Entry::parse_line("# domain:x.example"), None);
        assert_eq!(Entry::parse_line("   "), None);
        assert_eq!(
            Entry::parse_line("https://a.example/p"),
            Some(Entry::Url("https://a.example/p".into()))
        );
    }
}
