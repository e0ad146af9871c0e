//! The save dialog and the whole-result save, driven through `App::update`: the name comes
//! from the target and the runtime's clock, overwriting asks first, the whole result is
//! priced before anything is fetched, Esc stops an export; and a file opened offline.

mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use backlinks::app::export::ExportRun;
use backlinks::app::msg::{Cmd, LoadEvent, Msg, PathKind, Saved};

use backlinks::app::save::{SaveScope, SaveStage};
use backlinks::fetch::ExportEvent;
use backlinks::fetch::Source;
use backlinks::fetch::export::Progress;
use backlinks::fetch::export::manifest::Manifest;
use crossterm::event::KeyCode;
use support::{app, ctrl, key, loaded, run_target, typed};

/// 2024-02-29 12:34:56 UTC.
fn clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096)
}

fn with_rows() -> backlinks::app::App {
    let mut a = app();
    a.set_clock(clock());
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 5000));
    a
}

#[test]
fn ctrl_s_offers_a_dated_csv_name_and_asks_before_overwriting() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    let d = a.layers.save().expect("the dialog is open");
    assert_eq!(d.path.value(), "forbes.com-20240229-123456.csv");
    assert_eq!(d.choices, vec![SaveScope::Loaded, SaveScope::Whole]);
    let cmds = key(&mut a, KeyCode::Enter);
    let path = PathBuf::from("forbes.com-20240229-123456.csv");
    assert_eq!(cmds, vec![Cmd::ProbePath(path.clone())]);
    // The file exists: nothing is written until "y".
    let cmds = a.update(Msg::PathProbed {
        path: path.clone(),
        kind: PathKind::File,
    });
    assert!(cmds.is_empty());
    assert_eq!(a.layers.save().unwrap().stage, SaveStage::ConfirmOverwrite);
    let cmds = key(&mut a, KeyCode::Char('y'));
    let [Cmd::Save(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(req.rows.len(), 1000);
    assert_eq!(req.format, backlinks::store::Format::Csv);
    assert_eq!(req.meta.total_count, Some(5000));
    assert!(req.meta.partial, "1,000 of 5,000 rows");
    a.update(Msg::Saved(Ok(Saved { path, rows: 1000 })));
    assert!(a.layers.save().is_none());
    assert!(
        a.status
            .note
            .as_deref()
            .unwrap()
            .contains("saved 1,000 rows")
    );
}

#[test]
fn the_extension_picks_the_format_and_failures_show_the_reason() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    ctrl(&mut a, 'u');
    typed(&mut a, "links.xlsx");
    assert!(key(&mut a, KeyCode::Enter).is_empty());
    assert!(
        a.layers
            .save()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains(".jsonl")
    );
    ctrl(&mut a, 'u');
    typed(&mut a, "out/links.jsonl");
    key(&mut a, KeyCode::Enter);
    let cmds = a.update(Msg::PathProbed {
        path: "out/links.jsonl".into(),
        kind: PathKind::Missing,
    });
    let [Cmd::Save(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(req.format, backlinks::store::Format::Jsonl);
    a.update(Msg::Saved(Err(
        "cannot write out/links.jsonl: the folder does not exist".into(),
    )));
    let d = a.layers.save().expect("still open to fix the name");
    assert_eq!(d.stage, SaveStage::Editing);
    assert!(
        d.error
            .as_deref()
            .unwrap()
            .contains("folder does not exist")
    );
    key(&mut a, KeyCode::Esc);
    assert!(a.layers.save().is_none());
}

#[test]
fn the_whole_result_is_priced_then_exported_and_esc_keeps_a_partial_file() {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.layers.save().unwrap().scope, SaveScope::Whole);
    key(&mut a, KeyCode::Enter);
    let cmds = a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: PathKind::Missing,
    });
    assert!(
        cmds.is_empty(),
        "nothing is fetched before the price is accepted"
    );
    let SaveStage::ConfirmPrice(e, None) = a.layers.save().unwrap().stage.clone() else {
        panic!("asks first")
    };
    assert_eq!((e.rows, e.requests), (4000, 4));
    assert!((e.price - (4.0 * 0.02 + 4000.0 * 0.000_03)).abs() < 1e-9);
    let cmds = key(&mut a, KeyCode::Char('y'));
    let [Cmd::Export(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(req.rows.len(), 1000);
    assert_eq!(req.job.start_row, 1000);
    assert_eq!(req.job.target_rows, 5000);
    assert!(a.layers.export().is_some() && a.layers.save().is_none());
    a.update(Msg::Export(ExportEvent::Progress(Progress {
        rows: 3000,
        target_rows: 5000,
        ..Progress::default()
    })));
    assert!((a.layers.export().unwrap().ratio() - 0.6).abs() < 1e-9);
    assert_eq!(key(&mut a, KeyCode::Esc), vec![Cmd::CancelExport]);
    assert!(key(&mut a, KeyCode::Esc).is_empty(), "once");
    let before = a.status.session_cost;
    a.update(Msg::Export(ExportEvent::Finished(Ok(partial_manifest()))));
    assert!(a.layers.export().is_none());
    let note = a.status.note.clone().unwrap();
    assert!(
        note.contains("3,000 rows") && note.contains("partial (cancelled)"),
        "{note}"
    );
    assert!(
        (a.status.session_cost - before - 0.1).abs() < 1e-9,
        "the export's cost counts"
    );
}

/// An app whose "save the whole result" is running (priced and accepted).
fn exporting() -> backlinks::app::App {
    let mut a = with_rows();
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: PathKind::Missing,
    });
    let cmds = key(&mut a, KeyCode::Char('y'));
    assert!(matches!(cmds.as_slice(), [Cmd::Export(_)]), "{cmds:?}");
    a
}

