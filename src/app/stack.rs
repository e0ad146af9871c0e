//! The stack of layers over the table, and the one place that decides who gets an event.
//!
//! What can open over the panes — the search bar, the filter builder and bar, the windows
//! (columns, history, views, statistics), the copy menu, the help, the save dialog, the budget
//! question and a running save's progress — is a [`Layer`] on one stack, bottom to top in the
//! order they opened. The top layer takes every key and the mouse, gives the hint line, and is
//! drawn last ([`crate::ui::render`] draws the stack bottom to top). Opening a layer of a kind
//! that is already open moves it to the top, so there is one of each. A layer owns its
//! transient state (the menu's cursor, the dialog's text); what outlives it (the search's
//! matches, the builder's draft filter) stays in the state every pane shares.

use crate::keymap::Pane;

use super::budget::BudgetPrompt;
use super::copy::CopyMenu;
use super::export::ExportState;
use super::filters::{Builder, FilterBar};
use super::overlay::Overlay;
use super::save::SaveDialog;

/// One layer over the table.
#[derive(Debug, Clone)]
pub enum Layer {
    /// The search bar while typing (the matches live in `App::search`).
    Search,
    /// The filter builder, with its draft of the filter.
    Builder(Box<Builder>),
    /// The one-line filter bar, with its text.
    FilterBar(Box<FilterBar>),
    /// The column chooser, history, views, a view's name, statistics.
    Window(Overlay),
    /// The copy menu over the selected row.
    Copy(CopyMenu),
    /// The help, scrolled by this many lines.
    Help { scroll: usize },
    /// The save dialog.
    Save(SaveDialog),
    /// The question before a page that would cross the session budget.
    Budget(BudgetPrompt),
    /// A running "save the whole result".
    Export(ExportState),
}

/// The kinds of layer, for asking what is open without its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    Search,
    Builder,
    FilterBar,
    Window,
    Copy,
    Help,
    Save,
    Budget,
    Export,
}

impl Layer {
    pub fn kind(&self) -> LayerKind {
        match self {
            Layer::Search => LayerKind::Search,
            Layer::Builder(_) => LayerKind::Builder,
            Layer::FilterBar(_) => LayerKind::FilterBar,
            Layer::Window(_) => LayerKind::Window,
            Layer::Copy(_) => LayerKind::Copy,
            Layer::Help { .. } => LayerKind::Help,
            Layer::Save(_) => LayerKind::Save,
            Layer::Budget(_) => LayerKind::Budget,
            Layer::Export(_) => LayerKind::Export,
        }
    }

    /// The key-map pane whose bindings apply while this layer is on top.
    pub fn pane(&self) -> Pane {
        match self {
            Layer::Search => Pane::Search,
            Layer::Builder(_) => Pane::Builder,
            Layer::FilterBar(_) => Pane::FilterBar,
            Layer::Window(w) => w.pane(),
            Layer::Copy(_) => Pane::Copy,
            Layer::Help { .. } => Pane::Help,
            Layer::Save(_) => Pane::Save,
            Layer::Budget(_) => Pane::Budget,
            Layer::Export(_) => Pane::Export,
        }
    }
}

/// The layers, bottom to top.
#[derive(Debug, Clone, Default)]
pub struct Layers(Vec<Layer>);

macro_rules! access {
    ($get:ident, $get_mut:ident, $variant:ident, $ty:ty $(, $deref:tt)?) => {
        pub fn $get(&self) -> Option<&$ty> {
            self.0.iter().find_map(|l| match l {
                Layer::$variant(x) => Some(&$($deref)?*x),
                _ => None,
            })
        }

        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            self.0.iter_mut().find_map(|l| match l {
                Layer::$variant(x) => Some(&mut $($deref)?*x),
                _ => None,
            })
        }
    };
}

impl Layers {
    /// The layer that takes keys and the mouse.
    pub fn top(&self) -> Option<&Layer> {
        self.0.last()
    }

    /// Kind of the top layer.
    pub fn top_kind(&self) -> Option<LayerKind> {
        self.top().map(Layer::kind)
    }

    /// Bottom to top: the order they are drawn in.
    pub fn iter(&self) -> impl Iterator<Item = &Layer> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn is_open(&self, kind: LayerKind) -> bool {
        self.0.iter().any(|l| l.kind() == kind)
    }

    /// Puts `layer` on top; one of its kind already open is replaced (and moves up).
    pub fn open(&mut self, layer: Layer) {
        self.close(layer.kind());
        self.0.push(layer);
    }

    /// Closes the layer of `kind`, wherever it is; returns it.
    pub fn close(&mut self, kind: LayerKind) -> Option<Layer> {
        let at = self.0.iter().position(|l| l.kind() == kind)?;
        Some(self.0.remove(at))
    }

    /// The pane of the topmost layer that is not the help (what the help describes).
    pub fn pane_below_help(&self) -> Option<Pane> {
        self.0
            .iter()
            .rev()
            .find(|l| l.kind() != LayerKind::Help)
            .map(Layer::pane)
    }

    access!(builder, builder_mut, Builder, Builder, *);
    access!(filter_bar, filter_bar_mut, FilterBar, FilterBar, *);
    access!(window, window_mut, Window, Overlay);
    access!(copy_menu, copy_menu_mut, Copy, CopyMenu);
    access!(save, save_mut, Save, SaveDialog);
    access!(budget, budget_mut, Budget, BudgetPrompt);
    access!(export, export_mut, Export, ExportState);

    /// The help's scroll, while it is open.
    pub fn help_scroll(&self) -> Option<usize> {
        self.0.iter().find_map(|l| match l {
            Layer::Help { scroll } => Some(*scroll),
            _ => None,
        })
    }

    pub fn help_scroll_mut(&mut self) -> Option<&mut usize> {
        self.0.iter_mut().find_map(|l| match l {
            Layer::Help { scroll } => Some(scroll),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_each_and_the_last_opened_is_on_top() {
        let mut l = Layers::default();
        l.open(Layer::Builder(Box::new(Builder::new(None))));
        l.open(Layer::Help { scroll: 3 });
        l.open(Layer::Builder(Box::new(Builder::new(None))));
        assert_eq!(l.top_kind(), Some(LayerKind::Builder));
        assert_eq!(l.iter().count(), 2);
        assert_eq!(l.pane_below_help(), Some(Pane::Builder));
        assert!(l.close(LayerKind::Builder).is_some());
        assert_eq!(l.top_kind(), Some(LayerKind::Help));
        assert_eq!(l.pane_below_help(), None);
        assert!(l.close(LayerKind::Builder).is_none());
    }
}
