//! Charts on the page's canvases (main thread only: plotters measures text through
//! `window.document`). Each `draw_*` draws with the library's chart code at `scale`
//! backend pixels per CSS pixel (pass `devicePixelRatio` with a backing store of CSS
//! size × ratio; `undefined` means 1) and returns an object that keeps what it drew,
//! so the page asks it what lies under the pointer. Every coordinate in and out of
//! those objects is in CSS pixels relative to the canvas's top-left corner.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::{Deserialize, Deserializer, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{err, from_js, to_js};
use crate::charts::{self, LossSeries, PlotMap, PrSeries, RocSeries};
use crate::detect::ModelKind;
use crate::metrics::{Confusion, Detected, Histogram, PrCurve, RocCurve};

/// How far from a curve point (CSS pixels) the pointer still picks it.
const CURVE_RADIUS: f64 = 40.0;

fn area(canvas: HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    Ok(CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("not a usable canvas"))?
        .into_drawing_area())
}

/// `kind` fixes a model's colour; without it, colours go by position.
fn color(i: usize, kind: Option<ModelKind>) -> usize {
    kind.map_or(i, charts::color_of)
}

/// Thresholds as numbers, where `null` (JSON's spelling of ±∞, as ROC's first
/// threshold travels through `JSON.stringify`) reads as +∞.
fn thresholds<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let v: Vec<Option<f64>> = Vec::deserialize(d)?;
    Ok(v.into_iter().map(|t| t.unwrap_or(f64::INFINITY)).collect())
}

/// One model's curve as the page sends it: `{name, kind?, fpr, tpr, thresholds?, auc}`
/// or `{name, kind?, precision, recall, thresholds?, ap}`.
#[derive(Deserialize)]
struct CurveInput {
    #[serde(default)]
    kind: Option<ModelKind>,
    name: String,
    #[serde(default)]
    fpr: Vec<f64>,
    #[serde(default)]
    tpr: Vec<f64>,
    #[serde(default)]
    precision: Vec<f64>,
    #[serde(default)]
    recall: Vec<f64>,
    #[serde(default, deserialize_with = "thresholds")]
    thresholds: Vec<f64>,
    #[serde(alias = "ap")]
    auc: f64,
}

/// A hit with its series' kind beside it, pixels already in CSS units.
#[derive(Serialize)]
struct WithKind<H> {
    #[serde(flatten)]
    hit: H,
    kind: Option<ModelKind>,
}

enum Curves {
    Roc(Vec<(CurveInput, RocCurve)>),
    Pr(Vec<(CurveInput, PrCurve)>),
}

/// ROC or precision–recall curves as drawn: `hit(x, y)` finds the nearest point.
#[wasm_bindgen]
pub struct CurveChart {
    curves: Curves,
    map: PlotMap,
    scale: f64,
}

#[wasm_bindgen]
impl CurveChart {
    /// The nearest curve point within 40 CSS px of `(x, y)`, or `null`: ROC
    /// `{series, name, kind, point, score, threshold, fpr, tpr, x, y}`, PR the same with
    /// `precision, recall` instead of `fpr, tpr`. `threshold` is the value to set
    /// (flag scores strictly above it) that gives exactly this point; `score` is the
    /// curve's own threshold (flagged at or above); both `null` without thresholds.
    /// `x, y`: the point's position in CSS px.
    pub fn hit(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        let (p, r) = ((x * self.scale, y * self.scale), CURVE_RADIUS * self.scale);
        match &self.curves {
            Curves::Roc(input) => {
                let series = roc_series(input);
                match charts::roc_hit(&series, &self.map, p, r) {
                    Some(mut h) => {
                        (h.x, h.y) = (h.x / self.scale, h.y / self.scale);
                        let kind = input[h.series].0.kind;
                        to_js(&WithKind { hit: h, kind })
                    }
                    None => Ok(JsValue::NULL),
                }
            }
            Curves::Pr(input) => {
                let series = pr_series(input);
                match charts::pr_hit(&series, &self.map, p, r) {
                    Some(mut h) => {
                        (h.x, h.y) = (h.x / self.scale, h.y / self.scale);
                        let kind = input[h.series].0.kind;
                        to_js(&WithKind { hit: h, kind })
                    }
                    None => Ok(JsValue::NULL),
                }
            }
        }
    }

    /// The plot area and axes: `{left, top, width, height, x: {min, max, log}, y: {…}}`, CSS px.
    pub fn plot(&self) -> Result<JsValue, JsError> {
        to_js(&self.map.shrunk(self.scale))
    }
}

fn roc_series(input: &[(CurveInput, RocCurve)]) -> Vec<RocSeries<'_>> {
    let series = input.iter().enumerate();
    series.map(|(i, (s, c))| RocSeries { name: &s.name, curve: c, auc: s.auc, color: color(i, s.kind) }).collect()
}

