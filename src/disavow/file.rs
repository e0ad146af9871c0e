//! Writing a disavow file to disk: the existing file read for a merge (it must be UTF-8 text),
//! the new one written atomically, so a failure leaves the old file whole. `backlinks disavow`
//! and the explorer's save dialog both come through here.

use std::io::Write;
use std::path::Path;

use crate::store::atomic::{AtomicFile, read_reason};

use super::{Entry, Origin, Plan, TooBig, build};

/// Why no file was written; each message names the file concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The file to merge into could not be read as text.
    #[error("{0}")]
    Merge(String),
    /// Past Google's limits.
    #[error(transparent)]
    TooBig(#[from] TooBig),
    /// Writing failed (the old file is whole).
    #[error("{0}")]
    Write(String),
}

/// Builds the file from `merge_from` (when given) and `entries`, and writes it to `output`.
pub fn write(
    output: &Path,
    merge_from: Option<&Path>,
    entries: impl IntoIterator<Item = Entry>,
    origin: &Origin,
) -> Result<Plan, FileError> {
    let existing = merge_from
        .map(read_existing)
        .transpose()
        .map_err(FileError::Merge)?;
    let plan = build(existing.as_deref(), entries, origin)?;
    let fail = |e: &dyn std::fmt::Display| FileError::Write(e.to_string());
    let mut file = AtomicFile::create(output).map_err(|e| fail(&e))?;
    file.write_all(plan.text.as_bytes())
        .map_err(|e| fail(&format!("cannot write {}: {e}", output.display())))?;
    file.commit().map_err(|e| fail(&e))?;
    Ok(plan)
}

/// The file to merge into, as text.
pub fn read_existing(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), read_reason(path, &e)))?;
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "{} is not UTF-8 text, so not a disavow file",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disavow::By;

    fn origin() -> Origin {
        Origin {
            date: "2026-12-03".into(),
            by: By::Domain,
            ..Origin::default()
        }
    }

    #[test]
    fn a_refused_write_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.txt");
        std::fs::write(&path, "domain:old.example\n").unwrap();
        let many = (0..super::super::MAX_LINES).map(|i| Entry::Domain(format!("d{i}.io")));
        let err = write(&path, Some(&path), many, &origin()).unwrap_err();
        assert!(matches!(err, FileError::TooBig(_)));
        assert!(err.to_string().contains("100,000 lines"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "domain:old.example\n"
        );
    }

    #[test]
    fn a_file_that_is_not_text_is_not_merged_into() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.txt");
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        let err = write(
            &path,
            Some(&path),
            [Entry::Domain("a.io".into())],
            &origin(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), [0xff, 0xfe, 0x00]);
    }
}
