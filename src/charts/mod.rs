//! Charts: each drawn once against plotters' `DrawingBackend`, so the CLI renders
//! PNGs (bitmap backend) and the page renders on canvas with the very same code.
//! Every chart returns its [`PlotMap`] (plot area in backend pixels and its axes), and
//! each chart module answers "what is under this pixel" on the data it drew, so the
//! page's pointer handling needs no chart logic of its own. Charts take a `scale`
//! (fonts, margins and strokes multiplied; 1.0 for PNGs, `devicePixelRatio` on a
//! hi-DPI canvas). Colours are the Okabe–Ito palette, distinguishable with
//! colour-blindness.

mod bars;
mod confusion;
mod curves;
mod histogram;
mod loss;
mod map;
mod shares;
mod style;

pub use bars::{bar_hit, category_recall, x_label_layout, BarHit, LabelLayout};
pub use confusion::{confusion, confusion_hit, CellHit};
pub use curves::{pr_hit, precision_recall, roc, roc_hit, PrHit, PrSeries, RocHit, RocSeries};
pub use histogram::{histogram, histogram_hit, histogram_value_at, histogram_x_of, HistogramHit};
pub use loss::{loss_curves, LossSeries};
pub use map::{Axis, PlotMap};
pub use shares::{feature_shares, MAX_BARS};
pub use style::{fitting_font, format_number, scale_factor};

use plotters::prelude::*;

use crate::detect::ModelKind;

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
