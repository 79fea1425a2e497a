//! Training hyper-parameters, their defaults and the one check of them before any
//! work.

use serde::{Deserialize, Serialize};

use super::network::AeError;

/// Training hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TrainConfig {
    /// Passes over the training rows (at most; early stopping may end sooner).
    pub epochs: usize,
    /// Windows per gradient step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Share of the training normals held out to watch for over-fitting (0 = none;
    /// early stopping then watches the training loss).
    pub validation_split: f64,
    /// Epochs without improvement before stopping (0 = never stop early).
    pub patience: usize,
    /// Smallest decrease of the watched loss that counts as improvement.
    pub min_delta: f64,
    /// Seed for initial weights, the validation split and the shuffles.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 256,
            learning_rate: 1e-3,
            validation_split: 0.1,
            patience: 3,
            min_delta: 0.0,
            seed: 42,
        }
    }
}

impl TrainConfig {
    /// Check the settings once, before any work.
    pub fn validate(&self) -> Result<(), AeError> {
        let bad = |m: String| Err(AeError::Config(m));
        if self.epochs == 0 || self.epochs > 10_000 {
            return bad(format!("epochs must be between 1 and 10000, got {}", self.epochs));
        }
        if self.batch_size == 0 || self.batch_size > 65_536 {
            return bad(format!("batch size must be between 1 and 65536, got {}", self.batch_size));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return bad(format!("learning rate must be in (0, 1], got {}", self.learning_rate));
        }
        if !(0.0..0.9).contains(&self.validation_split) {
            return bad(format!("validation split must be in [0, 0.9), got {}", self.validation_split));
        }
        if !(self.min_delta >= 0.0 && self.min_delta.is_finite()) {
            return bad(format!("min_delta must be a non-negative number, got {}", self.min_delta));
        }
        Ok(())
    }
}
