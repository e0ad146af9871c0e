//! Drawing: `render(&App, &mut Frame)`, a pure function of the state. One file per pane.

mod help;
mod progress;
mod query;
mod save;
mod status;
mod table;
pub mod theme;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;
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
    query::render(app, frame, layout.query);
    table::render(app, frame, &layout);
    status::render(app, frame, layout.status);
    status::render_hints(app, frame, layout.hints);
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
