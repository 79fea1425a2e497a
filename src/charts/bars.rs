//! Share of rows flagged per category or per label, as bars with their counts, and the
//! bar under a pixel. Many bars (23 KDD labels) get labels that never overlap: written
//! upright when they fit, else vertically, else every k-th one, long names shortened.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::Serialize;

use super::style::{builder, grid, Scale, FONT};
use super::{Axis, ChartError, PlotMap, ATTACK, NORMAL};
use crate::metrics::Detected;

/// Names longer than this many characters are cut, with an ellipsis.
const MAX_CHARS: usize = 16;
/// Top of the y axis (room for the counts above a full bar).
const Y_TOP: f64 = 1.1;
const LABEL_FONT: f64 = 13.0;

/// How the x labels of a bar chart are written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelLayout {
    /// One label per bar as written (shortened when long); empty where thinned out.
    pub labels: Vec<String>,
    /// Written vertically, reading upwards, their end at the axis.
    pub rotated: bool,
    /// Every `step`-th label is written.
    pub step: usize,
    /// Depth of the label band below the axis (backend pixels).
    pub band: f64,
}

/// Lay out `names` for bars `slot` pixels apart, `measure` giving a text's (width,
/// height): upright if every label fits its slot, else vertical, thinned to every k-th
/// label when even vertical labels are taller than a slot; `gap` pixels between labels.
pub fn x_label_layout(names: &[String], slot: f64, gap: f64, measure: impl Fn(&str) -> (f64, f64)) -> LabelLayout {
    let labels: Vec<String> = names
        .iter()
        .map(|n| {
            if n.chars().count() > MAX_CHARS {
                format!("{}…", n.chars().take(MAX_CHARS - 1).collect::<String>())
            } else {
                n.clone()
            }
        })
        .collect();
    let sizes: Vec<(f64, f64)> = labels.iter().map(|l| measure(l)).collect();
    let widest = sizes.iter().map(|s| s.0).fold(0.0, f64::max);
    let tallest = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
    if widest + gap <= slot {
        return LabelLayout { labels, rotated: false, step: 1, band: tallest + gap };
    }
    let step = (((tallest + gap) / slot.max(1e-9)).ceil() as usize).max(1);
    let labels = labels.into_iter().enumerate().map(|(i, l)| if i % step == 0 { l } else { String::new() }).collect();
    LabelLayout { labels, rotated: true, step, band: widest + gap }
}

/// Bars of `flagged / total` per row (recall for an attack category or label; for
/// `normal` the false positive rate), the counts written on them. Bar `i` spans
/// `[i, i + 1]` in x data units.
pub fn category_recall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[Detected],
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = Scale::new(scale);
    let n = rows.len().max(1);
    let font = TextStyle::from((FONT, s.font(LABEL_FONT)).into_font());
    let measure = |t: &str| area.estimate_text_size(t, &font).map(|(w, h)| (f64::from(w), f64::from(h)));
    let measured =
        |t: &str| measure(t).unwrap_or((t.chars().count() as f64 * s.font(LABEL_FONT) * 0.6, s.font(LABEL_FONT)));
    // The plot's width before it exists: the area less margins and the y label band.
    let y_band = 56.0;
    let plot_width = f64::from(area.dim_in_pixel().0) - f64::from(s.px(24.0 + y_band));
    let slot = (plot_width / n as f64).max(1.0);
    let gap = f64::from(s.px(6.0));
    let names: Vec<String> = rows.iter().map(|d| d.name.clone()).collect();
    let layout = x_label_layout(&names, slot, gap, measured);
    let band = (layout.band + f64::from(s.px(8.0))) / s.0;
    let mut chart = builder(area, title, s, (band, y_band))?.build_cartesian_2d(0f64..n as f64, 0f64..Y_TOP)?;
    grid(&mut chart.configure_mesh(), s)
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("Share flagged")
        .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .draw()?;
    for (i, d) in rows.iter().enumerate() {
        let color = if d.name == "normal" { NORMAL } else { ATTACK };
        let x = i as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.1, 0.0), (x + 0.9, d.rate())],
            color.mix(0.7).filled(),
        )))?;
    }
    let map = PlotMap::of(chart.plotting_area(), Axis::linear(0.0, n as f64), Axis::linear(0.0, Y_TOP));
    let (bx, by) = area.get_base_pixel();
    let at = |(x, y): (f64, f64)| (x.round() as i32 - bx, y.round() as i32 - by);
    let style = |h, v, rotated: bool, color: &'static RGBColor| {
        let t = font.clone().pos(Pos::new(h, v)).color(color);
        if rotated {
            t.transform(FontTransform::Rotate270)
        } else {
            t
        }
    };
    let bottom = map.top + map.height;
    for (i, label) in layout.labels.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let cx = map.x_pixel(i as f64 + 0.5);
        let st = if layout.rotated {
            style(HPos::Right, VPos::Center, true, &BLACK)
        } else {
            style(HPos::Center, VPos::Top, false, &BLACK)
        };
        area.draw_text(label, &st, at((cx, bottom + f64::from(s.px(6.0)))))?;
    }
    // Counts: upright above the bar when they fit the slot, else vertical, above the
    // bar when there is room, inside it (white) when not.
    let counts: Vec<String> = rows.iter().map(|d| format!("{}/{}", d.flagged, d.total)).collect();
    let widest = counts.iter().map(|c| measured(c).0).fold(0.0, f64::max);
    for (i, (d, text)) in rows.iter().zip(&counts).enumerate() {
        let (cx, top) = map.to_pixel((i as f64 + 0.5, d.rate()));
        let (st, y) = if widest + gap <= slot {
            (style(HPos::Center, VPos::Bottom, false, &BLACK), top - gap / 2.0)
        } else if top - map.top >= measured(text).0 + 2.0 * gap {
            (style(HPos::Left, VPos::Center, true, &BLACK), top - gap / 2.0)
        } else {
            (style(HPos::Right, VPos::Center, true, &WHITE), top + gap)
        };
        area.draw_text(text, &st, at((cx, y)))?;
    }
    area.present()?;
    Ok(map)
}

/// The bar under a pixel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BarHit {
    /// Index of the bar (of the row).
    pub index: usize,
    /// Category or label name (in full).
    pub name: String,
    /// Rows flagged.
    pub flagged: u64,
    /// Rows in all.
    pub total: u64,
    /// `flagged / total`.
    pub rate: f64,
    /// Centre column of the bar (backend pixels).
    pub x: f64,
    /// Top of the bar.
    pub y: f64,
}

/// The bar whose column holds `pixel` (anywhere from the axis to the top of the plot
/// area), `None` outside the plot.
pub fn bar_hit(rows: &[Detected], map: &PlotMap, pixel: (f64, f64)) -> Option<BarHit> {
    if !map.contains(pixel) || rows.is_empty() {
        return None;
    }
    let index = (map.x_value(pixel.0).floor().max(0.0) as usize).min(rows.len() - 1);
    let d = &rows[index];
    let (x, y) = map.to_pixel((index as f64 + 0.5, d.rate()));
    Some(BarHit { index, name: d.name.clone(), flagged: d.flagged, total: d.total, rate: d.rate(), x, y })
}
