//! Training on the written-out layers (`flat.rs`): each batch split into a fixed number
//! of shards, each shard's forward and backward pass on any thread of rayon's pool (the
//! page's Web Workers in the threaded build), the shards' gradients summed in shard
//! order, then Adam — burn's Adam (β 0.9 / 0.999, ε 1e-5, its bias correction) on the
//! MSE. The split does not depend on the thread count, so neither do the weights.
//! Scoring runs the same forward pass.

use rayon::prelude::*;

use super::flat::{FlatNet, Workspace};
use super::network::{AeError, Network};

/// Shards a batch is split into: the parallelism available to one model's training
/// (fixed, so the numbers are the same on any number of threads).
pub const SHARDS: usize = 4;

const BETA_1: f32 = 0.9;
const BETA_2: f32 = 0.999;
const EPSILON: f32 = 1e-5;

/// Adam's moments of one buffer.
#[derive(Clone)]
struct Moments {
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Moments {
    fn new(len: usize) -> Self {
        Self { m: vec![0.0; len], v: vec![0.0; len] }
    }
}

/// Adam on a [`FlatNet`] with its shards' buffers.
pub struct FlatTrainer {
    net: FlatNet,
    moments: Vec<(Moments, Moments)>,
    time: i32,
    shards: Vec<Workspace>,
}

impl FlatTrainer {
    /// Ready to train `network`'s weights.
    pub fn new(network: &Network) -> Result<Self, AeError> {
        let net = FlatNet::from_network(network)?;
        let moments = net.layers.iter().map(|l| (Moments::new(l.w.len()), Moments::new(l.b.len()))).collect();
        Ok(Self { net, moments, time: 0, shards: (0..SHARDS).map(|_| Workspace::default()).collect() })
    }

    /// The weights as they stand.
    pub fn net(&self) -> &FlatNet {
        &self.net
    }

    /// One step of Adam on the mean squared error over `rows` rows of `x`; returns that
    /// mean (before the step).
    pub fn step(&mut self, x: &[f32], rows: usize, learning_rate: f32) -> f64 {
        let net = &self.net;
        let sums: Vec<f64> = self.shards.par_iter_mut().enumerate().map(|(s, ws)| shard(net, ws, s, x, rows)).collect();
        let workspaces: Vec<&Workspace> = self.shards.iter().collect();
        let grads = summed(&workspaces);
        let loss = sums.iter().sum::<f64>() / values(net, rows) as f64;
        self.adam(&grads, learning_rate);
        loss
    }

    /// Steps on the batches `next` hands out until it has none (or a loss is not finite);
    /// the losses. The same numbers as [`FlatTrainer::step`] on each, but on a pool of
    /// more than one thread the other threads stay in the run from batch to batch
    /// (`pool_steps.rs`); on one thread, a plain loop on a pool thread.
    pub fn steps(
        &mut self,
        next: &mut (dyn FnMut() -> Option<(Vec<f32>, usize)> + Send),
        learning_rate: f32,
    ) -> Vec<f64> {
        let helpers = rayon::current_num_threads().min(SHARDS).saturating_sub(1);
        if helpers == 0 {
            return rayon::scope(|_| {
                let mut losses = Vec::new();
                while let Some((x, rows)) = next() {
                    losses.push(self.step(&x, rows, learning_rate));
                    if !losses.last().is_some_and(|l| l.is_finite()) {
                        break;
                    }
                }
                losses
            });
        }
        super::pool_steps::run(self, helpers, next, learning_rate)
    }

    /// The shards' workspaces, for `pool_steps.rs` to lend out ...
    pub(super) fn take_shards(&mut self) -> Vec<Workspace> {
        std::mem::take(&mut self.shards)
    }

    /// ... and give back.
    pub(super) fn put_shards(&mut self, shards: Vec<Workspace>) {
        self.shards = shards;
    }

