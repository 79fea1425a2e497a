//! Metrics: ROC and precision–recall curves (tie-aware, as scikit-learn computes
//! them), AUC and average precision, the confusion matrix at a threshold and what
//! follows from it, recall per attack label and category, histograms, and the
//! Markdown results table.

use serde::{Deserialize, Serialize};

use crate::data::{Category, Rows};

/// Why a metric could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// Curves need both classes.
    #[error("the test set has only {0} rows: ROC and precision-recall need both normal and attack rows")]
    OneClass(&'static str),
    /// Scores and labels differ in length.
    #[error("{scores} scores for {labels} labels")]
    Length {
        /// Number of scores.
        scores: usize,
        /// Number of labels.
        labels: usize,
    },
    /// A NaN or infinite score.
    #[error("score {index} is {value}: a detector produced a non-finite score")]
    NonFinite {
        /// Position of the score.
        index: usize,
        /// The score.
        value: f64,
    },
    /// No labels at all.
    #[error("the test file has no labels, so it can be scored but not evaluated")]
    Unlabelled,
}

fn check(scores: &[f64], truth: &[bool]) -> Result<(), MetricsError> {
    if scores.len() != truth.len() {
        return Err(MetricsError::Length { scores: scores.len(), labels: truth.len() });
    }
    if let Some((index, &value)) = scores.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(MetricsError::NonFinite { index, value });
    }
    match truth.iter().filter(|&&t| t).count() {
        0 => Err(MetricsError::OneClass("normal")),
        n if n == truth.len() => Err(MetricsError::OneClass("attack")),
        _ => Ok(()),
    }
}

/// False and true positive counts at every distinct score, highest score first
/// (scikit-learn's `_binary_clf_curve`): at `thresholds[i]`, rows scoring
/// `>= thresholds[i]` are flagged.
fn clf_curve(scores: &[f64], truth: &[bool]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut fps, mut tps, mut thresholds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut fp, mut tp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1.0
        } else {
            fp += 1.0
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| scores[j] != scores[i]);
        if last_of_tie {
            fps.push(fp);
            tps.push(tp);
            thresholds.push(scores[i]);
        }
    }
    (fps, tps, thresholds)
}

/// A ROC curve: points from (0, 0) to (1, 1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RocCurve {
    /// False positive rate per point.
    pub fpr: Vec<f64>,
    /// True positive rate per point.
    pub tpr: Vec<f64>,
    /// Score threshold per point (the first is +∞).
    #[serde(default)]
    pub thresholds: Vec<f64>,
}

/// The ROC curve. With `drop_intermediate`, collinear points are dropped as in
/// scikit-learn's default; the area is unchanged.
pub fn roc_curve(scores: &[f64], truth: &[bool], drop_intermediate: bool) -> Result<RocCurve, MetricsError> {
    check(scores, truth)?;
    let (mut fps, mut tps, mut thr) = clf_curve(scores, truth);
    if drop_intermediate && fps.len() > 2 {
        let n = fps.len();
        let keep: Vec<usize> = (0..n)
            .filter(|&i| {
                i == 0
                    || i == n - 1
                    || fps[i + 1] - 2.0 * fps[i] + fps[i - 1] != 0.0
                    || tps[i + 1] - 2.0 * tps[i] + tps[i - 1] != 0.0
            })
            .collect();
        fps = keep.iter().map(|&i| fps[i]).collect();
        tps = keep.iter().map(|&i| tps[i]).collect();
        thr = keep.iter().map(|&i| thr[i]).collect();
    }
    let (p, n) = (*tps.last().unwrap_or(&0.0), *fps.last().unwrap_or(&0.0));
    let mut curve = RocCurve { fpr: vec![0.0], tpr: vec![0.0], thresholds: vec![f64::INFINITY] };
    curve.fpr.extend(fps.iter().map(|f| f / n));
    curve.tpr.extend(tps.iter().map(|t| t / p));
    curve.thresholds.extend(thr);
    Ok(curve)
}

