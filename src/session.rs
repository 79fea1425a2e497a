//! A session: what the browser worker holds between messages — the loaded files,
//! the chosen protocol, models trained or loaded, their scores and evaluations —
//! as plain Rust, so it is tested natively; `web.rs` only converts to and from JS.

use serde::{Deserialize, Serialize};

use crate::data::streamed::{self, Opened, Source, StreamSettings, Streamed};
use crate::data::{self, labels, protocol, schema, synth, Category, Format, Rows, Subset, Symbols, Table};
use crate::detect::autoencoder::AeTraining;
use crate::detect::train::History;
use crate::detect::{AeConfig, Control, Detector, ModelKind, Progress};
use crate::metrics::{self, Evaluation, Histogram, SortedScores};
use crate::model_file::{data_hash, Model, ModelHeader};
use crate::pipeline::{self, TrainSettings};
use crate::prepare::{Features, Preparation};
use crate::Error;

/// Which loaded file a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    /// The file whose normal rows train (and, for some protocols, that is tested).
    Train,
    /// A second file to test on.
    Test,
}

/// How the loaded files become training and test rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ProtocolChoice {
    /// Train on the training file's normals, score every row of it.
    SingleFile,
    /// Train on a seeded share of the normals; test on the rest plus every attack.
    Holdout {
        /// Share of normals that train.
        train_fraction: f64,
        /// Seed of the split.
        seed: u64,
    },
    /// Train on the training file's normals, test on the test file.
    TrainTest,
    /// Train on every row, attacks included, score every row: the teaching
    /// demonstration of the reference's mistake.
    AllRows,
}

/// One label's count in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelCount {
    /// Label, without KDD99's trailing dot.
    pub label: String,
    /// Its category.
    pub category: Category,
    /// Rows.
    pub count: usize,
}

/// What a loaded file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// File name (or "synthetic sample").
    pub name: String,
    /// Detected format.
    pub format: Format,
    /// Rows.
    pub rows: usize,
    /// Whether it has labels.
    pub labelled: bool,
    /// Normal rows.
    pub normals: usize,
    /// Attack rows.
    pub attacks: usize,
    /// Whether it is the built-in synthetic sample.
    pub synthetic: bool,
    /// Label counts, most frequent first.
    pub labels: Vec<LabelCount>,
    /// Set when the file was too large to hold and is streamed: models train on a
    /// seeded sample of its normal rows and test on every other row.
    #[serde(default)]
    pub streamed: Option<StreamedSummary>,
}

/// How a streamed file is used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamedSummary {
    /// Normal rows in the training sample.
    pub sample_rows: usize,
    /// Rows tested (every row not in the sample).
    pub test_rows: usize,
    /// The settings it was read with.
    pub settings: StreamSettings,
}

/// One test set of the current split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestSummary {
    /// Name.
    pub name: String,
    /// Rows.
    pub rows: usize,
    /// Whether it has labels (else: scores and histogram only).
    pub labelled: bool,
    /// Normal rows.
    pub normals: usize,
    /// Attack rows.
    pub attacks: usize,
}

/// The current split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitSummary {
    /// Normal rows that train.
    pub train_rows: usize,
    /// Test sets.
    pub tests: Vec<TestSummary>,
}

/// A model in the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// Session-unique id.
    pub id: u32,
    /// Kind.
    pub kind: ModelKind,
    /// Name for people.
    pub title: String,
    /// Where it came from (trained here, a bundled file, a user's file).
    pub source: String,
    /// Decision threshold.
    pub threshold: f64,
    /// Protocol it was trained with.
    pub protocol: String,
    /// Training rows.
    pub train_rows: u64,
    /// Its settings.
    pub config: serde_json::Value,
    /// Training history (autoencoders).
    pub history: Option<History>,
    /// What the score measures (axis label).
    pub score_name: String,
}

/// Everything the page draws for one model on one test set: numbers, never objects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Model id.
    pub model_id: u32,
    /// Model kind.
    pub kind: ModelKind,
    /// Test set name.
    pub test_set: String,
    /// The model's threshold.
    pub threshold: f64,
    /// Score histogram (normal vs attack; all rows as "attack" when unlabelled).
    pub histogram: Histogram,
    /// Lowest and highest score (the slider's range).
    pub score_range: (f64, f64),
    /// Metrics, when the test set has labels (and both classes).
    pub evaluation: Option<Evaluation>,
    /// Why there are no metrics, when there are none.
    pub message: Option<String>,
}

