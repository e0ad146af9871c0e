//! Atomic replacement of a file: write a temporary sibling, sync it, rename it over the target.
//! Until `commit` succeeds the target is untouched; a dropped `AtomicFile` removes its
//! temporary file. Devices and pipes (`/dev/stdout`, `/dev/full`) cannot be replaced, so they
//! are written directly and their errors reported the same way.
//!
//! A process killed mid-write (`kill -9`, a power cut) cannot remove its temporary file, so the
//! next write to the same path removes the temporaries of that name
//! (`.NAME.<pid>-<n>.tmp`) whose writer is gone: on Linux, whose process is not in `/proc`;
//! elsewhere (or without `/proc`), ones not touched for a day.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::StoreError;

/// Buffer in front of the file: big enough that a row never costs a system call.
const BUFFER: usize = 256 * 1024;

/// A file being written; becomes visible at `path` on `commit`.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    out: Out,
}

#[derive(Debug)]
enum Out {
    Temp {
        tmp: PathBuf,
        file: Option<BufWriter<File>>,
    },
    Direct(BufWriter<File>),
}

impl AtomicFile {
    /// Starts writing `path`. Fails at once when the folder is missing or not writable, or
    /// `path` is a folder.
    pub fn create(path: &Path) -> Result<AtomicFile, StoreError> {
        let path = resolve(path)?;
        let existing = fs::metadata(&path).ok();
        if let Some(meta) = &existing {
            let kind = meta.file_type();
            if kind.is_dir() {
                return Err(StoreError::write(&path, "it is a folder"));
            }
            if kind.is_char_device() || kind.is_fifo() || kind.is_socket() {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| StoreError::write(&path, write_reason(&path, &e)))?;
                return Ok(AtomicFile {
                    path,
                    out: Out::Direct(BufWriter::with_capacity(BUFFER, file)),
                });
            }
        }
        remove_stale_temps(&path);
        let (tmp, file) = create_temp(&path)?;
        if let Some(meta) = existing {
            // Replacing a file keeps its permissions (a private export stays private).
            if let Err(e) = file.set_permissions(meta.permissions()) {
                let _ = fs::remove_file(&tmp);
                return Err(StoreError::write(&path, reason(&e)));
            }
        }
        Ok(AtomicFile {
            path,
            out: Out::Temp {
                tmp,
                file: Some(BufWriter::with_capacity(BUFFER, file)),
            },
        })
    }

    /// The file that will be replaced.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the temporary file over the target.
    pub fn commit(mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e: io::Error| StoreError::write(&path, reason(&e));
        match &mut self.out {
            Out::Direct(w) => w.flush().map_err(fail),
            Out::Temp { tmp, file } => {
                let Some(w) = file.take() else {
                    return Err(StoreError::write(&path, "already committed"));
                };
                let file = w.into_inner().map_err(|e| fail(e.into_error()))?;
                file.sync_all().map_err(fail)?;
                drop(file);
                fs::rename(&*tmp, &path).map_err(fail)?;
                // The rename is done; syncing the folder only makes it durable sooner, and
                // a failure there does not make the new file wrong.
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                    && let Ok(d) = File::open(dir)
                {
                    let _ = d.sync_all();
                }
                tmp.clear();
                Ok(())
            }
        }
    }
}

impl AtomicFile {
    fn sink(&mut self) -> io::Result<&mut BufWriter<File>> {
        match &mut self.out {
            Out::Direct(w) | Out::Temp { file: Some(w), .. } => Ok(w),
            Out::Temp { file: None, .. } => Err(io::Error::other("file already committed")),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sink()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.sink()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Out::Temp { tmp, file } = &mut self.out
            && !tmp.as_os_str().is_empty()
        {
            drop(file.take());
            // Best effort: an abandoned write must not leave litter, but there is nobody to
            // tell if the folder vanished meanwhile.
            let _ = fs::remove_file(&*tmp);
        }
    }
}

/// Follows a symlink at `path`, so the link keeps pointing at the new file.
fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    if path.as_os_str().is_empty() {
        return Err(StoreError::write(path, "no file name given"));
    }
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| StoreError::write(path, write_reason(path, &e)))
        }
        _ => Ok(path.to_owned()),
    }
}

/// A temporary file nobody has written for this long is left over, where liveness cannot be
/// checked.
const STALE_AFTER: Duration = Duration::from_hours(24);

