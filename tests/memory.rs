//! Heap high-water marks of the page's heaviest ordinary session, natively: the KDD99
//! 10% set held (494,021 rows) and the four bundled models loaded and scored on its
//! hold-out split, as the tab does. The tab's WebAssembly memory never shrinks, so
//! its size is the session's peak; `tests/e2e/scale.test.mjs` measures the tab
//! itself. This binary counts every allocation (its own global allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use netanomaly::session::{Session, Slot};

struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), SeqCst) + layout.size();
        PEAK.fetch_max(now, SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// The peak since the last call, in MB (and the count restarts from what is held now).
fn peak_since_last() -> f64 {
    let peak = PEAK.swap(NOW.load(SeqCst), SeqCst);
    peak as f64 / MB
}

fn data() -> PathBuf {
    std::env::var_os("NETANOMALY_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from)
}

#[test]
fn kdd10_with_the_four_bundled_models_peaks_under_100_mb() {
    let file = data().join("kdd99/kddcup.data_10_percent.gz");
    assert!(file.exists(), "{} is missing (the real data must be present)", file.display());
    let mut session = Session::new();
    peak_since_last();
    let summary = session.load_source(Slot::Train, "kdd10", Box::new(file), &mut |_| {}).expect("the 10% set loads");
    let loaded = peak_since_last();
    let held = NOW.load(SeqCst) as f64 / MB;
    println!("KDD99 10%: {} rows held in {held:.1} MB (peak {loaded:.1} MB while loading)", summary.rows);
    // 494,021 rows × 38 numbers as f32 alone would be 75 MB.
    assert!(held < 40.0, "the held table takes {held:.1} MB");
    let mut peak = loaded;
    for kind in ["if", "dense", "lstm", "deep"] {
        let bytes = std::fs::read(format!("www/models/kdd99/{kind}.nam")).expect("bundled model file");
        let result = session.add_model("bundled", &bytes, &mut |_, _| {}).expect("the bundled model scores");
        let p = peak_since_last();
        peak = peak.max(p);
        let auc = result.views[0].evaluation.as_ref().map(|e| e.roc_auc).unwrap_or(f64::NAN);
        println!("{kind}: ROC AUC {auc:.4}; held {:.1} MB, peak {p:.1} MB", NOW.load(SeqCst) as f64 / MB);
        assert!(auc > 0.9, "{kind}: AUC {auc}");
    }
    assert!(peak < 100.0, "the session peaked at {peak:.1} MB");
}
