//! Charts: each drawn once against plotters' `DrawingBackend`, so the CLI renders
//! PNGs (bitmap backend) and the page renders on canvas with the very same code.
//! Colours are the Okabe–Ito palette, distinguishable with colour-blindness.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::detect::ModelKind;
use crate::metrics::{Confusion, Detected, Histogram, PrCurve, RocCurve};

/// A chart could not be drawn (the backend's message).
#[derive(Debug, thiserror::Error)]
#[error("drawing a chart failed: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Self(e.to_string())
    }
}

/// Okabe–Ito colours: blue, orange, bluish green, reddish purple, vermillion, sky blue.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
];
/// A model kind's colour (its index in [`PALETTE`]): the same on every chart, whichever
/// models are shown.
pub fn color_of(kind: ModelKind) -> usize {
    ModelKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

const NORMAL: RGBColor = PALETTE[0];
const ATTACK: RGBColor = PALETTE[4];
const FONT: &str = "sans-serif";

/// One model's ROC curve for [`roc`].
pub struct RocSeries<'a> {
    /// Legend name.
    pub name: &'a str,
    /// The curve.
    pub curve: &'a RocCurve,
    /// Its area (shown in the legend).
    pub auc: f64,
    /// Index into [`PALETTE`] (see [`color_of`]).
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
    /// Index into [`PALETTE`] (see [`color_of`]).
    pub color: usize,
}

/// ROC curves of several models on one chart, AUC in the legend, the chance diagonal dashed.
pub fn roc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[RocSeries<'_>],
) -> Result<(), ChartError>
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
    unit_square_lines(
        area,
        title,
        ("False positive rate", "True positive rate"),
        &lines,
        true,
        SeriesLabelPosition::LowerRight,
    )
}

/// Precision–recall curves of several models, average precision in the legend.
pub fn precision_recall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[PrSeries<'_>],
) -> Result<(), ChartError>
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
    unit_square_lines(area, title, ("Recall", "Precision"), &lines, false, SeriesLabelPosition::LowerLeft)
}

/// One labelled curve.
struct Line<'a> {
    label: String,
    x: &'a [f64],
    y: &'a [f64],
    color: usize,
}

/// Curves on `[0, 1]²`, one palette colour each, optionally with the dashed diagonal.
fn unit_square_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    (x_desc, y_desc): (&str, &str),
    lines: &[Line<'_>],
    diagonal: bool,
    legend: SeriesLabelPosition,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..1f64, 0f64..1.0001f64)?;
    chart.configure_mesh().x_desc(x_desc).y_desc(y_desc).light_line_style(BLACK.mix(0.04)).draw()?;
    if diagonal {
        chart.draw_series(DashedLineSeries::new([(0.0, 0.0), (1.0, 1.0)], 6, 4, BLACK.mix(0.4).stroke_width(1)))?;
    }
    for line in lines {
        let color = PALETTE[line.color % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(line.x.iter().zip(line.y).map(|(&x, &y)| (x, y)), color.stroke_width(2)))?
            .label(line.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    draw_legend(&mut chart, legend)?;
    area.present()?;
    Ok(())
}

/// The legend box every chart uses.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .label_font((FONT, 14))
        .draw()?;
    Ok(())
}

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

/// Training (solid) and validation (dashed) loss per epoch for several models, on a
/// log scale (plotted as log10 with labels in the original units, so ticks are
/// readable however narrow the range).
pub fn loss_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[LossSeries],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let log = |v: f64| v.max(1e-12).log10();
    let values = series.iter().flat_map(|s| s.train.iter().copied().chain(s.validation.iter().flatten().copied()));
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(log(v)), h.max(log(v))));
    let (lo, hi) =
        if lo.is_finite() { (lo - 0.05 - (hi - lo) * 0.05, hi + 0.05 + (hi - lo) * 0.05) } else { (-3.0, 0.0) };
    let epochs = series.iter().map(|s| s.train.len()).max().unwrap_or(1).max(2);
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.8f64..epochs as f64 + 0.2, lo..hi)?;
    chart
        .configure_mesh()
        .x_desc("Epoch")
        .y_desc("MSE (log scale)")
        .x_labels(epochs.min(15))
        .x_label_formatter(&|v| if (v - v.round()).abs() < 1e-6 { format!("{v:.0}") } else { String::new() })
        .y_label_formatter(&|v| format!("{:.3}", 10f64.powf(*v)))
        .light_line_style(BLACK.mix(0.04))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[s.kind.map_or(i, color_of) % PALETTE.len()];
        let points: Vec<(f64, f64)> = s.train.iter().enumerate().map(|(e, &l)| ((e + 1) as f64, log(l))).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(format!("{} train", s.name))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        let val: Vec<(f64, f64)> =
            s.validation.iter().enumerate().filter_map(|(e, v)| v.map(|v| ((e + 1) as f64, log(v)))).collect();
        if !val.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(val, 6, 4, color.stroke_width(2)))?
                .label(format!("{} validation", s.name))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], color.stroke_width(2)));
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    area.present()?;
    Ok(())
}

