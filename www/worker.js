/*
 * netanomaly worker (module worker): owns the WasmSession. No modelling happens
 * here in JS: every number comes from the wasm (../pkg/netanomaly.js).
 *
 * MESSAGE SCHEMA
 * ==============
 * page → worker
 *   {type:"load", slot:"train"|"test", name, file:Blob}           read a file (text or gzip) into a slot, in
 *                                                                 slices; over the hold limit (training slot)
 *                                                                 it is streamed: summary.streamed is set and
 *                                                                 models train on a seeded sample of normals
 *   {type:"load", slot, name, bytes:Uint8Array}                   the same from bytes (always held)
 *   {type:"sample", rows, seed}                                   the built-in synthetic sample as training file
 *   {type:"protocol", choice}                                     choice: {kind:"single-file"}
 *                                                                       | {kind:"holdout", train_fraction, seed}
 *                                                                       | {kind:"train-test"}
 *   {type:"train", models:[settings…], watchHistogram:boolean, mode:"run"|"step"}
 *                                                                 settings shaped like default_settings(kind);
 *                                                                 mode "step" starts every autoencoder paused
 *                                                                 before its first epoch (default "run")
 *   {type:"play"}                                                 run on, epoch after epoch (at once, not queued)
 *   {type:"pause"}                                                pause when the current epoch closes (at once)
 *   {type:"step"}                                                 run exactly one more epoch, then pause again
 *                                                                 (at once; during a step: one more; while
 *                                                                 playing: pause at this epoch's end)
 *   {type:"cancel"}                                               stop training (handled at once, not queued;
 *                                                                 also wakes a paused run)
 *   {type:"mistake", settings, watchHistogram}                    the teaching demonstration, with dense
 *                                                                 settings: train the dense autoencoder on
 *                                                                 every row ({kind:"all-rows"}, attacks
 *                                                                 included; not kept), put the page's
 *                                                                 protocol back, train it on the normal rows
 *                                                                 (posted as a normal "result"), score that
 *                                                                 one the wrong way round (flipped_view),
 *                                                                 then re-score the other models (their
 *                                                                 scores went stale with the protocol)
 *   {type:"breakdown", id, test, threshold, n}                    per-label/category counts at threshold and
 *                                                                 the n top-scoring records (at once)
 *   {type:"addModel", source, bytes:Uint8Array}                   load a .nam model file and score the test sets
 *   {type:"memory"}                                               the worker's WebAssembly memory (at once)
 *   {type:"export", what:"predictions"|"metrics"|"markdown"|"model", id, test, threshold}
 *                                                                 (handled at once, not queued; id/test for
 *                                                                 predictions and model; threshold optional)
 *
 * worker → page
 *   {type:"ready"}                                                the wasm is initialised
 *   {type:"loaded", slot, summary, modelsCleared}                 FileSummary; a new training file (or the
 *                                                                 sample, which also forgets the test file)
 *                                                                 clears every model (modelsCleared: true)
 *   {type:"split", summary, choice}                               SplitSummary of the protocol just applied
 *   {type:"progress", phase:"parse"|"train"|"score", done, total, kind, loss, ...}
 *                                                                 at most ~10 per second (plus final ones);
 *                                                                 parse: done = rows so far, total = null;
 *                                                                 train: done/total = batches over all epochs
 *                                                                 (total = null while a forest fits), also
 *                                                                 epoch, epochs, batch, batches, val_loss,
 *                                                                 samples_per_sec; score: rows scored
 *   {type:"epoch", kind, history, histogram, threshold}           after every epoch (histogram: null unless
 *                                                                 watchHistogram)
 *   {type:"paused", kind, epoch, epochs}                          training waits before epoch `epoch + 1`
 *                                                                 (epoch = epochs done) for play/step/cancel
 *   {type:"playing", kind, mode:"play"|"step"}                    a paused run goes on
 *   {type:"mistake", normal:{model, view}, allRows:{model, view, split}, flipped}
 *                                                                 the demonstration's numbers: ModelSummary +
 *                                                                 View of each dense model (the all-rows one
 *                                                                 is not kept), flipped: View of the normal-
 *                                                                 only model with its scores negated
 *   {type:"breakdown", id, test, threshold, n, breakdown, top}    label_breakdown(...) and top_records(...)
 *   {type:"result", result, scores:{[test]:{normal, attack}}, modelBytes, rescored}
 *                                                                 ModelResult; sorted Float64Arrays for a
 *                                                                 ThresholdView and the .nam bytes
 *                                                                 (transferred). The session keeps one model
 *                                                                 per kind: a new result replaces the
 *                                                                 previous model of its kind. After a
 *                                                                 protocol change (or a new test file under
 *                                                                 train-test) every model is re-scored and
 *                                                                 sent again with rescored: true.
 *   {type:"memory", bytes}                                        bytes of the worker's WebAssembly memory
 *                                                                 (it only grows: this is its peak)
 *   {type:"export", what, filename, data}                         data: string, Blob for "predictions" (built
 *                                                                 in parts), Uint8Array for "model"
 *   {type:"cancelled", kind}                                      the cancel was heard; kind = the model being
 *                                                                 stopped (its best weights so far follow as
 *                                                                 a normal "result"), null if none was
 *   {type:"error", message, context, fatal}                       context: "init", "load:train", "load:test",
 *                                                                 "sample", "protocol", "train:KIND",
 *                                                                 "addModel:SOURCE", "rescore:KIND",
 *                                                                 "export:WHAT", "mistake", "breakdown",
 *                                                                 "message"; fatal: the wasm
 *                                                                 trapped, restart the worker
 *   {type:"done", request, cancelled}                             after EVERY queued request (load, sample,
 *                                                                 protocol, train, addModel, mistake), whether it
 *                                                                 succeeded or not; the page counts these to
 *                                                                 know when all work has finished
 *
 * Queued requests run one after another in arrival order; "cancel", "play",
 * "pause", "step", "export" and "breakdown" are answered at once (between steps of
 * 32 batches while training, or while paused). Errors never stop the worker and
 * never drop earlier models.
 */

