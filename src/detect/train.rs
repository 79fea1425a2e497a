//! The training loop, written out (burn-train does not run on wasm): seeded
//! shuffling, mini-batches, Adam on the MSE, a validation split of the training
//! normals, early stopping that restores the best weights, and a progress callback
//! that can stop training — the browser's live loss curve and cancel button.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use super::flat_train::FlatTrainer;
use super::network::{AeError, Network};
pub use super::train_config::TrainConfig;
use super::windows::flat_errors;
pub use super::windows::{reconstruction_errors, runs_flat, Windows, SCORE_BATCH};
use crate::prepare::Features;
use crate::rng::Rng;

/// What the callback hears: after every batch (`epoch_done == false`) and at the
/// end of every epoch (`epoch_done == true`, with the validation loss).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Progress {
    /// Epoch, from 1.
    pub epoch: usize,
    /// Epochs asked for.
    pub epochs: usize,
    /// Batch within the epoch, from 1.
    pub batch: usize,
    /// Batches per epoch.
    pub batches: usize,
    /// Mean training loss of this epoch so far.
    pub train_loss: f64,
    /// Validation loss, at the end of an epoch.
    pub val_loss: Option<f64>,
    /// Training throughput this epoch.
    pub samples_per_sec: f64,
    /// Whether this report closes the epoch.
    pub epoch_done: bool,
}

/// The callback's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now and keep the best weights so far (on the written-out layers, after the
    /// batches already running in the pool: at most 32; see `POOL_GROUP`).
    Stop,
}

/// One epoch's figures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct EpochStats {
    /// Epoch, from 1.
    pub epoch: usize,
    /// Mean training loss.
    pub train_loss: f64,
    /// Validation loss (None without a validation split).
    pub val_loss: Option<f64>,
    /// Wall time of the epoch's training steps.
    pub seconds: f64,
    /// Training windows per second.
    pub samples_per_sec: f64,
}

/// Why training ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// All epochs ran.
    Completed,
    /// The watched loss stopped improving for `patience` epochs.
    EarlyStopped,
    /// The callback asked to stop.
    Cancelled,
}

/// The whole run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct History {
    /// Every finished epoch.
    pub epochs: Vec<EpochStats>,
    /// The epoch whose weights were kept.
    pub best_epoch: usize,
    /// Why it ended.
    pub stop: StopReason,
    /// Windows trained on (after the validation split).
    pub train_windows: usize,
    /// Windows held out for validation.
    pub validation_windows: usize,
}

/// Training in progress, one epoch per [`Trainer::run_epoch`] call — so a browser
/// worker can return to its event loop between epochs (cancel, pause, step).
pub struct Trainer {
    x: Features,
    seq_len: usize,
    config: TrainConfig,
    device: Device,
    /// The weights as a burn module; with the flat engine, brought up to it
    /// (`synced`) only at an epoch's end and where they are read (`current`, `finish`).
    model: Network,
    engine: Engine,
    rng: Rng,
    train_ends: Vec<usize>,
    val_ends: Vec<usize>,
    best: Option<(f64, Network, usize)>,
    waited: usize,
    history: History,
    done: bool,
    partial: Option<PartialEpoch>,
}

/// What computes the steps.
enum Engine {
    /// Burn's autodiff and its Adam.
    Burn(ModuleOptimizer),
    /// The written-out layers (`flat_train.rs`).
    Flat(Box<FlatTrainer>),
}

/// An epoch part-way through (between [`Trainer::run_batches`] calls).
struct PartialEpoch {
    epoch: usize,
    next_batch: usize,
    loss_sum: f64,
    seen: usize,
    /// Training time so far, not counting the pauses between calls.
    seconds: f64,
}

/// What a [`Trainer::run_batches`] call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Step {
    /// It finished an epoch.
    pub epoch_done: bool,
    /// Training goes on (more batches or epochs).
    pub more: bool,
}

impl Trainer {
    /// Prepare to train `network` (on an autodiff device) on the windows of `x`.
    pub fn new(
        network: Network,
        x: Features,
        seq_len: usize,
        config: TrainConfig,
        device: &Device,
    ) -> Result<Self, AeError> {
        Self::with_engine(network, x, seq_len, config, device, true)
    }

