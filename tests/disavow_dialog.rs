//! A disavow file from the explorer: the save dialog with a `.txt` name writes the marked or
//! loaded rows' domains through the same writer as `backlinks disavow`, and adds to an
//! existing file instead of replacing it.

mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use backlinks::app::msg::{Cmd, Msg, PathKind};
use backlinks::app::save::SaveStage;
use backlinks::disavow::Entry;
use crossterm::event::KeyCode;
use support::{app, ctrl, key, loaded, run_target, typed};

fn with_rows() -> backlinks::app::App {
    let mut a = app();
    a.set_clock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096));
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 5000));
    a
}

/// Renames the dialog's file and presses Enter; then the runtime says what is there.
fn save_as(a: &mut backlinks::app::App, name: &str, there: PathKind) -> Vec<Cmd> {
    ctrl(a, 'u');
    typed(a, name);
    assert_eq!(
        key(a, KeyCode::Enter),
        [Cmd::ProbePath(PathBuf::from(name))]
    );
    a.update(Msg::PathProbed {
        path: PathBuf::from(name),
        kind: there,
    })
}

#[test]
fn marked_rows_become_domain_lines_of_a_new_file() {
    let mut a = with_rows();
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' '));
    ctrl(&mut a, 's');
    let cmds = save_as(&mut a, "disavow.txt", PathKind::Missing);
    let [Cmd::Disavow(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        req.entries,
        [
            Entry::Domain("site1.com".into()),
            Entry::Domain("site3.com".into())
        ]
    );
    assert!(!req.merge);
    assert_eq!(req.origin.targets, ["forbes.com"]);
    assert_eq!(req.origin.selection.as_deref(), Some("2 marked rows"));
    assert_eq!(req.origin.date, "2024-02-29");

    a.update(Msg::Disavowed(Ok("wrote 2 domains to disavow.txt".into())));
    assert!(a.layers.save().is_none());
    assert_eq!(
        a.status.note.as_deref(),
        Some("wrote 2 domains to disavow.txt")
    );
}

#[test]
fn an_existing_file_is_added_to_after_a_question_that_says_so() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    let cmds = save_as(&mut a, "disavow.txt", PathKind::File);
    assert!(cmds.is_empty());
    assert_eq!(a.layers.save().unwrap().stage, SaveStage::ConfirmOverwrite);
    let cmds = key(&mut a, KeyCode::Char('y'));
    let [Cmd::Disavow(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert!(req.merge, "the file's lines are kept");
    assert_eq!(req.entries.len(), 1000, "every loaded row");
}

#[test]
fn a_failed_write_keeps_the_dialog_open_with_the_reason() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    save_as(&mut a, "disavow.txt", PathKind::Missing);
    a.update(Msg::Disavowed(Err(
        "the disavow file would have 120,000 lines".into(),
    )));
    let d = a.layers.save().expect("still open");
    assert_eq!(d.stage, SaveStage::Editing);
    assert!(d.error.as_deref().unwrap().contains("120,000 lines"));
}

#[test]
fn the_whole_result_is_not_offered_as_a_disavow_file() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab); // the whole result
    ctrl(&mut a, 'u');
    typed(&mut a, "disavow.txt");
    assert!(key(&mut a, KeyCode::Enter).is_empty(), "nothing is fetched");
    let err = a.layers.save().unwrap().error.clone().unwrap();
    assert!(err.contains("backlinks disavow"), "{err}");
}
