//! LSTM autoencoders. The LSTM layer is written out with fused gates — one input
//! and one recurrent matrix product per step instead of eight, then the cell as one
//! operation (`lstm_cell`; gates stored in the order input, forget, output, cell) — with
//! Keras's defaults (unit forget bias, orthogonal recurrent kernel); it computes
//! exactly the Keras/PyTorch LSTM.
//!
//! - simple: LSTM 64 → repeat the code over the sequence → LSTM 64 → time-distributed dense
//! - deep: LSTM 128 → LSTM 64 → repeat → LSTM 64 → LSTM 128 → time-distributed dense

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::module::linear;

use super::init;
use super::lstm_cell::lstm_cell;
use crate::rng::Rng;

/// One LSTM layer, batch first.
#[derive(Module, Debug)]
pub struct LstmLayer {
    /// Input kernel `[d_input, 4·hidden]`, gates in order i, f, o, c.
    pub kernel: Param<Tensor<2>>,
    /// Recurrent kernel `[hidden, 4·hidden]`.
    pub recurrent: Param<Tensor<2>>,
    /// Bias `[4·hidden]` (forget gate starts at 1).
    pub bias: Param<Tensor<1>>,
    /// Hidden size.
    pub hidden: usize,
}

impl LstmLayer {
    /// A layer initialised from `rng`.
    pub fn new(d_input: usize, hidden: usize, rng: &mut Rng, device: &Device) -> Self {
        let mut bias = vec![0.0; 4 * hidden];
        bias[hidden..2 * hidden].fill(1.0);
        Self {
            kernel: init::glorot(rng, d_input, 4 * hidden, device),
            recurrent: init::orthogonal(rng, hidden, 4 * hidden, device),
            bias: init::constant(bias, device),
            hidden,
        }
    }

    /// One step from precomputed input gates `[batch, 4·hidden]` and the previous
    /// state (none at the first step: zeros, whose recurrent product is skipped), by
    /// the fused cell ([`lstm_cell`]).
    fn step(&self, input_gates: Tensor<2>, state: Option<(Tensor<2>, Tensor<2>)>) -> (Tensor<2>, Tensor<2>) {
        let h = self.hidden;
        let (gates, previous_cell) = match state {
            Some((hidden, c)) => (input_gates + hidden.matmul(self.recurrent.val()), c),
            None => {
                let batch = input_gates.dims()[0];
                let device = input_gates.device();
                (input_gates, Tensor::zeros([batch, h], &device))
            }
        };
        let out = lstm_cell(gates, previous_cell);
        (out.clone().narrow(1, 0, h), out.narrow(1, h, h))
    }

    /// Input gates of every step: `[batch, 4·hidden]` per step.
    fn input_gates(&self, x: Tensor<3>) -> Vec<Tensor<2>> {
        let [batch, steps, d_input] = x.dims();
        let gates = linear(x.reshape([batch * steps, d_input]), self.kernel.val(), Some(self.bias.val()));
        if steps == 1 {
            return vec![gates]; // the common case: no per-step slicing (nor its backward pass)
        }
        let gates = gates.reshape([batch, steps, 4 * self.hidden]);
        (0..steps).map(|t| gates.clone().narrow(1, t, 1).reshape([batch, 4 * self.hidden])).collect()
    }

    /// Run over `x` `[batch, steps, d_input]`; every hidden state `[batch, steps, hidden]`.
    pub fn forward_sequence(&self, x: Tensor<3>) -> Tensor<3> {
        let mut state = None;
        let mut outputs = Vec::new();
        for input_gates in self.input_gates(x) {
            let (h, c) = self.step(input_gates, state);
            outputs.push(h.clone());
            state = Some((h, c));
        }
        stack_steps(outputs)
    }

    /// Run over `x` and keep only the last hidden state `[batch, hidden]` (Keras's
    /// `return_sequences=False`).
    pub fn forward_last(&self, x: Tensor<3>) -> Tensor<2> {
        let [batch, _, _] = x.dims();
        let device = x.device();
        let mut state = None;
        for input_gates in self.input_gates(x) {
            state = Some(self.step(input_gates, state));
        }
        state.map(|(h, _)| h).unwrap_or_else(|| Tensor::zeros([batch, self.hidden], &device))
    }

    /// Run over the same input `code` `[batch, d_input]` repeated `steps` times
    /// (Keras's `RepeatVector` feeding an LSTM): the input product is computed once.
    pub fn forward_repeated(&self, code: Tensor<2>, steps: usize) -> Tensor<3> {
        let input_gates = linear(code, self.kernel.val(), Some(self.bias.val()));
        let mut state = None;
        let mut outputs = Vec::with_capacity(steps);
        for _ in 0..steps {
            let (h, c) = self.step(input_gates.clone(), state);
            outputs.push(h.clone());
            state = Some((h, c));
        }
        stack_steps(outputs)
    }
}

