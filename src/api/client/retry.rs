//! How long to wait before trying again. Pure functions; the client supplies clock and dice.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::api::ApiError;

/// A retry about to happen, told to whoever watches a call (the explorer shows it) before the
/// client waits.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNotice {
    /// The try about to be made: 2 is the first retry.
    pub next_try: u32,
    /// Tries in total, the first one included.
    pub max_tries: u32,
    /// How long the client waits before it.
    pub wait: Duration,
    /// Why the last try failed.
    pub error: ApiError,
}

/// No backoff grows beyond this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Wait before try number `next_try` (2, 3, …) after a retryable `error`.
///
/// `rate_limit_wait`: `None` waits for the next minute window of the wall clock (reference §10,
/// 40202); `Some(d)` waits `d` (tests, or a caller that knows better).
pub fn wait_before(
    error: &ApiError,
    next_try: u32,
    base: Duration,
    rate_limit_wait: Option<Duration>,
) -> Duration {
    let jitter = jitter_fraction();
    match error {
        ApiError::RateLimited { .. } => {
            rate_limit_wait.unwrap_or_else(|| until_next_minute(since_epoch(), jitter))
        }
        _ => backoff(base, next_try, jitter),
    }
}

/// Exponential backoff with "equal jitter": half of `base · 2^(n−2)` fixed, half random, so
/// callers that failed together do not retry together. `jitter` is in `[0, 1)`.
pub fn backoff(base: Duration, next_try: u32, jitter: f64) -> Duration {
    let doublings = next_try.saturating_sub(2).min(20);
    let full = base.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    let half = full / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

/// Time from `now` (since the Unix epoch) to the start of the next wall-clock minute, plus up to
/// one second of `jitter` so a crowd of clients does not hit the new window at the same instant.
pub fn until_next_minute(now: Duration, jitter: f64) -> Duration {
    let into_minute = Duration::from_millis((now.as_millis() % 60_000) as u64);
    Duration::from_mins(1).saturating_sub(into_minute)
        + Duration::from_secs(1).mul_f64(jitter.clamp(0.0, 1.0))
}

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A number in `[0, 1)` that differs from call to call. `RandomState` is seeded per process and
/// stepped per instance, which is plenty for jitter and needs no extra crate.
fn jitter_fraction() -> f64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(since_epoch().as_nanos());
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_from_the_base() {
        let base = MS * 100;
        assert_eq!(backoff(base, 2, 0.0), MS * 50);
        assert_eq!(backoff(base, 3, 0.0), MS * 100);
        assert_eq!(backoff(base, 4, 0.0), MS * 200);
        // Full jitter side: up to the whole step.
        assert_eq!(
            backoff(base, 4, 0.999_999),
            (MS * 400).saturating_sub(Duration::from_nanos(200))
        );
    }

    #[test]
    fn backoff_is_capped() {
        assert_eq!(backoff(Duration::from_secs(10), 30, 1.0), MAX_BACKOFF);
    }

    #[test]
    fn rate_limit_waits_for_the_next_minute() {
        let now = Duration::from_secs(60 * 28_000_000 + 45) + MS * 250;
        assert_eq!(until_next_minute(now, 0.0), MS * 14_750);
        assert_eq!(
            until_next_minute(Duration::from_mins(2), 0.0),
            Duration::from_mins(1)
        );
        assert_eq!(
            until_next_minute(Duration::from_secs(179), 0.5),
            Duration::from_millis(1500)
        );
    }

    #[test]
    fn configured_rate_limit_wait_wins_and_other_errors_back_off() {
        let limited = ApiError::RateLimited {
            code: 40202,
            message: String::new(),
        };
        assert_eq!(wait_before(&limited, 2, MS, Some(MS * 7)), MS * 7);
        let server = ApiError::Server {
            code: 50000,
            message: String::new(),
        };
        let w = wait_before(&server, 3, MS * 10, Some(MS * 7));
        assert!(w >= MS * 10 && w < MS * 20, "{w:?}");
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let draws: Vec<f64> = (0..50).map(|_| jitter_fraction()).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(draws.windows(2).any(|w| w[0].to_bits() != w[1].to_bits()));
    }
}
