//! Any bytes as a KDD file: reading must return a table or an error, never panic;
//! a table that reads must also prepare, fit a small forest and score without panic.
//! The same bytes also go through the streamed path (a tiny hold limit, so even a
//! short file is surveyed, sampled, trained on and scored chunk by chunk).
#![no_main]

use libfuzzer_sys::fuzz_target;
use netanomaly::data::streamed::StreamSettings;
use netanomaly::data::{self, protocol};
use netanomaly::detect::{Control, ForestConfig, IsolationForest};
use netanomaly::pipeline::TrainSettings;
use netanomaly::prepare::{Encoding, PrepareConfig, Preparation};
use netanomaly::session::{Session, Slot};

fuzz_target!(|bytes: &[u8]| {
    let mut s = Session::new();
    s.set_stream_settings(StreamSettings { hold_rows: 8, sample_rows: 5, seed: 1, chunk_rows: 3 });
    if s.load_source(Slot::Train, "fuzz", Box::new(bytes.to_vec()), &mut |_| {}).is_ok() {
        let settings = TrainSettings {
            forest: ForestConfig { n_estimators: 3, max_samples: 16, ..Default::default() },
            ..Default::default()
        };
        if s.start_training(settings).is_ok() {
            let _ = s.train_epoch(&mut |_| Control::Continue, true);
            if let Ok(r) = s.finish_training(&mut |_, _| {}) {
                let _ = s.top_records(r.model.id, "holdout", 5, None);
                let _ = s.predictions_csv_part(r.model.id, "holdout", None, 2, 4);
            }
        }
    }

    let Ok(table) = data::read_bytes(bytes) else { return };
    let Ok(split) = protocol::single_file(&table) else { return };
    for config in [PrepareConfig::default(), PrepareConfig::new(Encoding::OneHot, true)] {
        let Ok(prep) = Preparation::fit(config, &split.train) else { return };
        let x = prep.transform(&split.train);
        let Ok(forest) = IsolationForest::fit(ForestConfig { n_estimators: 3, max_samples: 16, ..Default::default() }, &x) else { return };
        let _ = forest.score(&prep.transform(&split.tests[0]));
    }
});
