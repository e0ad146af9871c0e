//! `CostMeter`: what this session has spent, as the API reported it.

use std::sync::{Mutex, PoisonError};

/// Costs are kept in nano-dollars so that adding thousands of `0.02015`s stays exact.
const NANOS_PER_USD: f64 = 1e9;

/// Session spend, shared by every clone of the client and safe to read from any thread.
///
/// Only costs the API reports are added (the envelope's `cost`); nothing is computed locally.
/// A response whose task failed still counts as a request when it carries a `cost` (usually 0).
#[derive(Debug, Default)]
pub struct CostMeter {
    totals: Mutex<Totals>,
}

#[derive(Debug, Default)]
struct Totals {
    nanos: u64,
    requests: u64,
    last_nanos: Option<u64>,
}

/// One consistent reading of the meter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CostSnapshot {
    /// Sum of every reported cost, USD.
    pub total_usd: f64,
    /// Responses that reported a cost.
    pub requests: u64,
    /// Cost of the most recent such response, USD.
    pub last_usd: Option<f64>,
}

impl CostMeter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one response's reported cost. Negative or non-finite values count as 0.
    pub fn record(&self, cost_usd: f64) {
        let nanos = to_nanos(cost_usd);
        let mut t = self.totals.lock().unwrap_or_else(PoisonError::into_inner);
        t.nanos = t.nanos.saturating_add(nanos);
        t.requests += 1;
        t.last_nanos = Some(nanos);
    }

    /// Total, request count and last cost, read together.
    pub fn snapshot(&self) -> CostSnapshot {
        let t = self.totals.lock().unwrap_or_else(PoisonError::into_inner);
        CostSnapshot {
            total_usd: to_usd(t.nanos),
            requests: t.requests,
            last_usd: t.last_nanos.map(to_usd),
        }
    }

    /// Session total in USD.
    pub fn total_usd(&self) -> f64 {
        self.snapshot().total_usd
    }

    /// Number of responses that reported a cost.
    pub fn requests(&self) -> u64 {
        self.snapshot().requests
    }

    /// Cost of the last response that reported one.
    pub fn last_usd(&self) -> Option<f64> {
        self.snapshot().last_usd
    }
}

fn to_usd(nanos: u64) -> f64 {
    nanos as f64 / NANOS_PER_USD
}

fn to_nanos(usd: f64) -> u64 {
    if usd.is_finite() && usd > 0.0 {
        (usd * NANOS_PER_USD).round() as u64
    } else {
        0
    }
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "the meter promises exact sums: equality is the property under test"
)]
mod tests {
    use super::*;

    #[test]
    fn sums_exactly_and_counts_requests() {
        let m = CostMeter::new();
        for _ in 0..1000 {
            m.record(0.02015);
        }
        m.record(0.0);
        let s = m.snapshot();
        assert_eq!(s.requests, 1001);
        assert_eq!(s.total_usd, 20.15);
        assert_eq!(s.last_usd, Some(0.0));
    }

    #[test]
    fn garbage_costs_count_as_zero() {
        let m = CostMeter::new();
        m.record(f64::NAN);
        m.record(-1.0);
        assert_eq!(m.total_usd(), 0.0);
        assert_eq!(m.requests(), 2);
    }

    #[test]
    fn shared_between_threads() {
        let m = std::sync::Arc::new(CostMeter::new());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let m = m.clone();
                std::thread::spawn(move || (0..250).for_each(|_| m.record(0.00003)))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(m.requests(), 1000);
        assert_eq!(m.total_usd(), 0.03);
    }
}