/// Result of training or loading a model: its summary and one view per test set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelResult {
    /// The model.
    pub model: ModelSummary,
    /// Its views.
    pub views: Vec<View>,
}

/// Where a training run stands after an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// Whether training has ended (then call `finish_training`).
    pub done: bool,
    /// Whether this call closed an epoch.
    pub epoch_done: bool,
    /// Epochs so far.
    pub history: Option<History>,
    /// Error histogram of the current test set under the current weights, if asked.
    pub histogram: Option<Histogram>,
    /// The threshold the current weights would get (the percentile of their
    /// training errors), to draw with that histogram.
    pub threshold: Option<f64>,
}

struct Entry {
    id: u32,
    source: String,
    /// The session's data generation these scores belong to.
    generation: u64,
    model: Model,
    /// Scores per test set name, in split order.
    scores: Vec<(String, Vec<f64>)>,
    views: Vec<View>,
    /// The top-scoring records of streamed test sets (their rows are not held).
    top: Vec<(String, Vec<Record>)>,
}

/// One test set of the current split: rows of a held table, or a streamed file.
enum Test<'a> {
    Held(Subset<'a>),
    Streamed(&'a Streamed, &'a dyn Source),
}

impl Test<'_> {
    fn rows(&self) -> &dyn Rows {
        match self {
            Test::Held(s) => s,
            Test::Streamed(s, _) => *s,
        }
    }
}

/// Training rows and test sets.
struct Plan<'a> {
    train: Subset<'a>,
    tests: Vec<Test<'a>>,
}

/// Top-scoring records kept per streamed test set.
pub const TOP_RECORDS: usize = 100;

#[allow(clippy::large_enum_variant)] // at most one exists
enum Pending {
    Forest(Model),
    Autoencoder {
        settings: TrainSettings,
        preparation: Preparation,
        hash: String,
        train_rows: u64,
        training: AeTraining,
    },
}

/// Bins of the histograms in views.
pub const HISTOGRAM_BINS: usize = 60;

/// The worker's state.
pub struct Session {
    train: Option<(FileSummary, Table)>,
    /// A training file too large to hold (then `train` is `None`).
    streamed: Option<(FileSummary, Streamed, Box<dyn Source>)>,
    test: Option<(FileSummary, Table)>,
    stream_settings: StreamSettings,
    protocol: ProtocolChoice,
    models: Vec<Entry>,
    next_id: u32,
    pending: Option<Pending>,
    /// Bumped whenever the files or the protocol change: scores from an older
    /// generation describe other rows and must be re-scored before use.
    generation: u64,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

fn summary(name: &str, table: &Table, synthetic: bool) -> FileSummary {
    summary_of(name, table.format, table.rows(), table.labels.as_ref(), synthetic)
}

fn summary_of(name: &str, format: Format, rows: usize, labelled: Option<&Symbols>, synthetic: bool) -> FileSummary {
    let labels: Vec<LabelCount> = labelled
        .map(Symbols::counts)
        .unwrap_or_default()
        .into_iter()
        .map(|(label, count)| LabelCount { category: labels::category(&label), label, count })
        .collect();
    let normals = labels.iter().filter(|l| l.category == Category::Normal).map(|l| l.count).sum();
    FileSummary {
        name: name.into(),
        format,
        rows,
        labelled: labelled.is_some(),
        normals,
        attacks: if labelled.is_some() { rows - normals } else { 0 },
        synthetic,
        labels,
        streamed: None,
    }
}

impl Session {
    /// An empty session.
    pub fn new() -> Self {
        Self {
            train: None,
            streamed: None,
            test: None,
            stream_settings: StreamSettings::default(),
            protocol: ProtocolChoice::SingleFile,
            models: Vec::new(),
            next_id: 1,
            pending: None,
            generation: 0,
        }
    }

