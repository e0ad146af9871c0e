//! Messages about files say what the system said: a folder that refused a new file is not a
//! missing folder, a missing file is not a missing folder, and a file that is not a set says
//! so and why, in place of the rows.

#[path = "common/binary.rs"]
mod binary;

use std::path::Path;

use backlinks::api::response::Backlink;
use backlinks::app::App;
use backlinks::app::msg::{LoadEvent, Msg};
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use backlinks::store::read::read_all;
use backlinks::store::{Format, SetMeta, write_set};
use backlinks::ui;
use binary::backlinks;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn write_err(path: &Path) -> String {
    write_set(
        path,
        Format::Csv,
        &SetMeta::default(),
        &[Backlink::default()],
    )
    .unwrap_err()
    .to_string()
}

#[test]
fn a_folder_that_refuses_a_new_file_is_not_called_missing() {
    if !Path::new("/proc/self").exists() {
        eprintln!("no /proc here: nothing to check");
        return;
    }
    let err = write_err(Path::new("/proc/x.csv"));
    assert_eq!(
        err,
        "cannot write /proc/x.csv: /proc does not take new files (not found)"
    );
}

#[test]
fn a_missing_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = write_err(&missing.join("x.csv"));
    assert!(
        err.ends_with(&format!("the folder {} does not exist", missing.display())),
        "{err}"
    );
    let err = read_all(&missing.join("x.csv")).unwrap_err().to_string();
    assert!(
        err.ends_with("does not exist") && err.contains("the folder"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_all(&dir.path().join("missing.csv"))
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("missing.csv: the file does not exist"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_set_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\neggs\n").unwrap();
    let err = read_all(&notes).unwrap_err();
    assert_eq!(
        err.without_path(),
        "not a backlinks set: its first line names no backlink field"
    );
    let json = dir.path().join("other.json");
    std::fs::write(&json, "<html>not json</html>").unwrap();
    let err = read_all(&json).unwrap_err().without_path();
    assert!(err.starts_with("not a backlinks set: "), "{err}");
    let binary = dir.path().join("image.csv");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\xff\xfe\xfd,\x00\x01\n").unwrap();
    let err = read_all(&binary).unwrap_err().without_path();
    assert!(err.starts_with("not a backlinks set: "), "{err}");
}

#[test]
fn the_explorer_shows_why_a_file_opened_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\neggs\n").unwrap();
    let reason = read_all(&notes).unwrap_err().without_path();
    let mut a = App::new(Source::Demo, Keymap::defaults());
    a.open_file(&notes);
    a.update(Msg::FileLoad(LoadEvent::Done(Err(reason))));
    a.update(Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::render(&a, f)).unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(
        screen.contains("✗ not a backlinks set: its first line names no backlink field"),
        "{screen}"
    );
    assert!(!screen.contains("no backlinks match"), "{screen}");
    assert!(!screen.contains("kept the 0 rows"), "{screen}");
}

#[test]
fn open_and_export_say_what_the_system_said() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("missing.csv");
    let out = backlinks(home.path(), &["open", missing.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("missing.csv: the file does not exist"),
        "{err}"
    );
    if Path::new("/proc/self").exists() {
        let out = backlinks(
            home.path(),
            &[
                "export",
                "example.org",
                "--demo",
                "--no-cache",
                "-o",
                "/proc/x.csv",
            ],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            err.contains("cannot write /proc/x.csv: /proc does not take new files (not found)"),
            "{err}"
        );
        assert!(!err.contains("folder does not exist"), "{err}");
    }
}
