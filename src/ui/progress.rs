//! The progress of a whole-result save: a gauge, rows, rate, time left, the slices of a sliced
//! export (done, running, waiting) and cost so far.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Gauge, Paragraph};

use crate::app::App;
use crate::app::export::{ExportRun, ExportState};
use crate::text::group;
use crate::text::sanitize;

use super::save::centered;

pub fn render(app: &App, e: &ExportState, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let popup = centered(area, 76, 8);
    frame.render_widget(Clear, popup);
    let title = format!(" saving to {} ", sanitize(&e.path.display().to_string()));
    let block = Block::bordered()
        .title(Span::styled(title, t.accent()))
        .border_style(t.focused_border());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let p = &e.progress;
    // A sliced export gets a line saying how its slices stand.
    let sliced = crate::fetch::export::slices::describe(&p.slices);
    let rows = Layout::vertical([Constraint::Length(1); 5]).split(inner);
    let (gauge, stats) = (rows[0], rows[1]);
    let (paid, hint) = if sliced.is_some() {
        (rows[3], rows[4])
    } else {
        (rows[2], rows[3])
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(t.good())
            .ratio(e.ratio())
            .label(format!("{:.0} %", e.ratio() * 100.0)),
        gauge,
    );
    let eta = p
        .eta()
        .map_or_else(|| "–".to_owned(), crate::fetch::export::estimate::eta);
    let line = format!(
        "{} / {} rows · {} rows/s · {eta} left",
        group(p.rows),
        group(p.target_rows),
        group(p.rate().round() as u64),
    );
    frame.render_widget(Paragraph::new(line), stats);
    if let Some(s) = sliced {
        frame.render_widget(Paragraph::new(Span::styled(s, t.dim())), rows[2]);
    }
    let cost = format!(
        "${:.4} so far · {} request{} · {} cached page{}",
        p.cost,
        p.requests,
        if p.requests == 1 { "" } else { "s" },
        p.cached_pages,
        if p.cached_pages == 1 { "" } else { "s" },
    );
    frame.render_widget(Paragraph::new(Span::styled(cost, t.dim())), paid);
    let hint_text = match e.run {
        ExportRun::StoppingThenQuit => Span::styled(
            "stopping, then quitting; the file keeps what is fetched · ctrl+c: quit now",
            t.warn(),
        ),
        ExportRun::Stopping => Span::styled("stopping after the pages in flight…", t.warn()),
        ExportRun::Running => Span::styled(
            "esc stop, keep what is fetched (file marked partial) · q stop, keep, quit",
            t.dim(),
        ),
    };
    frame.render_widget(Paragraph::new(Line::from(hint_text)), hint);
}