    /// Parse `bytes` (text or gzip) into `slot`, calling `progress(rows)` as it goes.
    /// On error the slot keeps what it had.
    pub fn load(
        &mut self,
        slot: Slot,
        name: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let table = data::read_with_progress(bytes, progress)?;
        Ok(self.put(slot, summary(name, &table, false), table))
    }

    /// When later loads stream a file rather than hold it, and how it is sampled.
    pub fn set_stream_settings(&mut self, settings: StreamSettings) {
        self.stream_settings = settings;
    }

    /// Read a file that can be re-read (a path, a browser `Blob`) into `slot`: held
    /// when it has at most `hold_rows` rows, else (training slot only) streamed — one
    /// pass now keeps every row's label and a seeded sample of normal rows, and every
    /// scoring reads it again. On error the slot keeps what it had.
    pub fn load_source(
        &mut self,
        slot: Slot,
        name: &str,
        source: Box<dyn Source>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let settings = match slot {
            Slot::Train => self.stream_settings,
            // Test files are held: any size is read whole, there is no sample to take.
            Slot::Test => StreamSettings { hold_rows: usize::MAX, ..self.stream_settings },
        };
        match streamed::open(&*source, settings, progress)? {
            Opened::Held(table) => Ok(self.put(slot, summary(name, &table, false), table)),
            Opened::Streamed(s) => {
                let mut summary = summary_of(name, s.format, s.rows, s.labels.as_ref(), false);
                summary.streamed = Some(StreamedSummary {
                    sample_rows: s.sample_ids.len(),
                    test_rows: s.test_ids.len(),
                    settings: s.settings,
                });
                self.generation += 1;
                self.train = None;
                self.streamed = Some((summary.clone(), s, source));
                Ok(summary)
            }
        }
    }

    /// Load `rows` rows of synthetic KDD99-format traffic (normal plus loud and quiet
    /// attacks of all four categories), made by our own generator, as the training file.
    pub fn load_sample(&mut self, rows: usize, seed: u64) -> Result<FileSummary, Error> {
        let text = synth::generate(rows.clamp(100, 1_000_000), 0.35, Format::Kdd99, seed);
        let table = data::read_bytes(text.as_bytes())?;
        self.test = None;
        Ok(self.put(Slot::Train, summary("synthetic sample (generated, not real traffic)", &table, true), table))
    }

    fn put(&mut self, slot: Slot, s: FileSummary, table: Table) -> FileSummary {
        self.generation += 1;
        match slot {
            Slot::Train => {
                self.streamed = None;
                self.train = Some((s.clone(), table));
            }
            Slot::Test => self.test = Some((s.clone(), table)),
        }
        s
    }

    /// Forget the test file.
    pub fn clear_test(&mut self) {
        self.generation += 1;
        self.test = None;
    }

    /// What is loaded.
    pub fn files(&self) -> (Option<&FileSummary>, Option<&FileSummary>) {
        let train = self.train.as_ref().map(|t| &t.0).or(self.streamed.as_ref().map(|s| &s.0));
        (train, self.test.as_ref().map(|t| &t.0))
    }

    /// Choose the protocol; the split is checked at once (e.g. no normal rows).
    pub fn set_protocol(&mut self, choice: ProtocolChoice) -> Result<SplitSummary, Error> {
        let previous = std::mem::replace(&mut self.protocol, choice);
        match self.split_summary() {
            Ok(s) => {
                if previous != choice {
                    self.generation += 1;
                }
                Ok(s)
            }
            Err(e) => {
                self.protocol = previous;
                Err(e)
            }
        }
    }

