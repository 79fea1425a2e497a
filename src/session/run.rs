//! A training run as the worker drives it: models trained one after another in steps
//! of a few batches, play / pause / step / cancel between them, and the "why 0.51"
//! demonstration (the dense autoencoder on every row, then on normal rows only, then
//! scored the wrong way round, then the other models re-scored).

use std::collections::VecDeque;

use super::handler::{say_error, scoring, Throttle};
use super::protocol::{DemoModel, Phase, ProgressReport, Reply};
use super::{ProtocolChoice, Session, SplitSummary};
use crate::detect::{Control, ModelKind};
use crate::pipeline::TrainSettings;

/// Batches per step: small enough that a cancel or a pause is heard within a
/// fraction of a second, large enough that stepping costs nothing.
pub const STEP_BATCHES: usize = 32;

/// The run of one `train` or `mistake` request.
pub(super) struct Run {
    /// The request's id.
    pub(super) id: u64,
    jobs: VecDeque<Job>,
    watch: bool,
    /// Pause at the next epoch boundary (step by step).
    pub(super) paused: bool,
    /// Epochs still to run before pausing again (Step).
    pub(super) steps_left: usize,
    pub(super) cancel: bool,
    /// Paused at a boundary, `paused` sent: nothing to do until play, step or cancel.
    pub(super) waiting: bool,
    pub(super) current: Option<Current>,
    demo: Option<Demo>,
}

/// The model training now.
pub(super) struct Current {
    job: Job,
    pub(super) kind: ModelKind,
    epochs: usize,
    epochs_done: usize,
    at_boundary: bool,
}

#[derive(Clone, Copy)]
enum Job {
    Train(TrainSettings),
    /// The demonstration's mistake: every row trains, attacks included (not kept).
    DemoAllRows(TrainSettings),
    /// The demonstration's right way: normal rows only (kept, like any result).
    DemoNormal(TrainSettings),
}

impl Job {
    fn settings(&self) -> TrainSettings {
        match *self {
            Job::Train(s) | Job::DemoAllRows(s) | Job::DemoNormal(s) => s,
        }
    }
}

struct Demo {
    /// The page's protocol, put back after the all-rows model.
    previous: ProtocolChoice,
    all_rows: Option<DemoModel>,
    /// The split the all-rows model trained and was scored on.
    split: Option<SplitSummary>,
    /// The protocol went round: the other models must be re-scored at the end.
    moved: bool,
    /// The normal-only dense model (already scored on the page's protocol).
    kept: Option<u32>,
}

impl Run {
    /// Train `models` one after another.
    pub(super) fn train(id: u64, models: Vec<TrainSettings>, watch: bool, paused: bool) -> Self {
        Self::new(id, models.into_iter().map(Job::Train).collect(), watch, paused, None)
    }

    /// The demonstration with dense-autoencoder `settings`, under the page's `protocol`.
    pub(super) fn mistake(id: u64, settings: TrainSettings, watch: bool, protocol: ProtocolChoice) -> Self {
        let jobs = [Job::DemoAllRows(settings), Job::DemoNormal(settings)].into();
        let demo = Demo { previous: protocol, all_rows: None, split: None, moved: false, kept: None };
        Self::new(id, jobs, watch, false, Some(demo))
    }

    fn new(id: u64, jobs: VecDeque<Job>, watch: bool, paused: bool, demo: Option<Demo>) -> Self {
        Self { id, jobs, watch, paused, steps_left: 0, cancel: false, waiting: false, current: None, demo }
    }
}

impl Session {
    /// One piece of the current run: start the next model, a step of batches, or
    /// finish a model. Returns false when the run is waiting (paused).
    pub(super) fn advance_run(&mut self, out: &mut dyn FnMut(Reply)) -> bool {
        let Some(mut run) = self.run.take() else { return true };
        let working = self.run_piece(&mut run, out);
        if run.current.is_none() && (run.jobs.is_empty() || run.cancel) {
            self.end_run(run, out);
        } else {
            self.run = Some(run);
        }
        working
    }

    fn run_piece(&mut self, run: &mut Run, out: &mut dyn FnMut(Reply)) -> bool {
        let Some(current) = &mut run.current else {
            if run.cancel {
                return true;
            }
            if let Some(job) = run.jobs.pop_front() {
                self.start_job(run, job, out);
            }
            return true;
        };
        let kind = current.kind;
        if kind != ModelKind::If && current.at_boundary && run.paused && run.steps_left == 0 && !run.cancel {
            if !run.waiting {
                run.waiting = true;
                out(Reply::Paused { kind, epoch: current.epochs_done, epochs: current.epochs });
            }
            return false;
        }
        if run.cancel {
            self.cancel_training();
        } else {
            let mut throttle = Throttle::new();
            let step = self.train_step(
                STEP_BATCHES,
                &mut |p| {
                    if throttle.ready(p.epoch_done) {
                        out(Reply::Progress(ProgressReport {
                            phase: Phase::Train,
                            done: (p.epoch - 1) * p.batches + p.batch,
                            total: Some(p.epochs * p.batches),
                            kind: Some(kind),
                            train: Some(*p),
                        }));
                    }
                    Control::Continue
                },
                run.watch,
            );
            match step {
                Ok(report) => {
                    current.at_boundary = report.epoch_done;
                    if report.epoch_done {
                        current.epochs_done += 1;
                        run.steps_left = run.steps_left.saturating_sub(1);
                        out(Reply::Epoch {
                            kind,
                            history: report.history,
                            histogram: report.histogram,
                            threshold: report.threshold,
                        });
                    }
                    if !report.done {
                        return true;
                    }
                }
                Err(e) => {
                    self.cancel_training();
                    say_error(out, &e, Some(kind));
                    let job = current.job;
                    run.current = None;
                    self.pending = None;
                    self.job_failed(run, job, out);
                    return true;
                }
            }
        }
        self.finish_job(run, out);
        true
    }

