//! Memory in the tab for a table with 20,000 distinct `service` values under one-hot
//! encoding: with the default cap the forest and the dense autoencoder train and score
//! in a few tens of MB of WebAssembly memory (uncapped it was 1.5 and 3.7 GB natively),
//! and the uncapped dense run is refused before it allocates. Run by wasm-bindgen-test
//! in a dedicated worker in headless Chromium.
#![cfg(target_arch = "wasm32")]

use netanomaly::data::{synth, Format};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::pipeline::TrainSettings;
use netanomaly::prepare::{Encoding, PrepareConfig};
use netanomaly::session::{ProtocolChoice, Session, Slot};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The module's memory, in bytes (it only grows, so this is the peak so far).
fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().map_or(0.0, |b| f64::from(b.byte_length())))
}

#[wasm_bindgen_test]
fn twenty_thousand_services_under_one_hot_stay_within_500_mb() {
    let text: String = synth::generate(20_000, 0.3, Format::Kdd99, 12)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut f: Vec<String> = l.split(',').map(String::from).collect();
            f[2] = format!("svc{i}");
            f.join(",") + "\n"
        })
        .collect();
    let before = memory_bytes();
    let mut s = Session::new();
    s.load(Slot::Train, "svc.csv", text.as_bytes(), &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let one_hot = |kind, max_categories| TrainSettings {
        prepare: PrepareConfig { max_categories, ..PrepareConfig::new(Encoding::OneHot, false) },
        ..TrainSettings::new(kind)
    };
    let refused = s.start_training(one_hot(ModelKind::Dense, None)).unwrap_err().to_string();
    assert!(refused.contains("needs about") && refused.contains("a tab can hold"), "{refused}");
    for kind in [ModelKind::If, ModelKind::Dense] {
        let mut settings = one_hot(kind, Some(32));
        settings.autoencoder.train.epochs = 2;
        s.start_training(settings).unwrap();
        while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
        let r = s.finish_training(&mut |_, _| {}).unwrap();
        assert!(r.views[0].evaluation.as_ref().is_some_and(|e| e.roc_auc > 0.7), "{kind:?}");
    }
    let after = memory_bytes();
    web_sys::console::log_1(
        &format!("wasm memory: {:.0} MB before loading, {:.0} MB after both runs", before / 1e6, after / 1e6).into(),
    );
    assert!(after < 500e6, "{after} bytes");
}
