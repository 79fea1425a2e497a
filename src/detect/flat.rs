//! The three autoencoders on one-record windows as a plain chain of layers over `f32`
//! slices — a matrix product plus bias, then ReLU, nothing, or the LSTM cell — with
//! the forward and backward pass written out: the training and scoring kernels beside
//! burn (`flat_train.rs` trains on them). Burn's autodiff pays per operation (graph
//! nodes, allocations, the tensor API's bookkeeping): with layers this small that cost
//! was a third of a step, and paid again for each shard a batch is split into.
//!
//! On a one-step window an LSTM layer starts from zero state, so its recurrent kernel
//! never enters and the forget gate multiplies a zero cell: the layer is `x·W + b`
//! then the cell on the input, output and cell gates alone. The forget columns' and
//! the recurrent kernel's gradients are zero there, so training leaves them as they
//! are — exactly what burn's Adam does with a zero gradient.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;

use super::gemm::{matmul, Operand};
use super::lstm::LstmLayer;
use super::lstm_cell::{sigmoid, tanh};
use super::network::{AeError, Network};

/// What follows a layer's product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// `max(z, 0)`.
    Relu,
    /// The output layer.
    Identity,
    /// The LSTM cell from zero state on gates `[i | o | c]`, `hidden` each: `h = σ(o)·tanh(σ(i)·tanh(c))`.
    Lstm,
}

/// One layer: `z = x·w + b`, `w` `[inputs, width]` row-major, then the activation.
#[derive(Clone, Debug)]
pub struct Layer {
    /// What follows the product.
    pub activation: Activation,
    /// Inputs.
    pub inputs: usize,
    /// Columns of `w` (three gates of `hidden` for an LSTM layer).
    pub width: usize,
    /// The kernel.
    pub w: Vec<f32>,
    /// The bias.
    pub b: Vec<f32>,
}

/// A network as layers.
#[derive(Clone, Debug)]
pub struct FlatNet {
    /// In order from the input.
    pub layers: Vec<Layer>,
}

fn values<const D: usize>(param: &Param<Tensor<D>>) -> Result<Vec<f32>, AeError> {
    param.val().into_data().try_to_vec::<f32>().map_err(|e| AeError::Backend(format!("{e:?}")))
}

fn replaced<const D: usize>(param: Param<Tensor<D>>, values: Vec<f32>) -> Param<Tensor<D>> {
    param.map(|t| {
        let shape = t.shape();
        Tensor::from_data(TensorData::new(values, shape), &t.device())
    })
}

/// The gate columns kept of a `[.., 4·hidden]` LSTM kernel row (order i, f, o, c): i, o, c.
fn lstm_columns(hidden: usize) -> [std::ops::Range<usize>; 3] {
    [0..hidden, 2 * hidden..3 * hidden, 3 * hidden..4 * hidden]
}

fn dense_layer(linear: &Linear, activation: Activation) -> Result<Layer, AeError> {
    let [inputs, width] = linear.weight.val().dims();
    let b = match &linear.bias {
        Some(bias) => values(bias)?,
        None => vec![0.0; width],
    };
    Ok(Layer { activation, inputs, width, w: values(&linear.weight)?, b })
}

fn lstm_layer(layer: &LstmLayer) -> Result<Layer, AeError> {
    let h = layer.hidden;
    let [inputs, _] = layer.kernel.val().dims();
    let (kernel, bias) = (values(&layer.kernel)?, values(&layer.bias)?);
    let pick = |row: &[f32]| lstm_columns(h).into_iter().flat_map(|r| row[r].to_vec()).collect::<Vec<_>>();
    let w = kernel.chunks(4 * h).flat_map(pick).collect();
    Ok(Layer { activation: Activation::Lstm, inputs, width: 3 * h, w, b: pick(&bias) })
}

fn write_dense(linear: Linear, layer: &Layer) -> Linear {
    Linear { weight: replaced(linear.weight, layer.w.clone()), bias: linear.bias.map(|b| replaced(b, layer.b.clone())) }
}

fn write_lstm(mut target: LstmLayer, layer: &Layer) -> Result<LstmLayer, AeError> {
    let h = target.hidden;
    let (mut kernel, mut bias) = (values(&target.kernel)?, values(&target.bias)?);
    let put = |row: &mut [f32], from: &[f32]| {
        for (k, r) in lstm_columns(h).into_iter().enumerate() {
            row[r].copy_from_slice(&from[k * h..(k + 1) * h]);
        }
    };
    for (row, from) in kernel.chunks_mut(4 * h).zip(layer.w.chunks(3 * h)) {
        put(row, from);
    }
    put(&mut bias, &layer.b);
    target.kernel = replaced(target.kernel, kernel);
    target.bias = replaced(target.bias, bias);
    Ok(target)
}

