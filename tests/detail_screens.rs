//! Screens of the detail panel, the copy menu and search/marks in the table, drawn into a
//! `TestBackend` and compared with committed snapshots.

mod support;

use backlinks::api::Backlink;
use backlinks::api::response::Envelope;
use backlinks::api::time;
use backlinks::app::App;
use backlinks::app::msg::Msg;
use backlinks::fetch::{FetchEvent, Page};
use backlinks::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

fn fixture_items() -> Vec<Backlink> {
    let text = std::fs::read_to_string("tests/fixtures/backlinks_live_example_response.json")
        .expect("fixture");
    let env: Envelope = serde_json::from_str(&text).expect("fixture decodes");
    env.first_result().unwrap().items.clone().unwrap()
}

/// An app showing `items` as the first page of forbes.com, the clock pinned.
fn app_with(items: Vec<Backlink>) -> App {
    let mut app = app();
    app.now = time::parse("2023-06-01 12:00:00 +00:00").ok();
    let req = run_target(&mut app, "forbes.com");
    app.update(Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: 0,
        page: Page {
            items,
            total_count: 42_671_699,
            ..Page::default()
        },
    }));
    app
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    format!("{}", draw(app, w, h).backend())
}

fn assert_clean(term: &Terminal<TestBackend>) {
    for cell in term.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(
                !c.is_control()
                    && !('\u{202a}'..='\u{202e}').contains(&c)
                    && !('\u{2066}'..='\u{2069}').contains(&c),
                "control character {c:?} reached the buffer"
            );
        }
    }
}

#[test]
fn image_link_with_an_indirect_path_beside_the_table() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 160, 45));
}

#[test]
fn image_link_with_an_indirect_path_every_field() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Enter);
    let text = screen(&mut app, 100, 90);
    for expected in [
        "[img: Forbes]",
        "redirect 302 https://goo.gl/0fV3mB →",
        "2019-01-21 18:17:01 +00:00 · 4 years ago",
        "https://www.opencart.com/application/view/image/home/featured/forbes.png",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn plain_anchor_with_its_context() {
    let mut app = app_with(fixture_items());
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Enter);
    let text = screen(&mut app, 100, 60);
    assert!(text.contains("Buffett"), "the context paragraph is shown");
    insta::assert_snapshot!(text);
}

#[test]
fn hostile_row_in_the_detail_panel() {
    let nasty = Backlink {
        domain_from: Some("evil\u{1b}]0;owned\u{7}.com".into()),
        url_from: Some("https://x.com/\u{1b}[2J\u{9b}31m".into()),
        anchor: Some("click\u{202e}ereh\u{0}\u{85} 日本語 🙂".into()),
        text_pre: Some("before\u{1b}]52;c;aGk=\u{7} the\tlink\r\n".into()),
        text_post: Some("after \u{2066}isolate\u{2069} \u{1b}P+q\u{1b}\\".into()),
        page_from_title: Some("\u{1b}[?1049hTitle\u{90}dcs\u{9c}".into()),
        attributes: Some(vec!["no\u{1b}[5mfollow".into()]),
        indirect_link_path: Some(vec![backlinks::api::response::IndirectHop {
            kind: Some("redirect\u{7}".into()),
            status_code: Some(301),
            url: Some("https://hop.example/\u{1b}]8;;x\u{7}".into()),
        }]),
        ..Backlink::default()
    };
    let mut app = app_with(vec![nasty]);
    key(&mut app, KeyCode::Enter);
    let term = draw(&mut app, 160, 45);
    assert_clean(&term);
    let text = format!("{}", term.backend());
    assert!(text.contains("click"));
    insta::assert_snapshot!(text);
    key(&mut app, KeyCode::Char('J'));
    let term = draw(&mut app, 160, 45);
    assert_clean(&term);
}

#[test]
fn raw_json_of_the_item() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('J'));
    let text = screen(&mut app, 160, 45);
    assert!(text.contains("\"url_from\": \"https://www.opencart.com/\","));
    insta::assert_snapshot!(text);
}

#[test]
fn narrow_terminal_shows_the_detail_full_screen_and_z_puts_it_aside() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Enter);
    let text = screen(&mut app, 100, 30);
    assert!(
        !text.contains("backlinks of forbes.com"),
        "the table is covered"
    );
    insta::assert_snapshot!(text);
    key(&mut app, KeyCode::Char('z'));
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains("backlinks of forbes.com"),
        "the table is back, beside"
    );
}

#[test]
fn the_copy_menu() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(screen(&mut app, 120, 30));
}

#[test]
fn search_matches_and_marks_in_the_table() {
    let mut app = app();
    let req = run_target(&mut app, "forbes.com");
    app.update(loaded(&req, 1000, 48_213));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('V'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "SITE1");
    insta::assert_snapshot!(screen(&mut app, 120, 24));
}

#[test]
fn help_with_the_detail_open_lists_its_keys() {
    let mut app = app_with(fixture_items());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('?'));
    let text = screen(&mut app, 160, 45);
    assert!(text.contains("detail keys"));
    assert!(text.contains("detail beside the table / full screen"));
    assert!(text.contains("j/k move the row shown"));
}

#[test]
fn fields_the_app_does_not_know_show_at_the_end_sanitised() {
    let item: Backlink = serde_json::from_str(
        r#"{"rank":5,"url_from":"https://a.example/","ai_score":{"v":0.5},
            "evil\u001b[31m_name":"x\u202ey"}"#,
    )
    .unwrap();
    let mut app = app_with(vec![item]);
    key(&mut app, KeyCode::Enter);
    let term = draw(&mut app, 100, 90);
    assert_clean(&term);
    let text = format!("{}", term.backend());
    assert!(text.contains("Other fields"), "{text}");
    assert!(
        text.contains(r#"ai_score                  {"v":0.5}"#),
        "{text}"
    );
    assert!(text.contains(r#"evil_name                 "xy""#), "{text}");
}
