//! Drawing: `render(&App, &mut Frame)`, a pure function of the state. One file per pane or
//! layer; the panes first, then the layers bottom to top.

mod budget;
mod columns_chooser;
mod copy_menu;
mod detail;
mod filter_bar;
pub mod filters;
mod help;
pub mod history;
mod overlay;
mod progress;
mod query;
mod save;
mod search_bar;
mod stats;
pub mod status;
mod table;
pub mod theme;
mod views;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::stack::Layer;
use crate::layout::{AppLayout, MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let layout = AppLayout::new(area);
    if !layout.fits {
        let msg = format!(
            "terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(Line::from(msg)), area);
        return;
    }
    if app.detail.open {
        let full = app.detail.is_full(area.width);
        let split = layout.with_detail(full);
        if !full {
            query::render(app, frame, layout.query);
            let narrowed = AppLayout {
                table: split.table,
                body: split.body,
                ..layout
            };
            table::render(app, frame, &narrowed);
        }
        detail::render(app, frame, split.panel);
    } else {
        query::render(app, frame, layout.query);
        table::render(app, frame, &layout);
    }
    status::render(app, frame, layout.status);
    if app.layers.is_empty() && app.detail.open {
        detail::render_hints(app, frame, layout.hints);
    } else {
        status::render_hints(app, frame, layout.hints);
    }
    // The layers, bottom to top: the top one is drawn last.
    for layer in app.layers.iter() {
        match layer {
            Layer::Search => search_bar::render(app, frame, layout.hints),
            Layer::Builder(_) => filters::render(app, frame, layout.table),
            Layer::FilterBar(_) => filter_bar::render(app, frame, layout.table),
            Layer::Window(w) => overlay::render(app, w, frame, &layout),
            Layer::Copy(menu) => copy_menu::render(app, *menu, frame, area),
            Layer::Help { .. } => help::render(app, frame, area),
            Layer::Save(d) => save::render(app, d, frame, area),
            Layer::Budget(prompt) => budget::render(app, prompt, frame, area),
            Layer::Export(e) => progress::render(app, e, frame, area),
        }
    }
}
