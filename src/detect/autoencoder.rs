//! Autoencoder detectors — dense, simple LSTM and deep LSTM — trained on normal
//! rows to reconstruct them; a record's anomaly score is its reconstruction MSE,
//! and the threshold is a percentile (95th by default) of the training errors.
//!
//! Sequence length is a modelling choice: 1 (each record alone, the reference
//! setting) or n consecutive records (sliding windows over the rows in file order;
//! a record's score is the error of the window it ends, the first records repeating
//! the first row to fill theirs). KDD records are connection summaries, not a time
//! series, so windows mix unrelated connections: they are offered to explore, not
//! as the better default.

use burn::module::Module;
use burn::prelude::*;
use burn::store::ModuleRecord;
use serde::{Deserialize, Serialize};

pub use super::backend::Backend;
use super::lstm::{DeepLstmAeConfig, LstmAeConfig};
pub use super::network::{AeError, DenseAe, DenseAeConfig, Network};
use super::train::{self, Control, History, Progress, Step, TrainConfig, Trainer, Windows};
use super::{ModelKind, ThresholdRule};
use crate::prepare::Features;

/// Every setting of an autoencoder detector.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AeConfig {
    /// `Dense`, `Lstm` or `Deep`.
    pub kind: ModelKind,
    /// Records per window (1 = each record alone).
    pub seq_len: usize,
    /// Dense: outer hidden size.
    pub dense_hidden: usize,
    /// Dense: code size.
    pub dense_code: usize,
    /// Simple LSTM: hidden size.
    pub lstm_hidden: usize,
    /// Deep LSTM: outer size.
    pub deep_outer: usize,
    /// Deep LSTM: inner (code) size.
    pub deep_inner: usize,
    /// Training.
    pub train: TrainConfig,
    /// Threshold on the training errors.
    pub threshold: ThresholdRule,
}

impl AeConfig {
    /// The defaults for `kind` (the reference architectures; the deep model is the one
    /// the reference trained with early stopping, which all three use here).
    pub fn new(kind: ModelKind) -> Self {
        Self {
            kind,
            seq_len: 1,
            dense_hidden: 32,
            dense_code: 16,
            lstm_hidden: 64,
            deep_outer: 128,
            deep_inner: 64,
            train: TrainConfig::default(),
            threshold: ThresholdRule::Percentile(95.0),
        }
    }

    /// Check the settings once, before any work.
    pub fn validate(&self) -> Result<(), AeError> {
        if !matches!(self.kind, ModelKind::Dense | ModelKind::Lstm | ModelKind::Deep) {
            return Err(AeError::Config(format!("{} is not an autoencoder", self.kind.title())));
        }
        if self.seq_len == 0 || self.seq_len > 256 {
            return Err(AeError::Config(format!("sequence length must be between 1 and 256, got {}", self.seq_len)));
        }
        for (name, v) in [
            ("dense hidden size", self.dense_hidden),
            ("dense code size", self.dense_code),
            ("LSTM hidden size", self.lstm_hidden),
            ("deep LSTM outer size", self.deep_outer),
            ("deep LSTM inner size", self.deep_inner),
        ] {
            if v == 0 || v > 4096 {
                return Err(AeError::Config(format!("{name} must be between 1 and 4096, got {v}")));
            }
        }
        self.threshold.validate().map_err(AeError::Config)?;
        self.train.validate()
    }

    fn network(&self, n_features: usize, device: &Device) -> Network {
        let seed = self.train.seed;
        match self.kind {
            ModelKind::Dense => Network::Dense(
                DenseAeConfig::new(n_features * self.seq_len)
                    .with_hidden(self.dense_hidden)
                    .with_code(self.dense_code)
                    .init(seed, device),
            ),
            ModelKind::Lstm => {
                Network::Lstm(LstmAeConfig::new(n_features).with_hidden(self.lstm_hidden).init(seed, device))
            }
            _ => Network::Deep(
                DeepLstmAeConfig::new(n_features)
                    .with_outer(self.deep_outer)
                    .with_inner(self.deep_inner)
                    .init(seed, device),
            ),
        }
    }
}

/// A trained autoencoder detector.
#[derive(Debug)]
pub struct Autoencoder {
    /// Its settings.
    pub config: AeConfig,
    /// Features per record.
    pub n_features: usize,
    /// Decision threshold on the reconstruction error.
    pub threshold: f64,
    /// How training went.
    pub history: History,
    network: Network,
    device: Device,
}

