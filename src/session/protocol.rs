//! The worker's messages as types: every [`Request`] the page sends carries an id, and
//! every [`Response`] to it carries that id back, the last one being
//! [`Reply::Done`]. Errors are structured ([`ErrorReply`]) so the page never parses
//! message text. `web.rs` converts these to and from JS values; TypeScript
//! declarations are generated from them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Breakdown, FileSummary, ModelResult, ModelSummary, ProtocolChoice, Record, Slot, SplitSummary, View};
use crate::data::streamed::StreamSettings;
use crate::detect::train::History;
use crate::detect::{ModelKind, Progress};
use crate::explain::Explanation;
use crate::metrics::Histogram;
use crate::pipeline::TrainSettings;

pub use super::error_reply::ErrorReply;

/// One message from the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Request {
    /// Chosen by the page; every reply to this request carries it back.
    pub id: u64,
    /// What is asked.
    #[serde(flatten)]
    pub command: Command,
}

/// What the page can ask. The file of `load` and the bytes of `add_model` travel
/// beside the request (see [`super::Attachment`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Command {
    /// The built-in synthetic sample as the training file (forgets the test file and
    /// every model).
    Sample {
        /// Rows to generate.
        rows: usize,
        /// Generator seed.
        seed: u64,
    },
    /// Read the attached file into a slot. A new training file forgets every model; a
    /// new test file under train-test re-scores them.
    Load {
        /// Which slot.
        slot: Slot,
        /// The file's name.
        name: String,
        /// The file to read inside a zip archive that holds several (from an error's
        /// `choices`); none: its one data file.
        #[serde(default)]
        entry: Option<String>,
        /// A header CSV's label column and normal values (from an error's `choices`);
        /// none: suggested from its header and values.
        #[serde(default)]
        label: Option<crate::data::LabelChoice>,
        /// Rows with Infinity or NaN (CIC-IDS2017, a CSV): left out (the default) or refused.
        #[serde(default)]
        non_finite: crate::data::NonFinite,
    },
    /// When later loads stream a file rather than hold it (answered at once).
    StreamSettings {
        /// The settings.
        settings: StreamSettings,
    },
    /// Choose the protocol; every model is re-scored on the new split.
    Protocol {
        /// The protocol.
        choice: ProtocolChoice,
    },
    /// Train these models one after another (one model per kind is kept).
    Train {
        /// One entry per model.
        models: Vec<TrainSettings>,
        /// Send the error histogram of the current weights after every epoch.
        #[serde(default)]
        watch: bool,
        /// Start paused before the first epoch (step by step).
        #[serde(default)]
        paused: bool,
    },
    /// The "why 0.51" demonstration with these dense-autoencoder settings.
    Mistake {
        /// Dense autoencoder settings.
        settings: TrainSettings,
        /// Watch the histogram while training.
        #[serde(default)]
        watch: bool,
    },
    /// Load the attached model file and score the test sets with it.
    AddModel {
        /// Where it came from, for people ("bundled: nsl/if.nam").
        source: String,
    },
    /// Run on, epoch after epoch (at once).
    Play,
    /// Pause when the current epoch closes (at once).
    Pause,
    /// Run exactly one more epoch, then pause (at once).
    Step,
    /// Stop training, keep the best weights so far; queued training is dropped (at once).
    Cancel,
    /// Flagged counts per label at `threshold` and the `n` top-scoring records (at once).
    Breakdown {
        /// Model id.
        model: u32,
        /// Test set name.
        test: String,
        /// Threshold.
        threshold: f64,
        /// Records wanted (1–1000).
        n: usize,
    },
    /// Why record `record` (its id: the row of the test set's file) scores what it does
    /// under model `model` (at once).
    Explain {
        /// Model id.
        model: u32,
        /// Test set name.
        test: String,
        /// Record id.
        record: usize,
    },
    /// A file to download. Metrics, Markdown and model files are answered at once; a
    /// predictions file comes as several `export` replies, one part of at most
    /// `part_rows` rows per [`super::Session::advance`] (every part but the last
    /// names the `next` row), so millions of rows never become one string.
    Export {
        /// What.
        what: ExportWhat,
        /// Model id (predictions, model).
        #[serde(default)]
        model: Option<u32>,
        /// Test set (predictions).
        #[serde(default)]
        test: Option<String>,
        /// Threshold (predictions; the model's own when absent).
        #[serde(default)]
        threshold: Option<f64>,
        /// Rows per part (predictions; at most and by default [`super::PART_ROWS`]).
        #[serde(default)]
        part_rows: Option<usize>,
    },
    /// The worker's WebAssembly memory (answered by the boundary; natively zero).
    Memory,
}

