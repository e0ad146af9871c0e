//! The account's rate limits, kept on our side: at most N requests in flight and M per rolling
//! minute (reference §1: 30 and 2000), shared by every clone of the client.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

/// Length of the rolling window.
pub const WINDOW: Duration = Duration::from_mins(1);

/// Concurrency gate plus sliding window. Tokio's clock, so paused-time tests drive it.
#[derive(Debug)]
pub struct Limiter {
    in_flight: Semaphore,
    window: Mutex<Window>,
}

/// Held while one HTTP exchange is under way; dropping it frees the in-flight slot.
#[derive(Debug)]
pub struct Permit<'a> {
    _slot: Option<SemaphorePermit<'a>>,
}

impl Limiter {
    /// `max_in_flight` and `max_per_window` are raised to 1 if given as 0.
    pub fn new(max_in_flight: usize, max_per_window: usize) -> Self {
        Self {
            in_flight: Semaphore::new(max_in_flight.max(1)),
            window: Mutex::new(Window::new(max_per_window.max(1), WINDOW)),
        }
    }

    /// Waits for an in-flight slot, then for room in the window, and books the request.
    pub async fn acquire(&self) -> Permit<'_> {
        // The semaphore is never closed; if it were, we would stop limiting rather than hang.
        let slot = self.in_flight.acquire().await.ok();
        loop {
            let wait = self.lock().try_admit(Instant::now());
            match wait {
                Ok(()) => return Permit { _slot: slot },
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Admit nothing before `until` (the API said 40202: everyone waits, not just the caller).
    pub fn pause_until(&self, until: Instant) {
        self.lock().pause_until(until);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sliding window of the start times of admitted requests. Pure: the caller passes the time.
#[derive(Debug, Clone)]
pub struct Window {
    cap: usize,
    period: Duration,
    admitted: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl Window {
    pub fn new(cap: usize, period: Duration) -> Self {
        Self {
            cap,
            period,
            admitted: VecDeque::with_capacity(cap),
            paused_until: None,
        }
    }

    /// Books a request at `now`, or says how long to wait before asking again.
    pub fn try_admit(&mut self, now: Instant) -> Result<(), Duration> {
        if let Some(until) = self.paused_until {
            if now < until {
                return Err(until - now);
            }
            self.paused_until = None;
        }
        while self
            .admitted
            .front()
            .is_some_and(|&t| t + self.period <= now)
        {
            self.admitted.pop_front();
        }
        if self.admitted.len() < self.cap {
            self.admitted.push_back(now);
            return Ok(());
        }
        // Full: the oldest booking leaves the window first.
        let oldest = self.admitted.front().copied().unwrap_or(now);
        Err((oldest + self.period).saturating_duration_since(now))
    }

    /// Refuse everything before `until`; an earlier pause never shortens a later one.
    pub fn pause_until(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }

    /// Requests booked within the last period before `now`.
    #[cfg(test)]
    fn in_window(&self, now: Instant) -> usize {
        self.admitted
            .iter()
            .filter(|&&t| t + self.period > now)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn window_admits_up_to_cap_then_says_when_the_oldest_leaves() {
        let t0 = Instant::now();
        let mut w = Window::new(3, secs(60));
        assert_eq!(w.try_admit(t0), Ok(()));
        assert_eq!(w.try_admit(t0 + secs(10)), Ok(()));
        assert_eq!(w.try_admit(t0 + secs(20)), Ok(()));
        assert_eq!(w.try_admit(t0 + secs(30)), Err(secs(30)));
        // The refusal booked nothing.
        assert_eq!(w.in_window(t0 + secs(30)), 3);
        // At exactly t0 + 60 the first booking has left.
        assert_eq!(w.try_admit(t0 + secs(60)), Ok(()));
        assert_eq!(w.try_admit(t0 + secs(61)), Err(secs(9)));
    }

    #[test]
    fn window_is_rolling_not_fixed() {
        let t0 = Instant::now();
        let mut w = Window::new(2000, secs(60));
        // 2000 requests spread over the first half minute.
        for i in 0..2000u64 {
            assert_eq!(w.try_admit(t0 + Duration::from_millis(i * 15)), Ok(()));
        }
        // A fixed minute boundary would reset at 60 s; the rolling window frees one slot at a
        // time as each booking turns 60 s old.
        let at = t0 + secs(60) + Duration::from_millis(1);
        assert_eq!(w.try_admit(at), Ok(()));
        assert_eq!(w.try_admit(at), Err(Duration::from_millis(14)));
    }

    #[test]
    fn pause_blocks_until_its_end_and_only_lengthens() {
        let t0 = Instant::now();
        let mut w = Window::new(10, secs(60));
        w.pause_until(t0 + secs(5));
        w.pause_until(t0 + secs(2));
        assert_eq!(w.try_admit(t0 + secs(1)), Err(secs(4)));
        assert_eq!(w.try_admit(t0 + secs(5)), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_caps_in_flight_across_tasks() {
        let limiter = Arc::new(Limiter::new(3, 1000));
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (limiter, now, peak) = (limiter.clone(), now.clone(), peak.clone());
                tokio::spawn(async move {
                    let _permit = limiter.acquire().await;
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    tokio::time::sleep(secs(1)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_makes_the_request_over_the_cap_wait_for_the_window() {
        let limiter = Limiter::new(30, 5);
        let t0 = Instant::now();
        for _ in 0..5 {
            drop(limiter.acquire().await);
        }
        assert!(t0.elapsed() < secs(1));
        drop(limiter.acquire().await);
        assert!(t0.elapsed() >= WINDOW, "waited {:?}", t0.elapsed());
    }
}
