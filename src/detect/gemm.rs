//! One safe matrix product over row-major `f32` slices, on the `gemm` crate (the
//! kernels burn-flex's matmul uses: AVX2/FMA natively, `simd128` with relaxed SIMD's
//! fused multiply-add in wasm), with either operand read transposed in place.

/// An operand: row-major values and whether to read them transposed.
#[derive(Clone, Copy)]
pub struct Operand<'a> {
    /// The values, row-major as stored.
    pub values: &'a [f32],
    /// Read the stored matrix transposed.
    pub transposed: bool,
}

impl<'a> Operand<'a> {
    /// The matrix as stored.
    pub fn plain(values: &'a [f32]) -> Self {
        Self { values, transposed: false }
    }

    /// The stored matrix, transposed.
    pub fn t(values: &'a [f32]) -> Self {
        Self { values, transposed: true }
    }
}

/// `c` `[m, n]` = (`c` +, when `accumulate`) `a` `[m, k]` · `b` `[k, n]`, on the calling
/// thread (the callers split work across threads themselves).
///
/// # Panics
/// When a slice is shorter than its shape: the sizes are the callers' invariants, and
/// this check is what makes the raw-pointer call below sound.
pub fn matmul(c: &mut [f32], a: Operand<'_>, b: Operand<'_>, [m, k, n]: [usize; 3], accumulate: bool) {
    assert!(c.len() >= m * n && a.values.len() >= m * k && b.values.len() >= k * n, "matmul shapes");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c[..m * n].fill(0.0);
        }
        return;
    }
    // Strides (column, row) of each logical matrix in its stored layout.
    let (a_cs, a_rs) = if a.transposed { (m as isize, 1) } else { (1, k as isize) };
    let (b_cs, b_rs) = if b.transposed { (k as isize, 1) } else { (1, n as isize) };
    // SAFETY: every index gemm reads or writes is within the asserted lengths: `c` holds
    // m·n values at (i·n + j), `a` m·k and `b` k·n at the strides above.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.values.as_ptr(),
            a_cs,
            a_rs,
            b.values.as_ptr(),
            b_cs,
            b_rs,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], at: bool, b: &[f32], bt: bool, [m, k, n]: [usize; 3]) -> Vec<f32> {
        let get_a = |i: usize, p: usize| if at { a[p * m + i] } else { a[i * k + p] };
        let get_b = |p: usize, j: usize| if bt { b[j * k + p] } else { b[p * n + j] };
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| get_a(i, p) * get_b(p, j)).sum();
            }
        }
        c
    }

    #[test]
    fn every_transposition_matches_the_textbook_product_and_accumulates() {
        let shape = [5, 7, 3];
        let a: Vec<f32> = (0..35).map(|v| (v as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..21).map(|v| (v as f32 * 0.71).cos()).collect();
        for (at, bt) in [(false, false), (true, false), (false, true), (true, true)] {
            let expected = naive(&a, at, &b, bt, shape);
            let op = |v, t| Operand { values: v, transposed: t };
            let mut c = vec![9.0; 15];
            matmul(&mut c, op(&a, at), op(&b, bt), shape, false);
            assert!(c.iter().zip(&expected).all(|(x, y)| (x - y).abs() < 1e-5), "{at} {bt}: {c:?}");
            matmul(&mut c, op(&a, at), op(&b, bt), shape, true);
            assert!(c.iter().zip(&expected).all(|(x, y)| (x - 2.0 * y).abs() < 1e-5), "{at} {bt} accumulated");
        }
    }
}
