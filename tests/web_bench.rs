//! The in-browser half of the benchmark (not part of the test suite; run by
//! scripts/bench.sh): `netanomaly::bench::suite` — the same input and measurements
//! as `netanomaly bench-suite` natively — inside a dedicated worker in headless
//! Chromium, warmed up and repeated. Prints one `bench-figure {json}` line per figure
//! for the script to set beside the native figures.
#![cfg(target_arch = "wasm32")]

use netanomaly::bench::{self, SuiteConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn the_suite_in_a_worker() {
    let (train, test, text) = bench::standard_input().expect("the standard input");
    let reps = option_env!("BENCH_REPS").and_then(|r| r.parse().ok()).unwrap_or(5);
    let config = SuiteConfig { reps, ..SuiteConfig::default() };
    let figures = bench::suite(config, &train, &test, &text, &mut |done, total| console_log!("pass {done}/{total}"))
        .expect("the suite runs");
    for f in &figures {
        console_log!("bench-figure {}", serde_json::to_string(f).expect("a figure serialises"));
    }
}
