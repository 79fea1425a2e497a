//! A dataset's layout as data: its file columns (numeric or symbolic features, the
//! label, NSL-KDD's difficulty, columns to ignore), which label values are normal,
//! each attack label's category, and what to do with `Infinity`/`NaN`. Built in: the
//! KDD layouts (`kdd.rs`), UNSW-NB15 and CIC-IDS2017 (`flows.rs`); a file is matched to
//! one by its header or, without a header, by its column count (`detect.rs`).

pub mod custom;
mod detect;
mod flows;
pub mod kdd;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use custom::LabelChoice;
pub use detect::{from_header, HeaderMatch};
pub use kdd::{Format, FEATURE_NAMES, HEAVY_TAILED, N_FEATURES};

/// Whether a feature is a number or a symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A number (parsed as `f32`).
    Numeric,
    /// A category such as a protocol or service name.
    Symbolic,
}

/// One model input column of a dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    /// Its name (unique within the schema).
    pub name: String,
    /// Number or symbol.
    pub kind: Kind,
    /// A heavy-tailed non-negative count that `log1p` compresses.
    #[serde(default)]
    pub heavy_tailed: bool,
}

/// What one file column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Feature number `i` (into [`Schema::features`]).
    Feature(usize),
    /// The label.
    Label,
    /// NSL-KDD's difficulty level.
    Difficulty,
    /// Not used (an id, a second copy of the label).
    Ignore,
}

/// What a row with `Infinity` or `NaN` in a numeric feature does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum NonFinite {
    /// The file is refused, naming the first such line and column.
    Refuse,
    /// The row is left out, and the rows left out are counted in the file summary.
    #[default]
    Drop,
}

impl std::str::FromStr for NonFinite {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "refuse" => Ok(Self::Refuse),
            "drop" => Ok(Self::Drop),
            _ => Err(format!("unknown policy {s:?} for Infinity/NaN; choose refuse or drop")),
        }
    }
}

/// How labels read: which mean normal, and the category of each attack label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// Label values meaning normal traffic (compared without case).
    pub normal: Vec<String>,
    /// Attack label → category (compared without case); a label not listed is "unknown".
    pub categories: Vec<(String, String)>,
    /// The categories in display order, "normal" first and "unknown" last.
    pub order: Vec<String>,
    /// KDD Cup 99 ends labels with a dot (`smurf.`), which is removed.
    pub strip_dot: bool,
    /// Each attack label is its own category (a CSV whose labels the schema cannot know).
    pub identity: bool,
}

/// A dataset's file layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Short id, recorded in model files: `kdd`, `unsw-nb15`, `cic-ids2017`.
    pub id: String,
    /// The file layout it reads.
    pub format: Format,
    /// Model inputs, in file order.
    pub features: Vec<Feature>,
    /// Per file column: its name as written and its role.
    pub columns: Vec<(String, Role)>,
    /// Labels, when the layout has them.
    pub labels: Option<Labels>,
    /// Whether negative numbers are allowed (KDD has only counts, bytes and rates).
    pub negatives: bool,
    /// Infinity and NaN in numeric features.
    pub non_finite: NonFinite,
    /// Per feature: its index among the numeric or among the symbolic features.
    slots: Vec<usize>,
}

impl Schema {
    /// A schema from its columns; features are the columns with a `Some` kind.
    pub(crate) fn new(
        id: &str,
        format: Format,
        columns: Vec<(String, Option<Kind>, Role)>,
        labels: Option<Labels>,
    ) -> Self {
        let mut features = Vec::new();
        let mut cols = Vec::new();
        for (name, kind, role) in columns {
            let role = match kind {
                Some(kind) => {
                    features.push(Feature { name: name.trim().to_string(), kind, heavy_tailed: false });
                    Role::Feature(features.len() - 1)
                }
                None => role,
            };
            cols.push((name, role));
        }
        let mut schema = Self {
            id: id.into(),
            format,
            features,
            columns: cols,
            labels,
            negatives: false,
            non_finite: NonFinite::Refuse,
            slots: Vec::new(),
        };
        schema.index();
        schema
    }

