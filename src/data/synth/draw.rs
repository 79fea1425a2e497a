//! Random draws the flow generators share (UNSW-NB15's and CIC-IDS2017's): uniform,
//! log-uniform, heavy-tailed counts, a coin, one of a list.

use crate::rng::Rng;

/// Uniform in `[lo, hi)`.
pub(super) fn uni(r: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * r.next_f64()
}

/// Log-uniform in `[lo, hi)` (`lo > 0`).
pub(super) fn logu(r: &mut Rng, lo: f64, hi: f64) -> f64 {
    (lo.ln() + (hi / lo).ln() * r.next_f64()).exp()
}

/// A heavy-tailed whole number in `[lo, hi]` (log-uniform on n + 1).
pub(super) fn count(r: &mut Rng, (lo, hi): (u64, u64)) -> u64 {
    (logu(r, lo as f64 + 1.0, hi as f64 + 2.0) as u64).saturating_sub(1).clamp(lo, hi)
}

/// True with probability `p`.
pub(super) fn chance(r: &mut Rng, p: f64) -> bool {
    r.next_f64() < p
}

/// One of `items`, uniformly.
pub(super) fn one<T: Copy>(r: &mut Rng, items: &[T]) -> T {
    items[r.below(items.len())]
}
