//! ROC and precision–recall curves, tie-aware as scikit-learn computes them, with
//! their areas (AUC, average precision) and thinning for drawing.

use serde::{Deserialize, Serialize};

use super::{check, MetricsError};

/// False and true positive counts at every distinct score, highest score first
/// (scikit-learn's `_binary_clf_curve`): at `thresholds[i]`, rows scoring
/// `>= thresholds[i]` are flagged. Both curves are read off one of these, so an
/// evaluation sorts the scores once.
pub(super) struct Counts {
    fps: Vec<f64>,
    tps: Vec<f64>,
    thresholds: Vec<f64>,
}

impl Counts {
    pub(super) fn of(scores: &[f64], truth: &[bool]) -> Result<Counts, MetricsError> {
        check(scores, truth)?;
        let (fps, tps, thresholds) = clf_curve(scores, truth);
        Ok(Counts { fps, tps, thresholds })
    }
}

fn clf_curve(scores: &[f64], truth: &[bool]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    // u32 indices: half the memory of usize natively (a test set has < 2^32 rows).
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]));
    let (mut fps, mut tps, mut thresholds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut fp, mut tp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        let i = i as usize;
        if truth[i] {
            tp += 1.0
        } else {
            fp += 1.0
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| scores[j as usize] != scores[i]);
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
    Ok(roc_of(Counts::of(scores, truth)?, drop_intermediate))
}

pub(super) fn roc_of(counts: Counts, drop_intermediate: bool) -> RocCurve {
    let Counts { mut fps, mut tps, thresholds: mut thr } = counts;
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
    curve
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
pub(super) fn thin(x: &[f64], y: &[f64], max_points: usize) -> Vec<usize> {
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
    Ok(pr_of(&Counts::of(scores, truth)?))
}

pub(super) fn pr_of(counts: &Counts) -> PrCurve {
    let Counts { fps, tps, thresholds: thr } = counts;
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
    curve
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
