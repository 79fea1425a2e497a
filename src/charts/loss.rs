//! Training (solid) and validation (dashed) loss per epoch for several models, on a
//! log scale (plotted as log10 with labels in the original units, so ticks are
//! readable however narrow the range).

use plotters::chart::SeriesLabelPosition;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{builder, grid, legend, Scale};
use super::{color_of, Axis, ChartError, PlotMap, PALETTE};
use crate::detect::ModelKind;

/// One model's losses per epoch, for [`loss_curves`].
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LossSeries {
    /// Legend name.
    pub name: String,
    /// Training loss per epoch (epoch 1 first).
    pub train: Vec<f64>,
    /// Validation loss per epoch, where there is one.
    pub validation: Vec<Option<f64>>,
    /// The model kind, for its colour (by position when absent).
    #[serde(default)]
    pub kind: Option<ModelKind>,
}

/// The loss chart; its map's y axis is the loss on a log10 scale.
pub fn loss_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[LossSeries],
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = Scale::new(scale);
    let log = |v: f64| v.max(1e-12).log10();
    let values = series.iter().flat_map(|s| s.train.iter().copied().chain(s.validation.iter().flatten().copied()));
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(log(v)), h.max(log(v))));
    let (lo, hi) =
        if lo.is_finite() { (lo - 0.05 - (hi - lo) * 0.05, hi + 0.05 + (hi - lo) * 0.05) } else { (-3.0, 0.0) };
    let epochs = series.iter().map(|s| s.train.len()).max().unwrap_or(1).max(2);
    let x = Axis::linear(0.8, epochs as f64 + 0.2);
    let mut chart = builder(area, title, s, (44.0, 64.0))?.build_cartesian_2d(x.min..x.max, lo..hi)?;
    grid(&mut chart.configure_mesh(), s)
        .x_desc("Epoch")
        .y_desc("MSE (log scale)")
        .x_labels(epochs.min(15))
        .x_label_formatter(&|v| if (v - v.round()).abs() < 1e-6 { format!("{v:.0}") } else { String::new() })
        .y_label_formatter(&|v| format!("{:.3}", 10f64.powf(*v)))
        .draw()?;
    let (width, key, dot) = (s.stroke(2.0), s.px(20.0), s.px(3.0));
    let mut labels = Vec::new();
    for (i, series) in series.iter().enumerate() {
        let color = PALETTE[series.kind.map_or(i, color_of) % PALETTE.len()];
        let points: Vec<(f64, f64)> = series.train.iter().enumerate().map(|(e, &l)| ((e + 1) as f64, log(l))).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(width)))?
            .label({
                labels.push(format!("{} train", series.name));
                format!("{} train", series.name)
            })
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + key, y)], color.stroke_width(width)));
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, dot, color.filled())))?;
        let val: Vec<(f64, f64)> =
            series.validation.iter().enumerate().filter_map(|(e, v)| v.map(|v| ((e + 1) as f64, log(v)))).collect();
        if !val.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(val, s.px(6.0), s.px(4.0), color.stroke_width(width)))?
                .label({
                    labels.push(format!("{} validation", series.name));
                    format!("{} validation", series.name)
                })
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + key * 2 / 5, y)], color.stroke_width(width)));
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight, s, &labels)?;
    area.present()?;
    Ok(PlotMap::of(chart.plotting_area(), x, Axis::log(10f64.powf(lo), 10f64.powf(hi))))
}