    fn start_job(&mut self, run: &mut Run, job: Job, out: &mut dyn FnMut(Reply)) {
        let settings = job.settings();
        let kind = settings.kind;
        if let (Job::DemoAllRows(_), Some(demo)) = (job, &mut run.demo) {
            match self.set_protocol(ProtocolChoice::AllRows) {
                Ok(split) => {
                    demo.moved = true;
                    demo.split = Some(split);
                }
                Err(e) => {
                    say_error(out, &e, Some(kind));
                    run.jobs.clear();
                    return;
                }
            }
        }
        out(Reply::Progress(ProgressReport { phase: Phase::Train, kind: Some(kind), ..Default::default() }));
        match self.start_training(settings) {
            Ok(()) => {
                let epochs = if kind == ModelKind::If { 0 } else { settings.autoencoder.train.epochs };
                run.current = Some(Current { job, kind, epochs, epochs_done: 0, at_boundary: true });
            }
            Err(e) => {
                say_error(out, &e, Some(kind));
                self.job_failed(run, job, out);
            }
        }
    }

    /// After a failed model: the demonstration stops and puts the protocol back; a
    /// plain run goes on with its next model.
    fn job_failed(&mut self, run: &mut Run, job: Job, out: &mut dyn FnMut(Reply)) {
        if let Some(demo) = &run.demo {
            run.jobs.clear();
            if matches!(job, Job::DemoAllRows(_)) {
                let previous = demo.previous;
                self.restore_protocol(previous, out);
            }
        }
    }

    fn restore_protocol(&mut self, previous: ProtocolChoice, out: &mut dyn FnMut(Reply)) {
        if let Err(e) = self.set_protocol(previous) {
            say_error(out, &e, None);
        }
    }

    fn finish_job(&mut self, run: &mut Run, out: &mut dyn FnMut(Reply)) {
        let Some(current) = run.current.take() else { return };
        let kind = current.kind;
        let finished = self.finish_training(&mut scoring(out, Some(kind)));
        let result = match finished {
            Ok(r) => r,
            Err(e) => {
                say_error(out, &e, Some(kind));
                self.job_failed(run, current.job, out);
                return;
            }
        };
        match current.job {
            Job::Train(_) => {
                let replaced = self.keep_one_per_kind(result.model.id);
                out(self.result_reply(result, false, run.cancel, replaced));
            }
            Job::DemoAllRows(_) => {
                self.remove_model(result.model.id);
                if let Some(demo) = &mut run.demo {
                    let view = result.views.first().cloned();
                    demo.all_rows = Some(DemoModel { model: result.model, view });
                    let previous = demo.previous;
                    self.restore_protocol(previous, out);
                }
            }
            Job::DemoNormal(_) => {
                let id = result.model.id;
                let replaced = self.keep_one_per_kind(id);
                let view = result.views.first().cloned();
                out(self.result_reply(result.clone(), false, run.cancel, replaced));
                let Some(demo) = &mut run.demo else { return };
                demo.kept = Some(id);
                let flipped = match view.as_ref().map(|v| self.flipped_view(id, &v.test_set)).transpose() {
                    Ok(f) => f,
                    Err(e) => {
                        say_error(out, &e, Some(kind));
                        None
                    }
                };
                if let (Some(all_rows), Some(split)) = (demo.all_rows.take(), demo.split.take()) {
                    out(Reply::Mistake {
                        normal: DemoModel { model: result.model, view },
                        all_rows,
                        all_rows_split: split,
                        flipped,
                    });
                }
            }
        }
    }

    /// The run is over: re-score what the demonstration left stale, then `done`.
    fn end_run(&mut self, run: Run, out: &mut dyn FnMut(Reply)) {
        if let Some(demo) = &run.demo {
            if self.protocol == ProtocolChoice::AllRows {
                self.restore_protocol(demo.previous, out);
            }
            if demo.moved {
                self.rescore_and_report(demo.kept, out);
            }
        }
        self.pending = None;
        out(Reply::Done { cancelled: run.cancel });
    }

    /// Play, pause, step or cancel the current run (answered at once).
    pub(super) fn transport(&mut self, what: Transport, out: &mut dyn FnMut(Reply)) {
        let Some(run) = &mut self.run else {
            if what == Transport::Cancel {
                out(Reply::Cancelled { kind: None });
            }
            return;
        };
        let kind = run.current.as_ref().map(|c| c.kind);
        match what {
            Transport::Play => {
                run.paused = false;
                run.steps_left = 0;
                if std::mem::take(&mut run.waiting) {
                    if let Some(kind) = kind {
                        out(Reply::Playing { kind, stepping: false });
                    }
                }
            }
            Transport::Pause => {
                run.paused = true;
                run.steps_left = 0;
            }
            Transport::Step => {
                if std::mem::take(&mut run.waiting) {
                    run.paused = true;
                    run.steps_left = 1;
                    if let Some(kind) = kind {
                        out(Reply::Playing { kind, stepping: true });
                    }
                } else if run.paused {
                    run.steps_left += 1;
                } else {
                    run.paused = true;
                    run.steps_left = 0;
                }
            }
            Transport::Cancel => {
                run.cancel = true;
                run.waiting = false;
                out(Reply::Cancelled { kind });
            }
        }
    }
}

/// The transport buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Transport {
    Play,
    Pause,
    Step,
    Cancel,
}