impl Command {
    /// Whether it waits its turn behind earlier work (else it is answered at once, or
    /// — a predictions export — sent in parts ahead of the queued work).
    pub fn is_queued(&self) -> bool {
        matches!(
            self,
            Command::Sample { .. }
                | Command::Load { .. }
                | Command::Protocol { .. }
                | Command::Train { .. }
                | Command::Mistake { .. }
                | Command::AddModel { .. }
        )
    }
}

/// Downloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportWhat {
    /// A model's predictions CSV on a test set.
    Predictions,
    /// Every evaluation as JSON.
    Metrics,
    /// The results table in Markdown.
    Markdown,
    /// A model file.
    Model,
}

/// One message to the page, about request `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Response {
    /// The request's id (0: no request, e.g. the start-up message).
    pub id: u64,
    /// What happened.
    #[serde(flatten)]
    pub reply: Reply,
}

/// Everything the worker says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
#[allow(clippy::large_enum_variant)] // messages: built, sent and dropped
pub enum Reply {
    /// The worker started and takes requests (id 0; posted by the worker's loop).
    Ready {
        /// How many threads the parallel loops (forest, scoring) run on: the pool of
        /// the threaded build, or 1.
        threads: u32,
        /// Whether the page is cross-origin isolated (without it, shared memory and so
        /// threads are off and the single-thread build runs).
        isolated: bool,
    },
    /// A file (or the sample) was read.
    Loaded {
        /// Its slot.
        slot: Slot,
        /// What it holds.
        summary: FileSummary,
        /// Whether every model was forgotten (a new training file).
        models_cleared: bool,
    },
    /// The protocol just applied.
    Split {
        /// Its sizes.
        summary: SplitSummary,
        /// The protocol.
        choice: ProtocolChoice,
    },
    /// Work in progress, at most about ten a second (plus the last of each phase).
    Progress(ProgressReport),
    /// An epoch closed.
    Epoch {
        /// The model training.
        kind: ModelKind,
        /// Every epoch so far.
        history: Option<History>,
        /// Error histogram of the current weights (when watching).
        histogram: Option<Histogram>,
        /// The threshold those weights would get.
        threshold: Option<f64>,
    },
    /// Training waits before epoch `epoch + 1` for play, step or cancel.
    Paused {
        /// The model training.
        kind: ModelKind,
        /// Epochs done.
        epoch: usize,
        /// Epochs asked for.
        epochs: usize,
    },
    /// A paused run goes on.
    Playing {
        /// The model training.
        kind: ModelKind,
        /// One epoch only (step) rather than on (play).
        stepping: bool,
    },
    /// A model trained, loaded or re-scored, with its views and sorted scores.
    Result {
        /// The model and its views.
        result: ModelResult,
        /// The sorted scores of each view, for the page's threshold slider.
        scores: Vec<ScoresOut>,
        /// The model file (to download, or to keep in the page).
        #[serde(with = "serde_bytes")]
        #[ts(type = "Uint8Array")]
        model_file: Vec<u8>,
        /// It was scored again because the split changed.
        rescored: bool,
        /// Training was cancelled (these are the best weights so far).
        cancelled: bool,
        /// The model of the same kind this one replaced.
        replaced: Option<u32>,
    },
    /// A model could not be scored on the new split and was forgotten.
    Dropped {
        /// Its id.
        model: u32,
        /// Its kind.
        kind: ModelKind,
        /// Why.
        message: String,
    },
    /// The demonstration's numbers.
    Mistake {
        /// The dense autoencoder trained on normal rows (kept, also sent as a result).
        normal: DemoModel,
        /// The same trained on every row, attacks included (not kept).
        all_rows: DemoModel,
        /// The split it was trained and scored on.
        all_rows_split: SplitSummary,
        /// The normal-only model scored the wrong way round.
        flipped: Option<View>,
    },
    /// Flagged counts and top records at a threshold.
    Breakdown {
        /// Model id.
        model: u32,
        /// Test set.
        test: String,
        /// Threshold.
        threshold: f64,
        /// Per label and per category.
        breakdown: Breakdown,
        /// The top-scoring records.
        top: Vec<Record>,
    },
    /// A record's explanation.
    Explanation {
        /// Model id.
        model: u32,
        /// Test set.
        test: String,
        /// Each feature's share of the record's score.
        explanation: Explanation,
    },
    /// A download, or one part of a predictions file (parts come in order, under
    /// the request's id; the page joins them).
    Export {
        /// What.
        what: ExportWhat,
        /// Suggested file name.
        filename: String,
        /// Text content (predictions part, metrics, markdown).
        text: Option<String>,
        /// Binary content (a model file).
        #[serde(with = "serde_bytes", default)]
        #[ts(type = "Uint8Array | null")]
        bytes: Option<Vec<u8>>,
        /// First row of the next part, when another follows (`None`: the last part).
        next: Option<usize>,
    },
    /// Bytes of the worker's WebAssembly memory (it only grows: this is its peak).
    Memory {
        /// Bytes.
        bytes: f64,
    },
    /// A cancel was heard.
    Cancelled {
        /// The model being stopped (its best weights follow as a result), if any.
        kind: Option<ModelKind>,
    },
    /// Something failed; earlier results are kept.
    Error(ErrorReply),
    /// The request is finished (always its last reply).
    Done {
        /// It was cancelled (or dropped from the queue by a cancel).
        cancelled: bool,
    },
}