    /// Adam on the summed gradients.
    pub(super) fn adam(&mut self, grads: &[(Vec<f32>, Vec<f32>)], learning_rate: f32) {
        self.time += 1;
        let correction_2 = (1.0 - BETA_2.powi(self.time)).sqrt();
        let step = learning_rate * correction_2 / (1.0 - BETA_1.powi(self.time));
        let epsilon = EPSILON * correction_2;
        for ((layer, (gw, gb)), (mw, mb)) in self.net.layers.iter_mut().zip(grads.iter()).zip(&mut self.moments) {
            adam(&mut layer.w, gw, mw, step, epsilon);
            adam(&mut layer.b, gb, mb, step, epsilon);
        }
    }
}

/// Values in a batch of `rows` rows (the MSE's divisor).
pub(super) fn values(net: &FlatNet, rows: usize) -> usize {
    (rows * net.width()).max(1)
}

/// Shard `s` of the batch `x` (`rows` rows): its forward and backward pass into `ws`;
/// its sum of squared errors.
pub(super) fn shard(net: &FlatNet, ws: &mut Workspace, s: usize, x: &[f32], rows: usize) -> f64 {
    let width = net.width();
    let per_shard = rows.div_ceil(SHARDS).max(1);
    let (lo, hi) = ((s * per_shard).min(rows), ((s + 1) * per_shard).min(rows));
    ws.forward_backward(net, &x[lo * width..hi * width], hi - lo, 1.0 / values(net, rows) as f32)
}

/// The shards' gradients summed in shard order.
pub(super) fn summed(shards: &[&Workspace]) -> Vec<(Vec<f32>, Vec<f32>)> {
    let mut grads = shards.first().map_or_else(Vec::new, |w| w.grads.clone());
    for other in shards.iter().skip(1) {
        for ((gw, gb), (ow, ob)) in grads.iter_mut().zip(&other.grads) {
            gw.iter_mut().zip(ow).for_each(|(g, o)| *g += o);
            gb.iter_mut().zip(ob).for_each(|(g, o)| *g += o);
        }
    }
    grads
}

/// Burn's Adam update of one buffer (`step` and `epsilon` bias-corrected).
fn adam(weights: &mut [f32], grad: &[f32], moments: &mut Moments, step: f32, epsilon: f32) {
    let Moments { m, v } = moments;
    for (((w, g), m), v) in weights.iter_mut().zip(grad).zip(m.iter_mut()).zip(v.iter_mut()) {
        *m = BETA_1 * *m + (1.0 - BETA_1) * g;
        *v = BETA_2 * *v + (1.0 - BETA_2) * g * g;
        *w -= step * *m / (v.sqrt() + epsilon);
    }
}

/// Reconstruction MSE of each of `rows` rows of `x` (its mean over the row's values),
/// on `ws`'s buffers.
pub fn errors(net: &FlatNet, ws: &mut Workspace, x: &[f32], rows: usize) -> Vec<f64> {
    let width = net.width().max(1);
    ws.forward(net, x, rows);
    row_errors(ws.reconstruction(), x, width)
}

/// Rows summed side by side in [`row_errors`].
const ERROR_BLOCK: usize = 8;

/// Each row's mean squared difference between `y` and `x`. Each row's sum runs in the
/// row's own order (as `Iterator::sum` would), but [`ERROR_BLOCK`] rows' sums advance
/// together, so the additions do not wait on one another.
fn row_errors(y: &[f32], x: &[f32], width: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(y.len() / width);
    for (y, x) in y.chunks(ERROR_BLOCK * width).zip(x.chunks(ERROR_BLOCK * width)) {
        let n = y.len().min(x.len()) / width;
        let mut sums = [0.0f32; ERROR_BLOCK];
        for j in 0..width {
            for (r, sum) in sums.iter_mut().enumerate().take(n) {
                let d = y[r * width + j] - x[r * width + j];
                *sum += d * d;
            }
        }
        out.extend(sums[..n].iter().map(|s| f64::from(s / width as f32)));
    }
    out
}

#[cfg(test)]
mod tests {
    use burn::prelude::*;

    use super::*;
    use crate::detect::lstm::{DeepLstmAeConfig, LstmAeConfig};
    use crate::detect::network::DenseAeConfig;
    use crate::detect::train::{Control, TrainConfig, Trainer, Windows};
    use crate::prepare::Features;
    use crate::rng::Rng;

    fn rows(n: usize, cols: usize) -> Features {
        let mut rng = Rng::new(7);
        Features { rows: n, cols, data: (0..n * cols).map(|_| rng.next_f64() as f32).collect() }
    }

    fn networks(cols: usize, device: &Device) -> Vec<(&'static str, Network)> {
        vec![
            ("dense", Network::Dense(DenseAeConfig::new(cols).with_hidden(8).with_code(3).init(5, device))),
            ("lstm", Network::Lstm(LstmAeConfig::new(cols).with_hidden(6).init(5, device))),
            ("deep", Network::Deep(DeepLstmAeConfig::new(cols).with_outer(8).with_inner(4).init(5, device))),
        ]
    }

