//! ROC and precision–recall curves of several models on one chart, and the nearest
//! curve point to a pixel: which model, which point, its threshold and rates.

use plotters::chart::SeriesLabelPosition;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Serialize;

use super::style::{builder, grid, legend, ticks_that_fit, Scale};
use super::{Axis, ChartError, PlotMap, PALETTE};
use crate::metrics::{PrCurve, RocCurve};

/// One model's ROC curve for [`roc`].
pub struct RocSeries<'a> {
    /// Legend name.
    pub name: &'a str,
    /// The curve.
    pub curve: &'a RocCurve,
    /// Its area (shown in the legend).
    pub auc: f64,
    /// Index into [`PALETTE`] (see [`super::color_of`]).
    pub color: usize,
}

/// One model's precision–recall curve for [`precision_recall`].
pub struct PrSeries<'a> {
    /// Legend name.
    pub name: &'a str,
    /// The curve.
    pub curve: &'a PrCurve,
    /// Average precision (shown in the legend).
    pub ap: f64,
    /// Index into [`PALETTE`] (see [`super::color_of`]).
    pub color: usize,
}

/// ROC curves of several models on one chart, AUC in the legend, the chance diagonal dashed.
pub fn roc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[RocSeries<'_>],
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let lines: Vec<Line<'_>> = series
        .iter()
        .map(|s| Line {
            label: format!("{} (AUC {:.4})", s.name, s.auc),
            x: &s.curve.fpr,
            y: &s.curve.tpr,
            color: s.color,
        })
        .collect();
    let axes = ("False positive rate", "True positive rate");
    unit_square_lines(area, title, axes, &lines, true, SeriesLabelPosition::LowerRight, Scale::new(scale))
}

/// Precision–recall curves of several models, average precision in the legend.
pub fn precision_recall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[PrSeries<'_>],
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let lines: Vec<Line<'_>> = series
        .iter()
        .map(|s| Line {
            label: format!("{} (AP {:.4})", s.name, s.ap),
            x: &s.curve.recall,
            y: &s.curve.precision,
            color: s.color,
        })
        .collect();
    let axes = ("Recall", "Precision");
    unit_square_lines(area, title, axes, &lines, false, SeriesLabelPosition::LowerLeft, Scale::new(scale))
}

/// One labelled curve.
struct Line<'a> {
    label: String,
    x: &'a [f64],
    y: &'a [f64],
    color: usize,
}

/// Top of the y axis: a hair above 1 so a curve along y = 1 is not cut by the frame.
const Y_TOP: f64 = 1.0001;

/// Curves on `[0, 1]²`, one palette colour each, optionally with the dashed diagonal.
fn unit_square_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    (x_desc, y_desc): (&str, &str),
    lines: &[Line<'_>],
    diagonal: bool,
    position: SeriesLabelPosition,
    s: Scale,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let mut chart = builder(area, title, s, (44.0, 54.0))?.build_cartesian_2d(0f64..1f64, 0f64..Y_TOP)?;
    // "0.0 … 1.0" in tenths needs about 40 px a label; a narrow plot gets fifths or halves.
    let ticks = ticks_that_fit(chart.plotting_area().dim_in_pixel().0, s, 40.0, 11);
    grid(&mut chart.configure_mesh(), s).x_desc(x_desc).y_desc(y_desc).x_labels(ticks).draw()?;
    if diagonal {
        let style = BLACK.mix(0.4).stroke_width(s.stroke(1.0));
        chart.draw_series(DashedLineSeries::new([(0.0, 0.0), (1.0, 1.0)], s.px(6.0), s.px(4.0), style))?;
    }
    let width = s.stroke(2.0);
    let key = s.px(20.0);
    for line in lines {
        let color = PALETTE[line.color % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(line.x.iter().zip(line.y).map(|(&x, &y)| (x, y)), color.stroke_width(width)))?
            .label(line.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + key, y)], color.stroke_width(width)));
    }
    let labels: Vec<String> = lines.iter().map(|l| l.label.clone()).collect();
    legend(&mut chart, position, s, &labels)?;
    area.present()?;
    Ok(PlotMap::of(chart.plotting_area(), Axis::linear(0.0, 1.0), Axis::linear(0.0, Y_TOP)))
}

/// The ROC point nearest a pixel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RocHit {
    /// Index of the series (model) in the list drawn.
    pub series: usize,
    /// Its name.
    pub name: String,
    /// Index of the point on its curve.
    pub point: usize,
    /// The curve's threshold at this point (scikit-learn's: rows scoring at or above it
    /// are flagged); `None` when the curve carries no thresholds.
    pub score: Option<f64>,
    /// The threshold in this project's sense (flag scores strictly above it) that gives
    /// exactly this point: the largest number below `score`.
    pub threshold: Option<f64>,
    /// False positive rate.
    pub fpr: f64,
    /// True positive rate.
    pub tpr: f64,
    /// The point's pixel (backend pixels).
    pub x: f64,
    /// The point's pixel row.
    pub y: f64,
}

