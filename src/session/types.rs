//! The plain data the session hands out: file, split and model summaries, views,
//! epoch reports, breakdowns and records — numbers and names, never live objects, so
//! they cross the worker boundary as they are.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::data::streamed::StreamSettings;
use crate::data::Format;
use crate::detect::train::History;
use crate::detect::ModelKind;
use crate::metrics::{self, Evaluation, Histogram};

/// Which loaded file a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    /// The file whose normal rows train (and, for some protocols, that is tested).
    Train,
    /// A second file to test on.
    Test,
}

/// How the loaded files become training and test rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
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
    /// The papers' KDDCUP: the normal rows are the anomalies; a seeded half of the
    /// attack rows trains, the other half plus every normal row tests.
    Kddcup {
        /// Seed of the split.
        seed: u64,
    },
    /// The papers' KDDCUP-Rev: a seeded half of the normals trains; the other half plus
    /// a quarter as many seeded attack rows as there are normals tests.
    KddcupRev {
        /// Seed of the split.
        seed: u64,
    },
}

/// One label's count in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct LabelCount {
    /// Label, without KDD99's trailing dot.
    pub label: String,
    /// Its category ("normal", "dos", …; the schema's names).
    pub category: String,
    /// Rows.
    pub count: usize,
}

/// What a loaded file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct FileSummary {
    /// File name (or "synthetic sample").
    pub name: String,
    /// Detected format.
    pub format: Format,
    /// Its dataset's schema id (`kdd`, `unsw-nb15`, `cic-ids2017`).
    #[serde(default)]
    pub schema: String,
    /// Categories in display order (the schema's).
    #[serde(default)]
    pub categories: Vec<String>,
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
    /// Blank and comment (`#`, ARFF's `%`) lines passed over.
    #[serde(default)]
    #[ts(type = "number")]
    pub skipped_lines: u64,
    /// The zip entry read, when the file was a zip archive.
    #[serde(default)]
    pub entry: Option<String>,
    /// Rows left out for Infinity or NaN (CIC-IDS2017's `drop` policy).
    #[serde(default)]
    #[ts(type = "number")]
    pub dropped_rows: u64,
}

/// How a streamed file is used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct StreamedSummary {
    /// Normal rows in the training sample.
    pub sample_rows: usize,
    /// Rows tested (every row not in the sample).
    pub test_rows: usize,
    /// The settings it was read with.
    pub settings: StreamSettings,
}

/// One test set of the current split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
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
    /// Said up front when it has one class only (scored, but no ROC or precision-recall).
    #[serde(default)]
    pub notice: Option<String>,
}

/// The current split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct SplitSummary {
    /// Normal rows that train.
    pub train_rows: usize,
    /// Test sets.
    pub tests: Vec<TestSummary>,
}

/// A model in the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelResult {
    /// The model.
    pub model: ModelSummary,
    /// Its views.
    pub views: Vec<View>,
}

/// Where a training run stands after an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
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

/// Flagged counts at one threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Breakdown {
    /// The threshold.
    pub threshold: f64,
    /// Per label, most frequent first.
    pub by_label: Vec<metrics::Detected>,
    /// Per category.
    pub by_category: Vec<metrics::Detected>,
}

/// One record with its score and raw feature values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
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
    pub category: Option<String>,
    /// `(feature name, value as in the file)` for every feature, in file order.
    pub features: Vec<(String, String)>,
}
