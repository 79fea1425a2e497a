//! Prepare: turn table rows into model input — symbolic columns label- or one-hot
//! encoded, optional `log1p` of heavy-tailed counts, then standard scaling. Fitted on
//! the training normals only, following the table's schema; the fitted state (with the
//! schema's features) is serde so model files carry it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::data::schema::{self, Feature, Kind};
use crate::data::{Format, Subset, Table};

/// Why preparation failed.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// Fitting needs at least one row.
    #[error("no rows to fit the feature preparation on")]
    NoRows,
    /// The run would not fit in memory (checked before any matrix is made).
    #[error("training the {model} on {rows} rows × {columns} prepared columns needs about {need_mb} MB, more than the {budget_mb} MB a tab can hold; use label encoding, a lower one-hot cap (max categories), or fewer rows")]
    TooLarge {
        /// The detector's name.
        model: &'static str,
        /// Training rows.
        rows: usize,
        /// Prepared columns.
        columns: usize,
        /// Estimated need.
        need_mb: u64,
        /// The budget.
        budget_mb: u64,
    },
}

/// How symbolic columns become numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// One integer column per symbolic feature: the category's index in the sorted
    /// training vocabulary (scikit-learn's `LabelEncoder`, as the reference notebooks do).
    #[default]
    Label,
    /// One 0/1 column per training category, plus one for "unseen".
    OneHot,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "label" => Ok(Self::Label),
            "onehot" | "one-hot" => Ok(Self::OneHot),
            _ => Err(format!("unknown encoding {s:?}; choose label or one-hot")),
        }
    }
}

/// One-hot columns per symbolic feature by default, the "other" column included.
pub const MAX_CATEGORIES: u32 = 32;

/// Choices made before fitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PrepareConfig {
    /// Encoding of the symbolic features (KDD: `protocol_type`, `service`, `flag`).
    pub encoding: Encoding,
    /// Apply `log1p` to the heavy-tailed count columns before scaling.
    pub log1p: bool,
    /// One-hot only: at most this many columns per symbolic feature — its most frequent
    /// training values, ties by name, and one "other" column for the rest and for values
    /// never seen (scikit-learn's `OneHotEncoder(max_categories=…)` with
    /// `handle_unknown="infrequent_if_exist"`). `None`: every training value gets a
    /// column, plus "unseen" (model files written before the cap read back so).
    #[serde(default)]
    pub max_categories: Option<u32>,
}

impl Default for PrepareConfig {
    fn default() -> Self {
        Self { encoding: Encoding::Label, log1p: false, max_categories: Some(MAX_CATEGORIES) }
    }
}

impl PrepareConfig {
    /// Label or one-hot encoding and log1p, with the default cap.
    pub fn new(encoding: Encoding, log1p: bool) -> Self {
        Self { encoding, log1p, ..Self::default() }
    }

    /// Whether one-hot columns are capped (and so the last is "other", not "unseen").
    fn cap(&self) -> Option<usize> {
        match self.encoding {
            Encoding::OneHot => self.max_categories.map(|m| m.max(1) as usize),
            Encoding::Label => None,
        }
    }
}

/// A dense row-major matrix of prepared features.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// `rows × cols` values, row-major.
    pub data: Vec<f32>,
}

impl Features {
    /// One row.
    pub fn row(&self, r: usize) -> &[f32] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }
}

/// The KDD features, for model files written before schemas were recorded.
fn kdd_features() -> Vec<Feature> {
    schema::Schema::kdd(Format::Unlabelled).features.clone()
}

fn kdd_id() -> String {
    "kdd".into()
}

/// The fitted preparation: the schema's features, vocabularies, mean and scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preparation {
    /// What was asked for.
    pub config: PrepareConfig,
    /// The schema it was fitted under (`kdd`, `unsw-nb15`, `cic-ids2017`).
    #[serde(default = "kdd_id")]
    pub schema: String,
    /// Its input features, in order.
    #[serde(default = "kdd_features")]
    pub features: Vec<Feature>,
    /// Sorted training vocabulary of each symbolic feature.
    pub vocab: Vec<Vec<String>>,
    /// Output column names, in order.
    pub columns: Vec<String>,
    /// Per output column: subtract this…
    pub mean: Vec<f32>,
    /// …then divide by this (1 for zero-variance columns, as scikit-learn does).
    pub scale: Vec<f32>,
}