    /// [`Trainer::new`] on the written-out layers (`flat`, where [`runs_flat`] says they
    /// apply) or on burn's autodiff.
    pub(crate) fn with_engine(
        network: Network,
        x: Features,
        seq_len: usize,
        config: TrainConfig,
        device: &Device,
        flat: bool,
    ) -> Result<Self, AeError> {
        config.validate()?;
        let n = x.rows;
        if n == 0 {
            return Err(AeError::NoRows);
        }
        let rng = Rng::new(config.seed);
        let mut order: Vec<usize> = (0..n).collect();
        rng.fork(1).shuffle(&mut order);
        let n_val = ((n as f64) * config.validation_split).round() as usize;
        let n_val = if n_val >= n { 0 } else { n_val };
        let (val_ends, train_ends) = order.split_at(n_val);
        let history = History {
            epochs: Vec::new(),
            best_epoch: 0,
            stop: StopReason::Completed,
            train_windows: train_ends.len(),
            validation_windows: val_ends.len(),
        };
        Ok(Self {
            train_ends: train_ends.to_vec(),
            val_ends: val_ends.to_vec(),
            x,
            seq_len,
            config,
            device: device.clone(),
            engine: if flat && runs_flat(&network, seq_len) {
                Engine::Flat(Box::new(FlatTrainer::new(&network)?))
            } else {
                Engine::Burn(AdamConfig::new().init())
            },
            model: network,
            rng,
            best: None,
            waited: 0,
            history,
            done: false,
            partial: None,
        })
    }

    /// The training rows.
    pub fn rows(&self) -> &Features {
        &self.x
    }

    /// The epochs so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Whether training has ended (all epochs, early stop or cancel).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Stop before the next epoch, as the cancel button does.
    pub fn cancel(&mut self) {
        if !self.done {
            self.history.stop = StopReason::Cancelled;
            self.done = true;
        }
    }

    /// The current weights (for watching errors evolve between epochs).
    pub fn current(&self) -> Result<Network, AeError> {
        Ok(synced(&self.engine, self.model.clone())?.valid())
    }

    /// Reconstruction errors of every row of `x` under the current weights, read from the
    /// written-out layers themselves (no copy into the burn module); `None` on burn's
    /// engine (use [`Trainer::current`]).
    pub fn current_flat_errors(&self, x: &Features) -> Result<Option<Vec<f64>>, AeError> {
        let Engine::Flat(flat) = &self.engine else { return Ok(None) };
        if x.cols != self.x.cols {
            return Err(AeError::Width { expected: self.x.cols, found: x.cols });
        }
        let all: Vec<usize> = (0..x.rows).collect();
        Ok(Some(flat_errors(flat.net(), &Windows { x, seq_len: self.seq_len }, &all)))
    }

    /// Train one epoch; returns whether more epochs are to come.
    pub fn run_epoch(&mut self, progress: &mut dyn FnMut(&Progress) -> Control) -> Result<bool, AeError> {
        loop {
            let step = self.run_batches(usize::MAX, progress)?;
            if step.epoch_done || !step.more {
                return Ok(step.more);
            }
        }
    }

