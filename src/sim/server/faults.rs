//! Fault injection: latency with jitter, random failures, malformed bodies.
//!
//! Every call draws from its own PRNG seeded with `seed` and the call's sequence number, so the
//! same seed and the same order of calls give the same faults on every run.

use std::time::Duration;

/// `SplitMix64`: tiny, fast, good enough for choosing faults and random id digits.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// The generator of call number `call` under `seed`.
    pub fn for_call(seed: u64, call: u64) -> Self {
        let mut r = Rng(seed ^ call.wrapping_mul(0xd1b5_4a32_d192_ed03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p` (clamped to 0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p.clamp(0.0, 1.0)
    }
}

/// A failure the call pretends to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// 50000 Internal Error, request level, HTTP 500.
    Internal,
    /// 50401 Internal Error - Timeout, task level.
    Timeout,
    /// 40103 Task execution failed, task level.
    TaskFailed,
}

impl Failure {
    pub fn code(self) -> i64 {
        match self {
            Failure::Internal => 50000,
            Failure::Timeout => 50401,
            Failure::TaskFailed => 40103,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Failure::Internal => "Internal Error.",
            Failure::Timeout => "Internal Error - Timeout.",
            Failure::TaskFailed => "Task execution failed, please try to resubmit the task.",
        }
    }
}

/// A broken body instead of the real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// The JSON answer cut in the middle.
    Truncated,
    /// An HTML error page, as a proxy in front of the API might send.
    Html,
}

/// What goes wrong with one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    pub failure: Option<Failure>,
    pub malformed: Option<Malformed>,
}

impl Faults {
    /// Draws the faults of one call. Always consumes the same number of draws.
    pub fn roll(rng: &mut Rng, fail_rate: f64, malformed_rate: f64) -> Faults {
        let fail = rng.chance(fail_rate);
        let which = rng.next_u64() % 3;
        let malformed = rng.chance(malformed_rate);
        let html = rng.next_u64().is_multiple_of(2);
        Faults {
            failure: fail.then_some(match which {
                0 => Failure::Internal,
                1 => Failure::Timeout,
                _ => Failure::TaskFailed,
            }),
            malformed: malformed.then_some(if html {
                Malformed::Html
            } else {
                Malformed::Truncated
            }),
        }
    }
}

/// `base_ms` ± 20 %.
pub fn jittered(rng: &mut Rng, base_ms: u64) -> Duration {
    let factor = 0.8 + 0.4 * rng.unit();
    Duration::from_secs_f64(base_ms as f64 * factor / 1000.0)
}

/// The body actually sent for a malformed answer.
pub fn mangle(body: &str, how: Malformed) -> String {
    match how {
        Malformed::Truncated => {
            let mut cut = body.len() / 2;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body[..cut].to_owned()
        }
        Malformed::Html => "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
             <body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>\n"
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_call_same_faults() {
        let a: Vec<Faults> = (0..50)
            .map(|n| Faults::roll(&mut Rng::for_call(7, n), 0.5, 0.5))
            .collect();
        let b: Vec<Faults> = (0..50)
            .map(|n| Faults::roll(&mut Rng::for_call(7, n), 0.5, 0.5))
            .collect();
        let c: Vec<Faults> = (0..50)
            .map(|n| Faults::roll(&mut Rng::for_call(8, n), 0.5, 0.5))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn rates_zero_and_one_are_exact_and_every_failure_occurs() {
        let mut seen = Vec::new();
        for n in 0..200 {
            assert_eq!(
                Faults::roll(&mut Rng::for_call(1, n), 0.0, 0.0),
                Faults::default()
            );
            let f = Faults::roll(&mut Rng::for_call(1, n), 1.0, 1.0);
            let failure = f.failure.expect("always fails");
            assert!(f.malformed.is_some());
            if !seen.contains(&failure) {
                seen.push(failure);
            }
        }
        assert_eq!(seen.len(), 3, "50000, 50401 and 40103 all occur");
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for n in 0..100 {
            let d = jittered(&mut Rng::for_call(3, n), 100);
            assert!((80..=120).contains(&d.as_millis()), "{d:?}");
        }
    }

    #[test]
    fn mangled_bodies_do_not_parse() {
        let body = r#"{"status_code":20000,"tasks":[{"id":"é"}]}"#;
        for how in [Malformed::Truncated, Malformed::Html] {
            let bad = mangle(body, how);
            assert!(
                serde_json::from_str::<serde_json::Value>(&bad).is_err(),
                "{bad}"
            );
        }
    }
}