impl RocCurve {
    /// Area under the curve by the trapezoidal rule; exact for ties (a tie
    /// between a normal and an attack counts one half).
    pub fn auc(&self) -> f64 {
        trapezoid(&self.fpr, &self.tpr)
    }

    /// At most about `max_points` points, keeping the ends and the shape (for charts
    /// and messages; never for computing the area).
    pub fn thinned(&self, max_points: usize) -> RocCurve {
        let keep = thin(&self.fpr, &self.tpr, max_points);
        RocCurve {
            fpr: keep.iter().map(|&i| self.fpr[i]).collect(),
            tpr: keep.iter().map(|&i| self.tpr[i]).collect(),
            thresholds: keep.iter().map(|&i| self.thresholds[i]).collect(),
        }
    }
}

fn trapezoid(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2).zip(y.windows(2)).map(|(x, y)| (x[1] - x[0]) * (y[0] + y[1]) / 2.0).sum()
}

/// Indices of points spaced at least `1/max_points` of the path length apart, ends kept.
fn thin(x: &[f64], y: &[f64], max_points: usize) -> Vec<usize> {
    let n = x.len();
    if n <= max_points.max(2) {
        return (0..n).collect();
    }
    let total: f64 = (1..n).map(|i| (x[i] - x[i - 1]).hypot(y[i] - y[i - 1])).sum();
    let step = total / max_points as f64;
    let mut keep = vec![0];
    let mut since = 0.0;
    for i in 1..n - 1 {
        since += (x[i] - x[i - 1]).hypot(y[i] - y[i - 1]);
        if since >= step {
            keep.push(i);
            since = 0.0;
        }
    }
    keep.push(n - 1);
    keep
}

/// Area under the ROC curve.
pub fn roc_auc(scores: &[f64], truth: &[bool]) -> Result<f64, MetricsError> {
    Ok(roc_curve(scores, truth, false)?.auc())
}

/// A precision–recall curve, recall decreasing, ending at (recall 0, precision 1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PrCurve {
    /// Precision per point.
    pub precision: Vec<f64>,
    /// Recall per point.
    pub recall: Vec<f64>,
    /// Score threshold per point (one fewer than points, as scikit-learn).
    #[serde(default)]
    pub thresholds: Vec<f64>,
}

/// The precision–recall curve (scikit-learn's `precision_recall_curve`).
pub fn pr_curve(scores: &[f64], truth: &[bool]) -> Result<PrCurve, MetricsError> {
    check(scores, truth)?;
    let (fps, tps, thr) = clf_curve(scores, truth);
    let p = *tps.last().unwrap_or(&1.0);
    let mut curve = PrCurve::default();
    for i in (0..tps.len()).rev() {
        let flagged = tps[i] + fps[i];
        curve.precision.push(if flagged > 0.0 { tps[i] / flagged } else { 0.0 });
        curve.recall.push(tps[i] / p);
        curve.thresholds.push(thr[i]);
    }
    curve.precision.push(1.0);
    curve.recall.push(0.0);
    Ok(curve)
}

impl PrCurve {
    /// Average precision: `Σ (R_k − R_{k−1}) P_k` (scikit-learn's
    /// `average_precision_score`, no interpolation).
    pub fn average_precision(&self) -> f64 {
        (0..self.recall.len().saturating_sub(1))
            .map(|i| (self.recall[i] - self.recall[i + 1]) * self.precision[i])
            .sum()
    }

    /// At most about `max_points` points (for charts).
    pub fn thinned(&self, max_points: usize) -> PrCurve {
        let keep = thin(&self.recall, &self.precision, max_points);
        PrCurve {
            precision: keep.iter().map(|&i| self.precision[i]).collect(),
            recall: keep.iter().map(|&i| self.recall[i]).collect(),
            thresholds: keep.iter().filter_map(|&i| self.thresholds.get(i).copied()).collect(),
        }
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
    pub category: Category,
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
            category: crate::data::labels::category(n),
            total,
            flagged,
            rate: ratio(flagged, total),
        })
        .collect();
    by_label.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let by_category = Category::ALL
        .iter()
        .filter_map(|&c| {
            let (total, flagged) =
                by_label.iter().filter(|d| d.category == c).fold((0, 0), |(t, f), d| (t + d.total, f + d.flagged));
            (total > 0).then(|| Detected {
                name: c.name().into(),
                category: c,
                total,
                flagged,
                rate: ratio(flagged, total),
            })
        })
        .collect();
    (by_label, by_category)
}

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
        let above = |v: &[f64]| (v.len() - v.partition_point(|&s| s <= threshold)) as u64;
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
    let labels = rows.labels().map(|l| (l, crate::data::labels::attack_flags(&l.names)));
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

