#!/usr/bin/env bash
# Serve the repository on 127.0.0.1 and run a node script against the page: the
# end-to-end tests by default (Chromium, and firefox.test.mjs in Firefox), or another
# script (`run.sh measure.mjs`).
# Needs pkg/ and pkg-threads/ (scripts/build-web.sh), /usr/bin/chromium and /usr/bin/firefox-esr.
set -euo pipefail
cd "$(dirname "$0")"
# The drivers only: never a browser download (the browsers are Debian's).
export PUPPETEER_SKIP_DOWNLOAD=1
[ -d node_modules/playwright-core ] && [ -d node_modules/puppeteer-core ] || npm install --no-audit --no-fund --silent
root=$(cd ../.. && pwd)
port=${E2E_PORT:-8765}
# E2E_ISOLATION: on (COOP/COEP: the threaded build), off (the host opts out: the
# single-thread fallback) or plain (no headers: the service worker isolates later loads).
python3 "$root/scripts/serve.py" "$port" --directory "$root" --isolation "${E2E_ISOLATION:-on}" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "http://127.0.0.1:$port/www/index.html" 2>/dev/null && break
    sleep 0.2
done
kill -0 "$server" 2>/dev/null || { echo "run.sh: the server did not start (is port $port taken? set E2E_PORT)" >&2; exit 1; }
export NETANOMALY_DATA=${NETANOMALY_DATA:-$root/../shared/data} BASE_URL="http://127.0.0.1:$port/www/"
if [ $# -gt 0 ]; then node "$@"; else node --test --test-concurrency=1 e2e.test.mjs dashboard.test.mjs threads.test.mjs firefox.test.mjs teaching.test.mjs catalogue.test.mjs scale.test.mjs; fi
