//! The worker's loop body, in Rust: [`Session::handle`] takes one [`Request`] —
//! answering the quick ones at once and queueing the rest — and
//! [`Session::advance`] does the next piece of queued work, so the worker only
//! forwards messages and yields between calls. The page's policies live here: a new
//! training file forgets every model, one model per kind, every model re-scored
//! after the protocol or the test file changes; a predictions export is sent part by
//! part, one per `advance`, before any other work (so nothing changes under it).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use web_time::{Duration, Instant};

use super::exports::Streaming;
use super::protocol::{Command, ErrorReply, ExportWhat, Phase, ProgressReport, Reply, Request, Response, ScoresOut};
use super::run::{Run, Transport};
use super::{ModelResult, ProtocolChoice, Session, Slot};
use crate::data::streamed::Source;
use crate::detect::ModelKind;
use crate::Error;

/// Rows per part of a predictions export: millions of rows never become one string.
pub const PART_ROWS: usize = 250_000;

/// At most this often a progress reply (plus the last of each phase).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What travels beside a request: the file to load, or a model file's bytes.
pub enum Attachment {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A file that can be read (again) in slices: a path, a browser `Blob`.
    Source(Box<dyn Source>),
}

/// A request waiting its turn.
pub(super) struct Queued {
    id: u64,
    command: Command,
    attachment: Option<Attachment>,
}

/// What the worker should do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// More work queued: call [`Session::advance`] again (after yielding).
    Busy,
    /// A run waits for play, step or cancel: call again after the next message.
    Paused,
    /// Nothing to do.
    Idle,
}

/// Lets progress through at most every [`PROGRESS_EVERY`].
pub(super) struct Throttle(Option<Instant>);

impl Throttle {
    pub(super) fn new() -> Self {
        Self(None)
    }

    /// Whether to send now (`last`: always).
    pub(super) fn ready(&mut self, last: bool) -> bool {
        let now = Instant::now();
        if last || self.0.is_none_or(|t| now.duration_since(t) >= PROGRESS_EVERY) {
            self.0 = Some(now);
            return true;
        }
        false
    }
}

/// A scoring progress callback: `progress` replies, throttled, for `kind`'s model.
pub(super) fn scoring(out: &mut dyn FnMut(Reply), kind: Option<ModelKind>) -> impl FnMut(usize, usize) + '_ {
    let mut throttle = Throttle::new();
    move |done, total| {
        if throttle.ready(done == total) {
            out(Reply::Progress(ProgressReport { phase: Phase::Score, done, total: Some(total), kind, train: None }));
        }
    }
}

/// Send an error reply for `e`.
pub(super) fn say_error(out: &mut dyn FnMut(Reply), e: &Error, kind: Option<ModelKind>) {
    out(Reply::Error(ErrorReply::of(e, kind)));
}

impl Session {
    /// Take one request. Quick ones (play, pause, step, cancel, breakdown, export,
    /// stream settings) are answered at once, ending with `done`; the rest wait
    /// their turn for [`Session::advance`].
    pub fn handle(&mut self, request: Request, attachment: Option<Attachment>, out: &mut dyn FnMut(Response)) {
        let Request { id, command } = request;
        if command.is_queued() {
            self.queue.waiting.push_back(Queued { id, command, attachment });
            return;
        }
        let command = match command {
            // Checked now, then sent in parts by `advance`.
            Command::Export { what: ExportWhat::Predictions, model, test, threshold, part_rows } => {
                let part = part_rows.unwrap_or(PART_ROWS).clamp(1, PART_ROWS);
                match self.start_predictions(id, model, test, threshold, part) {
                    Ok(job) => self.queue.exports.push_back(job),
                    Err(e) => {
                        let mut say = |reply| out(Response { id, reply });
                        say_error(&mut say, &e, model.and_then(|m| self.kind_of(m)));
                        say(Reply::Done { cancelled: false });
                    }
                }
                return;
            }
            other => other,
        };
        if command == Command::Cancel {
            // Training still waiting its turn will not run.
            let queue = std::mem::take(&mut self.queue.waiting);
            for q in queue {
                if matches!(q.command, Command::Train { .. } | Command::Mistake { .. }) {
                    out(Response { id: q.id, reply: Reply::Done { cancelled: true } });
                } else {
                    self.queue.waiting.push_back(q);
                }
            }
        }
        let transport = match command {
            Command::Play => Some(Transport::Play),
            Command::Pause => Some(Transport::Pause),
            Command::Step => Some(Transport::Step),
            Command::Cancel => Some(Transport::Cancel),
            _ => None,
        };
        if let Some(what) = transport {
            // "playing" is the run's news (like "paused"): it carries the run's id.
            let run = self.run.as_ref().map_or(id, |r| r.id);
            self.transport(what, &mut |reply| {
                let to = if matches!(reply, Reply::Playing { .. }) { run } else { id };
                out(Response { id: to, reply })
            });
        } else {
            self.answer(command, &mut |reply| out(Response { id, reply }));
        }
        out(Response { id, reply: Reply::Done { cancelled: false } });
    }

