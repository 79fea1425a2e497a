//! Why a record scores what it does: each input feature's share of its score, for
//! every detector. An autoencoder's score is its reconstruction error, so a feature's
//! share is its columns' share of that error, shown with the record's value and its
//! reconstruction; the forest's is DIFFI's local importance (Carletti et al. 2023):
//! the splits on a feature along the record's short paths.

use serde::{Deserialize, Serialize};

use crate::data::{Subset, Table};
use crate::detect::{Detector, ModelKind};
use crate::model_file::Model;
use crate::prepare::Features;
use crate::Error;

/// Why an explanation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The record is not in the file.
    #[error("record {record} is not in the file: it has {rows} records (ids 0 to {last})", last = rows.saturating_sub(1))]
    NoRecord {
        /// The record id asked for.
        record: usize,
        /// Records in the file.
        rows: usize,
    },
}

/// One input feature's part in a record's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct FeatureShare {
    /// The feature's name.
    pub feature: String,
    /// Its share of the score (the shares of a record sum to 1).
    pub share: f64,
    /// The record's value, as in the file.
    pub value: String,
    /// The record's value as the model saw it (standardised), for a one-column feature.
    pub standardised: Option<f64>,
    /// The autoencoder's reconstruction in the feature's units (a number, or the
    /// category it is nearest to); none for the forest.
    pub reconstruction: Option<String>,
    /// The reconstruction, standardised, for a one-column feature.
    pub reconstruction_standardised: Option<f64>,
}

/// A record's score and every feature's share of it, largest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Explanation {
    /// The detector.
    pub model: ModelKind,
    /// The record's 0-based position among the file's data rows.
    pub record_id: usize,
    /// Its score.
    pub score: f64,
    /// The model's threshold.
    pub threshold: f64,
    /// Its label, when the file has labels.
    pub label: Option<String>,
    /// Every feature, largest share first (ties by feature order).
    pub features: Vec<FeatureShare>,
}

/// Per window, each feature's part; an autoencoder's reconstructions beside them.
type Parts = (Vec<Vec<f64>>, Option<Vec<f32>>);

/// Each input feature's part (not yet normalised) in the scores of the windows ending
/// at rows `ends` of `x` (prepared by the model's preparation), one vector per end, and
/// for an autoencoder the records' reconstructions (`ends.len() × cols`).
fn parts(model: &Model, x: &Features, ends: &[usize]) -> Result<Parts, Error> {
    let columns = model.header.preparation.column_features();
    let n = model.header.preparation.features.len();
    match &model.detector {
        Detector::Autoencoder(a) => {
            let (errors, recon) = a.reconstruct(x, ends)?;
            let parts = errors
                .chunks(x.cols.max(1))
                .map(|row| {
                    let mut part = vec![0.0; n];
                    for (&(f, _), e) in columns.iter().zip(row) {
                        part[f] += e;
                    }
                    part
                })
                .collect();
            Ok((parts, Some(recon)))
        }
        Detector::Forest(forest) => {
            let parts = ends
                .iter()
                .map(|&end| {
                    let (credit, count) = forest.path_credit(x.row(end))?;
                    let (mut part, mut splits) = (vec![0.0; n], vec![0u32; n]);
                    for ((&(f, _), c), k) in columns.iter().zip(&credit).zip(&count) {
                        part[f] += c;
                        splits[f] += k;
                    }
                    // DIFFI: a feature's credit averaged over the splits on it.
                    for (p, &k) in part.iter_mut().zip(&splits) {
                        *p = if k > 0 { *p / f64::from(k) } else { 0.0 };
                    }
                    Ok(part)
                })
                .collect::<Result<_, Error>>()?;
            Ok((parts, None))
        }
    }
}

/// Feature indices by part, largest first (ties by feature order).
fn ranked(part: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..part.len()).collect();
    order.sort_by(|&a, &b| part[b].total_cmp(&part[a]));
    order
}

/// The names of the `k` features with the largest shares of each flagged row's score
/// (`score > threshold`), joined by `;`; empty for the other rows. `x` is `subset`
/// prepared by the model, in its order (so an autoencoder's windows are those scoring read).
pub fn top_features(model: &Model, x: &Features, scores: &[f64], k: usize) -> Result<Vec<String>, Error> {
    let threshold = model.header.threshold;
    let flagged: Vec<usize> = (0..x.rows.min(scores.len())).filter(|&r| scores[r] > threshold).collect();
    let mut out = vec![String::new(); x.rows];
    let names = &model.header.preparation.features;
    for chunk in flagged.chunks(crate::pipeline::SCORE_CHUNK) {
        let (parts, _) = parts(model, x, chunk)?;
        for (&row, part) in chunk.iter().zip(&parts) {
            let top: Vec<&str> = ranked(part).into_iter().take(k).map(|f| names[f].name.as_str()).collect();
            out[row] = top.join(";");
        }
    }
    Ok(out)
}

/// Explain record `record` of `table` under `model`. An autoencoder reading windows
/// of several records explains the window the record ends, as scoring the file does.
pub fn explain(model: &Model, table: &Table, record: usize) -> Result<Explanation, Error> {
    if record >= table.rows() {
        return Err(ExplainError::NoRecord { record, rows: table.rows() }.into());
    }
    let prep = &model.header.preparation;
    prep.check_table(table).map_err(crate::model_file::ModelFileError::OtherSchema)?;
    let seq = match &model.detector {
        Detector::Autoencoder(a) => a.config.seq_len,
        Detector::Forest(_) => 1,
    };
    let first = (record + 1).saturating_sub(seq);
    let rows: Vec<usize> = (first..=record).collect();
    let x = prep.transform(&Subset { name: "explain".into(), table, rows: rows.into(), normal_is_anomaly: false });
    let end = x.rows - 1;
    let z = x.row(end);
    let columns = prep.column_features();
    let (parts, recon) = parts(model, &x, &[end])?;
    let part = &parts[0];
    let total: f64 = part.iter().sum();
    let score = match &model.detector {
        // The reconstruction MSE: the squared errors' sum over the columns.
        Detector::Autoencoder(_) => total / x.cols.max(1) as f64,
        Detector::Forest(forest) => forest.score(&x)?[end],
    };
    let features = ranked(part)
        .into_iter()
        .map(|f| {
            let cols: Vec<usize> = (0..columns.len()).filter(|&c| columns[c].0 == f).collect();
            let one = (cols.len() == 1).then(|| cols[0]);
            let reconstruction = recon.as_ref().map(|r| match one {
                Some(c) => prep.raw_text(c, r[c]),
                // One-hot: the category whose column is reconstructed highest.
                None => {
                    let best = cols.iter().copied().max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0);
                    let slot = columns.get(best).and_then(|&(_, slot)| slot);
                    let k = best.saturating_sub(cols.first().copied().unwrap_or(0));
                    slot.and_then(|s| prep.vocab[s].get(k).cloned()).unwrap_or_else(|| "(other)".into())
                }
            });
            FeatureShare {
                feature: prep.features[f].name.clone(),
                share: if total > 0.0 { part[f] / total } else { 0.0 },
                value: table.feature_text(f, record),
                standardised: one.map(|c| f64::from(z[c])),
                reconstruction,
                reconstruction_standardised: one.and_then(|c| recon.as_ref().map(|r| f64::from(r[c]))),
            }
        })
        .collect();
    Ok(Explanation {
        model: model.header.kind,
        record_id: record,
        score,
        threshold: model.header.threshold,
        label: table.label(record).map(str::to_string),
        features,
    })
}
