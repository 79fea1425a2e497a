#!/usr/bin/env bash
# Build the browser app: the library for wasm32, then wasm-bindgen's JS glue into
# pkg/. Installs what a fresh machine lacks (the wasm32 target, the pinned
# wasm-bindgen-cli). The site is www/ + pkg/ + www/models/, all relative URLs.
set -euo pipefail
cd "$(dirname "$0")/.."
# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    # No --locked: one locked dependency is missing from the registry mirror here.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

cargo build --release --lib --target wasm32-unknown-unknown --no-default-features
wasm-bindgen --target web --no-typescript --out-dir pkg "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/netanomaly.wasm"
raw=$(stat -c %s pkg/netanomaly_bg.wasm)
gz=$(gzip -9 -c pkg/netanomaly_bg.wasm | wc -c)
echo "pkg/netanomaly_bg.wasm: $raw bytes raw, $gz bytes gzipped"