/// Progress of one phase of work.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ProgressReport {
    /// `parse`, `train` or `score`.
    pub phase: Phase,
    /// Rows parsed, batches trained (over all epochs) or rows scored.
    pub done: usize,
    /// Out of (unknown while parsing or fitting a forest).
    pub total: Option<usize>,
    /// The model, when training or scoring one.
    pub kind: Option<ModelKind>,
    /// The training batch's figures.
    pub train: Option<Progress>,
}

/// Phases of work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading a file.
    #[default]
    Parse,
    /// Training.
    Train,
    /// Scoring.
    Score,
}

/// One view's sorted scores, normal and attack rows apart. They cross to JS as the
/// `f64`s' little-endian bytes (a `Uint8Array`: `new Float64Array(bytes.buffer)`),
/// viewed in place rather than copied (every target we build is little-endian).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoresOut {
    /// Test set name.
    pub test: String,
    /// Normal rows' scores, ascending.
    #[serde(with = "f64_bytes")]
    #[ts(type = "Uint8Array")]
    pub normal: Vec<f64>,
    /// Attack rows' scores (every row when unlabelled), ascending.
    #[serde(with = "f64_bytes")]
    #[ts(type = "Uint8Array")]
    pub attack: Vec<f64>,
}

/// `Vec<f64>` as bytes on the wire.
mod f64_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytemuck::cast_slice(values))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(d)?;
        Ok(bytes
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                f64::from_le_bytes(a)
            })
            .collect())
    }
}

/// One model of the demonstration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct DemoModel {
    /// The model.
    pub model: ModelSummary,
    /// Its view on the first test set.
    pub view: Option<View>,
}
