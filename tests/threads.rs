//! Every core, the same numbers: on the real KDD99 10% hold-out, the Isolation Forest
//! and the autoencoders fitted and scored in rayon pools of 1, 2 and 4 threads give
//! bit-identical models and scores for the same seed.

mod common;

use netanomaly::data::{protocol, Rows};
use netanomaly::detect::{Control, Detector, ModelKind};
use netanomaly::metrics::roc_auc;
use netanomaly::model_file::Model;
use netanomaly::pipeline::{self, TrainSettings};

/// Run `f` in a fresh pool of `n` threads.
fn with_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("thread pool");
    assert_eq!(pool.current_num_threads(), n);
    pool.install(f)
}

/// Train `settings` on the hold-out's training normals and score its test rows, in a
/// pool of `n` threads: what was fitted (as bytes) and the scores.
fn fit_and_score(settings: &TrainSettings, split: &protocol::Split<'_>, n: usize) -> (Vec<u8>, Vec<f64>) {
    with_threads(n, || {
        let mut model: Model =
            pipeline::train(settings, &split.train, "kdd10-holdout", &mut |_| Control::Continue).expect("train");
        let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).expect("score");
        let fitted = match &mut model.detector {
            Detector::Forest(f) => f.to_bytes(),
            // burn's records carry random parameter ids, and the history the wall time:
            // compare the losses, the threshold and (through the scores) the weights.
            Detector::Autoencoder(a) => {
                for e in &mut a.history.epochs {
                    (e.seconds, e.samples_per_sec) = (0.0, 0.0);
                }
                format!("{:?} {}", a.history, a.threshold.to_bits()).into_bytes()
            }
        };
        let header = serde_json::to_vec(&model.header).expect("header");
        ([header, fitted].concat(), scores)
    })
}

/// The same model and the same scores (bit for bit) whatever the thread count.
fn same_for_1_2_and_4_threads(settings: &TrainSettings, split: &protocol::Split<'_>) -> Vec<f64> {
    let (bytes, scores) = fit_and_score(settings, split, 1);
    assert_eq!(scores.len(), split.tests[0].len());
    for n in [2, 4] {
        let (b, s) = fit_and_score(settings, split, n);
        assert!(b == bytes, "{:?}: the fitted model differs with {n} threads", settings.kind);
        let differ = s.iter().zip(&scores).filter(|(a, b)| a.to_bits() != b.to_bits()).count();
        assert_eq!(differ, 0, "{:?}: {differ} scores differ with {n} threads", settings.kind);
    }
    scores
}

#[test]
fn forest_fit_and_scores_do_not_depend_on_the_thread_count() {
    let split = protocol::holdout(common::kdd10(), 0.8, 42).unwrap();
    let scores = same_for_1_2_and_4_threads(&TrainSettings::default(), &split);
    let auc = roc_auc(&scores, &split.tests[0].truth().unwrap()).unwrap();
    eprintln!("IF kdd10-holdout ROC AUC {auc:.6} with 1, 2 and 4 threads");
    assert!(auc >= 0.96, "{auc}");
    // Another seed gives another forest: the per-tree streams follow the seed.
    let mut other = TrainSettings::default();
    other.forest.seed = 7;
    assert_ne!(fit_and_score(&other, &split, 2).1, scores);
}

#[test]
fn autoencoder_scores_do_not_depend_on_the_thread_count() {
    // A small training budget (the 10% set's normals, few epochs of the hold-out's
    // training rows) keeps the test short; scoring covers all 416k test rows.
    let split = protocol::holdout(common::kdd10(), 0.8, 42).unwrap();
    for (kind, seq_len) in [(ModelKind::Dense, 1), (ModelKind::Lstm, 1), (ModelKind::Lstm, 3)] {
        let mut settings = TrainSettings::new(kind);
        settings.autoencoder.train.epochs = if kind == ModelKind::Dense { 2 } else { 1 };
        settings.autoencoder.seq_len = seq_len;
        let scores = same_for_1_2_and_4_threads(&settings, &split);
        let auc = roc_auc(&scores, &split.tests[0].truth().unwrap()).unwrap();
        eprintln!("{kind} (seq {seq_len}) kdd10-holdout ROC AUC {auc:.6} with 1, 2 and 4 threads");
        assert!(auc > 0.9, "{kind} seq {seq_len}: {auc}");
    }
}
