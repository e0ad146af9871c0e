//! `FILE.manifest.json`: what an export holds and how it ended, beside the file itself, so a
//! script (or a person a week later) can tell a complete file from a partial one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::request::LiveRequest;
use crate::store::atomic::{AtomicFile, reason};
use crate::store::{SetMeta, StoreError};

use super::Stop;

/// The manifest's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `backlinks 0.1.0`.
    pub tool: String,
    pub query: Option<LiveRequest>,
    pub output: String,
    pub format: String,
    /// `YYYY-MM-DD HH:MM:SS +00:00`.
    pub started_at: String,
    pub finished_at: String,
    /// Rows in the file.
    pub rows: u64,
    /// The query's `total_count`.
    pub total_count: Option<u64>,
    /// Paid requests this export made.
    pub requests: u64,
    /// Pages served free by the page cache.
    pub cached_pages: u64,
    /// USD paid by this export's requests (the sum of their reported costs), written rounded
    /// to 1e-8 so a sum like 0.05 + 0.05 + 0.05 reads 0.15, not 0.15000000000000002.
    #[serde(serialize_with = "rounded_usd")]
    pub cost: f64,
    /// `complete` or `partial`.
    pub status: String,
    /// Why a partial export stopped: `cancelled`, `budget`, or `failed: <reason>`.
    pub stopped_by: Option<String>,
    /// The slices of a partitioned export, in the file's order (concatenated) or any order
    /// (merged); absent when the export was not sliced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slices: Vec<super::slices::SliceRecord>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with signature"
)]
fn rounded_usd<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((v * 1e8).round() / 1e8)
}

impl Manifest {
    pub fn is_complete(&self) -> bool {
        self.status == "complete"
    }
}

/// The tool name and version for manifests.
pub fn tool() -> String {
    format!("backlinks {}", env!("CARGO_PKG_VERSION"))
}

/// `links.csv` → `links.csv.manifest.json`.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// The manifest beside `output`, when there is a readable one.
pub fn read_beside(output: &Path) -> Option<Manifest> {
    read(&path_for(output)).ok()
}

impl Manifest {
    /// What the manifest says about its file's rows, as a saved set would say it.
    pub fn set_meta(&self) -> SetMeta {
        SetMeta {
            query: self.query.clone(),
            fetched_at: Some(self.finished_at.clone()).filter(|t| !t.is_empty()),
            total_count: self.total_count,
            cost: self.cost,
            partial: !self.is_complete(),
        }
    }
}

/// `status` and `stopped_by` for a stop.
pub fn status_of(stop: &Stop) -> (String, Option<String>) {
    let partial = |why: String| ("partial".to_owned(), Some(why));
    match stop {
        Stop::Complete => ("complete".into(), None),
        Stop::Cancelled => partial("cancelled".into()),
        Stop::Budget => partial("budget".into()),
        Stop::Failed(e) => partial(format!("failed: {e}")),
        Stop::WriteFailed(e) => partial(format!("write failed: {e}")),
    }
}

/// Writes the manifest of `output` atomically; returns its path.
pub fn write(manifest: &Manifest, output: &Path) -> Result<PathBuf, StoreError> {
    let path = path_for(output);
    write_at(manifest, &path)?;
    Ok(path)
}

/// Writes the manifest to `path` itself (`export --manifest FILE`).
pub fn write_at(manifest: &Manifest, path: &Path) -> Result<(), StoreError> {
    let mut file = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut file, manifest).map_err(|e| StoreError::write(path, e))?;
    file.write_all(b"\n")
        .map_err(|e| StoreError::write(path, reason(&e)))?;
    file.commit()
}

/// Reads a manifest back.
pub fn read(path: &Path) -> Result<Manifest, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|e| StoreError::read(path, reason(&e)))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Format {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}
