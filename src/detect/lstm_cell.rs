//! The LSTM cell as one burn operation with its own backward pass (a burn backend
//! extension): from the summed gate pre-activations and the previous cell state, the
//! four activations, the new cell and the new hidden state in one pass over memory,
//! with branch-free `exp`, `σ` and `tanh` that the compiler vectorises (SIMD natively
//! and `simd128` in wasm).
//!
//! Written out with burn's tensor operations the cell was 17 operations forward and as
//! many backward, and burn-flex's `sigmoid` calls a scalar `expf` per element with a
//! branch: `perf` put that at 52 % of LSTM training natively. Here the forward pass
//! saves the activations, and the backward pass is the textbook LSTM gradient.

// burn-ndarray (deprecated in burn 0.22) is one of the routed backends when compiled in.
#![cfg_attr(feature = "ndarray", allow(deprecated))]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::Autodiff;
use burn::backend::tensor::FloatTensor;
#[cfg(feature = "ndarray")]
use burn::backend::NdArray;
use burn::backend::{backend_extension, Backend, Dispatch, Flex, TensorMetadata};
use burn::tensor::{Tensor, TensorData};

/// The fused cell on each backend the networks run on.
#[backend_extension(Autodiff, Flex, NdArray: cfg(feature = "ndarray"))]
pub trait LstmCellBackend: Backend {
    /// `gates` `[batch, 4·hidden]` (pre-activations, in order i, f, o, c) and the
    /// previous cell `[batch, hidden]` → `[batch, 2·hidden]`: the new hidden state,
    /// then the new cell.
    fn lstm_cell(gates: FloatTensor<Self>, cell: FloatTensor<Self>) -> FloatTensor<Self>;
}

impl LstmCellBackend for Flex {
    fn lstm_cell(gates: FloatTensor<Self>, cell: FloatTensor<Self>) -> FloatTensor<Self> {
        forward::<Self>(gates, cell).0
    }
}

#[cfg(feature = "ndarray")]
impl LstmCellBackend for NdArray {
    fn lstm_cell(gates: FloatTensor<Self>, cell: FloatTensor<Self>) -> FloatTensor<Self> {
        forward::<Self>(gates, cell).0
    }
}

/// The backward step: what the forward pass saved.
#[derive(Debug)]
struct CellBackward;

impl<B: Backend> Backward<B, 2> for CellBackward {
    /// The activations `[batch, 4·hidden]`, `tanh` of the new cell and the previous cell
    /// (both `[batch, hidden]`).
    type State = (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>);

    fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [node_gates, node_cell] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (activations, tanh_cell, previous) = ops.state;
        let (d_gates, d_cell) = backward::<B>(grad, activations, tanh_cell, previous);
        if let Some(node) = node_gates {
            grads.register::<B>(node.id, d_gates);
        }
        if let Some(node) = node_cell {
            grads.register::<B>(node.id, d_cell);
        }
    }
}

