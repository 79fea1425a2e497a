//! Metrics: ROC and precision–recall curves (tie-aware, as scikit-learn computes
//! them), AUC and average precision, the confusion matrix at a threshold and what
//! follows from it, recall per attack label and category, histograms, and the
//! Markdown results table.

mod counts;
mod curves;
mod scores;

pub use counts::{detected_by_label, Confusion, Detected, TrueRatio};
pub use curves::{pr_curve, roc_auc, roc_curve, PrCurve, RocCurve};
pub use scores::{histogram, predictions_csv, predictions_csv_part, Histogram, SortedScores};

use serde::{Deserialize, Serialize};

use crate::data::Rows;

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

/// The one class a labelled set holds, when it holds only one (`"normal"` or `"attack"`).
pub fn only_class(truth: &[bool]) -> Option<&'static str> {
    match truth.iter().filter(|&&t| t).count() {
        0 => Some("normal"),
        n if n == truth.len() => Some("attack"),
        _ => None,
    }
}

/// Said before a run when the labelled test set `name` (its attack flags `truth`) has
/// one class only: it is scored and its histogram drawn, but ROC and precision-recall
/// cannot be computed on it.
pub fn one_class_notice(name: &str, truth: &[bool]) -> Option<String> {
    let missing = match only_class(truth)? {
        "normal" => "attack",
        _ => "normal",
    };
    Some(format!(
        "the test set {name} has no {missing} rows: the models train and score it, but ROC and precision-recall \
         need both normal and attack rows (add a test file that has {missing} rows)"
    ))
}

fn check(scores: &[f64], truth: &[bool]) -> Result<(), MetricsError> {
    if scores.len() != truth.len() {
        return Err(MetricsError::Length { scores: scores.len(), labels: truth.len() });
    }
    if let Some((index, &value)) = scores.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(MetricsError::NonFinite { index, value });
    }
    only_class(truth).map_or(Ok(()), |class| Err(MetricsError::OneClass(class)))
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
    /// Rows of the expected class among them: normal rows (attack rows under `kddcup`).
    pub normals: u64,
    /// Rows of the anomaly class among them: attack rows (normal rows under `kddcup`).
    pub attacks: u64,
    /// Whether the normal rows are the anomaly class (`kddcup`).
    #[serde(default)]
    pub normal_is_anomaly: bool,
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
    /// F1 and its counts at the threshold that flags the true anomaly share, as the
    /// papers on KDDCUP report it.
    pub true_ratio: TrueRatio,
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
    // One sort for both curves; each full-length curve is dropped once thinned.
    let counts = curves::Counts::of(scores, &truth)?;
    let pr = curves::pr_of(&counts);
    let (average_precision, pr) = (pr.average_precision(), pr.thinned(CURVE_POINTS));
    let roc = curves::roc_of(counts, true);
    let (roc_auc, roc) = (roc.auc(), roc.thinned(CURVE_POINTS));
    let confusion = Confusion::at(scores, &truth, threshold);
    let true_ratio = TrueRatio::of(&SortedScores::new(scores, Some(&truth)));
    let (by_label, by_category) = detected_by_label(rows, scores, threshold);
    let attacks = truth.iter().filter(|&&t| t).count() as u64;
    Ok(Evaluation {
        model: model.into(),
        test_set: rows.name().to_string(),
        rows: truth.len() as u64,
        normals: truth.len() as u64 - attacks,
        attacks,
        normal_is_anomaly: rows.normal_is_anomaly(),
        roc_auc,
        average_precision,
        threshold,
        precision: confusion.precision(),
        recall: confusion.recall(),
        f1: confusion.f1(),
        accuracy: confusion.accuracy(),
        true_ratio,
        confusion,
        by_category,
        by_label,
        roc,
        pr,
    })
}

/// The results table across models and test sets, in Markdown, like the reference
/// projects' summary tables.
pub fn results_table(evaluations: &[Evaluation]) -> String {
    let mut out = String::from(
        "| Model | Test set | ROC AUC | Avg precision | F1 | Precision | Recall | Accuracy | F1 at true ratio |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for e in evaluations {
        out.push_str(&format!(
            "| {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |\n",
            e.model,
            e.test_set,
            e.roc_auc,
            e.average_precision,
            e.f1,
            e.precision,
            e.recall,
            e.accuracy,
            e.true_ratio.f1
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::curves::thin;
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

    /// The papers' F1: the threshold is numpy's percentile at the normal share, and
    /// every row tied at it is flagged (`>=`), counted against a direct count.
    #[test]
    fn f1_at_the_true_ratio_flags_ties_at_the_threshold() {
        // 6 normals of 10: percentile 60 of 10 sorted scores is position 5.4.
        let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.9, 1.0];
        let truth = [false, false, false, false, false, true, false, true, true, true];
        let r = TrueRatio::of(&SortedScores::new(&scores, Some(&truth)));
        assert!((r.threshold - 0.6).abs() < 1e-12, "{}", r.threshold);
        // Flagged: the three 0.6s (one normal), 0.9 and 1.0: tp 4, fp 1, fn 0.
        assert_eq!(r.confusion, Confusion { tn: 5, fp: 1, fn_: 0, tp: 4 });
        assert!((r.f1 - 8.0 / 9.0).abs() < 1e-12);
        // Between ranks: 3 normals of 4 is position 2.25, so 0.35 + 0.25 * 0.65; only
        // the normal 1.0 is flagged.
        let r = TrueRatio::of(&SortedScores::new(&[0.0, 0.25, 0.35, 1.0], Some(&[false, false, true, false])));
        assert!((r.threshold - 0.5125).abs() < 1e-12, "{}", r.threshold);
        assert_eq!((r.confusion.tp, r.confusion.fp, r.f1), (0, 1, 0.0));
        let mut rng = crate::rng::Rng::new(3);
        for n in [2usize, 7, 64, 301] {
            let scores: Vec<f64> = (0..n).map(|_| (rng.next_f64() * 8.0).round()).collect();
            let truth: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
            let r = TrueRatio::of(&SortedScores::new(&scores, Some(&truth)));
            let mut want = Confusion::default();
            for (&s, &t) in scores.iter().zip(&truth) {
                match (t, s >= r.threshold) {
                    (false, false) => want.tn += 1,
                    (false, true) => want.fp += 1,
                    (true, false) => want.fn_ += 1,
                    (true, true) => want.tp += 1,
                }
            }
            assert_eq!(r.confusion, want, "{n} rows");
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
