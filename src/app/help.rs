//! The help overlay's contents and scrolling: every binding of the focused pane and the
//! global ones, from the keymap. The lines are plain data (the renderer styles them), so the
//! app knows how far the help can scroll on this screen.

use ratatui::layout::Rect;

use crate::keymap::{Key, Pane};

use super::App;
use super::columns::{CHANGE_MARKERS, MARK_GLYPHS, MARKERS};
use super::stack::{Layer, LayerKind};
use crate::action::Action;

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Header(String),
    Binding { keys: String, what: String },
    Note(String),
    Blank,
}

/// Width of one column of bindings (key list and description).
pub const COLUMN_WIDTH: u16 = 64;
/// Narrower than this, two columns would cut the descriptions too much: one column scrolls.
pub const MIN_COLUMN_WIDTH: u16 = 48;

/// Where the help goes on a screen and how its lines are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpFrame {
    /// The popup, borders included.
    pub popup: Rect,
    /// Two columns side by side (a wide screen with many bindings).
    pub two_columns: bool,
    /// Width of one column when there are two.
    pub column_width: u16,
    /// Lines in one column (the first column when there are two).
    pub per_column: usize,
    /// Lines of each column on screen at once.
    pub rows: usize,
}

impl HelpFrame {
    /// Lays out `lines` lines on `area`: one column if they fit, else two if the screen is
    /// wide enough, else one that scrolls.
    pub fn new(lines: usize, area: Rect) -> HelpFrame {
        let rows_fit = usize::from(area.height.saturating_sub(2));
        let column_width = COLUMN_WIDTH.min(area.width.saturating_sub(3) / 2);
        let two_columns = lines > rows_fit && column_width >= MIN_COLUMN_WIDTH;
        let per_column = if two_columns {
            lines.div_ceil(2)
        } else {
            lines
        };
        let rows = per_column.min(rows_fit);
        let height = (rows as u16 + 2).min(area.height);
        let width = if two_columns {
            2 * column_width + 3
        } else {
            COLUMN_WIDTH
        }
        .min(area.width);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        HelpFrame {
            popup,
            two_columns,
            column_width,
            per_column,
            rows,
        }
    }

    /// How far the lines can scroll (0 when everything shows).
    pub fn max_scroll(&self) -> usize {
        self.per_column.saturating_sub(self.rows)
    }
}

impl App {
    /// The help for the focused pane (or open window), then the global keys.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let pane = self
            .layers
            .pane_below_help()
            .unwrap_or_else(|| self.base_pane());
        let binding = |keys: &str, what: &str| HelpLine::Binding {
            keys: keys.to_owned(),
            what: what.to_owned(),
        };
        let mut lines = Vec::new();
        for p in [pane, Pane::Global] {
            lines.push(HelpLine::Header(format!("{} keys", p.name())));
            for (action, keys) in self.keymap.bindings(p) {
                let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                lines.push(binding(&keys.join(", "), action.describe()));
            }
            lines.push(HelpLine::Blank);
        }
        match pane {
            Pane::Detail => {
                lines.push(HelpLine::Note(
                    "keys of the table work too: j/k move the row shown".into(),
                ));
                lines.push(HelpLine::Blank);
            }
            Pane::Results => {
                lines.push(HelpLine::Header("row markers (first column)".into()));
                for (letter, _, what) in MARKERS {
                    lines.push(binding(&letter.to_string(), what));
                }
                for (glyph, what) in MARK_GLYPHS {
                    lines.push(binding(&glyph.to_string(), what));
                }
                lines.push(HelpLine::Blank);
                if self.columns.iter().any(|c| c.field == Some("change")) {
                    lines.push(HelpLine::Header("change (a diff's rows)".into()));
                    for (glyph, _, what) in CHANGE_MARKERS {
                        lines.push(binding(&glyph.to_string(), what));
                    }
                    lines.push(HelpLine::Blank);
                }
            }
            Pane::Query => {
                lines.push(HelpLine::Header("in the target field".into()));
                lines.push(binding("ctrl+a, ctrl+e", "start / end of the line"));
                lines.push(binding(
                    "ctrl+u, ctrl+k, ctrl+w",
                    "delete to start / to end / word",
                ));
                lines.push(HelpLine::Blank);
            }
            Pane::Builder => {
                let picker = Pane::Picker.name();
                lines.push(HelpLine::Header(format!(
                    "{picker} keys: in the pickers and the value box"
                )));
                lines.push(binding("type", "narrow the fields / type the value"));
                for (action, keys) in self.keymap.bindings(Pane::Picker) {
                    let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                    lines.push(binding(&keys.join(", "), action.describe()));
                }
                lines.push(binding("1-9", "pick a preset"));
                lines.push(HelpLine::Blank);
            }
            _ => {}
        }
        lines.push(HelpLine::Note("esc or ? closes this help".into()));
        lines
    }

    /// Opens the help at its top.
    pub(super) fn open_help(&mut self) {
        self.layers.open(Layer::Help { scroll: 0 });
    }

    /// The help's layout on this screen.
    pub fn help_frame(&self) -> HelpFrame {
        HelpFrame::new(self.help_lines().len(), self.screen)
    }

    /// A key while the help is open: cancel, help or quit close it; the moving keys of the
    /// help pane scroll it when it does not fit.
    pub(super) fn help_key(&mut self, key: Key) {
        let action = self.keymap.lookup(Pane::Help, key);
        if matches!(action, Some(Action::Cancel | Action::Help | Action::Quit)) {
            self.layers.close(LayerKind::Help);
            return;
        }
        let frame = self.help_frame();
        let page = frame.rows.saturating_sub(1).max(1);
        let Some(scroll) = self.layers.help_scroll_mut() else {
            return;
        };
        let s = *scroll;
        *scroll = match action {
            Some(Action::SelectNext) => s + 1,
            Some(Action::SelectPrev) => s.saturating_sub(1),
            Some(Action::PageDown) => s + page,
            Some(Action::PageUp) => s.saturating_sub(page),
            Some(Action::First) => 0,
            Some(Action::Last) => frame.max_scroll(),
            _ => s,
        }
        .min(frame.max_scroll());
    }
}
