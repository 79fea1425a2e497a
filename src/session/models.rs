//! The model registry: models trained here or loaded from files, each with its
//! scores and views on the current split; adding, re-scoring and forgetting them.

use super::records::TopRecords;
use super::{ModelResult, ModelSummary, Record, Session, SessionError, Test, View, HISTOGRAM_BINS, TOP_RECORDS};
use crate::detect::ModelKind;
use crate::metrics;
use crate::model_file::Model;
use crate::pipeline;
use crate::Error;

/// A model with its scores on the current split.
pub(super) struct Entry {
    pub(super) id: u32,
    pub(super) source: String,
    /// The session's data generation these scores belong to.
    pub(super) generation: u64,
    pub(super) model: Model,
    /// Scores per test set name, in split order.
    pub(super) scores: Vec<(String, Vec<f64>)>,
    pub(super) views: Vec<View>,
    /// The top-scoring records of streamed test sets (their rows are not held).
    pub(super) top: Vec<(String, Vec<Record>)>,
}

impl Session {
    /// Load a model file (bundled with the page or saved earlier) and score the
    /// current test sets with it.
    pub fn add_model(
        &mut self,
        source: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ModelResult, Error> {
        let model = Model::from_bytes(bytes)?;
        self.add(model, source.into(), progress)
    }

    pub(super) fn add(
        &mut self,
        model: Model,
        source: String,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ModelResult, Error> {
        let id = self.next_id;
        let (model, scores, views, top) = self.score_views(id, model, progress)?;
        self.next_id += 1;
        let summary = model_summary(id, &source, &model);
        self.models.push(Entry { id, source, generation: self.generation, model, scores, views: views.clone(), top });
        Ok(ModelResult { model: summary, views })
    }

    /// Re-score every model on the current split (after the files or the protocol
    /// changed); a model that cannot score the new data is reported and dropped.
    pub fn rescore_all(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<ModelResult>, Error> {
        let rescored = self.rescore(None, progress);
        match rescored.dropped.into_iter().next() {
            Some(d) if self.models.is_empty() => Err(d.error),
            _ => Ok(self.results()),
        }
    }

    /// Re-score every model but `except` on the current split; the ones that cannot
    /// score it are forgotten and listed with their errors.
    pub fn rescore(&mut self, except: Option<u32>, progress: &mut dyn FnMut(usize, usize)) -> Rescored {
        let entries = std::mem::take(&mut self.models);
        let mut out = Rescored { results: Vec::new(), dropped: Vec::new() };
        for e in entries {
            if Some(e.id) == except {
                self.models.push(e);
                continue;
            }
            let kind = e.model.header.kind;
            match self.score_views(e.id, e.model, progress) {
                Ok((model, scores, views, top)) => {
                    out.results
                        .push(ModelResult { model: model_summary(e.id, &e.source, &model), views: views.clone() });
                    self.models.push(Entry { generation: self.generation, model, scores, views, top, ..e });
                }
                Err(error) => out.dropped.push(DroppedModel { id: e.id, kind, error }),
            }
        }
        out
    }

    /// The session keeps one model per kind: forget every other model of `id`'s kind
    /// (the one a new result replaces), returning its id.
    pub fn keep_one_per_kind(&mut self, id: u32) -> Option<u32> {
        let kind = self.entry(id).ok()?.model.header.kind;
        let old = self.models.iter().find(|e| e.id != id && e.model.header.kind == kind).map(|e| e.id);
        self.models.retain(|e| e.id == id || e.model.header.kind != kind);
        old
    }

    /// A model's kind.
    pub fn kind_of(&self, id: u32) -> Option<ModelKind> {
        self.entry(id).ok().map(|e| e.model.header.kind)
    }

    #[allow(clippy::type_complexity)]
    pub(super) fn score_views(
        &self,
        id: u32,
        mut model: Model,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(Model, Vec<(String, Vec<f64>)>, Vec<View>, Vec<(String, Vec<Record>)>), Error> {
        let split = self.split()?;
        let mut scores = Vec::new();
        let mut views = Vec::new();
        let mut tops = Vec::new();
        model.header.metrics.clear();
        for test in &split.tests {
            let s = match test {
                Test::Held(subset) => pipeline::score(&model, subset, progress)?,
                Test::Streamed(streamed, source) => {
                    let mut top = TopRecords::new(TOP_RECORDS);
                    let s = pipeline::score_streamed(&model, *source, streamed, progress, &mut |chunk, first, s| {
                        top.offer(chunk, first, s)
                    })?;
                    tops.push((test.rows().name().to_string(), top.into_sorted()));
                    s
                }
            };
            let rows = test.rows();
            let truth = rows.truth();
            let threshold = model.header.threshold;
            let range = s.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
            let (evaluation, message) = match pipeline::evaluate(&mut model, rows, &s) {
                Ok(e) => (Some(e), None),
                Err(e) => (None, Some(e.to_string())),
            };
            views.push(View {
                model_id: id,
                kind: model.header.kind,
                test_set: rows.name().to_string(),
                threshold,
                histogram: metrics::histogram(
                    &s,
                    truth.as_deref(),
                    threshold,
                    HISTOGRAM_BINS,
                    model.header.kind != ModelKind::If,
                ),
                score_range: range,
                evaluation,
                message,
            });
            scores.push((rows.name().to_string(), s));
        }
        Ok((model, scores, views, tops))
    }

    pub(super) fn entry(&self, id: u32) -> Result<&Entry, Error> {
        Ok(self.models.iter().find(|e| e.id == id).ok_or(SessionError::NoModel(id))?)
    }

    /// Every model with its views.
    pub fn results(&self) -> Vec<ModelResult> {
        self.models
            .iter()
            .map(|e| ModelResult { model: model_summary(e.id, &e.source, &e.model), views: e.views.clone() })
            .collect()
    }

    /// Forget a model.
    pub fn remove_model(&mut self, id: u32) {
        self.models.retain(|e| e.id != id);
    }

    /// Forget every model (the data changed).
    pub fn clear_models(&mut self) {
        self.models.clear();
        self.pending = None;
    }
}

pub(super) fn model_summary(id: u32, source: &str, model: &Model) -> ModelSummary {
    ModelSummary {
        id,
        kind: model.header.kind,
        title: model.header.kind.title().into(),
        source: source.into(),
        threshold: model.header.threshold,
        protocol: model.header.protocol.clone(),
        train_rows: model.header.train_rows,
        config: model.header.config.clone(),
        history: model.detector.history().cloned(),
        score_name: model.header.kind.score_name().into(),
    }
}

/// What re-scoring did.
#[derive(Debug)]
pub struct Rescored {
    /// The models scored again, with their new views.
    pub results: Vec<ModelResult>,
    /// The models that could not score the new split (now forgotten).
    pub dropped: Vec<DroppedModel>,
}

/// A model forgotten because it could not score the new split.
#[derive(Debug)]
pub struct DroppedModel {
    /// Its id.
    pub id: u32,
    /// Its kind.
    pub kind: ModelKind,
    /// Why.
    pub error: Error,
}
