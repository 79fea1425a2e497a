//! The browser worker's session, natively: load, choose a protocol, train (an epoch
//! at a time, with cancel), load model files, views, threshold moves, exports — and
//! bad input that leaves earlier results in place.

use netanomaly::data::{synth, Format};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::metrics::Confusion;
use netanomaly::pipeline::TrainSettings;
use netanomaly::session::{ProtocolChoice, Session, Slot};

fn sample_session() -> Session {
    let mut s = Session::new();
    let summary = s.load_sample(5_000, 42).unwrap();
    assert!(summary.synthetic && summary.labelled);
    assert_eq!(summary.rows, 5_000);
    assert_eq!(summary.normals + summary.attacks, 5_000);
    s
}

fn train(s: &mut Session, kind: ModelKind, epochs: usize) -> netanomaly::session::ModelResult {
    let mut settings = TrainSettings::new(kind);
    settings.autoencoder.train.epochs = epochs;
    s.start_training(settings).unwrap();
    let mut reports = 0;
    loop {
        let r = s.train_epoch(&mut |_| Control::Continue, true).unwrap();
        reports += 1;
        if kind != ModelKind::If {
            assert_eq!(r.history.as_ref().unwrap().epochs.len(), reports);
            assert!(r.histogram.is_some(), "a histogram after every epoch when asked");
        }
        if r.done {
            break;
        }
    }
    s.finish_training(&mut |_, _| {}).unwrap()
}

#[test]
fn train_every_kind_and_get_views() {
    let mut s = sample_session();
    let split = s.set_protocol(ProtocolChoice::Holdout { train_fraction: 0.8, seed: 1 }).unwrap();
    assert_eq!(split.tests.len(), 1);
    for kind in ModelKind::ALL {
        let r = train(&mut s, kind, 2);
        assert_eq!(r.model.kind, kind);
        let v = &r.views[0];
        let e = v.evaluation.as_ref().expect("labelled test set");
        assert!(e.roc_auc > 0.9, "{kind}: synthetic attacks are easy, AUC {}", e.roc_auc);
        assert_eq!(v.histogram.normal.iter().sum::<u64>() + v.histogram.attack.iter().sum::<u64>(), e.rows);
        assert!(v.score_range.0 <= v.threshold || v.threshold <= v.score_range.1);
        // The slider's view agrees with the evaluation at the model's threshold.
        let sorted = s.sorted_scores(r.model.id, &v.test_set).unwrap();
        assert_eq!(sorted.confusion_at(v.threshold), e.confusion);
        let csv = s.predictions_csv(r.model.id, &v.test_set, None).unwrap();
        assert!(csv.starts_with("record_id,anomaly_score,prediction_label,true_label\n"));
        assert_eq!(csv.lines().count() as u64, e.rows + 1);
        // A stricter threshold flags fewer rows, in the export too.
        let strict = s.predictions_csv(r.model.id, &v.test_set, Some(v.score_range.1)).unwrap();
        assert!(strict.lines().skip(1).all(|l| l.split(',').nth(2) == Some("0")));
    }
    assert_eq!(s.results().len(), 4);
    assert_eq!(s.results_markdown().lines().count(), 2 + 4);
    let json: serde_json::Value = serde_json::from_str(&s.metrics_json()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 4);
}

/// The page's first visit, natively: the 20,000-row sample, the single-file protocol,
/// the Isolation Forest and the dense autoencoder (5 epochs) at the page's defaults.
/// The sample's quiet R2L and U2R attacks keep it from looking solved: AUCs read like
/// real data's, and each model both misses attacks and raises false alarms.
#[test]
fn first_visit_sample_shows_misses_and_false_alarms() {
    let mut s = Session::new();
    assert!(s.load_sample(20_000, 42).unwrap().synthetic);
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    for kind in [ModelKind::If, ModelKind::Dense] {
        let e = train(&mut s, kind, 5).views[0].evaluation.clone().unwrap();
        let c = e.confusion;
        assert!((0.90..=0.98).contains(&e.roc_auc), "{kind}: AUC {}", e.roc_auc);
        assert!(c.fn_ * 100 >= e.attacks, "{kind}: only {} of {} attacks missed", c.fn_, e.attacks);
        assert!(c.fp > 0 && c.tp > 0, "{kind}: {c:?}");
        // Floods and sweeps are all caught; the misses are the quiet attacks.
        for d in &e.by_category {
            let (lo, hi) = match d.category.as_str() {
                "dos" | "probe" => (0.99, 1.0),
                "r2l" | "u2r" => (0.2, 0.95),
                _ => continue,
            };
            assert!((lo..=hi).contains(&d.rate), "{kind}: {} recall {}", d.name, d.rate);
        }
        let present = |cat: &str| e.by_category.iter().any(|d| d.category == cat && d.total > 0);
        assert!(["dos", "probe", "r2l", "u2r"].into_iter().all(present));
    }
}

