#!/usr/bin/env bash
# cargo for the threaded wasm build (pkg-threads/, the threaded benchmark): nightly,
# with std rebuilt (-Z build-std) for wasm32 with atomics, bulk memory and mutable
# globals (a shared memory, which the pool's Web Workers share), SIMD as in the
# single-thread build, and memory that may grow to 4 GiB as the single-thread build's
# can; in its own target dir, since other flags and another compiler would otherwise
# rebuild the stable build's files each time. Installs nightly and its rust-src where
# missing.
# Usage: scripts/threaded-cargo.sh build|test [cargo args…] (the target, features and
# target dir are added here).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    rustup component add rust-src --toolchain nightly
fi
command=$1
shift
# The linker is told to share and import the memory and to export the thread-local
# storage hooks wasm-bindgen's thread support calls (rustc no longer adds these itself).
link="--shared-memory --import-memory --max-memory=4294967296 --export=__wasm_init_tls --export=__tls_size --export=__tls_align --export=__tls_base"
flags="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128"
for arg in $link; do flags="$flags -C link-arg=$arg"; done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
exec cargo +nightly "$command" -Z build-std=panic_abort,std --target wasm32-unknown-unknown \
    --no-default-features --features threads --target-dir "${CARGO_TARGET_DIR:-target}/threads" "$@"
