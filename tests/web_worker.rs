//! The wasm API as the worker uses it, run by wasm-bindgen-test inside a dedicated
//! worker in headless Chromium: load, protocol, train an epoch at a time, views,
//! thresholds, exports, model files — and errors that are messages, not dead workers.
#![cfg(target_arch = "wasm32")]

mod web_common;

use js_sys::Function;
use netanomaly::web::{default_settings, ThresholdView, WasmSession};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_common::{js, never_stop, rust};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn train(session: &mut WasmSession, kind: &str, epochs: u64) -> Value {
    let mut settings = rust(default_settings(kind).unwrap());
    settings["autoencoder"]["train"]["epochs"] = json!(epochs);
    session.start_training(js(settings)).unwrap();
    loop {
        let report = rust(session.train_epoch(&never_stop(), true).unwrap());
        if report["done"].as_bool().unwrap() {
            break;
        }
    }
    rust(session.finish_training(&Function::new_with_args("d, t", "")).unwrap())
}

#[wasm_bindgen_test]
fn trains_and_evaluates_in_a_worker() {
    let mut s = WasmSession::new();
    let summary = rust(s.load_sample(4_000, 7).unwrap());
    assert_eq!(summary["rows"], 4_000);
    assert_eq!(summary["format"], "kdd99");
    let split = rust(s.set_protocol(js(json!({"kind": "holdout", "train_fraction": 0.8, "seed": 3}))).unwrap());
    assert!(split["train_rows"].as_u64().unwrap() > 1_000);
    for kind in ["if", "dense", "lstm"] {
        let result = train(&mut s, kind, 2);
        let view = &result["views"][0];
        let auc = view["evaluation"]["roc_auc"].as_f64().unwrap();
        assert!(auc > 0.9, "{kind}: AUC {auc}");
        let id = result["model"]["id"].as_u64().unwrap() as u32;
        let test = view["test_set"].as_str().unwrap();
        // The threshold view reproduces the evaluation's confusion matrix at the model's threshold.
        let sorted: js_sys::Object = s.sorted_scores(id, test).unwrap().into();
        let normal = js_sys::Float64Array::from(js_sys::Reflect::get(&sorted, &"normal".into()).unwrap()).to_vec();
        let attack = js_sys::Float64Array::from(js_sys::Reflect::get(&sorted, &"attack".into()).unwrap()).to_vec();
        let at = rust(ThresholdView::new(normal, attack).at(view["threshold"].as_f64().unwrap()).unwrap());
        assert_eq!(at["confusion"], view["evaluation"]["confusion"]);
        let csv = s.predictions_csv(id, test, None).unwrap();
        assert!(csv.starts_with("record_id,anomaly_score,prediction_label,true_label\n"));
        let bytes = s.model_bytes(id).unwrap();
        let again = rust(s.add_model("saved", &bytes, &Function::new_with_args("d, t", "")).unwrap());
        assert_eq!(again["views"][0]["evaluation"]["roc_auc"], view["evaluation"]["roc_auc"]);
    }
    assert!(s.results_markdown().contains("| lstm |"));
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_the_session_goes_on() {
    let mut s = WasmSession::new();
    assert!(s.load("train", "x.gz", &[0x1f, 0x8b, 8, 0], &never_stop()).is_err());
    assert!(s.load("train", "x.png", b"\x89PNG\r\n\x1a\n", &never_stop()).is_err());
    assert!(s.load("elsewhere", "x", b"1", &never_stop()).is_err());
    assert!(s.set_protocol(js(json!({"kind": "single-file"}))).is_err(), "nothing loaded yet");
    s.load_sample(1_000, 1).unwrap();
    let mut settings = rust(default_settings("dense").unwrap());
    settings["autoencoder"]["train"]["batch_size"] = json!(0);
    assert!(s.start_training(js(settings)).is_err());
    assert!(s.start_training(js(json!({"kind": "nonsense"}))).is_err());
    assert!(s.add_model("x", b"garbage", &never_stop()).is_err());
    // Still alive and working.
    s.set_protocol(js(json!({"kind": "single-file"}))).unwrap();
    let result = train(&mut s, "if", 1);
    assert!(result["views"][0]["evaluation"]["roc_auc"].as_f64().unwrap() > 0.9);
}

/// A Blob of synthetic KDD text (gzipped when `gz`), as a dropped file arrives.
fn blob(text: &str, gz: bool) -> web_sys::Blob {
    use std::io::Write;
    let bytes = if gz {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    } else {
        text.as_bytes().to_vec()
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap()
}

#[wasm_bindgen_test]
fn a_blob_is_read_in_slices_held_when_small_and_streamed_when_large() {
    let text = netanomaly::data::synth::generate(6_000, 0.35, netanomaly::data::Format::Kdd99, 5);
    // Small enough to hold: the same summary as from bytes.
    let mut held = WasmSession::new();
    let a = rust(held.load_blob("train", "f.csv.gz", blob(&text, true), &never_stop()).unwrap());
    let b = rust(WasmSession::new().load("train", "f.csv.gz", text.as_bytes(), &never_stop()).unwrap());
    assert_eq!(a, b);
    assert!(a["streamed"].is_null());

    // Over the hold limit: streamed, the sample trains, every other row tests.
    let mut s = WasmSession::new();
    s.set_stream_settings(js(json!({"hold_rows": 1_000, "sample_rows": 500, "seed": 3, "chunk_rows": 800}))).unwrap();
    let summary = rust(s.load_blob("train", "big.csv.gz", blob(&text, true), &never_stop()).unwrap());
    assert_eq!(summary["rows"], 6_000);
    assert_eq!(summary["streamed"]["sample_rows"], 500);
    assert_eq!(summary["streamed"]["test_rows"], 5_500);
    assert_eq!(summary["labels"], b["labels"], "label counts of the whole file");
    let split = rust(s.set_protocol(js(json!({"kind": "holdout", "train_fraction": 0.8, "seed": 3}))).unwrap());
    assert_eq!(split["train_rows"], 500);
    let result = train(&mut s, "if", 1);
    let view = &result["views"][0];
    assert_eq!(view["evaluation"]["rows"], 5_500);
    assert!(view["evaluation"]["roc_auc"].as_f64().unwrap() > 0.9);
    let id = result["model"]["id"].as_u64().unwrap() as u32;
    let whole = s.predictions_csv(id, "holdout", None).unwrap();
    let parts: String =
        (0..6).map(|i| s.predictions_csv_part(id, "holdout", None, i * 1_000, 1_000).unwrap()).collect();
    assert_eq!(parts, whole);
    assert_eq!(whole.lines().count(), 5_501);
    let top = rust(s.top_records(id, "holdout", 5, None).unwrap());
    assert_eq!(top.as_array().unwrap().len(), 5);
    assert!(s.set_protocol(js(json!({"kind": "all-rows"}))).is_err(), "the demonstration needs a held file");
    assert!(netanomaly::web::memory_bytes() > 1e6);

    // A damaged blob is a message; the streamed file and its model stay.
    let e = s.load_blob(
        "train",
        "bad.gz",
        blob(&text[..text.len() / 2], true).slice_with_i32_and_i32(0, 500).unwrap(),
        &never_stop(),
    );
    assert!(e.is_err());
    assert_eq!(rust(s.results().unwrap())[0]["views"][0]["evaluation"]["rows"], 5_500);
}

/// The typed protocol through the boundary: `handle` then `advance` until idle, every
/// reply to a JS callback; byte fields arrive as `Uint8Array`s, a request the worker
/// cannot read gets a structured error and its `done`.
#[wasm_bindgen_test]
fn the_typed_protocol_crosses_the_boundary() {
    let replies = js_sys::Array::new();
    let collect = {
        let replies = replies.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |r| {
            replies.push(&r);
        })
    };
    let callback: &Function = collect.as_ref().unchecked_ref();
    let mut s = WasmSession::new();
    let forest = rust(default_settings("if").unwrap());
    for request in [
        json!({"id": 1, "type": "sample", "rows": 2000, "seed": 5}),
        json!({"id": 2, "type": "train", "models": [forest]}),
        json!({"id": 3, "type": "no-such-request"}),
    ] {
        s.handle(js(request), wasm_bindgen::JsValue::NULL, callback);
    }
    while s.advance(callback) == "busy" {}
    let all: Vec<wasm_bindgen::JsValue> = replies.iter().collect();
    let typed = |r: &wasm_bindgen::JsValue| js_sys::Reflect::get(r, &"type".into()).unwrap().as_string().unwrap();
    let id = |r: &wasm_bindgen::JsValue| js_sys::Reflect::get(r, &"id".into()).unwrap().as_f64().unwrap() as u64;
    let result = all.iter().find(|r| typed(r) == "result").expect("a result");
    assert_eq!(id(result), 2);
    let scores = js_sys::Reflect::get(result, &"scores".into()).unwrap();
    let first = js_sys::Reflect::get(&scores, &0.into()).unwrap();
    let normal = js_sys::Reflect::get(&first, &"normal".into()).unwrap();
    let attack = js_sys::Reflect::get(&first, &"attack".into()).unwrap();
    assert!(normal.is_instance_of::<js_sys::Uint8Array>(), "sorted scores as bytes");
    let rows = (js_sys::Uint8Array::from(normal).length() + js_sys::Uint8Array::from(attack).length()) / 8;
    assert_eq!(rows, 2000);
    assert!(js_sys::Reflect::get(result, &"model_file".into()).unwrap().is_instance_of::<js_sys::Uint8Array>());
    let error = all.iter().find(|r| typed(r) == "error").expect("the unreadable request is answered");
    assert_eq!((id(error), rust(error.clone())["code"].clone()), (3, json!("request")));
    // A predictions export: its parts come through `advance`, then its done.
    let model = rust(js_sys::Reflect::get(result, &"result".into()).unwrap())["model"]["id"].clone();
    let export = json!({"id": 4, "type": "export", "what": "predictions", "model": model, "test": "all"});
    s.handle(js(export), wasm_bindgen::JsValue::NULL, callback);
    while s.advance(callback) == "busy" {}
    let all: Vec<wasm_bindgen::JsValue> = replies.iter().collect();
    let parts: Vec<Value> =
        all.iter().filter(|r| id(r) == 4 && typed(r) == "export").map(|r| rust(r.clone())).collect();
    assert_eq!(parts.len(), 1, "2,000 rows: one part");
    assert_eq!(parts[0]["next"], Value::Null);
    assert_eq!(parts[0]["text"].as_str().unwrap().lines().count(), 2001);
    for n in 1..=4 {
        let dones = all.iter().filter(|r| id(r) == n && typed(r) == "done").count();
        assert_eq!(dones, 1, "request {n} closed once");
    }
}

#[wasm_bindgen_test]
fn rayon_runs_the_parallel_loops_on_the_calling_thread() {
    // wasm32-unknown-unknown without atomics cannot spawn threads: a pool of its own
    // fails, and rayon-core's global pool falls back to this thread alone, so the core's
    // parallel loops (forest and autoencoder scoring, the scoring chunks) run here in order.
    assert!(rayon::ThreadPoolBuilder::new().num_threads(2).build().is_err());
    assert_eq!(rayon::current_num_threads(), 1);
    let mut s = WasmSession::new();
    s.load_sample(3_000, 5).unwrap();
    s.set_protocol(js(json!({"kind": "holdout", "train_fraction": 0.8, "seed": 1}))).unwrap();
    let result = train(&mut s, "if", 1);
    assert!(result["views"][0]["evaluation"]["roc_auc"].as_f64().unwrap() > 0.9);
    assert_eq!(rayon::current_num_threads(), 1);
}
