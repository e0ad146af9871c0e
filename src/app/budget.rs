//! The session budget. Everything the explorer pays for goes through [`App::overrun`]: the
//! pages of the table (before a page that would take the session's spend past the budget, the
//! app asks: send once / raise the budget / cancel) and "save the whole result" (its price
//! question says how far past the budget the save would go). The runtime sends nothing else
//! that costs money. Spends that stay within the budget are never held up.
//!
//! The same check refuses a spend above the account's balance when it is known
//! ([`super::balance`]): no question then (the API would refuse it with 40200), the page is
//! held back with the reason in the status bar until the balance is read again (`r`).

use crate::keymap::{Key, Pane};

use super::App;
use super::msg::Cmd;
use super::stack::{Layer, LayerKind};
use crate::action::Action;
use crate::fetch::Generation;

/// What the API charges per request, whatever it returns (USD).
pub const PRICE_PER_REQUEST: f64 = 0.02;
/// What it charges per row returned (USD).
pub const PRICE_PER_ROW: f64 = 0.000_03;

/// The most a page of `page_size` rows can cost.
pub fn page_estimate(page_size: u32) -> f64 {
    PRICE_PER_REQUEST + PRICE_PER_ROW * f64::from(page_size)
}

/// Whether spending `estimate` more on top of `spent` goes past `budget`. A request that ends
/// exactly on the budget does not cross it (a cent's billionth of slack for float sums).
pub fn crosses(spent: f64, estimate: f64, budget: f64) -> bool {
    spent + estimate > budget + 1e-9
}

/// What a spend would go past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The session's budget: the user may still say yes.
    Budget,
    /// The account's balance: the API would refuse it, so it is not sent.
    Balance,
}

/// A spend that would take the session past its budget (or cost more than the balance), and
/// by how much.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overrun {
    /// USD spent so far this session (a running save's spend included); 0 against the
    /// balance, which already has it taken off.
    pub spent: f64,
    /// USD the spend would cost, at most.
    pub estimate: f64,
    /// The budget, or the balance left.
    pub limit: f64,
    /// Which of the two `limit` is.
    pub of: Limit,
}

impl Overrun {
    /// `Some` when spending `estimate` on top of `spent` crosses `limit`.
    pub fn check(spent: f64, estimate: f64, limit: f64) -> Option<Overrun> {
        crosses(spent, estimate, limit).then_some(Overrun {
            spent,
            estimate,
            limit,
            of: Limit::Budget,
        })
    }

    /// `Some` when `estimate` is more than the `balance` left.
    pub fn balance(balance: f64, estimate: f64) -> Option<Overrun> {
        crosses(0.0, estimate, balance).then_some(Overrun {
            spent: 0.0,
            estimate,
            limit: balance,
            of: Limit::Balance,
        })
    }

    /// USD past the budget the spend would end.
    pub fn past(&self) -> f64 {
        self.spent + self.estimate - self.limit
    }

    /// `that is $1.03 past your $0.12 budget (spent $0.15)`, or `balance $0.03 is less than
    /// this request's $0.05`.
    pub fn describe(&self) -> String {
        self.describe_for("this request")
    }

    /// [`describe`](Self::describe), naming the spend against the balance ("this save",
    /// "the rest").
    pub fn describe_for(&self, what: &str) -> String {
        match self.of {
            Limit::Budget => format!(
                "that is ${:.2} past your ${:.2} budget (spent ${:.2})",
                self.past(),
                self.limit,
                self.spent
            ),
            Limit::Balance => {
                let (balance, price) = usd_pair(self.limit, self.estimate);
                format!("balance {balance} is less than {what}'s {price}")
            }
        }
    }

    /// `page $0.05 > balance $0.02`: the same against the balance, short enough to stand
    /// whole in an 80-column status bar.
    pub fn describe_short(&self, what: &str) -> String {
        let (balance, price) = usd_pair(self.limit, self.estimate);
        format!("{what} {price} > balance {balance}")
    }
}

/// Two amounts in cents, or to a hundredth of a cent when cents would print them alike
/// (`$0.0490` and `$0.0500`, not `$0.05` and `$0.05`).
fn usd_pair(a: f64, b: f64) -> (String, String) {
    let usd = |v: f64, places: usize| {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}${:.places$}", v.abs())
    };
    let places = if usd(a, 2) == usd(b, 2) { 4 } else { 2 };
    (usd(a, places), usd(b, places))
}

/// Identifies one page request: its query and its first row.
type PageKey = (Generation, usize);

/// The budget (its question is a layer, see [`super::stack`]).
#[derive(Debug, Clone, Default)]
pub struct BudgetState {
    /// USD the session may spend without asking; `None`: no budget.
    pub limit: Option<f64>,
    /// What "raise" adds (the budget the session started with).
    pub step: f64,
    /// The page the user said to send anyway.
    approved: Option<PageKey>,
    /// The page the user said not to send (asked again by `r`, or by another page or query).
    declined: Option<PageKey>,
    /// The next page costs more than the balance: held back, and why (`r` reads it again).
    pub short: Option<Overrun>,
}

/// "The next page would cross the budget": the numbers the question shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetPrompt {
    pub spent: f64,
    pub estimate: f64,
    pub limit: f64,
    /// The budget after "raise".
    pub raised: f64,
}