impl PartialEq for Autoencoder {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes().ok() == other.to_bytes().ok()
    }
}

impl Clone for Autoencoder {
    fn clone(&self) -> Self {
        Self {
            config: self.config,
            n_features: self.n_features,
            threshold: self.threshold,
            history: self.history.clone(),
            network: self.network.clone(),
            device: self.device.clone(),
        }
    }
}

impl Autoencoder {
    /// Train on `x` (the prepared training normals) on `backend`, reporting through `progress`.
    pub fn fit(
        config: AeConfig,
        x: &Features,
        backend: Backend,
        progress: &mut dyn FnMut(&Progress) -> Control,
    ) -> Result<Self, AeError> {
        let mut training = AeTraining::new(config, x.clone(), backend)?;
        while training.run_epoch(progress)? {}
        training.finish()
    }

    /// Reconstruction error of every row of `x`, with the network of an unfinished
    /// training (to watch the errors separate epoch by epoch).
    pub fn score_with(network: &Network, seq_len: usize, x: &Features, device: &Device) -> Result<Vec<f64>, AeError> {
        let windows = Windows { x, seq_len };
        let all: Vec<usize> = (0..x.rows).collect();
        train::reconstruction_errors(network, &windows, &all, device)
    }

    /// Reconstruction error of every row of `x` (of the window it ends).
    pub fn score(&self, x: &Features) -> Result<Vec<f64>, AeError> {
        if x.cols != self.n_features {
            return Err(AeError::Width { expected: self.n_features, found: x.cols });
        }
        let windows = Windows { x, seq_len: self.config.seq_len };
        let all: Vec<usize> = (0..x.rows).collect();
        train::reconstruction_errors(&self.network, &windows, &all, &self.device)
    }

    /// The reconstructions of the windows ending at rows `ends` of `x`: per window, each
    /// column's squared error averaged over the window's steps, and the last step's (the
    /// record's own) reconstructed values, both in prepared (standardised) units, each
    /// `ends.len() × cols` row-major. Forward passes of [`train::SCORE_BATCH`] windows.
    pub fn reconstruct(&self, x: &Features, ends: &[usize]) -> Result<(Vec<f64>, Vec<f32>), AeError> {
        if x.cols != self.n_features {
            return Err(AeError::Width { expected: self.n_features, found: x.cols });
        }
        if let Some(&end) = ends.iter().find(|&&e| e >= x.rows) {
            return Err(AeError::Width { expected: end + 1, found: x.rows });
        }
        let (seq, cols) = (self.config.seq_len, x.cols);
        let windows = Windows { x, seq_len: seq };
        let (mut errors, mut last) = (vec![0.0f64; ends.len() * cols], Vec::with_capacity(ends.len() * cols));
        for (b, chunk) in ends.chunks(train::SCORE_BATCH).enumerate() {
            let input = windows.values(chunk);
            let out = self.network.forward(windows.tensor(chunk, &self.device));
            let out = out.into_data().try_into_vec::<f32>().map_err(|e| AeError::Backend(format!("{e:?}")))?;
            let base = b * train::SCORE_BATCH * cols;
            for (k, (o, i)) in out.iter().zip(&input).enumerate() {
                let (window, col) = (k / (seq * cols), k % cols);
                let d = f64::from(o - i);
                errors[base + window * cols + col] += d * d / seq as f64;
            }
            for w in 0..chunk.len() {
                last.extend_from_slice(&out[(w * seq + seq - 1) * cols..(w * seq + seq) * cols]);
            }
        }
        Ok((errors, last))
    }

    /// Serialise: a tag, a JSON header (settings, threshold, history), the burn record.
    pub fn to_bytes(&self) -> Result<Vec<u8>, AeError> {
        let header = serde_json::to_vec(&Header {
            config: self.config,
            n_features: self.n_features,
            threshold: self.threshold,
            history: self.history.clone(),
        })
        .map_err(|e| AeError::Corrupt(e.to_string()))?;
        let record = self.network.clone().into_record().into_bytes().map_err(|e| AeError::Backend(format!("{e:?}")))?;
        let mut out = Vec::with_capacity(12 + header.len() + record.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&record);
        Ok(out)
    }

