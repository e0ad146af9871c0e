//! `backlinks disavow SET… [--filter EXPR] [--by domain|url] [--merge FILE] -o FILE`: a Google
//! Search Console disavow file from saved sets, built by [`crate::disavow`]. Rows are read
//! as a stream (a big set is never held whole); only the entries are kept.

use std::io::{self, Write};
use std::path::Path;

use crate::api::filter::CompiledFilter;
use crate::api::time;
use crate::cli::DisavowArgs;
use crate::disavow::file::FileError;
use crate::disavow::{self, Entry, Origin};
use crate::fetch::export::manifest;
use crate::store::{ReadEvent, read_file};
use crate::text::group;

use super::CommandError;

/// What reading the sets gave.
#[derive(Debug, Default)]
struct Picked {
    entries: Vec<Entry>,
    targets: Vec<String>,
    rows: u64,
    kept: u64,
    skipped: u64,
    bad_lines: u64,
    partial: Vec<String>,
}

pub fn run(args: &DisavowArgs) -> Result<(), CommandError> {
    let filter = args
        .filter
        .as_ref()
        .map(CompiledFilter::new)
        .transpose()
        .map_err(|e| CommandError::Usage(format!("--filter: {e}")))?;
    let mut picked = Picked::default();
    for set in &args.sets {
        pick(set, filter.as_ref(), args.by, &mut picked)?;
    }
    let origin = Origin {
        targets: picked.targets.clone(),
        filter: args.filter.as_ref().map(ToString::to_string),
        selection: None,
        date: time::utc_date(jiff::Timestamp::now()).to_string(),
        by: args.by,
    };
    let plan = if args.output.as_os_str() == "-" {
        let existing = args
            .merge
            .as_deref()
            .map(disavow::file::read_existing)
            .transpose()
            .map_err(CommandError::Usage)?;
        let plan = disavow::build(existing.as_deref(), picked.entries, &origin)
            .map_err(|e| CommandError::Usage(e.to_string()))?;
        let mut out = super::stdout();
        out.write_all(plan.text.as_bytes())?;
        out.flush()?;
        plan
    } else {
        disavow::file::write(&args.output, args.merge.as_deref(), picked.entries, &origin).map_err(
            |e| match e {
                FileError::Write(m) => CommandError::Io(io::Error::other(m)),
                FileError::Merge(_) | FileError::TooBig(_) => CommandError::Usage(e.to_string()),
            },
        )?
    };

    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "{} of {} rows picked: {} {}{} → {}",
        group(picked.kept),
        group(picked.rows),
        group(plan.added as u64),
        if args.merge.is_some() {
            format!("new {}", args.by.plural())
        } else {
            args.by.plural().to_owned()
        },
        if args.merge.is_some() {
            format!(", {} already there", group(plan.already as u64))
        } else {
            String::new()
        },
        if args.output.as_os_str() == "-" {
            "stdout".into()
        } else {
            args.output.display().to_string()
        }
    );
    if picked.kept == 0 {
        let _ = writeln!(err, "warning: no row of the sets passes the filter");
    }
    if picked.skipped > 0 {
        let _ = writeln!(
            err,
            "warning: {} rows skipped: their {} is not a plain host name or http(s) URL",
            group(picked.skipped),
            if args.by == disavow::By::Domain {
                "domain_from"
            } else {
                "url_from"
            }
        );
    }
    if picked.bad_lines > 0 {
        let _ = writeln!(
            err,
            "warning: {} unreadable rows in the sets were left out",
            group(picked.bad_lines)
        );
    }
    for p in &picked.partial {
        let _ = writeln!(
            err,
            "warning: {p} is a partial set: rows it lacks are not in the file"
        );
    }
    Ok(())
}

/// Reads one set, keeping the entries of the rows the filter picks.
fn pick(
    path: &Path,
    filter: Option<&CompiledFilter>,
    by: disavow::By,
    picked: &mut Picked,
) -> Result<(), CommandError> {
    let mut target = None;
    let mut partial = false;
    read_file(path, 2000, |event| {
        match event {
            ReadEvent::Meta(meta) => {
                target = meta.query.as_ref().map(|q| q.target.clone());
                partial = meta.partial;
            }
            ReadEvent::Rows(rows) => {
                for row in rows {
                    picked.rows += 1;
                    if filter.is_some_and(|f| !f.matches(&row)) {
                        continue;
                    }
                    picked.kept += 1;
                    match Entry::from_row(&row, by) {
                        Some(Ok(e)) => picked.entries.push(e),
                        Some(Err(_)) | None => {
                            picked.skipped += 1;
                        }
                    }
                }
            }
            ReadEvent::BadLine { .. } => picked.bad_lines += 1,
        }
        true
    })
    .map_err(|e| CommandError::Usage(e.to_string()))?;
    // JSONL and CSV carry no query: an export's manifest beside the file does.
    if target.is_none()
        && let Some(meta) = manifest::read_beside(path).map(|m| m.set_meta())
    {
        target = meta.query.map(|q| q.target);
        partial = meta.partial;
    }
    let name = target.unwrap_or_else(|| path.display().to_string());
    if partial {
        picked.partial.push(path.display().to_string());
    }
    if !picked.targets.contains(&name) {
        picked.targets.push(name);
    }
    Ok(())
}
