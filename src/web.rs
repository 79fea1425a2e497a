//! The thin wasm boundary: the worker drives a [`WasmSession`] (a [`Session`] with
//! JS values in and out); the page draws charts on canvases with the library's
//! chart code and moves thresholds with [`ThresholdView`]. Every function returns
//! `Result<_, JsError>` so a bad file or setting is a message, never a dead worker.
//! (Charts with text must be drawn on the main thread: plotters measures text
//! through `window.document`, which a worker does not have.)

use js_sys::{Float64Array, Function, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Blob;

use crate::detect::{Control, ModelKind, Progress};
use crate::metrics::{Confusion, SortedScores};
use crate::pipeline::TrainSettings;
use crate::session::protocol::{Command, ErrorReply, Reply, Request, Response};
use crate::session::{Activity, Attachment, ProtocolChoice, Session, Slot};

/// Show Rust panics in the console (there should be none; this is the safety net).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(err)
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(err)
}

/// Send one response to the page's callback (a reply that cannot be converted is
/// sent as an error, so the request is still answered).
fn send(reply: &Function, response: &Response) {
    // Byte fields (sorted scores, model files) as Uint8Array, not arrays of numbers.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    let value = response.serialize(&serializer).map_err(err).unwrap_or_else(|e| {
        let text = js_text(&JsValue::from(e));
        let error = Response { id: response.id, reply: Reply::Error(ErrorReply::request(text)) };
        to_js(&error).unwrap_or(JsValue::NULL)
    });
    let _ = reply.call1(&JsValue::NULL, &value);
}

