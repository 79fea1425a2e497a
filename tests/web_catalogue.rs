//! The bad-input catalogue (`src/catalogue/`) through the wasm API, as the browser
//! worker calls it, run by wasm-bindgen-test inside a dedicated worker in headless
//! Chromium: every data case through `load` (training and test slot), every model
//! case through `add_model`; a refused case must be a `JsError` whose message has
//! every expected fragment, an accepted one its described outcome; afterwards the
//! session is alive, its files and earlier results are as they were, and it still
//! trains and scores. (A panic on wasm32 aborts the whole module, so it fails the test.)
#![cfg(target_arch = "wasm32")]

mod web_common;

use js_sys::Function;
use netanomaly::catalogue::{self, Case, Expect, Outcome, Target, Training};
use netanomaly::data::{synth, Format};
use netanomaly::web::{default_settings, WasmSession};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_common::{js, never_stop, rust};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The message of a `JsError`, as the worker's `messageOf(e)` reads it.
fn message(e: wasm_bindgen::JsError) -> String {
    let value: JsValue = e.into();
    value.dyn_into::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|v| format!("{v:?}"))
}

fn rows_progress() -> Function {
    Function::new_with_args("rows", "")
}

fn score_progress() -> Function {
    Function::new_with_args("d, t", "")
}

const BASE_NAME: &str = "base.csv";

fn base_text() -> String {
    synth::generate(1_500, 0.3, Format::Kdd99, 77)
}

fn train_forest(s: &mut WasmSession) -> Result<Value, String> {
    let mut settings = rust(default_settings("if").unwrap());
    settings["forest"]["n_estimators"] = json!(25);
    settings["forest"]["max_samples"] = json!(128);
    s.start_training(js(settings)).map_err(message)?;
    let report = rust(s.train_epoch(&never_stop(), false).map_err(message)?);
    assert_eq!(report["done"], true);
    s.finish_training(&score_progress()).map(rust).map_err(message)
}

fn set_protocol(s: &mut WasmSession, kind: &str) -> Result<Value, String> {
    s.set_protocol(js(json!({ "kind": kind }))).map(rust).map_err(message)
}

fn check_message(case: &Case, what: &str, message: &str, contains: &[&str]) {
    for fragment in contains {
        assert!(message.contains(fragment), "{} ({what}): message {message:?} lacks {fragment:?}", case.name);
    }
    assert!(message.len() < 400, "{} ({what}): a {}-byte message", case.name, message.len());
}

fn restore(s: &mut WasmSession, results: &Value, case: &Case) {
    s.clear_test();
    s.load("train", BASE_NAME, base_text().as_bytes(), &rows_progress()).unwrap();
    set_protocol(s, "single-file").unwrap();
    let rescored = rust(s.rescore_all(&score_progress()).unwrap());
    assert_eq!(&rescored, results, "{}: re-scoring the base file gives other results", case.name);
}

#[wasm_bindgen_test]
fn every_catalogue_case_through_the_wasm_session() {
    let mut s = WasmSession::new();
    s.load("train", BASE_NAME, base_text().as_bytes(), &rows_progress()).unwrap();
    set_protocol(&mut s, "single-file").unwrap();
    let first = train_forest(&mut s).unwrap();
    let auc = first["views"][0]["evaluation"]["roc_auc"].as_f64().unwrap();
    assert!(auc > 0.9, "base AUC {auc}");
    let id = first["model"]["id"].as_u64().unwrap() as u32;
    let test_set = first["views"][0]["test_set"].as_str().unwrap().to_string();
    let results = rust(s.results().unwrap());
    let csv_before = s.predictions_csv(id, &test_set, None).unwrap();

    let cases = catalogue::cases();
    assert!(cases.len() >= 24);
    for case in &cases {
        match (case.target, &case.expect) {
            (Target::DataFile, Expect::Error { contains }) => {
                for slot in ["train", "test"] {
                    let e = s.load(slot, case.name, &case.bytes, &rows_progress()).unwrap_err();
                    check_message(case, slot, &message(e), contains);
                }
            }
            (Target::DataFile, Expect::Loads { outcome: Outcome::Data { rows, format, training } }) => {
                let summary = rust(s.load("test", case.name, &case.bytes, &rows_progress()).unwrap());
                assert_eq!(summary["rows"], json!(rows), "{}", case.name);
                assert_eq!(summary["format"], serde_json::to_value(format).unwrap(), "{}", case.name);
                if format.is_kdd() {
                    set_protocol(&mut s, "train-test").unwrap();
                    let rescored = rust(s.rescore_all(&score_progress()).unwrap());
                    assert_eq!(rescored[0]["views"][0]["test_set"], case.name);
                    let csv = s.predictions_csv(id, case.name, None).unwrap();
                    assert_eq!(csv.lines().count(), rows + 1, "{}: a prediction per row", case.name);
                } else {
                    // A test file of another dataset than the KDD base file is refused as such.
                    let e = set_protocol(&mut s, "train-test").unwrap_err();
                    check_message(case, "test file", &e, &["test on a file of the same dataset"]);
                    s.clear_test();
                }
                let summary = rust(s.load("train", case.name, &case.bytes, &rows_progress()).unwrap());
                assert_eq!(summary["rows"], json!(rows), "{}", case.name);
                let trained = set_protocol(&mut s, "single-file").and_then(|_| train_forest(&mut s));
                match (training, trained) {
                    (Training::Trains, Ok(result)) => {
                        assert_eq!(result["views"].as_array().unwrap().len(), 1, "{}", case.name);
                        s.remove_model(result["model"]["id"].as_u64().unwrap() as u32);
                    }
                    (Training::Refused { contains }, Err(e)) => check_message(case, "training", &e, contains),
                    (t, r) => panic!("{}: expected {t:?}, got {r:?}", case.name),
                }
                restore(&mut s, &results, case);
            }
            (Target::ModelFile, Expect::Error { contains }) => {
                let e = s.add_model(case.name, &case.bytes, &score_progress()).unwrap_err();
                check_message(case, "add_model", &message(e), contains);
            }
            (Target::ModelFile, Expect::Loads { outcome: Outcome::Model { kind } }) => {
                let result = rust(s.add_model(case.name, &case.bytes, &score_progress()).unwrap());
                assert_eq!(result["model"]["kind"], serde_json::to_value(kind).unwrap(), "{}", case.name);
                let auc = result["views"][0]["evaluation"]["roc_auc"].as_f64().unwrap();
                assert!(auc > 0.8, "{}: AUC {auc}", case.name);
                s.remove_model(result["model"]["id"].as_u64().unwrap() as u32);
            }
            (target, expect) => panic!("{}: {target:?} with {expect:?}", case.name),
        }
        // Alive, the same files, the same results, the earlier scores still usable.
        let train = rust(s.results().unwrap());
        assert_eq!(train, results, "{}: earlier results changed", case.name);
        let csv = s.predictions_csv(id, &test_set, None);
        assert_eq!(csv.as_deref().ok(), Some(csv_before.as_str()), "{}: earlier scores lost", case.name);
    }
    // Still trains and scores.
    let again = train_forest(&mut s).unwrap();
    assert!(again["views"][0]["evaluation"]["roc_auc"].as_f64().unwrap() > 0.9);
    assert_eq!(rust(s.results().unwrap()).as_array().unwrap().len(), 2);
}
