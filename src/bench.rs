//! Throughput measurements shared by the native `bench` command and the in-browser
//! benchmark (a wasm-bindgen test in a worker): the same code, timed with a clock
//! that works on both.

use serde::Serialize;
use web_time::Instant;

use crate::detect::{AeConfig, Autoencoder, Backend, Control, ForestConfig, IsolationForest, ModelKind, TrainConfig};
use crate::prepare::Features;
use crate::Error;

/// Figures for one autoencoder on one backend.
#[derive(Clone, Debug, Serialize)]
pub struct AeFigures {
    /// Model kind.
    pub kind: ModelKind,
    /// Backend.
    pub backend: Backend,
    /// Training windows per second (one epoch, batch 256, no validation).
    pub train_samples_per_sec: f64,
    /// Scoring rows per second.
    pub score_rows_per_sec: f64,
}

/// Figures for the Isolation Forest.
#[derive(Clone, Debug, Serialize)]
pub struct ForestFigures {
    /// Seconds to fit (including scoring the training rows for the threshold).
    pub fit_seconds: f64,
    /// Seconds to score `rows`.
    pub score_seconds: f64,
    /// Rows scored.
    pub rows: usize,
}

/// Train one epoch on `train` and score `test` with `kind` on `backend`.
pub fn autoencoder(
    kind: ModelKind,
    backend: Backend,
    train: &Features,
    test: &Features,
    seed: u64,
) -> Result<AeFigures, Error> {
    let config = AeConfig {
        train: TrainConfig { epochs: 1, validation_split: 0.0, patience: 0, seed, ..Default::default() },
        ..AeConfig::new(kind)
    };
    let ae = Autoencoder::fit(config, train, backend, &mut |_| Control::Continue)?;
    let train_samples_per_sec = ae.history.epochs.first().map_or(0.0, |e| e.samples_per_sec);
    let start = Instant::now();
    ae.score(test)?;
    let score_rows_per_sec = test.rows as f64 / start.elapsed().as_secs_f64().max(1e-9);
    Ok(AeFigures { kind, backend, train_samples_per_sec, score_rows_per_sec })
}

/// Fit the default forest on `train` and score `test`.
pub fn forest(train: &Features, test: &Features, seed: u64) -> Result<ForestFigures, Error> {
    let start = Instant::now();
    let forest = IsolationForest::fit(ForestConfig { seed, ..Default::default() }, train)?;
    let fit_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    forest.score(test)?;
    Ok(ForestFigures { fit_seconds, score_seconds: start.elapsed().as_secs_f64(), rows: test.rows })
}

/// The first `n` rows of `x`.
pub fn head(x: &Features, n: usize) -> Features {
    let n = n.min(x.rows);
    Features { rows: n, cols: x.cols, data: x.data[..n * x.cols].to_vec() }
}
