//! Views of a model's scores on a test set: the sorted scores behind the slider,
//! flagged counts per label at any threshold, and the wrong-way-round view.

use super::models::Entry;
use super::{Breakdown, Plan, Session, SessionError, Test, View, HISTOGRAM_BINS};
use crate::explain::Explanation;
use crate::metrics::{self, SortedScores};
use crate::Error;

impl Session {
    /// A model's scores on a test set of the current split, with the subset they score.
    pub(super) fn scored<'a>(
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

    /// Scores by class, sorted, for the page's threshold slider.
    pub fn sorted_scores(&self, id: u32, test: &str) -> Result<SortedScores, Error> {
        let split = self.split()?;
        let (_, scores, subset) = self.scored(id, test, &split)?;
        Ok(SortedScores::new(scores, subset.rows().truth().as_deref()))
    }

    /// Flagged counts per label and per category at `threshold` (the per-attack view
    /// at a moved slider).
    pub fn label_breakdown(&self, id: u32, test: &str, threshold: f64) -> Result<Breakdown, Error> {
        let split = self.split()?;
        let (_, scores, subset) = self.scored(id, test, &split)?;
        let (by_label, by_category) = metrics::detected_by_label(subset.rows(), scores, threshold);
        Ok(Breakdown { threshold, by_label, by_category })
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

    /// Why record `record` (a row of the test set's file) scores what it does under
    /// model `id`. An autoencoder reading windows of several records explains the window
    /// of the file's rows the record ends.
    pub fn explain_record(&self, id: u32, test: &str, record: usize) -> Result<Explanation, Error> {
        let split = self.split()?;
        let (e, _, subset) = self.scored(id, test, &split)?;
        match subset {
            Test::Held(s) => crate::explain::explain(&e.model, s.table, record),
            Test::Streamed(..) => Err(SessionError::StreamedExplain.into()),
        }
    }

    /// Rows a model scored on a test set (of the current split).
    pub fn scored_rows(&self, id: u32, test: &str) -> Result<usize, Error> {
        let e = self.entry(id)?;
        let (_, scores) = e.scores.iter().find(|(n, _)| n == test).ok_or_else(|| SessionError::NoTest(test.into()))?;
        Ok(scores.len())
    }
}
