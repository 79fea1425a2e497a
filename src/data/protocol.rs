//! Evaluation protocols: which rows train a detector (always normal rows only) and
//! which rows test it, as named, seeded presets.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::table::Table;
use crate::rng::Rng;

/// Why a split could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    /// The training file has no label column, so its normal rows are unknown.
    #[error("the training file ({0}) has no labels, so its normal rows cannot be chosen")]
    Unlabelled(String),
    /// The training file has labels but none is `normal`.
    #[error("the training file ({0}) has no normal rows to train on")]
    NoNormalRows(String),
    /// A hold-out fraction outside (0, 1).
    #[error("the training fraction must be between 0 and 1 (exclusive), got {0}")]
    Fraction(f64),
    /// The hold-out left nothing on one side.
    #[error("the hold-out split of {normals} normal rows leaves no {side} normals; use a file with more normal rows")]
    TooFewNormals {
        /// Normal rows available.
        normals: usize,
        /// "training" or "test".
        side: &'static str,
    },
    /// `kddcup` needs attack rows to train on (and to test).
    #[error("the file has {attacks} attack rows; kddcup trains on half of them and tests on the rest, so it needs at least 2")]
    TooFewAttacks {
        /// Attack rows available.
        attacks: usize,
    },
    /// A test file of another dataset than the training file.
    #[error("the test file {name} is {test}, but the training file is {train}; test on a file of the same dataset")]
    OtherSchema {
        /// The test set's name.
        name: String,
        /// The training file's layout.
        train: String,
        /// The test file's layout.
        test: String,
    },
}

/// The named protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// KDD99 10% set: train on a random 80% of its normals; test on the other 20% plus every attack.
    Kdd10Holdout,
    /// Train on all normals of the 10% set, test on `corrected`.
    Kdd10Corrected,
    /// Train on KDDTrain+'s normals, test on KDDTest+ and KDDTest-21.
    Nsl,
    /// The papers' KDDCUP (DAGMM, GOAD, NeuTraL AD): the 10% set's normal rows are the
    /// anomalies; a random half of its attack rows trains, the other half plus every
    /// normal row tests.
    Kddcup,
    /// The papers' KDDCUP-Rev: a random half of the 10% set's normals trains; the other
    /// half plus a quarter as many random attack rows as there are normals (24,319) tests.
    KddcupRev,
    /// Train on the normals of one file, score every row of it.
    SingleFile,
    /// Any training file and any test file(s).
    Custom,
}

impl Preset {
    /// Every preset, in documentation order.
    pub const ALL: [Preset; 7] = [
        Self::Kdd10Holdout,
        Self::Kdd10Corrected,
        Self::Nsl,
        Self::Kddcup,
        Self::KddcupRev,
        Self::SingleFile,
        Self::Custom,
    ];

    /// The command-line / URL name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Kdd10Holdout => "kdd10-holdout",
            Self::Kdd10Corrected => "kdd10-corrected",
            Self::Nsl => "nsl",
            Self::Kddcup => "kddcup",
            Self::KddcupRev => "kddcup-rev",
            Self::SingleFile => "single-file",
            Self::Custom => "custom",
        }
    }

    /// Files the preset reads, relative to the data directory: training file first,
    /// then the named test files (none for presets that take the user's files).
    pub fn files(self) -> (&'static str, &'static [(&'static str, &'static str)]) {
        const KDD10: &str = "kdd99/kddcup.data_10_percent.gz";
        match self {
            Self::Kdd10Holdout | Self::Kddcup | Self::KddcupRev => (KDD10, &[]),
            Self::Kdd10Corrected => (KDD10, &[("corrected", "kdd99/corrected.gz")]),
            Self::Nsl => (
                "nsl-kdd/KDDTrain+.txt.gz",
                &[("test+", "nsl-kdd/KDDTest+.txt.gz"), ("test-21", "nsl-kdd/KDDTest-21.txt.gz")],
            ),
            Self::SingleFile | Self::Custom => ("", &[]),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|p| p.name() == s).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|p| p.name()).collect();
            format!("unknown protocol {s:?}; choose one of {}", names.join(", "))
        })
    }
}

