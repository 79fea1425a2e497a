//! The in-browser benchmark (not part of the test suite's assertions; run by
//! scripts/bench-web.sh): the library's `bench` code inside a dedicated worker in
//! headless Chromium, on synthetic KDD-shaped rows (throughput does not depend on
//! the values). Prints samples/s and seconds beside what `netanomaly bench` prints.
#![cfg(target_arch = "wasm32")]

use netanomaly::bench;
use netanomaly::data::{self, protocol, synth, Format};
use netanomaly::detect::{Backend, ModelKind};
use netanomaly::prepare::{Preparation, PrepareConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn throughput_in_a_worker() {
    let start = web_time::Instant::now();
    let text = synth::generate(494_021, 0.8, Format::Kdd99, 42);
    let generated = start.elapsed().as_secs_f64();
    let start = web_time::Instant::now();
    let table = data::read_bytes(text.as_bytes()).unwrap();
    let parse = start.elapsed().as_secs_f64();
    let split = protocol::holdout(&table, 0.8, 42).unwrap();
    let prep = Preparation::fit(PrepareConfig::default(), &split.train).unwrap();
    let x_train = prep.transform(&split.train);
    let x_test = prep.transform(&split.tests[0]);
    console_log!(
        "wasm bench: generated {} rows in {generated:.2}s; parsed at {:.0} rows/s",
        table.rows(),
        table.rows() as f64 / parse
    );
    let f = bench::forest(&x_train, &x_test, 42).unwrap();
    console_log!(
        "wasm bench: IF fit {:.3}s on {} rows, score {:.3}s for {} rows",
        f.fit_seconds,
        x_train.rows,
        f.score_seconds,
        f.rows
    );
    let train = bench::head(&x_train, 20_000);
    let test = bench::head(&x_test, 100_000);
    for kind in [ModelKind::Dense, ModelKind::Lstm, ModelKind::Deep] {
        let a = bench::autoencoder(kind, Backend::Flex, &train, &test, 42).unwrap();
        console_log!(
            "wasm bench: {:<6} flex train {:>9.0} samples/s, score {:>9.0} rows/s",
            kind.name(),
            a.train_samples_per_sec,
            a.score_rows_per_sec
        );
    }
}
