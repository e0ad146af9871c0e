//! One frame of the explorer with many loaded rows: the cost must not grow with the row count.

use std::hint::black_box;

use backlinks::api::Backlink;
use backlinks::app::App;
use backlinks::app::msg::Msg;
use backlinks::fetch::Page;
use backlinks::fetch::Source;
use backlinks::keymap::Keymap;
use backlinks::ui;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app_with_rows(n: usize) -> App {
    let mut app = App::new(Source::Demo, Keymap::defaults());
    app.resize(200, 50);
    app.query.target = tui_input::Input::new("forbes.com".into());
    app.run_query();
    let req = app.results.take_next_page().expect("first page");
    let item = Backlink {
        rank: Some(512),
        domain_from: Some("www.example.com".into()),
        url_from: Some("https://www.example.com/some/long/path/to/an/article-about-things".into()),
        anchor: Some("a fairly typical anchor text 日本語".into()),
        dofollow: Some(true),
        item_type: Some("anchor".into()),
        domain_from_rank: Some(700),
        page_from_rank: Some(300),
        backlink_spam_score: Some(3),
        first_seen: Some("2021-03-04 05:06:07 +00:00".into()),
        last_seen: Some("2026-10-04 05:06:07 +00:00".into()),
        ..Backlink::default()
    };
    app.update(Msg::Fetch(backlinks::fetch::FetchEvent::PageLoaded {
        generation: req.generation,
        row_start: 0,
        page: Page {
            items: vec![item; n],
            total_count: n as u64,
            ..Page::default()
        },
    }));
    app.results.move_by((n / 2) as isize);
    app
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_frame_200x50");
    for n in [10_000usize, 1_000_000] {
        let app = app_with_rows(n);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
        group.bench_with_input(BenchmarkId::from_parameter(n), &app, |b, app| {
            b.iter(|| {
                terminal
                    .draw(|f| ui::render(black_box(app), f))
                    .expect("draw");
            });
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
