//! Scores as the page moves through them: histograms (normal vs attack), the
//! sorted scores behind the threshold slider, and the predictions file.

use serde::{Deserialize, Serialize};

use super::Confusion;
use crate::data::Rows;

/// Score counts in bins, split into normal and attack rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Histogram {
    /// `bins + 1` bin edges, ascending.
    pub edges: Vec<f64>,
    /// Normal rows per bin.
    pub normal: Vec<u64>,
    /// Attack rows per bin (all rows, when unlabelled).
    pub attack: Vec<u64>,
    /// Whether the edges are spaced evenly on a log scale (reconstruction errors
    /// span several decades) rather than linearly.
    #[serde(default)]
    pub log_x: bool,
}

/// Histogram of `scores` over their range (widened to include the threshold, so its
/// line is always on the chart); `log_x` spaces the bins evenly in log10 (scores at
/// or below zero land in the first bin). `truth` may be `None` for unlabelled data.
pub fn histogram(scores: &[f64], truth: Option<&[bool]>, threshold: f64, bins: usize, log_x: bool) -> Histogram {
    let bins = bins.max(1);
    let usable = |s: f64| s.is_finite() && (!log_x || s > 0.0);
    let (mut lo, mut hi) = scores
        .iter()
        .copied()
        .filter(|&s| usable(s))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), s| (l.min(s), h.max(s)));
    if usable(threshold) {
        lo = lo.min(threshold);
        hi = hi.max(threshold);
    }
    if !lo.is_finite() {
        (lo, hi) = (if log_x { 1e-3 } else { 0.0 }, 1.0);
    }
    if hi <= lo {
        hi = if log_x { lo * 10.0 } else { lo + 1.0 };
    }
    let (t_lo, t_hi) = if log_x { (lo.log10(), hi.log10()) } else { (lo, hi) };
    let width = (t_hi - t_lo) / bins as f64;
    let edge = |i: usize| {
        let t = t_lo + width * i as f64;
        if log_x {
            10f64.powf(t)
        } else {
            t
        }
    };
    let mut h =
        Histogram { edges: (0..=bins).map(edge).collect(), normal: vec![0; bins], attack: vec![0; bins], log_x };
    for (i, &s) in scores.iter().enumerate() {
        if !s.is_finite() {
            continue;
        }
        let t = if log_x { s.max(lo).log10() } else { s };
        let b = (((t - t_lo) / width).max(0.0) as usize).min(bins - 1);
        match truth.and_then(|t| t.get(i)) {
            Some(false) => h.normal[b] += 1,
            _ => h.attack[b] += 1,
        }
    }
    h
}

/// Scores split by class and sorted, so a moving threshold gives its confusion
/// matrix by binary search, without re-scoring (the page's threshold slider).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SortedScores {
    /// Scores of normal rows, ascending.
    pub normal: Vec<f64>,
    /// Scores of attack rows (or of every row, when unlabelled), ascending.
    pub attack: Vec<f64>,
}

impl SortedScores {
    /// Split and sort; `truth` may be `None` for unlabelled rows.
    pub fn new(scores: &[f64], truth: Option<&[bool]>) -> Self {
        let (mut normal, mut attack) = (Vec::new(), Vec::new());
        for (i, &s) in scores.iter().enumerate() {
            if truth.is_some_and(|t| !t[i]) {
                normal.push(s)
            } else {
                attack.push(s)
            }
        }
        normal.sort_by(f64::total_cmp);
        attack.sort_by(f64::total_cmp);
        Self { normal, attack }
    }

    /// Rows in all.
    pub fn len(&self) -> usize {
        self.normal.len() + self.attack.len()
    }

