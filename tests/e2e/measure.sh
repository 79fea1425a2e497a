#!/usr/bin/env bash
# Print the page's acceptance figures (see measure.mjs). Needs pkg/ and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent
root=$(cd ../.. && pwd)
port=${E2E_PORT:-8766}
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 1
NETANOMALY_DATA=${NETANOMALY_DATA:-$root/../shared/data} BASE_URL="http://127.0.0.1:$port/www/" node measure.mjs
