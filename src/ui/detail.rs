//! The detail panel: the app's laid-out document (already sanitised and wrapped), styled by
//! tag, scrolled, with the row number and the scroll position in the border.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::action::Action;
use crate::app::App;
use crate::app::detail::doc::Tag;
use crate::keymap::Pane;

use super::status::hint_spans;
use super::theme::Theme;
use crate::text::group;

fn style(t: Theme, tag: Tag) -> Style {
    match tag {
        Tag::Heading => t.header(),
        Tag::Label | Tag::Null | Tag::No | Tag::Dim => t.dim(),
        Tag::Plain => Style::new(),
        Tag::Yes | Tag::Good => t.good(),
        Tag::Url => t.link(),
        Tag::Warn => t.warn(),
        Tag::Bad => t.error(),
        Tag::Anchor => t.highlight(),
    }
}

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let r = &app.results;
    frame.render_widget(Clear, area);
    let what = if app.detail.raw { "raw JSON" } else { "detail" };
    let mut title = vec![Span::styled(format!(" {what} · row "), t.dim())];
    title.push(Span::styled(group(r.selected as u64 + 1), t.accent()));
    if let Some(total) = r.total {
        title.push(Span::styled(format!(" of {} ", group(total)), t.dim()));
    } else {
        title.push(Span::raw(" "));
    }
    if app.marks.is_marked(r.selected) {
        title.push(Span::styled("● marked ", t.marked()));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(t.focused_border());
    let inner = block.inner(area);
    let lines = app.detail_lines(usize::from(inner.width));
    let height = usize::from(inner.height);
    let max = lines.len().saturating_sub(height);
    let top = app.detail.scroll_for(r.selected).min(max);
    let block = if lines.len() > height {
        let shown = format!(
            " {}–{} of {} ",
            top + 1,
            (top + height).min(lines.len()),
            lines.len()
        );
        block.title_bottom(Line::from(Span::styled(shown, t.dim())).alignment(Alignment::Right))
    } else {
        block
    };
    let body: Vec<Line<'_>> = lines
        .into_iter()
        .skip(top)
        .take(height)
        .map(|pieces| {
            Line::from(
                pieces
                    .into_iter()
                    .map(|(text, tag)| Span::styled(text, style(t, tag)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(body).block(block), area);
}

/// The hint line while the panel is open.
pub fn render_hints(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let actions = [
        Action::SelectNext,
        Action::DetailPageDown,
        Action::DetailZoom,
        Action::DetailRaw,
        Action::CopyMenu,
        Action::OpenInBrowser,
        Action::Cancel,
        Action::Help,
    ];
    let spans = hint_spans(app, &[Pane::Detail, Pane::Results, Pane::Global], &actions);
    frame.render_widget(
        Paragraph::new(Line::from(super::status::fit(spans, area.width))),
        area,
    );
}
