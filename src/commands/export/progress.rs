//! Export progress on stderr, drawn by `indicatif`: a bar with rows, rate, time left and the
//! cost so far, redrawn in place at a terminal (at most a few times a second, fitted to its
//! width). When stderr is a file or a pipe there is no bar at all: the lines before and after
//! the export say what it will cost and what it did, and logs stay free of redraw noise.

use std::fmt;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::fetch::export::{Progress, slices};
use crate::text::group;

/// `████▓░░░ 12,000/30,000 rows · 2,400 rows/s · 8s left · $0.6200 · slices 3/12 done · …`.
const TEMPLATE: &str = "{bar:24} {human_pos}/{human_len} rows · {rate} · {eta} left · {wide_msg}";

pub struct Printer {
    tty: bool,
    bar: Option<ProgressBar>,
}

impl Printer {
    /// A printer that draws only when `tty` (stderr is a terminal and not shared with rows).
    pub fn new(tty: bool) -> Printer {
        Printer { tty, bar: None }
    }

    /// Shows `p`; `before` holds what the first page cost.
    pub fn show(&mut self, p: &Progress, before: &Progress) {
        if !self.tty {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| start(p));
        bar.set_length(p.target_rows);
        bar.set_position(p.rows);
        bar.set_message(cost(p, before));
    }

    /// Takes the bar off the screen, so the summary line that follows stands alone.
    pub fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A bar that starts at the rows already in the file, so they do not count toward the rate.
fn start(p: &Progress) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(p.target_rows), ProgressDrawTarget::stderr())
        .with_style(style())
        .with_position(p.rows);
    bar.reset_eta();
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template(TEMPLATE)
        .expect("the template is valid")
        .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
            let _ = write!(w, "{} rows/s", group(state.per_sec().round() as u64));
        })
        .progress_chars("█▓░")
}

/// What the export has cost so far, the first page included, and the slices of a sliced
/// export: `$0.6200 · slices 3/12 done · 8 running · 1 waiting`.
fn cost(p: &Progress, before: &Progress) -> String {
    let spent = format!("${:.4}", before.cost + p.cost);
    match slices::describe(&p.slices) {
        Some(s) => format!("{spent} · {s}"),
        None => spent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses() {
        // `with_template` rejects a bad key only at run time.
        let _ = style();
    }

    #[test]
    fn the_cost_counts_the_first_page() {
        let before = Progress {
            cost: 0.02,
            ..Progress::default()
        };
        let p = Progress {
            cost: 0.6,
            ..Progress::default()
        };
        assert_eq!(cost(&p, &before), "$0.6200");
        let sliced = Progress {
            slices: slices::Slices {
                done: 3,
                running: 8,
                waiting: 1,
            },
            ..p
        };
        assert_eq!(
            cost(&sliced, &before),
            "$0.6200 · slices 3/12 done · 8 running · 1 waiting"
        );
    }

    #[test]
    fn without_a_terminal_there_is_no_bar() {
        let mut printer = Printer::new(false);
        printer.show(
            &Progress {
                rows: 10,
                target_rows: 100,
                ..Progress::default()
            },
            &Progress::default(),
        );
        assert!(printer.bar.is_none());
    }
}