impl Preparation {
    /// Fit on the given rows (the training normals).
    pub fn fit(config: PrepareConfig, rows: &Subset<'_>) -> Result<Self, PrepareError> {
        if rows.is_empty() {
            return Err(PrepareError::NoRows);
        }
        let vocab = vocabularies(config, rows);
        let features = rows.table.schema.features.clone();
        let columns = column_names(config, &features, &vocab);
        let mut unscaled = Self {
            config,
            schema: rows.table.schema.id.clone(),
            features,
            vocab,
            mean: vec![0.0; columns.len()],
            scale: vec![1.0; columns.len()],
            columns,
        };
        // Mean and population variance in f64 over the encoded, unscaled rows.
        let raw = unscaled.transform(rows);
        let n = raw.rows as f64;
        let mut sum = vec![0.0f64; raw.cols];
        for r in 0..raw.rows {
            for (s, &x) in sum.iter_mut().zip(raw.row(r)) {
                *s += f64::from(x);
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
        let mut var = vec![0.0f64; raw.cols];
        for r in 0..raw.rows {
            for ((v, &x), m) in var.iter_mut().zip(raw.row(r)).zip(&mean) {
                let d = f64::from(x) - m;
                *v += d * d;
            }
        }
        unscaled.mean = mean.iter().map(|&m| m as f32).collect();
        unscaled.scale = var
            .iter()
            .map(|v| {
                let sd = (v / n).sqrt();
                // scikit-learn treats near-constant columns as constant: scale 1, no NaN.
                if sd < 1e-12 {
                    1.0
                } else {
                    sd as f32
                }
            })
            .collect();
        Ok(unscaled)
    }

    /// Number of output columns.
    pub fn n_features(&self) -> usize {
        self.columns.len()
    }

    /// Whether its parts agree, as a model file read back must: the output columns are
    /// the ones its vocabularies and encoding make (so [`Preparation::transform`] writes
    /// exactly `n_features` values a row), with a mean and a scale each.
    pub fn check(&self) -> Result<(), String> {
        let symbolic = self.features.iter().filter(|f| f.kind == Kind::Symbolic).count();
        if self.vocab.len() != symbolic {
            return Err(format!("{} vocabularies for {symbolic} symbolic features", self.vocab.len()));
        }
        let expected = column_names(self.config, &self.features, &self.vocab);
        if self.columns != expected {
            return Err(format!(
                "the preparation lists {} columns but its vocabularies and encoding make {}",
                self.columns.len(),
                expected.len()
            ));
        }
        if self.mean.len() != self.columns.len() || self.scale.len() != self.columns.len() {
            return Err("preparation vectors differ in length".into());
        }
        Ok(())
    }

    /// Whether `table`'s rows are this preparation's input: the same schema's features.
    /// The message names both datasets.
    pub fn check_table(&self, table: &Table) -> Result<(), String> {
        if schema::same_features(&table.schema.features, &self.features) {
            return Ok(());
        }
        Err(format!(
            "the model was trained on {} data ({} features) and this file is {} ({} features); load a model trained on this dataset",
            title(&self.schema),
            self.features.len(),
            title(&table.schema.id),
            table.schema.features.len()
        ))
    }

    /// The input feature (index into `features`) each output column comes from, and the
    /// feature's symbolic slot when it is symbolic.
    pub fn column_features(&self) -> Vec<(usize, Option<usize>)> {
        let mut out = Vec::with_capacity(self.n_features());
        let mut slot = 0;
        for (f, feature) in self.features.iter().enumerate() {
            match (feature.kind, self.config.encoding) {
                (Kind::Numeric, _) => out.push((f, None)),
                (Kind::Symbolic, Encoding::Label) => out.push((f, Some(slot))),
                (Kind::Symbolic, Encoding::OneHot) => out.extend((0..=self.vocab[slot].len()).map(|_| (f, Some(slot)))),
            }
            slot += usize::from(feature.kind == Kind::Symbolic);
        }
        out
    }

    /// Column `c`'s standardised value `z` in the feature's own units: the scaling (and
    /// a `log1p`) undone for a number, the nearest training value for a label code.
    pub fn raw_text(&self, c: usize, z: f32) -> String {
        let (f, slot) = self.column_features()[c];
        let x = z * self.scale[c] + self.mean[c];
        match slot {
            Some(slot) => {
                let code = x.round().max(0.0) as usize;
                self.vocab[slot].get(code).cloned().unwrap_or_else(|| "(unseen)".into())
            }
            None if self.config.log1p && self.features[f].heavy_tailed => {
                let raw = if x >= 0.0 { x.exp_m1() } else { -(-x).exp_m1() };
                format!("{raw:.4}")
            }
            None => format!("{x:.4}"),
        }
    }

    /// Encode, transform and scale `rows` (of a table that passes [`Self::check_table`]).
    pub fn transform(&self, rows: &Subset<'_>) -> Features {
        let table = rows.table;
        let cols = self.n_features();
        // Map this table's symbol codes to training codes once (unseen → vocab.len()).
        // Not in the vocabulary (unseen, or under a one-hot cap infrequent): the last code.
        let maps: Vec<Vec<u32>> = self
            .vocab
            .iter()
            .zip(&table.symbolic)
            .map(|(vocab, symbols)| {
                let index: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
                symbols.names.iter().map(|n| index.get(n.as_str()).copied().unwrap_or(vocab.len() as u32)).collect()
            })
            .collect();
        let mut slots = Vec::with_capacity(self.features.len());
        let (mut n, mut k) = (0, 0);
        for f in &self.features {
            slots.push(match f.kind {
                Kind::Numeric => (n, n += 1).0,
                Kind::Symbolic => (k, k += 1).0,
            });
        }
        let mut numeric = vec![0f32; n];
        let mut data = Vec::with_capacity(rows.len() * cols);
        for &r in rows.rows.iter() {
            let start = data.len();
            table.numeric.row_into(r, &mut numeric);
            for (f, &slot) in self.features.iter().zip(&slots) {
                match f.kind {
                    Kind::Symbolic => {
                        let code = maps[slot][table.symbolic[slot].codes[r] as usize];
                        match self.config.encoding {
                            Encoding::Label => data.push(code as f32),
                            Encoding::OneHot => {
                                let width = self.vocab[slot].len() + 1;
                                data.extend((0..width).map(|k| if k as u32 == code { 1.0 } else { 0.0 }));
                            }
                        }
                    }
                    Kind::Numeric => {
                        let x = numeric[slot];
                        data.push(if self.config.log1p && f.heavy_tailed { signed_log1p(x) } else { x });
                    }
                }
            }
            for ((x, m), s) in data[start..].iter_mut().zip(&self.mean).zip(&self.scale) {
                *x = (*x - m) / s;
            }
        }
        Features { rows: rows.len(), cols, data }
    }
}

/// `log1p` of the magnitude with the sign kept: the counts it is for are non-negative,
/// but CIC-IDS2017 writes -1 for an unknown window size.
fn signed_log1p(x: f32) -> f32 {
    if x >= 0.0 {
        x.ln_1p()
    } else {
        -(-x).ln_1p()
    }
}

/// A dataset's name for messages.
fn title(id: &str) -> &str {
    match id {
        "kdd" => "KDD Cup 99 / NSL-KDD",
        "unsw-nb15" => "UNSW-NB15",
        "cic-ids2017" => "CIC-IDS2017",
        "csv" => "CSV",
        "arff" => "ARFF",
        other => other,
    }
}

/// Each symbolic column's training values that get their own code or column, sorted by
/// name: all of them, or under a one-hot cap the `cap - 1` most frequent.
fn vocabularies(config: PrepareConfig, rows: &Subset<'_>) -> Vec<Vec<String>> {
    rows.table
        .symbolic
        .iter()
        .map(|symbols| {
            let mut counts = vec![0usize; symbols.names.len()];
            for &r in rows.rows.iter() {
                counts[symbols.codes[r] as usize] += 1;
            }
            let mut seen: Vec<(&String, usize)> = symbols.names.iter().zip(counts).filter(|(_, n)| *n > 0).collect();
            if let Some(cap) = config.cap().filter(|&cap| seen.len() > cap) {
                seen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                seen.truncate(cap - 1);
            }
            let mut v: Vec<String> = seen.into_iter().map(|(n, _)| n.clone()).collect();
            v.sort();
            v
        })
        .collect()
}

/// How many columns a preparation fitted on `rows` would output, without fitting it
/// (so a run too large to hold is refused before its matrix is made).
pub fn planned_columns(config: PrepareConfig, rows: &Subset<'_>) -> usize {
    column_names(config, &rows.table.schema.features, &vocabularies(config, rows)).len()
}

fn column_names(config: PrepareConfig, features: &[Feature], vocab: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    // Values without a column of their own: the rest and the unseen under a cap, else
    // only the unseen. Either way they take the last column (code `vocab.len()`).
    let rest = if config.cap().is_some() { "<other>" } else { "<unseen>" };
    let mut slot = 0;
    for f in features {
        let name = &f.name;
        match (f.kind, config.encoding) {
            (Kind::Symbolic, Encoding::OneHot) => {
                out.extend(vocab.get(slot).into_iter().flatten().map(|v| format!("{name}={v}")));
                out.push(format!("{name}={rest}"));
            }
            _ => out.push(name.clone()),
        }
        slot += usize::from(f.kind == Kind::Symbolic);
    }
    out
}