/// Some rows of one table.
#[derive(Clone, Debug)]
pub struct Subset<'a> {
    /// A short name for outputs (`holdout`, `corrected`, `test+`, …).
    pub name: String,
    /// The table the rows come from.
    pub table: &'a Table,
    /// Row indices into `table`, ascending (borrowed from a cached split, or owned).
    pub rows: Cow<'a, [usize]>,
    /// The normal rows are the anomaly class (`kddcup`, where attacks are the bulk of
    /// the traffic): truth, metrics and predictions count a normal row as the positive.
    pub normal_is_anomaly: bool,
}

impl Subset<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Training rows (normal only) and one or more test sets.
#[derive(Clone, Debug)]
pub struct Split<'a> {
    /// Normal rows to fit on.
    pub train: Subset<'a>,
    /// Sets to score and evaluate.
    pub tests: Vec<Subset<'a>>,
}

fn normals_of(table: &Table, what: &str) -> Result<Vec<usize>, SplitError> {
    if !table.is_labelled() {
        return Err(SplitError::Unlabelled(what.to_string()));
    }
    let normals = table.normal_rows();
    if normals.is_empty() {
        return Err(SplitError::NoNormalRows(what.to_string()));
    }
    Ok(normals)
}

/// `kdd10-holdout`: a seeded random `train_fraction` of the normals trains; the other
/// normals plus every attack row test.
pub fn holdout(table: &Table, train_fraction: f64, seed: u64) -> Result<Split<'_>, SplitError> {
    if !(train_fraction > 0.0 && train_fraction < 1.0) {
        return Err(SplitError::Fraction(train_fraction));
    }
    let mut normals = normals_of(table, "hold-out file")?;
    Rng::new(seed).shuffle(&mut normals);
    let n_train = (normals.len() as f64 * train_fraction).round() as usize;
    if n_train == 0 || n_train == normals.len() {
        let side = if n_train == 0 { "training" } else { "test" };
        return Err(SplitError::TooFewNormals { normals: normals.len(), side });
    }
    let mut train = normals[..n_train].to_vec();
    train.sort_unstable();
    let mut in_train = vec![false; table.rows()];
    for &r in &train {
        in_train[r] = true;
    }
    let test: Vec<usize> = (0..table.rows()).filter(|&r| !in_train[r]).collect();
    Ok(Split {
        train: Subset { name: "train".into(), table, rows: train.into(), normal_is_anomaly: false },
        tests: vec![Subset { name: "holdout".into(), table, rows: test.into(), normal_is_anomaly: false }],
    })
}

/// The rows of `table` labelled as attacks (`attack`) or as normal, after the checks
/// every split makes (labelled; the class not empty).
fn rows_of(table: &Table, attack: bool, what: &str) -> Result<Vec<usize>, SplitError> {
    let normals = normals_of(table, what)?;
    if !attack {
        return Ok(normals);
    }
    let attacks: Vec<usize> = (0..table.rows()).filter(|&r| table.is_attack(r) == Some(true)).collect();
    if attacks.len() < 2 {
        return Err(SplitError::TooFewAttacks { attacks: attacks.len() });
    }
    Ok(attacks)
}

/// A seeded random half of `rows` (rounded down) and the rest, each ascending.
fn halves(mut rows: Vec<usize>, rng: &mut Rng) -> (Vec<usize>, Vec<usize>) {
    rng.shuffle(&mut rows);
    let mut rest = rows.split_off(rows.len() / 2);
    rows.sort_unstable();
    rest.sort_unstable();
    (rows, rest)
}

/// Two ascending lists of distinct rows merged into one.
fn merged(mut a: Vec<usize>, b: &[usize]) -> Vec<usize> {
    a.extend_from_slice(b);
    a.sort_unstable();
    a
}