#[test]
fn cancel_stops_before_the_next_epoch_and_keeps_a_model() {
    let mut s = sample_session();
    let mut settings = TrainSettings::new(ModelKind::Lstm);
    settings.autoencoder.train.epochs = 20;
    s.start_training(settings).unwrap();
    s.train_epoch(&mut |_| Control::Continue, false).unwrap();
    s.cancel_training();
    let r = s.train_epoch(&mut |_| Control::Continue, false).unwrap();
    assert!(r.done);
    let result = s.finish_training(&mut |_, _| {}).unwrap();
    let h = result.model.history.unwrap();
    assert_eq!(h.epochs.len(), 1);
    assert_eq!(format!("{:?}", h.stop), "Cancelled");
    assert!(!s.is_training());
}

#[test]
fn model_files_round_trip_through_the_session() {
    let mut s = sample_session();
    let trained = train(&mut s, ModelKind::Dense, 2);
    let bytes = s.model_bytes(trained.model.id).unwrap();
    let loaded = s.add_model("saved file", &bytes, &mut |_, _| {}).unwrap();
    assert_eq!(loaded.model.source, "saved file");
    assert_ne!(loaded.model.id, trained.model.id);
    let a = trained.views[0].evaluation.as_ref().unwrap();
    let b = loaded.views[0].evaluation.as_ref().unwrap();
    assert_eq!(a.roc_auc, b.roc_auc);
    assert_eq!(a.confusion, b.confusion);
    s.remove_model(trained.model.id);
    assert_eq!(s.results().len(), 1);
}

#[test]
fn bad_input_is_an_error_and_earlier_results_stay() {
    let mut s = sample_session();
    let trained = train(&mut s, ModelKind::If, 1);
    let before = s.results();
    // A truncated gzip, a wrong file, a file with no normal rows, an absurd setting, a foreign model.
    let e = s.load(Slot::Train, "broken.gz", &[0x1f, 0x8b, 8, 0, 0, 0], &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("gzip"), "{e}");
    let e = s.load(Slot::Train, "photo.csv", b"\x89PNG\r\n\x1a\n....", &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("PNG"), "{e}");
    let mut settings = TrainSettings::new(ModelKind::Deep);
    settings.autoencoder.train.learning_rate = 50.0;
    assert!(s.start_training(settings).unwrap_err().to_string().contains("learning rate"));
    assert!(s
        .add_model("x", b"not a model", &mut |_, _| {})
        .unwrap_err()
        .to_string()
        .contains("not a netanomaly model"));
    assert_eq!(s.results(), before, "earlier results survive errors");
    assert!(s.predictions_csv(trained.model.id, "holdout", None).is_err(), "no such test set");
    let attacks_only = synth::generate(300, 1.0, Format::Kdd99, 3);
    s.load(Slot::Train, "attacks.csv", attacks_only.as_bytes(), &mut |_| {}).unwrap();
    let e = s.set_protocol(ProtocolChoice::SingleFile).unwrap_err();
    assert!(e.to_string().contains("no normal rows"), "{e}");
}

#[test]
fn unlabelled_test_file_gives_scores_but_no_metrics() {
    let mut s = sample_session();
    let unlabelled = synth::generate(400, 0.3, Format::Unlabelled, 9);
    s.load(Slot::Test, "unlabelled.csv", unlabelled.as_bytes(), &mut |_| {}).unwrap();
    assert!(s.set_protocol(ProtocolChoice::SingleFile).is_ok());
    let split = s.set_protocol(ProtocolChoice::TrainTest).unwrap();
    assert!(!split.tests[0].labelled);
    let r = train(&mut s, ModelKind::If, 1);
    let v = &r.views[0];
    assert!(v.evaluation.is_none());
    assert!(v.message.as_deref().unwrap_or("").contains("no labels"));
    assert_eq!(v.histogram.attack.iter().sum::<u64>(), 400);
    let sorted = s.sorted_scores(r.model.id, &v.test_set).unwrap();
    assert_eq!(sorted.attack.len(), 400);
    let c: Confusion = sorted.confusion_at(v.threshold);
    assert_eq!(c.tp + c.fn_, 400);
}

