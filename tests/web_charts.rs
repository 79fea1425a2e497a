//! Every chart drawn on a canvas on the page's main thread (wasm-bindgen-test in
//! headless Chromium): nothing panics, the canvas is no longer blank, and the objects
//! the draw calls return answer the pointer in CSS pixels on a hi-DPI backing store.
#![cfg(target_arch = "wasm32")]

mod web_common;

use netanomaly::web::{draw_categories, draw_confusion, draw_histogram, draw_loss, draw_pr, draw_roc, format_number};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_common::{js, rust};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A canvas of 640 × 420 CSS px with a backing store `scale` times larger.
fn canvas(scale: f64) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width((640.0 * scale) as u32);
    c.set_height((420.0 * scale) as u32);
    c
}

fn blank() -> String {
    canvas(1.0).to_data_url().unwrap()
}

fn message(e: wasm_bindgen::JsError) -> String {
    js_sys::Error::from(JsValue::from(e)).message().into()
}

fn roc_series() -> JsValue {
    // `null` is how +∞ (ROC's first threshold) survives JSON.
    js(json!([
        {"name": "Dense AE", "kind": "dense", "fpr": [0.0, 0.0, 0.1, 0.4, 1.0], "tpr": [0.0, 0.5, 0.8, 0.95, 1.0],
         "thresholds": [null, 0.9, 0.8, 0.5, 0.1], "auc": 0.9},
        {"name": "Forest", "kind": "if", "fpr": [0.0, 0.3, 1.0], "tpr": [0.0, 0.6, 1.0],
         "thresholds": [null, 0.6, 0.2], "auc": 0.7}
    ]))
}

fn histogram() -> JsValue {
    js(json!({"edges": [0.001, 0.01, 0.1, 1.0], "normal": [50, 10, 1], "attack": [2, 5, 40], "log_x": true}))
}

fn confusion() -> JsValue {
    js(json!({"tn": 90, "fp": 10, "fn_": 5, "tp": 95}))
}

fn categories() -> JsValue {
    js(json!([{"name": "normal", "category": "normal", "total": 100, "flagged": 5},
              {"name": "dos", "category": "dos", "total": 50, "flagged": 45}]))
}

#[wasm_bindgen_test]
fn every_chart_draws_something() {
    let empty = blank();
    type Draw = Box<dyn Fn(HtmlCanvasElement) -> Result<(), wasm_bindgen::JsError>>;
    let checks: Vec<(&str, Draw)> = vec![
        ("roc", Box::new(|c| draw_roc(c, "ROC", roc_series(), None).map(drop))),
        (
            "pr",
            Box::new(|c| {
                let s = json!([{"name": "a", "precision": [0.5, 0.9, 1.0], "recall": [1.0, 0.5, 0.0], "ap": 0.8}]);
                draw_pr(c, "PR", js(s), None).map(drop)
            }),
        ),
        ("histogram", Box::new(|c| draw_histogram(c, "H", histogram(), 0.05, "score", None).map(drop))),
        ("confusion", Box::new(|c| draw_confusion(c, "C", confusion(), None).map(drop))),
        ("categories", Box::new(|c| draw_categories(c, "Cat", categories(), None).map(drop))),
        (
            "loss",
            Box::new(|c| {
                let s = json!([{"name": "lstm", "train": [0.5, 0.3, 0.2], "validation": [0.6, 0.35, null]}]);
                draw_loss(c, "Loss", js(s), None).map(drop)
            }),
        ),
    ];
    for (name, draw) in checks {
        let c = canvas(1.0);
        draw(c.clone()).unwrap_or_else(|e| panic!("{name}: {}", message(e)));
        assert_ne!(c.to_data_url().unwrap(), empty, "{name} left the canvas blank");
    }
    // Bad data is an error, not a panic.
    assert!(draw_roc(canvas(1.0), "ROC", js(json!({"not": "a list"})), None).is_err());
}

