//! `backlinks diff OLD NEW [-o FILE|-] [--format F] [--force]`: the links won, lost and
//! changed between two saved sets ([`crate::diff`]). Without `-o`, on a terminal, the rows
//! go to a temporary JSONL file (in a private folder, removed on the way out) that the
//! explorer opens like any saved file, with `change` as its first column.

use std::fmt::Write as _;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::app::columns::change_first;
use crate::cli::{Cli, DiffArgs};
use crate::diff::side::Side;
use crate::diff::{Diff, DiffError, Summary};
use crate::store::{Format, SetEnd, SetWriter};
use crate::text::{group, sanitize};

use super::CommandError;

pub fn run(cli: &Cli, args: &DiffArgs) -> Result<(), CommandError> {
    let to_stdout = args.output.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let format = match &args.output {
        None => None,
        Some(_) if to_stdout => Some(args.format.unwrap_or(Format::Csv)),
        Some(path) => Some(args.format.or_else(|| Format::from_path(path)).ok_or_else(|| {
            CommandError::Usage(format!(
                "cannot tell the format from '{}'; end it in .csv, .tsv, .json or .jsonl, or \
                 give --format",
                path.display()
            ))
        })?),
    };
    let diff = Diff::of(&args.old, &args.new).map_err(|e| CommandError::Usage(e.to_string()))?;
    let summary = diff.summary();
    // The rows may go to stdout: then everything else goes to stderr.
    if to_stdout {
        report(&mut io::stderr().lock(), &diff, args.force)?;
    } else {
        report(&mut super::stdout(), &diff, args.force)?;
    }
    if let (Some(path), Some(format)) = (&args.output, format) {
        return write_rows(&diff, path, format);
    }
    if summary.differences() == 0 {
        return Ok(());
    }
    if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        let mut out = super::stdout();
        writeln!(
            out,
            "to see the {} rows: give -o FILE (csv, tsv, json, jsonl) or run this in a \
             terminal to explore them",
            group(summary.differences())
        )?;
        return Ok(());
    }
    explore(cli, args, diff)
}

/// Each set's line, the target check, the warnings and the summary.
fn report(say: &mut impl Write, diff: &Diff, force: bool) -> Result<(), CommandError> {
    writeln!(say, "{}", describe("OLD", &diff.old))?;
    writeln!(say, "{}", describe("NEW", &diff.new))?;
    if let (Some(a), Some(b)) = (diff.old.target(), diff.new.target())
        && !same_target(a, b)
    {
        if !force {
            return Err(CommandError::Usage(format!(
                "OLD is a set of {} and NEW of {}: links of different targets are all new or \
                 lost; give --force to compare them anyway",
                sanitize(a),
                sanitize(b)
            )));
        }
        writeln!(
            say,
            "warning: comparing different targets ({} and {}), as --force asks",
            sanitize(a),
            sanitize(b)
        )?;
    }
    let summary = diff.summary();
    for w in warnings(diff, &summary) {
        writeln!(say, "warning: {w}")?;
    }
    writeln!(say, "{summary}")?;
    Ok(())
}

/// `-o FILE` or `-o -`.
fn write_rows(diff: &Diff, path: &Path, format: Format) -> Result<(), CommandError> {
    let to_stdout = path.as_os_str() == "-";
    let written = if to_stdout {
        let out = BufWriter::with_capacity(64 * 1024, io::stdout());
        let name = Path::new("stdout");
        let mut w = SetWriter::to_stream_with(name, Box::new(out), format, None, None, true)
            .map_err(|e| store(&e))?;
        let n = diff.write(&mut w).map_err(write_error)?;
        w.finish(&SetEnd::default()).map_err(|e| store(&e))?;
        n
    } else {
        let mut w =
            SetWriter::create_with(path, format, None, None, true).map_err(|e| store(&e))?;
        diff.write(&mut w).map_err(write_error)?;
        w.finish(&SetEnd::default()).map_err(|e| store(&e))?
    };
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "wrote {} rows → {}",
        group(written),
        if to_stdout {
            "stdout".into()
        } else {
            path.display().to_string()
        }
    );
    Ok(())
}

/// The explorer over the differing rows, from a temporary JSONL file.
fn explore(cli: &Cli, args: &DiffArgs, diff: Diff) -> Result<(), CommandError> {
    let temp = TempDir::create()?;
    // Named for the two sets (the explorer shows the name); read as JSONL whatever NEW was.
    let mut name = format!("{} → {}", file_name(&args.old), file_name(&args.new));
    if Format::from_path(Path::new(&name)) != Some(Format::Jsonl) {
        name.push_str(" (diff).jsonl");
    }
    let path = temp.0.join(name);
    let mut w = SetWriter::create(&path, Format::Jsonl, None, None).map_err(|e| store(&e))?;
    diff.write(&mut w).map_err(write_error)?;
    w.finish(&SetEnd::default()).map_err(|e| store(&e))?;
    drop(diff);
    super::open::explore(cli, &path, |app| change_first(&mut app.columns))
}

fn write_error(e: DiffError) -> CommandError {
    match e {
        DiffError::Read(m) => CommandError::Usage(m),
        DiffError::Write(e) => store(&e),
    }
}

