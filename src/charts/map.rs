//! A chart's pixel ↔ data mapping: where its plot area lies in the backend's pixels
//! and what its axes span (linear or log10), so a pointer position can be turned
//! into data and data into the pixel it was drawn at.

use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// One axis: its range in data units and whether it is drawn on a log10 scale.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// Value at the left (x) or bottom (y) edge of the plot area.
    pub min: f64,
    /// Value at the right (x) or top (y) edge.
    pub max: f64,
    /// Log10 scale (then `min` and `max` are positive).
    pub log: bool,
}

impl Axis {
    /// A linear axis.
    pub fn linear(min: f64, max: f64) -> Self {
        Self { min, max, log: false }
    }

    /// A log10 axis (`min`, `max` > 0).
    pub fn log(min: f64, max: f64) -> Self {
        Self { min, max, log: true }
    }

    fn t(&self, v: f64) -> f64 {
        if self.log {
            v.max(f64::MIN_POSITIVE).log10()
        } else {
            v
        }
    }

    /// Where `v` lies between `min` (0) and `max` (1); outside the range beyond 0..1.
    pub fn fraction(&self, v: f64) -> f64 {
        let (lo, hi) = (self.t(self.min), self.t(self.max));
        if hi == lo {
            0.5
        } else {
            (self.t(v) - lo) / (hi - lo)
        }
    }

    /// The value at `fraction` of the way from `min` to `max` (inverse of [`Axis::fraction`]).
    pub fn value(&self, fraction: f64) -> f64 {
        let (lo, hi) = (self.t(self.min), self.t(self.max));
        let t = lo + fraction * (hi - lo);
        if self.log {
            10f64.powf(t)
        } else {
            t
        }
    }

    /// `v` limited to the axis range.
    pub fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.min.min(self.max), self.max.max(self.min))
    }
}

/// The plot area (inside the axes) in backend pixels, with its two axes. `x.min` is
/// at `left`, `x.max` at `left + width`; `y.min` at `top + height`, `y.max` at `top`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlotMap {
    /// Left edge of the plot area.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// From the first to the last pixel column.
    pub width: f64,
    /// From the first to the last pixel row.
    pub height: f64,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
}

impl PlotMap {
    /// The map of a chart's plotting area (`chart.plotting_area()`), matching how
    /// plotters' Cartesian coordinates place values (first to last pixel, y upwards).
    pub fn of<DB: DrawingBackend, CT: CoordTranslate>(plot: &DrawingArea<DB, CT>, x: Axis, y: Axis) -> Self {
        let (xs, ys) = plot.get_pixel_range();
        Self {
            left: f64::from(xs.start),
            top: f64::from(ys.start),
            width: f64::from(xs.end - 1 - xs.start),
            height: f64::from(ys.end - 1 - ys.start),
            x,
            y,
        }
    }

    /// The pixel of a data point.
    pub fn to_pixel(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.x_pixel(x), self.top + self.height * (1.0 - self.y.fraction(y)))
    }

    /// The pixel column of an x value.
    pub fn x_pixel(&self, x: f64) -> f64 {
        self.left + self.width * self.x.fraction(x)
    }

    /// The data point at a pixel (beyond the axis ranges when outside the plot area).
    pub fn from_pixel(&self, (px, py): (f64, f64)) -> (f64, f64) {
        (self.x_value(px), self.y.value(if self.height == 0.0 { 0.5 } else { 1.0 - (py - self.top) / self.height }))
    }

    /// The x value at a pixel column.
    pub fn x_value(&self, px: f64) -> f64 {
        self.x.value(if self.width == 0.0 { 0.5 } else { (px - self.left) / self.width })
    }

    /// Whether a pixel lies inside the plot area (edges included).
    pub fn contains(&self, (px, py): (f64, f64)) -> bool {
        (self.left..=self.left + self.width).contains(&px) && (self.top..=self.top + self.height).contains(&py)
    }

    /// The same map with every pixel length divided by `factor` (backend → CSS pixels).
    pub fn shrunk(&self, factor: f64) -> PlotMap {
        let f = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
        PlotMap { left: self.left / f, top: self.top / f, width: self.width / f, height: self.height / f, ..*self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(x: Axis, y: Axis) -> PlotMap {
        PlotMap { left: 50.0, top: 20.0, width: 400.0, height: 300.0, x, y }
    }

    #[test]
    fn pixels_and_data_round_trip_on_linear_and_log_axes() {
        for m in [map(Axis::linear(0.0, 1.0), Axis::linear(0.0, 1.0)), map(Axis::log(1e-4, 10.0), Axis::log(0.8, 2e5))]
        {
            let corners = [(m.x.min, m.y.min), (m.x.max, m.y.max)];
            assert_eq!(m.to_pixel(corners[0]), (50.0, 320.0));
            assert_eq!(m.to_pixel(corners[1]), (450.0, 20.0));
            for (px, py) in [(60.0, 300.0), (250.5, 170.25), (449.0, 21.0)] {
                let back = m.to_pixel(m.from_pixel((px, py)));
                assert!((back.0 - px).abs() < 1e-9 && (back.1 - py).abs() < 1e-9, "{back:?} vs {px}, {py}");
            }
        }
        let log = map(Axis::log(1e-3, 1e1), Axis::linear(0.0, 1.0));
        // Four decades across 400 px: each decade is 100 px.
        assert!((log.x_pixel(1e-1) - 250.0).abs() < 1e-9);
        assert!((log.x_value(350.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn shrinking_divides_pixels_only() {
        let m = map(Axis::linear(0.0, 2.0), Axis::linear(0.0, 1.0)).shrunk(2.0);
        assert_eq!((m.left, m.top, m.width, m.height), (25.0, 10.0, 200.0, 150.0));
        assert_eq!(m.x, Axis::linear(0.0, 2.0));
        assert!(m.contains((100.0, 100.0)) && !m.contains((10.0, 100.0)));
    }
}
