//! The bad-input catalogue (`src/catalogue/`) through a [`Session`], as the browser
//! worker uses it: a session trains an Isolation Forest on synthetic data, then every
//! case is loaded into the right slot. Refused cases must give a message with every
//! expected fragment and leave the files and earlier results untouched; accepted
//! cases must give their described outcome; nothing may panic, and the session must
//! still train and score afterwards. Each case runs under `catch_unwind`, so a
//! failure names its case and the others still run.

use std::panic::{catch_unwind, AssertUnwindSafe};

use netanomaly::catalogue::{self, Case, Expect, Outcome, Target, Training};
use netanomaly::data::{synth, Format};
use netanomaly::detect::{Control, ForestConfig, ModelKind};
use netanomaly::pipeline::TrainSettings;
use netanomaly::session::{FileSummary, ModelResult, ProtocolChoice, Session, Slot};

const BASE_NAME: &str = "base.csv";

fn base_text() -> String {
    synth::generate(1_500, 0.3, Format::Kdd99, 77)
}

fn forest_settings() -> TrainSettings {
    TrainSettings {
        forest: ForestConfig { n_estimators: 25, max_samples: 128, ..ForestConfig::default() },
        ..TrainSettings::default()
    }
}

fn train_forest(session: &mut Session) -> Result<ModelResult, String> {
    session.start_training(forest_settings()).map_err(|e| e.to_string())?;
    let report = session.train_epoch(&mut |_| Control::Continue, false).map_err(|e| e.to_string())?;
    assert!(report.done, "a forest is done at once");
    session.finish_training(&mut |_, _| {}).map_err(|e| e.to_string())
}

