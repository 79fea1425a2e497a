//! Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics: trees on
//! subsamples of `max_samples` rows drawn without replacement, a random non-constant
//! split feature and a uniform split value, depth limit `ceil(log2 ψ)`, leaves
//! credited with `c(n)`, score `2^(−E[h(x)]/c(ψ))`. Trees live in flat arrays;
//! `file.rs` writes and checks them as bytes.

mod file;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::ThresholdRule;
use crate::prepare::Features;
use crate::rng::Rng;

/// Why a forest could not be fitted, used or loaded.
#[derive(Debug, thiserror::Error)]
pub enum ForestError {
    /// `n_estimators` was 0.
    #[error("n_estimators must be at least 1")]
    NoTrees,
    /// `max_samples` was 0.
    #[error("max_samples must be at least 1 (got 0)")]
    MaxSamples,
    /// Nothing to fit on.
    #[error("no rows to fit the Isolation Forest on")]
    NoRows,
    /// Rows of the wrong width.
    #[error("the Isolation Forest expects {expected} features per row, the data has {found}")]
    Width {
        /// Features the forest was fitted on.
        expected: usize,
        /// Features given.
        found: usize,
    },
    /// A bad threshold setting.
    #[error("{0}")]
    Threshold(String),
    /// Bytes that are not a valid forest.
    #[error("not a valid Isolation Forest: {0}")]
    Corrupt(String),
}

/// Hyper-parameters (scikit-learn's names and defaults).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ForestConfig {
    /// Number of trees.
    pub n_estimators: usize,
    /// Rows per tree (all rows if fewer).
    pub max_samples: usize,
    /// How the decision threshold is set from training scores.
    pub threshold: ThresholdRule,
    /// Seed for subsamples and splits.
    pub seed: u64,
}

impl Default for ForestConfig {
    fn default() -> Self {
        Self { n_estimators: 100, max_samples: 256, threshold: ThresholdRule::Contamination(0.05), seed: 42 }
    }
}

impl ForestConfig {
    /// Check the settings once, before any work.
    pub fn validate(&self) -> Result<(), ForestError> {
        if self.n_estimators == 0 {
            return Err(ForestError::NoTrees);
        }
        if self.max_samples == 0 {
            return Err(ForestError::MaxSamples);
        }
        self.threshold.validate().map(|_| ()).map_err(ForestError::Threshold)
    }
}

/// Marks a leaf in [`IsolationForest::feature`].
const LEAF: u32 = u32::MAX;
/// scikit-learn's tolerance below which a feature counts as constant in a node.
const FEATURE_THRESHOLD: f32 = 1e-7;
/// Rows scored together, so a tree's nodes stay in cache across the block.
const BLOCK: usize = 512;

/// A fitted forest. Node `i` is a leaf when `feature[i] == LEAF` (then `value[i]` is
/// its depth plus `c(n)`); otherwise rows with `x[feature[i]] <= value[i]` go to
/// `left[i]` and the rest to `left[i] + 1`. (A fixed-length, branch-free walk was
/// measured slower: duplicate-heavy KDD rows make shallow trees.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsolationForest {
    /// The settings it was fitted with.
    pub config: ForestConfig,
    /// Width of the rows it was fitted on.
    pub n_features: usize,
    /// Rows per tree actually used (ψ).
    pub psi: usize,
    /// Decision threshold on the anomaly score (flag when above).
    pub threshold: f64,
    roots: Vec<u32>,
    feature: Vec<u32>,
    value: Vec<f32>,
    left: Vec<u32>,
}

/// Average path length of an unsuccessful search in a binary search tree of `n`
/// items (scikit-learn's `_average_path_length`).
pub fn average_path_length(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + 0.577_215_664_901_532_9) - 2.0 * (n - 1.0) / n
        }
    }
}

impl IsolationForest {
    /// Fit on `x` (the prepared training normals) and set the threshold from their scores.
    pub fn fit(config: ForestConfig, x: &Features) -> Result<Self, ForestError> {
        config.validate()?;
        if x.rows == 0 || x.cols == 0 {
            return Err(ForestError::NoRows);
        }
        let psi = config.max_samples.min(x.rows);
        let max_depth = (psi.max(2) as f64).log2().ceil() as u32;
        let mut forest = Self {
            config,
            n_features: x.cols,
            psi,
            threshold: 0.0,
            roots: Vec::with_capacity(config.n_estimators),
            feature: Vec::new(),
            value: Vec::new(),
            left: Vec::new(),
        };
        // Trees grow one after another: each draws from its own stream, but the feature
        // order carries over from tree to tree, and growing all 100 takes about 4 ms of the
        // fit on the KDD99 hold-out (scoring the training rows for the threshold takes the
        // rest, and runs on every core). Growing them in parallel would change every forest.
        let rng = Rng::new(config.seed);
        let mut order: Vec<usize> = (0..x.cols).collect();
        for t in 0..config.n_estimators {
            let mut tree_rng = rng.fork(t as u64);
            let mut sample = tree_rng.sample_indices(x.rows, psi);
            let root = forest.push_node();
            forest.roots.push(root);
            forest.grow(x, root, &mut sample, 0, max_depth, &mut tree_rng, &mut order);
        }
        let training = forest.score(x)?;
        forest.threshold = config.threshold.threshold(&training);
        Ok(forest)
    }

