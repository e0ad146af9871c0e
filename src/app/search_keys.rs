//! Keys of the search bar and the search actions (`/`, `n`, `N`): typing searches from the
//! row the bar opened on and moves the selection to the first match; nothing is requested.

use crossterm::event::KeyEvent;

use crate::keymap::{Key, Pane};

use super::msg::Cmd;

use super::stack::{Layer, LayerKind};
use super::{App, text_request};
use crate::action::Action;

impl App {
    pub(super) fn act_search(&mut self, action: Action) {
        match action {
            Action::Search => {
                if self.results.rows.is_empty() {
                    self.status.note = Some("no rows to search yet".into());
                } else {
                    self.search.open(self.results.selected);
                    self.layers.open(Layer::Search);
                }
            }
            Action::SearchAccept => {
                self.layers.close(LayerKind::Search);
            }
            Action::SearchNext | Action::SearchPrev => {
                if !self.search.is_active() {
                    self.status.note = Some("no search: press / to search the loaded rows".into());
                    return;
                }
                let from = self.results.selected;
                let forward = action == Action::SearchNext;
                let pending = self.search.pending(&self.results.rows);
                match self.search.next_from(from, forward) {
                    // Not every row is looked at yet: no wrapping past rows not seen.
                    Some(row) if pending && forward && row <= from => {
                        self.status.note = Some(format!(
                            "still searching ({}%): no match after this row yet",
                            self.search.progress(&self.results.rows)
                        ));
                    }
                    None if pending => {
                        self.status.note = Some(format!(
                            "still searching ({}%): no match yet",
                            self.search.progress(&self.results.rows)
                        ));
                    }
                    Some(row) => {
                        if (forward && row <= from) || (!forward && row >= from) {
                            self.status.note = Some(
                                if forward {
                                    "search wrapped to the top"
                                } else {
                                    "search wrapped to the bottom"
                                }
                                .into(),
                            );
                        }
                        self.results.select(row);
                    }
                    None => {
                        self.status.note =
                            Some(format!("no match for \"{}\"", self.search.query()));
                    }
                }
            }
            _ => {}
        }
    }

    /// A key while the search bar has the keyboard.
    pub(super) fn search_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        if !key.is_text() {
            if let Some(action) = self.keymap.lookup_exact(Pane::Search, key) {
                return self.act(action);
            }
            if self.keymap.lookup(Pane::Global, key) == Some(Action::Cancel) {
                // Esc: forget the search and go back to where it started.
                let origin = self.search.origin;
                self.search.clear();
                self.layers.close(LayerKind::Search);
                self.results.select(origin);
                return Vec::new();
            }
        }
        if let Some(req) = text_request(ev) {
            self.search.edit(req, &self.results.rows);
            self.place_search();
        }
        Vec::new()
    }

    /// While the bar is open, takes the selection to where the typed text leads as soon as
    /// that is known: the first match from the row the bar opened on, or back there when
    /// nothing matched.
    pub(super) fn place_search(&mut self) {
        if self.search.placed || !self.layers.is_open(LayerKind::Search) {
            return;
        }
        let origin = self.search.origin;
        if let Some(row) = self.search.landing(origin, &self.results.rows) {
            self.results.select(row.unwrap_or(origin));
            self.search.placed = true;
        }
    }
}