/// A JS error's message.
fn js_text(e: &JsValue) -> String {
    e.as_string().or_else(|| js_sys::Error::from(e.clone()).message().as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Call a JS progress function; a truthy return value asks to stop.
fn call(f: &Function, value: &JsValue) -> bool {
    f.call1(&JsValue::NULL, value).map(|v| v.is_truthy()).unwrap_or(false)
}

fn slot(name: &str) -> Result<Slot, JsError> {
    match name {
        "train" => Ok(Slot::Train),
        "test" => Ok(Slot::Test),
        _ => Err(JsError::new(&format!("unknown slot {name:?}: use \"train\" or \"test\""))),
    }
}

/// How many threads rayon's parallel loops use here: the pool's size in the threaded
/// build once its [`pool::PoolBuilder`] was built, 1 in the single-thread build.
#[wasm_bindgen]
pub fn threads() -> u32 {
    rayon::current_num_threads() as u32
}

/// Bytes of this thread's WebAssembly memory (it only grows: its size is the peak).
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// The default settings for a model kind (`if`, `dense`, `lstm`, `deep`), for the page's form.
#[wasm_bindgen]
pub fn default_settings(kind: &str) -> Result<JsValue, JsError> {
    let kind: ModelKind = kind.parse().map_err(|e: String| JsError::new(&e))?;
    to_js(&TrainSettings::new(kind))
}

/// The worker's session.
#[wasm_bindgen]
pub struct WasmSession {
    inner: Session,
}

impl Default for WasmSession {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl WasmSession {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self { inner: Session::new() }
    }

    /// The typed protocol: take one request (`{id, type, ...}`, see
    /// `session::protocol`), with the file of a `load` (a `Blob` or a `Uint8Array`) or
    /// the bytes of an `add_model` as `attachment`; every reply goes to
    /// `reply(response)` as it happens. Quick requests are answered at once; the rest
    /// (and the parts of a predictions export) wait for [`WasmSession::advance`]. A
    /// request that cannot be read is answered with a structured error and its `done`,
    /// never an exception.
    pub fn handle(&mut self, request: JsValue, attachment: JsValue, reply: &Function) {
        let mut out = |r: Response| send(reply, &r);
        let request: Request = match from_js(request.clone()) {
            Ok(r) => r,
            Err(e) => {
                let id = Reflect::get(&request, &"id".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
                out(Response {
                    id,
                    reply: Reply::Error(ErrorReply::request(format!(
                        "a request the worker cannot read: {}",
                        js_text(&JsValue::from(e))
                    ))),
                });
                out(Response { id, reply: Reply::Done { cancelled: false } });
                return;
            }
        };
        if request.command == Command::Memory {
            out(Response { id: request.id, reply: Reply::Memory { bytes: memory_bytes() } });
            out(Response { id: request.id, reply: Reply::Done { cancelled: false } });
            return;
        }
        let attachment = match attachment.dyn_ref::<Blob>() {
            Some(blob) => Some(Attachment::Source(Box::new(BlobSource { blob: blob.clone() }))),
            None => attachment.dyn_ref::<Uint8Array>().map(|bytes| Attachment::Bytes(bytes.to_vec())),
        };
        self.inner.handle(request, attachment, &mut out);
    }

    /// Do the next piece of queued work, sending its replies to `reply`; returns
    /// `"busy"` (call again after yielding to the event loop), `"paused"` (wait for
    /// play, step or cancel) or `"idle"`.
    pub fn advance(&mut self, reply: &Function) -> String {
        let activity = self.inner.advance(&mut |r| send(reply, &r));
        match activity {
            Activity::Busy => "busy",
            Activity::Paused => "paused",
            Activity::Idle => "idle",
        }
        .into()
    }

    /// Parse a file's bytes into `slot` ("train" or "test"); `progress(rows)` as it goes.
    pub fn load(&mut self, slot_name: &str, name: &str, bytes: &[u8], progress: &Function) -> Result<JsValue, JsError> {
        let slot = slot(slot_name)?;
        let summary = self.inner.load(slot, name, bytes, &mut |rows| {
            call(progress, &JsValue::from_f64(rows as f64));
        });
        to_js(&summary.map_err(err)?)
    }

    /// Read a `File`/`Blob` into `slot` without copying it whole: it is read in
    /// slices (the worker's synchronous `FileReaderSync`), held when small enough,
    /// streamed when not (see [`WasmSession::set_stream_settings`]).
    pub fn load_blob(
        &mut self,
        slot_name: &str,
        name: &str,
        blob: Blob,
        progress: &Function,
    ) -> Result<JsValue, JsError> {
        let slot = slot(slot_name)?;
        let source = Box::new(BlobSource { blob });
        let summary = self.inner.load_source(slot, name, source, &mut |rows| {
            call(progress, &JsValue::from_f64(rows as f64));
        });
        to_js(&summary.map_err(err)?)
    }

    /// When files are streamed rather than held and how they are sampled:
    /// `{hold_rows, sample_rows, seed, chunk_rows}` (missing keys keep their defaults).
    pub fn set_stream_settings(&mut self, settings: JsValue) -> Result<(), JsError> {
        self.inner.set_stream_settings(from_js(settings)?);
        Ok(())
    }

    /// Load the built-in synthetic sample as the training file.
    pub fn load_sample(&mut self, rows: u32, seed: u32) -> Result<JsValue, JsError> {
        to_js(&self.inner.load_sample(rows as usize, u64::from(seed)).map_err(err)?)
    }

    /// Forget the test file.
    pub fn clear_test(&mut self) {
        self.inner.clear_test();
    }

    /// Choose the protocol: `{kind: "single-file"}`, `{kind: "holdout", train_fraction, seed}`,
    /// `{kind: "train-test"}` or `{kind: "all-rows"}` (attacks in training: the teaching
    /// mistake). Returns the split's sizes.
    pub fn set_protocol(&mut self, choice: JsValue) -> Result<JsValue, JsError> {
        let choice: ProtocolChoice = from_js(choice)?;
        to_js(&self.inner.set_protocol(choice).map_err(err)?)
    }

    /// Begin training with settings shaped like `default_settings(kind)`.
    pub fn start_training(&mut self, settings: JsValue) -> Result<(), JsError> {
        let settings: TrainSettings = from_js(settings)?;
        self.inner.start_training(settings).map_err(err)
    }

    /// One epoch; `progress(p)` after each batch (a truthy return stops). Returns
    /// `{done, history, histogram}`.
    pub fn train_epoch(&mut self, progress: &Function, with_histogram: bool) -> Result<JsValue, JsError> {
        let mut report = |p: &Progress| {
            let stop = to_js(p).map(|v| call(progress, &v)).unwrap_or(false);
            if stop {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        to_js(&self.inner.train_epoch(&mut report, with_histogram).map_err(err)?)
    }

    /// At most `max_batches` batches of the current epoch (then return to the event
    /// loop, so a cancel is heard); `{done, epoch_done, history, histogram, threshold}`.
    pub fn train_step(
        &mut self,
        max_batches: u32,
        progress: &Function,
        with_histogram: bool,
    ) -> Result<JsValue, JsError> {
        let mut report = |p: &Progress| {
            let stop = to_js(p).map(|v| call(progress, &v)).unwrap_or(false);
            if stop {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        to_js(&self.inner.train_step(max_batches.max(1) as usize, &mut report, with_histogram).map_err(err)?)
    }

    /// Stop before the next batch.
    pub fn cancel_training(&mut self) {
        self.inner.cancel_training();
    }

    /// Keep the best weights, score every test set (`progress(done, total)`), evaluate.
    pub fn finish_training(&mut self, progress: &Function) -> Result<JsValue, JsError> {
        let result = self.inner.finish_training(&mut |done, total| {
            let _ = progress.call2(&JsValue::NULL, &JsValue::from_f64(done as f64), &JsValue::from_f64(total as f64));
        });
        to_js(&result.map_err(err)?)
    }

    /// Load a model file and score the test sets with it.
    pub fn add_model(&mut self, source: &str, bytes: &[u8], progress: &Function) -> Result<JsValue, JsError> {
        let result = self.inner.add_model(source, bytes, &mut |done, total| {
            let _ = progress.call2(&JsValue::NULL, &JsValue::from_f64(done as f64), &JsValue::from_f64(total as f64));
        });
        to_js(&result.map_err(err)?)
    }

    /// Re-score every model on the current files and protocol (after either changed);
    /// returns every model with its new views.
    pub fn rescore_all(&mut self, progress: &Function) -> Result<JsValue, JsError> {
        let results = self.inner.rescore_all(&mut |done, total| {
            let _ = progress.call2(&JsValue::NULL, &JsValue::from_f64(done as f64), &JsValue::from_f64(total as f64));
        });
        to_js(&results.map_err(err)?)
    }

    /// Every model with its views.
    pub fn results(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.results())
    }

    /// `{normal: Float64Array, attack: Float64Array}`, sorted, for a [`ThresholdView`].
    pub fn sorted_scores(&self, id: u32, test: &str) -> Result<JsValue, JsError> {
        let s = self.inner.sorted_scores(id, test).map_err(err)?;
        let out = Object::new();
        Reflect::set(&out, &"normal".into(), &Float64Array::from(&s.normal[..]))
            .and_then(|_| Reflect::set(&out, &"attack".into(), &Float64Array::from(&s.attack[..])))
            .map_err(|_| JsError::new("cannot build the score arrays"))?;
        Ok(out.into())
    }

    /// The predictions CSV of a model on a test set (at `threshold`, or its own).
    pub fn predictions_csv(&self, id: u32, test: &str, threshold: Option<f64>) -> Result<String, JsError> {
        self.inner.predictions_csv(id, test, threshold).map_err(err)
    }

    /// Rows `start..start + count` of the predictions CSV (with the header when
    /// `start` is 0): large files are exported in parts.
    pub fn predictions_csv_part(
        &self,
        id: u32,
        test: &str,
        threshold: Option<f64>,
        start: u32,
        count: u32,
    ) -> Result<String, JsError> {
        self.inner.predictions_csv_part(id, test, threshold, start as usize, count as usize).map_err(err)
    }

    /// Flagged counts per label and category at `threshold`:
    /// `{threshold, by_label: [{name, category, total, flagged}], by_category: [...]}`.
    pub fn label_breakdown(&self, id: u32, test: &str, threshold: f64) -> Result<JsValue, JsError> {
        to_js(&self.inner.label_breakdown(id, test, threshold).map_err(err)?)
    }

    /// The `n` highest-scoring records, `flagged` at `threshold` (the model's own when
    /// omitted): `[{record_id, score, flagged, label, category, features: [[name, value], …]}]`.
    pub fn top_records(&self, id: u32, test: &str, n: u32, threshold: Option<f64>) -> Result<JsValue, JsError> {
        to_js(&self.inner.top_records(id, test, n.min(10_000) as usize, threshold).map_err(err)?)
    }

    /// The view of a model scored the wrong way round (scores negated: AUC becomes 1 − AUC).
    pub fn flipped_view(&self, id: u32, test: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.flipped_view(id, test).map_err(err)?)
    }

    /// Every evaluation as JSON text.
    pub fn metrics_json(&self) -> String {
        self.inner.metrics_json()
    }

    /// The results table in Markdown.
    pub fn results_markdown(&self) -> String {
        self.inner.results_markdown()
    }

    /// A model's file, to download.
    pub fn model_bytes(&self, id: u32) -> Result<Vec<u8>, JsError> {
        self.inner.model_bytes(id).map_err(err)
    }

    /// Forget a model.
    pub fn remove_model(&mut self, id: u32) {
        self.inner.remove_model(id);
    }

    /// Forget every model.
    pub fn clear_models(&mut self) {
        self.inner.clear_models();
    }
}

/// A model's scores on a test set, for moving its threshold without re-scoring.
#[wasm_bindgen]
pub struct ThresholdView {
    scores: SortedScores,
}

/// Counts and rates at one threshold.
#[derive(Serialize)]
struct AtThreshold {
    threshold: f64,
    confusion: Confusion,
    precision: f64,
    recall: f64,
    f1: f64,
    accuracy: f64,
    false_positive_rate: f64,
}

#[wasm_bindgen]
impl ThresholdView {
    /// From the arrays of `WasmSession.sorted_scores` (sorted ascending).
    #[wasm_bindgen(constructor)]
    pub fn new(normal: Vec<f64>, attack: Vec<f64>) -> Self {
        Self { scores: SortedScores { normal, attack } }
    }

    /// The threshold that flags the top `1 − q` of rows (`q` in 0..1): a slider in
    /// rank space moves smoothly however skewed the scores are.
    pub fn threshold_at(&self, q: f64) -> f64 {
        self.scores.threshold_at(q)
    }

    /// The share of rows scoring at or below `threshold` (where a slider in rank space
    /// sits for it).
    pub fn quantile_of(&self, threshold: f64) -> f64 {
        self.scores.quantile_of(threshold)
    }

    /// `{threshold, confusion: {tn, fp, fn_, tp}, precision, recall, f1, accuracy, false_positive_rate}`.
    pub fn at(&self, threshold: f64) -> Result<JsValue, JsError> {
        let c = self.scores.confusion_at(threshold);
        to_js(&AtThreshold {
            threshold,
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            accuracy: c.accuracy(),
            false_positive_rate: c.false_positive_rate(),
            confusion: c,
        })
    }
}

// The chart calls (canvas drawing and pointer hit-testing) live in web/draw.rs.
mod blob;
mod draw;
pub mod pool;
pub use draw::*;

use blob::BlobSource;
