#!/usr/bin/env bash
# Build netanomaly, run it end to end on the real data (Isolation Forest on the
# nsl, kdd10-holdout and kdd10-corrected protocols), and serve the reports on
# 127.0.0.1. (The in-browser app replaces this page in a later issue.)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"

cargo build --release
mkdir -p outputs
for protocol in nsl kdd10-holdout kdd10-corrected; do
    echo "== eval --protocol $protocol"
    ./target/release/netanomaly eval --protocol "$protocol" --model if --out "outputs/$protocol"
done
{
    echo '<!doctype html><meta charset=utf-8><title>netanomaly</title>'
    echo '<style>body{font:18px system-ui,sans-serif;margin:2em}</style><h1>netanomaly reports</h1><ul>'
    for protocol in nsl kdd10-holdout kdd10-corrected; do
        echo "<li><a href=\"$protocol/report.html\">$protocol</a></li>"
    done
    echo '</ul>'
} > outputs/index.html

echo
echo "Open http://127.0.0.1:$port/ (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory outputs
