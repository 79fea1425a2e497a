//! The three autoencoders on the real data with a small training budget (CI keeps
//! its time), and the training loop's behaviour: the loss goes down, early stopping
//! stops and restores the best weights, the callback can cancel, the same seed gives
//! the same scores, a saved model reloads and scores identically.

mod common;

use netanomaly::data::Rows;
use netanomaly::data::{protocol, Split};
use netanomaly::detect::autoencoder::AeTraining;
use netanomaly::detect::train::StopReason;
use netanomaly::detect::{AeConfig, Autoencoder, Backend, Control, ModelKind, TrainConfig};
use netanomaly::metrics::roc_auc;
use netanomaly::model_file::Model;
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::prepare::{Features, Preparation, PrepareConfig};

fn nsl() -> Split<'static> {
    protocol::train_test(common::nsl_train(), &[("test+", common::nsl_test())]).unwrap()
}

fn settings(kind: ModelKind, epochs: usize) -> TrainSettings {
    let mut s = TrainSettings::new(kind);
    s.autoencoder.train.epochs = epochs;
    s
}

fn auc_of(split: &Split<'_>, s: &TrainSettings) -> (f64, Model) {
    let model = pipeline::train(s, &split.train, "test", &mut |_| Control::Continue).unwrap();
    let t = &split.tests[0];
    let scores = pipeline::score(&model, t, &mut |_, _| {}).unwrap();
    (roc_auc(&scores, &t.truth().unwrap()).unwrap(), model)
}

/// The first `n` prepared NSL training normals.
fn small_train(n: usize) -> Features {
    let split = nsl();
    let prep = Preparation::fit(PrepareConfig::default(), &split.train).unwrap();
    let x = prep.transform(&split.train);
    Features { rows: n, cols: x.cols, data: x.data[..n * x.cols].to_vec() }
}

#[test]
fn every_autoencoder_learns_nsl_within_a_small_budget() {
    let split = nsl();
    for (kind, epochs, floor) in [(ModelKind::Dense, 10, 0.94), (ModelKind::Lstm, 4, 0.94), (ModelKind::Deep, 3, 0.94)]
    {
        let (auc, model) = auc_of(&split, &settings(kind, epochs));
        let h = model.detector.history().unwrap();
        eprintln!("{kind}: NSL Test+ ROC AUC {auc:.4} after {} epochs ({:?})", h.epochs.len(), h.stop);
        assert!(auc >= floor, "{kind}: AUC {auc}");
        let first = h.epochs.first().unwrap().train_loss;
        let last = h.epochs.last().unwrap().train_loss;
        assert!(last < first, "{kind}: training loss did not go down ({first} -> {last})");
        assert!(h.epochs.iter().all(|e| e.val_loss.is_some()), "validation loss every epoch");
    }
}

#[test]
fn early_stopping_stops_and_restores_the_best_epoch() {
    let x = small_train(4_000);
    // Demand an improvement no epoch can make: training must stop after `patience` epochs.
    let config = AeConfig {
        train: TrainConfig { epochs: 50, patience: 2, min_delta: 10.0, ..Default::default() },
        ..AeConfig::new(ModelKind::Dense)
    };
    let ae = Autoencoder::fit(config, &x, Backend::Flex, &mut |_| Control::Continue).unwrap();
    assert_eq!(ae.history.stop, StopReason::EarlyStopped);
    assert_eq!(ae.history.epochs.len(), 3);
    assert_eq!(ae.history.best_epoch, 1);
    // The kept weights are epoch 1's: their validation error is epoch 1's.
    let one_epoch = Autoencoder::fit(
        AeConfig { train: TrainConfig { epochs: 1, ..config.train }, ..config },
        &x,
        Backend::Flex,
        &mut |_| Control::Continue,
    )
    .unwrap();
    assert_eq!(ae.score(&x).unwrap(), one_epoch.score(&x).unwrap());
}