impl<B: Backend, C: CheckpointStrategy> LstmCellBackend for Autodiff<B, C> {
    fn lstm_cell(gates: FloatTensor<Self>, cell: FloatTensor<Self>) -> FloatTensor<Self> {
        match CellBackward.prepare::<C>([gates.node(), cell.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let previous = cell.primitive().clone();
                let (out, activations, tanh_cell) = forward::<B>(gates.primitive().clone(), previous.clone());
                prep.finish((activations, tanh_cell, previous), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(forward::<B>(gates.into_primitive(), cell.into_primitive()).0),
        }
    }
}

/// The fused cell on tensors of any device: `[batch, 2·hidden]`, hidden state then cell.
pub fn lstm_cell(gates: Tensor<2>, cell: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as LstmCellBackend>::lstm_cell(gates.into_dispatch(), cell.into_dispatch()))
}

/// A CPU backend's values. Its futures are ready at once (burn-flex and burn-ndarray
/// compute eagerly), so one poll reads them; a backend that is not would be told so
/// here rather than spun on.
fn values<B: Backend>(tensor: FloatTensor<B>) -> Vec<f32> {
    let future = pin!(B::float_into_data(tensor));
    let Poll::Ready(data) = future.poll(&mut Context::from_waker(Waker::noop())) else {
        panic!("lstm cell: this backend's tensors are not readable at once (the fused cell is for CPU backends)");
    };
    // A read fails only on a device that lost its memory (a GPU), not on these.
    let data = data.unwrap_or_else(|e| panic!("lstm cell: {e:?}"));
    data.try_into_vec::<f32>().unwrap_or_else(|e| panic!("lstm cell: {e:?}"))
}

fn tensor<B: Backend>(values: Vec<f32>, shape: [usize; 2], device: &B::Device) -> FloatTensor<B> {
    B::float_from_data(TensorData::new(values, shape), device)
}

/// Forward: the output `[batch, 2·hidden]`, the activations and `tanh` of the new cell.
fn forward<B: Backend>(
    gates: FloatTensor<B>,
    cell: FloatTensor<B>,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let device = gates.device();
    let [batch, width] = dims2::<B>(&gates);
    let h = width / 4;
    let mut act = values::<B>(gates);
    let previous = values::<B>(cell);
    let mut out = vec![0.0f32; batch * 2 * h];
    let mut tanh_cell = vec![0.0f32; batch * h];
    for (((a, c0), o), tc) in act
        .chunks_exact_mut(4 * h)
        .zip(previous.chunks_exact(h))
        .zip(out.chunks_exact_mut(2 * h))
        .zip(tanh_cell.chunks_exact_mut(h))
    {
        let (sig, cand) = a.split_at_mut(3 * h);
        sig.iter_mut().for_each(|x| *x = sigmoid(*x));
        cand.iter_mut().for_each(|x| *x = tanh(*x));
        let (i, rest) = sig.split_at(h);
        let (f, og) = rest.split_at(h);
        let (hid, new_cell) = o.split_at_mut(h);
        for j in 0..h {
            let c = f[j] * c0[j] + i[j] * cand[j];
            let t = tanh(c);
            new_cell[j] = c;
            tc[j] = t;
            hid[j] = og[j] * t;
        }
    }
    (
        tensor::<B>(out, [batch, 2 * h], &device),
        tensor::<B>(act, [batch, 4 * h], &device),
        tensor::<B>(tanh_cell, [batch, h], &device),
    )
}

/// Backward: from the gradient of `[hidden | cell]`, the gradients of the gate
/// pre-activations and of the previous cell.
fn backward<B: Backend>(
    grad: FloatTensor<B>,
    activations: FloatTensor<B>,
    tanh_cell: FloatTensor<B>,
    previous: FloatTensor<B>,
) -> (FloatTensor<B>, FloatTensor<B>) {
    let device = grad.device();
    let [batch, width] = dims2::<B>(&activations);
    let h = width / 4;
    let grad = values::<B>(grad);
    let act = values::<B>(activations);
    let tc = values::<B>(tanh_cell);
    let c0 = values::<B>(previous);
    let mut d_gates = vec![0.0f32; batch * 4 * h];
    let mut d_cell = vec![0.0f32; batch * h];
    for b in 0..batch {
        let (dh, dc_out) = grad[b * 2 * h..(b + 1) * 2 * h].split_at(h);
        let a = &act[b * 4 * h..(b + 1) * 4 * h];
        let (i, f, o, g) = (&a[..h], &a[h..2 * h], &a[2 * h..3 * h], &a[3 * h..]);
        let (tc, c0) = (&tc[b * h..(b + 1) * h], &c0[b * h..(b + 1) * h]);
        let dg = &mut d_gates[b * 4 * h..(b + 1) * 4 * h];
        let (dgi, rest) = dg.split_at_mut(h);
        let (dgf, rest) = rest.split_at_mut(h);
        let (dgo, dgg) = rest.split_at_mut(h);
        let dc0 = &mut d_cell[b * h..(b + 1) * h];
        for j in 0..h {
            let dc = dc_out[j] + dh[j] * o[j] * (1.0 - tc[j] * tc[j]);
            dgo[j] = dh[j] * tc[j] * o[j] * (1.0 - o[j]);
            dgi[j] = dc * g[j] * i[j] * (1.0 - i[j]);
            dgf[j] = dc * c0[j] * f[j] * (1.0 - f[j]);
            dgg[j] = dc * i[j] * (1.0 - g[j] * g[j]);
            dc0[j] = dc * f[j];
        }
    }
    (tensor::<B>(d_gates, [batch, 4 * h], &device), tensor::<B>(d_cell, [batch, h], &device))
}

fn dims2<B: Backend>(t: &FloatTensor<B>) -> [usize; 2] {
    let shape = t.shape();
    [shape[0], shape[1]]
}

/// `eˣ`, branch-free and call-free (so loops over it vectorise): `x = n·ln 2 + r` with
/// |r| ≤ ln 2 / 2,
/// Cephes' degree-6 polynomial for `eʳ` (about 1 ulp), and `2ⁿ` built in the exponent
/// bits. Inputs are clamped to where `f32` is finite and normal.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // 1.5·2²³: adding it rounds to an integer (to nearest) in the low mantissa bits, by
    // plain float addition — x86-64's baseline has no vector floor, and a `floorf` call
    // would stop the loop vectorising.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.33, 88.0);
    let t = x * std::f32::consts::LOG2_E + ROUND;
    let n = t - ROUND;
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = 1.987_569_2e-4_f32;
    let p = p * r + 1.398_2e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // n ∈ [-126, 127] (the low bits of t): 2ⁿ is a normal f32.
    let n = t.to_bits().wrapping_sub(ROUND.to_bits()) as i32;
    e * f32::from_bits(((n + 127) as u32) << 23)
}

