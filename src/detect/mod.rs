//! Detect: detectors fitted on normal rows only, scoring every row with an anomaly
//! score (higher = more anomalous), and the rules that turn scores into a threshold.

pub mod autoencoder;
mod backend;
mod flat;
mod flat_train;
pub mod forest;
mod gemm;
mod init;
pub mod lstm;
pub mod lstm_cell;
mod network;
mod pool_steps;
pub mod train;
mod train_config;
mod windows;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use autoencoder::{AeConfig, AeError, Autoencoder, Backend};
pub use forest::{ForestConfig, ForestError, IsolationForest};
pub use train::{Control, History, Progress, TrainConfig};

use crate::prepare::Features;
use crate::Error;

/// The kinds of detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// Isolation Forest.
    If,
    /// Dense autoencoder.
    Dense,
    /// Simple LSTM autoencoder.
    Lstm,
    /// Deep LSTM autoencoder.
    Deep,
}

impl ModelKind {
    /// Every kind, in display order.
    pub const ALL: [ModelKind; 4] = [Self::If, Self::Dense, Self::Lstm, Self::Deep];

    /// Short name used in file names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::If => "if",
            Self::Dense => "dense",
            Self::Lstm => "lstm",
            Self::Deep => "deep",
        }
    }

    /// Name for people.
    pub fn title(self) -> &'static str {
        match self {
            Self::If => "Isolation Forest",
            Self::Dense => "Dense autoencoder",
            Self::Lstm => "Simple LSTM autoencoder",
            Self::Deep => "Deep LSTM autoencoder",
        }
    }

    /// What the score of this kind measures (chart axis).
    pub fn score_name(self) -> &'static str {
        match self {
            Self::If => "Anomaly score 2^(-E[h(x)]/c(n))",
            _ => "Reconstruction MSE",
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ModelKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "if" | "iforest" | "isolation-forest" => Ok(Self::If),
            "dense" | "ae" | "autoencoder" => Ok(Self::Dense),
            "lstm" | "simple-lstm" => Ok(Self::Lstm),
            "deep" | "deep-lstm" => Ok(Self::Deep),
            _ => Err(format!("unknown model {s:?}; choose one of: if, dense, lstm, deep")),
        }
    }
}

/// A fitted detector of any kind (few exist at a time, so variant sizes do not matter).
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Detector {
    /// An Isolation Forest.
    Forest(IsolationForest),
    /// A dense, simple LSTM or deep LSTM autoencoder.
    Autoencoder(Autoencoder),
}

impl Detector {
    /// Which kind it is.
    pub fn kind(&self) -> ModelKind {
        match self {
            Self::Forest(_) => ModelKind::If,
            Self::Autoencoder(a) => a.config.kind,
        }
    }

    /// Anomaly score per row (higher = more anomalous).
    pub fn score(&self, x: &Features) -> Result<Vec<f64>, Error> {
        Ok(match self {
            Self::Forest(f) => f.score(x)?,
            Self::Autoencoder(a) => a.score(x)?,
        })
    }

    /// Whether a row's score depends on that row alone (not on its neighbours).
    pub fn rows_independent(&self) -> bool {
        match self {
            Self::Forest(_) => true,
            Self::Autoencoder(a) => a.config.seq_len == 1,
        }
    }

    /// Decision threshold chosen at training time.
    pub fn threshold(&self) -> f64 {
        match self {
            Self::Forest(f) => f.threshold,
            Self::Autoencoder(a) => a.threshold,
        }
    }

    /// Width of the rows it takes.
    pub fn n_features(&self) -> usize {
        match self {
            Self::Forest(f) => f.n_features,
            Self::Autoencoder(a) => a.n_features,
        }
    }

    /// Its settings as JSON (for model-file headers and reports).
    pub fn config_json(&self) -> serde_json::Value {
        match self {
            Self::Forest(f) => serde_json::to_value(f.config),
            Self::Autoencoder(a) => serde_json::to_value(a.config),
        }
        .unwrap_or_default()
    }

    /// The training history, for autoencoders.
    pub fn history(&self) -> Option<&History> {
        match self {
            Self::Forest(_) => None,
            Self::Autoencoder(a) => Some(&a.history),
        }
    }

    /// The detector's own bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(match self {
            Self::Forest(f) => f.to_bytes(),
            Self::Autoencoder(a) => a.to_bytes()?,
        })
    }

    /// Rebuild a detector of `kind` from its bytes (autoencoders onto `backend`).
    pub fn from_bytes(kind: ModelKind, bytes: &[u8], backend: Backend) -> Result<Self, Error> {
        let detector = match kind {
            ModelKind::If => Self::Forest(IsolationForest::from_bytes(bytes)?),
            _ => Self::Autoencoder(Autoencoder::from_bytes(bytes, backend)?),
        };
        if detector.kind() != kind {
            return Err(
                AeError::Corrupt(format!("the header says {kind} but the weights are {}", detector.kind())).into()
            );
        }
        Ok(detector)
    }
}

/// How a detector's decision threshold is chosen from its training scores.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case", tag = "rule", content = "value")]
pub enum ThresholdRule {
    /// The expected share of anomalies in training data (scikit-learn's
    /// `contamination`): the threshold is the `(1 − c)` quantile of training scores.
    Contamination(f64),
    /// A percentile (0–100) of training scores, e.g. 95 for the autoencoders.
    Percentile(f64),
}

impl ThresholdRule {
    /// Check the value is in range.
    pub fn validate(self) -> Result<Self, String> {
        match self {
            Self::Contamination(c) if !(c > 0.0 && c <= 0.5) => {
                Err(format!("contamination must be in (0, 0.5], got {c}"))
            }
            Self::Percentile(p) if !(0.0..=100.0).contains(&p) => {
                Err(format!("percentile must be in [0, 100], got {p}"))
            }
            _ => Ok(self),
        }
    }

    /// The threshold for these training scores (a record is flagged when its score
    /// is strictly above it).
    pub fn threshold(self, training_scores: &[f64]) -> f64 {
        let p = match self {
            Self::Contamination(c) => 100.0 * (1.0 - c),
            Self::Percentile(p) => p,
        };
        percentile(training_scores, p)
    }
}

/// The `p`-th percentile (0–100) with linear interpolation, as `numpy.percentile`.
/// NaN for an empty slice.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = (p / 100.0).clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [0, 50, 95, 100]) = [1, 3, 8.8, 10]
        let v = [4.0, 1.0, 10.0, 3.0, 2.0];
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 50.0), 3.0);
        assert!((percentile(&v, 95.0) - 8.8).abs() < 1e-12);
        assert_eq!(percentile(&v, 100.0), 10.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn contamination_is_upper_quantile() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        assert!((ThresholdRule::Contamination(0.05).threshold(&v) - 95.0).abs() < 1e-9);
        assert!(ThresholdRule::Contamination(0.0).validate().is_err());
        assert!(ThresholdRule::Percentile(101.0).validate().is_err());
    }
}