fn partial_manifest() -> Box<Manifest> {
    Box::new(Manifest {
        tool: "backlinks".into(),
        query: None,
        output: "forbes.com-20240229-123456.csv".into(),
        format: "csv".into(),
        started_at: String::new(),
        finished_at: String::new(),
        rows: 3000,
        total_count: Some(5000),
        requests: 2,
        cached_pages: 0,
        cost: 0.1,
        status: "partial".into(),
        stopped_by: Some("cancelled".into()),
        slices: Vec::new(),
    })
}

#[test]
fn quitting_during_a_whole_result_save_first_puts_the_partial_file_in_place() {
    for quit in ['q', 'c'] {
        let mut a = exporting();
        let cmds = if quit == 'q' {
            key(&mut a, KeyCode::Char('q'))
        } else {
            ctrl(&mut a, 'c')
        };
        assert_eq!(
            cmds,
            vec![Cmd::CancelExport],
            "{quit}: stop the fetching first"
        );
        assert!(!a.quitting, "{quit}: the rows paid for are not thrown away");
        assert_eq!(a.layers.export().unwrap().run, ExportRun::StoppingThenQuit);
        assert!(key(&mut a, KeyCode::Esc).is_empty(), "stopped once");
        // Progress still shows while the pages in flight land.
        a.update(Msg::Export(ExportEvent::Progress(Progress {
            rows: 3000,
            target_rows: 5000,
            ..Progress::default()
        })));
        assert!(!a.quitting);
        let cmds = a.update(Msg::Export(ExportEvent::Finished(Ok(partial_manifest()))));
        assert!(
            cmds.contains(&Cmd::Quit),
            "{quit}: quits once the file is in place"
        );
        assert!(a.quitting);
    }
    // A second Ctrl-C does not wait.
    let mut a = exporting();
    ctrl(&mut a, 'c');
    assert!(ctrl(&mut a, 'c').contains(&Cmd::Quit));
    // A failed save does not quit: its reason would vanish with the screen.
    let mut a = exporting();
    key(&mut a, KeyCode::Char('q'));
    let cmds = a.update(Msg::Export(ExportEvent::Finished(Err(
        "cannot write x.csv: no space left on the device".into(),
    ))));
    assert!(!cmds.contains(&Cmd::Quit) && !a.quitting);
    let error = a.status.error.clone().unwrap();
    assert!(
        error.contains("no space left") && error.contains("not quitting"),
        "{error}"
    );
    assert!(key(&mut a, KeyCode::Char('q')).contains(&Cmd::Quit));
}

