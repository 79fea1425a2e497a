//! Metrics checked against scikit-learn 1.9.1. The expected values were printed by
//! `python3 tests/sklearn/reference.py`, which builds the same inputs with the same
//! integer formulas as `inputs()` below.

use netanomaly::detect::percentile;
use netanomaly::metrics::{pr_curve, roc_auc, roc_curve, Confusion};

/// 60 rows, 13 score levels (plus an offset for some), ties across both classes.
fn inputs() -> (Vec<f64>, Vec<bool>) {
    let scores =
        (0..60).map(|i: i64| ((i * 37) % 13) as f64 / 12.0 + if (i * 7) % 5 == 0 { 0.25 } else { 0.0 }).collect();
    let labels = (0..60).map(|i: i64| ((i * 11) % 9 < 4) != (i % 13 == 0)).collect();
    (scores, labels)
}

fn assert_close(actual: &[f64], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length\n actual   {actual:?}\n expected {expected:?}");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let same = a == e || (a - e).abs() < 1e-12;
        assert!(same, "{what}[{i}]: {a} != {e}\n actual   {actual:?}\n expected {expected:?}");
    }
}

#[test]
fn roc_auc_matches_sklearn() {
    let (s, y) = inputs();
    assert!((roc_auc(&s, &y).unwrap() - 0.457_777_777_777_777_73).abs() < 1e-12);
}

#[test]
fn roc_curve_with_dropped_points_matches_sklearn() {
    let (s, y) = inputs();
    let c = roc_curve(&s, &y, true).unwrap();
    #[rustfmt::skip]
    let fpr = [0.0, 0.03333333333333333, 0.06666666666666667, 0.1, 0.16666666666666666, 0.3, 0.3333333333333333, 0.36666666666666664, 0.43333333333333335, 0.5333333333333333, 0.5333333333333333, 0.5666666666666667, 0.7, 0.7333333333333333, 0.7666666666666667, 0.9, 0.9666666666666667, 1.0, 1.0];
    #[rustfmt::skip]
    let tpr = [0.0, 0.0, 0.0, 0.13333333333333333, 0.23333333333333334, 0.26666666666666666, 0.4, 0.4, 0.43333333333333335, 0.4666666666666667, 0.5, 0.6, 0.6, 0.6, 0.7, 0.7333333333333333, 0.7666666666666667, 0.8666666666666667, 1.0];
    #[rustfmt::skip]
    let thresholds = [f64::INFINITY, 1.25, 1.1666666666666665, 1.0, 0.9166666666666666, 0.8333333333333334, 0.75, 0.6666666666666667, 0.6666666666666666, 0.5833333333333334, 0.5833333333333333, 0.5, 0.4166666666666667, 0.41666666666666663, 0.3333333333333333, 0.25, 0.16666666666666666, 0.08333333333333333, 0.0];
    assert_close(&c.fpr, &fpr, "fpr");
    assert_close(&c.tpr, &tpr, "tpr");
    assert_close(&c.thresholds, &thresholds, "thresholds");
    // Dropping collinear points leaves the area unchanged.
    assert!((c.auc() - roc_curve(&s, &y, false).unwrap().auc()).abs() < 1e-12);
}

#[test]
fn precision_recall_and_average_precision_match_sklearn() {
    let (s, y) = inputs();
    let c = pr_curve(&s, &y).unwrap();
    #[rustfmt::skip]
    let precision = [0.5, 0.4642857142857143, 0.4423076923076923, 0.4489795918367347, 0.4772727272727273, 0.45, 0.46153846153846156, 0.5142857142857142, 0.4838709677419355, 0.4666666666666667, 0.5, 0.5217391304347826, 0.5454545454545454, 0.47058823529411764, 0.5833333333333334, 0.5714285714285714, 0.0, 0.0, 1.0];
    #[rustfmt::skip]
    let recall = [1.0, 0.8666666666666667, 0.7666666666666667, 0.7333333333333333, 0.7, 0.6, 0.6, 0.6, 0.5, 0.4666666666666667, 0.43333333333333335, 0.4, 0.4, 0.26666666666666666, 0.23333333333333334, 0.13333333333333333, 0.0, 0.0, 0.0];
    assert_close(&c.precision, &precision, "precision");
    assert_close(&c.recall, &recall, "recall");
    assert!((c.average_precision() - 0.513_249_269_630_402_7).abs() < 1e-12);
}

#[test]
fn confusion_and_scores_at_threshold_match_sklearn() {
    let (s, y) = inputs();
    let c = Confusion::at(&s, &y, 0.5);
    assert_eq!((c.tn, c.fp, c.fn_, c.tp), (14, 16, 15, 15));
    assert!((c.precision() - 0.483_870_967_741_935_5).abs() < 1e-12);
    assert!((c.recall() - 0.5).abs() < 1e-12);
    assert!((c.f1() - 0.491_803_278_688_524_6).abs() < 1e-12);
    assert!((c.accuracy() - 0.483_333_333_333_333_34).abs() < 1e-12);
}

#[test]
fn percentile_matches_numpy() {
    let (s, _) = inputs();
    let got: Vec<f64> = [0.0, 5.0, 50.0, 95.0, 100.0].iter().map(|&p| percentile(&s, p)).collect();
    assert_close(&got, &[0.0, 0.0, 0.5833333333333333, 1.0, 1.25], "percentile");
}
