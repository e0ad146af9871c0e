//! The save dialog: the file name field, what to save, and the question of the moment
//! (overwrite? fetch the rest for this price?).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::budget::Limit;
use crate::app::save::{SaveDialog, SaveScope, SaveStage};
use crate::text::group;
use crate::text::sanitize;

/// A box `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let (w, h) = (width.min(area.width), height.min(area.height));
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn scope_label(app: &App, scope: SaveScope) -> String {
    let r = &app.results;
    match scope {
        SaveScope::Loaded => format!("the {} loaded rows", group(r.rows.len() as u64)),
        SaveScope::Marked => format!("the {} marked rows", group(app.marks.count() as u64)),
        SaveScope::Whole => format!(
            "the whole result ({} rows; the rest is fetched first)",
            group(r.total.unwrap_or(0))
        ),
    }
}

pub fn render(app: &App, d: &SaveDialog, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let popup = centered(area, 76, 12);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(Span::styled(" save rows ", t.accent()))
        .border_style(t.focused_border());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let field_width = usize::from(inner.width.saturating_sub(6)).max(1);
    let scroll = d.path.visual_scroll(field_width);
    let shown: String = sanitize(d.path.value())
        .chars()
        .skip(scroll)
        .take(field_width)
        .collect();
    let mut lines = vec![
        Line::from(vec![Span::styled("file ", t.dim()), Span::raw(shown)]),
        Line::from(Span::styled(
            match d.format() {
                Some(f) => format!("     format {f} (from the extension)"),
                None if d.is_disavow() => {
                    "     a Google disavow file: one domain: line per referring domain".into()
                }
                None => "     end the name in .csv, .tsv, .json or .jsonl (.txt: disavow)".into(),
            },
            t.dim(),
        )),
        Line::from(""),
    ];
    for scope in &d.choices {
        let on = *scope == d.scope;
        lines.push(Line::from(vec![
            Span::styled(if on { " (•) " } else { " ( ) " }, t.key()),
            Span::styled(
                scope_label(app, *scope),
                if on { t.accent() } else { t.dim() },
            ),
        ]));
    }
    lines.push(Line::from(""));
    let (question, style) = match &d.stage {
        SaveStage::Editing => match &d.error {
            Some(e) => (sanitize(e).into_owned(), t.error()),
            None => (
                "enter save · tab what to save · esc close".to_owned(),
                t.dim(),
            ),
        },
        SaveStage::Checking | SaveStage::Writing => ("writing…".to_owned(), t.warn()),
        SaveStage::ConfirmOverwrite if d.is_disavow() => (
            "the file exists: add the new domains to it (its lines are kept)? y / n".to_owned(),
            t.warn(),
        ),
        SaveStage::ConfirmOverwrite => {
            ("the file exists: overwrite it? y / n".to_owned(), t.warn())
        }
        SaveStage::ConfirmPrice(e, None) => {
            (format!("{}. Go ahead? y / n", e.describe()), t.warn())
        }
        SaveStage::ConfirmPrice(e, Some(over)) if over.of == Limit::Balance => (
            format!(
                "{}; {}: not possible (any key goes back)",
                e.describe(),
                over.describe_for("this save")
            ),
            t.error(),
        ),
        SaveStage::ConfirmPrice(e, Some(over)) => (
            format!("{}; {}. Go ahead? y / n", e.describe(), over.describe()),
            t.error(),
        ),
    };
    lines.push(Line::from(Span::styled(question, style)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if d.stage == SaveStage::Editing {
        let x = d.path.visual_cursor().saturating_sub(scroll) as u16;
        frame.set_cursor_position(Position::new(inner.x + 5 + x, inner.y));
    }
}