#[test]
fn the_callback_can_cancel_and_sees_every_batch() {
    let x = small_train(3_000);
    let config = AeConfig {
        train: TrainConfig { epochs: 5, batch_size: 100, ..Default::default() },
        ..AeConfig::new(ModelKind::Lstm)
    };
    let mut reports = Vec::new();
    let ae = Autoencoder::fit(config, &x, Backend::Flex, &mut |p| {
        reports.push(*p);
        if p.epoch == 2 && p.batch == 5 {
            Control::Stop
        } else {
            Control::Continue
        }
    })
    .unwrap();
    assert_eq!(ae.history.stop, StopReason::Cancelled);
    assert_eq!(ae.history.epochs.len(), 1, "epoch 2 never finished");
    // 2,700 training windows (10% validation) in batches of 100: 27 batches, then the epoch report.
    assert_eq!(reports.iter().filter(|p| p.epoch == 1 && !p.epoch_done).count(), 27);
    assert!(reports.iter().any(|p| p.epoch == 1 && p.epoch_done && p.val_loss.is_some()));
    assert!(reports.iter().all(|p| p.samples_per_sec > 0.0 && p.train_loss.is_finite()));
    assert!(ae.score(&x).unwrap().iter().all(|s| s.is_finite()));
}

#[test]
fn training_a_few_batches_at_a_time_gives_the_whole_epochs_weights() {
    // The page trains 32 batches a call, the CLI whole epochs, and the pool runs up to
    // 32 batches in one go: where the calls and the groups are cut must not matter.
    let x = small_train(3_000);
    for kind in [ModelKind::Dense, ModelKind::Lstm] {
        let config =
            AeConfig { train: TrainConfig { epochs: 2, batch_size: 50, ..Default::default() }, ..AeConfig::new(kind) };
        let whole = Autoencoder::fit(config, &x, Backend::Flex, &mut |_| Control::Continue).unwrap();
        let mut training = AeTraining::new(config, x.clone(), Backend::Flex).unwrap();
        let mut reports = 0;
        while training
            .run_batches(7, &mut |_| {
                reports += 1;
                Control::Continue
            })
            .unwrap()
            .more
        {}
        // 2,700 training windows in batches of 50: 54 batch reports and an epoch report, twice.
        assert_eq!(reports, 2 * 55, "{kind}");
        let stepped = training.finish().unwrap();
        assert_eq!(stepped.history.epochs.len(), 2);
        assert_eq!(stepped.score(&x).unwrap(), whole.score(&x).unwrap(), "{kind}");
    }
}

#[test]
fn errors_between_epochs_are_the_current_weights_errors() {
    // The page's between-epoch histogram scores on the trainer's own weights: after the
    // last epoch they are the finished model's, so the errors must be its scores.
    let x = small_train(2_000);
    for kind in [ModelKind::Dense, ModelKind::Lstm, ModelKind::Deep] {
        let config = AeConfig { train: TrainConfig { epochs: 1, ..Default::default() }, ..AeConfig::new(kind) };
        let mut training = AeTraining::new(config, x.clone(), Backend::Flex).unwrap();
        while training.run_epoch(&mut |_| Control::Continue).unwrap() {}
        let between = training.current_errors(&x).unwrap();
        let narrow = Features { rows: 1, cols: x.cols - 1, data: vec![0.0; x.cols - 1] };
        assert!(training.current_errors(&narrow).is_err(), "{kind}: a narrower row is an error");
        assert_eq!(between, training.finish().unwrap().score(&x).unwrap(), "{kind}");
    }
}

#[test]
fn same_seed_same_scores_and_saved_models_reload_identically() {
    let split = nsl();
    for kind in [ModelKind::Dense, ModelKind::Lstm, ModelKind::Deep] {
        let mut s = settings(kind, 1);
        s.autoencoder.train.seed = 7;
        let a = pipeline::train(&s, &split.train, "nsl", &mut |_| Control::Continue).unwrap();
        let b = pipeline::train(&s, &split.train, "nsl", &mut |_| Control::Continue).unwrap();
        let scores = pipeline::score(&a, &split.tests[0], &mut |_, _| {}).unwrap();
        assert_eq!(scores, pipeline::score(&b, &split.tests[0], &mut |_, _| {}).unwrap(), "{kind}: same seed");
        s.autoencoder.train.seed = 8;
        let c = pipeline::train(&s, &split.train, "nsl", &mut |_| Control::Continue).unwrap();
        assert_ne!(scores, pipeline::score(&c, &split.tests[0], &mut |_, _| {}).unwrap(), "{kind}: other seed");

        let bytes = a.to_bytes().unwrap();
        eprintln!("{kind}: model file {} bytes", bytes.len());
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.header.kind, kind);
        assert_eq!(back.header.threshold, a.header.threshold);
        assert_eq!(pipeline::score(&back, &split.tests[0], &mut |_, _| {}).unwrap(), scores, "{kind}: reloaded");
        // A damaged payload is an error, not a panic.
        let mut broken = bytes.clone();
        let n = broken.len();
        broken.truncate(n - 100);
        assert!(Model::from_bytes(&broken).is_err());
    }
}