    fn split(&self) -> Result<Plan<'_>, Error> {
        if let Some((summary, streamed, source)) = &self.streamed {
            let sample = &streamed.sample;
            let train = Subset { name: "train".into(), table: sample, rows: (0..sample.rows()).collect() };
            if !summary.labelled {
                return Err(data::SplitError::Unlabelled(summary.name.clone()).into());
            }
            if train.is_empty() {
                return Err(data::SplitError::NoNormalRows(summary.name.clone()).into());
            }
            let tests = match self.protocol {
                ProtocolChoice::SingleFile | ProtocolChoice::Holdout { .. } => {
                    vec![Test::Streamed(streamed, &**source)]
                }
                ProtocolChoice::TrainTest => {
                    let (s, test) = self.test.as_ref().ok_or(SessionError::NoTestFile)?;
                    vec![Test::Held(Subset { name: s.name.clone(), table: test, rows: (0..test.rows()).collect() })]
                }
                ProtocolChoice::AllRows => return Err(SessionError::StreamedAllRows.into()),
            };
            return Ok(Plan { train, tests });
        }
        let (file, train) = self.train.as_ref().ok_or(SessionError::NoFile)?;
        // Name the file in "has no labels" / "no normal rows".
        let named = |e: data::SplitError| match e {
            data::SplitError::Unlabelled(_) => data::SplitError::Unlabelled(file.name.clone()),
            data::SplitError::NoNormalRows(_) => data::SplitError::NoNormalRows(file.name.clone()),
            other => other,
        };
        let split = match self.protocol {
            ProtocolChoice::SingleFile => protocol::single_file(train).map_err(named)?,
            ProtocolChoice::Holdout { train_fraction, seed } => {
                protocol::holdout(train, train_fraction, seed).map_err(named)?
            }
            ProtocolChoice::TrainTest => {
                let (s, test) = self.test.as_ref().ok_or(SessionError::NoTestFile)?;
                protocol::train_test(train, &[(s.name.as_str(), test)]).map_err(named)?
            }
            ProtocolChoice::AllRows => protocol::all_rows(train).map_err(named)?,
        };
        Ok(Plan { train: split.train, tests: split.tests.into_iter().map(Test::Held).collect() })
    }

    /// The current split's sizes.
    pub fn split_summary(&self) -> Result<SplitSummary, Error> {
        let split = self.split()?;
        Ok(SplitSummary {
            train_rows: split.train.len(),
            tests: split
                .tests
                .iter()
                .map(|t| {
                    let t = t.rows();
                    let labelled = t.labels().is_some();
                    let attacks = t.truth().map_or(0, |v| v.iter().filter(|&&a| a).count());
                    TestSummary {
                        name: t.name().to_string(),
                        rows: t.len(),
                        labelled,
                        normals: if labelled { t.len() - attacks } else { 0 },
                        attacks,
                    }
                })
                .collect(),
        })
    }