    /// A new node, a leaf until split.
    fn push_node(&mut self) -> u32 {
        self.feature.push(LEAF);
        self.value.push(0.0);
        self.left.push(0);
        (self.feature.len() - 1) as u32
    }

    #[allow(clippy::too_many_arguments)]
    fn grow(
        &mut self,
        x: &Features,
        node: u32,
        rows: &mut [usize],
        depth: u32,
        max_depth: u32,
        rng: &mut Rng,
        order: &mut [usize],
    ) {
        let node = node as usize;
        let leaf = |f: &mut Self| f.value[node] = depth as f32 + average_path_length(rows.len()) as f32;
        if depth >= max_depth || rows.len() < 2 {
            return leaf(self);
        }
        // Visit features in random order until one is not constant in this node.
        for k in 0..order.len() {
            let j = k + rng.below(order.len() - k);
            order.swap(k, j);
            let f = order[k];
            let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
            for &r in rows.iter() {
                let v = x.data[r * x.cols + f];
                lo = lo.min(v);
                hi = hi.max(v);
            }
            if hi - lo <= FEATURE_THRESHOLD {
                continue;
            }
            let mut split = (f64::from(lo) + rng.next_f64() * f64::from(hi - lo)) as f32;
            if split >= hi {
                split = lo;
            }
            let mut n_left = 0;
            for i in 0..rows.len() {
                if x.data[rows[i] * x.cols + f] <= split {
                    rows.swap(i, n_left);
                    n_left += 1;
                }
            }
            let l = self.push_node();
            self.push_node();
            self.feature[node] = f as u32;
            self.value[node] = split;
            self.left[node] = l;
            let (left_rows, right_rows) = rows.split_at_mut(n_left);
            self.grow(x, l, left_rows, depth + 1, max_depth, rng, order);
            self.grow(x, l + 1, right_rows, depth + 1, max_depth, rng, order);
            return;
        }
        leaf(self)
    }

    /// Number of trees.
    pub fn n_trees(&self) -> usize {
        self.roots.len()
    }

    /// Total nodes over all trees.
    pub fn n_nodes(&self) -> usize {
        self.feature.len()
    }

    /// Anomaly score of every row of `x`, in `(0, 1]`; higher is more anomalous.
    pub fn score(&self, x: &Features) -> Result<Vec<f64>, ForestError> {
        let mut out = vec![0.0; x.rows];
        self.score_into(x, 0, &mut out)?;
        Ok(out)
    }

    /// Score rows `first..first + out.len()` of `x` into `out` (lets callers
    /// report progress, or split the work across threads).
    pub fn score_into(&self, x: &Features, first: usize, out: &mut [f64]) -> Result<(), ForestError> {
        if x.cols != self.n_features {
            return Err(ForestError::Width { expected: self.n_features, found: x.cols });
        }
        let end = first + out.len();
        if end > x.rows {
            return Err(ForestError::Width { expected: end, found: x.rows });
        }
        let norm = self.n_trees() as f64 * average_path_length(self.psi);
        // Blocks of rows on any thread: a row's score is the sum over its trees in tree
        // order, on whichever thread, so the scores do not depend on the thread count.
        out.par_chunks_mut(BLOCK).enumerate().for_each(|(b, chunk)| {
            let start = first + b * BLOCK;
            let mut depth = [0.0f32; BLOCK];
            for &root in &self.roots {
                for (i, d) in depth.iter_mut().take(chunk.len()).enumerate() {
                    let row = x.row(start + i);
                    let mut n = root as usize;
                    // Terminates: children always come after their parent (checked on load).
                    while self.feature[n] != LEAF {
                        let go_right = row[self.feature[n] as usize] > self.value[n];
                        n = self.left[n] as usize + usize::from(go_right);
                    }
                    *d += self.value[n];
                }
            }
            for (o, &d) in chunk.iter_mut().zip(&depth) {
                *o = if norm > 0.0 { (-f64::from(d) / norm).exp2() } else { 1.0 };
            }
        });
        Ok(())
    }
}

