//! A failed write says why and leaves the previous file byte-identical, with no litter.
//!
//! Tests run as root here, where permission bits do not stop a write; a read-only folder is
//! made with the immutable attribute (`chattr +i`, which binds root too) and with plain
//! permission bits when not root. Where neither works the test says so and checks the rest.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use backlinks::api::response::Backlink;
use backlinks::store::{Format, SetEnd, SetMeta, SetWriter, write_set};

fn items(n: usize) -> Vec<Backlink> {
    (0..n)
        .map(|i| Backlink {
            url_from: Some(format!("https://site{i}.example/page")),
            rank: Some(i as i64),
            ..Backlink::default()
        })
        .collect()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Makes `dir` refuse new entries for everyone, root included; undone on drop.
struct ReadOnlyDir(PathBuf, &'static str);

impl ReadOnlyDir {
    fn new(dir: &Path) -> Option<ReadOnlyDir> {
        let immutable = Command::new("chattr").arg("+i").arg(dir).status();
        if immutable.is_ok_and(|s| s.success()) {
            return Some(ReadOnlyDir(dir.to_owned(), "chattr"));
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
        // Does it hold for this user?
        let probe = dir.join("probe");
        if fs::write(&probe, "x").is_ok() {
            let _ = fs::remove_file(&probe);
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
            return None;
        }
        Some(ReadOnlyDir(dir.to_owned(), "chmod"))
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        if self.1 == "chattr" {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn a_read_only_folder_fails_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.csv");
    write_set(&path, Format::Csv, &SetMeta::default(), &items(3)).unwrap();
    let before = fs::read(&path).unwrap();
    let Some(_guard) = ReadOnlyDir::new(dir.path()) else {
        eprintln!("cannot make a read-only folder here (neither chattr nor permissions bind)");
        return;
    };
    for format in Format::ALL {
        let err = write_set(&path, format, &SetMeta::default(), &items(50))
            .unwrap_err()
            .to_string();
        assert!(err.contains("links.csv"), "{err}");
        assert!(
            err.contains("permission denied") || err.contains("not permitted"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), before, "byte-identical");
    }
    assert_eq!(
        entries(dir.path()),
        ["links.csv"],
        "no temporary files left"
    );
}

#[test]
fn a_path_under_a_regular_file_fails_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    fs::write(&file, "I am a file").unwrap();
    let err = write_set(
        &file.join("out.json"),
        Format::Json,
        &SetMeta::default(),
        &items(1),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("plain-file/out.json"), "{err}");
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "I am a file");
}

#[test]
fn a_folder_as_target_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_set(dir.path(), Format::Csv, &SetMeta::default(), &items(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("it is a folder"), "{err}");
}

#[test]
fn a_full_disk_fails_with_a_reason() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("no /dev/full here");
        return;
    }
    for format in Format::ALL {
        let err = write_set(full, format, &SetMeta::default(), &items(2000))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/dev/full"), "{err}");
        assert!(err.contains("the disk is full"), "{err}");
    }
    // Still a device: nothing was renamed over it.
    assert!(fs::metadata(full).unwrap().file_type().is_char_device());
}

#[test]
fn an_export_that_fails_half_way_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.jsonl");
    write_set(&path, Format::Jsonl, &SetMeta::default(), &items(3)).unwrap();
    let before = fs::read(&path).unwrap();
    for format in Format::ALL {
        let mut w = SetWriter::create(&path, format, None, None).unwrap();
        w.write_all(&items(20_000)).unwrap();
        // The fetch failed: the writer is dropped without `finish`.
        drop(w);
        assert_eq!(fs::read(&path).unwrap(), before, "{format}");
    }
    assert_eq!(entries(dir.path()), ["links.jsonl"]);
    // And a finished one replaces it.
    let mut w = SetWriter::create(&path, Format::Jsonl, None, None).unwrap();
    w.write_all(&items(5)).unwrap();
    assert_eq!(w.finish(&SetEnd::default()).unwrap(), 5);
    assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 5);
}

#[test]
fn the_next_save_removes_temporaries_a_killed_export_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.csv");
    // Left by a killed writer: no process has this id (Linux allows at most 2^22).
    let dead = ".links.csv.4000000000-0.tmp";
    // Another file's, and one of a writer still running (this process).
    let other = ".other.csv.4000000000-0.tmp";
    let alive = format!(".links.csv.{}-999999.tmp", std::process::id());
    for name in [dead, other, alive.as_str(), "notes.tmp"] {
        fs::write(dir.path().join(name), "half a file").unwrap();
    }
    write_set(&path, Format::Csv, &SetMeta::default(), &items(2)).unwrap();
    let mut want = vec![
        other.to_owned(),
        alive,
        "links.csv".into(),
        "notes.tmp".into(),
    ];
    want.sort();
    assert_eq!(entries(dir.path()), want);
}

#[test]
fn an_old_temporary_is_left_while_its_writer_runs() {
    // Only the process decides on Linux: a day-old file of a running writer stays.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.jsonl");
    let alive = dir
        .path()
        .join(format!(".links.jsonl.{}-999998.tmp", std::process::id()));
    fs::write(&alive, "slow").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_hours(48);
    fs::File::options()
        .write(true)
        .open(&alive)
        .unwrap()
        .set_modified(old)
        .unwrap();
    write_set(&path, Format::Jsonl, &SetMeta::default(), &items(1)).unwrap();
    assert!(alive.exists());
}
