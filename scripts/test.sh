#!/usr/bin/env bash
# Run every test and gate: rustfmt and clippy (warnings are errors), native unit and
# integration tests (real data from ../shared/data or $NETANOMALY_DATA), the
# TypeScript check of www/ (tsc against the generated declarations), the wasm API in
# headless Chromium (wasm-bindgen-test, in a dedicated worker and on a page), and the
# page end to end (playwright-core driving Debian's Chromium, puppeteer-core driving
# Debian's Firefox ESR). Installs what a fresh machine lacks: rustfmt and clippy, the
# wasm32 target, the pinned wasm-bindgen-cli, chromium + chromium-driver, firefox-esr,
# node + npm, the npm packages (typescript included).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting (cargo fmt --check)"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
cargo fmt --check

echo "== native tests (release: the real-data tests read 1.1M rows; burn-ndarray built in to compare backends)"
cargo test --release --all-targets --features ndarray

echo "== lints (cargo clippy, warnings are errors)"
cargo clippy --release --all-targets --features ndarray -- -D warnings
# The wasm boundary (src/web.rs, src/web/) and the wasm tests compile only for wasm32.
rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
cargo clippy --release --target wasm32-unknown-unknown --no-default-features --features catalogue --lib --tests -- -D warnings

echo "== build the browser app (pkg/, pkg-threads/)"
bash scripts/build-web.sh

echo "== headless Chromium and its driver, Firefox ESR, node and npm"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== TypeScript check of www/ (tsc --noEmit)"
bash scripts/typecheck.sh

echo "== wasm API tests in headless Chromium (wasm-bindgen-test)"
WASM_BINDGEN_TEST_TIMEOUT=600 cargo test --release --target wasm32-unknown-unknown --no-default-features --features catalogue \
    --test web_worker --test web_charts --test web_catalogue --test web_memory --test web_flows -- --nocapture

echo "== end-to-end test of the page (playwright-core in Chromium, puppeteer-core in Firefox), with threads (COOP/COEP)"
bash tests/e2e/run.sh
echo "== the same, with the single-thread fallback (the host opts out of cross-origin isolation)"
# Not threads.test.mjs (it serves both ways itself: the same run twice) nor
# scale.test.mjs (threads only; the single-thread build at scale: web_flows above).
E2E_ISOLATION=off bash tests/e2e/run.sh --test --test-concurrency=1 e2e.test.mjs dashboard.test.mjs firefox.test.mjs teaching.test.mjs catalogue.test.mjs

echo "== all tests passed"
