//! The column chooser (`c`): every catalogue field, the shown ones first in their order; show or
//! hide, move up and down, Enter to use the set (and remember it in the data dir).

use crate::keymap::{Key, Pane};

use super::App;
use super::columns::{
    COLUMNS, Column, change_first, choosable_fields, column_for, default_columns,
};
use super::msg::Cmd;
use super::overlay::Overlay;
use super::stack::Layer;
use crate::action::Action;
use crate::persist::Persist;

/// The chooser's working copy of the column set.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChooser {
    /// Every choosable field and whether it is shown; shown ones first, in table order.
    pub entries: Vec<(&'static str, bool)>,
    pub selected: usize,
}

impl ColumnChooser {
    /// The list for the current columns; `diff`: the rows are a diff's, which also have its
    /// `change` column.
    pub fn new(columns: &[Column], diff: bool) -> ColumnChooser {
        let shown: Vec<&'static str> = columns.iter().filter_map(|c| c.field).collect();
        let mut entries: Vec<(&'static str, bool)> = shown.iter().map(|f| (*f, true)).collect();
        let change = diff.then_some("change");
        entries.extend(
            change
                .into_iter()
                .chain(choosable_fields())
                .filter(|f| !shown.contains(f))
                .map(|f| (f, false)),
        );
        ColumnChooser {
            entries,
            selected: 0,
        }
    }

    /// Shown fields, in order.
    pub fn shown(&self) -> Vec<&'static str> {
        self.entries
            .iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| *f)
            .collect()
    }

    fn toggle(&mut self) {
        if let Some(e) = self.entries.get_mut(self.selected) {
            e.1 = !e.1;
        }
    }

    /// Moves the selected field one place up (`up`) or down; the selection follows.
    fn shift(&mut self, up: bool) {
        let i = self.selected;
        let j = if up {
            i.checked_sub(1)
        } else {
            (i + 1 < self.entries.len()).then_some(i + 1)
        };
        if let Some(j) = j {
            self.entries.swap(i, j);
            self.selected = j;
        }
    }
}

/// The table columns for `fields`: the marker column first, then each field.
pub fn columns_of(fields: &[&str]) -> Vec<Column> {
    let mut cols = vec![COLUMNS[0]];
    cols.extend(fields.iter().filter_map(|f| column_for(f)));
    cols
}

impl App {
    /// The columns the table shows now, in order (the marker column first).
    pub fn visible_columns(&self) -> &[Column] {
        &self.columns
    }

    /// Whether the rows are a diff's (`backlinks diff`): they say what changed.
    pub fn is_diff(&self) -> bool {
        self.columns.iter().any(|c| c.field == Some("change"))
            || self.results.rows.get(0).is_some_and(|r| r.change.is_some())
    }

    /// The column under the cursor (`results.column`), if any.
    pub fn current_column(&self) -> Option<&Column> {
        self.columns.get(self.results.column)
    }

    /// Shows `fields` as the table's columns, keeping the cursor on the same field if it
    /// stays.
    pub fn set_columns(&mut self, fields: &[&str]) {
        let current = self.current_column().and_then(|c| c.field);
        self.columns = columns_of(fields);
        self.search.set_columns(&self.columns);
        self.results.column = current
            .and_then(|f| self.columns.iter().position(|c| c.field == Some(f)))
            .unwrap_or(self.results.column)
            .min(self.columns.len() - 1);
    }

    pub(super) fn open_column_chooser(&mut self) {
        self.layers
            .open(Layer::Window(Overlay::Columns(ColumnChooser::new(
                &self.columns,
                self.is_diff(),
            ))));
    }

    pub(super) fn column_chooser_key(&mut self, key: Key) -> Vec<Cmd> {
        let Some(Overlay::Columns(ch)) = self.layers.window_mut() else {
            return Vec::new();
        };
        let last = ch.entries.len().saturating_sub(1);
        match self.keymap.lookup(Pane::Columns, key) {
            Some(Action::SelectNext) => ch.selected = (ch.selected + 1).min(last),
            Some(Action::SelectPrev) => ch.selected = ch.selected.saturating_sub(1),
            Some(Action::PageDown) => ch.selected = (ch.selected + 10).min(last),
            Some(Action::PageUp) => ch.selected = ch.selected.saturating_sub(10),
            Some(Action::First) => ch.selected = 0,
            Some(Action::Last) => ch.selected = last,
            Some(Action::ToggleColumn) => ch.toggle(),
            Some(Action::MoveColumnUp) => ch.shift(true),
            Some(Action::MoveColumnDown) => ch.shift(false),
            Some(Action::ResetColumns) => {
                let selected = ch.selected;
                let diff = ch.entries.iter().any(|(f, _)| *f == "change");
                let mut columns = default_columns();
                if diff {
                    change_first(&mut columns);
                }
                *ch = ColumnChooser::new(&columns, diff);
                ch.selected = selected.min(ch.entries.len().saturating_sub(1));
            }
            Some(Action::ApplyColumns) => {
                let fields = ch.shown();
                if fields.is_empty() {
                    self.status.note = Some("choose at least one column (space)".into());
                    return Vec::new();
                }
                self.close_window();
                self.set_columns(&fields);
                self.status.note = Some(format!("{} columns", fields.len()));
                // A diff's `change` is not kept for other rows, which do not have it.
                let fields: Vec<&'static str> =
                    fields.into_iter().filter(|f| *f != "change").collect();
                return match self.paths.columns() {
                    Some(path) if !fields.is_empty() => {
                        vec![Cmd::Persist(Box::new(Persist::Columns { path, fields }))]
                    }
                    _ => Vec::new(),
                };
            }
            Some(Action::Cancel) => self.close_window(),
            Some(Action::Quit) => return self.act(Action::Quit),
            _ => {}
        }
        Vec::new()
    }
}