fn store(e: &crate::store::StoreError) -> CommandError {
    CommandError::Io(io::Error::other(e.to_string()))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
        .replace('/', "_")
}

/// Targets as the API takes them: case and a leading `www.` or scheme do not matter.
fn same_target(a: &str, b: &str) -> bool {
    let norm = |t: &str| {
        let t = t.trim().trim_end_matches('/').to_ascii_lowercase();
        let t = t
            .strip_prefix("https://")
            .or_else(|| t.strip_prefix("http://"))
            .map_or(t.clone(), str::to_owned);
        t.strip_prefix("www.").map_or(t.clone(), str::to_owned)
    };
    norm(a) == norm(b)
}

/// `OLD  a.jsonl: forbes.com, fetched 2026-12-01 10:00:00 +00:00, complete, 47,000 rows`.
pub fn describe(which: &str, side: &Side) -> String {
    let mut parts = Vec::new();
    match &side.meta {
        Some(meta) => {
            if let Some(q) = &meta.query {
                let mut what = sanitize(&q.target).into_owned();
                if let Some(f) = &q.filters {
                    let _ = write!(what, " (filter: {})", sanitize(&f.to_string()));
                }
                parts.push(what);
            }
            if let Some(at) = &meta.fetched_at {
                parts.push(format!("fetched {}", sanitize(at)));
            }
            parts.push(if meta.partial {
                match meta.total_count {
                    Some(n) => format!("partial (of {} rows)", group(n)),
                    None => "partial".into(),
                }
            } else {
                "complete".into()
            });
        }
        None => parts.push("no saved query (target and date unknown)".into()),
    }
    parts.push(format!("{} rows", group(side.len() as u64)));
    format!(
        "{which}  {}: {}",
        sanitize(&side.path.display().to_string()),
        parts.join(", ")
    )
}

/// What the user should know before trusting the counts.
fn warnings(diff: &Diff, s: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    let name = |side: &Side| sanitize(&side.path.display().to_string()).into_owned();
    // The query line already says a set is partial; the warning is about counts that exist.
    if diff.new.partial() && s.lost > 0 {
        out.push(format!(
            "NEW ({}) is a partial set: some of the {} \"lost\" links may just not have been \
             fetched",
            name(&diff.new),
            group(s.lost)
        ));
    }
    if diff.old.partial() && s.new > 0 {
        out.push(format!(
            "OLD ({}) is a partial set: some of the {} \"new\" links may have been there \
             already, unfetched",
            name(&diff.old),
            group(s.new)
        ));
    }
    for side in [&diff.old, &diff.new] {
        if side.bad_count > 0 {
            let named: Vec<String> = side
                .bad
                .iter()
                .map(|(line, r)| format!("line {line}: {}", sanitize(r)))
                .collect();
            out.push(format!(
                "{}: {} unreadable rows left out ({})",
                name(side),
                group(side.bad_count),
                named.join("; ")
            ));
        }
    }
    out
}

/// A private folder for the explorer's file, removed with what is in it when dropped.
struct TempDir(PathBuf);

/// The start of a diff's temporary folder's name; the process id and a time follow.
const TEMP_PREFIX: &str = "backlinks-diff-";

impl TempDir {
    fn create() -> io::Result<TempDir> {
        use std::os::unix::fs::DirBuilderExt;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = std::env::temp_dir();
        let dir = temp.join(format!("{TEMP_PREFIX}{}-{nanos}", std::process::id()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        sweep_stale(&temp, &dir);
        Ok(TempDir(dir))
    }
}

/// Removes the folders in `temp` that diffs left when they were killed (their process is
/// gone): only where `/proc` tells which processes live, and only folders of the same owner
/// as `ours`, the folder just made.
fn sweep_stale(temp: &Path, ours: &Path) {
    use std::os::unix::fs::MetadataExt;
    let proc = Path::new("/proc");
    let (Ok(mine), true) = (std::fs::metadata(ours), proc.join("self").exists()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let stale = pid != std::process::id()
            && !proc.join(pid.to_string()).exists()
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == mine.uid());
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_left_by_killed_diffs_are_swept_and_the_rest_kept() {
        let temp = tempfile::tempdir().unwrap();
        let at = |name: String| temp.path().join(name);
        let ours = at(format!("{TEMP_PREFIX}{}-1", std::process::id()));
        // Process 1 lives as long as the system; no process has the largest id.
        let live = at(format!("{TEMP_PREFIX}1-5"));
        let dead = at(format!("{TEMP_PREFIX}{}-7", u32::MAX));
        let unrelated = at("backlinks-diffs-kept".into());
        for d in [&ours, &live, &dead, &unrelated] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(dead.join("march.jsonl → april.jsonl"), "{}\n").unwrap();
        let a_file = at(format!("{TEMP_PREFIX}{}-8", u32::MAX - 1));
        std::fs::write(&a_file, "not a folder").unwrap();
        sweep_stale(temp.path(), &ours);
        assert!(!dead.exists(), "a killed diff's folder is removed");
        for kept in [&ours, &live, &unrelated, &a_file] {
            assert!(kept.exists(), "{} is kept", kept.display());
        }
    }
}
