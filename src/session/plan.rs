//! The split of the loaded files into training rows and test sets under the chosen
//! protocol, cached per data/protocol generation (a hold-out shuffles once, not per query).

use super::{ProtocolChoice, Session, SessionError, SplitSummary, TestSummary};
use crate::data::streamed::{Source, Streamed};
use std::borrow::Cow;

use crate::data::{self, protocol, Rows, Subset};
use crate::Error;

/// The row indices of a split: what the cache keeps between queries.
pub(super) struct PlanRows {
    /// Rows of the training table (or of a streamed file's sample) that train.
    train: Vec<usize>,
    /// Each test set by name.
    tests: Vec<(String, TestRows)>,
    /// The normal rows are the anomaly class (`kddcup`).
    normal_is_anomaly: bool,
}

/// Where a test set's rows come from.
enum TestRows {
    /// These rows of the training file.
    Train(Vec<usize>),
    /// These rows of the test file.
    TestFile(Vec<usize>),
    /// Every row of the streamed training file not in its sample.
    Streamed,
}

/// One test set of the current split: rows of a held table, or a streamed file.
pub(crate) enum Test<'a> {
    Held(Subset<'a>),
    Streamed(&'a Streamed, &'a dyn Source),
}

impl Test<'_> {
    pub(crate) fn rows(&self) -> &dyn Rows {
        match self {
            Test::Held(s) => s,
            Test::Streamed(s, _) => *s,
        }
    }
}

/// Training rows and test sets.
pub(crate) struct Plan<'a> {
    pub(crate) train: Subset<'a>,
    pub(crate) tests: Vec<Test<'a>>,
}

impl Session {
    /// Choose the protocol; the split is checked at once (e.g. no normal rows).
    pub fn set_protocol(&mut self, choice: ProtocolChoice) -> Result<SplitSummary, Error> {
        let previous = std::mem::replace(&mut self.protocol, choice);
        if previous != choice {
            self.plan.take();
        }
        match self.split_summary() {
            Ok(s) => {
                if previous != choice {
                    self.generation += 1;
                }
                Ok(s)
            }
            Err(e) => {
                self.protocol = previous;
                self.plan.take();
                Err(e)
            }
        }
    }

    /// How many times the split has been worked out (each data or protocol change
    /// once; queries reuse it).
    pub fn split_builds(&self) -> u64 {
        self.plan_builds.get()
    }

    /// The current split, from the cache (filled on first use after each change).
    pub(super) fn split(&self) -> Result<Plan<'_>, Error> {
        if self.plan.get().is_none() {
            let rows = self.plan_rows()?;
            self.plan_builds.set(self.plan_builds.get() + 1);
            // Only this thread fills it, and it was empty just now.
            let _ = self.plan.set(rows);
        }
        let rows = self.plan.get().ok_or(SessionError::NoFile)?;
        let train_table = match (&self.streamed, &self.train) {
            (Some((_, streamed, _)), _) => &streamed.sample,
            (None, Some((_, table))) => table,
            (None, None) => return Err(SessionError::NoFile.into()),
        };
        let train = Subset {
            name: "train".into(),
            table: train_table,
            rows: Cow::Borrowed(&rows.train),
            normal_is_anomaly: rows.normal_is_anomaly,
        };
        let mut tests = Vec::with_capacity(rows.tests.len());
        for (name, test) in &rows.tests {
            tests.push(match test {
                TestRows::Train(r) => Test::Held(Subset {
                    name: name.clone(),
                    table: train_table,
                    rows: Cow::Borrowed(r),
                    normal_is_anomaly: rows.normal_is_anomaly,
                }),
                TestRows::TestFile(r) => {
                    let (_, table) = self.test.as_ref().ok_or(SessionError::NoTestFile)?;
                    Test::Held(Subset {
                        name: name.clone(),
                        table,
                        rows: Cow::Borrowed(r),
                        normal_is_anomaly: rows.normal_is_anomaly,
                    })
                }
                TestRows::Streamed => {
                    let (_, streamed, source) = self.streamed.as_ref().ok_or(SessionError::NoFile)?;
                    Test::Streamed(streamed, &**source)
                }
            });
        }
        Ok(Plan { train, tests })
    }

    /// Work the split out from the files and the protocol (what the cache keeps).
    fn plan_rows(&self) -> Result<PlanRows, Error> {
        if let Some((summary, streamed, _)) = &self.streamed {
            let sample = &streamed.sample;
            if !summary.labelled {
                return Err(data::SplitError::Unlabelled(summary.name.clone()).into());
            }
            if sample.rows() == 0 {
                return Err(data::SplitError::NoNormalRows(summary.name.clone()).into());
            }
            let tests = match self.protocol {
                ProtocolChoice::SingleFile | ProtocolChoice::Holdout { .. } => {
                    vec![(summary.name.clone(), TestRows::Streamed)]
                }
                ProtocolChoice::TrainTest => {
                    let (s, test) = self.test.as_ref().ok_or(SessionError::NoTestFile)?;
                    vec![(s.name.clone(), TestRows::TestFile((0..test.rows()).collect()))]
                }
                ProtocolChoice::AllRows => return Err(SessionError::StreamedAllRows.into()),
                ProtocolChoice::Kddcup { .. } | ProtocolChoice::KddcupRev { .. } => {
                    return Err(SessionError::StreamedPapers.into())
                }
            };
            return Ok(PlanRows { train: (0..sample.rows()).collect(), tests, normal_is_anomaly: false });
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
            ProtocolChoice::Kddcup { seed } => protocol::kddcup(train, seed).map_err(named)?,
            ProtocolChoice::KddcupRev { seed } => protocol::kddcup_rev(train, seed).map_err(named)?,
        };
        let normal_is_anomaly = split.train.normal_is_anomaly;
        let tests = split
            .tests
            .into_iter()
            .map(|t| {
                let rows = t.rows.into_owned();
                let test = if std::ptr::eq(t.table, train) { TestRows::Train(rows) } else { TestRows::TestFile(rows) };
                (t.name, test)
            })
            .collect();
        Ok(PlanRows { train: split.train.rows.into_owned(), tests, normal_is_anomaly })
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
                    let truth = t.truth();
                    let anomalies = truth.as_ref().map_or(0, |v| v.iter().filter(|&&a| a).count());
                    // Counted by label: under `kddcup` the anomalies are the normal rows.
                    let attacks = if t.normal_is_anomaly() { t.len() - anomalies } else { anomalies };
                    TestSummary {
                        name: t.name().to_string(),
                        rows: t.len(),
                        labelled,
                        normals: if labelled { t.len() - attacks } else { 0 },
                        attacks,
                        notice: truth.and_then(|v| crate::metrics::one_class_notice(t.name(), &v)),
                    }
                })
                .collect(),
        })
    }

    pub(super) fn protocol_name(&self) -> String {
        if let Some((_, s, _)) = &self.streamed {
            return format!("streamed: {} sampled normals, seed {}", s.sample_ids.len(), s.settings.seed);
        }
        match self.protocol {
            ProtocolChoice::SingleFile => "single-file".into(),
            ProtocolChoice::Holdout { train_fraction, seed } => format!("holdout {train_fraction} seed {seed}"),
            ProtocolChoice::TrainTest => "train-test".into(),
            ProtocolChoice::AllRows => "all-rows (attacks in training)".into(),
            ProtocolChoice::Kddcup { seed } => format!("kddcup seed {seed} (normal rows are the anomalies)"),
            ProtocolChoice::KddcupRev { seed } => format!("kddcup-rev seed {seed}"),
        }
    }
}
