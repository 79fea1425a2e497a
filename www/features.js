/**
 * What the page's WebAssembly needs of the browser beyond WebAssembly itself, checked
 * before either build is loaded, so a browser without it is told so in words rather
 * than shown a compile error.
 */

/**
 * One function with one `f32x4.relaxed_madd`: both builds' matrix products use relaxed
 * SIMD's fused multiply-add (vendor/gemm-f32, netanomaly's patch).
 */
const RELAXED_SIMD = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 125, 125, 125, 1, 125, 3, 2, 1, 0,
  7, 8, 1, 4, 109, 97, 100, 100, 0, 0, 10, 22, 1, 20, 0, 32, 0, 253, 19, 32, 1, 253, 19, 32, 2, 253, 19, 253, 133, 2,
  253, 31, 0, 11]);

/** Why this browser cannot run the page's WebAssembly, or null when it can. @returns {string | null} */
export function missingWasmFeature() {
  return WebAssembly.validate(RELAXED_SIMD)
    ? null
    : 'this browser has no WebAssembly relaxed SIMD, which the page needs (current Chromium and Firefox have it)';
}
