//! Filters: the builder (a modal tree editor), the one-line filter bar, quick filters from the
//! table and the presets. Both editors work on the same AST, the query's `filter`; applying runs
//! the query again (or filters the loaded rows when they are all there, see `requery`).
//!
//! - `tree`: the draft and its operations (add, delete, move, wrap, unwrap, and/or);
//! - `picker`: field, operator and value steps of writing one condition;
//! - `builder`: the builder's state and what its keys do;
//! - `bar`: the filter bar; `quick`: `=` / `!` on a cell; `presets`: the presets menu (its
//!   date presets count back from `App::today`, which the runtime's clock sets).

mod bar;
mod builder;
pub mod picker;
pub mod presets;
pub mod quick;
pub mod tree;

use crossterm::event::KeyEvent;

use crate::keymap::{Key, Pane};

use super::msg::Cmd;

use super::stack::{Layer, LayerKind};
use super::{App, text_request};
use crate::action::Action;

pub use bar::{BarError, FilterBar};
pub use builder::{Builder, Stage};

impl App {
    /// The builder, while it is open.
    pub fn builder(&self) -> Option<&Builder> {
        self.layers.builder()
    }

    /// The filter bar, while it is open.
    pub fn filter_bar(&self) -> Option<&FilterBar> {
        self.layers.filter_bar()
    }

    /// Carries out a filter or sort action, from any pane.
    pub(crate) fn act_filters(&mut self, action: Action) -> Vec<Cmd> {
        let editing = matches!(
            self.layers.top_kind(),
            Some(LayerKind::Builder | LayerKind::FilterBar)
        );
        match action {
            Action::OpenBuilder => self.open_builder(false),
            Action::FilterPresets => self.open_builder(true),
            Action::OpenFilterBar => self.open_filter_bar(),
            Action::QuickFilterEq => return self.quick_filter(false),
            Action::QuickFilterNe => return self.quick_filter(true),
            Action::SortColumn => return self.sort_column(false),
            Action::SortAddKey => return self.sort_column(true),
            Action::ApplyFilter => return self.apply_filter(),
            Action::Cancel if editing => self.close_filters(),
            Action::Help | Action::Quit | Action::Cancel => return self.act(action),
            _ => {
                let today = self.today();
                if let Some(b) = self.layers.builder_mut() {
                    b.act(action, today);
                }
            }
        }
        Vec::new()
    }

    /// Keys while the builder or the filter bar is the top layer.
    pub(crate) fn filters_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        if let Some(bar) = self.layers.filter_bar_mut() {
            if let Some(req) = text_request(ev) {
                bar.edit(req);
                return Vec::new();
            }
            return match self.keymap.lookup(Pane::FilterBar, key) {
                Some(action) => self.act_filters(action),
                None => Vec::new(),
            };
        }
        let today = self.today();
        let picked = self.keymap.lookup(Pane::Picker, key);
        let Some(b) = self.layers.builder_mut() else {
            return Vec::new();
        };
        b.message = None;
        if !b.is_tree() {
            // The pickers, the value box and the presets menu (see `Builder::stage_key`).
            b.stage_key(ev, key, picked, today);
            return Vec::new();
        }
        match self.keymap.lookup(Pane::Builder, key) {
            Some(action) => self.act_filters(action),
            None => Vec::new(),
        }
    }

    /// Text pasted while a filter text box is the top layer; false when none is.
    pub(crate) fn paste_filters(&mut self, text: &str) -> bool {
        match self.layers.top_kind() {
            Some(LayerKind::FilterBar) => {
                if let Some(bar) = self.layers.filter_bar_mut() {
                    bar.paste(text);
                }
                true
            }
            Some(LayerKind::Builder) => {
                if let Some(b) = self.layers.builder_mut() {
                    b.paste(text);
                }
                true
            }
            _ => false,
        }
    }

    fn open_builder(&mut self, presets: bool) {
        if self.layers.top_kind() == Some(LayerKind::Builder) {
            if let Some(b) = self.layers.builder_mut() {
                b.open_presets();
            }
            return;
        }
        self.close_filters();
        let mut b = Builder::new(self.query.filter.as_ref());
        if presets {
            b.open_presets();
        }
        self.layers.open(Layer::Builder(Box::new(b)));
    }

    fn open_filter_bar(&mut self) {
        let text = match self.layers.builder() {
            // From the builder: carry the draft over, so nothing typed there is lost.
            Some(b) => b.draft.to_filter(),
            None => self.query.filter.clone(),
        };
        self.close_filters();
        self.layers
            .open(Layer::FilterBar(Box::new(FilterBar::new(text.as_ref()))));
    }

    /// Closes the builder or the bar without touching the query; the keyboard goes back to
    /// the pane below.
    fn close_filters(&mut self) {
        self.layers.close(LayerKind::Builder);
        self.layers.close(LayerKind::FilterBar);
    }

    /// Applies what the builder or the bar holds: checked, then the query runs again.
    fn apply_filter(&mut self) -> Vec<Cmd> {
        let (filter, status) = if let Some(b) = self.layers.builder_mut() {
            match b.checked() {
                Ok(f) => (f, b.status),
                Err(e) => {
                    b.message = Some(e);
                    return Vec::new();
                }
            }
        } else if let Some(bar) = self.layers.filter_bar() {
            match &bar.parsed {
                Ok(f) => (f.clone(), None),
                Err(e) => {
                    self.status.warning =
                        Some(format!("not applied: {} (column {})", e.message, e.column));
                    return Vec::new();
                }
            }
        } else {
            return Vec::new();
        };
        self.close_filters();
        self.apply_change(&super::requery::Change {
            filter: Some(filter),
            status,
            ..Default::default()
        })
    }
}
