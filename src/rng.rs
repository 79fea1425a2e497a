//! A small seeded random number generator (xoshiro256** seeded by SplitMix64).
//!
//! Written out here rather than taken from `rand` so that the same seed gives the
//! same stream on every platform and every dependency version: split, subsample
//! and tree shapes are part of a result and must be reproducible.

/// Seeded generator; cheap to clone, deterministic for a seed.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Self { s: [next(), next(), next(), next()] }
    }

    /// An independent generator for sub-task `stream` (e.g. tree number `i`).
    pub fn fork(&self, stream: u64) -> Self {
        Self::new(self.s[0] ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// Next 64 random bits.
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

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `[0, n)`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        // Lemire's multiply-shift with rejection: unbiased.
        let n = n as u64;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let low = m as u64;
            if low >= n || low >= n.wrapping_neg() % n {
                return (m >> 64) as usize;
            }
        }
    }

    /// Fisher–Yates shuffle in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `k` distinct indices from `0..n` (partial Fisher–Yates), in draw order.
    pub fn sample_indices(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        if k.saturating_mul(16) >= n {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = i + self.below(n - i);
                pool.swap(i, j);
            }
            pool.truncate(k);
            return pool;
        }
        // Few draws from many: the same swaps on a sparse pool (only the moved slots),
        // so the same indices without writing all `n` (a forest draws 256 of 78k per tree).
        let mut moved: std::collections::HashMap<usize, usize> = std::collections::HashMap::with_capacity(2 * k);
        let mut out = Vec::with_capacity(k);
        for i in 0..k {
            let j = i + self.below(n - i);
            let at_i = moved.get(&i).copied().unwrap_or(i);
            let at_j = moved.get(&j).copied().unwrap_or(j);
            moved.insert(j, at_i);
            out.push(at_j);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let a: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(42);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(42);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(43);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = Rng::new(7);
        let mut counts = [0usize; 10];
        for _ in 0..100_000 {
            counts[r.below(10)] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn sample_indices_are_distinct() {
        let mut r = Rng::new(1);
        let mut s = r.sample_indices(1000, 256);
        assert_eq!(s.len(), 256);
        s.sort_unstable();
        s.dedup();
        assert_eq!(s.len(), 256);
        assert_eq!(r.sample_indices(5, 256).len(), 5);
    }

    #[test]
    fn sparse_sampling_draws_what_the_full_pool_draws() {
        // The plain partial Fisher–Yates over the whole pool, as written before the sparse path.
        let full = |r: &mut Rng, n: usize, k: usize| {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k.min(n) {
                let j = i + r.below(n - i);
                pool.swap(i, j);
            }
            pool.truncate(k.min(n));
            pool
        };
        for (n, k, seed) in [(77_822, 256, 42), (100_000, 256, 7), (5_000, 256, 1), (300, 256, 2), (10, 256, 3)] {
            let (mut a, mut b) = (Rng::new(seed), Rng::new(seed));
            assert_eq!(a.sample_indices(n, k), full(&mut b, n, k), "n {n} k {k}");
            assert_eq!(a.next_u64(), b.next_u64(), "the same draws were consumed");
        }
    }

    #[test]
    fn f64_in_unit_interval() {
        let mut r = Rng::new(3);
        for _ in 0..10_000 {
            let x = r.next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
