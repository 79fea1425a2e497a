#!/usr/bin/env bash
# Train the models bundled with the page (www/models/) with the CLI on the real
# data, each set with the preparation that measured best for it: NSL-KDD with log1p,
# KDD99 (hold-out on the 10% set) without. Writes www/models/manifest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --features ndarray  # the features scripts/test.sh builds with: one burn build
bin=target/release/netanomaly
$bin train --protocol nsl --model if,dense,lstm,deep --log1p --seed 42 --out www/models/nsl
$bin train --protocol kdd10-holdout --model if,dense,lstm,deep --seed 42 --out www/models/kdd99
models() {
    local dir=$1
    local first=1
    for kind in if dense lstm deep; do
        [ $first = 1 ] || printf ', '
        first=0
        printf '{"kind": "%s", "file": "%s/%s.nam"}' "$kind" "$dir" "$kind"
    done
}
cat > www/models/manifest.json <<JSON
{
  "sets": [
    {"id": "nsl", "title": "NSL-KDD: trained on KDDTrain+ normals (log1p, label encoding, seed 42)", "format": "nsl-kdd", "protocol": "nsl",
     "models": [$(models nsl)]},
    {"id": "kdd99", "title": "KDD Cup 99: trained on 80% of the 10% set's normals (label encoding, seed 42)", "format": "kdd99", "protocol": "kdd10-holdout",
     "models": [$(models kdd99)]}
  ]
}
JSON
ls -l www/models/*/
