//! What the page lets a person download: predictions (whole or in parts), metrics
//! JSON, the Markdown results table and model files — and the `export` replies that
//! carry them (a predictions file part by part, see [`Streaming`]).

use super::protocol::{ExportWhat, Reply};
use super::{Session, SessionError};
use crate::metrics::{self, Evaluation};
use crate::Error;

/// A predictions export being sent: one part per [`Session::advance`].
pub(super) struct Streaming {
    /// The request's id.
    pub(super) id: u64,
    /// The model.
    pub(super) model: u32,
    test: String,
    threshold: Option<f64>,
    filename: String,
    /// Rows scored, rows per part, and the first row of the next part.
    rows: usize,
    part: usize,
    next: usize,
}

impl Session {
    /// The predictions file of a model on a test set, at `threshold` (the model's own
    /// when `None`).
    pub fn predictions_csv(&self, id: u32, test: &str, threshold: Option<f64>) -> Result<String, Error> {
        let split = self.split()?;
        let (e, scores, subset) = self.scored(id, test, &split)?;
        Ok(metrics::predictions_csv(subset.rows(), scores, threshold.unwrap_or(e.model.header.threshold)))
    }

    /// Rows `start..start + count` of the predictions file (the header with the first
    /// part), so millions of rows are written in parts.
    pub fn predictions_csv_part(
        &self,
        id: u32,
        test: &str,
        threshold: Option<f64>,
        start: usize,
        count: usize,
    ) -> Result<String, Error> {
        let split = self.split()?;
        let (e, scores, subset) = self.scored(id, test, &split)?;
        let threshold = threshold.unwrap_or(e.model.header.threshold);
        Ok(metrics::predictions_csv_part(subset.rows(), scores, threshold, start, count))
    }

    /// Every evaluation, as JSON.
    pub fn metrics_json(&self) -> String {
        let all: Vec<&Evaluation> =
            self.models.iter().flat_map(|e| e.views.iter().filter_map(|v| v.evaluation.as_ref())).collect();
        serde_json::to_string_pretty(&all).unwrap_or_default()
    }

    /// The results table across models, in Markdown.
    pub fn results_markdown(&self) -> String {
        let all: Vec<Evaluation> =
            self.models.iter().flat_map(|e| e.views.iter().filter_map(|v| v.evaluation.clone())).collect();
        metrics::results_table(&all)
    }

    /// A model's file.
    pub fn model_bytes(&self, id: u32) -> Result<Vec<u8>, Error> {
        self.entry(id)?.model.to_bytes()
    }

    /// A file name's model part: its kind, or its id.
    fn kind_name(&self, id: u32) -> String {
        self.kind_of(id).map_or_else(|| format!("model{id}"), |k| k.name().to_string())
    }

    /// The reply to an export answered at once (metrics, Markdown, a model file; a
    /// predictions file whole).
    pub(super) fn export_now(
        &self,
        what: ExportWhat,
        model: Option<u32>,
        test: Option<String>,
        threshold: Option<f64>,
    ) -> Result<Reply, Error> {
        let model = || model.ok_or(SessionError::NoModel(0));
        let (filename, text, bytes) = match what {
            ExportWhat::Metrics => ("metrics.json".into(), Some(self.metrics_json()), None),
            ExportWhat::Markdown => ("results.md".into(), Some(self.results_markdown()), None),
            ExportWhat::Model => (format!("{}.nam", self.kind_name(model()?)), None, Some(self.model_bytes(model()?)?)),
            ExportWhat::Predictions => {
                let job = self.start_predictions(0, Some(model()?), test, threshold, 1)?;
                (job.filename, Some(self.predictions_csv(job.model, &job.test, threshold)?), None)
            }
        };
        Ok(Reply::Export { what, filename, text, bytes, next: None })
    }

    /// Check a predictions export (its model and test set exist, its scores are
    /// current) before its parts are sent.
    pub(super) fn start_predictions(
        &self,
        id: u64,
        model: Option<u32>,
        test: Option<String>,
        threshold: Option<f64>,
        part: usize,
    ) -> Result<Streaming, Error> {
        let model = model.ok_or(SessionError::NoModel(0))?;
        let test = test.ok_or_else(|| SessionError::NoTest(String::new()))?;
        let split = self.split()?;
        self.scored(model, &test, &split)?;
        let rows = self.scored_rows(model, &test)?;
        let filename = format!("predictions_{}_{}.csv", self.kind_name(model), safe_name(&test));
        Ok(Streaming { id, model, test, threshold, filename, rows, part: part.max(1), next: 0 })
    }

    /// The next part of `job` and whether it is the last.
    pub(super) fn export_part(&self, job: &mut Streaming) -> Result<(Reply, bool), Error> {
        let start = job.next;
        let text = self.predictions_csv_part(job.model, &job.test, job.threshold, start, job.part)?;
        job.next = start + job.part;
        let next = (job.next < job.rows).then_some(job.next);
        let part = Reply::Export {
            what: ExportWhat::Predictions,
            filename: job.filename.clone(),
            text: Some(text),
            bytes: None,
            next,
        };
        Ok((part, next.is_none()))
    }
}

/// A name safe in a file name.
fn safe_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "._-".contains(c) {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    if out.is_empty() {
        "test".into()
    } else {
        out.into()
    }
}
