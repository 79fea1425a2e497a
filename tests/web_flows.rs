//! The flow datasets at their real sizes through the session API in the tab:
//! UNSW-NB15's training set (175,341 rows) and a CIC-IDS2017 day file (700,000 rows,
//! 315 MB), made by our generators, read, Isolation Forest and the dense autoencoder
//! trained on their normals and every row scored; times, AUCs and the WebAssembly
//! memory printed (`-- --nocapture`; the module's peak so far, which both tests share).
//! Run by wasm-bindgen-test in a dedicated worker in headless Chromium.
#![cfg(target_arch = "wasm32")]

use netanomaly::data::synth;
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

/// Milliseconds since the worker started (performance.now in a worker).
fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    js_sys::Reflect::get(&perf, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Load `bytes` through the session, train Isolation Forest and the dense autoencoder
/// on its normals (single file), and print the times, AUCs and memory.
fn flows_in_the_worker(name: &str, bytes: &[u8], min_auc: f64) {
    let t0 = now_ms();
    let mut s = Session::new();
    let summary = s.load(Slot::Train, name, bytes, &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let loaded = now_ms();
    let mut aucs = Vec::new();
    for kind in [ModelKind::If, ModelKind::Dense] {
        let mut settings =
            TrainSettings { prepare: PrepareConfig::new(Encoding::Label, true), ..TrainSettings::new(kind) };
        settings.autoencoder.train.epochs = 3;
        s.start_training(settings).unwrap();
        while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
        let r = s.finish_training(&mut |_, _| {}).unwrap();
        let auc = r.views[0].evaluation.as_ref().map_or(0.0, |e| e.roc_auc);
        assert!(auc > min_auc, "{name} {kind:?}: AUC {auc}");
        aucs.push(auc);
    }
    let trained = now_ms();
    web_sys::console::log_1(
        &format!(
            "wasm API, {name} ({} rows, {:.0} MB): read {:.1} s; IF + dense (3 epochs) trained and scored {:.1} s; AUC IF {:.4}, dense {:.4}; wasm memory {:.0} MB",
            summary.rows,
            bytes.len() as f64 / 1e6,
            (loaded - t0) / 1e3,
            (trained - loaded) / 1e3,
            aucs[0],
            aucs[1],
            memory_bytes() / 1e6
        )
        .into(),
    );
}

#[wasm_bindgen_test]
fn unsw_nb15_at_its_training_sets_size_trains_in_the_worker() {
    let text = synth::unsw::generate(synth::unsw::TRAINING_ROWS, 0.68, 7);
    flows_in_the_worker("UNSW_NB15_training-set.csv", text.as_bytes(), 0.75);
}

#[wasm_bindgen_test]
fn a_cic_ids2017_day_file_trains_in_the_worker() {
    let bytes = synth::cic::generate(synth::cic::DAY_ROWS, 0.37, 7);
    flows_in_the_worker("Wednesday-workingHours.pcap_ISCX.csv", &bytes, 0.6);
}