impl BudgetState {
    /// A budget of `limit` USD (none for `None`).
    pub fn new(limit: Option<f64>) -> BudgetState {
        BudgetState {
            limit,
            step: limit.unwrap_or(0.0),
            ..BudgetState::default()
        }
    }
}

impl App {
    /// What the session has spent: the answered pages, and what a running "save the whole
    /// result" has spent so far (added to the session when it ends).
    pub fn spent(&self) -> f64 {
        self.status.session_cost + self.layers.export().map_or(0.0, |e| e.progress.cost)
    }

    /// The one spend check: whether `estimate` is more than the balance left (when it is
    /// known), else whether spending it would take the session past its budget (never,
    /// without one).
    pub fn overrun(&self, estimate: f64) -> Option<Overrun> {
        self.balance_overrun(estimate).or_else(|| {
            self.budget
                .limit
                .and_then(|limit| Overrun::check(self.spent(), estimate, limit))
        })
    }

    /// Whether the next wanted page may be requested now. When it would cross the budget,
    /// opens the question (once per page) and holds the page back.
    pub(super) fn budget_allows_next_page(&mut self) -> bool {
        self.budget.short = None;
        if self.results.wanted_next_page().is_none() {
            return true; // nothing would be sent anyway
        }
        // No "send anyway" against the balance: the API would refuse the page.
        if let Some(short) = self.balance_overrun(self.next_page_price()) {
            self.budget.short = Some(short);
            return false;
        }
        let key = (self.results.generation, self.results.rows.len());
        if self.budget.approved == Some(key) {
            return true;
        }
        let Some(Overrun {
            spent,
            estimate,
            limit,
            of: Limit::Budget,
        }) = self.overrun(page_estimate(self.results.page_size))
        else {
            return true;
        };
        if self.layers.budget().is_none() && self.budget.declined != Some(key) {
            let mut raised = limit + self.budget.step.max(0.01);
            while crosses(spent, estimate, raised) {
                raised += self.budget.step.max(0.01);
            }
            self.layers.open(Layer::Budget(BudgetPrompt {
                spent,
                estimate,
                limit,
                raised,
            }));
        }
        false
    }

    /// The answer to the question.
    pub(super) fn budget_key(&mut self, key: Key) -> Vec<Cmd> {
        let Some(prompt) = self.layers.budget().cloned() else {
            return Vec::new();
        };
        let page = (self.results.generation, self.results.rows.len());
        match self.keymap.lookup(Pane::Budget, key) {
            Some(Action::BudgetSend) => {
                self.budget.approved = Some(page);
                self.layers.close(LayerKind::Budget);
            }
            Some(Action::BudgetRaise) => {
                self.budget.limit = Some(prompt.raised);
                self.layers.close(LayerKind::Budget);
                self.status.note = Some(format!("budget raised to ${:.2}", prompt.raised));
            }
            Some(Action::Quit) => return self.act(Action::Quit),
            Some(Action::Cancel) => {
                self.budget.declined = Some(page);
                self.layers.close(LayerKind::Budget);
                self.status.note = Some("not sent: over the budget (r asks again)".into());
            }
            _ => {}
        }
        Vec::new()
    }

    /// `r`: ask again about a page the user declined.
    pub(super) fn budget_retry(&mut self) -> bool {
        self.budget.declined.take().is_some()
    }

    /// The page was held back by a "cancel" and nothing else is going on.
    pub fn budget_holds_back(&self) -> bool {
        self.budget.declined == Some((self.results.generation, self.results.rows.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_and_crossing() {
        assert!((page_estimate(1000) - 0.05).abs() < 1e-12);
        assert!((page_estimate(100) - 0.023).abs() < 1e-12);
        assert!(
            !crosses(0.95, 0.05, 1.0),
            "ending exactly on the budget is fine"
        );
        assert!(crosses(0.96, 0.05, 1.0));
        assert!(!crosses(0.0, 0.05, 0.05));
    }

    #[test]
    fn an_overrun_says_by_how_much() {
        assert_eq!(Overrun::check(0.05, 0.05, 0.12), None);
        let o = Overrun::check(0.15, 1.0, 0.12).expect("crosses");
        assert!((o.past() - 1.03).abs() < 1e-9);
        assert_eq!(
            o.describe(),
            "that is $1.03 past your $0.12 budget (spent $0.15)"
        );
    }

    #[test]
    fn a_spend_above_the_balance_says_both_amounts_so_they_differ() {
        assert_eq!(
            Overrun::balance(0.05, 0.05),
            None,
            "exactly the balance is fine"
        );
        let o = Overrun::balance(0.03, 0.05).expect("more than the balance");
        assert_eq!(o.of, Limit::Balance);
        assert_eq!(
            o.describe(),
            "balance $0.03 is less than this request's $0.05"
        );
        let close = Overrun::balance(0.049, 0.05).unwrap();
        assert_eq!(
            close.describe_for("this save"),
            "balance $0.0490 is less than this save's $0.0500"
        );
        assert_eq!(o.describe_short("page"), "page $0.05 > balance $0.03");
        let spent = Overrun::balance(-0.5, 0.02).unwrap();
        assert_eq!(
            spent.describe(),
            "balance -$0.50 is less than this request's $0.02"
        );
    }
}