/// The CSS pixel of data `(x, y)` on a plot map as `plot()` returns it.
fn pixel(plot: &Value, (x, y): (f64, f64)) -> (f64, f64) {
    let f = |axis: &Value, v: f64| {
        let (lo, hi) = (axis["min"].as_f64().unwrap(), axis["max"].as_f64().unwrap());
        if axis["log"].as_bool().unwrap() {
            (v.log10() - lo.log10()) / (hi.log10() - lo.log10())
        } else {
            (v - lo) / (hi - lo)
        }
    };
    let n = |k: &str| plot[k].as_f64().unwrap();
    (n("left") + n("width") * f(&plot["x"], x), n("top") + n("height") * (1.0 - f(&plot["y"], y)))
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[wasm_bindgen_test]
fn the_roc_chart_finds_the_nearest_point_in_css_pixels_at_twice_the_density() {
    let chart = draw_roc(canvas(2.0), "ROC", roc_series(), Some(2.0)).unwrap();
    let plot = rust(chart.plot().unwrap());
    // The plot area is in CSS px: inside the 640 × 420 canvas, not its 1280 × 840 store.
    let (w, h) = (plot["width"].as_f64().unwrap(), plot["height"].as_f64().unwrap());
    assert!(w > 400.0 && w < 640.0 && h > 250.0 && h < 420.0, "{plot}");
    let (x, y) = pixel(&plot, (0.1, 0.8));
    let hit = rust(chart.hit(x + 3.0, y - 2.0).unwrap());
    assert_eq!(hit["series"], 0);
    assert_eq!(hit["name"], "Dense AE");
    assert_eq!(hit["kind"], "dense");
    assert_eq!(hit["point"], 2);
    assert_eq!(hit["score"], 0.8);
    let threshold = hit["threshold"].as_f64().unwrap();
    assert!(threshold < 0.8 && threshold > 0.8 - 1e-15, "{hit}");
    assert_eq!((hit["fpr"].as_f64(), hit["tpr"].as_f64()), (Some(0.1), Some(0.8)));
    assert!(near(hit["x"].as_f64().unwrap(), x, 1e-6) && near(hit["y"].as_f64().unwrap(), y, 1e-6), "{hit}");
    // The second model's point, and nothing far from every curve.
    let (x, y) = pixel(&plot, (0.3, 0.6));
    let hit = rust(chart.hit(x, y).unwrap());
    assert_eq!((hit["series"].as_u64(), hit["kind"].as_str(), hit["point"].as_u64()), (Some(1), Some("if"), Some(1)));
    let (x, y) = pixel(&plot, (0.9, 0.1));
    assert!(chart.hit(x, y).unwrap().is_null());
    // Precision–recall: the same object, its own fields.
    let pr = json!([{"name": "a", "precision": [0.5, 0.9, 1.0], "recall": [1.0, 0.5, 0.0], "thresholds": [0.1, 0.7], "ap": 0.8}]);
    let chart = draw_pr(canvas(2.0), "PR", js(pr), Some(2.0)).unwrap();
    let plot = rust(chart.plot().unwrap());
    let (x, y) = pixel(&plot, (0.5, 0.9));
    let hit = rust(chart.hit(x, y).unwrap());
    assert_eq!(
        (hit["precision"].as_f64(), hit["recall"].as_f64(), hit["score"].as_f64()),
        (Some(0.9), Some(0.5), Some(0.7))
    );
}

#[wasm_bindgen_test]
fn the_histogram_gives_bars_scores_and_the_handle_column() {
    for scale in [1.0, 2.0] {
        let chart = draw_histogram(canvas(scale), "H", histogram(), 0.05, "score", Some(scale)).unwrap();
        let plot = rust(chart.plot().unwrap());
        assert_eq!(plot["x"]["log"], true);
        // value_at inverts x_of on the log axis.
        for t in [0.002, 0.05, 0.5] {
            let back = chart.value_at(chart.x_of(t));
            assert!(near(back, t, 1e-9 * t), "{back} vs {t} at scale {scale}");
        }
        let (x, y) = pixel(&plot, (0.1f64.sqrt(), 10.0));
        let hit = rust(chart.hit(x, y).unwrap());
        assert_eq!((hit["bin"].as_u64(), hit["normal"].as_u64(), hit["attack"].as_u64()), (Some(2), Some(1), Some(40)));
        assert_eq!((hit["lo"].as_f64(), hit["hi"].as_f64()), (Some(0.1), Some(1.0)));
        assert!(hit["left"].as_f64().unwrap() < x && x < hit["right"].as_f64().unwrap());
        assert!(chart.hit(plot["left"].as_f64().unwrap() - 5.0, y).unwrap().is_null());
        assert_eq!(chart.value_at(-100.0), 0.001);
    }
}

#[wasm_bindgen_test]
fn the_confusion_and_bar_charts_name_what_is_under_the_pointer() {
    let chart = draw_confusion(canvas(2.0), "C", confusion(), Some(2.0)).unwrap();
    let plot = rust(chart.plot().unwrap());
    let (x, y) = pixel(&plot, (1.5, 1.5));
    let hit = rust(chart.hit(x, y).unwrap());
    assert_eq!(
        (hit["actual"].as_str(), hit["predicted"].as_str(), hit["count"].as_u64()),
        (Some("attack"), Some("attack"), Some(95))
    );
    assert!(near(hit["share"].as_f64().unwrap(), 95.0 / 100.0, 1e-12));
    let (x, y) = pixel(&plot, (1.5, 0.5));
    assert_eq!(rust(chart.hit(x, y).unwrap())["count"], 10);

    let chart = draw_categories(canvas(2.0), "Cat", categories(), Some(2.0)).unwrap();
    let plot = rust(chart.plot().unwrap());
    let (x, y) = pixel(&plot, (1.5, 0.3));
    let hit = rust(chart.hit(x, y).unwrap());
    assert_eq!(
        (hit["index"].as_u64(), hit["name"].as_str(), hit["flagged"].as_u64(), hit["total"].as_u64()),
        (Some(1), Some("dos"), Some(45), Some(50))
    );
    assert!(near(hit["rate"].as_f64().unwrap(), 0.9, 1e-12));
    assert_eq!(format_number(0.5382683925), "0.5382683925");
}
