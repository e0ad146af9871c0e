//! The end of an export, shared by `backlinks export` and the explorer: put the file in place
//! (marked partial when it is), then its manifest.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::api::request::LiveRequest;
use crate::api::time;
use crate::store::{Format, SetEnd, StoreError};

use super::manifest::{self, Manifest};
use super::{Outcome, Progress, Stop};

/// What the manifest needs besides the outcome.
#[derive(Debug, Clone)]
pub struct ExportInfo<'a> {
    pub output: &'a Path,
    pub format: Format,
    pub query: Option<&'a LiveRequest>,
    pub started_at: SystemTime,
    /// Requests and cost before the engine ran (the first page of `export`).
    pub before: Progress,
    /// Where the manifest goes ([`manifest::path_for`] the output, as a rule); none when
    /// `None` (`export -o -` without `--manifest`).
    pub manifest: Option<PathBuf>,
}

/// Finishes the file and writes the manifest (when there is a place for it). A write failure is an error and leaves any old
/// file as it was (no manifest is written then).
pub fn finish(outcome: Outcome, info: &ExportInfo<'_>) -> Result<Manifest, StoreError> {
    if let Stop::WriteFailed(reason) = &outcome.stop {
        return Err(StoreError::write(info.output, reason.clone()));
    }
    let Some(writer) = outcome.writer else {
        return Err(StoreError::write(info.output, "the file was closed early"));
    };
    let p = outcome.progress;
    let cost = info.before.cost + p.cost;
    let rows = writer.finish(&SetEnd {
        total_count: outcome.total_count,
        cost,
        partial: !outcome.stop.is_complete(),
    })?;
    let (status, stopped_by) = manifest::status_of(&outcome.stop);
    let manifest = Manifest {
        tool: manifest::tool(),
        query: info.query.cloned(),
        output: info.output.display().to_string(),
        format: info.format.to_string(),
        started_at: time::format(time::from_system(info.started_at)),
        finished_at: time::format(time::from_system(SystemTime::now())),
        rows,
        total_count: outcome.total_count,
        requests: info.before.requests + p.requests,
        cached_pages: info.before.cached_pages + p.cached_pages,
        cost,
        status,
        stopped_by,
        slices: outcome.slices,
    };
    if let Some(at) = &info.manifest {
        manifest::write_at(&manifest, at)?;
    }
    Ok(manifest)
}
