//! The budget question: the next page would take the session past its budget.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::App;
use crate::app::budget::{BudgetPrompt, Limit, Overrun};
use crate::keymap::Pane;

use super::overlay::{hint_line, popup};

pub fn render(app: &App, p: &BudgetPrompt, frame: &mut Frame<'_>, area: Rect) {
    let t = app.theme;
    let title = Line::from(Span::styled(" budget ", t.warn()));
    let inner = popup(app, frame, area, 64, 11, title);
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("   {label:<22}"), t.dim()),
            Span::raw(value),
        ])
    };
    let over = Overrun {
        spent: p.spent,
        estimate: p.estimate,
        limit: p.limit,
        of: Limit::Budget,
    };
    let raise = format!("raise to ${:.2} and send", p.raised);
    let lines = vec![
        Line::from(Span::styled(
            " The next page would go past this session's budget.",
            t.warn(),
        )),
        Line::from(""),
        row("spent so far", format!("${:.4}", p.spent)),
        row("next page, at most", format!("${:.4}", p.estimate)),
        row("would make", format!("${:.4}", p.spent + p.estimate)),
        row("budget", format!("${:.2}", p.limit)),
        row("past the budget by", format!("${:.4}", over.past())),
        Line::from(""),
        hint_line(
            app,
            Pane::Budget,
            &[
                (Action::BudgetSend, "send this once"),
                (Action::BudgetRaise, &raise),
                (Action::Cancel, "cancel"),
            ],
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