    /// Whether there are no scores.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th smallest score of both classes together (0-based), found by binary
    /// search over the two sorted lists: no merged copy is kept.
    pub fn kth(&self, k: usize) -> f64 {
        let (a, b) = (&self.normal, &self.attack);
        if k >= a.len() + b.len() {
            return f64::NAN;
        }
        // Take `i` of the first `k + 1` from `a` and the rest from `b`: the smallest `i`
        // with nothing taken from `b` above `a[i]`.
        let (mut lo, mut hi) = ((k + 1).saturating_sub(b.len()), a.len().min(k + 1));
        while lo < hi {
            let i = (lo + hi) / 2;
            let j = k + 1 - i;
            if j > 0 && i < a.len() && b[j - 1].total_cmp(&a[i]).is_gt() {
                lo = i + 1;
            } else {
                hi = i;
            }
        }
        let (i, j) = (lo, k + 1 - lo);
        let last = |v: &[f64], n: usize| if n > 0 { v[n - 1] } else { f64::NEG_INFINITY };
        last(a, i).max(last(b, j))
    }

    /// The score at share `q` (0–1) of both classes together, interpolated like
    /// `numpy.percentile`: a slider in rank space moves smoothly however skewed the
    /// scores are.
    pub fn threshold_at(&self, q: f64) -> f64 {
        let Some(last) = self.len().checked_sub(1) else { return f64::NAN };
        let pos = q.clamp(0.0, 1.0) * last as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        let (l, h) = (self.kth(lo), self.kth(hi));
        l + (h - l) * (pos - lo as f64)
    }

    /// The share of rows scoring at or below `threshold` (where a rank-space slider
    /// sits for it).
    pub fn quantile_of(&self, threshold: f64) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        let at_or_below = |v: &[f64]| v.partition_point(|&s| s <= threshold);
        (at_or_below(&self.normal) + at_or_below(&self.attack)) as f64 / self.len() as f64
    }

    /// The confusion matrix when flagging scores strictly above `threshold`.
    pub fn confusion_at(&self, threshold: f64) -> Confusion {
        self.flagging(|v| v.partition_point(|&s| s <= threshold))
    }

    /// The confusion matrix when flagging scores at or above `threshold` (the papers' `>=`).
    pub fn confusion_at_or_above(&self, threshold: f64) -> Confusion {
        self.flagging(|v| v.partition_point(|&s| s < threshold))
    }

    /// Counts when each class's scores from `first_flagged(scores)` on are flagged.
    fn flagging(&self, first_flagged: impl Fn(&[f64]) -> usize) -> Confusion {
        let above = |v: &[f64]| (v.len() - first_flagged(v)) as u64;
        let (fp, tp) = (above(&self.normal), above(&self.attack));
        Confusion { tn: self.normal.len() as u64 - fp, fp, fn_: self.attack.len() as u64 - tp, tp }
    }
}

/// The predictions file: `record_id,anomaly_score,prediction_label,true_label`.
/// `record_id` is the row's 0-based position among the data rows of its file; the
/// prediction is 1 when the score is above `threshold`; `true_label` is empty when
/// the file has no labels.
pub fn predictions_csv(rows: &dyn Rows, scores: &[f64], threshold: f64) -> String {
    predictions_csv_part(rows, scores, threshold, 0, scores.len())
}

/// Rows `start..start + count` of the predictions file (with the header line when
/// `start` is 0), so a file of millions of rows can be written in parts.
pub fn predictions_csv_part(rows: &dyn Rows, scores: &[f64], threshold: f64, start: usize, count: usize) -> String {
    let end = start.saturating_add(count).min(scores.len()).min(rows.len());
    let start = start.min(end);
    let mut out = String::with_capacity(32 * (end - start + 1));
    if start == 0 {
        out.push_str("record_id,anomaly_score,prediction_label,true_label\n");
    }
    let labels = rows.labels().zip(rows.anomalous_labels());
    for (i, &s) in scores.iter().enumerate().take(end).skip(start) {
        let r = rows.record_id(i);
        let truth = match &labels {
            Some((l, attack)) if attack[l.codes[r] as usize] => "1",
            Some(_) => "0",
            None => "",
        };
        out.push_str(&format!("{r},{s},{},{truth}\n", u8::from(s > threshold)));
    }
    out
}
