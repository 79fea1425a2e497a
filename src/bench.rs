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

/// Median, lowest and highest of repeated measurements.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Spread {
    /// The median (the mean of the middle two for an even count).
    pub median: f64,
    /// The lowest.
    pub min: f64,
    /// The highest.
    pub max: f64,
    /// Every measurement, in order.
    pub samples: Vec<f64>,
}

impl Spread {
    /// The spread of `samples` (`None` when empty or not all finite).
    pub fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() || samples.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Some(Spread { median, min: sorted[0], max: sorted[n - 1], samples: samples.to_vec() })
    }
}

/// One figure of the suite: what was measured, its unit, its spread over the repetitions.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// Stable name (`if_fit`, `dense_train`, …), the key the report joins runs on.
    pub name: String,
    /// What it is, for people.
    pub label: String,
    /// `s`, `rows/s` or `samples/s`.
    pub unit: &'static str,
    /// Whether a larger figure is better (throughputs) or worse (seconds).
    pub higher_is_better: bool,
    /// Over the timed repetitions.
    pub spread: Spread,
}

/// How the suite runs.
#[derive(Clone, Copy, Debug)]
pub struct SuiteConfig {
    /// Timed repetitions of each figure (≥ 5 for a figure to be worth quoting).
    pub reps: usize,
    /// Untimed passes first, so a browser has compiled the hot code with its
    /// optimising tier (V8 and SpiderMonkey start WebAssembly on a baseline compiler).
    pub warmup: usize,
    /// Seed of every model.
    pub seed: u64,
}

impl Default for SuiteConfig {
    fn default() -> Self {
        Self { reps: 5, warmup: 1, seed: 42 }
    }
}

/// The suite's standard input, the same natively and in the tab: the built-in
/// generator's 494,021 KDD-shaped rows (seed 42), held out 80/20 as the page does,
/// prepared with the default settings. Throughput does not depend on the values.
pub fn standard_input() -> Result<(Features, Features, String), Error> {
    let text = crate::data::synth::generate(494_021, 0.8, crate::data::Format::Kdd99, 42);
    let table = crate::data::read_bytes(text.as_bytes())?;
    let split = crate::data::protocol::holdout(&table, 0.8, 42)?;
    let prep = crate::prepare::Preparation::fit(crate::prepare::PrepareConfig::default(), &split.train)?;
    Ok((prep.transform(&split.train), prep.transform(&split.tests[0]), text))
}

/// Training rows per autoencoder measurement: enough for about half a second of an
/// epoch in the tab for each kind (the dense network is ten times faster than the LSTMs).
fn train_rows(kind: ModelKind) -> usize {
    match kind {
        ModelKind::Dense => 100_000,
        ModelKind::Lstm => 20_000,
        _ => 10_000,
    }
}

/// Rows scored per autoencoder measurement.
const SCORE_ROWS: usize = 100_000;

/// Run every measurement `config.warmup` times untimed, then `config.reps` times,
/// and return each figure's spread: text parsing, forest fit and score, and each
/// autoencoder's training and scoring on the flex backend. `progress(done, total)`
/// after each pass.
pub fn suite(
    config: SuiteConfig,
    train: &Features,
    test: &Features,
    text: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Figure>, Error> {
    let kinds = [ModelKind::Dense, ModelKind::Lstm, ModelKind::Deep];
    let ae_test = head(test, SCORE_ROWS);
    let ae_train: Vec<Features> = kinds.iter().map(|&k| head(train, train_rows(k))).collect();
    let mut samples: Vec<(String, String, &'static str, bool, Vec<f64>)> = Vec::new();
    let mut record = |name: &str, label: String, unit: &'static str, higher: bool, v: f64| match samples
        .iter_mut()
        .find(|s| s.0 == name)
    {
        Some(s) => s.4.push(v),
        None => samples.push((name.into(), label, unit, higher, vec![v])),
    };
    let passes = config.warmup + config.reps.max(1);
    for pass in 0..passes {
        let timed = pass >= config.warmup;
        let mut put = |name: &str, label: String, unit: &'static str, higher: bool, v: f64| {
            if timed {
                record(name, label, unit, higher, v)
            }
        };
        let start = Instant::now();
        let table = crate::data::read_bytes(text.as_bytes())?;
        let t = start.elapsed().as_secs_f64();
        put("parse", format!("parse {} rows of text", table.rows()), "rows/s", true, table.rows() as f64 / t);
        drop(table);
        let f = forest(train, test, config.seed)?;
        put("if_fit", format!("Isolation Forest fit ({} rows)", train.rows), "s", false, f.fit_seconds);
        put(
            "if_score",
            format!("Isolation Forest score ({} rows)", f.rows),
            "rows/s",
            true,
            f.rows as f64 / f.score_seconds,
        );
        put("if_total", "Isolation Forest fit + score".into(), "s", false, f.fit_seconds + f.score_seconds);
        for (&kind, rows) in kinds.iter().zip(&ae_train) {
            let a = autoencoder(kind, Backend::Flex, rows, &ae_test, config.seed)?;
            let k = kind.name();
            put(
                &format!("{k}_train"),
                format!("{k} training (1 epoch, {} rows)", rows.rows),
                "samples/s",
                true,
                a.train_samples_per_sec,
            );
            put(
                &format!("{k}_score"),
                format!("{k} scoring ({} rows)", ae_test.rows),
                "rows/s",
                true,
                a.score_rows_per_sec,
            );
        }
        progress(pass + 1, passes);
    }
    Ok(samples
        .into_iter()
        .filter_map(|(name, label, unit, higher_is_better, v)| {
            Spread::of(&v).map(|spread| Figure { name, label, unit, higher_is_better, spread })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn a_spread_has_the_median_and_the_range() {
        let s = Spread::of(&[3.0, 1.0, 2.0, 10.0, 4.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 10.0));
        assert_eq!(Spread::of(&[1.0, 2.0, 4.0, 3.0]).unwrap().median, 2.5);
        assert!(Spread::of(&[]).is_none());
        assert!(Spread::of(&[1.0, f64::NAN]).is_none());
    }
}
