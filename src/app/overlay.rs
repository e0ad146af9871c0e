//! The windows over the table that hold the keyboard while open — column chooser, history,
//! views, the view-name prompt, statistics — and the budget question above them all.

use crossterm::event::KeyEvent;

use crate::keymap::{Key, Pane};

use super::App;
use super::columns_chooser::ColumnChooser;
use super::history::HistoryList;
use super::msg::{Action, Cmd};
use super::stats::StatsView;
use super::views::{NamePrompt, ViewsList};

/// The open window.
#[derive(Debug, Clone)]
pub enum Overlay {
    Columns(ColumnChooser),
    History(HistoryList),
    Views(ViewsList),
    ViewName(NamePrompt),
    Stats(StatsView),
}

impl Overlay {
    /// The key-map pane of the window.
    pub fn pane(&self) -> Pane {
        match self {
            Overlay::Columns(_) => Pane::Columns,
            Overlay::History(_) => Pane::History,
            Overlay::Views(_) | Overlay::ViewName(_) => Pane::Views,
            Overlay::Stats(_) => Pane::Stats,
        }
    }

    /// Typed characters go to a text field in this window.
    fn takes_text(&self) -> bool {
        matches!(self, Overlay::History(_) | Overlay::ViewName(_))
    }
}

impl App {
    /// The pane of the budget question or the open window, whose keys apply first.
    pub fn overlay_pane(&self) -> Option<Pane> {
        if self.budget.prompt.is_some() {
            return Some(Pane::Budget);
        }
        self.overlay.as_ref().map(Overlay::pane)
    }

    /// A key for the budget question or the open window; `None` when neither is open.
    pub(super) fn overlay_key(&mut self, ev: &KeyEvent, key: Key) -> Option<Vec<Cmd>> {
        if self.budget.prompt.is_some() {
            return Some(self.budget_key(key));
        }
        let overlay = self.overlay.as_ref()?;
        if !overlay.takes_text() && self.keymap.lookup(overlay.pane(), key) == Some(Action::Help) {
            self.open_help();
            return Some(Vec::new());
        }
        Some(match overlay {
            Overlay::Columns(_) => self.column_chooser_key(key),
            Overlay::History(_) => self.history_key(ev, key),
            Overlay::Views(_) => self.views_key(key),
            Overlay::ViewName(_) => self.name_prompt_key(ev),
            Overlay::Stats(_) => self.stats_key(key),
        })
    }

    /// The actions that open the windows (the others act inside them).
    pub(super) fn act_overlay(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::OpenColumns => self.open_column_chooser(),
            Action::OpenHistory => self.open_history(),
            Action::OpenViews => self.open_views(),
            Action::OpenStats => self.toggle_stats(),
            _ => {}
        }
        Vec::new()
    }
}
