#!/usr/bin/env bash
# Run every test: unit and integration tests (real data from ../shared/data or
# $NETANOMALY_DATA), then check that the library still compiles for wasm32.
# Installs what it needs on a fresh machine (the wasm32 target).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    rustup target add wasm32-unknown-unknown
fi

echo "== native tests (release: the real-data tests read 1.1M rows; burn-ndarray built in to compare backends)"
cargo test --release --all-targets --features ndarray

echo "== the library builds for wasm32-unknown-unknown (no CLI dependencies)"
cargo build --release --lib --target wasm32-unknown-unknown --no-default-features

echo "== all tests passed"
