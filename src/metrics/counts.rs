//! Counting at a threshold: the confusion matrix and what follows from it, and
//! rows flagged per attack label and category.

use serde::{Deserialize, Serialize};

use crate::data::Rows;

/// The decision the papers on KDDCUP report F1 at (DAGMM, Zong et al. 2018; GOAD,
/// Bergman & Hoshen 2020; NeuTraL AD, Qiu et al. 2021): the threshold is the score
/// quantile at the test set's true share of normal rows — numpy's
/// `percentile(scores, 100 * normals / rows)`, linear between ranks — and a row is
/// flagged when its score is `>=` it, so every row tied at the threshold is flagged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TrueRatio {
    /// The threshold.
    pub threshold: f64,
    /// Counts at it.
    pub confusion: Confusion,
    /// F1 at it.
    pub f1: f64,
}

impl TrueRatio {
    /// At the true share of `sorted`'s labelled scores.
    pub fn of(sorted: &super::SortedScores) -> Self {
        let threshold = sorted.threshold_at(sorted.normal.len() as f64 / sorted.len().max(1) as f64);
        let confusion = sorted.confusion_at_or_above(threshold);
        Self { threshold, confusion, f1: confusion.f1() }
    }
}

/// Counts of a binary decision against the truth (attack = positive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Confusion {
    /// Normal, not flagged.
    pub tn: u64,
    /// Normal, flagged.
    pub fp: u64,
    /// Attack, not flagged.
    pub fn_: u64,
    /// Attack, flagged.
    pub tp: u64,
}

impl Confusion {
    /// Flag every row whose score is strictly above `threshold`.
    pub fn at(scores: &[f64], truth: &[bool], threshold: f64) -> Self {
        let mut c = Self::default();
        for (&s, &t) in scores.iter().zip(truth) {
            match (t, s > threshold) {
                (false, false) => c.tn += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (true, true) => c.tp += 1,
            }
        }
        c
    }

    /// `tp / (tp + fp)`, 0 when nothing is flagged.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`, 0 without attacks.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    /// Share of rows decided correctly.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }

    /// False positive rate `fp / (fp + tn)`.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// How many rows of one label (or category) there are and how many were flagged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Detected {
    /// Label (e.g. `smurf`) or category name (e.g. `dos`).
    pub name: String,
    /// The category (for a label row) or itself.
    pub category: String,
    /// Rows with this label.
    pub total: u64,
    /// Of which flagged.
    pub flagged: u64,
    /// `flagged / total` (recall for an attack label; false positive rate for `normal`).
    #[serde(default)]
    pub rate: f64,
}

impl Detected {
    /// `flagged / total` (for `normal`, the false positive rate).
    pub fn rate(&self) -> f64 {
        ratio(self.flagged, self.total)
    }
}

/// Flagged counts per label (most frequent first) and per category (in category order).
pub fn detected_by_label(rows: &dyn Rows, scores: &[f64], threshold: f64) -> (Vec<Detected>, Vec<Detected>) {
    let Some(labels) = rows.labels() else { return (Vec::new(), Vec::new()) };
    let mut per_code = vec![(0u64, 0u64); labels.names.len()];
    for (i, &s) in scores.iter().enumerate().take(rows.len()) {
        let e = &mut per_code[labels.codes[rows.record_id(i)] as usize];
        e.0 += 1;
        e.1 += u64::from(s > threshold);
    }
    let mut by_label: Vec<Detected> = labels
        .names
        .iter()
        .zip(&per_code)
        .filter(|(_, c)| c.0 > 0)
        .map(|(n, &(total, flagged))| Detected {
            name: n.clone(),
            category: rows.schema().category(n).to_string(),
            total,
            flagged,
            rate: ratio(flagged, total),
        })
        .collect();
    by_label.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    // A CSV's labels are their own categories: normal first, then by rows.
    let mut order = rows.schema().category_order();
    if order.is_empty() {
        order.push("normal".to_string());
        order.extend(by_label.iter().map(|d| d.category.clone()).filter(|c| c != "normal"));
    }
    let by_category = order
        .into_iter()
        .filter_map(|c| {
            let (total, flagged) =
                by_label.iter().filter(|d| d.category == c).fold((0, 0), |(t, f), d| (t + d.total, f + d.flagged));
            (total > 0).then(|| Detected { name: c.clone(), category: c, total, flagged, rate: ratio(flagged, total) })
        })
        .collect();
    (by_label, by_category)
}
