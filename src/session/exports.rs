//! What the page lets a person download: predictions (whole or in parts), metrics
//! JSON, the Markdown results table and model files.

use super::Session;
use crate::metrics::{self, Evaluation};
use crate::Error;

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
}
