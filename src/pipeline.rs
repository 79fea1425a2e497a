//! The river in one place: fit the preparation and a detector on the training
//! normals, score test sets in chunks (with progress), evaluate. The CLI and the
//! browser worker both drive these functions.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::streamed::{Source, Streamed};
use crate::data::{self, Rows, Subset};
use crate::detect::{
    AeConfig, Autoencoder, Backend, Control, Detector, ForestConfig, IsolationForest, ModelKind, Progress,
};
use crate::metrics::{self, Evaluation};
use crate::model_file::{data_hash, Model, ModelHeader, Summary};
use crate::prepare::{Features, Preparation, PrepareConfig};
use crate::Error;

/// Rows prepared and scored at a time: bounds memory and paces progress reports.
pub const SCORE_CHUNK: usize = 8_192;

/// What to train.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TrainSettings {
    /// Detector kind.
    pub kind: ModelKind,
    /// Feature preparation.
    pub prepare: PrepareConfig,
    /// Isolation Forest settings (used when `kind` is `If`).
    pub forest: ForestConfig,
    /// Autoencoder settings (used for the other kinds; its `kind` is set from `kind`).
    pub autoencoder: AeConfig,
    /// Backend for the autoencoders.
    pub backend: Backend,
    /// Bytes a run may need (see [`check_memory`]); `None`: no limit (the CLI). A
    /// session (the tab) applies [`TAB_MEMORY_BUDGET`] when none is given.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub memory_budget: Option<u64>,
}

/// What one training run may take in a tab: a 32-bit WebAssembly memory holds at most
/// 4 GiB, and the loaded tables, scores and charts need room beside the run.
pub const TAB_MEMORY_BUDGET: u64 = 1536 << 20;

/// Bytes a run needs on `rows` training rows prepared to `columns` columns: the
/// prepared matrix (`f32`), once for the forest (it samples rows from it), about 2.5
/// times for an autoencoder (its tensors and the shuffled batches beside it; measured:
/// 20,000 rows × 20,000 one-hot columns took 1.5 GB for the forest, 3.7 GB dense).
pub fn memory_needed(kind: ModelKind, rows: usize, columns: usize) -> u64 {
    let matrix = rows as u64 * columns as u64 * 4;
    match kind {
        ModelKind::If => matrix,
        _ => matrix * 5 / 2,
    }
}

/// Refuse, before any matrix is made, a run that needs more than `settings.memory_budget`.
pub fn check_memory(settings: &TrainSettings, train: &Subset<'_>) -> Result<(), Error> {
    let Some(budget) = settings.memory_budget else { return Ok(()) };
    let columns = crate::prepare::planned_columns(settings.prepare, train);
    let need = memory_needed(settings.kind, train.len(), columns);
    if need <= budget {
        return Ok(());
    }
    Err(crate::prepare::PrepareError::TooLarge {
        model: settings.kind.title(),
        rows: train.len(),
        columns,
        need_mb: need.div_ceil(1 << 20),
        budget_mb: budget >> 20,
    }
    .into())
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self::new(ModelKind::If)
    }
}

impl TrainSettings {
    /// Defaults for `kind`.
    pub fn new(kind: ModelKind) -> Self {
        Self {
            kind,
            prepare: PrepareConfig::default(),
            forest: ForestConfig::default(),
            autoencoder: AeConfig::new(kind),
            backend: Backend::default(),
            memory_budget: None,
        }
    }
}

/// Fit the preparation and the detector on `train` (normal rows only); autoencoders
/// report each batch and epoch to `progress`, which may stop them.
pub fn train(
    settings: &TrainSettings,
    train: &Subset<'_>,
    protocol: &str,
    progress: &mut dyn FnMut(&Progress) -> Control,
) -> Result<Model, Error> {
    let ae_config = AeConfig { kind: settings.kind, ..settings.autoencoder };
    match settings.kind {
        ModelKind::If => settings.forest.validate()?,
        _ => ae_config.validate()?,
    }
    check_memory(settings, train)?;
    let preparation = Preparation::fit(settings.prepare, train)?;
    let x = preparation.transform(train);
    let detector = match settings.kind {
        ModelKind::If => Detector::Forest(IsolationForest::fit(settings.forest, &x)?),
        _ => Detector::Autoencoder(Autoencoder::fit(ae_config, &x, settings.backend, progress)?),
    };
    Ok(Model {
        header: ModelHeader {
            kind: settings.kind,
            config: detector.config_json(),
            preparation,
            threshold: detector.threshold(),
            protocol: protocol.into(),
            train_rows: train.len() as u64,
            data_hash: data_hash(train),
            metrics: Vec::new(),
            created_by: format!("netanomaly {}", env!("CARGO_PKG_VERSION")),
        },
        detector,
    })
}

