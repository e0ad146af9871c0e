//! The windows over the table that hold the keyboard while open — column chooser, history,
//! views, the view-name prompt, statistics. One at a time, as a layer (see [`super::stack`]).

use crossterm::event::KeyEvent;

use crate::keymap::{Key, Pane};

use super::App;
use super::columns_chooser::ColumnChooser;
use super::history::HistoryList;
use super::msg::Cmd;
use super::stack::LayerKind;
use super::stats::StatsView;
use super::views::{NamePrompt, ViewsList};
use crate::action::Action;

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
    pub fn takes_text(&self) -> bool {
        matches!(self, Overlay::History(_) | Overlay::ViewName(_))
    }
}

impl App {
    /// A key for the open window (the top layer).
    pub(super) fn window_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        let Some(window) = self.layers.window() else {
            return Vec::new();
        };
        if !window.takes_text() && self.keymap.lookup(window.pane(), key) == Some(Action::Help) {
            self.open_help();
            return Vec::new();
        }
        match window {
            Overlay::Columns(_) => self.column_chooser_key(key),
            Overlay::History(_) => self.history_key(ev, key),
            Overlay::Views(_) => self.views_key(key),
            Overlay::ViewName(_) => self.name_prompt_key(ev, key),
            Overlay::Stats(_) => self.stats_key(key),
        }
    }

    /// Closes the open window.
    pub(super) fn close_window(&mut self) {
        self.layers.close(LayerKind::Window);
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