impl FlatNet {
    /// The layers of `network` as it computes a one-record window (the dense network:
    /// any window, flattened).
    pub fn from_network(network: &Network) -> Result<Self, AeError> {
        use Activation::{Identity, Relu};
        let layers = match network {
            Network::Dense(m) => {
                let last = m.layers.len().saturating_sub(1);
                let kind = |i| if i < last { Relu } else { Identity };
                m.layers.iter().enumerate().map(|(i, l)| dense_layer(l, kind(i))).collect::<Result<_, _>>()?
            }
            Network::Lstm(m) => {
                vec![lstm_layer(&m.encoder)?, lstm_layer(&m.decoder)?, dense_layer(&m.output, Identity)?]
            }
            Network::Deep(m) => vec![
                lstm_layer(&m.encoder_outer)?,
                lstm_layer(&m.encoder_inner)?,
                lstm_layer(&m.decoder_inner)?,
                lstm_layer(&m.decoder_outer)?,
                dense_layer(&m.output, Identity)?,
            ],
        };
        Ok(Self { layers })
    }

    /// `network` with these weights (its recurrent kernels and forget columns as they were).
    pub fn write_into(&self, network: Network) -> Result<Network, AeError> {
        let l = &self.layers;
        Ok(match network {
            Network::Dense(mut m) => {
                m.layers = m.layers.into_iter().zip(l).map(|(t, f)| write_dense(t, f)).collect();
                Network::Dense(m)
            }
            Network::Lstm(mut m) => {
                m.encoder = write_lstm(m.encoder, &l[0])?;
                m.decoder = write_lstm(m.decoder, &l[1])?;
                m.output = write_dense(m.output, &l[2]);
                Network::Lstm(m)
            }
            Network::Deep(mut m) => {
                m.encoder_outer = write_lstm(m.encoder_outer, &l[0])?;
                m.encoder_inner = write_lstm(m.encoder_inner, &l[1])?;
                m.decoder_inner = write_lstm(m.decoder_inner, &l[2])?;
                m.decoder_outer = write_lstm(m.decoder_outer, &l[3])?;
                m.output = write_dense(m.output, &l[4]);
                Network::Deep(m)
            }
        })
    }

    /// Values per row in and out.
    pub fn width(&self) -> usize {
        self.layers.first().map_or(0, |l| l.inputs)
    }
}

/// One thread's buffers for a slice of rows: what the forward pass keeps for the
/// backward pass, and this slice's gradients.
#[derive(Default)]
pub struct Workspace {
    /// Each layer's pre-activations, overwritten by its activations (`[rows, width]`).
    z: Vec<Vec<f32>>,
    /// Each layer's output (`[rows, outputs]`; an LSTM layer's `h`, else empty: `z` is it).
    out: Vec<Vec<f32>>,
    /// An LSTM layer's `tanh` of its cell.
    tanh_c: Vec<Vec<f32>>,
    d_out: Vec<f32>,
    d_in: Vec<f32>,
    d_gates: Vec<f32>,
    /// This slice's gradients, per layer: kernel then bias.
    pub grads: Vec<(Vec<f32>, Vec<f32>)>,
}

/// Layer `l`'s output: an LSTM layer's `h`, else its activations.
fn output<'a>(z: &'a [Vec<f32>], out: &'a [Vec<f32>], l: usize) -> &'a [f32] {
    if out[l].is_empty() {
        &z[l]
    } else {
        &out[l]
    }
}

