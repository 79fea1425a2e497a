#!/usr/bin/env bash
# Type-check the page's JavaScript with tsc (the npm `typescript` package, installed
# into tests/e2e/node_modules): the workers against wasm-bindgen's pkg/netanomaly.d.ts
# and the message types ts-rs writes into pkg/types/ (the lib's export_bindings tests;
# run here when missing), every page module.
# Needs pkg/ (scripts/build-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/netanomaly.d.ts ] || { echo "pkg/netanomaly.d.ts is missing: run scripts/build-web.sh first" >&2; exit 1; }
if [ ! -f pkg/types/Response.ts ]; then
    cargo test --release --features ndarray --lib export_bindings -q
fi
# The boundary sends u64 as JS numbers (serde_wasm_bindgen's json_compatible
# serializer), where ts-rs writes bigint.
sed -i 's/\bbigint\b/number/g' pkg/types/*.ts
( cd tests/e2e && { [ -x node_modules/.bin/tsc ] || npm install --no-audit --no-fund --silent; } )
tsc=tests/e2e/node_modules/.bin/tsc
"$tsc" --version
"$tsc" -p www/tsconfig.worker.json
"$tsc" -p www/tsconfig.json
echo "typecheck: www/ clean"