/// The process id in `file_name` when it names a temporary of `name` (`.NAME.<pid>-<n>.tmp`).
fn temp_pid(file_name: &OsStr, name: &OsStr) -> Option<u32> {
    let file_name = file_name.as_encoded_bytes();
    let rest = file_name
        .strip_prefix(b".")?
        .strip_prefix(name.as_encoded_bytes())?
        .strip_prefix(b".")?
        .strip_suffix(b".tmp")?;
    let rest = std::str::from_utf8(rest).ok()?;
    let (pid, n) = rest.split_once('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether the writer of a temporary file is gone: its process is not running (seen through
/// `/proc`), or, where that cannot be seen, it was last written a day ago or more.
fn is_stale(pid: u32, tmp: &Path) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    fs::metadata(tmp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age >= STALE_AFTER)
}

/// Removes the temporary files of `path` left by writers that are gone. Best effort: a folder
/// that cannot be listed, or a file that cannot be removed, stays as it is.
fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name() else { return };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if let Some(pid) = temp_pid(&file_name, name) {
            let tmp = entry.path();
            if is_stale(pid, &tmp) && entry.file_type().is_ok_and(|t| t.is_file()) {
                tracing::info!(path = %tmp.display(), "removing a temporary file left by a killed write");
                let _ = fs::remove_file(&tmp);
            }
        }
    }
}

fn create_temp(path: &Path) -> Result<(PathBuf, File), StoreError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| StoreError::write(path, "no file name given"))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}-{n}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(StoreError::write(path, write_reason(path, &e))),
        }
    }
}

/// An I/O error as a short reason for a person: what the system said, in words. For a path
/// not found, [`write_reason`] and [`read_reason`] say which part is missing.
pub fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "not found".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
        io::ErrorKind::IsADirectory => "it is a folder".into(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        io::ErrorKind::QuotaExceeded => "the disk quota is used up".into(),
        io::ErrorKind::FileTooLarge => "the file is too large for this file system".into(),
        io::ErrorKind::InvalidFilename => "the name is not allowed here".into(),
        _ => e.to_string(),
    }
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Why writing `path` failed: [`reason`], except that "not found" says whether the folder is
/// missing or is there and refused a new file (`/proc`, a dangling link).
pub fn write_reason(path: &Path, e: &io::Error) -> String {
    if e.kind() != io::ErrorKind::NotFound {
        return reason(e);
    }
    let dir = folder_of(path);
    if dir.is_dir() {
        format!("{} does not take new files (not found)", dir.display())
    } else {
        format!("the folder {} does not exist", dir.display())
    }
}

/// Why reading `path` failed: [`reason`], except that "not found" says whether the file or
/// its folder is missing.
pub fn read_reason(path: &Path, e: &io::Error) -> String {
    if e.kind() != io::ErrorKind::NotFound {
        return reason(e);
    }
    let dir = folder_of(path);
    if dir.is_dir() {
        "the file does not exist".into()
    } else {
        format!("the folder {} does not exist", dir.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_entries(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.rsplit_once('.').is_some_and(|(_, e)| e == "tmp"))
            .collect()
    }

    #[test]
    fn nothing_is_visible_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(tmp_entries(dir.path()).is_empty());
    }

    #[test]
    fn a_dropped_write_leaves_the_old_file_and_no_litter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert!(tmp_entries(dir.path()).is_empty());
    }

    #[test]
    fn temporary_names_are_recognised_exactly() {
        let pid = |f: &str| temp_pid(OsStr::new(f), OsStr::new("out.csv"));
        assert_eq!(pid(".out.csv.1234-0.tmp"), Some(1234));
        assert_eq!(pid(".out.csv.7-12.tmp"), Some(7));
        assert_eq!(pid(".out.csv.x-0.tmp"), None);
        assert_eq!(pid(".out.csv.12-.tmp"), None);
        assert_eq!(pid(".out.csv.12.tmp"), None);
        assert_eq!(pid(".other.csv.12-0.tmp"), None);
        assert_eq!(pid(".out.csv.old.12-0.tmp"), None);
        assert_eq!(pid("out.csv.12-0.tmp"), None);
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = AtomicFile::create(dir.path()).unwrap_err().to_string();
        assert!(err.contains("it is a folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_survive_replacement() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_symlink_keeps_pointing_at_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }
}
