//! The query history list (`ctrl+r`): newest first, narrowed by what is typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::App;
use crate::app::history::HistoryList;
use crate::keymap::Pane;
use crate::text::{cell, width};

use super::overlay::{hint_line, popup, scroll_top};
use crate::text::group;

pub fn render(app: &App, list: &HistoryList, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let entries = &app.history.entries;
    let matches = list.matches(entries);
    let title = Line::from(vec![
        Span::styled(" history ", t.accent()),
        Span::styled(
            format!("· {} of {} ", matches.len(), entries.len()),
            t.dim(),
        ),
    ]);
    let w = area.width.saturating_sub(8).min(150);
    let h = area
        .height
        .saturating_sub(6)
        .min(matches.len() as u16 + 6)
        .max(8);
    let inner = popup(app, frame, area, w, h, title);
    let mut lines = vec![Line::from(vec![
        Span::styled(" › ", t.accent()),
        Span::raw(cell(
            list.input.value(),
            usize::from(inner.width).saturating_sub(4),
        )),
        Span::styled("▏", t.accent()),
    ])];
    let list_h = usize::from(inner.height.saturating_sub(3));
    let top = scroll_top(list.selected, list_h, matches.len());
    let inner_w = usize::from(inner.width);
    for (row, &i) in matches.iter().enumerate().skip(top).take(list_h) {
        let e = &entries[i];
        let when = if e.time == 0 {
            "this session".to_owned()
        } else {
            utc_minute(e.time)
        };
        let rows = match e.total {
            Some(total) => format!("{} of {}", group(e.rows), group(total)),
            None => group(e.rows),
        };
        let right = format!("{rows:>18}  ${:.4} ", e.cost);
        let target = cell(&e.request.target, 28);
        let room = inner_w.saturating_sub(18 + 30 + width(&right) + 2);
        let summary = cell(&e.summary(), room);
        let pad = room.saturating_sub(width(&summary));
        let selected = row == list.selected;
        let base = if selected {
            t.selected_row()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {when:<17}"), base.patch(t.dim())),
            Span::styled(format!("{target:<30}"), base.patch(t.accent())),
            Span::styled(format!("{summary}{}", " ".repeat(pad)), base),
            Span::styled(format!("  {right}"), base.patch(t.dim())),
        ]));
    }
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(
            "   nothing matches what is typed",
            t.dim(),
        )));
    }
    while lines.len() < list_h + 1 {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(""));
    lines.push(hint_line(
        app,
        Pane::History,
        &[
            (Action::SelectNext, "older"),
            (Action::SelectPrev, "newer"),
            (Action::RerunEntry, "run again"),
            (Action::Cancel, "close"),
        ],
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Unix seconds as `YYYY-MM-DD HH:MM` (UTC).
pub fn utc_minute(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map_or_else(String::new, |t| t.strftime("%Y-%m-%d %H:%M").to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_seconds_as_utc() {
        assert_eq!(super::utc_minute(0), "1970-01-01 00:00");
        assert_eq!(super::utc_minute(951_782_400), "2000-02-29 00:00");
        assert_eq!(super::utc_minute(1_717_243_500), "2024-06-01 12:05");
    }
}
