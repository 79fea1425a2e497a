//! `--threads N`: how many cores the commands that fit and score use. One rayon pool,
//! built once at start; the core's parallel loops run on it. Results do not depend on
//! N (forest trees draw from per-tree streams, scoring splits rows, never sums).

use anyhow::{Context, Result};
use clap::Args;

/// The thread-count option, flattened into the commands that fit or score.
#[derive(Args, Clone, Copy, Debug)]
pub struct Threads {
    /// Threads for forest fitting and scoring and autoencoder scoring (0 = every core;
    /// 1 = a single thread). Autoencoder training is always one thread.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

impl Threads {
    /// Build the global pool with this many threads (0: one per core) and return its size.
    pub fn install(self) -> Result<usize> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|i| format!("netanomaly-{i}"))
            .build_global()
            .context("cannot start the thread pool")?;
        Ok(rayon::current_num_threads())
    }
}