/// Everything measured for one model on one test set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Evaluation {
    /// Model name (`if`, `dense`, …).
    pub model: String,
    /// Test set name.
    pub test_set: String,
    /// Rows scored.
    pub rows: u64,
    /// Normal rows among them.
    pub normals: u64,
    /// Attack rows among them.
    pub attacks: u64,
    /// Area under the ROC curve.
    pub roc_auc: f64,
    /// Average precision (area under the precision–recall curve).
    pub average_precision: f64,
    /// Decision threshold on the score.
    pub threshold: f64,
    /// Counts at the threshold.
    pub confusion: Confusion,
    /// Precision at the threshold.
    pub precision: f64,
    /// Recall at the threshold.
    pub recall: f64,
    /// F1 at the threshold.
    pub f1: f64,
    /// Accuracy at the threshold.
    pub accuracy: f64,
    /// Flagged per category.
    pub by_category: Vec<Detected>,
    /// Flagged per label.
    pub by_label: Vec<Detected>,
    /// ROC curve, thinned for drawing.
    pub roc: RocCurve,
    /// Precision–recall curve, thinned for drawing.
    pub pr: PrCurve,
}

/// Points kept in the curves an [`Evaluation`] carries.
pub const CURVE_POINTS: usize = 400;

/// Evaluate scores of `subset` at `threshold`.
pub fn evaluate(model: &str, rows: &dyn Rows, scores: &[f64], threshold: f64) -> Result<Evaluation, MetricsError> {
    let truth = rows.truth().ok_or(MetricsError::Unlabelled)?;
    let roc = roc_curve(scores, &truth, true)?;
    let pr = pr_curve(scores, &truth)?;
    let confusion = Confusion::at(scores, &truth, threshold);
    let (by_label, by_category) = detected_by_label(rows, scores, threshold);
    let attacks = truth.iter().filter(|&&t| t).count() as u64;
    Ok(Evaluation {
        model: model.into(),
        test_set: rows.name().to_string(),
        rows: truth.len() as u64,
        normals: truth.len() as u64 - attacks,
        attacks,
        roc_auc: roc.auc(),
        average_precision: pr.average_precision(),
        threshold,
        precision: confusion.precision(),
        recall: confusion.recall(),
        f1: confusion.f1(),
        accuracy: confusion.accuracy(),
        confusion,
        by_category,
        by_label,
        roc: roc.thinned(CURVE_POINTS),
        pr: pr.thinned(CURVE_POINTS),
    })
}

