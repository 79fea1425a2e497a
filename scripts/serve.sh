#!/usr/bin/env bash
# Build the browser app and serve it on 127.0.0.1 (the page runs everything in the
# browser; the server only hands out files, .wasm as application/wasm, with the
# cross-origin isolation headers that let the page run on every core: scripts/serve.py).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
bash scripts/build-web.sh
echo
echo "Open http://127.0.0.1:$port/www/ (Ctrl-C to stop)"
exec python3 scripts/serve.py "$port"