/// `kddcup`, as DAGMM (Zong et al. 2018), GOAD (Bergman & Hoshen 2020) and NeuTraL AD
/// (Qiu et al. 2021) run it on the 10% set, where attacks are 80% of the rows: the
/// normal rows are the anomaly class. A seeded random half of the attack rows trains;
/// the other half plus every normal row tests.
pub fn kddcup(table: &Table, seed: u64) -> Result<Split<'_>, SplitError> {
    let normals = rows_of(table, false, "kddcup file")?;
    let (train, rest) = halves(rows_of(table, true, "kddcup file")?, &mut Rng::new(seed));
    Ok(Split {
        train: Subset { name: "train".into(), table, rows: train.into(), normal_is_anomaly: true },
        tests: vec![Subset {
            name: "kddcup".into(),
            table,
            rows: merged(rest, &normals).into(),
            normal_is_anomaly: true,
        }],
    })
}

/// `kddcup-rev`, as the same papers run it: a seeded random half of the normal rows
/// trains; the other half plus `normals / 4` seeded random attack rows (24,319 of the
/// 10% set's, so all normals to those attacks are 4:1) tests. DAGMM itself split those
/// 4:1 rows 50/50 and tested on half of each; GOAD and NeuTraL AD test on every drawn
/// attack, as here.
pub fn kddcup_rev(table: &Table, seed: u64) -> Result<Split<'_>, SplitError> {
    let normals = rows_of(table, false, "kddcup-rev file")?;
    let mut attacks = rows_of(table, true, "kddcup-rev file")?;
    if normals.len() < 2 {
        return Err(SplitError::TooFewNormals { normals: normals.len(), side: "test" });
    }
    let mut rng = Rng::new(seed);
    let draw = (normals.len() / 4).clamp(1, attacks.len());
    let (train, rest) = halves(normals, &mut rng);
    rng.shuffle(&mut attacks);
    attacks.truncate(draw);
    attacks.sort_unstable();
    Ok(Split {
        train: Subset { name: "train".into(), table, rows: train.into(), normal_is_anomaly: false },
        tests: vec![Subset {
            name: "kddcup-rev".into(),
            table,
            rows: merged(rest, &attacks).into(),
            normal_is_anomaly: false,
        }],
    })
}

/// Train on the normals of `train`, test on every row of each test table
/// (`kdd10-corrected`, `nsl`, `custom`). Test tables may be unlabelled.
pub fn train_test<'a>(train: &'a Table, tests: &[(&str, &'a Table)]) -> Result<Split<'a>, SplitError> {
    let rows = normals_of(train, "training file")?;
    if let Some((name, test)) = tests.iter().find(|(_, t)| !t.schema.same_features(&train.schema)) {
        return Err(SplitError::OtherSchema {
            name: name.to_string(),
            train: train.schema.describe(),
            test: test.schema.describe(),
        });
    }
    Ok(Split {
        train: Subset { name: "train".into(), table: train, rows: rows.into(), normal_is_anomaly: false },
        tests: tests
            .iter()
            .map(|&(name, table)| Subset {
                name: name.into(),
                table,
                rows: (0..table.rows()).collect::<Vec<_>>().into(),
                normal_is_anomaly: false,
            })
            .collect(),
    })
}

/// Train on every row, attacks included, and score every row: the mistake behind
/// the reference's AUC of 0.51 (an autoencoder that learned attack-heavy traffic
/// reconstructs attacks well). For teaching only.
pub fn all_rows(table: &Table) -> Result<Split<'_>, SplitError> {
    let rows: Vec<usize> = (0..table.rows()).collect();
    Ok(Split {
        train: Subset { name: "train".into(), table, rows: rows.clone().into(), normal_is_anomaly: false },
        tests: vec![Subset { name: "all".into(), table, rows: rows.into(), normal_is_anomaly: false }],
    })
}

/// `single-file`: train on the file's normals, score every row of it.
pub fn single_file(table: &Table) -> Result<Split<'_>, SplitError> {
    train_test(table, &[("all", table)])
}
