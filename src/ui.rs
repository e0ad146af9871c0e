//! Drawing: `render(&App, &mut Frame)`, a pure function of the state. One file per pane.

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
mod status;
mod table;
pub mod theme;
mod views;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::{App, Focus};
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
    match app.focus {
        Focus::Builder => filters::render(app, frame, layout.table),
        Focus::FilterBar => filter_bar::render(app, frame, layout.table),
        _ => {}
    }
    status::render(app, frame, layout.status);
    if app.search.editing {
        search_bar::render(app, frame, layout.hints);
    } else if app.detail.open {
        detail::render_hints(app, frame, layout.hints);
    } else {
        status::render_hints(app, frame, layout.hints);
    }
    if app.copy_menu.is_some() {
        copy_menu::render(app, frame, area);
    }
    overlay::render(app, frame, &layout);
    if app.help_open {
        help::render(app, frame, area);
    }
    if let Some(d) = &app.save {
        save::render(app, d, frame, area);
    }
    if let Some(e) = &app.export {
        progress::render(app, e, frame, area);
    }
}
