//! Where each pane goes on screen: a pure function of the terminal size, shared by the drawing
//! code and by `update` (which needs the table's height for paging and the rows for clicks).

use ratatui::layout::Rect;

/// Below this the app shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Height of the query pane (border, target line, controls line, filter/sort line, border).
pub const QUERY_HEIGHT: u16 = 5;

/// From this width on, the detail panel opens beside the table instead of covering it.
pub const SIDE_MIN_WIDTH: u16 = 140;

/// Where things go while the detail panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DetailAreas {
    /// The table block (narrowed beside a side panel; empty under a full-screen one).
    pub table: Rect,
    /// Rows of the table body.
    pub body: Rect,
    /// The panel, borders included.
    pub panel: Rect,
}

/// The areas of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AppLayout {
    pub query: Rect,
    /// The table block, borders included.
    pub table: Rect,
    /// Rows of the table body (inside the border, below the header).
    pub body: Rect,
    pub status: Rect,
    pub hints: Rect,
    /// False when the terminal is below the minimum size.
    pub fits: bool,
}

impl AppLayout {
    pub fn new(area: Rect) -> AppLayout {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return AppLayout::default();
        }
        let query = Rect {
            height: QUERY_HEIGHT,
            ..area
        };
        let hints = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        let status = Rect {
            y: area.bottom() - 2,
            height: 1,
            ..area
        };
        let table = Rect {
            y: query.bottom(),
            height: status.y - query.bottom(),
            ..area
        };
        // Inside the border, below the header line.
        let body = Rect {
            x: table.x + 1,
            y: table.y + 2,
            width: table.width.saturating_sub(2),
            height: table.height.saturating_sub(3),
        };
        AppLayout {
            query,
            table,
            body,
            status,
            hints,
            fits: true,
        }
    }
}

impl AppLayout {
    /// The split with the detail panel open: `full` covers the query pane and the table, else
    /// the panel takes the right part of the table's rows (the table keeps its height, so
    /// paging is unchanged).
    pub fn with_detail(&self, full: bool) -> DetailAreas {
        if !self.fits {
            return DetailAreas::default();
        }
        if full {
            let panel = Rect {
                y: self.query.y,
                height: self.status.y - self.query.y,
                ..self.table
            };
            return DetailAreas {
                table: Rect::default(),
                body: Rect::default(),
                panel,
            };
        }
        let w = self.table.width;
        let share = (u32::from(w) * 45 / 100) as u16;
        let panel_w = share.clamp(40.min(w), w.saturating_sub(20).max(w / 2));
        let table = Rect {
            width: w - panel_w,
            ..self.table
        };
        let panel = Rect {
            x: table.right(),
            width: panel_w,
            ..self.table
        };
        let body = Rect {
            width: table.width.saturating_sub(2),
            ..self.body
        };
        DetailAreas { table, body, panel }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_stack_without_overlap() {
        let l = AppLayout::new(Rect::new(0, 0, 160, 45));
        assert!(l.fits);
        assert_eq!(
            l.query.height + l.table.height + l.status.height + l.hints.height,
            45
        );
        assert_eq!(l.body.height, l.table.height - 3);
        assert!(!AppLayout::new(Rect::new(0, 0, 59, 45)).fits);
        assert!(!AppLayout::new(Rect::new(0, 0, 80, 14)).fits);
    }

    #[test]
    fn the_detail_panel_splits_or_covers() {
        let l = AppLayout::new(Rect::new(0, 0, 160, 45));
        let side = l.with_detail(false);
        assert_eq!(side.table.width + side.panel.width, 160);
        assert_eq!(side.panel.x, side.table.right());
        assert_eq!(
            (side.panel.y, side.panel.height),
            (l.table.y, l.table.height)
        );
        assert_eq!(side.body.height, l.body.height, "paging keeps its page");
        assert!(side.table.width >= 80);
        let full = l.with_detail(true);
        assert_eq!(full.panel, Rect::new(0, 0, 160, 43));
        let narrow = AppLayout::new(Rect::new(0, 0, 100, 30)).with_detail(false);
        assert!(narrow.panel.width >= 40 && narrow.table.width >= 20);
        let huge = AppLayout::new(Rect::new(0, 0, 3000, 100)).with_detail(false);
        assert_eq!(huge.panel.width, 1350);
    }
}
