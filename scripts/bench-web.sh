#!/usr/bin/env bash
# In-browser throughput (headless Chromium, a dedicated worker), to compare with
# `cargo run --release --features ndarray -- bench`. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh >/dev/null
WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release --target wasm32-unknown-unknown --no-default-features \
    --test web_bench -- --nocapture 2>&1 | grep -E "wasm bench|test result"