/// The session every case is tried against: the base file, single-file, one forest.
fn base_session() -> (Session, FileSummary, Vec<ModelResult>) {
    let mut s = Session::new();
    let summary = s.load(Slot::Train, BASE_NAME, base_text().as_bytes(), &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let result = train_forest(&mut s).unwrap();
    let auc = result.views[0].evaluation.as_ref().unwrap().roc_auc;
    assert!(auc > 0.9, "base forest AUC {auc}");
    let results = s.results();
    assert_eq!(results.len(), 1);
    (s, summary, results)
}

fn check_message(what: &str, message: &str, contains: &[&str]) {
    for fragment in contains {
        assert!(message.contains(fragment), "{what}: message {message:?} lacks {fragment:?}");
    }
    // Precise, not a dump: a long bad value is shortened.
    assert!(message.len() < 400, "{what}: message is {} bytes long: {message:?}", message.len());
}

/// The session as it was before the case: same files, same results.
fn assert_intact(s: &Session, base: &FileSummary, results: &[ModelResult], test_loaded: bool) {
    let (train, test) = s.files();
    assert_eq!(train, Some(base), "the training file changed");
    assert_eq!(test.is_some(), test_loaded, "the test file changed");
    assert_eq!(s.results(), results, "earlier results changed");
}

/// Put the base file back, re-score, and check the results are the earlier ones.
fn restore(s: &mut Session, results: &[ModelResult]) {
    s.clear_test();
    s.load(Slot::Train, BASE_NAME, base_text().as_bytes(), &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    assert_eq!(s.rescore_all(&mut |_, _| {}).unwrap(), results, "re-scoring the base file gives other results");
}

fn data_case(case: &Case, s: &mut Session, base: &FileSummary, results: &[ModelResult]) {
    match &case.expect {
        Expect::Error { contains } => {
            for slot in [Slot::Train, Slot::Test] {
                let e = s.load(slot, case.name, &case.bytes, &mut |_| {}).unwrap_err();
                check_message(&format!("{slot:?} slot"), &e.to_string(), contains);
                assert_intact(s, base, results, false);
            }
            // The split and scores still stand: the earlier model's scores are usable.
            let id = results[0].model.id;
            assert!(s.sorted_scores(id, &results[0].views[0].test_set).is_ok(), "earlier scores went stale");
        }
        Expect::Loads { outcome: Outcome::Data { rows, format, training } } => {
            // As a test file: the earlier model (of the KDD base file) scores every row of
            // a KDD file; a file of another dataset is refused as its test set.
            let summary = s.load(Slot::Test, case.name, &case.bytes, &mut |_| {}).unwrap();
            assert_eq!((summary.rows, summary.format), (*rows, *format), "test slot summary");
            if format.is_kdd() {
                s.set_protocol(ProtocolChoice::TrainTest).unwrap();
                let rescored = s.rescore_all(&mut |_, _| {}).unwrap();
                let view = &rescored[0].views[0];
                assert_eq!(view.test_set, case.name);
                let counted: u64 = view.histogram.normal.iter().chain(&view.histogram.attack).sum();
                assert_eq!(counted as usize, *rows, "every row scored");
            } else {
                let e = s.set_protocol(ProtocolChoice::TrainTest).unwrap_err();
                check_message("test file", &e.to_string(), &["test on a file of the same dataset"]);
                s.clear_test();
            }
            // As the training file: what training on it gives.
            let summary = s.load(Slot::Train, case.name, &case.bytes, &mut |_| {}).unwrap();
            assert_eq!((summary.rows, summary.format), (*rows, *format), "train slot summary");
            let trained = s.set_protocol(ProtocolChoice::SingleFile).map_err(|e| e.to_string()).and_then(|split| {
                assert!(split.train_rows > 0);
                train_forest(s)
            });
            match (training, trained) {
                (Training::Trains, Ok(result)) => {
                    assert_eq!(result.views.len(), 1);
                    assert!(result.views[0].score_range.0.is_finite() && result.views[0].score_range.1.is_finite());
                    s.remove_model(result.model.id);
                }
                (Training::Trains, Err(e)) => panic!("expected to train, got {e:?}"),
                (Training::Refused { contains }, Err(e)) => check_message("training", &e, contains),
                (Training::Refused { .. }, Ok(_)) => panic!("expected training to be refused, it trained"),
            }
            restore(s, results);
        }
        Expect::Loads { outcome } => panic!("a data case with a model outcome: {outcome:?}"),
    }
}

fn model_case(case: &Case, s: &mut Session, base: &FileSummary, results: &[ModelResult]) {
    match &case.expect {
        Expect::Error { contains } => {
            let e = s.add_model(case.name, &case.bytes, &mut |_, _| {}).unwrap_err();
            check_message("add_model", &e.to_string(), contains);
            assert_intact(s, base, results, false);
        }
        Expect::Loads { outcome: Outcome::Model { kind } } => {
            let result = s.add_model(case.name, &case.bytes, &mut |_, _| {}).unwrap();
            assert_eq!(result.model.kind, *kind);
            let view = &result.views[0];
            let auc = view.evaluation.as_ref().expect("the base file has labels").roc_auc;
            assert!(auc > 0.8, "a working model scores well: AUC {auc}");
            s.remove_model(result.model.id);
            assert_intact(s, base, results, false);
        }
        Expect::Loads { outcome } => panic!("a model case with a data outcome: {outcome:?}"),
    }
}

#[test]
fn every_case_gives_its_outcome_and_the_session_goes_on() {
    let cases = catalogue::cases();
    let (mut s, base, results) = base_session();
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = catch_unwind(AssertUnwindSafe(|| match case.target {
            Target::DataFile => data_case(case, &mut s, &base, &results),
            Target::ModelFile => model_case(case, &mut s, &base, &results),
        }));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{} ({}): {message}", case.name, case.what));
            // Start the next case from a clean session.
            (s, _, _) = base_session();
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    // Still trains and scores, and the earlier model is as it was.
    assert_eq!(s.results(), results);
    let again = train_forest(&mut s).unwrap();
    assert!(again.views[0].evaluation.as_ref().unwrap().roc_auc > 0.9);
    assert_eq!(s.results().len(), 2);
}

#[test]
fn the_catalogue_covers_every_kind_of_the_issue() {
    let cases = catalogue::cases();
    assert!(cases.len() >= 24, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    for name in [
        "empty.csv",
        "only-header.csv",
        "binary-garbage.csv",
        "image.csv",
        "utf16le-bom.csv",
        "crlf.csv",
        "bom.csv",
        "wrong-columns.csv",
        "non-numeric.csv",
        "nan.csv",
        "inf.csv",
        "huge.csv",
        "negative.csv",
        "truncated.csv.gz",
        "garbage.gz",
        "archive.csv",
        "unlabelled.csv",
        "mixed.csv",
        "unknown-values.csv",
        "no-normal.csv",
        "one-row.csv",
        "model-truncated-payload.nam",
        "model-flipped-payload.nam",
        "model-is-data.nam",
        "model-mismatched-preparation.nam",
    ] {
        assert!(names.contains(&name), "no case {name}");
    }
    // Both targets, both kinds of outcome, and model bytes really made (not skipped).
    assert!(cases.iter().filter(|c| c.target == Target::ModelFile).count() >= 8);
    assert!(cases.iter().any(|c| matches!(c.expect, Expect::Loads { .. })));
    assert!(cases.iter().filter(|c| c.error_fragments().is_some()).all(|c| !c.error_fragments().unwrap().is_empty()));
    // Deterministic: the same bytes each time (the page and the fuzz corpus rely on it).
    let again = catalogue::cases();
    assert!(cases.iter().zip(&again).all(|(a, b)| a.bytes == b.bytes));
    // The index for catalogue.json names every case and no bytes.
    let index: serde_json::Value = serde_json::from_str(&catalogue::index_json(&cases)).unwrap();
    assert_eq!(index.as_array().unwrap().len(), cases.len());
    assert_eq!(index[0]["name"], cases[0].name);
    assert!(index[0].get("bytes").is_none());
}

#[test]
fn accepted_data_cases_load_natively_like_the_generator_says() {
    // The loader alone (the CLI's path): accepted cases parse to their row count;
    // refused ones fail with the same message the session gives.
    for case in catalogue::cases().iter().filter(|c| c.target == Target::DataFile) {
        match (&case.expect, netanomaly::data::read_bytes(&case.bytes)) {
            (Expect::Loads { outcome: Outcome::Data { rows, format, .. } }, Ok(t)) => {
                assert_eq!((t.rows(), t.format), (*rows, *format), "{}", case.name)
            }
            (Expect::Error { contains }, Err(e)) => check_message(case.name, &e.to_string(), contains),
            (_, r) => panic!("{}: unexpected {:?}", case.name, r.map(|t| t.rows())),
        }
    }
    let m = catalogue::cases().into_iter().find(|c| c.name == "model-one-hot.nam").unwrap();
    let model = netanomaly::model_file::Model::from_bytes(&m.bytes).unwrap();
    assert_eq!(model.header.kind, ModelKind::If);
}
