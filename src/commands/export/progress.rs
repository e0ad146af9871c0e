//! Export progress on stderr: a bar redrawn in place on a terminal, plain lines (one per tenth
//! of the way) when stderr is a file or a pipe.

use crate::fetch::export::Progress;
use crate::fetch::export::estimate::eta;
use crate::text::group;
use std::io::Write;

const BAR: usize = 24;

pub struct Printer {
    tty: bool,
    last_tenth: u64,
    drew: bool,
}

impl Printer {
    pub fn new(tty: bool) -> Printer {
        Printer {
            tty,
            last_tenth: 0,
            drew: false,
        }
    }

    /// Shows `p`; `before` holds what the first page cost.
    pub fn show(&mut self, p: &Progress, before: &Progress, err: &mut dyn Write) {
        let line = line(p, before);
        if self.tty {
            let done = p.fraction();
            let filled = ((done * BAR as f64).round() as usize).min(BAR);
            let bar = format!("{}{}", "█".repeat(filled), "░".repeat(BAR - filled));
            let _ = write!(err, "\r{bar} {line}   ");
            let _ = err.flush();
            self.drew = true;
        } else {
            let tenth = (p.fraction() * 10.0).floor() as u64;
            if tenth > self.last_tenth || p.rows >= p.target_rows {
                self.last_tenth = tenth;
                let _ = writeln!(err, "{line}");
            }
        }
    }

    /// Ends the bar's line.
    pub fn done(&mut self, err: &mut dyn Write) {
        if self.drew {
            let _ = writeln!(err);
        }
    }
}

/// `12,000 / 30,000 rows · 2,400 rows/s · ETA 8 s · $0.6200`.
pub fn line(p: &Progress, before: &Progress) -> String {
    format!(
        "{} / {} rows · {} rows/s · ETA {} · ${:.4}",
        group(p.rows),
        group(p.target_rows),
        group(p.rate().round() as u64),
        p.eta().map_or_else(|| "–".to_owned(), eta),
        before.cost + p.cost
    )
}
