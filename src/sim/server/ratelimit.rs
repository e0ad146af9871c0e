//! The account's limits (reference §1): calls per rolling minute and calls in flight. The minute
//! is on tokio's clock, so a test on a paused clock can let it pass.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

const WINDOW: Duration = Duration::from_mins(1);

/// Counts accepted calls; refused calls do not use up the window.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: usize,
    max_in_flight: usize,
    window: Mutex<VecDeque<Instant>>,
    in_flight: Arc<AtomicUsize>,
}

/// Holds one in-flight place until dropped (when the response is built).
#[derive(Debug)]
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl RateLimiter {
    pub fn new(per_minute: usize, max_in_flight: usize) -> Self {
        Self {
            per_minute,
            max_in_flight,
            window: Mutex::new(VecDeque::new()),
            in_flight: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A place for one call at `now`, or `None` when either limit is reached.
    pub fn try_acquire(&self, now: Instant) -> Option<Slot> {
        let taken = self
            .in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max_in_flight).then_some(n + 1)
            });
        if taken.is_err() {
            return None;
        }
        let slot = Slot(Arc::clone(&self.in_flight));
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        while window
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() >= self.per_minute {
            return None; // dropping `slot` gives the in-flight place back
        }
        window.push_back(now);
        Some(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_per_rolling_minute() {
        let rl = RateLimiter::new(3, 100);
        let t0 = Instant::now();
        for s in 0..3 {
            assert!(rl.try_acquire(t0 + Duration::from_secs(s * 10)).is_some());
        }
        assert!(rl.try_acquire(t0 + Duration::from_secs(59)).is_none());
        assert!(
            rl.try_acquire(t0 + WINDOW).is_some(),
            "the first call left the window"
        );
        assert!(rl.try_acquire(t0 + Duration::from_secs(61)).is_none());
    }

    #[test]
    fn calls_in_flight() {
        let rl = RateLimiter::new(1000, 2);
        let now = Instant::now();
        let a = rl.try_acquire(now).unwrap();
        let _b = rl.try_acquire(now).unwrap();
        assert!(rl.try_acquire(now).is_none());
        drop(a);
        assert!(rl.try_acquire(now).is_some());
    }
}