    fn answer(&mut self, command: Command, out: &mut dyn FnMut(Reply)) {
        match command {
            Command::StreamSettings { settings } => self.set_stream_settings(settings),
            Command::Breakdown { model, test, threshold, n } => {
                let n = n.clamp(1, 1000);
                let asked = self
                    .label_breakdown(model, &test, threshold)
                    .and_then(|b| Ok((b, self.top_records(model, &test, n, Some(threshold))?)));
                match asked {
                    Ok((breakdown, top)) => out(Reply::Breakdown { model, test, threshold, breakdown, top }),
                    Err(e) => say_error(out, &e, self.kind_of(model)),
                }
            }
            Command::Explain { model, test, record } => match self.explain_record(model, &test, record) {
                Ok(explanation) => out(Reply::Explanation { model, test, explanation }),
                Err(e) => say_error(out, &e, self.kind_of(model)),
            },
            Command::Export { what, model, test, threshold, .. } => match self.export_now(what, model, test, threshold)
            {
                Ok(reply) => out(reply),
                Err(e) => say_error(out, &e, model.and_then(|m| self.kind_of(m))),
            },
            // The boundary answers with its memory; natively there is none to report.
            Command::Memory => out(Reply::Memory { bytes: 0.0 }),
            queued => out(Reply::Error(ErrorReply::request(format!("{queued:?} must be queued")))),
        }
    }

    /// Do the next piece of queued work (a part of a predictions export, a step of
    /// training, or one queued request) and say what is left.
    pub fn advance(&mut self, out: &mut dyn FnMut(Response)) -> Activity {
        if let Some(mut job) = self.queue.exports.pop_front() {
            let id = job.id;
            let mut say = |reply| out(Response { id, reply });
            match self.export_part(&mut job) {
                Ok((part, last)) => {
                    say(part);
                    if last {
                        say(Reply::Done { cancelled: false });
                    } else {
                        self.queue.exports.push_front(job);
                    }
                }
                Err(e) => {
                    say_error(&mut say, &e, self.kind_of(job.model));
                    say(Reply::Done { cancelled: false });
                }
            }
            return self.activity();
        }
        if let Some(id) = self.run.as_ref().map(|r| r.id) {
            self.advance_run(&mut |reply| out(Response { id, reply }));
            return self.activity();
        }
        let Some(Queued { id, command, attachment }) = self.queue.waiting.pop_front() else { return Activity::Idle };
        let mut say = |reply| out(Response { id, reply });
        match command {
            Command::Train { models, watch, paused } => {
                if models.is_empty() {
                    say(Reply::Error(ErrorReply::request("choose at least one model to train")));
                    say(Reply::Done { cancelled: false });
                } else {
                    self.run = Some(Run::train(id, models, watch, paused));
                }
            }
            Command::Mistake { settings, watch } => {
                if settings.kind != ModelKind::Dense {
                    say(Reply::Error(ErrorReply::request("the demonstration needs dense autoencoder settings")));
                    say(Reply::Done { cancelled: false });
                } else {
                    self.run = Some(Run::mistake(id, settings, watch, self.protocol));
                }
            }
            command => {
                self.execute(command, attachment, &mut say);
                say(Reply::Done { cancelled: false });
            }
        }
        self.activity()
    }