    /// Train at most `max_batches` batches, resuming the current epoch (and closing it
    /// — validation, early stopping — when its last batch is done), so a worker can
    /// return to its event loop every few batches and a cancel takes effect at once.
    pub fn run_batches(
        &mut self,
        max_batches: usize,
        progress: &mut dyn FnMut(&Progress) -> Control,
    ) -> Result<Step, AeError> {
        if self.done {
            return Ok(Step { epoch_done: false, more: false });
        }
        let config = self.config;
        let batches = self.train_ends.len().div_ceil(config.batch_size);
        let mut partial = match self.partial.take() {
            Some(p) => p,
            None => {
                let epoch = self.history.epochs.len() + 1;
                self.rng.fork(100 + epoch as u64).shuffle(&mut self.train_ends);
                PartialEpoch { epoch, next_batch: 0, loss_sum: 0.0, seen: 0, seconds: 0.0 }
            }
        };
        let epoch = partial.epoch;
        let windows = Windows { x: &self.x, seq_len: self.seq_len };
        let start = Instant::now();
        let end = partial.next_batch.saturating_add(max_batches).min(batches);
        let mut values = Vec::new();
        for b in partial.next_batch..end {
            if values.is_empty() {
                let group = b..(b + POOL_GROUP).min(end);
                values =
                    steps(&mut self.engine, &mut self.model, &windows, &self.train_ends, group, &config, &self.device);
                values.reverse();
            }
            let ends = batch(&self.train_ends, b, config.batch_size);
            // `steps` returns at least one loss, so the NaN (a divergence) never shows.
            let value = values.pop().unwrap_or(f64::NAN);
            if !value.is_finite() {
                self.done = true;
                return Err(AeError::Diverged { epoch, loss: value });
            }
            partial.loss_sum += value * ends.len() as f64;
            partial.seen += ends.len();
            partial.next_batch = b + 1;
            let report = Progress {
                epoch,
                epochs: config.epochs,
                batch: b + 1,
                batches,
                train_loss: partial.loss_sum / partial.seen as f64,
                val_loss: None,
                samples_per_sec: partial.seen as f64 / (partial.seconds + start.elapsed().as_secs_f64()).max(1e-9),
                epoch_done: false,
            };
            if progress(&report) == Control::Stop {
                self.cancel();
                return Ok(Step { epoch_done: false, more: false });
            }
        }
        partial.seconds += start.elapsed().as_secs_f64();
        if partial.next_batch < batches {
            self.partial = Some(partial);
            return Ok(Step { epoch_done: false, more: true });
        }
        let (seconds, seen) = (partial.seconds, partial.seen);
        let train_loss = partial.loss_sum / seen.max(1) as f64;
        let val_loss = if self.val_ends.is_empty() {
            None
        } else {
            let errors = match &self.engine {
                Engine::Flat(flat) => flat_errors(flat.net(), &windows, &self.val_ends),
                Engine::Burn(_) => reconstruction_errors(&self.model.valid(), &windows, &self.val_ends, &self.device)?,
            };
            Some(errors.iter().sum::<f64>() / errors.len() as f64)
        };
        self.model = synced(&self.engine, self.model.clone())?;
        let stats =
            EpochStats { epoch, train_loss, val_loss, seconds, samples_per_sec: seen as f64 / seconds.max(1e-9) };
        self.history.epochs.push(stats);
        let watched = val_loss.unwrap_or(train_loss);
        if self.best.as_ref().is_none_or(|(b, _, _)| watched < b - config.min_delta) {
            self.best = Some((watched, self.model.clone(), epoch));
            self.waited = 0;
        } else {
            self.waited += 1;
        }
        let report = Progress {
            epoch,
            epochs: config.epochs,
            batch: batches,
            batches,
            train_loss,
            val_loss,
            samples_per_sec: stats.samples_per_sec,
            epoch_done: true,
        };
        if progress(&report) == Control::Stop {
            self.cancel();
        } else if config.patience > 0 && self.waited >= config.patience {
            self.history.stop = StopReason::EarlyStopped;
            self.done = true;
        } else if epoch >= config.epochs {
            self.done = true;
        }
        Ok(Step { epoch_done: true, more: !self.done })
    }

    /// The best weights (restored, as early stopping promises), the training rows and
    /// the history.
    pub fn finish(mut self) -> Result<(Network, Features, History), AeError> {
        let (network, best_epoch) = match self.best.take() {
            Some((_, m, e)) => (m, e),
            // Cancelled inside the first epoch: the weights so far.
            None => (synced(&self.engine, self.model)?, 0),
        };
        self.history.best_epoch = best_epoch;
        Ok((network.valid(), self.x, self.history))
    }
}

/// Batches one [`steps`] call runs on the written-out layers: one entry into rayon's
/// pool for all of them, the pool's threads kept in it from batch to batch
/// (`pool_steps.rs`) rather than woken by the caller for each one (in the tab a wake is
/// a cross-worker `Atomics.notify`, a large part of a short batch). The progress
/// reports of a group come after it, so a Stop from the callback takes effect at the
/// group's end.
const POOL_GROUP: usize = 32;

/// Batch `b` of `train_ends` in batches of `size`.
fn batch(train_ends: &[usize], b: usize, size: usize) -> &[usize] {
    &train_ends[b * size..((b + 1) * size).min(train_ends.len())]
}

/// The training losses of batches `group` (each the loss before its step), stopping
/// after the first that is not finite. On burn's engine one batch.
fn steps(
    engine: &mut Engine,
    model: &mut Network,
    windows: &Windows<'_>,
    train_ends: &[usize],
    group: std::ops::Range<usize>,
    config: &TrainConfig,
    device: &Device,
) -> Vec<f64> {
    let batch = |b: usize| batch(train_ends, b, config.batch_size);
    match engine {
        Engine::Flat(flat) => {
            let mut batches = group.map(|b| {
                let ends = batch(b);
                (windows.values(ends), ends.len())
            });
            flat.steps(&mut || batches.next(), config.learning_rate as f32)
        }
        Engine::Burn(optim) => {
            let x = windows.tensor(batch(group.start), device);
            let loss = (model.forward(x.clone()) - x).square().mean();
            let value: f32 = loss.clone().into_scalar();
            if value.is_finite() {
                let grads = GradientsParams::from_grads(loss.backward(), &*model);
                *model = optim.step(config.learning_rate, model.clone(), grads);
            }
            vec![f64::from(value)]
        }
    }
}

/// `model` with the written-out layers' weights (as it is, on burn's engine).
fn synced(engine: &Engine, model: Network) -> Result<Network, AeError> {
    match engine {
        Engine::Flat(flat) => flat.net().write_into(model),
        Engine::Burn(_) => Ok(model),
    }
}
