//! Windows of consecutive rows — what the autoencoders read — and their
//! reconstruction errors, computed on the written-out layers where they apply
//! (`flat.rs`) and on burn's forward pass otherwise.

use burn::prelude::*;
use rayon::prelude::*;

use super::flat::{FlatNet, Workspace};
use super::flat_train;
use super::network::{AeError, Network};
use crate::prepare::Features;

/// Windows of `seq_len` consecutive rows; window `i` ends at row `i` (the first
/// rows repeat row 0 to fill their window).
pub struct Windows<'a> {
    /// The rows.
    pub x: &'a Features,
    /// Rows per window.
    pub seq_len: usize,
}

impl Windows<'_> {
    /// The windows ending at `ends`, row-major `[ends.len(), seq_len, cols]`.
    pub fn values(&self, ends: &[usize]) -> Vec<f32> {
        let cols = self.x.cols;
        let mut values = Vec::with_capacity(ends.len() * self.seq_len * cols);
        for &end in ends {
            for k in 0..self.seq_len {
                let row = (end + k + 1).saturating_sub(self.seq_len);
                values.extend_from_slice(self.x.row(row));
            }
        }
        values
    }

    /// The windows ending at `ends` read in place, when they are one-record windows of
    /// consecutive rows (scoring every row: no copy).
    pub fn rows(&self, ends: &[usize]) -> Option<&[f32]> {
        let (&first, &last) = (ends.first()?, ends.last()?);
        let consecutive = self.seq_len == 1 && ends.windows(2).all(|w| w[1] == w[0] + 1);
        let cols = self.x.cols;
        consecutive.then(|| self.x.data.get(first * cols..(last + 1) * cols)).flatten()
    }

    /// The windows ending at `ends`, as one `[ends.len(), seq_len, cols]` tensor.
    pub fn tensor(&self, ends: &[usize], device: &Device) -> Tensor<3> {
        let values = self.values(ends);
        Tensor::from_data(TensorData::new(values, [ends.len(), self.seq_len, self.x.cols]), device)
    }
}

/// Whether `network` on windows of `seq_len` runs on the written-out layers
/// (`flat.rs`): the dense network always (a window is one flat input), the LSTMs on
/// one-record windows (no recurrence); longer LSTM windows run on burn's autodiff.
pub fn runs_flat(network: &Network, seq_len: usize) -> bool {
    seq_len == 1 || matches!(network, Network::Dense(_))
}

/// Rows scored per forward pass.
pub const SCORE_BATCH: usize = 1024;

/// Reconstruction MSE of every window ending at `ends` (mean over its steps and
/// features). The forward passes of [`SCORE_BATCH`] windows run on any thread; the
/// batches are the same whatever the thread count, so are the errors.
pub fn reconstruction_errors(
    network: &Network,
    windows: &Windows<'_>,
    ends: &[usize],
    device: &Device,
) -> Result<Vec<f64>, AeError> {
    if runs_flat(network, windows.seq_len) {
        return Ok(flat_errors(&FlatNet::from_network(network)?, windows, ends));
    }
    let batches: Vec<Vec<f32>> = ends
        .par_chunks(SCORE_BATCH)
        .map(|chunk| {
            let x = windows.tensor(chunk, device);
            let err = (network.forward(x.clone()) - x).square().mean_dim(2).mean_dim(1);
            err.into_data().try_into_vec::<f32>().map_err(|e| AeError::Backend(format!("{e:?}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(batches.into_iter().flatten().map(f64::from).collect())
}

/// [`reconstruction_errors`] on the written-out layers (windows of one record, or the
/// dense network's flattened windows).
pub(crate) fn flat_errors(net: &FlatNet, windows: &Windows<'_>, ends: &[usize]) -> Vec<f64> {
    let batches: Vec<Vec<f64>> = ends
        .par_chunks(SCORE_BATCH)
        .map_init(Workspace::default, |ws, chunk| match windows.rows(chunk) {
            Some(rows) => flat_train::errors(net, ws, rows, chunk.len()),
            None => flat_train::errors(net, ws, &windows.values(chunk), chunk.len()),
        })
        .collect();
    batches.concat()
}