fn pr_series(input: &[(CurveInput, PrCurve)]) -> Vec<PrSeries<'_>> {
    let series = input.iter().enumerate();
    series.map(|(i, (s, c))| PrSeries { name: &s.name, curve: c, ap: s.auc, color: color(i, s.kind) }).collect()
}

fn scale_of(scale: Option<f64>) -> f64 {
    charts::scale_factor(scale.unwrap_or(1.0))
}

/// ROC curves of several models: `[{name, fpr, tpr, thresholds?, auc, kind?}]`.
#[wasm_bindgen]
pub fn draw_roc(
    canvas: HtmlCanvasElement,
    title: &str,
    series: JsValue,
    scale: Option<f64>,
) -> Result<CurveChart, JsError> {
    let scale = scale_of(scale);
    let input: Vec<CurveInput> = from_js(series)?;
    let input: Vec<(CurveInput, RocCurve)> = input
        .into_iter()
        .map(|mut s| {
            let curve = RocCurve {
                fpr: std::mem::take(&mut s.fpr),
                tpr: std::mem::take(&mut s.tpr),
                thresholds: std::mem::take(&mut s.thresholds),
            };
            (s, curve)
        })
        .collect();
    let map = charts::roc(&area(canvas)?, title, &roc_series(&input), scale).map_err(err)?;
    Ok(CurveChart { curves: Curves::Roc(input), map, scale })
}

/// Precision–recall curves: `[{name, precision, recall, thresholds?, ap, kind?}]`.
#[wasm_bindgen]
pub fn draw_pr(
    canvas: HtmlCanvasElement,
    title: &str,
    series: JsValue,
    scale: Option<f64>,
) -> Result<CurveChart, JsError> {
    let scale = scale_of(scale);
    let input: Vec<CurveInput> = from_js(series)?;
    let input: Vec<(CurveInput, PrCurve)> = input
        .into_iter()
        .map(|mut s| {
            let curve = PrCurve {
                precision: std::mem::take(&mut s.precision),
                recall: std::mem::take(&mut s.recall),
                thresholds: std::mem::take(&mut s.thresholds),
            };
            (s, curve)
        })
        .collect();
    let map = charts::precision_recall(&area(canvas)?, title, &pr_series(&input), scale).map_err(err)?;
    Ok(CurveChart { curves: Curves::Pr(input), map, scale })
}

/// A score histogram as drawn: bars under the pointer, scores at pixel columns.
#[wasm_bindgen]
pub struct HistogramChart {
    histogram: Histogram,
    map: PlotMap,
    scale: f64,
}

#[wasm_bindgen]
impl HistogramChart {
    /// The bar whose column holds `(x, y)` inside the plot area, or `null`:
    /// `{bin, lo, hi, normal, attack, left, right}` (`lo`, `hi`: its score range;
    /// `left`, `right`: its edges in CSS px).
    pub fn hit(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        match charts::histogram_hit(&self.histogram, &self.map, (x * self.scale, y * self.scale)) {
            Some(mut h) => {
                (h.left, h.right) = (h.left / self.scale, h.right / self.scale);
                to_js(&h)
            }
            None => Ok(JsValue::NULL),
        }
    }

    /// The score at CSS column `x` (log or linear axis undone), clamped to the
    /// histogram's range: the threshold a click or drag there sets.
    pub fn value_at(&self, x: f64) -> f64 {
        charts::histogram_value_at(&self.map, x * self.scale)
    }

    /// The CSS column of a score (clamped to the plot area): where to put the
    /// threshold's drag handle.
    pub fn x_of(&self, value: f64) -> f64 {
        charts::histogram_x_of(&self.map, value) / self.scale
    }

    /// The plot area and axes in CSS px (see [`CurveChart::plot`]).
    pub fn plot(&self) -> Result<JsValue, JsError> {
        to_js(&self.map.shrunk(self.scale))
    }
}

/// A score histogram `{edges, normal, attack, log_x?}` with the threshold line.
#[wasm_bindgen]
pub fn draw_histogram(
    canvas: HtmlCanvasElement,
    title: &str,
    histogram: JsValue,
    threshold: f64,
    x_label: &str,
    scale: Option<f64>,
) -> Result<HistogramChart, JsError> {
    let scale = scale_of(scale);
    let histogram: Histogram = from_js(histogram)?;
    let map = charts::histogram(&area(canvas)?, title, &histogram, threshold, x_label, scale).map_err(err)?;
    Ok(HistogramChart { histogram, map, scale })
}

