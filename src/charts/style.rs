//! What every chart shares: the scale factor (fonts, margins and strokes grow with it
//! so a hi-DPI canvas is drawn crisp at its backing-store size), the light grid, the
//! legend box and how numbers are written in full.

use plotters::chart::{ChartContext, MeshStyle, SeriesLabelPosition};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartError;

pub(super) const FONT: &str = "sans-serif";
/// Grid lines: light grey, one weight (no minor grid).
const GRID: RGBColor = RGBColor(230, 230, 230);
const AXIS: RGBColor = RGBColor(90, 90, 90);

/// Backend pixels per layout pixel (1.0 for PNGs; the device pixel ratio on a canvas).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scale(pub f64);

impl Scale {
    /// A usable scale: non-finite or non-positive values fall back to 1, extremes are clamped.
    pub fn new(scale: f64) -> Self {
        Self(if scale.is_finite() && scale > 0.0 { scale.clamp(0.25, 8.0) } else { 1.0 })
    }
    /// A length in backend pixels.
    pub fn px(self, v: f64) -> i32 {
        (v * self.0).round() as i32
    }
    /// A font size in backend pixels.
    pub fn font(self, size: f64) -> f64 {
        (size * self.0).round()
    }
    /// A stroke width, at least one pixel.
    pub fn stroke(self, w: f64) -> u32 {
        ((w * self.0).round() as u32).max(1)
    }
}

/// The scale a chart really draws at for a requested `scale` (what to divide backend
/// pixels by to get CSS pixels).
pub fn scale_factor(scale: f64) -> f64 {
    Scale::new(scale).0
}

/// White background, the caption, the usual margins: the builder every chart starts from.
pub(super) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    s: Scale,
    (x_area, y_area): (f64, f64),
) -> Result<ChartBuilder<'a, 'b, DB>, ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let mut b = ChartBuilder::on(area);
    b.caption(title, (FONT, s.font(20.0)))
        .margin(s.px(12.0))
        .x_label_area_size(s.px(x_area))
        .y_label_area_size(s.px(y_area));
    Ok(b)
}

/// Light grid: bold lines light grey, no light (minor) lines; axes, ticks and labels scaled.
pub(super) fn grid<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    s: Scale,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    mesh.light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .bold_line_style(GRID.stroke_width(s.stroke(1.0)))
        .axis_style(AXIS.stroke_width(s.stroke(1.0)))
        .set_all_tick_mark_size(s.px(4.0))
        .label_style((FONT, s.font(13.0)))
        .axis_desc_style((FONT, s.font(14.0)))
}

/// The legend box every chart uses. Its text shrinks (down to 9 px) until the widest
/// of `labels` fits in the plot beside its key, so a narrow chart or a wider system
/// font (Firefox's DejaVu Sans is ~10% wider than Chromium's Liberation Sans) never
/// pushes the keys out of the plot.
pub(super) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    s: Scale,
    labels: &[String],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (margin, key) = (s.px(10.0), s.px(30.0));
    let room = chart.plotting_area().dim_in_pixel().0 as i32 - 2 * margin - key - s.px(12.0);
    let size = fitting_font(chart.plotting_area(), labels, room, s.font(14.0), s.font(9.0));
    chart
        .configure_series_labels()
        .position(position)
        .margin(margin)
        .legend_area_size(key)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5).stroke_width(s.stroke(1.0)))
        .label_font((FONT, size))
        .draw()?;
    Ok(())
}

/// The largest font size from `largest` down to `smallest` at which every one of
/// `texts` is at most `room` pixels wide (`smallest` if none fits).
pub fn fitting_font<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    texts: &[String],
    room: i32,
    largest: f64,
    smallest: f64,
) -> f64 {
    let mut size = largest;
    while size > smallest {
        let font = TextStyle::from((FONT, size).into_font());
        let widest = texts.iter().filter_map(|t| area.estimate_text_size(t, &font).ok()).map(|(w, _)| w).max();
        if widest.is_none_or(|w| w as i32 <= room) {
            break;
        }
        size -= 1.0;
    }
    size.max(smallest)
}

/// How many x tick labels fit a plot `width` backend pixels wide, one per `per` CSS
/// pixels, between 2 and `most`.
pub(super) fn ticks_that_fit(width: u32, s: Scale, per: f64, most: usize) -> usize {
    ((width as f64 / (per * s.0)) as usize).clamp(2, most)
}

/// A number written whole: up to 10 significant digits, trailing zeros dropped
/// (`0.5382683925`, `12.5`, `1.5e-7`), never cut to a fixed count of decimals.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-5..=12).contains(&magnitude) {
        let s = format!("{v:.9e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    let decimals = (9 - magnitude).max(0) as usize;
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_whole() {
        assert_eq!(format_number(0.5382683925), "0.5382683925");
        assert_eq!(format_number(0.53826839253457), "0.5382683925");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(0.000123456789012), "0.000123456789");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(f64::INFINITY), "∞");
    }

    #[test]
    fn scale_falls_back_and_clamps() {
        assert_eq!(Scale::new(f64::NAN).0, 1.0);
        assert_eq!(Scale::new(-2.0).0, 1.0);
        assert_eq!(Scale::new(100.0).0, 8.0);
        assert_eq!(Scale::new(2.0).px(12.0), 24);
        assert_eq!(Scale::new(0.5).stroke(1.0), 1);
    }

    #[test]
    fn tick_counts_follow_the_plot_width() {
        assert_eq!(ticks_that_fit(440, Scale(1.0), 40.0, 11), 11);
        assert_eq!(ticks_that_fit(200, Scale(1.0), 40.0, 11), 5);
        assert_eq!(ticks_that_fit(400, Scale(2.0), 40.0, 11), 5);
        assert_eq!(ticks_that_fit(10, Scale(1.0), 40.0, 11), 2);
    }
}
