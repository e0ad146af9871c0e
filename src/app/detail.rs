//! The detail panel: every field of the selected row. It follows the selection (j/k in the
//! table move it), sits beside the table on wide terminals and covers it on narrow ones.

pub mod age;
pub mod doc;
mod values;

use crate::layout::{DetailAreas, SIDE_MIN_WIDTH};

use self::doc::{DocLine, TaggedLine, document, layout, raw_json};
use super::App;
use super::msg::Cmd;
use crate::action::Action;

/// Lines one wheel turn scrolls the panel.
const WHEEL_LINES: usize = 3;

/// State of the detail panel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetailState {
    pub open: bool,
    /// The user's choice (`z`): `Some(true)` full screen, `Some(false)` beside the table;
    /// `None` follows the terminal width.
    pub full: Option<bool>,
    /// Show the raw JSON of the item instead of the grouped fields (`J`).
    pub raw: bool,
    /// Lines scrolled, for the row in `scroll_row`; another row starts at the top.
    scroll: usize,
    scroll_row: usize,
}

impl DetailState {
    /// Whether the panel covers the table on a terminal `width` cells wide.
    pub fn is_full(&self, width: u16) -> bool {
        self.full.unwrap_or(width < SIDE_MIN_WIDTH)
    }

    /// Lines scrolled when showing `row`.
    pub fn scroll_for(&self, row: usize) -> usize {
        if row == self.scroll_row {
            self.scroll
        } else {
            0
        }
    }
}

impl App {
    /// Where the table and the panel are while the panel is open.
    pub fn detail_areas(&self) -> DetailAreas {
        let full = self.detail.is_full(self.layout.status.width);
        self.layout.with_detail(full)
    }

    /// The panel's text for the selected row, wrapped to `width` cells.
    pub fn detail_lines(&self, width: usize) -> Vec<TaggedLine> {
        let Some(item) = self.results.selected_item() else {
            return vec![vec![("no row selected".to_owned(), doc::Tag::Null)]];
        };
        let d: Vec<DocLine> = if self.detail.raw {
            raw_json(&item)
        } else {
            document(&item, self.now)
        };
        layout(&d, width)
    }

    /// Highest scroll offset for the current row and panel size.
    fn detail_max_scroll(&self) -> usize {
        let panel = self.detail_areas().panel;
        let inner_w = usize::from(panel.width.saturating_sub(2));
        let inner_h = usize::from(panel.height.saturating_sub(2));
        self.detail_lines(inner_w).len().saturating_sub(inner_h)
    }

    /// Scrolls the panel by `delta` lines, kept within the text.
    pub fn detail_scroll(&mut self, delta: isize) {
        let row = self.results.selected;
        let now = self.detail.scroll_for(row);
        let max = self.detail_max_scroll();
        let next = now.saturating_add_signed(delta).min(max);
        self.detail.scroll = next;
        self.detail.scroll_row = row;
    }

    /// The panel's page: its inner height less a line of overlap.
    fn detail_page(&self) -> isize {
        let h = self.detail_areas().panel.height.saturating_sub(3);
        h.max(1) as isize
    }

    /// Carries out the panel's actions.
    pub(super) fn act_detail(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::ToggleDetail => {
                if self.detail.open {
                    self.detail.open = false;
                } else if self.results.selected_item().is_some() {
                    self.detail.open = true;
                    self.detail.scroll = 0;
                } else {
                    self.status.note = Some("no row to show yet".into());
                }
            }
            Action::DetailZoom if self.detail.open => {
                let width = self.layout.status.width;
                self.detail.full = Some(!self.detail.is_full(width));
            }
            Action::DetailRaw if self.detail.open => {
                self.detail.raw = !self.detail.raw;
                self.detail.scroll = 0;
            }
            Action::DetailScrollDown => self.detail_scroll(1),
            Action::DetailScrollUp => self.detail_scroll(-1),
            Action::DetailPageDown => self.detail_scroll(self.detail_page()),
            Action::DetailPageUp => self.detail_scroll(-self.detail_page()),
            _ => {}
        }
        Vec::new()
    }

    /// Wheel over the open panel; true when the panel took it.
    pub(super) fn detail_wheel(&mut self, column: u16, row: u16, down: bool) -> bool {
        if !self.detail.open || !self.detail_areas().panel.contains((column, row).into()) {
            return false;
        }
        let delta = WHEEL_LINES as isize;
        self.detail_scroll(if down { delta } else { -delta });
        true
    }
}