/// A confusion matrix as drawn.
#[wasm_bindgen]
pub struct ConfusionChart {
    confusion: Confusion,
    map: PlotMap,
    scale: f64,
}

#[wasm_bindgen]
impl ConfusionChart {
    /// The cell under `(x, y)`, or `null`: `{actual, predicted, count, share, x, y}`
    /// (`actual`, `predicted`: `"normal"` or `"attack"`; `share`: of its true class,
    /// 0–1; `x, y`: the cell's centre in CSS px).
    pub fn hit(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        match charts::confusion_hit(&self.confusion, &self.map, (x * self.scale, y * self.scale)) {
            Some(mut h) => {
                (h.x, h.y) = (h.x / self.scale, h.y / self.scale);
                to_js(&h)
            }
            None => Ok(JsValue::NULL),
        }
    }

    /// The plot area and axes in CSS px (x: predicted 0–2, y: actual 0–2; attack is 1–2).
    pub fn plot(&self) -> Result<JsValue, JsError> {
        to_js(&self.map.shrunk(self.scale))
    }
}

/// A confusion matrix `{tn, fp, fn_, tp}` as a heat map.
#[wasm_bindgen]
pub fn draw_confusion(
    canvas: HtmlCanvasElement,
    title: &str,
    confusion: JsValue,
    scale: Option<f64>,
) -> Result<ConfusionChart, JsError> {
    let scale = scale_of(scale);
    let confusion: Confusion = from_js(confusion)?;
    let map = charts::confusion(&area(canvas)?, title, &confusion, scale).map_err(err)?;
    Ok(ConfusionChart { confusion, map, scale })
}

/// Bars per category or label as drawn.
#[wasm_bindgen]
pub struct BarChart {
    rows: Vec<Detected>,
    map: PlotMap,
    scale: f64,
}

#[wasm_bindgen]
impl BarChart {
    /// The bar whose column holds `(x, y)` inside the plot area, or `null`:
    /// `{index, name, flagged, total, rate, x, y}` (`x`: the bar's centre, `y`: its
    /// top, CSS px).
    pub fn hit(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        match charts::bar_hit(&self.rows, &self.map, (x * self.scale, y * self.scale)) {
            Some(mut h) => {
                (h.x, h.y) = (h.x / self.scale, h.y / self.scale);
                to_js(&h)
            }
            None => Ok(JsValue::NULL),
        }
    }

    /// The plot area and axes in CSS px (x: bar `i` spans `i..i + 1`).
    pub fn plot(&self) -> Result<JsValue, JsError> {
        to_js(&self.map.shrunk(self.scale))
    }
}

/// Share flagged per category or label: `[{name, category, total, flagged}]`.
#[wasm_bindgen]
pub fn draw_categories(
    canvas: HtmlCanvasElement,
    title: &str,
    rows: JsValue,
    scale: Option<f64>,
) -> Result<BarChart, JsError> {
    let scale = scale_of(scale);
    let rows: Vec<Detected> = from_js(rows)?;
    let map = charts::category_recall(&area(canvas)?, title, &rows, scale).map_err(err)?;
    Ok(BarChart { rows, map, scale })
}

/// Loss curves: `[{name, train: [..], validation: [..|null], kind?}]`; returns the
/// plot map in CSS px (as `plot()` of the other charts).
#[wasm_bindgen]
pub fn draw_loss(
    canvas: HtmlCanvasElement,
    title: &str,
    series: JsValue,
    scale: Option<f64>,
) -> Result<JsValue, JsError> {
    let scale = scale_of(scale);
    let series: Vec<LossSeries> = from_js(series)?;
    let map = charts::loss_curves(&area(canvas)?, title, &series, scale).map_err(err)?;
    to_js(&map.shrunk(scale))
}

/// A record's explanation (the `explanation` of an `explanation` reply) as horizontal
/// bars of each feature's share, largest first; returns the plot map in CSS px.
#[wasm_bindgen]
pub fn draw_explanation(
    canvas: HtmlCanvasElement,
    title: &str,
    explanation: JsValue,
    scale: Option<f64>,
) -> Result<JsValue, JsError> {
    let scale = scale_of(scale);
    let e: crate::explain::Explanation = from_js(explanation)?;
    let shares: Vec<(String, f64)> = e.features.iter().map(|f| (f.feature.clone(), f.share)).collect();
    let map = charts::feature_shares(&area(canvas)?, title, &shares, charts::color_of(e.model), scale).map_err(err)?;
    to_js(&map.shrunk(scale))
}

/// A number written whole, as the charts' legends write it (up to 10 significant
/// digits, trailing zeros dropped): for readouts beside the charts.
#[wasm_bindgen]
pub fn format_number(value: f64) -> String {
    charts::format_number(value)
}
