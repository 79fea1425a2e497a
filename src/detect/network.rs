//! The autoencoders' networks — dense, simple LSTM, deep LSTM — as burn modules with
//! their forward passes, and the errors any autoencoder step can give. The training
//! loop, the written-out layers and the detector build on this module; it imports
//! none of them.

use burn::module::Module;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::relu;

use super::lstm::{dense, DeepLstmAe, LstmAe};
use crate::rng::Rng;

/// Why an autoencoder could not be built, trained, used or loaded.
#[derive(Debug, thiserror::Error)]
pub enum AeError {
    /// A setting out of range.
    #[error("{0}")]
    Config(String),
    /// Nothing to train on.
    #[error("no rows to train the autoencoder on")]
    NoRows,
    /// Rows of the wrong width.
    #[error("the autoencoder expects {expected} features per row, the data has {found}")]
    Width {
        /// Features it was trained on.
        expected: usize,
        /// Features given.
        found: usize,
    },
    /// The loss became NaN or infinite.
    #[error("training diverged in epoch {epoch} (loss {loss}); try a smaller learning rate")]
    Diverged {
        /// Epoch.
        epoch: usize,
        /// The loss.
        loss: f64,
    },
    /// The backend failed or is not compiled in.
    #[error("backend: {0}")]
    Backend(String),
    /// Bytes that are not a valid autoencoder.
    #[error("not a valid autoencoder: {0}")]
    Corrupt(String),
}

/// Sizes of the dense autoencoder.
#[derive(Config, Debug, PartialEq)]
pub struct DenseAeConfig {
    /// Inputs: features × sequence length.
    pub n_inputs: usize,
    /// Outer hidden layer.
    #[config(default = 32)]
    pub hidden: usize,
    /// The code (bottleneck).
    #[config(default = 16)]
    pub code: usize,
}

/// in → 32 → 16 → 32 → in, ReLU between, linear output.
#[derive(Module, Debug)]
pub struct DenseAe {
    pub(crate) layers: Vec<Linear>,
}

impl DenseAeConfig {
    /// Build with weights drawn from `seed`.
    pub fn init(&self, seed: u64, device: &Device) -> DenseAe {
        let mut rng = Rng::new(seed);
        let sizes = [self.n_inputs, self.hidden, self.code, self.hidden, self.n_inputs];
        DenseAe { layers: sizes.windows(2).map(|w| dense(w[0], w[1], &mut rng, device)).collect() }
    }
}

impl DenseAe {
    /// Reconstruct `[batch, steps, features]` (steps flattened into the input).
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let [batch, steps, features] = x.dims();
        let mut h = x.reshape([batch, steps * features]);
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer.forward(h);
            if i < last {
                h = relu(h);
            }
        }
        h.reshape([batch, steps, features])
    }
}

/// One of the three networks (few exist at a time, so variant sizes do not matter).
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Network {
    /// Dense autoencoder.
    Dense(DenseAe),
    /// Simple LSTM autoencoder.
    Lstm(LstmAe),
    /// Deep LSTM autoencoder.
    Deep(DeepLstmAe),
}

impl Network {
    /// Reconstruct `[batch, steps, features]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        match self {
            Self::Dense(m) => m.forward(x),
            Self::Lstm(m) => m.forward(x),
            Self::Deep(m) => m.forward(x),
        }
    }
}