#[test]
fn quitting_after_esc_stops_once_then_quits_when_done() {
    let mut a = exporting();
    assert_eq!(a.layers.export().unwrap().run, ExportRun::Running);
    assert_eq!(key(&mut a, KeyCode::Esc), vec![Cmd::CancelExport]);
    assert_eq!(a.layers.export().unwrap().run, ExportRun::Stopping);
    assert!(
        key(&mut a, KeyCode::Char('q')).is_empty(),
        "already stopping"
    );
    assert_eq!(a.layers.export().unwrap().run, ExportRun::StoppingThenQuit);
    assert!(!a.quitting);
    let cmds = a.update(Msg::Export(ExportEvent::Finished(Ok(partial_manifest()))));
    assert!(cmds.contains(&Cmd::Quit) && a.quitting);
    // Esc alone stops without quitting.
    let mut a = exporting();
    key(&mut a, KeyCode::Esc);
    let cmds = a.update(Msg::Export(ExportEvent::Finished(Ok(partial_manifest()))));
    assert!(!cmds.contains(&Cmd::Quit) && !a.quitting);
}

#[test]
fn nothing_to_save_before_a_query() {
    let mut a = app();
    ctrl(&mut a, 's');
    assert!(a.layers.save().is_none());
    assert!(
        a.status
            .error
            .as_deref()
            .unwrap()
            .contains("nothing to save")
    );
}

#[test]
fn an_open_file_loads_in_chunks_and_never_fetches() {
    let mut a = app();
    a.open_file(std::path::Path::new("/tmp/links.jsonl"));
    assert!(matches!(a.status.source, Source::File { .. }));
    let cmds = a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(0, 500))));
    assert!(cmds.is_empty(), "no page requests for a file: {cmds:?}");
    assert_eq!(a.results.rows.len(), 500);
    a.update(Msg::FileLoad(LoadEvent::BadLine {
        line: 501,
        reason: "expected value".into(),
    }));
    a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(500, 500))));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert_eq!(a.results.total, Some(1000));
    assert!(
        a.status
            .error
            .as_deref()
            .unwrap()
            .contains("line 501: expected value")
    );
    // Typing a target and Enter sends nothing.
    key(&mut a, KeyCode::Char('i'));
    typed(&mut a, "x.com");
    assert!(support::fetches(&key(&mut a, KeyCode::Enter)).is_empty());
    assert!(a.status.error.as_deref().unwrap().contains("saved file"));
    // Only the loaded rows can be saved from a file.
    key(&mut a, KeyCode::Esc);
    ctrl(&mut a, 's');
    assert_eq!(a.layers.save().unwrap().choices, vec![SaveScope::Loaded]);
}

#[test]
fn a_clean_file_says_how_many_rows_it_opened_and_how_long_it_took() {
    let t0 = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_hours(500_000);
    let mut a = app();
    a.open_file(std::path::Path::new("/tmp/links.jsonl"));
    a.set_clock(t0);
    a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(0, 1500))));
    a.set_clock(t0 + std::time::Duration::from_secs_f64(1.24));
    a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(1500, 1000))));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert_eq!(a.status.note.as_deref(), Some("opened 2,500 rows in 1.2 s"));
}

#[test]
fn a_file_without_a_query_keeps_its_own_order_until_sorted_and_after_sort_off() {
    let mut a = app();
    a.open_file(std::path::Path::new("/tmp/links.jsonl"));
    // Ranks as the file has them: not sorted.
    let mut rows = support::rows(0, 40);
    rows.reverse();
    rows.swap(3, 30);
    let file_order: Vec<Option<i64>> = rows.iter().map(|r| r.rank).collect();
    a.update(Msg::FileLoad(LoadEvent::Rows(rows)));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert!(a.in_file_order());
    let ranks = |a: &backlinks::app::App| -> Vec<Option<i64>> {
        a.results.rows.iter().map(|r| r.rank).collect()
    };
    assert_eq!(ranks(&a), file_order);
    key(&mut a, KeyCode::Char('l')); // the rank column
    for (press, want_sorted) in [(1, true), (2, true), (3, false)] {
        let cmds = key(&mut a, KeyCode::Char('s'));
        assert!(support::fetches(&cmds).is_empty());
        let got = ranks(&a);
        if want_sorted {
            assert!(!a.in_file_order(), "press {press}");
            let mut want = file_order.clone();
            want.sort_unstable();
            if press == 1 {
                want.reverse();
            }
            assert_eq!(got, want, "press {press}");
        } else {
            assert!(a.in_file_order(), "sort off: back to the file's order");
            assert_eq!(got, file_order);
        }
    }
}

