//! The account's balance (issue #16): read from the API at start (`Cmd::ReadBalance`, free),
//! kept current from what the session spends (the balance at the read, less what was spent
//! since), and read again after a save or an export. The status bar shows it; the one spend
//! check ([`App::overrun`]) refuses a page or a whole-result save that costs more than it.
//!
//! Reading it is never in the way: until it answers there is no balance and nothing is
//! refused; when it fails (an old server without the endpoint, no network) the status bar says
//! `balance ?` and nothing is refused either, since the API itself still answers 40200. A file
//! (`backlinks open`) has no account, so it is never read.

use crate::api::ApiError;
use crate::api::user_data::UserData;

use super::App;
use super::budget::{Overrun, PRICE_PER_REQUEST, PRICE_PER_ROW};
use super::msg::Cmd;

/// What the explorer knows of the balance.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum BalanceState {
    /// Never asked for (a file, or the app before the runtime starts).
    #[default]
    NotRead,
    /// A read is on its way; the last reading, if any, still counts meanwhile.
    Reading(Option<Reading>),
    Read(Reading),
    /// The last read failed, or the answer had no balance in it.
    Failed,
}

/// One answer of the API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// USD the account held, as the API said.
    pub usd: f64,
    /// What the session had spent ([`App::spent`]) when the answer arrived.
    pub spent: f64,
}

impl BalanceState {
    fn last(self) -> Option<Reading> {
        match self {
            BalanceState::Read(r) | BalanceState::Reading(Some(r)) => Some(r),
            _ => None,
        }
    }
}

impl App {
    /// Asks the runtime to read the balance (not for a file: it has no account).
    pub fn read_balance(&mut self) -> Vec<Cmd> {
        if self.is_file() {
            return Vec::new();
        }
        self.balance = BalanceState::Reading(self.balance.last());
        vec![Cmd::ReadBalance]
    }

    /// The answer to `Cmd::ReadBalance`.
    pub(super) fn on_balance(&mut self, read: Result<UserData, ApiError>) {
        self.balance = match read.ok().and_then(|d| d.balance()) {
            Some(usd) if usd.is_finite() => BalanceState::Read(Reading {
                usd,
                spent: self.spent(),
            }),
            _ => BalanceState::Failed,
        };
    }

    /// USD left now: the last reading less what the session has spent since (a running
    /// save's spend included). `None` until a read has answered, or when it failed.
    pub fn balance_left(&self) -> Option<f64> {
        let r = self.balance.last()?;
        Some(r.usd - (self.spent() - r.spent))
    }

    /// Whether a spend of `estimate` is more than the balance left.
    pub fn balance_overrun(&self, estimate: f64) -> Option<Overrun> {
        Overrun::balance(self.balance_left()?, estimate)
    }

    /// The most the next page can cost: its rows are the page size, or what is left of the
    /// result when that is less (the last page of 46,860 rows is 860 rows).
    pub(super) fn next_page_price(&self) -> f64 {
        let r = &self.results;
        let rows = u64::from(r.page_size).min(
            r.total
                .map_or(u64::MAX, |t| t.saturating_sub(r.rows.len() as u64)),
        );
        PRICE_PER_REQUEST + PRICE_PER_ROW * rows as f64
    }
}
