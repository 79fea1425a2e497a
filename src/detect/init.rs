//! Weight initialisation from our own seeded generator (Keras's defaults: Glorot
//! uniform kernels, orthogonal recurrent kernels, zero biases), so the same seed
//! gives the same starting weights on every backend and platform.

use burn::module::Param;
use burn::prelude::*;

use crate::rng::Rng;

/// Uniform in `±sqrt(6 / (fan_in + fan_out))`, shape `[fan_in, fan_out]`.
pub fn glorot(rng: &mut Rng, fan_in: usize, fan_out: usize, device: &Device) -> Param<Tensor<2>> {
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
    let values: Vec<f32> = (0..fan_in * fan_out).map(|_| ((rng.next_f64() * 2.0 - 1.0) * limit) as f32).collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, [fan_in, fan_out]), device))
}

/// A `[rows, cols]` matrix (rows ≤ cols) with orthonormal rows, as Keras's
/// `Orthogonal` initialiser: Gram–Schmidt on Gaussian vectors.
pub fn orthogonal(rng: &mut Rng, rows: usize, cols: usize, device: &Device) -> Param<Tensor<2>> {
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(rows);
    while basis.len() < rows {
        let mut v: Vec<f64> = (0..cols).map(|_| gaussian(rng)).collect();
        for b in &basis {
            let dot: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(b).for_each(|(x, y)| *x -= dot * y);
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-6 {
            basis.push(v.into_iter().map(|x| x / norm).collect());
        }
    }
    let values: Vec<f32> = basis.into_iter().flatten().map(|x| x as f32).collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, [rows, cols]), device))
}

/// A constant vector.
pub fn constant(values: Vec<f32>, device: &Device) -> Param<Tensor<1>> {
    let n = values.len();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, [n]), device))
}

/// Standard normal by Box–Muller.
fn gaussian(rng: &mut Rng) -> f64 {
    let u = 1.0 - rng.next_f64();
    let v = rng.next_f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}