impl Workspace {
    /// Forward over `rows` rows of `x`; the reconstruction is [`Workspace::reconstruction`].
    pub fn forward(&mut self, net: &FlatNet, x: &[f32], rows: usize) {
        let n = net.layers.len();
        self.z.resize_with(n, Vec::new);
        self.out.resize_with(n, Vec::new);
        self.tanh_c.resize_with(n, Vec::new);
        for (l, layer) in net.layers.iter().enumerate() {
            let mut z = std::mem::take(&mut self.z[l]);
            // Every value is overwritten by the product: no fill needed.
            z.resize(rows * layer.width, 0.0);
            let input = if l == 0 { x } else { output(&self.z, &self.out, l - 1) };
            matmul(&mut z, Operand::plain(input), Operand::plain(&layer.w), [rows, layer.inputs, layer.width], false);
            // The bias and the activation in one pass a row (`b + Σ`, the same sum gemm
            // formed when it accumulated onto the bias); the ReLU as a comparison, so it
            // vectorises (`f32::max`'s NaN rule does not map onto wasm's `max`).
            let rows_of_z = z.chunks_exact_mut(layer.width.max(1));
            let add_bias = |r: &mut [f32]| r.iter_mut().zip(&layer.b).for_each(|(v, b)| *v += b);
            match layer.activation {
                Activation::Identity => rows_of_z.for_each(add_bias),
                Activation::Relu => rows_of_z.for_each(|r| {
                    r.iter_mut().zip(&layer.b).for_each(|(v, b)| {
                        let s = *v + b;
                        *v = if s > 0.0 { s } else { 0.0 }
                    })
                }),
                Activation::Lstm => {
                    rows_of_z.for_each(add_bias);
                    let h = layer.width / 3;
                    let (out, tanh_c) = (&mut self.out[l], &mut self.tanh_c[l]);
                    out.resize(rows * h, 0.0);
                    tanh_c.resize(rows * h, 0.0);
                    for ((gates, h_row), t_row) in z.chunks_mut(3 * h).zip(out.chunks_mut(h)).zip(tanh_c.chunks_mut(h))
                    {
                        let (i, rest) = gates.split_at_mut(h);
                        let (o, g) = rest.split_at_mut(h);
                        for ((((i, o), g), hv), tv) in i.iter_mut().zip(o).zip(g).zip(h_row).zip(t_row) {
                            *i = sigmoid(*i);
                            *o = sigmoid(*o);
                            *g = tanh(*g);
                            *tv = tanh(*i * *g);
                            *hv = *o * *tv;
                        }
                    }
                }
            }
            self.z[l] = z;
        }
    }

    /// The last forward pass's output.
    pub fn reconstruction(&self) -> &[f32] {
        self.z.len().checked_sub(1).map_or(&[], |l| output(&self.z, &self.out, l))
    }

    /// Forward and backward over `rows` rows of `x`: fills [`Workspace::grads`] with the
    /// gradient of `Σ (y − x)² · scale` and returns `Σ (y − x)²` (in `f64`).
    pub fn forward_backward(&mut self, net: &FlatNet, x: &[f32], rows: usize, scale: f32) -> f64 {
        self.forward(net, x, rows);
        let n = net.layers.len();
        self.grads.resize_with(n, Default::default);
        let mut sum = 0.0f64;
        self.d_out.clear();
        let last = if n == 0 { &[][..] } else { output(&self.z, &self.out, n - 1) };
        for (y, x) in last.iter().zip(x) {
            let d = y - x;
            sum += f64::from(d * d);
            self.d_out.push(2.0 * scale * d);
        }
        for (l, layer) in net.layers.iter().enumerate().rev() {
            // d_out becomes the gradient of the pre-activations, in place.
            let d = &mut self.d_out;
            match layer.activation {
                Activation::Identity => {}
                Activation::Relu => {
                    d.iter_mut().zip(&self.z[l]).for_each(|(d, a)| *d = if *a > 0.0 { *d } else { 0.0 })
                }
                Activation::Lstm => {
                    let h = layer.width / 3;
                    let dz = &mut self.d_gates;
                    dz.clear();
                    dz.resize(rows * layer.width, 0.0);
                    for (((dz, gates), dh), tc) in
                        dz.chunks_mut(3 * h).zip(self.z[l].chunks(3 * h)).zip(d.chunks(h)).zip(self.tanh_c[l].chunks(h))
                    {
                        let (dzi, rest) = dz.split_at_mut(h);
                        let (dzo, dzg) = rest.split_at_mut(h);
                        let (i, rest) = gates.split_at(h);
                        let (o, g) = rest.split_at(h);
                        for j in 0..h {
                            let dc = dh[j] * o[j] * (1.0 - tc[j] * tc[j]);
                            dzi[j] = dc * g[j] * i[j] * (1.0 - i[j]);
                            dzo[j] = dh[j] * tc[j] * o[j] * (1.0 - o[j]);
                            dzg[j] = dc * i[j] * (1.0 - g[j] * g[j]);
                        }
                    }
                    std::mem::swap(d, dz);
                }
            }
            let input = if l == 0 { x } else { output(&self.z, &self.out, l - 1) };
            let (gw, gb) = &mut self.grads[l];
            gw.resize(layer.inputs * layer.width, 0.0);
            matmul(gw, Operand::t(input), Operand::plain(d), [layer.inputs, rows, layer.width], false);
            gb.clear();
            gb.resize(layer.width, 0.0);
            for row in d.chunks(layer.width) {
                gb.iter_mut().zip(row).for_each(|(g, v)| *g += v);
            }
            if l > 0 {
                self.d_in.resize(rows * layer.inputs, 0.0);
                matmul(
                    &mut self.d_in,
                    Operand::plain(d),
                    Operand::t(&layer.w),
                    [rows, layer.width, layer.inputs],
                    false,
                );
                std::mem::swap(&mut self.d_out, &mut self.d_in);
            }
        }
        sum
    }
}
