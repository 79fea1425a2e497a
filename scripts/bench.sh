#!/usr/bin/env bash
# The benchmark: the same measurements (src/bench.rs `suite`: parse, Isolation Forest
# fit and score, each autoencoder's training and scoring, on the built-in
# generator's 494,021 rows) natively and in the tab (headless Chromium, a dedicated
# worker) from one run — in the tab with the single-thread build and with the threaded
# one (rayon's pool, one Web Worker a core), natively on one thread and on every core —
# warmed up and repeated; then the table of medians and ranges with the ratios, and the
# machine and browser. Natively also the
# scale figure (rows/s through the page's session code on a 4.9 M-row file) unless
# --no-scale. Prints figures; asserts nothing. Usage: scripts/bench.sh [--reps N] [--no-scale]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=5
scale=1
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) reps=$2; shift 2 ;;
        --no-scale) scale=0; shift ;;
        *) echo "usage: scripts/bench.sh [--reps N] [--no-scale]" >&2; exit 2 ;;
    esac
done
target=${CARGO_TARGET_DIR:-target}
out=$target/bench
mkdir -p "$out"

echo "== building (native release, wasm)" >&2
cargo build --release --quiet
bash scripts/build-web.sh >/dev/null

echo "== native, one thread ($reps timed passes)" >&2
"$target/release/netanomaly" bench-suite --threads 1 --reps "$reps" --json "$out/native-1.jsonl" >&2
echo "== native, every core ($(nproc); $reps timed passes)" >&2
"$target/release/netanomaly" bench-suite --threads 0 --reps "$reps" --json "$out/native-all.jsonl" >&2

echo "== the tab: headless Chromium, a dedicated worker ($reps timed passes)" >&2
BENCH_REPS=$reps WASM_BINDGEN_TEST_TIMEOUT=1800 cargo test --release --target wasm32-unknown-unknown \
    --no-default-features --test web_bench -- --nocapture 2>&1 \
    | sed -n 's/.*bench-figure \({.*}\).*/\1/p' > "$out/tab.jsonl"
[ -s "$out/tab.jsonl" ] || { echo "the tab's benchmark printed no figures" >&2; exit 1; }
echo "== the tab on every core: the threaded build, rayon's pool on Web Workers ($reps timed passes)" >&2
BENCH_REPS=$reps WASM_BINDGEN_TEST_TIMEOUT=1800 bash scripts/threaded-cargo.sh test --release --test web_bench -- --nocapture 2>&1 \
    | sed -n 's/.*bench-figure \({.*}\).*/\1/p' > "$out/tab-threads.jsonl"
[ -s "$out/tab-threads.jsonl" ] || { echo "the threaded tab's benchmark printed no figures" >&2; exit 1; }

scale_line=""
if [ "$scale" = 1 ]; then
    echo "== native scale: 4,940,210 rows through the session (enlarge, then bench-file)" >&2
    big=$(mktemp -d)/kdd-4.9M.csv.gz
    trap 'rm -rf "$(dirname "$big")"' EXIT
    data=${NETANOMALY_DATA:-../shared/data}
    "$target/release/netanomaly" enlarge "$data/kdd99/kddcup.data_10_percent.gz" "$big" >&2
    scale_line=$("$target/release/netanomaly" bench-file "$big" --model if 2>&1 | tee /dev/stderr | tail -n 20 | tr '\n' '\037')
fi

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB"
browser="$(chromium --version 2>/dev/null || echo 'chromium ?') headless"
rustc="$(rustc --version)"
python3 - "$out/native-1.jsonl" "$out/native-all.jsonl" "$out/tab.jsonl" "$out/tab-threads.jsonl" "$machine" "$browser" "$rustc" "$scale_line" <<'PY'
import json, sys
native_path, all_path, tab_path, tabs_path, machine, browser, rustc, scale = sys.argv[1:9]
load = lambda p: {f['name']: f for f in map(json.loads, open(p))}
native, every, tab, tabs = load(native_path), load(all_path), load(tab_path), load(tabs_path)
def show(v):
    return f'{v:,.0f}' if v >= 100 else f'{v:.3f}'
def cell(f):
    s = f['spread']
    return f"{show(s['median'])} ({show(s['min'])}–{show(s['max'])})"
print(f'\nnetanomaly benchmark — {machine}; {browser}; {rustc}')
print(f"median (min–max) of {len(next(iter(native.values()))['spread']['samples'])} timed passes after a warm-up; "
      "ratio = tab / native for throughputs, native / tab for seconds (> 1: the tab is faster)\n")
def ratio(a, b):
    am, bm = a['spread']['median'], b['spread']['median']
    return am / bm if a['higher_is_better'] else bm / am
print('| figure | unit | tab, 1 thread | tab, every core | native, 1 thread | native, every core '
      '| tab 1 ÷ native 1 | tab every ÷ native 1 | native every ÷ 1 |')
print('|---|---|---:|---:|---:|---:|---:|---:|---:|')
for name, n in native.items():
    t, ts, a = tab.get(name), tabs.get(name), every.get(name)
    if t is None or ts is None or a is None:
        continue
    print(f"| {n['label']} | {n['unit']} | {cell(t)} | {cell(ts)} | {cell(n)} | {cell(a)} "
          f"| {ratio(t, n):.2f} | {ratio(ts, n):.2f} | {ratio(a, n):.2f} |")
if scale:
    print('\nnative scale (bench-file, 4,940,210 rows):')
    for line in scale.split('\x1f'):
        if line.strip():
            print('  ' + line)
PY