/// The results table across models and test sets, in Markdown, like the reference
/// projects' summary tables.
pub fn results_table(evaluations: &[Evaluation]) -> String {
    let mut out = String::from(
        "| Model | Test set | ROC AUC | Avg precision | F1 | Precision | Recall | Accuracy |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for e in evaluations {
        out.push_str(&format!(
            "| {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |\n",
            e.model, e.test_set, e.roc_auc, e.average_precision, e.f1, e.precision, e.recall, e.accuracy
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rank lookups over the two sorted classes equal those over one merged, sorted
    /// list (ties, an empty class, both ends), as the slider had them before.
    #[test]
    fn ranks_over_both_classes_equal_the_merged_list() {
        let mut rng = crate::rng::Rng::new(7);
        for (n_normal, n_attack) in [(0, 5), (5, 0), (1, 1), (37, 11), (200, 333)] {
            let scores: Vec<f64> = (0..n_normal + n_attack).map(|_| (rng.next_f64() * 20.0).round() / 4.0).collect();
            let truth: Vec<bool> = (0..scores.len()).map(|i| i >= n_normal).collect();
            let s = SortedScores::new(&scores, Some(&truth));
            let mut all = scores.clone();
            all.sort_by(f64::total_cmp);
            for (k, &v) in all.iter().enumerate() {
                assert_eq!(s.kth(k), v, "{n_normal}+{n_attack}: rank {k}");
            }
            for q in [0.0, 0.1, 0.37, 0.5, 0.95, 1.0] {
                let pos = q * (all.len() - 1) as f64;
                let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
                let want = all[lo] + (all[hi] - all[lo]) * (pos - lo as f64);
                assert_eq!(s.threshold_at(q), want);
            }
            for t in [-1.0, 0.0, 2.5, 4.75, 99.0] {
                let want = all.partition_point(|&x| x <= t) as f64 / all.len() as f64;
                assert_eq!(s.quantile_of(t), want);
            }
        }
        assert!(SortedScores::default().threshold_at(0.5).is_nan());
    }

    #[test]
    fn perfect_and_inverted_and_tied_scores() {
        let truth = [false, false, true, true];
        assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &truth).unwrap(), 1.0);
        assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &truth).unwrap(), 0.0);
        assert_eq!(roc_auc(&[0.5; 4], &truth).unwrap(), 0.5);
        assert!(matches!(roc_auc(&[0.1, 0.2], &[false, false]), Err(MetricsError::OneClass(_))));
        assert!(matches!(roc_auc(&[f64::NAN, 0.2], &[false, true]), Err(MetricsError::NonFinite { .. })));
    }

    #[test]
    fn confusion_flags_strictly_above() {
        let c = Confusion::at(&[0.1, 0.5, 0.5, 0.9], &[false, false, true, true], 0.5);
        assert_eq!(c, Confusion { tn: 2, fp: 0, fn_: 1, tp: 1 });
        assert_eq!(c.precision(), 1.0);
        assert_eq!(c.recall(), 0.5);
        assert_eq!(c.accuracy(), 0.75);
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(Confusion::default().precision(), 0.0);
    }

    #[test]
    fn histogram_counts_every_row() {
        let h = histogram(&[0.0, 0.5, 1.0, 1.0], Some(&[false, true, true, false]), 0.7, 4, false);
        assert_eq!(h.normal.iter().sum::<u64>(), 2);
        assert_eq!(h.attack.iter().sum::<u64>(), 2);
        assert_eq!(h.edges.len(), 5);
        assert_eq!(h.normal[3], 1);
        // Log bins: 0.001 .. 1000 in 6 bins of one decade each; 0 goes to the first.
        let h = histogram(&[0.001, 0.05, 0.5, 5.0, 1000.0, 0.0], None, 1.0, 6, true);
        assert_eq!(h.attack, vec![2, 1, 1, 1, 0, 1]);
        assert!((h.edges[1] - 0.01).abs() < 1e-12, "{:?}", h.edges);
        assert!((h.edges[6] - 1000.0).abs() < 1e-9, "{:?}", h.edges);
    }

    #[test]
    fn sorted_scores_agree_with_a_full_count() {
        let scores = [0.1, 0.5, 0.5, 0.9, 0.3, 0.7, 0.5];
        let truth = [false, false, true, true, false, true, true];
        let sorted = SortedScores::new(&scores, Some(&truth));
        for t in [-1.0, 0.1, 0.3, 0.5, 0.6, 0.9, 2.0] {
            assert_eq!(sorted.confusion_at(t), Confusion::at(&scores, &truth, t), "threshold {t}");
        }
    }

    #[test]
    fn thinning_keeps_ends() {
        let x: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
        let keep = thin(&x, &x, 50);
        assert!(keep.len() <= 52 && keep.len() >= 40, "{}", keep.len());
        assert_eq!(keep[0], 0);
        assert_eq!(*keep.last().unwrap(), 1000);
    }
}