/// Score every row of `subset`, preparing and scoring [`SCORE_CHUNK`] rows at a time,
/// one chunk per thread at once; `progress(done, total)` after each round.
pub fn score(model: &Model, subset: &Subset<'_>, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<f64>, Error> {
    model.header.preparation.check_table(subset.table).map_err(crate::model_file::ModelFileError::OtherSchema)?;
    let mut out = Vec::with_capacity(subset.len());
    // The chunks are the same whatever the thread count (so are the distinct rows scored
    // and the scores); only how many are in flight between two progress reports changes.
    let round = SCORE_CHUNK * rayon::current_num_threads();
    for rows in subset.rows.chunks(round) {
        let scores: Vec<Vec<f64>> = rows
            .par_chunks(SCORE_CHUNK)
            .map(|rows| {
                let chunk = Subset {
                    name: subset.name.clone(),
                    table: subset.table,
                    rows: rows.into(),
                    normal_is_anomaly: subset.normal_is_anomaly,
                };
                score_distinct(&model.detector, model.header.preparation.transform(&chunk))
            })
            .collect::<Result<_, _>>()?;
        scores.into_iter().for_each(|s| out.extend(s));
        progress(out.len(), subset.len());
    }
    Ok(out)
}

/// Score the test rows of a streamed file (every row but the training sample): read
/// it again a chunk at a time, prepare and score each chunk, keep only the scores.
/// `visit(chunk rows, their scores)` sees each chunk before it is dropped (to keep
/// the top records); `progress(done, total)` after each.
pub fn score_streamed(
    model: &Model,
    source: &dyn Source,
    streamed: &Streamed,
    progress: &mut dyn FnMut(usize, usize),
    visit: &mut dyn FnMut(&Subset<'_>, usize, &[f64]),
) -> Result<Vec<f64>, Error> {
    let total = streamed.test_ids.len();
    let mut out = Vec::with_capacity(total);
    let mut skip = streamed.sample_ids.iter().peekable();
    let mut read = 0;
    data::streamed::for_each_chunk(source, &streamed.options, streamed.settings.chunk_rows, &mut |chunk, first_id| {
        let rows: Vec<usize> = (0..chunk.rows())
            .filter(|&r| {
                let sampled = skip.peek() == Some(&&(first_id + r));
                if sampled {
                    skip.next();
                }
                !sampled
            })
            .collect();
        read = first_id + chunk.rows();
        let subset = Subset { name: "holdout".into(), table: chunk, rows: rows.into(), normal_is_anomaly: false };
        let scores = score(model, &subset, &mut |_, _| {})?;
        visit(&subset, first_id, &scores);
        out.extend_from_slice(&scores);
        progress(out.len().min(total), total);
        Ok(())
    })?;
    if read != streamed.rows || out.len() != total {
        return Err(data::LoadError::Changed { expected: streamed.rows, found: read }.into());
    }
    Ok(out)
}

/// A row's bits, hashed and compared exactly.
struct RowKey<'a>(&'a [f32]);

impl std::hash::Hash for RowKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.iter().for_each(|v| state.write_u32(v.to_bits()));
    }
}

impl PartialEq for RowKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl Eq for RowKey<'_> {}

/// Score each distinct row once. KDD files repeat records heavily (most of the 10%
/// set's smurf and neptune rows are copies), and where a row's score depends on the
/// row alone (forests; autoencoders over single records) copies share it.
fn score_distinct(detector: &Detector, x: Features) -> Result<Vec<f64>, Error> {
    if !detector.rows_independent() {
        return detector.score(&x);
    }
    let mut first_of: HashMap<RowKey<'_>, u32> = HashMap::with_capacity(x.rows);
    let mut which = Vec::with_capacity(x.rows);
    let mut distinct = Vec::new();
    for r in 0..x.rows {
        let next = first_of.len() as u32;
        let id = *first_of.entry(RowKey(x.row(r))).or_insert(next);
        if id == next {
            distinct.push(r);
        }
        which.push(id as usize);
    }
    if distinct.len() * 10 > x.rows * 9 {
        drop(first_of);
        return detector.score(&x);
    }
    let mut data = Vec::with_capacity(distinct.len() * x.cols);
    for &r in &distinct {
        data.extend_from_slice(x.row(r));
    }
    let scores = detector.score(&Features { rows: distinct.len(), cols: x.cols, data })?;
    Ok(which.into_iter().map(|i| scores[i]).collect())
}

/// Evaluate scores at the model's own threshold, and record the headline numbers in
/// the model's header.
pub fn evaluate(model: &mut Model, rows: &dyn Rows, scores: &[f64]) -> Result<Evaluation, Error> {
    let e = metrics::evaluate(model.header.kind.name(), rows, scores, model.header.threshold)?;
    model.header.metrics.retain(|m| m.test_set != e.test_set);
    model.header.metrics.push(Summary {
        test_set: e.test_set.clone(),
        roc_auc: e.roc_auc,
        average_precision: e.average_precision,
        f1: e.f1,
    });
    Ok(e)
}