#[test]
fn a_partial_set_says_so_when_opened() {
    let mut a = app();
    a.open_file(std::path::Path::new("/tmp/links.jsonl"));
    // What the runtime reads from `links.jsonl.manifest.json` of an export stopped early.
    let manifest = Manifest {
        query: Some(backlinks::api::LiveRequest::new("forbes.com")),
        finished_at: "2024-02-29 12:00:00 +00:00".into(),
        ..*partial_manifest()
    };
    a.update(Msg::FileLoad(LoadEvent::Meta(Box::new(
        manifest.set_meta(),
    ))));
    a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(0, 3000))));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert_eq!(
        a.status.warning.as_deref(),
        Some("a partial set: 3,000 rows of 5,000 (not every row of its query)")
    );
    assert_eq!(a.query.target.value(), "forbes.com");
    // Still complete as far as local sorting goes: every row of the file is here.
    key(&mut a, KeyCode::Char('l'));
    assert!(support::fetches(&key(&mut a, KeyCode::Char('s'))).is_empty());
    assert!(a.status.note.as_deref().unwrap().contains("sorted locally"));
}

#[test]
fn marked_rows_can_be_saved_alone() {
    let mut a = with_rows();
    // Mark rows 2 and 4 (Space marks the selected row).
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' '));
    ctrl(&mut a, 's');
    let d = a.layers.save().expect("the dialog is open");
    assert_eq!(
        d.choices,
        vec![SaveScope::Loaded, SaveScope::Marked, SaveScope::Whole]
    );
    assert_eq!(d.scope, SaveScope::Marked, "marks make it the first choice");
    key(&mut a, KeyCode::Enter);
    let path = PathBuf::from("forbes.com-20240229-123456.csv");
    let cmds = a.update(Msg::PathProbed {
        path,
        kind: PathKind::Missing,
    });
    let [Cmd::Save(req)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    let urls: Vec<_> = req
        .rows
        .iter()
        .map(|r| r.url_from.clone().unwrap())
        .collect();
    assert_eq!(urls, ["https://site1.com/", "https://site3.com/"]);
    assert!(req.meta.partial, "a selection is not the whole result");
}

#[test]
fn past_the_budget_the_whole_result_question_says_by_how_much() {
    let mut a = support::whole_result_past_the_budget();
    let SaveStage::ConfirmPrice(e, Some(over)) = a.layers.save().unwrap().stage.clone() else {
        panic!("the question knows the save crosses the budget")
    };
    // 20,000 rows past the offset limit: about 2 slices, 22 requests (a partial last page each).
    assert!((e.price - 1.04).abs() < 1e-9, "{e:?}");
    assert!((over.past() - (0.15 + e.price - 0.12)).abs() < 1e-9);
    assert_eq!(
        over.describe(),
        "that is $1.07 past your $0.12 budget (spent $0.15)"
    );
    // "n" spends nothing.
    assert!(key(&mut a, KeyCode::Char('n')).is_empty());
    assert_eq!(a.layers.save().unwrap().stage, SaveStage::Editing);
    // Asked again, "y" is the user's consent to that spend.
    key(&mut a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: PathKind::Missing,
    });
    let cmds = key(&mut a, KeyCode::Char('y'));
    assert!(matches!(cmds.as_slice(), [Cmd::Export(_)]), "{cmds:?}");
}

#[test]
fn within_the_budget_the_whole_result_question_has_no_warning() {
    let mut a = with_rows();
    a.budget = backlinks::app::budget::BudgetState::new(Some(1.0));
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind: PathKind::Missing,
    });
    assert!(matches!(
        a.layers.save().unwrap().stage,
        SaveStage::ConfirmPrice(_, None)
    ));
}

#[test]
fn a_running_save_counts_against_the_budget_of_the_pages() {
    // $0.05 spent, budget $0.12; the save has spent $0.10 so far: the next page would make
    // $0.20, so the table asks before sending it.
    let mut a = exporting();
    a.budget = backlinks::app::budget::BudgetState::new(Some(0.12));
    assert_eq!(a.overrun(0.05), None, "$0.05 + $0.05 is within $0.12");
    a.update(Msg::Export(ExportEvent::Progress(Progress {
        rows: 3000,
        target_rows: 5000,
        cost: 0.1,
        ..Progress::default()
    })));
    assert!((a.spent() - 0.15).abs() < 1e-9);
    let over = a.overrun(0.05).expect("the save's spend counts");
    assert!((over.past() - 0.08).abs() < 1e-9);
}