    /// Whether work is left.
    pub fn activity(&self) -> Activity {
        if !self.queue.exports.is_empty() {
            return Activity::Busy;
        }
        match &self.run {
            Some(run) if run.waiting => Activity::Paused,
            Some(_) => Activity::Busy,
            None if self.queue.waiting.is_empty() => Activity::Idle,
            None => Activity::Busy,
        }
    }

    /// Run a queued request that is not training.
    fn execute(&mut self, command: Command, attachment: Option<Attachment>, out: &mut dyn FnMut(Reply)) {
        match command {
            Command::Sample { rows, seed } => match self.load_sample(rows, seed) {
                Ok(summary) => {
                    self.clear_models();
                    out(Reply::Loaded { slot: Slot::Train, summary, models_cleared: true });
                }
                Err(e) => say_error(out, &e, None),
            },
            Command::Load { slot, name, entry, label, non_finite } => {
                let options = crate::data::ReadOptions { entry, label, non_finite };
                let mut throttle = Throttle::new();
                let mut progress = |rows| {
                    if throttle.ready(false) {
                        out(Reply::Progress(ProgressReport { phase: Phase::Parse, done: rows, ..Default::default() }));
                    }
                };
                let loaded = match attachment {
                    Some(Attachment::Bytes(bytes)) => self.load_with(slot, &name, &bytes, &options, &mut progress),
                    Some(Attachment::Source(source)) => {
                        self.load_source_with(slot, &name, source, &options, &mut progress)
                    }
                    None => return out(Reply::Error(ErrorReply::request("a load request needs its file"))),
                };
                match loaded {
                    Ok(summary) => {
                        let models_cleared = slot == Slot::Train;
                        if models_cleared {
                            self.clear_models();
                        }
                        out(Reply::Loaded { slot, summary, models_cleared });
                        if slot == Slot::Test && self.protocol == ProtocolChoice::TrainTest {
                            self.rescore_and_report(None, out);
                        }
                    }
                    Err(e) => say_error(out, &e, None),
                }
            }
            Command::Protocol { choice } => match self.set_protocol(choice) {
                Ok(summary) => {
                    out(Reply::Split { summary, choice });
                    self.rescore_and_report(None, out);
                }
                Err(e) => say_error(out, &e, None),
            },
            Command::AddModel { source } => {
                let Some(Attachment::Bytes(bytes)) = attachment else {
                    return out(Reply::Error(ErrorReply::request("an add_model request needs the model file's bytes")));
                };
                let added = self.add_model(&source, &bytes, &mut scoring(out, None));
                match added {
                    Ok(result) => {
                        let replaced = self.keep_one_per_kind(result.model.id);
                        out(self.result_reply(result, false, false, replaced));
                    }
                    Err(e) => say_error(out, &e, None),
                }
            }
            other => out(Reply::Error(ErrorReply::request(format!("{other:?} is not queued work")))),
        }
    }

    /// Re-score every model but `except` on the current split and say so: a result
    /// per model, `dropped` for each that could not be scored.
    pub(super) fn rescore_and_report(&mut self, except: Option<u32>, out: &mut dyn FnMut(Reply)) {
        let rescored = self.rescore(except, &mut scoring(out, None));
        for result in rescored.results {
            out(self.result_reply(result, true, false, None));
        }
        for d in rescored.dropped {
            out(Reply::Dropped { model: d.id, kind: d.kind, message: d.error.to_string() });
        }
    }

    /// A result with the sorted scores of each of its views.
    pub(super) fn result_reply(
        &self,
        result: ModelResult,
        rescored: bool,
        cancelled: bool,
        replaced: Option<u32>,
    ) -> Reply {
        let id = result.model.id;
        let scores = result
            .views
            .iter()
            .filter_map(|v| {
                let s = self.sorted_scores(id, &v.test_set).ok()?;
                Some(ScoresOut { test: v.test_set.clone(), normal: s.normal, attack: s.attack })
            })
            .collect();
        let model_file = self.model_bytes(id).unwrap_or_default();
        Reply::Result { result, scores, model_file, rescored, cancelled, replaced }
    }
}

/// Work waiting: queued requests, and predictions exports being sent part by part.
#[derive(Default)]
pub(super) struct Queue {
    waiting: VecDeque<Queued>,
    exports: VecDeque<Streaming>,
}
