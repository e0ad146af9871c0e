//! Colours, with `NO_COLOR` honoured: without colour, emphasis is bold/reverse only.

use ratatui::style::{Color, Modifier, Style};

/// The styles the panes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// Colours for a light terminal background (config `theme = "light"`).
    pub light: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            light: false,
        }
    }
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            light: false,
        }
    }

    /// `from_env` with the config's theme.
    pub fn named(name: crate::prefs::ThemeName) -> Theme {
        Theme {
            light: name == crate::prefs::ThemeName::Light,
            ..Theme::from_env()
        }
    }

    /// `dark` on a dark background, `light` on a light one.
    fn pick(self, dark: Color, light: Color) -> Color {
        if self.light { light } else { dark }
    }

    fn fg(self, c: Color) -> Style {
        if !self.color {
            return Style::new();
        }
        // Yellow and cyan vanish on white: their darker kin instead.
        let c = match c {
            Color::Yellow => self.pick(c, Color::Rgb(150, 95, 0)),
            Color::Cyan => self.pick(c, Color::Blue),
            Color::Green => self.pick(c, Color::Rgb(0, 120, 40)),
            other => other,
        };
        Style::new().fg(c)
    }

    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn accent(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn focused_border(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn selected_row(self) -> Style {
        if self.color {
            Style::new()
                .bg(self.pick(Color::Rgb(40, 44, 60), Color::Rgb(222, 228, 242)))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn selected_cell(self) -> Style {
        if self.color {
            Style::new()
                .bg(self.pick(Color::Rgb(70, 80, 110), Color::Rgb(188, 200, 232)))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }
    pub fn header(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// Bold `fg` on `bg`; without colour, bold with `mono`.
    fn boxed(self, bg: Color, fg: Color, mono: Modifier) -> Style {
        if self.color {
            Style::new().bg(bg).fg(fg).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(mono | Modifier::BOLD)
        }
    }
    pub fn badge_demo(self) -> Style {
        self.boxed(Color::Yellow, Color::Black, Modifier::REVERSED)
    }
    pub fn badge_api(self) -> Style {
        self.boxed(Color::Blue, Color::White, Modifier::REVERSED)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// URLs in the detail panel.
    pub fn link(self) -> Style {
        self.fg(Color::Cyan)
    }
    /// Text to find by eye: the anchor in its context, search matches in the table.
    pub fn highlight(self) -> Style {
        self.boxed(Color::Yellow, Color::Black, Modifier::UNDERLINED)
    }
    /// Marked rows (the marker column also shows a glyph, so colour is not the only sign).
    pub fn marked(self) -> Style {
        self.fg(Color::LightMagenta).add_modifier(Modifier::BOLD)
    }
}
