//! Entering and leaving the terminal UI. The terminal is restored on quit, on error and on
//! panic (the hook runs before the panic message is printed, so the message stays readable).

use std::io::{self, stdout};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Raw mode, alternate screen, mouse and bracketed paste; a panic hook that undoes all of it.
pub fn init() -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info); // ratatui's hook: leaves the alternate screen and raw mode
    }));
    execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Puts the terminal back as it was.
pub fn restore() {
    // Best effort: there is nowhere left to report a failure to.
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}
