//! A training run in steps: the forest fitted at once, an autoencoder a few batches
//! at a time (so the worker hears a cancel), the live error histogram, and the
//! finished model scored and registered.

use super::{EpochReport, ModelResult, Session, SessionError, Test, HISTOGRAM_BINS};
use crate::data::{Rows, Subset};
use crate::detect::autoencoder::AeTraining;
use crate::detect::{AeConfig, Control, Detector, ModelKind, Progress};
use crate::metrics::{self, Histogram};
use crate::model_file::{data_hash, Model, ModelHeader};
use crate::pipeline::{self, TrainSettings};
use crate::prepare::{Features, Preparation};
use crate::Error;

/// A model being trained.
#[allow(clippy::large_enum_variant)] // at most one exists
pub(super) enum Pending {
    Forest(Model),
    Autoencoder {
        settings: TrainSettings,
        preparation: Preparation,
        hash: String,
        train_rows: u64,
        training: AeTraining,
    },
}

impl Session {
    /// Begin training: the Isolation Forest is fitted at once; an autoencoder is set
    /// up to train an epoch per [`Session::train_epoch`].
    pub fn start_training(&mut self, settings: TrainSettings) -> Result<(), Error> {
        self.pending = None;
        let settings =
            TrainSettings { memory_budget: settings.memory_budget.or(Some(pipeline::TAB_MEMORY_BUDGET)), ..settings };
        let split = self.split()?;
        let train = &split.train;
        let pending = match settings.kind {
            ModelKind::If => {
                settings.forest.validate()?;
                let model = pipeline::train(&settings, train, &self.protocol_name(), &mut |_| Control::Continue)?;
                Pending::Forest(model)
            }
            kind => {
                let config = AeConfig { kind, ..settings.autoencoder };
                config.validate()?;
                pipeline::check_memory(&settings, train)?;
                let preparation = Preparation::fit(settings.prepare, train)?;
                let x: Features = preparation.transform(train);
                let training = AeTraining::new(config, x, settings.backend)?;
                Pending::Autoencoder {
                    settings,
                    preparation,
                    hash: data_hash(train),
                    train_rows: train.len() as u64,
                    training,
                }
            }
        };
        self.pending = Some(pending);
        Ok(())
    }

    /// Train one epoch of the pending autoencoder (nothing for a forest); with
    /// `with_histogram`, also the first test set's error histogram under the current
    /// weights, so a class can watch normal and attack errors separate.
    pub fn train_epoch(
        &mut self,
        progress: &mut dyn FnMut(&Progress) -> Control,
        with_histogram: bool,
    ) -> Result<EpochReport, Error> {
        self.train_step(usize::MAX, progress, with_histogram)
    }

    /// Like [`Session::train_epoch`] but at most `max_batches` batches: call it until
    /// `done`, returning to the event loop between calls so a cancel is heard at once.
    /// History and histogram come with the report that closes an epoch.
    pub fn train_step(
        &mut self,
        max_batches: usize,
        progress: &mut dyn FnMut(&Progress) -> Control,
        with_histogram: bool,
    ) -> Result<EpochReport, Error> {
        let step = match self.pending.as_mut().ok_or(SessionError::NotTraining)? {
            Pending::Forest(_) => {
                return Ok(EpochReport {
                    done: true,
                    epoch_done: false,
                    history: None,
                    histogram: None,
                    threshold: None,
                })
            }
            Pending::Autoencoder { training, .. } => {
                let mut step = training.run_batches(max_batches, progress)?;
                // A whole-epoch call (train_epoch) runs until the epoch closes.
                while max_batches == usize::MAX && step.more && !step.epoch_done {
                    step = training.run_batches(max_batches, progress)?;
                }
                step
            }
        };
        let (histogram, threshold) =
            match (with_histogram && step.epoch_done).then(|| self.current_histogram()).transpose()?.flatten() {
                Some((h, t)) => (Some(h), Some(t)),
                None => (None, None),
            };
        let history = match &self.pending {
            Some(Pending::Autoencoder { training, .. }) => Some(training.history().clone()),
            _ => None,
        };
        Ok(EpochReport { done: !step.more, epoch_done: step.epoch_done, history, histogram, threshold })
    }

    fn current_histogram(&self) -> Result<Option<(Histogram, f64)>, Error> {
        let Some(Pending::Autoencoder { preparation, training, .. }) = &self.pending else { return Ok(None) };
        let split = self.split()?;
        // A streamed test set is not held: no live histogram (a pass per epoch would be slow).
        let Some(Test::Held(test)) = split.tests.first() else { return Ok(None) };
        // A sample keeps this quick between epochs.
        let step = (test.len() / 20_000).max(1);
        let sample = Subset {
            name: test.name.clone(),
            table: test.table,
            rows: test.rows.iter().step_by(step).copied().collect(),
            normal_is_anomaly: test.normal_is_anomaly,
        };
        let errors = training.current_errors(&preparation.transform(&sample))?;
        let truth = sample.truth();
        let threshold = training.current_threshold(20_000)?;
        Ok(Some((metrics::histogram(&errors, truth.as_deref(), threshold, HISTOGRAM_BINS, true), threshold)))
    }

    /// Stop the pending autoencoder before its next epoch.
    pub fn cancel_training(&mut self) {
        if let Some(Pending::Autoencoder { training, .. }) = &mut self.pending {
            training.cancel();
        }
    }

    /// Whether a training run is pending.
    pub fn is_training(&self) -> bool {
        self.pending.is_some()
    }

    /// Finish the pending run (best weights, threshold), score every test set and
    /// evaluate; `progress(done, total)` while scoring.
    pub fn finish_training(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<ModelResult, Error> {
        let pending = self.pending.take().ok_or(SessionError::NotTraining)?;
        let model = match pending {
            Pending::Forest(model) => model,
            Pending::Autoencoder { settings, preparation, hash, train_rows, training } => {
                let ae = training.finish()?;
                let detector = Detector::Autoencoder(ae);
                Model {
                    header: ModelHeader {
                        kind: settings.kind,
                        config: detector.config_json(),
                        preparation,
                        threshold: detector.threshold(),
                        protocol: self.protocol_name(),
                        train_rows,
                        data_hash: hash,
                        metrics: Vec::new(),
                        created_by: format!("netanomaly {} (browser)", env!("CARGO_PKG_VERSION")),
                    },
                    detector,
                }
            }
        };
        self.add(model, "trained here".into(), progress)
    }
}
