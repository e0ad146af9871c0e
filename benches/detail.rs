//! A frame with the detail panel open (the document is built and wrapped on every draw), and
//! the copy payloads of one row.

use std::hint::black_box;

use backlinks::action::Action;
use backlinks::api::response::Envelope;
use backlinks::app::App;
use backlinks::app::copy::CopyChoice;
use backlinks::app::msg::Msg;
use backlinks::fetch::Source;
use backlinks::fetch::{FetchEvent, Page};
use backlinks::keymap::Keymap;
use backlinks::ui;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app() -> App {
    let text = std::fs::read_to_string("tests/fixtures/backlinks_live_example_response.json")
        .expect("fixture");
    let env: Envelope = serde_json::from_str(&text).expect("fixture decodes");
    let items = env
        .first_result()
        .expect("result")
        .items
        .clone()
        .expect("items");
    let mut app = App::new(Source::Demo, Keymap::defaults());
    app.resize(160, 45);
    app.query.target = tui_input::Input::new("forbes.com".into());
    app.run_query();
    let req = app.results.take_next_page().expect("first page");
    app.update(Msg::Fetch(FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: 0,
        page: Page {
            items,
            total_count: 5,
            ..Page::default()
        },
    }));
    app.act(Action::ToggleDetail);
    app
}

fn detail(c: &mut Criterion) {
    let app = app();
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("test backend");
    c.bench_function("render_frame_160x45_detail_open", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::render(black_box(&app), f))
                .expect("draw");
        });
    });
    let item = app.results.selected_item().expect("row").clone();
    c.bench_function("copy_payload_csv", |b| {
        b.iter(|| black_box(CopyChoice::Csv.payload(black_box(&item))));
    });
}

criterion_group!(benches, detail);
criterion_main!(benches);
