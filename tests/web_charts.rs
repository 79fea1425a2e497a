//! Every chart drawn on a canvas on the page's main thread (wasm-bindgen-test in
//! headless Chromium): nothing panics and the canvas is no longer blank.
#![cfg(target_arch = "wasm32")]

mod web_common;

use netanomaly::web::{draw_categories, draw_confusion, draw_histogram, draw_loss, draw_pr, draw_roc};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_common::js;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas() -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(640);
    c.set_height(420);
    c
}

fn blank() -> String {
    canvas().to_data_url().unwrap()
}

#[wasm_bindgen_test]
fn every_chart_draws_something() {
    let empty = blank();
    let checks: Vec<(&str, Box<dyn Fn(HtmlCanvasElement) -> Result<(), wasm_bindgen::JsError>>)> = vec![
        (
            "roc",
            Box::new(|c| {
                draw_roc(
                    c,
                    "ROC",
                    js(json!([{"name": "a", "fpr": [0.0, 0.1, 1.0], "tpr": [0.0, 0.8, 1.0], "auc": 0.85}])),
                )
            }),
        ),
        (
            "pr",
            Box::new(|c| {
                draw_pr(
                    c,
                    "PR",
                    js(json!([{"name": "a", "precision": [0.5, 0.9, 1.0], "recall": [1.0, 0.5, 0.0], "ap": 0.8}])),
                )
            }),
        ),
        (
            "histogram",
            Box::new(|c| {
                draw_histogram(
                    c,
                    "H",
                    js(json!({"edges": [0.0, 0.5, 1.0], "normal": [10, 1], "attack": [2, 30]})),
                    0.6,
                    "score",
                )
            }),
        ),
        ("confusion", Box::new(|c| draw_confusion(c, "C", js(json!({"tn": 90, "fp": 10, "fn_": 5, "tp": 95}))))),
        (
            "categories",
            Box::new(|c| {
                draw_categories(
                    c,
                    "Cat",
                    js(
                        json!([{"name": "normal", "category": "normal", "total": 100, "flagged": 5}, {"name": "dos", "category": "dos", "total": 50, "flagged": 45}]),
                    ),
                )
            }),
        ),
        (
            "loss",
            Box::new(|c| {
                draw_loss(
                    c,
                    "Loss",
                    js(json!([{"name": "lstm", "train": [0.5, 0.3, 0.2], "validation": [0.6, 0.35, null]}])),
                )
            }),
        ),
    ];
    for (name, draw) in checks {
        let c = canvas();
        draw(c.clone()).unwrap_or_else(|e| panic!("{name}: {}", js_sys::Error::from(JsValue::from(e)).message()));
        assert_ne!(c.to_data_url().unwrap(), empty, "{name} left the canvas blank");
    }
    // Bad data is an error, not a panic.
    assert!(draw_roc(canvas(), "ROC", js(json!({"not": "a list"}))).is_err());
}