/// `σ(x) = 1 / (1 + e⁻ˣ)`.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// `tanh(x) = 2·σ(2x) − 1`.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::activation;
    use burn::tensor::Distribution;

    #[test]
    fn exp_sigmoid_and_tanh_are_close_to_the_standard_library() {
        let mut worst = [0.0f64; 3];
        for k in -200_000..=200_000 {
            let x = k as f32 * 1e-4 * 8.0; // -160 … 160
            let rel = |a: f32, b: f32| if b == 0.0 { f64::from(a.abs()) } else { f64::from(((a - b) / b).abs()) };
            if x.abs() < 87.0 {
                worst[0] = worst[0].max(rel(exp(x), x.exp()));
            }
            worst[1] = worst[1].max(f64::from((sigmoid(x) - 1.0 / (1.0 + (-x).exp())).abs()));
            worst[2] = worst[2].max(f64::from((tanh(x) - x.tanh()).abs()));
        }
        assert!(worst[0] < 4e-7, "exp relative error {}", worst[0]);
        assert!(worst[1] < 2e-7, "sigmoid absolute error {}", worst[1]);
        assert!(worst[2] < 4e-7, "tanh absolute error {}", worst[2]);
        assert_eq!(exp(-1000.0), exp(-87.33));
        assert!(exp(88.0).is_finite() && exp(88.0) > 1.6e38);
        assert!(exp(1000.0).is_finite() && sigmoid(-1000.0) >= 0.0 && sigmoid(1000.0) == 1.0);
    }

    /// The cell written with burn's operations, as it was before the fused kernel.
    fn reference(gates: Tensor<2>, previous: Tensor<2>) -> Tensor<2> {
        let h = previous.dims()[1];
        let sig = activation::sigmoid(gates.clone().narrow(1, 0, 3 * h));
        let cand = activation::tanh(gates.narrow(1, 3 * h, h));
        let cell = sig.clone().narrow(1, h, h) * previous + sig.clone().narrow(1, 0, h) * cand;
        let hidden = sig.narrow(1, 2 * h, h) * activation::tanh(cell.clone());
        Tensor::cat(vec![hidden, cell], 1)
    }

    fn max_diff(a: Tensor<2>, b: Tensor<2>) -> f32 {
        (a - b).abs().max().into_scalar::<f32>()
    }

    #[test]
    fn the_fused_cell_matches_burns_operations_forward_and_backward() {
        let device = burn::tensor::Device::flex().autodiff();
        let (batch, h) = (7, 5);
        let gates = Tensor::<2>::random([batch, 4 * h], Distribution::Normal(0.0, 2.0), &device).require_grad();
        let previous = Tensor::<2>::random([batch, h], Distribution::Normal(0.0, 1.0), &device).require_grad();
        // A weighting of the outputs, so every output's gradient differs.
        let weights = Tensor::<2>::random([batch, 2 * h], Distribution::Normal(0.0, 1.0), &device);

        let fused = lstm_cell(gates.clone(), previous.clone());
        let expected = reference(gates.clone(), previous.clone());
        assert!(max_diff(fused.clone(), expected.clone()) < 1e-6);

        let grads_fused = (fused * weights.clone()).sum().backward();
        let grads_expected = (expected * weights).sum().backward();
        for t in [&gates, &previous] {
            let (a, b) = (t.grad(&grads_fused).expect("fused grad"), t.grad(&grads_expected).expect("grad"));
            let d = max_diff(a.clone(), b);
            assert!(d < 1e-5, "gradient differs by {d}");
            assert!(a.abs().sum().into_scalar::<f32>() > 0.1, "a gradient that cannot be told from zero");
        }
    }

    #[test]
    fn without_autodiff_the_fused_cell_gives_the_same_values() {
        let device = burn::tensor::Device::flex();
        let gates = Tensor::<2>::random([3, 8], Distribution::Normal(0.0, 3.0), &device);
        let previous = Tensor::<2>::random([3, 2], Distribution::Normal(0.0, 1.0), &device);
        assert!(max_diff(lstm_cell(gates.clone(), previous.clone()), reference(gates, previous)) < 1e-6);
    }
}
