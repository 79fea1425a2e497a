//! Any bytes as a KDD file: reading must return a table or an error, never panic;
//! a table that reads must also prepare, fit a small forest and score without panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netanomaly::data::{self, protocol};
use netanomaly::detect::{ForestConfig, IsolationForest};
use netanomaly::prepare::{Encoding, PrepareConfig, Preparation};

fuzz_target!(|bytes: &[u8]| {
    let Ok(table) = data::read_bytes(bytes) else { return };
    let Ok(split) = protocol::single_file(&table) else { return };
    for config in [PrepareConfig::default(), PrepareConfig { encoding: Encoding::OneHot, log1p: true }] {
        let Ok(prep) = Preparation::fit(config, &split.train) else { return };
        let x = prep.transform(&split.train);
        let Ok(forest) = IsolationForest::fit(ForestConfig { n_estimators: 3, max_samples: 16, ..Default::default() }, &x) else { return };
        let _ = forest.score(&prep.transform(&split.tests[0]));
    }
});
