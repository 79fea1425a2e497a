//! Records with their raw feature values: the top-scoring ones of a test set, and
//! the ones kept while a streamed file passes.

use super::{Record, Session, Test};
use crate::data::{Subset, Table};
use crate::Error;

impl Session {
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
}

/// One table row as a [`Record`] (`record_id` its position in its file).
pub(super) fn record(table: &Table, r: usize, record_id: usize, score: f64, threshold: f64) -> Record {
    let features = table
        .schema
        .features
        .iter()
        .enumerate()
        .map(|(f, feature)| (feature.name.clone(), table.feature_text(f, r)))
        .collect();
    Record {
        record_id,
        score,
        flagged: score > threshold,
        label: table.label(r).map(str::to_string),
        category: table.category(r).map(str::to_string),
        features,
    }
}

/// The highest-scoring records seen while a file streams past.
pub(super) struct TopRecords {
    n: usize,
    kept: Vec<Record>,
}

impl TopRecords {
    pub(super) fn new(n: usize) -> Self {
        Self { n, kept: Vec::new() }
    }

    /// Consider one scored chunk (`first`: record id of the chunk's first row).
    pub(super) fn offer(&mut self, chunk: &Subset<'_>, first: usize, scores: &[f64]) {
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

    pub(super) fn into_sorted(mut self) -> Vec<Record> {
        self.kept.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.record_id.cmp(&b.record_id)));
        self.kept
    }
}
