//! # netanomaly
//!
//! Unsupervised network-intrusion detection on KDD Cup 99 and NSL-KDD, as one river
//! of plain Rust that runs natively (the `netanomaly` CLI) and in the browser (wasm):
//!
//! ```text
//! bytes (file / drop) → data (load, split) → prepare → detect (fit on normals, score all)
//!                     → metrics → charts (PNG natively, canvas in the page)
//! ```
//!
//! - [`data`]: read KDD99 / NSL-KDD text or gzip into a [`data::Table`]; labels and
//!   attack categories; evaluation protocols.
//! - [`prepare`]: label / one-hot encoding, `log1p`, standard scaling, fitted on normals.
//! - [`detect`]: detectors (Isolation Forest; dense, simple LSTM and deep LSTM
//!   autoencoders with burn, and their training loop) and threshold rules.
//! - [`metrics`]: ROC / PR curves, AUC, confusion, per-category recall, results table.
//! - [`charts`]: every chart written once against plotters' `DrawingBackend`.
//! - [`model_file`]: one file format for every detector.
//! - [`pipeline`]: train, score, evaluate — what the CLI and the worker call.
//! - [`bench`]: throughput figures, the same code natively and in the browser.
//! - `catalogue` (feature `catalogue`, which the CLI enables): the bad-input catalogue
//!   (every kind of broken or unusual file and the outcome required), shared by the
//!   native, wasm and page suites; test support, not part of the library's API.
//! - [`session`]: the browser worker's state (files, protocol, models, views) as plain Rust.
//! - `web` (wasm32 only): the thin wasm-bindgen boundary over `session` and `charts`.
#![warn(missing_docs)]

pub mod bench;
#[cfg(feature = "catalogue")]
#[doc(hidden)]
pub mod catalogue;
pub mod charts;
pub mod data;
pub mod detect;
pub mod explain;
pub mod metrics;
pub mod model_file;
pub mod pipeline;
pub mod prepare;
pub mod rng;
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod web;

/// Any failure in the river, with the stage's own error inside.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading a file.
    #[error(transparent)]
    Load(#[from] data::LoadError),
    /// Choosing training and test rows.
    #[error(transparent)]
    Split(#[from] data::SplitError),
    /// Fitting the preparation.
    #[error(transparent)]
    Prepare(#[from] prepare::PrepareError),
    /// Fitting or using an Isolation Forest.
    #[error(transparent)]
    Forest(#[from] detect::ForestError),
    /// Training, using or loading an autoencoder.
    #[error(transparent)]
    Autoencoder(#[from] detect::AeError),
    /// Computing metrics.
    #[error(transparent)]
    Metrics(#[from] metrics::MetricsError),
    /// Reading a model file.
    #[error(transparent)]
    ModelFile(#[from] model_file::ModelFileError),
    /// Drawing a chart.
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    /// Explaining a record.
    #[error(transparent)]
    Explain(#[from] explain::ExplainError),
    /// A session was asked for something it does not have.
    #[error(transparent)]
    Session(#[from] session::SessionError),
}

impl Error {
    /// A stable machine-readable name of the stage that failed (for the page).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Load(_) => "load",
            Error::Split(_) => "split",
            Error::Prepare(_) => "prepare",
            Error::Forest(_) => "forest",
            Error::Autoencoder(_) => "autoencoder",
            Error::Metrics(_) => "metrics",
            Error::ModelFile(_) => "model_file",
            Error::Chart(_) => "chart",
            Error::Explain(_) => "explain",
            Error::Session(_) => "session",
        }
    }

    /// Where in a file the problem is, when the error names a place: (line, column).
    pub fn position(&self) -> (Option<u64>, Option<usize>) {
        match self {
            Error::Load(e) => e.position(),
            _ => (None, None),
        }
    }
}
