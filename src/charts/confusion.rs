//! The confusion matrix as a labelled heat map (counts and row percentages, shade by
//! the share of the true class) and the cell under a pixel.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::style::{builder, fitting_font, grid, Scale, FONT};
use super::{Axis, ChartError, PlotMap, ATTACK, PALETTE};
use crate::metrics::Confusion;

const NAMES: [&str; 2] = ["normal", "attack"];

/// Cells as `(predicted, actual, count, row total)`, 0 = normal, 1 = attack. Actual
/// attack is the top row, so the matrix reads like scikit-learn's with attack last.
fn cells(c: &Confusion) -> [(usize, usize, u64, u64); 4] {
    let (normals, attacks) = (c.tn + c.fp, c.fn_ + c.tp);
    [(0, 0, c.tn, normals), (1, 0, c.fp, normals), (0, 1, c.fn_, attacks), (1, 1, c.tp, attacks)]
}

fn share(count: u64, total: u64) -> f64 {
    if total > 0 {
        count as f64 / total as f64
    } else {
        0.0
    }
}

/// The heat map; cell `(predicted p, actual a)` spans `[p, p + 1] × [a, a + 1]` in data units.
pub fn confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    c: &Confusion,
    scale: f64,
) -> Result<PlotMap, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = Scale::new(scale);
    let mut chart = builder(area, title, s, (56.0, 80.0))?.build_cartesian_2d(0f64..2f64, 0f64..2f64)?;
    grid(&mut chart.configure_mesh(), s)
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("Predicted")
        .y_desc("Actual")
        .axis_desc_style((FONT, s.font(16.0)))
        .draw()?;
    // The count large, its share of the true class below it, each sized to fit the
    // cell (a narrow chart on a projector must not run one cell's text into the next).
    let room = (chart.plotting_area().dim_in_pixel().0 as f64 * 0.5 * 0.88) as i32;
    let cells = cells(c);
    let counts: Vec<String> = cells.iter().map(|&(_, _, count, _)| count.to_string()).collect();
    let shares: Vec<String> =
        cells.iter().map(|&(_, _, count, total)| format!("{:.1}%", 100.0 * share(count, total))).collect();
    let big = fitting_font(chart.plotting_area(), &counts, room, s.font(24.0), s.font(10.0));
    let small = fitting_font(chart.plotting_area(), &shares, room, s.font(16.0), s.font(9.0)).min(big);
    let centred = |size: f64| TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
    for ((&(x, y, count, row_total), count_text), share_text) in cells.iter().zip(counts).zip(shares) {
        let share = share(count, row_total);
        let base = if x == y { PALETTE[2] } else { ATTACK };
        let (x, y) = (x as f64, y as f64);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x, y), (x + 1.0, y + 1.0)],
            base.mix(0.12 + 0.75 * share).filled(),
        )))?;
        chart.draw_series([
            Text::new(count_text, (x + 0.5, y + 0.6), centred(big)),
            Text::new(share_text, (x + 0.5, y + 0.33), centred(small)),
        ])?;
    }
    let map = PlotMap::of(chart.plotting_area(), Axis::linear(0.0, 2.0), Axis::linear(0.0, 2.0));
    // Class names beside the cells, placed from the map (the axes carry no numeric ticks).
    let (bx, by) = area.get_base_pixel();
    let label = |h, v| TextStyle::from((FONT, s.font(16.0)).into_font()).pos(Pos::new(h, v));
    for (i, name) in NAMES.iter().enumerate() {
        let (cx, cy) = map.to_pixel((i as f64 + 0.5, i as f64 + 0.5));
        let below = (cx as i32 - bx, (map.top + map.height) as i32 + s.px(6.0) - by);
        area.draw_text(name, &label(HPos::Center, VPos::Top), below)?;
        let left = (map.left as i32 - s.px(8.0) - bx, cy as i32 - by);
        area.draw_text(name, &label(HPos::Right, VPos::Center), left)?;
    }
    area.present()?;
    Ok(map)
}

/// The cell under a pixel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellHit {
    /// True class: `normal` or `attack`.
    pub actual: &'static str,
    /// Predicted class.
    pub predicted: &'static str,
    /// Rows in the cell.
    pub count: u64,
    /// Its share of the true class (its row).
    pub share: f64,
    /// The cell's centre (backend pixels).
    pub x: f64,
    /// The cell's centre row.
    pub y: f64,
}

/// The cell holding `pixel`, `None` outside the matrix.
pub fn confusion_hit(c: &Confusion, map: &PlotMap, pixel: (f64, f64)) -> Option<CellHit> {
    if !map.contains(pixel) {
        return None;
    }
    let (x, y) = map.from_pixel(pixel);
    let (p, a) = ((x.floor() as usize).min(1), (y.floor().max(0.0) as usize).min(1));
    let (_, _, count, total) = cells(c).into_iter().find(|&(cp, ca, _, _)| cp == p && ca == a)?;
    let centre = map.to_pixel((p as f64 + 0.5, a as f64 + 0.5));
    Some(CellHit { actual: NAMES[a], predicted: NAMES[p], count, share: share(count, total), x: centre.0, y: centre.1 })
}
