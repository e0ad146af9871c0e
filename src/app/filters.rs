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

use super::msg::{Action, Cmd};
use super::{App, Focus, text_request};

pub use bar::{BarError, FilterBar};
pub use builder::{Builder, Stage};

/// Filter editing state beside the query.
#[derive(Debug, Clone, Default)]
pub struct FiltersState {
    /// The builder, while it is open.
    pub builder: Option<Builder>,
    /// The filter bar, while it is open.
    pub bar: Option<FilterBar>,
    /// Where the keyboard goes back to when the builder or the bar closes.
    return_focus: Option<Focus>,
}

impl App {
    /// Carries out a filter or sort action, from any pane.
    pub(crate) fn act_filters(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::OpenBuilder => self.open_builder(false),
            Action::FilterPresets => self.open_builder(true),
            Action::OpenFilterBar => self.open_filter_bar(),
            Action::QuickFilterEq => return self.quick_filter(false),
            Action::QuickFilterNe => return self.quick_filter(true),
            Action::SortColumn => return self.sort_column(false),
            Action::SortAddKey => return self.sort_column(true),
            Action::ApplyFilter => return self.apply_filter(),
            Action::Cancel if self.focus == Focus::Builder || self.focus == Focus::FilterBar => {
                self.close_filters();
            }
            Action::Help | Action::Quit | Action::Cancel => return self.act(action),
            _ if self.focus == Focus::Builder => {
                let today = self.today();
                if let Some(b) = self.filters.builder.as_mut() {
                    b.act(action, today);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Keys while the builder or the filter bar has the keyboard.
    pub(crate) fn filters_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        if self.focus == Focus::FilterBar {
            if let Some(bar) = self.filters.bar.as_mut()
                && let Some(req) = text_request(ev)
            {
                bar.edit(req);
                return Vec::new();
            }
            return match self.keymap.lookup(Pane::FilterBar, key) {
                Some(action) => self.act_filters(action),
                None => Vec::new(),
            };
        }
        let today = self.today();
        let Some(b) = self.filters.builder.as_mut() else {
            self.focus = Focus::Results;
            return Vec::new();
        };
        b.message = None;
        if !b.is_tree() {
            // The pickers and the value box take every key (see `Builder::stage_key`).
            b.stage_key(ev, today);
            return Vec::new();
        }
        match self.keymap.lookup(Pane::Builder, key) {
            Some(action) => self.act_filters(action),
            None => Vec::new(),
        }
    }

    /// Text pasted while a filter text box has the keyboard; false when none has it.
    pub(crate) fn paste_filters(&mut self, text: &str) -> bool {
        match self.focus {
            Focus::FilterBar => {
                if let Some(bar) = self.filters.bar.as_mut() {
                    bar.paste(text);
                }
                true
            }
            Focus::Builder => {
                if let Some(b) = self.filters.builder.as_mut() {
                    b.paste(text);
                }
                true
            }
            _ => false,
        }
    }

    fn open_builder(&mut self, presets: bool) {
        if self.focus == Focus::Builder {
            if let Some(b) = self.filters.builder.as_mut() {
                b.open_presets();
            }
            return;
        }
        self.close_filters();
        let mut b = Builder::new(self.query.filter.as_ref());
        if presets {
            b.open_presets();
        }
        self.filters.builder = Some(b);
        self.filters.return_focus = Some(self.focus);
        self.focus = Focus::Builder;
    }

    fn open_filter_bar(&mut self) {
        let text = match &self.filters.builder {
            // From the builder: carry the draft over, so nothing typed there is lost.
            Some(b) if self.focus == Focus::Builder => b.draft.to_filter(),
            _ => self.query.filter.clone(),
        };
        let back = if self.focus == Focus::Builder {
            self.filters.return_focus
        } else {
            Some(self.focus)
        };
        self.filters.builder = None;
        self.filters.bar = Some(FilterBar::new(text.as_ref()));
        self.filters.return_focus = back;
        self.focus = Focus::FilterBar;
    }

    /// Closes the builder or the bar without touching the query.
    fn close_filters(&mut self) {
        self.filters.builder = None;
        self.filters.bar = None;
        if matches!(self.focus, Focus::Builder | Focus::FilterBar) {
            self.focus = match self.filters.return_focus.take() {
                Some(f) if !matches!(f, Focus::Builder | Focus::FilterBar) => f,
                _ if self.results.query.is_some() => Focus::Results,
                _ => Focus::Target,
            };
        }
    }

    /// Applies what the builder or the bar holds: checked, then the query runs again.
    fn apply_filter(&mut self) -> Vec<Cmd> {
        let (filter, status) = match self.focus {
            Focus::Builder => {
                let Some(b) = self.filters.builder.as_mut() else {
                    return Vec::new();
                };
                match b.checked() {
                    Ok(f) => (f, b.status),
                    Err(e) => {
                        b.message = Some(e);
                        return Vec::new();
                    }
                }
            }
            Focus::FilterBar => {
                let Some(bar) = self.filters.bar.as_mut() else {
                    return Vec::new();
                };
                match &bar.parsed {
                    Ok(f) => (f.clone(), None),
                    Err(e) => {
                        self.status.warning =
                            Some(format!("not applied: {} (column {})", e.message, e.column));
                        return Vec::new();
                    }
                }
            }
            _ => return Vec::new(),
        };
        self.close_filters();
        self.apply_change(&super::requery::Change {
            filter: Some(filter),
            status,
            ..Default::default()
        })
    }
}
