//! Any bytes as a model file: loading must return a model or an error, never panic;
//! a model that loads must score a small table without panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use netanomaly::data::{self, synth, Format, Subset, Table};
use netanomaly::model_file::Model;
use netanomaly::pipeline;

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| data::read_bytes(synth::generate(64, 0.3, Format::Kdd99, 1).as_bytes()).expect("synthetic data reads"))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(model) = Model::from_bytes(bytes) else { return };
    let t = table();
    let all = Subset { name: "all".into(), table: t, rows: (0..t.rows()).collect() };
    let _ = pipeline::score(&model, &all, &mut |_, _| {});
});
