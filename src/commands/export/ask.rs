//! Whether `export` goes past its budget: with `--yes`, yes; at a terminal, the person there
//! says (`y/n`, with the price and how far past the budget it goes); with nobody to ask, no.
//!
//! The decision is pure ([`decide`], [`question`], [`is_yes`]). The terminal check and the
//! read of the answer sit behind [`Asker`], so tests play "the terminal says y", "says n" and
//! "no terminal" without one.

use std::future::Future;
use std::io::{self, BufRead, IsTerminal};
use std::pin::Pin;

use crate::app::budget::Overrun;
use crate::fetch::export::estimate::Estimate;

/// What to do about the rest of the result, once its price is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Fetch it, stopping before a page would take this run past `cap` USD (none: no cap).
    Go { cap: Option<f64> },
    /// It crosses the budget and someone is at the terminal: ask.
    Ask,
    /// It crosses the budget and nobody can say yes (`--yes` is needed).
    Refuse,
}

/// `price` for the rest with `budget_left` USD of the budget left (after the first page).
pub fn decide(price: f64, budget_left: f64, yes: bool, can_ask: bool) -> Decision {
    if yes {
        Decision::Go { cap: None }
    } else if price <= budget_left + 1e-9 {
        Decision::Go {
            cap: Some(budget_left),
        }
    } else if can_ask {
        Decision::Ask
    } else {
        Decision::Refuse
    }
}

/// How far past `budget` fetching the rest goes, the first page's `spent` counted.
pub fn overrun(estimate: &Estimate, spent: f64, budget: f64) -> Option<Overrun> {
    Overrun::check(spent, estimate.price, budget)
}

/// The question: the price of the rest, how far past the budget it goes, and the answers.
pub fn question(estimate: &Estimate, spent: f64, budget: f64) -> String {
    let past = overrun(estimate, spent, budget)
        .map_or_else(String::new, |o| format!("; {}", o.describe()));
    format!(
        "backlinks export: the rest is {}{past}. Fetch it? [y/N] ",
        estimate.describe()
    )
}

/// `y` or `yes`, any case, spaces around allowed; anything else (an empty line, end of
/// input) is no.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// A line read from the person at the terminal; `None` at the end of input.
pub type Answer = Pin<Box<dyn Future<Output = io::Result<Option<String>>> + Send>>;

/// The terminal, as far as the question needs it.
pub trait Asker {
    /// Whether someone can answer: stdin and stderr are a terminal.
    fn can_ask(&self) -> bool;
    /// Reads one line of answer (the question is already on stderr).
    fn answer(&mut self) -> Answer;
}

/// Nobody to ask (scripts, pipes, tests of the refusal).
pub struct NoTerminal;

impl Asker for NoTerminal {
    fn can_ask(&self) -> bool {
        false
    }
    fn answer(&mut self) -> Answer {
        Box::pin(std::future::ready(Ok(None)))
    }
}

/// The process's own stdin and stderr.
pub struct Terminal;

impl Asker for Terminal {
    fn can_ask(&self) -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// The read blocks, so it runs on a thread of its own: a Ctrl-C at the question can then
    /// stop the export without waiting for Enter (the thread ends with the process).
    fn answer(&mut self) -> Answer {
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = io::stdin().lock().read_line(&mut line);
            let _ = tx.send(read.map(|n| (n > 0).then_some(line)));
        });
        Box::pin(async move {
            rx.await
                .unwrap_or_else(|_| Err(io::Error::other("the terminal's reader stopped")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_decides_then_the_person_then_refusal() {
        // (price, left, --yes, terminal) → decision
        assert_eq!(
            decide(0.5, 0.95, false, false),
            Decision::Go { cap: Some(0.95) }
        );
        assert_eq!(decide(2.0, 0.95, true, false), Decision::Go { cap: None });
        assert_eq!(decide(2.0, 0.95, true, true), Decision::Go { cap: None });
        assert_eq!(decide(2.0, 0.95, false, true), Decision::Ask);
        assert_eq!(decide(2.0, 0.95, false, false), Decision::Refuse);
        assert_eq!(
            decide(0.95, 0.95, false, false),
            Decision::Go { cap: Some(0.95) },
            "ending on the budget is within it"
        );
    }

    #[test]
    fn only_y_or_yes_says_yes() {
        for yes in ["y", "Y\n", " yes \n", "YES"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "y y"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }

    #[test]
    fn the_question_says_the_price_and_how_far_past_the_budget() {
        let e = Estimate::new(7_000, 1000, 0);
        assert_eq!(
            question(&e, 0.05, 0.10),
            "backlinks export: the rest is 7,000 rows to fetch in 7 requests, about $0.35; that \
             is $0.30 past your $0.10 budget (spent $0.05). Fetch it? [y/N] "
        );
    }
}
