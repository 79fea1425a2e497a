//! A record's explanation as horizontal bars: each feature's share of the record's
//! score, the largest at the top, every name written in full beside its bar (the name
//! band is as wide as the longest name shown) and the share at the bar's end.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{builder, grid, Scale, FONT};
use super::{Axis, ChartError, PlotMap, PALETTE};

/// Bars drawn at most: the rest of a record's features share what is left.
pub const MAX_BARS: usize = 12;
const LABEL_FONT: f64 = 13.0;

/// `shares` (feature name, share 0–1), largest first as an explanation lists them; the
/// first [`MAX_BARS`] are drawn in `color` (a palette index). Bar `i` (from the top)
/// spans `[n - 1 - i, n - i]` in y data units.
pub fn feature_shares<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    shares: &[(String, f64)],
    color: usize,
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = Scale::new(scale);
    let shown = &shares[..shares.len().min(MAX_BARS)];
    let n = shown.len().max(1);
    let font = TextStyle::from((FONT, s.font(LABEL_FONT)).into_font());
    let width = |t: &str| {
        area.estimate_text_size(t, &font)
            .map(|(w, _)| f64::from(w))
            .unwrap_or(t.chars().count() as f64 * s.font(LABEL_FONT) * 0.6)
    };
    let band = shown.iter().map(|(name, _)| width(name)).fold(0.0, f64::max) / s.0 + 14.0;
    let top = shown.iter().map(|&(_, v)| v).fold(0.0, f64::max).max(1e-9);
    // Room right of the longest bar for its percentage.
    let x_max = (top * 1.18).min(1.0).max(top * 1.05);
    let mut chart = builder(area, title, s, (36.0, band))?.build_cartesian_2d(0f64..x_max, 0f64..n as f64)?;
    grid(&mut chart.configure_mesh(), s)
        .disable_y_mesh()
        .y_labels(0)
        .x_desc("Share of the record's score")
        .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .draw()?;
    let fill = PALETTE[color % PALETTE.len()];
    for (i, &(_, v)) in shown.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        chart.draw_series(std::iter::once(Rectangle::new([(0.0, y + 0.15), (v, y + 0.85)], fill.mix(0.8).filled())))?;
    }
    let map = PlotMap::of(chart.plotting_area(), Axis::linear(0.0, x_max), Axis::linear(0.0, n as f64));
    let (bx, by) = area.get_base_pixel();
    let at = |(x, y): (f64, f64)| (x.round() as i32 - bx, y.round() as i32 - by);
    let gap = f64::from(s.px(6.0));
    for (i, (name, v)) in shown.iter().enumerate() {
        let y = (n - 1 - i) as f64 + 0.5;
        let (left, cy) = map.to_pixel((0.0, y));
        let name_style = font.clone().pos(Pos::new(HPos::Right, VPos::Center)).color(&BLACK);
        area.draw_text(name, &name_style, at((left - gap, cy)))?;
        let (end, _) = map.to_pixel((*v, y));
        let share_style = font.clone().pos(Pos::new(HPos::Left, VPos::Center)).color(&BLACK);
        area.draw_text(&format!("{:.1}%", v * 100.0), &share_style, at((end + gap / 2.0, cy)))?;
    }
    area.present()?;
    Ok(map)
}