    fn train(network: Network, x: &Features, flat: bool, device: &Device) -> (Vec<f64>, Network) {
        let config = TrainConfig { epochs: 3, batch_size: 16, patience: 0, learning_rate: 0.01, ..Default::default() };
        let mut trainer = Trainer::with_engine(network, x.clone(), 1, config, device, flat).expect("trainer");
        while trainer.run_epoch(&mut |_| Control::Continue).expect("epoch") {}
        let losses = trainer.history().epochs.iter().map(|e| e.train_loss).collect();
        (losses, trainer.finish().expect("finish").0)
    }

    /// The blocked error sums are each row's own sum in its own order: equal to the
    /// plain per-row sum to the bit, for row counts around the block size.
    #[test]
    fn row_errors_are_each_rows_sum_to_the_bit() {
        for rows_n in [0, 1, 7, 8, 9, 17, 100] {
            let (y, x) = (rows(rows_n, 41), rows(rows_n + 3, 41));
            let x = &x.data[3 * 41..];
            let plain: Vec<f64> = y
                .data
                .chunks(41)
                .zip(x.chunks(41))
                .map(|(y, x)| f64::from(y.iter().zip(x).map(|(y, x)| (y - x) * (y - x)).sum::<f32>() / 41.0))
                .collect();
            let blocked = row_errors(&y.data, x, 41);
            assert_eq!(blocked.len(), rows_n);
            assert!(plain.iter().zip(&blocked).all(|(p, b)| p.to_bits() == b.to_bits()), "{rows_n} rows");
            assert!(rows_n == 0 || blocked.iter().any(|&e| e > 0.0));
        }
    }

    /// The written-out passes and burn's autodiff train the same weights: the same
    /// losses epoch by epoch and the same errors after (to float rounding, which the
    /// two sum in different orders).
    #[test]
    fn flat_training_matches_burns_autodiff_for_every_network() {
        let device = Device::flex().autodiff();
        let x = rows(100, 7);
        let windows = Windows { x: &x, seq_len: 1 };
        let all: Vec<usize> = (0..x.rows).collect();
        for ((name, a), (_, b)) in networks(x.cols, &device).into_iter().zip(networks(x.cols, &device)) {
            let (flat_losses, flat_net) = train(a, &x, true, &device);
            let (burn_losses, burn_net) = train(b, &x, false, &device);
            for (f, b) in flat_losses.iter().zip(&burn_losses) {
                assert!((f - b).abs() <= 1e-4 * b.abs(), "{name}: losses {flat_losses:?} vs {burn_losses:?}");
            }
            assert!(flat_losses[2] < flat_losses[0], "{name} learns: {flat_losses:?}");
            let flat_net = FlatNet::from_network(&flat_net).expect("flat");
            let from_flat = errors(&flat_net, &mut Workspace::default(), &x.data, x.rows);
            let inner = Device::flex();
            let burn_x = windows.tensor(&all, &inner);
            let burn_err =
                (burn_net.to_device(&inner).forward(burn_x.clone()) - burn_x).square().mean_dim(2).mean_dim(1);
            let burn_err: Vec<f32> = burn_err.into_data().try_to_vec().expect("errors");
            for (f, b) in from_flat.iter().zip(&burn_err) {
                assert!((f - f64::from(*b)).abs() <= 1e-3 * f64::from(*b) + 1e-7, "{name}: error {f} vs {b}");
            }
        }
    }

    /// The shards are fixed, so the weights are the same to the bit on any thread count,
    /// a parallel loop a batch (`step`) or the helpers kept from batch to batch (`steps`).
    #[test]
    fn the_thread_count_does_not_change_the_weights() {
        let device = Device::flex();
        let x = rows(300, 9);
        let run = |threads: usize, grouped: bool| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            pool.install(|| {
                let network = Network::Deep(DeepLstmAeConfig::new(9).with_outer(8).with_inner(4).init(3, &device));
                let mut trainer = FlatTrainer::new(&network).expect("trainer");
                let losses: Vec<f64> = if grouped {
                    let mut batches = x.data.chunks(64 * 9).map(|b| (b.to_vec(), b.len() / 9));
                    trainer.steps(&mut || batches.next(), 0.01)
                } else {
                    x.data.chunks(64 * 9).map(|b| trainer.step(b, b.len() / 9, 0.01)).collect()
                };
                (losses, trainer.net().layers.iter().flat_map(|l| l.w.clone()).collect::<Vec<f32>>())
            })
        };
        let one = run(1, false);
        assert_eq!(one.0.len(), 5);
        assert_eq!(one, run(3, false));
        for threads in [1, 2, 3, 6] {
            assert_eq!(one, run(threads, true), "{threads} threads, grouped");
        }
        assert!(one.0.last() < one.0.first(), "it learns: {:?}", one.0);
    }
}