/// The precision–recall point nearest a pixel (fields as [`RocHit`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrHit {
    /// Index of the series (model).
    pub series: usize,
    /// Its name.
    pub name: String,
    /// Index of the point on its curve.
    pub point: usize,
    /// The curve's threshold (rows scoring at or above it are flagged).
    pub score: Option<f64>,
    /// The threshold to flag strictly above that gives this point.
    pub threshold: Option<f64>,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// The point's pixel (backend pixels).
    pub x: f64,
    /// The point's pixel row.
    pub y: f64,
}

/// The nearest ROC point to `pixel` among all series, within `max_distance` pixels.
/// Points without a finite threshold are skipped when the curve has thresholds: the
/// first ROC point (0, 0) sits at +∞ (nothing flagged), which no score reaches, so the
/// pointer goes to the nearest point a threshold can produce.
pub fn roc_hit(series: &[RocSeries<'_>], map: &PlotMap, pixel: (f64, f64), max_distance: f64) -> Option<RocHit> {
    let curves = series.iter().map(|s| (&s.curve.fpr[..], &s.curve.tpr[..], &s.curve.thresholds[..]));
    let n = nearest(curves, map, pixel, max_distance)?;
    let s = &series[n.series];
    Some(RocHit {
        series: n.series,
        name: s.name.to_string(),
        point: n.point,
        score: n.score,
        threshold: n.score.map(just_below),
        fpr: s.curve.fpr[n.point],
        tpr: s.curve.tpr[n.point],
        x: n.pixel.0,
        y: n.pixel.1,
    })
}

/// The nearest precision–recall point to `pixel`, within `max_distance` pixels. The
/// last point (recall 0, precision 1) has no threshold and is skipped when the curve
/// has thresholds.
pub fn pr_hit(series: &[PrSeries<'_>], map: &PlotMap, pixel: (f64, f64), max_distance: f64) -> Option<PrHit> {
    let curves = series.iter().map(|s| (&s.curve.recall[..], &s.curve.precision[..], &s.curve.thresholds[..]));
    let n = nearest(curves, map, pixel, max_distance)?;
    let s = &series[n.series];
    Some(PrHit {
        series: n.series,
        name: s.name.to_string(),
        point: n.point,
        score: n.score,
        threshold: n.score.map(just_below),
        precision: s.curve.precision[n.point],
        recall: s.curve.recall[n.point],
        x: n.pixel.0,
        y: n.pixel.1,
    })
}

struct Nearest {
    series: usize,
    point: usize,
    score: Option<f64>,
    pixel: (f64, f64),
}

/// The closest point over curves given as `(x, y, thresholds)`; the first series wins ties.
fn nearest<'a>(
    curves: impl Iterator<Item = (&'a [f64], &'a [f64], &'a [f64])>,
    map: &PlotMap,
    (px, py): (f64, f64),
    max_distance: f64,
) -> Option<Nearest> {
    let mut best: Option<(f64, Nearest)> = None;
    for (series, (xs, ys, thresholds)) in curves.enumerate() {
        for (point, (&x, &y)) in xs.iter().zip(ys).enumerate() {
            let score = thresholds.get(point).copied();
            if !thresholds.is_empty() && !score.is_some_and(f64::is_finite) {
                continue;
            }
            let pixel = map.to_pixel((x, y));
            let d = (pixel.0 - px).hypot(pixel.1 - py);
            if d <= max_distance && best.as_ref().is_none_or(|(b, _)| d < *b) {
                best = Some((d, Nearest { series, point, score, pixel }));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// The largest `f64` below `v` (`f64::next_down`, newer than the crate's minimum Rust):
/// flagging strictly above it flags exactly the rows scoring at or above `v`.
fn just_below(v: f64) -> f64 {
    if v.is_nan() || v == f64::NEG_INFINITY {
        v
    } else if v == 0.0 {
        -f64::from_bits(1)
    } else if v > 0.0 {
        f64::from_bits(v.to_bits() - 1)
    } else {
        f64::from_bits(v.to_bits() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::just_below;

    #[test]
    fn just_below_is_the_next_number_down() {
        for v in [0.5382683925, 1.0, -2.5, 1e-300, 0.0, f64::INFINITY] {
            let b = just_below(v);
            assert!(b < v, "{b} < {v}");
            let mid = b / 2.0 + v / 2.0;
            assert!(mid == b || mid == v || v.is_infinite(), "no number between {b} and {v}");
        }
    }
}
