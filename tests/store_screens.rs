//! Screens of saving and opening: the save dialog, the overwrite and price questions, the
//! progress gauge of a whole-result save, and an opened file.

mod support;

use std::time::{Duration, SystemTime};

use backlinks::app::App;
use backlinks::app::msg::{LoadEvent, Msg, PathKind, Saved};
use backlinks::fetch::ExportEvent;
use backlinks::fetch::Source;
use backlinks::fetch::export::Progress;
use backlinks::keymap::Keymap;
use backlinks::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{app, ctrl, key, loaded, run_target};

/// 2024-02-29 12:34:56 UTC.
fn clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096)
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal
}

/// 1,000 of 5,000 rows loaded, Ctrl-S pressed.
fn save_dialog() -> App {
    let mut a = app();
    a.set_clock(clock());
    let req = run_target(&mut a, "forbes.com");
    a.update(loaded(&req, 1000, 5000));
    ctrl(&mut a, 's');
    a
}

/// Enter in the dialog (with `whole`: after Tab to "the whole result"), and the path's check.
fn enter(a: &mut App, whole: bool, kind: PathKind) {
    if whole {
        key(a, KeyCode::Tab);
    }
    key(a, KeyCode::Enter);
    a.update(Msg::PathProbed {
        path: "forbes.com-20240229-123456.csv".into(),
        kind,
    });
}

#[test]
fn the_save_dialog() {
    let mut a = save_dialog();
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

#[test]
fn the_save_dialog_asks_before_overwriting() {
    let mut a = save_dialog();
    enter(&mut a, false, PathKind::File);
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

#[test]
fn a_failed_save_keeps_the_dialog_open_with_the_reason() {
    let mut a = save_dialog();
    enter(&mut a, false, PathKind::Missing);
    a.update(Msg::Saved(Err::<Saved, _>(
        "cannot write forbes.com-20240229-123456.csv: no space left on the device (the old \
         file is untouched)"
            .into(),
    )));
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

#[test]
fn the_whole_result_is_priced_before_anything_is_fetched() {
    let mut a = save_dialog();
    enter(&mut a, true, PathKind::Missing);
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

fn exporting() -> App {
    let mut a = save_dialog();
    enter(&mut a, true, PathKind::Missing);
    key(&mut a, KeyCode::Char('y'));
    a.update(Msg::Export(ExportEvent::Progress(Progress {
        rows: 3000,
        target_rows: 5000,
        fetched: 2000,
        requests: 2,
        cached_pages: 0,
        cost: 0.1,
        elapsed: Duration::from_secs(4),
        ..Progress::default()
    })));
    a
}

#[test]
fn the_progress_gauge_of_a_whole_result_save() {
    let mut a = exporting();
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

#[test]
fn the_progress_gauge_of_a_sliced_save_at_80x24_says_how_the_slices_stand() {
    let mut a = exporting();
    a.update(Msg::Export(ExportEvent::Progress(Progress {
        rows: 30_000,
        target_rows: 46_873,
        fetched: 27_000,
        requests: 29,
        cost: 1.45,
        elapsed: Duration::from_secs(3),
        slices: backlinks::fetch::export::slices::Slices {
            done: 1,
            running: 2,
            waiting: 0,
        },
        ..Progress::default()
    })));
    let screen = format!("{:?}", draw(&mut a, 80, 24).backend());
    assert!(
        screen.contains("slices 1/3 done · 2 running · 0 waiting"),
        "{screen}"
    );
    insta::assert_snapshot!(draw(&mut a, 80, 24).backend());
}

#[test]
fn the_progress_gauge_while_stopping_to_quit() {
    let mut a = exporting();
    key(&mut a, KeyCode::Char('q'));
    insta::assert_snapshot!(draw(&mut a, 120, 30).backend());
}

#[test]
fn an_opened_file_in_its_own_order() {
    let mut a = App::new(Source::Demo, Keymap::defaults());
    a.open_file(std::path::Path::new("/data/forbes-links.jsonl"));
    a.set_clock(clock());
    let mut rows = support::rows(0, 300);
    rows.reverse();
    a.update(Msg::FileLoad(LoadEvent::Rows(rows)));
    a.set_clock(clock() + Duration::from_millis(400));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    insta::assert_snapshot!(draw(&mut a, 120, 20).backend());
}

#[test]
fn an_opened_set_shows_the_query_its_rows_answer() {
    use backlinks::api::{Filter, LiveRequest, OrderBy, SortDir};
    use backlinks::store::SetMeta;
    let mut a = App::new(Source::Demo, Keymap::defaults());
    a.open_file(std::path::Path::new("/data/forbes-dofollow.json"));
    a.set_clock(clock());
    let mut query = LiveRequest::new("forbes.com");
    query.filters = Some(Filter::parse("dofollow = true").unwrap());
    query.order_by = Some(vec![OrderBy::new("domain_from_rank", SortDir::Desc)]);
    query.offset = Some(2000);
    a.update(Msg::FileLoad(LoadEvent::Meta(Box::new(SetMeta {
        query: Some(query),
        fetched_at: Some("2024-02-29 12:00:00 +00:00".into()),
        total_count: Some(300),
        cost: 0.06,
        partial: false,
    }))));
    a.update(Msg::FileLoad(LoadEvent::Rows(support::rows(0, 300))));
    a.update(Msg::FileLoad(LoadEvent::Done(Ok(()))));
    assert!(!a.in_file_order());
    assert_eq!(a.query.target.value(), "forbes.com");
    let q = a.results.query.as_ref().unwrap();
    assert_eq!(q.offset, None, "paging is not part of the set's query");
    insta::assert_snapshot!(draw(&mut a, 120, 16).backend());
}

#[test]
fn a_target_read_from_a_file_is_sanitised_on_screen() {
    use backlinks::api::LiveRequest;
    use backlinks::store::SetMeta;
    let mut a = App::new(Source::Demo, Keymap::defaults());
    a.open_file(std::path::Path::new("/data/evil.json"));
    a.update(Msg::FileLoad(LoadEvent::Meta(Box::new(SetMeta {
        query: Some(LiveRequest::new(
            "evil\u{1b}]52;c;cm0gLXJmIH4=\u{7}.com\u{202e}",
        )),
        ..SetMeta::default()
    }))));
    let term = draw(&mut a, 120, 16);
    let text = format!("{}", term.backend());
    assert!(text.contains("target › evil.com"), "{text}");
    for cell in term.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(
                !c.is_control() && c != '\u{202e}',
                "{c:?} reached the screen"
            );
        }
    }
}

#[test]
fn the_whole_result_question_past_the_budget_at_80x24() {
    let mut a = support::whole_result_past_the_budget();
    insta::assert_snapshot!(draw(&mut a, 80, 24).backend());
}
