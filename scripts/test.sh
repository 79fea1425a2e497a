#!/usr/bin/env bash
# Run every test: native unit and integration tests (real data from ../shared/data or
# $NETANOMALY_DATA), the wasm API in headless Chromium (wasm-bindgen-test, in a
# dedicated worker and on a page), and the page end to end (playwright-core driving
# Debian's Chromium). Installs what a fresh machine lacks: the wasm32 target, the
# pinned wasm-bindgen-cli, chromium + chromium-driver, node + npm, the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== native tests (release: the real-data tests read 1.1M rows; burn-ndarray built in to compare backends)"
cargo test --release --all-targets --features ndarray

echo "== build the browser app (pkg/)"
bash scripts/build-web.sh

echo "== headless Chromium and its driver, node and npm"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== wasm API tests in headless Chromium (wasm-bindgen-test)"
WASM_BINDGEN_TEST_TIMEOUT=600 cargo test --release --target wasm32-unknown-unknown --no-default-features \
    --test web_worker --test web_charts --test web_catalogue

echo "== end-to-end test of the page (playwright-core)"
bash tests/e2e/run.sh

echo "== all tests passed"