import init, { WasmSession, memory_bytes } from '../pkg/netanomaly.js';

/** @type {WasmSession | null} */
let session = null;
const queue = [];
let running = false;
let training = false;
let trainingKind = null;
let cancelRequested = false;
let protocolKind = 'single-file';
/** The protocol choice last applied (put back after the mistake demonstration). */
let protocolChoice = { kind: 'single-file' };
/** Play/pause/step: "play" runs on; "paused" waits at the next epoch boundary. */
let runMode = 'play';
/** Epochs still to run before pausing again (Step). */
let stepsLeft = 0;
/** Wakes a paused run (play, step, cancel). */
let wake = null;
let initFailed = false;
/** kind → {id, source}: the one model per kind the session keeps. */
const models = new Map();
let lastProgress = 0;

const PROGRESS_INTERVAL_MS = 100;
/** Rows per part of a predictions export. */
const PART_ROWS = 250000;

function post(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

function messageOf(e) {
  if (e instanceof Error) return e.message || String(e);
  return String(e);
}

function isFatal(e) {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

function postError(e, context) {
  post({ type: 'error', message: messageOf(e), context, fatal: isFatal(e) });
}

/** Post a progress message, at most every PROGRESS_INTERVAL_MS unless `force`. */
function progress(fields, force = false) {
  const now = performance.now();
  if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
  lastProgress = now;
  post({ type: 'progress', kind: null, loss: null, ...fields });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function needSession() {
  if (!session) throw new Error('the WebAssembly module did not start, so nothing can be computed');
  return session;
}

function kindOfId(id) {
  for (const [kind, m] of models) if (m.id === id) return kind;
  return `model${id}`;
}

function safeName(text) {
  return String(text).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'test';
}

function clearModels() {
  needSession().clear_models();
  models.clear();
}

/** Register a ModelResult (replacing the older model of its kind) and post it. */
function postResult(result, extra = {}) {
  const s = needSession();
  const { id, kind, source } = result.model;
  const old = models.get(kind);
  if (old && old.id !== id) s.remove_model(old.id);
  models.set(kind, { id, source });
  const scores = {};
  const transfer = [];
  for (const view of result.views) {
    const sorted = s.sorted_scores(id, view.test_set);
    scores[view.test_set] = sorted;
    transfer.push(sorted.normal.buffer, sorted.attack.buffer);
  }
  const modelBytes = s.model_bytes(id);
  transfer.push(modelBytes.buffer);
  post({ type: 'result', result, scores, modelBytes, rescored: false, ...extra }, transfer);
}

/** Score every kept model again on the current split (the test sets changed), but `except` (an id). */
async function rescore(except = null) {
  const s = needSession();
  for (const [kind, { id, source }] of [...models]) {
    if (id === except) continue;
    try {
      const bytes = s.model_bytes(id);
      const result = s.add_model(source, bytes, (done, total) =>
        progress({ phase: 'score', kind, done, total }, done === total));
      postResult(result, { rescored: true });
    } catch (e) {
      // Its scores belong to the old test sets: drop it rather than keep stale numbers.
      try { s.remove_model(id); } catch { /* already gone */ }
      models.delete(kind);
      post({
        type: 'error',
        message: `Re-scoring the ${kind} model on the new test set failed, so it was removed: ${messageOf(e)}`,
        context: `rescore:${kind}`,
        fatal: isFatal(e),
      });
    }
    await tick();
  }
}

function resume(mode) {
  const w = wake;
  wake = null;
  if (w) w(mode);
}

/** Wait at an epoch boundary while paused; resolves on play, step or cancel. */
async function waitWhilePaused(kind, history) {
  if (runMode !== 'paused' || stepsLeft > 0 || cancelRequested) return;
  const epochs = history?.epochs?.length ?? 0;
  post({ type: 'paused', kind, epoch: epochs, epochs: trainingEpochs });
  const mode = await new Promise((resolve) => { wake = resolve; });
  if (!cancelRequested) post({ type: 'playing', kind, mode });
}

let trainingEpochs = null;

/**
 * Train one model to the end (or the cancel), epoch by epoch, honouring
 * play/pause/step; returns the ModelResult (the model stays in the session).
 */
async function trainOne(settings, watch) {
  const s = needSession();
  const kind = settings && settings.kind ? String(settings.kind) : '?';
  trainingKind = kind;
  trainingEpochs = settings?.autoencoder?.train?.epochs ?? null;
  progress({ phase: 'train', kind, done: 0, total: null }, true);
  s.start_training(settings); // the forest is fitted here, in one go
  let atBoundary = true;
  let history = null;
  for (;;) {
    if (atBoundary && kind !== 'if') {
      await waitWhilePaused(kind, history);
      if (cancelRequested) {
        s.cancel_training();
        break;
      }
    }
    // 32 batches per call, then back to the event loop: a cancel is heard within
    // a fraction of a second even in a long epoch.
    const report = s.train_step(32, (p) => {
      progress({
        phase: 'train',
        kind,
        done: (p.epoch - 1) * p.batches + p.batch,
        total: p.epochs * p.batches,
        loss: p.train_loss,
        val_loss: p.val_loss ?? null,
        epoch: p.epoch,
        epochs: p.epochs,
        batch: p.batch,
        batches: p.batches,
        samples_per_sec: p.samples_per_sec,
      }, p.epoch_done);
      return cancelRequested;
    }, watch);
    atBoundary = Boolean(report.epoch_done);
    if (report.history && report.epoch_done) {
      history = report.history;
      if (stepsLeft > 0) stepsLeft -= 1;
      post({ type: 'epoch', kind, history: report.history, histogram: report.histogram ?? null, threshold: report.threshold ?? null });
    }
    if (report.done) break;
    await tick(); // let a "cancel" (or an "export", "pause", "step") in
    if (cancelRequested) {
      s.cancel_training();
      break;
    }
  }
  const result = s.finish_training((done, total) =>
    progress({ phase: 'score', kind, done, total }, done === total));
  trainingKind = null;
  return result;
}

async function train(msg) {
  if (!Array.isArray(msg.models) || msg.models.length === 0) throw new Error('choose at least one model to train');
  const watch = Boolean(msg.watchHistogram);
  training = true;
  cancelRequested = false;
  runMode = msg.mode === 'step' ? 'paused' : 'play';
  stepsLeft = 0;
  try {
    for (const settings of msg.models) {
      if (cancelRequested) break;
      const kind = settings && settings.kind ? String(settings.kind) : '?';
      try {
        const result = await trainOne(settings, watch);
        postResult(result, { cancelled: cancelRequested });
      } catch (e) {
        post({ type: 'error', message: messageOf(e), context: `train:${kind}`, fatal: isFatal(e) });
      }
      trainingKind = null;
      await tick(); // a cancel may arrive between models too
    }
    return { cancelled: cancelRequested };
  } finally {
    training = false;
    trainingKind = null;
    cancelRequested = false;
    runMode = 'play';
    stepsLeft = 0;
    wake = null;
  }
}

/**
 * The teaching demonstration: the same dense autoencoder trained on every row
 * (attacks included) and on the normal rows only, and the normal-only one scored
 * the wrong way round.
 */
async function mistake(msg) {
  const s = needSession();
  const settings = msg.settings;
  if (!settings || settings.kind !== 'dense') throw new Error('the demonstration needs dense autoencoder settings');
  if (typeof s.flipped_view !== 'function') throw new Error('this build of the WebAssembly package has no flipped_view: rebuild pkg/ (scripts/build-web.sh)');
  const previous = protocolChoice;
  // Watching the histogram while every row trains shows the attacks' errors fall too.
  const watch = Boolean(msg.watchHistogram);
  training = true;
  cancelRequested = false;
  runMode = 'play';
  stepsLeft = 0;
  let moved = false;
  let keptDense = null;
  try {
    // 1. The mistake: every row trains, attacks included; every row is scored.
    let allRows;
    const split = s.set_protocol({ kind: 'all-rows' });
    moved = true;
    try {
      const result = await trainOne(settings, watch);
      allRows = { model: result.model, view: result.views[0] ?? null, split };
      s.remove_model(result.model.id);
    } finally {
      // 2. Back to the page's protocol (the other models' scores are now stale).
      s.set_protocol(previous);
    }
    if (cancelRequested) return { cancelled: true };
    // 3. The right way: normal rows only, under the page's protocol.
    const normal = await trainOne(settings, watch);
    postResult(normal, { cancelled: cancelRequested });
    keptDense = normal.model.id;
    const view = normal.views[0] ?? null;
    // 4. The same model, scored the wrong way round.
    const flipped = view ? s.flipped_view(normal.model.id, view.test_set) : null;
    post({ type: 'mistake', normal: { model: normal.model, view }, allRows, flipped });
    return { cancelled: cancelRequested };
  } finally {
    training = false;
    trainingKind = null;
    cancelRequested = false;
    wake = null;
    // Every other model was scored before the protocol went round: score it again.
    if (moved) await rescore(keptDense);
  }
}

async function handle(msg) {
  const s = needSession();
  switch (msg.type) {
    case 'load': {
      const onRows = (rows) => progress({ phase: 'parse', done: rows, total: null });
      const name = String(msg.name ?? 'file');
      // A File/Blob is read in slices (and streamed when too large to hold); bytes whole.
      const summary = msg.file instanceof Blob
        ? s.load_blob(msg.slot, name, msg.file, onRows)
        : s.load(msg.slot, name, msg.bytes, onRows);
      if (msg.slot === 'train') {
        clearModels();
        post({ type: 'loaded', slot: 'train', summary, modelsCleared: true });
      } else {
        post({ type: 'loaded', slot: msg.slot, summary, modelsCleared: false });
        if (protocolKind === 'train-test') await rescore();
      }
      return {};
    }
    case 'sample': {
      const summary = s.load_sample(msg.rows, msg.seed);
      clearModels();
      post({ type: 'loaded', slot: 'train', summary, modelsCleared: true });
      return {};
    }
    case 'protocol': {
      const summary = s.set_protocol(msg.choice);
      protocolKind = msg.choice.kind;
      protocolChoice = msg.choice;
      post({ type: 'split', summary, choice: msg.choice });
      await rescore();
      return {};
    }
    case 'train':
      return train(msg);
    case 'mistake':
      return mistake(msg);
    case 'addModel': {
      const result = s.add_model(String(msg.source ?? 'model file'), msg.bytes, (done, total) =>
        progress({ phase: 'score', done, total }, done === total));
      postResult(result);
      return {};
    }
    default:
      throw new Error(`unknown request ${JSON.stringify(msg.type)}`);
  }
}

function contextOf(msg) {
  switch (msg.type) {
    case 'load': return `load:${msg.slot}`;
    case 'addModel': return `addModel:${msg.source}`;
    case 'train': return 'train:';
    case 'mistake': return 'mistake';
    default: return String(msg.type ?? 'message');
  }
}

async function pump() {
  if (running) return;
  running = true;
  try {
    while (queue.length) {
      const msg = queue.shift();
      let extra = {};
      try {
        extra = (await handle(msg)) || {};
      } catch (e) {
        postError(e, contextOf(msg));
      }
      post({ type: 'done', request: msg.type, cancelled: false, ...extra });
    }
  } finally {
    running = false;
  }
}

function onCancel() {
  // Training requests still waiting will not run.
  for (let i = 0; i < queue.length;) {
    if (queue[i].type === 'train' || queue[i].type === 'mistake') {
      const [dropped] = queue.splice(i, 1);
      post({ type: 'done', request: dropped.type, cancelled: true });
    } else {
      i += 1;
    }
  }
  if (training) cancelRequested = true;
  post({ type: 'cancelled', kind: training ? trainingKind : null });
  resume('cancel');
}

function onPlay() {
  if (!training) return;
  runMode = 'play';
  stepsLeft = 0;
  resume('play');
}

function onPause() {
  if (!training) return;
  runMode = 'paused';
  stepsLeft = 0;
}

function onStep() {
  if (!training) return;
  if (wake) {
    // Paused at an epoch boundary: one more epoch.
    runMode = 'paused';
    stepsLeft = 1;
    resume('step');
  } else if (runMode === 'paused') {
    // A step is running: one more after it.
    stepsLeft += 1;
  } else {
    // Playing: stop when this epoch closes.
    stepsLeft = 0;
    runMode = 'paused';
  }
}

function onBreakdown(msg) {
  try {
    const s = needSession();
    if (typeof s.label_breakdown !== 'function' || typeof s.top_records !== 'function') {
      throw new Error('this build of the WebAssembly package has no label_breakdown/top_records: rebuild pkg/ (scripts/build-web.sh)');
    }
    const n = Math.max(1, Math.min(1000, Math.floor(Number(msg.n) || 20)));
    const breakdown = s.label_breakdown(msg.id, String(msg.test), msg.threshold);
    const top = s.top_records(msg.id, String(msg.test), n, msg.threshold);
    post({ type: 'breakdown', id: msg.id, test: msg.test, threshold: msg.threshold, n, breakdown, top });
  } catch (e) {
    post({ type: 'error', message: messageOf(e), context: 'breakdown', fatal: isFatal(e), id: msg.id, test: msg.test });
  }
}

function onExport(msg) {
  try {
    const s = needSession();
    let data;
    let filename;
    switch (msg.what) {
      case 'predictions': {
        const threshold = typeof msg.threshold === 'number' && Number.isFinite(msg.threshold) ? msg.threshold : undefined;
        // In parts of PART_ROWS rows gathered into a Blob: millions of rows never
        // become one string.
        const parts = [];
        for (let start = 0; ; start += PART_ROWS) {
          const part = s.predictions_csv_part(msg.id, String(msg.test), threshold, start, PART_ROWS);
          if (!part) break; // past the last row
          parts.push(part);
        }
        data = new Blob(parts, { type: 'text/csv' });
        filename = `predictions_${kindOfId(msg.id)}_${safeName(msg.test)}.csv`;
        break;
      }
      case 'metrics':
        data = s.metrics_json();
        filename = 'metrics.json';
        break;
      case 'markdown':
        data = s.results_markdown();
        filename = 'results.md';
        break;
      case 'model':
        data = s.model_bytes(msg.id);
        filename = `${kindOfId(msg.id)}.nam`;
        break;
      default:
        throw new Error(`unknown export ${JSON.stringify(msg.what)}`);
    }
    post({ type: 'export', what: msg.what, filename, data }, data instanceof Uint8Array ? [data.buffer] : []);
  } catch (e) {
    postError(e, `export:${msg.what}`);
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object') {
    post({ type: 'error', message: 'the worker received a message it does not understand', context: 'message', fatal: false });
    return;
  }
  if (msg.type === 'cancel') {
    onCancel();
    return;
  }
  if (msg.type === 'export') {
    onExport(msg);
    return;
  }
  if (msg.type === 'play') return onPlay();
  if (msg.type === 'pause') return onPause();
  if (msg.type === 'step') return onStep();
  if (msg.type === 'breakdown') return onBreakdown(msg);
  if (msg.type === 'memory') return post({ type: 'memory', bytes: memory_bytes() });
  queue.push(msg);
  if (session) void pump();
  else if (initFailed) answerWithoutSession();
};

/** The wasm did not start: answer every queued request with an error (and "done"). */
function answerWithoutSession() {
  while (queue.length) {
    const msg = queue.shift();
    postError(new Error('the WebAssembly module did not start, so nothing can be computed'), contextOf(msg));
    post({ type: 'done', request: msg.type, cancelled: false });
  }
}

(async () => {
  try {
    await init();
    session = new WasmSession();
    post({ type: 'ready' });
    void pump(); // anything that arrived while starting
  } catch (e) {
    session = null;
    initFailed = true;
    post({ type: 'error', message: `The WebAssembly module could not start: ${messageOf(e)}`, context: 'init', fatal: false });
    answerWithoutSession();
  }
})();