/// `[batch, hidden]` per step into `[batch, steps, hidden]`.
fn stack_steps(mut outputs: Vec<Tensor<2>>) -> Tensor<3> {
    if outputs.len() == 1 {
        if let Some(only) = outputs.pop() {
            return only.unsqueeze_dim(1);
        }
    }
    Tensor::stack(outputs, 1)
}

/// A dense layer from our own initialiser.
pub fn dense(d_input: usize, d_output: usize, rng: &mut Rng, device: &Device) -> Linear {
    Linear {
        weight: init::glorot(rng, d_input, d_output, device),
        bias: Some(init::constant(vec![0.0; d_output], device)),
    }
}

/// Apply a dense layer to every step of `[batch, steps, d]` (Keras's `TimeDistributed`).
pub fn time_distributed(layer: &Linear, x: Tensor<3>) -> Tensor<3> {
    let [batch, steps, d] = x.dims();
    let y = layer.forward(x.reshape([batch * steps, d]));
    let out = y.dims()[1];
    y.reshape([batch, steps, out])
}

/// Sizes of the simple LSTM autoencoder.
#[derive(Config, Debug, PartialEq)]
pub struct LstmAeConfig {
    /// Features per record.
    pub n_features: usize,
    /// Hidden size of the encoder and decoder LSTMs.
    #[config(default = 64)]
    pub hidden: usize,
}

/// LSTM → repeat → LSTM → time-distributed dense.
#[derive(Module, Debug)]
pub struct LstmAe {
    pub(crate) encoder: LstmLayer,
    pub(crate) decoder: LstmLayer,
    pub(crate) output: Linear,
}

impl LstmAeConfig {
    /// Build with weights drawn from `seed`.
    pub fn init(&self, seed: u64, device: &Device) -> LstmAe {
        let mut rng = Rng::new(seed);
        LstmAe {
            encoder: LstmLayer::new(self.n_features, self.hidden, &mut rng, device),
            decoder: LstmLayer::new(self.hidden, self.hidden, &mut rng, device),
            output: dense(self.hidden, self.n_features, &mut rng, device),
        }
    }
}

impl LstmAe {
    /// Reconstruct `[batch, steps, features]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let steps = x.dims()[1];
        let code = self.encoder.forward_last(x);
        time_distributed(&self.output, self.decoder.forward_repeated(code, steps))
    }
}

/// Sizes of the deep LSTM autoencoder.
#[derive(Config, Debug, PartialEq)]
pub struct DeepLstmAeConfig {
    /// Features per record.
    pub n_features: usize,
    /// Outer LSTM size (first encoder and last decoder layer).
    #[config(default = 128)]
    pub outer: usize,
    /// Inner LSTM size (the code).
    #[config(default = 64)]
    pub inner: usize,
}

/// LSTM 128 → LSTM 64 → repeat → LSTM 64 → LSTM 128 → time-distributed dense.
#[derive(Module, Debug)]
pub struct DeepLstmAe {
    pub(crate) encoder_outer: LstmLayer,
    pub(crate) encoder_inner: LstmLayer,
    pub(crate) decoder_inner: LstmLayer,
    pub(crate) decoder_outer: LstmLayer,
    pub(crate) output: Linear,
}

impl DeepLstmAeConfig {
    /// Build with weights drawn from `seed`.
    pub fn init(&self, seed: u64, device: &Device) -> DeepLstmAe {
        let mut rng = Rng::new(seed);
        DeepLstmAe {
            encoder_outer: LstmLayer::new(self.n_features, self.outer, &mut rng, device),
            encoder_inner: LstmLayer::new(self.outer, self.inner, &mut rng, device),
            decoder_inner: LstmLayer::new(self.inner, self.inner, &mut rng, device),
            decoder_outer: LstmLayer::new(self.inner, self.outer, &mut rng, device),
            output: dense(self.outer, self.n_features, &mut rng, device),
        }
    }
}

impl DeepLstmAe {
    /// Reconstruct `[batch, steps, features]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let steps = x.dims()[1];
        let code = self.encoder_inner.forward_last(self.encoder_outer.forward_sequence(x));
        let decoded = self.decoder_outer.forward_sequence(self.decoder_inner.forward_repeated(code, steps));
        time_distributed(&self.output, decoded)
    }
}
