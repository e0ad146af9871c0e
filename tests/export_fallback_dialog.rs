//! The explorer's "save → the whole result" says so when the rest cannot be sliced and will
//! come page by page (the user's filter leaves no room for the slices' range conditions).

mod support;

use std::path::PathBuf;

use backlinks::app::msg::{Msg, PathKind};
use backlinks::app::save::SaveStage;
use crossterm::event::KeyCode;
use support::{app, ctrl, fetches, key, loaded, run_target, typed};

fn whole_result_question(filter: Option<&str>) -> backlinks::app::App {
    let mut a = app();
    let mut req = run_target(&mut a, "forbes.com");
    if let Some(f) = filter {
        key(&mut a, KeyCode::Char(':'));
        typed(&mut a, f);
        let cmds = key(&mut a, KeyCode::Enter);
        req = fetches(&cmds)
            .pop()
            .expect("the filter runs the query again");
    }
    a.update(loaded(&req, 1000, 60_000));
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Tab); // the whole result
    key(&mut a, KeyCode::Enter);
    let name = a.layers.save().unwrap().path.value().to_owned();
    a.update(Msg::PathProbed {
        path: PathBuf::from(name),
        kind: PathKind::Missing,
    });
    a
}

#[test]
fn a_filter_without_room_for_slices_is_said_before_the_price_question() {
    let a = whole_result_question(Some(
        "domain_from_rank > 1 and domain_from_rank < 1000 and page_from_rank > 1 and \
         dofollow = true and is_lost = false and is_new = false and is_broken = false",
    ));
    let SaveStage::ConfirmPrice(e, _) = &a.layers.save().unwrap().stage else {
        panic!("the price question")
    };
    assert_eq!(e.slices, 0, "page by page");
    let warning = a.status.warning.clone().unwrap_or_default();
    assert!(warning.contains("pages come one at a time"), "{warning:?}");
}

#[test]
fn a_query_that_can_be_sliced_says_nothing_of_the_kind() {
    let a = whole_result_question(None);
    let SaveStage::ConfirmPrice(e, _) = &a.layers.save().unwrap().stage else {
        panic!("the price question")
    };
    assert!(e.slices > 0, "{e:?}");
    assert_eq!(a.status.warning, None);
}
