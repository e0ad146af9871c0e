//! Portable randomness: the same numbers on every machine and every Rust version.
//!
//! std's `DefaultHasher` and the `rand` crate may change their output between releases, so the
//! dataset uses its own FNV-1a hash and a xoshiro256** generator seeded through splitmix64.
//! Only exactly-rounded float operations (`+ - * /`) are used on random values: `ln`, `exp` and
//! `powf` come from the platform's libm and could differ in the last bit between machines.

/// FNV-1a, 64 bits: a stable hash of a name (target domain, referring host, page URL).
pub const fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The splitmix64 step: advances `state` and returns a well-mixed value.
const fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines two seeds into one, so that `mix(a, b)` and `mix(b, a)` differ.
pub const fn mix(a: u64, b: u64) -> u64 {
    let mut state = a ^ b.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    splitmix64(&mut state)
}

/// xoshiro256**: small, fast, and fully specified by its seed.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut state = seed;
        let s = [
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
        ];
        Self { s }
    }

    /// A generator for one named purpose (`tag`) under a base seed.
    pub fn stream(base: u64, tag: &str) -> Self {
        Self::new(mix(base, fnv1a64(tag.as_bytes())))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (0 when `n` is 0). Multiply-high: the bias is below 2^-40 for our `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// `[0, 1)` skewed towards 0: `u^power`, so few values are high and many are low.
    pub fn skewed_unit(&mut self, power: u32) -> f64 {
        let u = self.unit();
        let mut v = 1.0;
        for _ in 0..power {
            v *= u;
        }
        v
    }

    /// An index in `0..n` where low indices are much more likely (`n · u^power`).
    pub fn skewed_index(&mut self, n: usize, power: u32) -> usize {
        ((n as f64 * self.skewed_unit(power)) as usize).min(n.saturating_sub(1))
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One word of a non-empty list.
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.index(items.len())]
    }

    /// An index chosen with the given relative weights (the last index if all are 0).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if roll < w {
                return i;
            }
            roll -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_stream_is_pinned_so_data_never_drifts_between_releases() {
        // If this fails, every generated dataset changed: saved demo sets and snapshots too.
        let mut rng = Rng::new(1);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        let mut again = Rng::new(1);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_eq!(first[0], PINNED_FIRST_OUTPUT);
    }

    // Checked against an independent Python implementation of splitmix64 + xoshiro256**.
    const PINNED_FIRST_OUTPUT: u64 = 12_966_619_160_104_079_557;

    #[test]
    fn helpers_stay_in_their_ranges() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            assert!(rng.below(10) < 10);
            let r = rng.range(-3, 3);
            assert!((-3..=3).contains(&r));
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(rng.skewed_index(5, 3) < 5);
            assert!(rng.weighted(&[0, 3, 0, 1]) % 2 == 1);
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.range(4, 4), 4);
    }

    #[test]
    fn skew_puts_most_values_low() {
        let mut rng = Rng::new(3);
        let values: Vec<f64> = (0..10_000).map(|_| rng.skewed_unit(3)).collect();
        let low = values.iter().filter(|v| **v < 0.25).count();
        assert!(low > 6_000, "{low}");
    }

    #[test]
    fn mix_is_order_sensitive() {
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_ne!(mix(1, 2), mix(1, 3));
    }
}
