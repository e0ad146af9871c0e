//! The status bar's state: where the data comes from, what it cost, the last problem.

use std::time::Duration;

use crate::fetch::Source;

/// Costs and timings of this session.
#[derive(Debug, Clone)]
pub struct StatusState {
    pub source: Source,
    /// USD spent this session.
    pub session_cost: f64,
    pub requests: u64,
    pub last_cost: Option<f64>,
    pub last_elapsed: Option<Duration>,
    /// The last page came from the local cache.
    pub last_cached: bool,
    /// The last error, until the next successful page or query.
    pub error: Option<String>,
    /// A short note ("sorted locally", "copied"), cleared by the next key.
    pub note: Option<String>,
    /// Spinner frame while a request is in flight.
    pub spinner: usize,
    /// Why the last key did nothing ("the API sorts by at most 3 keys"), cleared by the next key.
    pub warning: Option<String>,
}

impl StatusState {
    pub fn new(source: Source) -> Self {
        Self {
            source,
            session_cost: 0.0,
            requests: 0,
            last_cost: None,
            last_elapsed: None,
            last_cached: false,
            error: None,
            note: None,
            spinner: 0,
            warning: None,
        }
    }

    /// Accounts for one answered request.
    pub fn record(&mut self, cost: f64, elapsed: Duration, cached: bool) {
        self.session_cost += cost;
        self.requests += u64::from(!cached);
        self.last_cost = Some(cost);
        self.last_elapsed = Some(elapsed);
        self.last_cached = cached;
    }

    pub fn is_demo(&self) -> bool {
        self.source == Source::Demo
    }
}
