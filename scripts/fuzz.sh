#!/usr/bin/env bash
# Fuzz the file loader and the model-file loader with cargo-fuzz (libFuzzer), each
# for FUZZ_SECONDS (default 120), from corpora seeded with the bad-input catalogue
# (`netanomaly catalogue`: every file made by our own code, never rows of the real
# data). Not part of CI's hot path. Crashes are written to fuzz/artifacts/<target>/; each one found gets a
# regression test in tests/bad_input.rs (or a case in src/catalogue/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-120}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

cargo build --release --features ndarray  # the features scripts/test.sh builds with: one burn build
bin=${CARGO_TARGET_DIR:-target}/release/netanomaly
load=fuzz/corpus/load
models=fuzz/corpus/model_file
mkdir -p "$load" "$models"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The bad-input catalogue (src/catalogue/), every case made by our own code: data
# cases seed the loader's corpus, model cases the model-file loader's.
$bin catalogue "$tmp/catalogue" 2>/dev/null
python3 - "$tmp/catalogue" "$load" "$models" <<'PY'
import json, shutil, sys
src, load, models = sys.argv[1:]
for case in json.load(open(f"{src}/catalogue.json")):
    dest = models if case["target"] == "model-file" else load
    shutil.copy(f"{src}/{case['name']}", f"{dest}/{case['name']}")
PY

# Beyond the catalogue: bigger valid files in every format, and several kinds of
# damage in one file.
$bin sample "$load/kdd99.csv" --rows 40 --seed 1 2>/dev/null
$bin sample "$load/nsl.txt" --rows 40 --format nsl-kdd --seed 2 2>/dev/null
gzip -c "$load/kdd99.csv" > "$load/kdd99.csv.gz"
# The other datasets' layouts, small: UNSW-NB15, CIC-IDS2017 (its Infinity rows and
# Windows-1252 dash), and a CSV with a header of its own (a label chosen by its name).
$bin sample "$load/unsw.csv" --rows 30 --format unsw-nb15 --seed 3 2>/dev/null
$bin sample "$load/cic.csv" --rows 30 --format cic-ids2017 --seed 4 2>/dev/null
printf 'bytes,proto,rate,class\n10,tcp,0.5,normal\n9000,udp,1,attack\n12,tcp,0.25,normal\n' > "$load/own.csv"
sed '2s/,tcp,/,sctp,/; 3s/^0,/NaN,/; 4s/^0,/-5,/; 5s/,SF,/,WEIRD,/' "$load/kdd99.csv" > "$load/damaged.csv"

# The model-file corpus also gets one small model of each kind, trained by the CLI.
$bin sample "$tmp/train.csv" --rows 400 --seed 5 2>/dev/null
$bin train --protocol single-file --train "$tmp/train.csv" --model if,dense,lstm,deep \
    --epochs 1 --trees 5 --lstm-hidden 4 --deep-sizes 4,2 --out "$tmp/models" >/dev/null 2>&1
cp "$tmp"/models/*.nam "$models/"

cd fuzz
for target in load model_file; do
    echo "== fuzzing $target for ${seconds}s"
    cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=262144 -print_final_stats=1 2>&1 \
        | grep -E "stat::number_of_executed_units|stat::new_units_added|Done|SUMMARY|panicked|deadly signal|Test unit written" || true
    crashes=$(find "artifacts/$target" -type f 2>/dev/null | wc -l)
    echo "   crashes saved in fuzz/artifacts/$target: $crashes"
done
