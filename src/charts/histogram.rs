//! The score histogram (normal and attack rows overlaid, log-scale counts, the
//! threshold as a vertical line) and its pointer questions: the bar under a pixel, the
//! score at a pixel column and the column of a threshold (the drag handle).

use plotters::chart::SeriesLabelPosition;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Serialize;

use super::style::{builder, format_number, grid, legend, ticks_that_fit, Scale};
use super::{Axis, ChartError, PlotMap, ATTACK, NORMAL};
use crate::metrics::Histogram;

/// Bottom of the log count axis: below 1 so a bar of one row is visible.
const FLOOR: f64 = 0.8;

/// The x axis of a histogram: its edges, log10 when the bins are log-spaced.
fn x_axis(h: &Histogram) -> Axis {
    let (lo, hi) = (h.edges.first().copied().unwrap_or(0.0), h.edges.last().copied().unwrap_or(1.0));
    let (lo, hi) = if h.log_x { (lo.max(1e-300), hi.max(1e-300)) } else { (lo, hi) };
    let hi = if hi > lo {
        hi
    } else if h.log_x {
        lo * 10.0
    } else {
        lo + 1.0
    };
    Axis { min: lo, max: hi, log: h.log_x }
}

/// Score histogram with the threshold line; the legend gives the threshold in full.
pub fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    h: &Histogram,
    threshold: f64,
    score_name: &str,
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = Scale::new(scale);
    let x = x_axis(h);
    // Log-spaced bins are plotted as log10 with labels in the original units.
    let tx = move |v: f64| if x.log { v.max(1e-300).log10() } else { v };
    let peak = h.normal.iter().chain(&h.attack).copied().max().unwrap_or(1).max(1) as f64;
    let top = peak * 2.0;
    let x_label = if h.log_x { format!("{score_name} (log scale)") } else { score_name.to_string() };
    let x_format = move |v: &f64| short(if x.log { 10f64.powf(*v) } else { *v });
    // Across two decades or more, a log axis is labelled at whole decades only.
    let span = tx(x.max) - tx(x.min);
    let mut chart =
        builder(area, title, s, (44.0, 60.0))?.build_cartesian_2d(tx(x.min)..tx(x.max), (FLOOR..top).log_scale())?;
    let fit = ticks_that_fit(chart.plotting_area().dim_in_pixel().0, s, 56.0, 10);
    let ticks = if x.log && span >= 2.0 { (span.floor() as usize + 1).min(fit) } else { 6.min(fit) };
    grid(&mut chart.configure_mesh(), s)
        .x_desc(x_label)
        .y_desc("Rows (log scale)")
        .x_labels(ticks)
        .x_label_formatter(&x_format)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let key = (s.px(14.0), s.px(5.0));
    let mut labels = Vec::new();
    let mut labelled = |counts: &[u64], color: RGBColor, name: &str| -> Result<(), ChartError> {
        let label = format!("{name} ({})", counts.iter().sum::<u64>());
        labels.push(label.clone());
        let bars = counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(i, &c)| {
            Rectangle::new([(tx(h.edges[i]), FLOOR), (tx(h.edges[i + 1]), c as f64)], color.mix(0.45).filled())
        });
        chart
            .draw_series(bars)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - key.1), (x + key.0, y + key.1)], color.mix(0.6).filled()));
        Ok(())
    };
    labelled(&h.normal, NORMAL, "normal")?;
    labelled(&h.attack, ATTACK, "attack")?;
    let (width, line) = (s.stroke(2.0), s.px(20.0));
    let t = tx(x.clamp(threshold));
    let threshold_label = format!("threshold {}", format_number(threshold));
    labels.push(threshold_label.clone());
    chart
        .draw_series(LineSeries::new([(t, FLOOR), (t, top)], BLACK.stroke_width(width)))?
        .label(threshold_label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + line, y)], BLACK.stroke_width(width)));
    legend(&mut chart, legend_corner(h), s, &labels)?;
    area.present()?;
    Ok(PlotMap::of(chart.plotting_area(), x, Axis::log(FLOOR, top)))
}

/// The upper corner over the lower third of the bars, so the legend hides the least.
fn legend_corner(h: &Histogram) -> SeriesLabelPosition {
    let n = h.normal.len();
    let peak = |r: std::ops::Range<usize>| r.map(|i| h.normal[i].max(h.attack.get(i).copied().unwrap_or(0))).max();
    if peak(0..n / 3) < peak(n - n / 3..n) {
        SeriesLabelPosition::UpperLeft
    } else {
        SeriesLabelPosition::UpperRight
    }
}

/// Tick labels: 4 significant digits (the legend and the pointer readout give values
/// in full; a log axis's ticks such as 10^-3.5 would otherwise run to 10 digits).
fn short(v: f64) -> String {
    format_number(format!("{v:.3e}").parse().unwrap_or(v))
}

/// The bar under a pixel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistogramHit {
    /// Bin index.
    pub bin: usize,
    /// Its lower edge (score).
    pub lo: f64,
    /// Its upper edge.
    pub hi: f64,
    /// Normal rows in it.
    pub normal: u64,
    /// Attack rows in it (all rows when unlabelled).
    pub attack: u64,
    /// Left pixel column of the bar (backend pixels).
    pub left: f64,
    /// Right pixel column.
    pub right: f64,
}

/// The bin whose column holds `pixel` (anywhere from the axis to the top of the plot
/// area, so a short bar is as easy to point at as a tall one); `None` outside the plot.
pub fn histogram_hit(h: &Histogram, map: &PlotMap, pixel: (f64, f64)) -> Option<HistogramHit> {
    if !map.contains(pixel) || h.edges.len() < 2 {
        return None;
    }
    let v = map.x_value(pixel.0);
    let bins = h.edges.len() - 1;
    let bin = h.edges.partition_point(|&e| e <= v).saturating_sub(1).min(bins - 1);
    Some(HistogramHit {
        bin,
        lo: h.edges[bin],
        hi: h.edges[bin + 1],
        normal: h.normal.get(bin).copied().unwrap_or(0),
        attack: h.attack.get(bin).copied().unwrap_or(0),
        left: map.x_pixel(h.edges[bin]),
        right: map.x_pixel(h.edges[bin + 1]),
    })
}

/// The score at a pixel column (inverse of the log or linear axis), clamped to the
/// histogram's range: where a click or a drag puts the threshold.
pub fn histogram_value_at(map: &PlotMap, px: f64) -> f64 {
    map.x.clamp(map.x_value(px))
}

/// The pixel column of a score (clamped to the plot area): where the threshold line and
/// its drag handle are.
pub fn histogram_x_of(map: &PlotMap, value: f64) -> f64 {
    map.x_pixel(map.x.clamp(value))
}