    fn index(&mut self) {
        let (mut n, mut s) = (0, 0);
        self.slots = self
            .features
            .iter()
            .map(|f| match f.kind {
                Kind::Numeric => (n, n += 1).0,
                Kind::Symbolic => (s, s += 1).0,
            })
            .collect();
    }

    /// The built-in schema of a KDD layout.
    pub fn kdd(format: Format) -> Arc<Self> {
        Arc::new(kdd::schema(format))
    }

    /// UNSW-NB15's training and testing sets.
    pub fn unsw_nb15() -> Arc<Self> {
        Arc::new(flows::unsw_nb15())
    }

    /// CIC-IDS2017's MachineLearningCSV day files, with `policy` for Infinity/NaN.
    pub fn cic_ids2017(policy: NonFinite) -> Arc<Self> {
        Arc::new(flows::cic_ids2017(policy))
    }

    /// A name for messages ("NSL-KDD, 43 columns").
    pub fn describe(&self) -> String {
        match self.format {
            Format::Csv => format!("a CSV with a header, {} columns", self.columns.len()),
            Format::Arff => format!("an ARFF file, {} attributes", self.columns.len()),
            f => f.describe().to_string(),
        }
    }

    /// Columns per row.
    pub fn field_count(&self) -> usize {
        self.columns.len()
    }

    /// Number of numeric features.
    pub fn n_numeric(&self) -> usize {
        self.features.iter().filter(|f| f.kind == Kind::Numeric).count()
    }

    /// Number of symbolic features.
    pub fn n_symbolic(&self) -> usize {
        self.features.len() - self.n_numeric()
    }

    /// Feature `f`'s index among the numeric (or the symbolic) features.
    pub fn slot(&self, f: usize) -> usize {
        self.slots[f]
    }

    /// Names of the numeric features, in order.
    pub fn numeric_names(&self) -> Vec<&str> {
        self.features.iter().filter(|f| f.kind == Kind::Numeric).map(|f| f.name.as_str()).collect()
    }

    /// Names of the symbolic features, in order.
    pub fn symbolic_names(&self) -> Vec<&str> {
        self.features.iter().filter(|f| f.kind == Kind::Symbolic).map(|f| f.name.as_str()).collect()
    }

    /// The file column of the label, if any.
    pub fn label_column(&self) -> Option<usize> {
        self.columns.iter().position(|(_, r)| *r == Role::Label)
    }

    /// Whether the layout has a difficulty column.
    pub fn has_difficulty(&self) -> bool {
        self.columns.iter().any(|(_, r)| *r == Role::Difficulty)
    }

    /// The label as stored, from a (trimmed) field: KDD Cup 99's trailing dot removed.
    pub fn normalise<'a>(&self, label: &'a [u8]) -> &'a [u8] {
        match &self.labels {
            Some(l) if l.strip_dot => label.strip_suffix(b".").unwrap_or(label),
            _ => label,
        }
    }

    /// Whether a (normalised) label means normal traffic.
    pub fn is_normal(&self, label: &str) -> bool {
        self.labels.as_ref().is_some_and(|l| l.normal.iter().any(|n| n.eq_ignore_ascii_case(label)))
    }

    /// The category of a (normalised) label: "normal", the attack's category, or
    /// "unknown" for an attack label the schema does not list (a CSV's: the label).
    pub fn category<'a>(&'a self, label: &'a str) -> &'a str {
        if self.is_normal(label) {
            return "normal";
        }
        if self.labels.as_ref().is_some_and(|l| l.identity) {
            return label;
        }
        self.labels
            .as_ref()
            .and_then(|l| l.categories.iter().find(|(name, _)| name.eq_ignore_ascii_case(label)))
            .map_or("unknown", |(_, c)| c.as_str())
    }

    /// Categories in display order.
    pub fn category_order(&self) -> Vec<String> {
        self.labels.as_ref().map(|l| l.order.clone()).unwrap_or_default()
    }

    /// Whether two schemas give models the same inputs: the same feature names and
    /// kinds in the same order (a CSV's log1p flags are inferred per file).
    pub fn same_features(&self, other: &Schema) -> bool {
        same_features(&self.features, &other.features)
    }
}

/// Whether two feature lists have the same names and kinds in the same order.
pub fn same_features(a: &[Feature], b: &[Feature]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name == y.name && x.kind == y.kind)
}
