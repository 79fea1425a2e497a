//! A run of training steps with the pool's threads kept in it from batch to batch.
//!
//! A parallel loop per batch hands the shards to the pool and waits for them; between
//! batches (Adam, the next batch's windows) the other threads find no work and go to
//! sleep, and each batch wakes them again. In the tab a wake is a cross-worker
//! `Atomics.notify` that costs a large part of a short batch. Here the calling thread
//! and up to [`SHARDS`] − 1 helpers claim the shards of each batch from one atomic word;
//! between batches the helpers spin. Nobody waits for a helper that has not claimed a
//! shard, so a helper the pool never starts (its threads busy elsewhere) costs nothing:
//! the caller does the shards itself. The shards, their order of summation and Adam are
//! [`FlatTrainer::step`]'s, so the weights are the same for any number of threads.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use super::flat::Workspace;
use super::flat_train::{shard, summed, values, FlatTrainer, SHARDS};

/// The batch being trained: its number (from 1) in the high bits, the next shard to
/// claim in the low byte (`CLOSED` once the batch is being published or finished).
struct Claims(AtomicUsize);

const CLOSED: usize = 0xff;

impl Claims {
    fn open(&self, batch: usize) {
        self.0.store(batch << 8, Ordering::Release);
    }

    fn close(&self, batch: usize) {
        self.0.store(batch << 8 | CLOSED, Ordering::Release);
    }

    /// A shard of `batch` nobody has taken, if any is left.
    fn claim(&self, batch: usize) -> Option<usize> {
        let mut word = self.0.load(Ordering::Acquire);
        loop {
            let next = word & 0xff;
            if word >> 8 != batch || next >= SHARDS {
                return None;
            }
            match self.0.compare_exchange_weak(word, word + 1, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Some(next),
                Err(now) => word = now,
            }
        }
    }

    fn batch(&self) -> usize {
        self.0.load(Ordering::Acquire) >> 8
    }
}

/// Runs its closure when dropped.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// What the caller and the helpers share.
struct Shared<'a> {
    claims: Claims,
    /// Shards of the current batch finished.
    done: AtomicUsize,
    quit: AtomicBool,
    /// The weights: read by the shards, written by Adam between batches.
    trainer: RwLock<&'a mut FlatTrainer>,
    /// The current batch's windows and rows.
    batch: RwLock<(Vec<f32>, usize)>,
    /// Each shard's workspace and sum of squared errors.
    shards: Vec<Mutex<(Workspace, f64)>>,
}

impl Shared<'_> {
    /// Train every shard of `batch` that is still unclaimed.
    fn work(&self, batch: usize) {
        while let Some(s) = self.claims.claim(batch) {
            // Counted even if the shard panics, so nobody spins for it forever.
            let _counted = OnDrop(|| {
                self.done.fetch_add(1, Ordering::AcqRel);
            });
            {
                let trainer = self.trainer.read().unwrap_or_else(PoisonError::into_inner);
                let data = self.batch.read().unwrap_or_else(PoisonError::into_inner);
                let mut slot = self.shards[s].lock().unwrap_or_else(PoisonError::into_inner);
                let (ws, sum) = &mut *slot;
                *sum = shard(trainer.net(), ws, s, &data.0, data.1);
            }
        }
    }

    /// A helper: the shards of each batch as it opens, until told to quit.
    fn help(&self) {
        let mut seen = 0;
        while !self.quit.load(Ordering::Acquire) {
            let batch = self.claims.batch();
            if batch != seen {
                self.work(batch);
                seen = batch;
            }
            spin_loop();
        }
    }
}

/// [`FlatTrainer::steps`] with `helpers` helpers.
pub fn run(
    trainer: &mut FlatTrainer,
    helpers: usize,
    next: &mut (dyn FnMut() -> Option<(Vec<f32>, usize)> + Send),
    learning_rate: f32,
) -> Vec<f64> {
    let workspaces = trainer.take_shards();
    let shared = Shared {
        claims: Claims(AtomicUsize::new(CLOSED)),
        done: AtomicUsize::new(0),
        quit: AtomicBool::new(false),
        trainer: RwLock::new(trainer),
        batch: RwLock::new((Vec::new(), 0)),
        shards: workspaces.into_iter().map(|w| Mutex::new((w, 0.0))).collect(),
    };
    let mut losses = Vec::new();
    rayon::scope(|scope| {
        // The helpers quit however this ends (a panic here included: the scope waits for them).
        let _quit = OnDrop(|| shared.quit.store(true, Ordering::Release));
        for _ in 0..helpers {
            scope.spawn(|_| shared.help());
        }
        let mut batch = 0;
        while let Some((x, rows)) = next() {
            batch += 1;
            *shared.batch.write().unwrap_or_else(PoisonError::into_inner) = (x, rows);
            shared.done.store(0, Ordering::Release);
            shared.claims.open(batch);
            shared.work(batch);
            while shared.done.load(Ordering::Acquire) < SHARDS {
                spin_loop();
            }
            shared.claims.close(batch);
            let slots: Vec<_> =
                shared.shards.iter().map(|m| m.lock().unwrap_or_else(PoisonError::into_inner)).collect();
            let grads = summed(&slots.iter().map(|slot| &slot.0).collect::<Vec<_>>());
            let sum: f64 = slots.iter().map(|slot| slot.1).sum();
            drop(slots);
            let mut trainer = shared.trainer.write().unwrap_or_else(PoisonError::into_inner);
            let loss = sum / values(trainer.net(), rows) as f64;
            trainer.adam(&grads, learning_rate);
            losses.push(loss);
            if !loss.is_finite() {
                break;
            }
        }
    });
    let Shared { trainer, shards, .. } = shared;
    let trainer = trainer.into_inner().unwrap_or_else(PoisonError::into_inner);
    trainer.put_shards(shards.into_iter().map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner).0).collect());
    losses
}