impl IsolationForest {
    /// Each column's credit for isolating `row` quickly, as DIFFI's local importance
    /// (Carletti et al. 2023) counts it: every split on the row's path through a tree
    /// credits its column with `1 / h`, `h` that tree's path length for the row (shorter
    /// paths isolate more), and the credit is averaged over the splits on that column.
    /// Returns `(summed credit, splits)` per column, so callers can group columns.
    pub fn path_credit(&self, row: &[f32]) -> Result<(Vec<f64>, Vec<u32>), ForestError> {
        if row.len() != self.n_features {
            return Err(ForestError::Width { expected: self.n_features, found: row.len() });
        }
        let (mut credit, mut splits) = (vec![0.0; self.n_features], vec![0u32; self.n_features]);
        let mut path = Vec::new();
        for &root in &self.roots {
            path.clear();
            let mut n = root as usize;
            while self.feature[n] != LEAF {
                let f = self.feature[n] as usize;
                path.push(f);
                n = self.left[n] as usize + usize::from(row[f] > self.value[n]);
            }
            // The leaf holds the path length: its depth plus c(n) for the rows left in it.
            let h = f64::from(self.value[n]).max(1.0);
            for &f in &path {
                credit[f] += 1.0 / h;
                splits[f] += 1;
            }
        }
        Ok((credit, splits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(rows: usize, seed: u64) -> Features {
        let mut rng = Rng::new(seed);
        let data = (0..rows * 3).map(|_| rng.next_f64() as f32).collect();
        Features { rows, cols: 3, data }
    }

    #[test]
    fn average_path_length_matches_sklearn() {
        // sklearn.ensemble._iforest._average_path_length([0, 1, 2, 3, 256, 1000]), from
        // `python3 tests/sklearn/reference.py` (scikit-learn 1.9.1)
        assert_eq!(average_path_length(0), 0.0);
        assert_eq!(average_path_length(1), 0.0);
        assert_eq!(average_path_length(2), 1.0);
        assert!((average_path_length(3) - 1.207_392_357_589_623).abs() < 1e-12);
        assert!((average_path_length(256) - 10.244_770_920_119_917).abs() < 1e-12);
        assert!((average_path_length(1000) - 12.969_940_887_100_174).abs() < 1e-12);
    }

    #[test]
    fn outlier_scores_higher_than_inliers() {
        let mut x = blob(1000, 1);
        // Row 0 far outside the unit cube.
        x.data[0] = 50.0;
        x.data[1] = -50.0;
        let forest = IsolationForest::fit(ForestConfig::default(), &x).unwrap();
        let s = forest.score(&x).unwrap();
        let max_inlier = s[1..].iter().cloned().fold(f64::MIN, f64::max);
        assert!(s[0] > max_inlier, "{} vs {}", s[0], max_inlier);
        assert!(s.iter().all(|&v| v > 0.0 && v <= 1.0));
        let flagged = s.iter().filter(|&&v| v > forest.threshold).count();
        assert!((30..=70).contains(&flagged), "contamination 5% of 1000 flagged {flagged}");
    }

    #[test]
    fn same_seed_same_forest_and_bytes_round_trip() {
        let x = blob(600, 2);
        let a = IsolationForest::fit(ForestConfig::default(), &x).unwrap();
        let b = IsolationForest::fit(ForestConfig::default(), &x).unwrap();
        assert_eq!(a, b);
        let c = IsolationForest::fit(ForestConfig { seed: 7, ..Default::default() }, &x).unwrap();
        assert_ne!(a.score(&x).unwrap(), c.score(&x).unwrap());
        let back = IsolationForest::from_bytes(&a.to_bytes()).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn corrupt_bytes_are_errors() {
        let x = blob(300, 3);
        let bytes = IsolationForest::fit(ForestConfig::default(), &x).unwrap().to_bytes();
        assert!(IsolationForest::from_bytes(&bytes[..bytes.len() - 3]).is_err());
        assert!(IsolationForest::from_bytes(b"garbage").is_err());
        assert!(IsolationForest::from_bytes(&[]).is_err());
        // Flip bytes across the node arrays: never a panic, either an error or a valid forest.
        for i in (20..bytes.len()).step_by(bytes.len() / 400) {
            let mut b = bytes.clone();
            b[i] ^= 0xA5;
            if let Ok(f) = IsolationForest::from_bytes(&b) {
                let _ = f.score(&x);
            }
        }
    }

    #[test]
    fn bad_settings_are_errors() {
        let x = blob(10, 4);
        let e = IsolationForest::fit(ForestConfig { max_samples: 0, ..Default::default() }, &x);
        assert!(matches!(e, Err(ForestError::MaxSamples)));
        let e = IsolationForest::fit(ForestConfig { n_estimators: 0, ..Default::default() }, &x);
        assert!(matches!(e, Err(ForestError::NoTrees)));
        let empty = Features { rows: 0, cols: 3, data: vec![] };
        assert!(matches!(IsolationForest::fit(ForestConfig::default(), &empty), Err(ForestError::NoRows)));
        let f = IsolationForest::fit(ForestConfig::default(), &x).unwrap();
        assert_eq!(f.psi, 10, "max_samples falls back to all rows");
        let wide = Features { rows: 1, cols: 4, data: vec![0.0; 4] };
        assert!(matches!(f.score(&wide), Err(ForestError::Width { .. })));
    }

    #[test]
    fn constant_data_gives_single_leaf_trees() {
        let x = Features { rows: 50, cols: 2, data: vec![1.0; 100] };
        let f = IsolationForest::fit(ForestConfig::default(), &x).unwrap();
        assert_eq!(f.n_nodes(), f.n_trees());
        let s = f.score(&x).unwrap();
        assert!(s.windows(2).all(|w| w[0] == w[1]));
    }
}
