//! Where each pane goes on screen: a pure function of the terminal size, shared by the drawing
//! code and by `update` (which needs the table's height for paging and the rows for clicks).

use ratatui::layout::Rect;

/// Below this the app shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Height of the query pane (border, target line, controls line, filter/sort line, border).
pub const QUERY_HEIGHT: u16 = 5;

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
}
