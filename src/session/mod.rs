//! A session: what the browser worker holds between messages — the loaded files,
//! the chosen protocol, models trained or loaded, their scores and evaluations —
//! as plain Rust, so it is tested natively; `web.rs` only converts to and from JS.

mod error_reply;
mod exports;
mod files;
mod handler;
mod models;
mod plan;
pub mod protocol;
mod records;
mod run;
mod training;
mod types;
mod views;

pub use handler::{Activity, Attachment, PART_ROWS};
pub use models::{DroppedModel, Rescored};
pub use types::*;

use std::cell::{Cell, OnceCell};

use crate::data::streamed::{Source, StreamSettings, Streamed};
use crate::data::Table;

use models::Entry;
use plan::{Plan, Test};
use training::Pending;

/// Top-scoring records kept per streamed test set.
pub const TOP_RECORDS: usize = 100;

/// Bins of the histograms in views.
pub const HISTOGRAM_BINS: usize = 60;

/// The worker's state.
pub struct Session {
    train: Option<(FileSummary, Table)>,
    /// A training file too large to hold (then `train` is `None`).
    streamed: Option<(FileSummary, Streamed, Box<dyn Source>)>,
    test: Option<(FileSummary, Table)>,
    stream_settings: StreamSettings,
    protocol: ProtocolChoice,
    models: Vec<Entry>,
    next_id: u32,
    pending: Option<Pending>,
    /// Bumped whenever the files or the protocol change: scores from an older
    /// generation describe other rows and must be re-scored before use.
    generation: u64,
    /// The split of the current generation, worked out once (see [`Session::split`]).
    plan: OnceCell<plan::PlanRows>,
    /// How many times the split was worked out (the cache's test counts them).
    plan_builds: Cell<u64>,
    /// Requests waiting their turn (see [`Session::handle`]).
    queue: handler::Queue,
    /// The training run in progress, if any.
    run: Option<run::Run>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// An empty session.
    pub fn new() -> Self {
        Self {
            train: None,
            streamed: None,
            test: None,
            stream_settings: StreamSettings::default(),
            protocol: ProtocolChoice::SingleFile,
            models: Vec::new(),
            next_id: 1,
            pending: None,
            generation: 0,
            plan: OnceCell::new(),
            plan_builds: Cell::new(0),
            queue: Default::default(),
            run: None,
        }
    }

    /// The files or the protocol changed: older scores describe other rows, and the
    /// split must be worked out again.
    fn bump(&mut self) {
        self.generation += 1;
        self.plan.take();
    }
}

/// Session-level mistakes (asking before loading, unknown ids).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Nothing loaded.
    #[error("load a file (or the built-in sample) first")]
    NoFile,
    /// The protocol needs a second file.
    #[error("this protocol needs a second file to test on; load one, or choose another protocol")]
    NoTestFile,
    /// No training run.
    #[error("no training is in progress")]
    NotTraining,
    /// Unknown model.
    #[error("there is no model {0} in this session")]
    NoModel(u32),
    /// Unknown test set.
    #[error("there is no test set {0:?} in this session")]
    NoTest(String),
    /// The all-rows demonstration on a file that is not held.
    #[error("the all-rows demonstration needs the file in memory; this file is streamed (too large to hold)")]
    StreamedAllRows,
    /// A papers' protocol (`kddcup`, `kddcup-rev`) on a file that is not held.
    #[error("the papers' protocols draw their rows from the whole file; this file is streamed (too large to hold)")]
    StreamedPapers,
    /// An explanation asked of a file that is not held.
    #[error("this test file is streamed (too large to hold), so its records cannot be explained; load a smaller file")]
    StreamedExplain,
    /// Scores from before the data or protocol changed.
    #[error("model {0} was scored on other data; re-score it on the current files first")]
    Stale(u32),
}