    /// Deserialise onto `backend`; a damaged or mismatched file is an error.
    pub fn from_bytes(bytes: &[u8], backend: Backend) -> Result<Self, AeError> {
        let bad = |m: &str| AeError::Corrupt(m.to_string());
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| bad("missing the autoencoder tag"))?;
        let len = rest.get(..4).ok_or_else(|| bad("truncated"))?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let header = rest.get(4..4 + len).ok_or_else(|| bad("truncated header"))?;
        let h: Header = serde_json::from_slice(header).map_err(|e| AeError::Corrupt(format!("header: {e}")))?;
        h.config.validate()?;
        if h.n_features == 0 || h.n_features > 100_000 || !h.threshold.is_finite() {
            return Err(bad("impossible sizes or threshold"));
        }
        let device = backend.device()?;
        // Cast to the network's own dtype: a damaged file may declare another (an integer
        // tensor where weights are floats), which would otherwise panic in the backend.
        let record = ModuleRecord::from_bytes(burn::tensor::Bytes::from_bytes_vec(rest[4 + len..].to_vec()))
            .map_err(|e| AeError::Corrupt(format!("weights: {e:?}")))?
            .cast_to_module_dtype();
        let network = h
            .config
            .network(h.n_features, &device)
            .try_load_record(record)
            .map_err(|e| AeError::Corrupt(format!("weights do not fit the network: {e:?}")))?;
        Ok(Self {
            config: h.config,
            n_features: h.n_features,
            threshold: h.threshold,
            history: h.history,
            network,
            device,
        })
    }
}

/// An autoencoder being trained, an epoch at a time.
pub struct AeTraining {
    config: AeConfig,
    trainer: Trainer,
    device: Device,
}

impl AeTraining {
    /// Check the settings, build the network with seeded weights, split off the
    /// validation rows.
    pub fn new(config: AeConfig, x: Features, backend: Backend) -> Result<Self, AeError> {
        config.validate()?;
        if x.rows == 0 || x.cols == 0 {
            return Err(AeError::NoRows);
        }
        let device = backend.device()?;
        let train_device = device.clone().autodiff();
        let network = config.network(x.cols, &train_device);
        let trainer = Trainer::new(network, x, config.seq_len, config.train, &train_device)?;
        Ok(Self { config, trainer, device })
    }

    /// One epoch; whether more are to come.
    pub fn run_epoch(&mut self, progress: &mut dyn FnMut(&Progress) -> Control) -> Result<bool, AeError> {
        self.trainer.run_epoch(progress)
    }

    /// At most `max_batches` batches (see [`Trainer::run_batches`]).
    pub fn run_batches(
        &mut self,
        max_batches: usize,
        progress: &mut dyn FnMut(&Progress) -> Control,
    ) -> Result<Step, AeError> {
        self.trainer.run_batches(max_batches, progress)
    }

    /// Stop before the next batch.
    pub fn cancel(&mut self) {
        self.trainer.cancel();
    }

    /// Epochs so far.
    pub fn history(&self) -> &History {
        self.trainer.history()
    }

    /// Errors of `x` under the current weights (between epochs).
    pub fn current_errors(&self, x: &Features) -> Result<Vec<f64>, AeError> {
        if let Some(errors) = self.trainer.current_flat_errors(x)? {
            return Ok(errors);
        }
        let network = self.trainer.current()?.to_device(&self.device);
        Autoencoder::score_with(&network, self.config.seq_len, x, &self.device)
    }

    /// The threshold the current weights would get: the configured percentile of their
    /// errors on up to `max_rows` training rows (evenly spread).
    pub fn current_threshold(&self, max_rows: usize) -> Result<f64, AeError> {
        let x = self.trainer.rows();
        let step = (x.rows / max_rows.max(1)).max(1);
        let mut data = Vec::new();
        let mut rows = 0;
        for r in (0..x.rows).step_by(step) {
            data.extend_from_slice(x.row(r));
            rows += 1;
        }
        let errors = self.current_errors(&Features { rows, cols: x.cols, data })?;
        Ok(self.config.threshold.threshold(&errors))
    }

    /// Keep the best weights and set the threshold from the training errors.
    pub fn finish(self) -> Result<Autoencoder, AeError> {
        let (network, x, history) = self.trainer.finish()?;
        let network = network.to_device(&self.device);
        let errors = Autoencoder::score_with(&network, self.config.seq_len, &x, &self.device)?;
        let threshold = self.config.threshold.threshold(&errors);
        Ok(Autoencoder { config: self.config, n_features: x.cols, threshold, history, network, device: self.device })
    }
}

const MAGIC: &[u8; 8] = b"NAAUTOEN";

#[derive(Serialize, Deserialize)]
struct Header {
    config: AeConfig,
    n_features: usize,
    threshold: f64,
    history: History,
}