#[test]
fn train_test_protocol_needs_a_second_file() {
    let mut s = sample_session();
    let e = s.set_protocol(ProtocolChoice::TrainTest).unwrap_err();
    assert!(e.to_string().contains("second file"), "{e}");
    let empty = Session::new();
    assert!(empty.split_summary().unwrap_err().to_string().contains("load a file"));
}

#[test]
fn scores_from_before_a_data_change_are_refused_then_rescored() {
    let mut s = sample_session();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let r = train(&mut s, ModelKind::If, 1);
    let (id, test) = (r.model.id, r.views[0].test_set.clone());
    assert!(s.sorted_scores(id, &test).is_ok());
    // A different (shorter) file under the same protocol: old scores must not be used.
    s.load(Slot::Train, "other.csv", synth::generate(700, 0.3, Format::Kdd99, 5).as_bytes(), &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let e = s.sorted_scores(id, &test).unwrap_err();
    assert!(e.to_string().contains("re-score"), "{e}");
    assert!(s.predictions_csv(id, &test, None).is_err());
    let results = s.rescore_all(&mut |_, _| {}).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].views[0].evaluation.as_ref().unwrap().rows, 700);
    assert_eq!(s.predictions_csv(id, &test, None).unwrap().lines().count(), 701);
}

#[test]
fn training_in_steps_of_a_few_batches_can_be_cancelled_mid_epoch() {
    let mut s = sample_session();
    let mut settings = TrainSettings::new(ModelKind::Dense);
    settings.autoencoder.train.epochs = 3;
    settings.autoencoder.train.batch_size = 64;
    s.start_training(settings).unwrap();
    let (mut calls, mut epochs, mut batches, mut most_per_call) = (0, 0, 0, 0);
    loop {
        let mut in_call = 0;
        let r = s
            .train_step(
                10,
                &mut |p| {
                    batches = p.batches;
                    in_call += usize::from(!p.epoch_done);
                    Control::Continue
                },
                false,
            )
            .unwrap();
        most_per_call = most_per_call.max(in_call);
        calls += 1;
        epochs += usize::from(r.epoch_done);
        if r.done {
            break;
        }
    }
    assert_eq!(epochs, 3);
    assert!(batches > 20, "{batches} batches an epoch");
    assert_eq!(most_per_call, 10, "never more than 10 batches a call");
    assert_eq!(calls, 3 * batches.div_ceil(10), "{batches} batches in steps of 10");
    // Cancel in the middle of epoch 2: the model keeps epoch 1's weights.
    let mut settings = TrainSettings::new(ModelKind::Dense);
    settings.autoencoder.train.batch_size = 64;
    s.start_training(settings).unwrap();
    while !s.train_step(10, &mut |_| Control::Continue, false).unwrap().epoch_done {}
    s.train_step(10, &mut |_| Control::Continue, false).unwrap();
    s.cancel_training();
    assert!(s.train_step(10, &mut |_| Control::Continue, false).unwrap().done);
    let r = s.finish_training(&mut |_, _| {}).unwrap();
    let h = r.model.history.unwrap();
    assert_eq!((h.epochs.len(), h.best_epoch), (1, 1));
}

#[test]
fn teaching_views_breakdown_top_records_mistake_and_flip() {
    let mut s = sample_session();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let good = train(&mut s, ModelKind::Dense, 3);
    let (id, test) = (good.model.id, good.views[0].test_set.clone());
    let e = good.views[0].evaluation.clone().unwrap();
    // The breakdown at the model's threshold is the evaluation's; a higher one flags fewer.
    let at_model = s.label_breakdown(id, &test, good.views[0].threshold).unwrap();
    assert_eq!(at_model.by_label, e.by_label);
    assert_eq!(at_model.by_category, e.by_category);
    let strict = s.label_breakdown(id, &test, good.views[0].score_range.1).unwrap();
    assert!(strict.by_label.iter().all(|d| d.flagged == 0));
    // Top records: highest first, 41 features each, labels present.
    let top = s.top_records(id, &test, 10, None).unwrap();
    assert!(s.top_records(id, &test, 10, Some(f64::INFINITY)).unwrap().iter().all(|r| !r.flagged));
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(top[0].features.len(), 41);
    assert_eq!(top[0].features[1].0, "protocol_type");
    assert!(top[0].label.is_some());
    // Scored the wrong way round: AUC becomes 1 - AUC.
    let flipped = s.flipped_view(id, &test).unwrap();
    assert!((flipped.evaluation.unwrap().roc_auc - (1.0 - e.roc_auc)).abs() < 1e-9);
    // The all-rows protocol trains on every row, attacks included.
    let split = s.set_protocol(ProtocolChoice::AllRows).unwrap();
    assert_eq!(split.train_rows, 5_000);
}
