//! The row tools beside the table (detail panel, search matches, marks): which pane's keys
//! apply, Esc peeling one tool at a time, and keeping row-indexed state in step with the rows.

use crate::api::response::Row;
use crate::keymap::{Key, Pane};

use super::stack::{Layer, LayerKind};
use super::{App, Focus};
use crate::action::Action;

impl App {
    /// The pane whose bindings apply first: the top layer's, the detail panel's while it is
    /// open beside the table, else the focused pane's.
    pub fn key_pane(&self) -> Pane {
        self.layers
            .top()
            .map_or_else(|| self.base_pane(), Layer::pane)
    }

    /// Whether what is typed goes into a text field now (the target, the search bar, the
    /// filter bar, the history's type-ahead, a view's name, the save dialog's file name).
    pub fn typing(&self) -> bool {
        match self.layers.top() {
            None => self.focus == Focus::Target,
            Some(Layer::Search | Layer::FilterBar(_)) => true,
            Some(Layer::Window(w)) => w.takes_text(),
            Some(Layer::Save(d)) => d.stage == super::save::SaveStage::Editing,
            Some(Layer::Builder(b)) => b.takes_text(),
            Some(_) => false,
        }
    }

    /// The pane of the panes below the layers: the detail panel's while it is open beside
    /// the table, else the focused pane's.
    pub fn base_pane(&self) -> Pane {
        if self.detail.open && self.focus == Focus::Results {
            Pane::Detail
        } else {
            self.focus.pane()
        }
    }

    /// The action of `key`: the detail panel's own bindings, then the table's (so j/k move
    /// the row the panel shows), then the global ones.
    pub(super) fn lookup(&self, key: Key) -> Option<Action> {
        let pane = self.key_pane();
        if pane == Pane::Detail
            && let Some(action) = self.keymap.lookup_exact(Pane::Detail, key)
        {
            return Some(action);
        }
        let pane = if pane == Pane::Detail {
            Pane::Results
        } else {
            pane
        };
        self.keymap.lookup(pane, key)
    }

    /// Esc: closes the innermost layer; false when there was none.
    pub(super) fn cancel_row_tools(&mut self) -> bool {
        if self.focus != Focus::Results {
            return false;
        }
        if self.detail.open {
            self.detail.open = false;
        } else if self.marks.anchor.is_some() {
            self.marks.anchor = None;
            self.status.note = Some("range cancelled".into());
        } else if self.search.is_active() {
            self.search.clear();
        } else {
            return false;
        }
        true
    }

    /// After every message: matches and marks follow the rows (new pages, a new query), and
    /// the layers close when what they stand on is gone.
    pub(super) fn sync_row_views(&mut self) {
        let generation = self.results.generation;
        self.search.sync(&self.results.rows, generation);
        self.place_search();
        self.marks.sync(generation);
        if self.results.rows.is_empty() {
            self.detail.open = false;
            self.layers.close(LayerKind::Copy);
        }
        // A full-screen panel covers the query pane: leaving the table closes it, so what is
        // typed is never typed out of sight.
        if self.detail.open
            && self.focus != Focus::Results
            && self.detail.is_full(self.layout.status.width)
        {
            self.detail.open = false;
        }
    }

    /// Space, V, u.
    pub(super) fn act_marks(&mut self, action: Action) {
        if self.results.rows.is_empty() {
            return;
        }
        let row = self.results.selected;
        match action {
            Action::ToggleMark => {
                self.marks.toggle(row);
            }
            Action::MarkRange => match self.marks.anchor.take() {
                None => {
                    self.marks.anchor = Some(row);
                    self.status.note =
                        Some("range starts here: move, then V again (Esc cancels)".into());
                }
                Some(anchor) => {
                    let n = self.marks.mark_range(anchor, row);
                    self.status.note = Some(format!("marked {n} rows"));
                }
            },
            Action::ClearMarks => {
                let n = self.marks.count();
                self.marks.clear();
                self.status.note = Some(format!("cleared {n} marks"));
            }
            _ => {}
        }
    }

    /// The marked rows in table order (what "save marked rows" writes).
    pub fn marked_rows(&self) -> Vec<Row> {
        self.marks
            .indices()
            .filter_map(|i| self.results.rows.get(i))
            .collect()
    }
}