#[test]
fn windows_of_several_records_train_and_score_every_row() {
    let x = small_train(2_000);
    let config = AeConfig {
        seq_len: 5,
        train: TrainConfig { epochs: 1, ..Default::default() },
        ..AeConfig::new(ModelKind::Lstm)
    };
    let ae = Autoencoder::fit(config, &x, Backend::Flex, &mut |_| Control::Continue).unwrap();
    let scores = ae.score(&x).unwrap();
    assert_eq!(scores.len(), 2_000);
    assert!(scores.iter().all(|s| s.is_finite() && *s >= 0.0));
}

#[test]
fn absurd_settings_are_named_errors() {
    let x = small_train(100);
    for (config, text) in [
        (AeConfig { seq_len: 0, ..AeConfig::new(ModelKind::Lstm) }, "sequence length"),
        (AeConfig { lstm_hidden: 0, ..AeConfig::new(ModelKind::Lstm) }, "hidden size"),
        (
            AeConfig {
                train: TrainConfig { learning_rate: -1.0, ..Default::default() },
                ..AeConfig::new(ModelKind::Dense)
            },
            "learning rate",
        ),
        (
            AeConfig { train: TrainConfig { epochs: 0, ..Default::default() }, ..AeConfig::new(ModelKind::Deep) },
            "epochs",
        ),
        (
            AeConfig { train: TrainConfig { batch_size: 0, ..Default::default() }, ..AeConfig::new(ModelKind::Dense) },
            "batch size",
        ),
        (AeConfig::new(ModelKind::If), "not an autoencoder"),
    ] {
        let e = Autoencoder::fit(config, &x, Backend::Flex, &mut |_| Control::Continue).unwrap_err();
        assert!(e.to_string().contains(text), "{e}");
    }
    // A learning rate far too high diverges into a named error or trains; never a panic.
    let wild = AeConfig {
        train: TrainConfig { learning_rate: 1.0, epochs: 2, ..Default::default() },
        ..AeConfig::new(ModelKind::Dense)
    };
    if let Err(e) = Autoencoder::fit(wild, &x, Backend::Flex, &mut |_| Control::Continue) {
        assert!(e.to_string().contains("diverged"), "{e}");
    }
}

/// With the `ndarray` feature (as `scripts/test.sh` builds), both backends train the
/// same network from the same initial weights to nearly the same scores.
#[cfg(feature = "ndarray")]
#[test]
fn flex_and_ndarray_backends_agree() {
    let x = small_train(3_000);
    for kind in [ModelKind::Dense, ModelKind::Lstm] {
        let config = AeConfig { train: TrainConfig { epochs: 2, ..Default::default() }, ..AeConfig::new(kind) };
        let flex = Autoencoder::fit(config, &x, Backend::Flex, &mut |_| Control::Continue).unwrap();
        let nd = Autoencoder::fit(config, &x, Backend::NdArray, &mut |_| Control::Continue).unwrap();
        let (a, b) = (flex.score(&x).unwrap(), nd.score(&x).unwrap());
        let worst = a.iter().zip(&b).map(|(p, q)| (p - q).abs() / p.abs().max(1e-3)).fold(0.0, f64::max);
        assert!(worst < 0.05, "{kind}: relative score difference up to {worst}");
    }
}

#[cfg(not(feature = "ndarray"))]
#[test]
fn ndarray_backend_is_refused_without_its_feature() {
    let x = small_train(100);
    let e = Autoencoder::fit(AeConfig::new(ModelKind::Dense), &x, Backend::NdArray, &mut |_| Control::Continue)
        .unwrap_err();
    assert!(e.to_string().contains("--features ndarray"), "{e}");
}