/// Score histogram, normal and attack rows overlaid, log-scale counts, the
/// threshold as a vertical line.
pub fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    h: &Histogram,
    threshold: f64,
    score_name: &str,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    // Log-spaced bins are plotted as log10 with labels in the original units.
    let tx = |v: f64| if h.log_x { v.max(1e-300).log10() } else { v };
    let (lo, hi) = (tx(h.edges.first().copied().unwrap_or(0.0)), tx(h.edges.last().copied().unwrap_or(1.0)));
    let peak = h.normal.iter().chain(&h.attack).copied().max().unwrap_or(1).max(1) as f64;
    let x_label = if h.log_x { format!("{score_name} (log scale)") } else { score_name.to_string() };
    let log_x = h.log_x;
    let x_format = move |v: &f64| if log_x { format!("{:.3}", 10f64.powf(*v)) } else { format!("{v:.3}") };
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(lo..hi, (0.8f64..peak * 2.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("Rows (log scale)")
        .x_label_formatter(&x_format)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let mut labelled = |counts: &[u64], color: RGBColor, name: &str| -> Result<(), ChartError> {
        let bars = counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(i, &c)| {
            Rectangle::new([(tx(h.edges[i]), 0.8), (tx(h.edges[i + 1]), c as f64)], color.mix(0.45).filled())
        });
        chart
            .draw_series(bars)?
            .label(format!("{name} ({})", counts.iter().sum::<u64>()))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.mix(0.6).filled()));
        Ok(())
    };
    labelled(&h.normal, NORMAL, "normal")?;
    labelled(&h.attack, ATTACK, "attack")?;
    chart
        .draw_series(LineSeries::new([(tx(threshold), 0.8), (tx(threshold), peak * 2.0)], BLACK.stroke_width(2)))?
        .label(format!("threshold {threshold:.4}"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    area.present()?;
    Ok(())
}

/// The confusion matrix as a labelled heat map: counts and row percentages,
/// shade by the share of the true class.
pub fn confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    c: &Confusion,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let names = ["normal", "attack"];
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((0..1).into_segmented(), (0..1).into_segmented())?;
    let label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names.get(*i as usize).copied().unwrap_or("").to_string(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("Predicted")
        .y_desc("Actual")
        .x_label_formatter(&label)
        .y_label_formatter(&label)
        .label_style((FONT, 16))
        .draw()?;
    // Row 1 (top) is "attack" so the matrix reads like scikit-learn's with attack last.
    let cells =
        [(0, 0, c.tn, c.tn + c.fp), (1, 0, c.fp, c.tn + c.fp), (0, 1, c.fn_, c.fn_ + c.tp), (1, 1, c.tp, c.fn_ + c.tp)];
    for (x, y, count, row_total) in cells {
        let share = if row_total > 0 { count as f64 / row_total as f64 } else { 0.0 };
        let correct = x == y;
        let base = if correct { PALETTE[2] } else { ATTACK };
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ],
            base.mix(0.12 + 0.75 * share).filled(),
        )))?;
        let text_style = TextStyle::from((FONT, 22).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
        chart.draw_series(std::iter::once(Text::new(
            format!("{count} ({:.1}%)", 100.0 * share),
            (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
            text_style,
        )))?;
    }
    area.present()?;
    Ok(())
}

/// Share of rows flagged per category (recall per attack category; for `normal`
/// the false positive rate), as bars with the counts written on them.
pub fn category_recall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[Detected],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    // A segmented range `0..k` has k + 1 slots.
    let last = rows.len().max(1) as i32 - 1;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((0..last).into_segmented(), 0f64..1.1f64)?;
    let names: Vec<String> = rows.iter().map(|d| d.name.clone()).collect();
    let label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names.get(*i as usize).cloned().unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart.configure_mesh().disable_x_mesh().x_label_formatter(&label).y_desc("Share flagged").draw()?;
    for (i, d) in rows.iter().enumerate() {
        let i = i as i32;
        let color = if d.name == "normal" { NORMAL } else { ATTACK };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), d.rate())],
            color.mix(0.7).filled(),
        )))?;
        let text_style = TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(std::iter::once(Text::new(
            format!("{}/{}", d.flagged, d.total),
            (SegmentValue::CenterOf(i), d.rate() + 0.02),
            text_style,
        )))?;
    }
    area.present()?;
    Ok(())
}
