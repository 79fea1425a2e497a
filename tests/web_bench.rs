//! The in-browser half of the benchmark (not part of the test suite; run by
//! scripts/bench.sh): `netanomaly::bench::suite` — the same input and measurements
//! as `netanomaly bench-suite` natively — inside a dedicated worker in headless
//! Chromium, warmed up and repeated. Prints one `bench-figure {json}` line per figure
//! for the script to set beside the native figures. Built with `--features threads`
//! (the threaded build: nightly, atomics; scripts/threaded-cargo.sh) it first starts
//! rayon's pool, one Web Worker a core, as the page's worker does.
#![cfg(target_arch = "wasm32")]

use netanomaly::bench::{self, SuiteConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn the_suite() {
    let (train, test, text) = bench::standard_input().expect("the standard input");
    let reps = option_env!("BENCH_REPS").and_then(|r| r.parse().ok()).unwrap_or(5);
    let config = SuiteConfig { reps, ..SuiteConfig::default() };
    console_log!("threads: {}", netanomaly::web::threads());
    let figures = bench::suite(config, &train, &test, &text, &mut |done, total| console_log!("pass {done}/{total}"))
        .expect("the suite runs");
    for f in &figures {
        console_log!("bench-figure {}", serde_json::to_string(f).expect("a figure serialises"));
    }
}

#[cfg(not(feature = "threads"))]
#[wasm_bindgen_test]
fn the_suite_in_a_worker() {
    the_suite();
}

#[cfg(feature = "threads")]
#[wasm_bindgen_test]
async fn the_suite_on_every_core() {
    use wasm_bindgen::JsValue;
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).expect("a navigator");
    let cores = js_sys::Reflect::get(&navigator, &JsValue::from_str("hardwareConcurrency"))
        .ok()
        .and_then(|c| c.as_f64())
        .unwrap_or(1.0) as usize;
    pool::start(cores.max(1)).await;
    the_suite();
}

#[cfg(feature = "threads")]
mod pool {
    use netanomaly::web::pool::PoolBuilder;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// This test module's own glue (what each pool worker imports).
        #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
        static GLUE: js_sys::JsString;
    }

    // The page's worker.js `startPool`, for this test's module: one `blob:` worker a
    // thread, each starting an instance on the shared memory and running its thread.
    #[wasm_bindgen(inline_js = r#"
export function start_pool(glue, builder) {
  const src = "onmessage = async (e) => { const d = e.data; const m = await import(d.glue); await m.default({ module_or_path: d.module, memory: d.memory }); postMessage('ready'); m.pool_thread(d.handout); };";
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const start = { glue, module: builder.module, memory: builder.memory, handout: builder.handout };
  self.__pool = [];
  return Promise.all(Array.from({ length: builder.threads }, () => new Promise((resolve) => {
    const w = new Worker(url, { type: 'module' });
    self.__pool.push(w);
    w.onmessage = resolve;
    w.postMessage(start);
  }))).then(() => builder.build());
}"#)]
    extern "C" {
        fn start_pool(glue: &js_sys::JsString, builder: PoolBuilder) -> js_sys::Promise;
    }

    /// Start rayon's pool, one thread a core.
    pub async fn start(cores: usize) {
        let glue = GLUE.with(Clone::clone);
        wasm_bindgen_futures::JsFuture::from(start_pool(&glue, PoolBuilder::new(cores)))
            .await
            .expect("rayon's pool starts");
    }
}