    /// Begin training: the Isolation Forest is fitted at once; an autoencoder is set
    /// up to train an epoch per [`Session::train_epoch`].
    pub fn start_training(&mut self, settings: TrainSettings) -> Result<(), Error> {
        self.pending = None;
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

    fn protocol_name(&self) -> String {
        if let Some((_, s, _)) = &self.streamed {
            return format!("streamed: {} sampled normals, seed {}", s.sample_ids.len(), s.settings.seed);
        }
        match self.protocol {
            ProtocolChoice::SingleFile => "single-file".into(),
            ProtocolChoice::Holdout { train_fraction, seed } => format!("holdout {train_fraction} seed {seed}"),
            ProtocolChoice::TrainTest => "train-test".into(),
            ProtocolChoice::AllRows => "all-rows (attacks in training)".into(),
        }
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

    /// Load a model file (bundled with the page or saved earlier) and score the
    /// current test sets with it.
    pub fn add_model(
        &mut self,
        source: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ModelResult, Error> {
        let model = Model::from_bytes(bytes)?;
        self.add(model, source.into(), progress)
    }

    fn add(
        &mut self,
        model: Model,
        source: String,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ModelResult, Error> {
        let id = self.next_id;
        let (model, scores, views, top) = self.score_views(id, model, progress)?;
        self.next_id += 1;
        let summary = model_summary(id, &source, &model);
        self.models.push(Entry { id, source, generation: self.generation, model, scores, views: views.clone(), top });
        Ok(ModelResult { model: summary, views })
    }

    /// Re-score every model on the current split (after the files or the protocol
    /// changed); a model that cannot score the new data is reported and dropped.
    pub fn rescore_all(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<ModelResult>, Error> {
        let entries = std::mem::take(&mut self.models);
        let mut first_error = None;
        for e in entries {
            match self.score_views(e.id, e.model, progress) {
                Ok((model, scores, views, top)) => {
                    self.models.push(Entry { generation: self.generation, model, scores, views, top, ..e })
                }
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        match first_error {
            Some(e) if self.models.is_empty() => Err(e),
            _ => Ok(self.results()),
        }
    }

    #[allow(clippy::type_complexity)]
    fn score_views(
        &self,
        id: u32,
        mut model: Model,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(Model, Vec<(String, Vec<f64>)>, Vec<View>, Vec<(String, Vec<Record>)>), Error> {
        let split = self.split()?;
        let mut scores = Vec::new();
        let mut views = Vec::new();
        let mut tops = Vec::new();
        model.header.metrics.clear();
        for test in &split.tests {
            let s = match test {
                Test::Held(subset) => pipeline::score(&model, subset, progress)?,
                Test::Streamed(streamed, source) => {
                    let mut top = TopRecords::new(TOP_RECORDS);
                    let s = pipeline::score_streamed(&model, *source, streamed, progress, &mut |chunk, first, s| {
                        top.offer(chunk, first, s)
                    })?;
                    tops.push((test.rows().name().to_string(), top.into_sorted()));
                    s
                }
            };
            let rows = test.rows();
            let truth = rows.truth();
            let threshold = model.header.threshold;
            let range = s.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
            let (evaluation, message) = match pipeline::evaluate(&mut model, rows, &s) {
                Ok(e) => (Some(e), None),
                Err(e) => (None, Some(e.to_string())),
            };
            views.push(View {
                model_id: id,
                kind: model.header.kind,
                test_set: rows.name().to_string(),
                threshold,
                histogram: metrics::histogram(
                    &s,
                    truth.as_deref(),
                    threshold,
                    HISTOGRAM_BINS,
                    model.header.kind != ModelKind::If,
                ),
                score_range: range,
                evaluation,
                message,
            });
            scores.push((rows.name().to_string(), s));
        }
        Ok((model, scores, views, tops))
    }

    /// A model's scores on a test set of the current split, with the subset they score.
    fn scored<'a>(
        &'a self,
        id: u32,
        test: &str,
        split: &'a Plan<'a>,
    ) -> Result<(&'a Entry, &'a [f64], &'a Test<'a>), Error> {
        let e = self.entry(id)?;
        if e.generation != self.generation {
            return Err(SessionError::Stale(id).into());
        }
        let (_, scores) = e.scores.iter().find(|(n, _)| n == test).ok_or_else(|| SessionError::NoTest(test.into()))?;
        let subset =
            split.tests.iter().find(|t| t.rows().name() == test).ok_or_else(|| SessionError::NoTest(test.into()))?;
        if scores.len() != subset.rows().len() {
            return Err(SessionError::Stale(id).into());
        }
        Ok((e, scores, subset))
    }

    fn entry(&self, id: u32) -> Result<&Entry, Error> {
        Ok(self.models.iter().find(|e| e.id == id).ok_or(SessionError::NoModel(id))?)
    }

    /// Every model with its views.
    pub fn results(&self) -> Vec<ModelResult> {
        self.models
            .iter()
            .map(|e| ModelResult { model: model_summary(e.id, &e.source, &e.model), views: e.views.clone() })
            .collect()
    }

    /// Scores by class, sorted, for the page's threshold slider.
    pub fn sorted_scores(&self, id: u32, test: &str) -> Result<SortedScores, Error> {
        let split = self.split()?;
        let (_, scores, subset) = self.scored(id, test, &split)?;
        Ok(SortedScores::new(scores, subset.rows().truth().as_deref()))
    }

    /// The predictions file of a model on a test set, at `threshold` (the model's own
    /// when `None`).
    pub fn predictions_csv(&self, id: u32, test: &str, threshold: Option<f64>) -> Result<String, Error> {
        let split = self.split()?;
        let (e, scores, subset) = self.scored(id, test, &split)?;
        Ok(metrics::predictions_csv(subset.rows(), scores, threshold.unwrap_or(e.model.header.threshold)))
    }

    /// Rows `start..start + count` of the predictions file (the header with the first
    /// part), so millions of rows are written in parts.
    pub fn predictions_csv_part(
        &self,
        id: u32,
        test: &str,
        threshold: Option<f64>,
        start: usize,
        count: usize,
    ) -> Result<String, Error> {
        let split = self.split()?;
        let (e, scores, subset) = self.scored(id, test, &split)?;
        let threshold = threshold.unwrap_or(e.model.header.threshold);
        Ok(metrics::predictions_csv_part(subset.rows(), scores, threshold, start, count))
    }

    /// Flagged counts per label and per category at `threshold` (the per-attack view
    /// at a moved slider).
    pub fn label_breakdown(&self, id: u32, test: &str, threshold: f64) -> Result<Breakdown, Error> {
        let split = self.split()?;
        let (_, scores, subset) = self.scored(id, test, &split)?;
        let (by_label, by_category) = metrics::detected_by_label(subset.rows(), scores, threshold);
        Ok(Breakdown { threshold, by_label, by_category })
    }

    /// The `n` highest-scoring records with their raw feature values; `flagged` at
    /// `threshold` (the model's own when `None`).
    pub fn top_records(&self, id: u32, test: &str, n: usize, threshold: Option<f64>) -> Result<Vec<Record>, Error> {
        let split = self.split()?;
        let (e, scores, test_set) = self.scored(id, test, &split)?;
        let threshold = threshold.unwrap_or(e.model.header.threshold);
        let subset = match test_set {
            Test::Held(subset) => subset,
            Test::Streamed(..) => {
                let kept = e.top.iter().find(|(name, _)| name == test).map(|(_, r)| r.as_slice()).unwrap_or(&[]);
                return Ok(kept.iter().take(n).map(|r| Record { flagged: r.score > threshold, ..r.clone() }).collect());
            }
        };
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        order.truncate(n);
        Ok(order
            .into_iter()
            .map(|i| record(subset.table, subset.rows[i], subset.rows[i], scores[i], threshold))
            .collect())
    }

    /// The model's view with its scores negated — "scored the wrong way round" — so
    /// its ROC AUC is one minus the model's.
    pub fn flipped_view(&self, id: u32, test: &str) -> Result<View, Error> {
        let split = self.split()?;
        let (e, scores, subset) = self.scored(id, test, &split)?;
        let flipped: Vec<f64> = scores.iter().map(|s| -s).collect();
        let threshold = -e.model.header.threshold;
        let subset = subset.rows();
        let truth = subset.truth();
        let range = flipped.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
        let (evaluation, message) = match metrics::evaluate(e.model.header.kind.name(), subset, &flipped, threshold) {
            Ok(ev) => (Some(ev), None),
            Err(err) => (None, Some(err.to_string())),
        };
        Ok(View {
            model_id: id,
            kind: e.model.header.kind,
            test_set: subset.name().to_string(),
            threshold,
            histogram: metrics::histogram(&flipped, truth.as_deref(), threshold, HISTOGRAM_BINS, false),
            score_range: range,
            evaluation,
            message,
        })
    }

    /// Every evaluation, as JSON.
    pub fn metrics_json(&self) -> String {
        let all: Vec<&Evaluation> =
            self.models.iter().flat_map(|e| e.views.iter().filter_map(|v| v.evaluation.as_ref())).collect();
        serde_json::to_string_pretty(&all).unwrap_or_default()
    }

    /// The results table across models, in Markdown.
    pub fn results_markdown(&self) -> String {
        let all: Vec<Evaluation> =
            self.models.iter().flat_map(|e| e.views.iter().filter_map(|v| v.evaluation.clone())).collect();
        metrics::results_table(&all)
    }

    /// A model's file.
    pub fn model_bytes(&self, id: u32) -> Result<Vec<u8>, Error> {
        self.entry(id)?.model.to_bytes()
    }

    /// Forget a model.
    pub fn remove_model(&mut self, id: u32) {
        self.models.retain(|e| e.id != id);
    }

    /// Forget every model (the data changed).
    pub fn clear_models(&mut self) {
        self.models.clear();
        self.pending = None;
    }
}

fn model_summary(id: u32, source: &str, model: &Model) -> ModelSummary {
    ModelSummary {
        id,
        kind: model.header.kind,
        title: model.header.kind.title().into(),
        source: source.into(),
        threshold: model.header.threshold,
        protocol: model.header.protocol.clone(),
        train_rows: model.header.train_rows,
        config: model.header.config.clone(),
        history: model.detector.history().cloned(),
        score_name: model.header.kind.score_name().into(),
    }
}

/// Flagged counts at one threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The threshold.
    pub threshold: f64,
    /// Per label, most frequent first.
    pub by_label: Vec<metrics::Detected>,
    /// Per category.
    pub by_category: Vec<metrics::Detected>,
}

/// One record with its score and raw feature values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 0-based position among the data rows of its file.
    pub record_id: usize,
    /// Its anomaly score.
    pub score: f64,
    /// Above the threshold asked for.
    pub flagged: bool,
    /// Its label, if the file has labels.
    pub label: Option<String>,
    /// Its category, if the file has labels.
    pub category: Option<Category>,
    /// `(feature name, value as in the file)` for the 41 features, in file order.
    pub features: Vec<(String, String)>,
}

/// Session-level mistakes (asking before loading, unknown ids).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Nothing loaded.
    #[error("load a file (or the built-in sample) first")]
    NoFile,
    /// The protocol needs a second file.
    #[error("this protocol needs a second file to test on; load one, or choose another protocol")]
    NoTestFile,
    /// No training run.
    #[error("no training is in progress")]
    NotTraining,
    /// Unknown model.
    #[error("there is no model {0} in this session")]
    NoModel(u32),
    /// Unknown test set.
    #[error("there is no test set {0:?} in this session")]
    NoTest(String),
    /// The all-rows demonstration on a file that is not held.
    #[error("the all-rows demonstration needs the file in memory; this file is streamed (too large to hold)")]
    StreamedAllRows,
    /// Scores from before the data or protocol changed.
    #[error("model {0} was scored on other data; re-score it on the current files first")]
    Stale(u32),
}

/// One table row as a [`Record`] (`record_id` its position in its file).
fn record(table: &Table, r: usize, record_id: usize, score: f64, threshold: f64) -> Record {
    let numeric = table.numeric_row(r);
    let mut next = 0;
    let features = schema::FEATURE_NAMES
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let value = match schema::SYMBOLIC_COLUMNS.iter().position(|&s| s == c) {
                Some(slot) => table.symbolic[slot].get(r).to_string(),
                None => {
                    next += 1;
                    numeric[next - 1].to_string()
                }
            };
            (name.to_string(), value)
        })
        .collect();
    Record {
        record_id,
        score,
        flagged: score > threshold,
        label: table.label(r).map(str::to_string),
        category: table.category(r),
        features,
    }
}

/// The highest-scoring records seen while a file streams past.
struct TopRecords {
    n: usize,
    kept: Vec<Record>,
}

impl TopRecords {
    fn new(n: usize) -> Self {
        Self { n, kept: Vec::new() }
    }

    /// Consider one scored chunk (`first`: record id of the chunk's first row).
    fn offer(&mut self, chunk: &Subset<'_>, first: usize, scores: &[f64]) {
        let floor = |kept: &[Record]| kept.iter().map(|r| r.score).fold(f64::INFINITY, f64::min);
        let mut low = if self.kept.len() < self.n { f64::NEG_INFINITY } else { floor(&self.kept) };
        for (&r, &s) in chunk.rows.iter().zip(scores) {
            if s > low || self.kept.len() < self.n {
                self.kept.push(record(chunk.table, r, first + r, s, f64::INFINITY));
                if self.kept.len() > self.n {
                    // Drop the lowest (the earliest of equals: file order breaks ties).
                    let worst = (0..self.kept.len())
                        .min_by(|&a, &b| {
                            self.kept[a]
                                .score
                                .total_cmp(&self.kept[b].score)
                                .then(self.kept[b].record_id.cmp(&self.kept[a].record_id))
                        })
                        .unwrap_or(0);
                    self.kept.swap_remove(worst);
                }
                low = if self.kept.len() < self.n { f64::NEG_INFINITY } else { floor(&self.kept) };
            }
        }
    }

    fn into_sorted(mut self) -> Vec<Record> {
        self.kept.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.record_id.cmp(&b.record_id)));
        self.kept
    }
}
