// netanomaly page: UI wiring only. Every number shown (metrics, curves, confusion
// matrices at a moved threshold) comes from the Rust/wasm package; charts are drawn
// by the same Rust chart code as the command line (on the main thread, because
// plotters measures text through `window.document`). The modelling runs in
// worker.js, whose message schema is documented at its top. The view lives in the
// URL hash (hash.js); finished runs are kept in localStorage (runs.js); sw.js keeps
// the site for offline use.

import { PANELS, PANEL_TITLES, FIELDS, PROTOCOLS, protocolFromHash, parseHash, formatHash, list } from './hash.js';
import { loadRuns, saveRuns, modelSettings, sharedSettings, runRows, runsMarkdown, runsCsv, COLUMNS, NUMERIC } from './runs.js';

// plotters (the Rust chart library) measures text on wasm by creating a detached
// <span> and calling setAttribute("style", "...font-size: Npx; position: fixed...").
// Our Content-Security-Policy (style-src 'self') rightly blocks style attributes, which
// would leave every label measured in the page font. CSSOM writes are not style
// attributes, so route exactly that case (style on a detached span) through
// `style.cssText`; every other setAttribute call is untouched.
{
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function setAttributeCspSafe(name, value) {
    if (name === 'style' && this instanceof HTMLSpanElement && !this.isConnected) {
      this.style.cssText = String(value);
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
}

const KINDS = ['if', 'dense', 'lstm', 'deep'];
const AE_KINDS = ['dense', 'lstm', 'deep'];
const TITLES = {
  if: 'Isolation Forest',
  dense: 'Dense autoencoder',
  lstm: 'Simple LSTM autoencoder',
  deep: 'Deep LSTM autoencoder',
};
const FORMATS = {
  kdd99: 'KDD Cup 99',
  'nsl-kdd': 'NSL-KDD',
  unlabelled: 'unlabelled (41 features, no label: scores only, no metrics)',
};
/** The first visit trains on this, so every chart shows something at once. */
const DEMO = { rows: 20000, seed: 42, epochs: 5, kinds: ['if', 'dense'] };
const CANCEL_GRACE_MS = 2000;

/** @type {any} the wasm module (../pkg/netanomaly.js) */
let wasm = null;
/** @type {Worker | null} */
let worker = null;
let workerReady = false;
let pageReady = false;
let demoStarted = false;
let cancelTimer = 0;
let restarts = [];

/** The hash the page was opened with (read once at start). */
const opened = parseHash(location.hash);
const hadHash = [...opened.keys()].length > 0;

const state = {
  /** What the worker's training slot holds: {type:"file", name, buffer} | {type:"sample", rows, seed} | null. */
  train: null,
  trainSummary: null,
  /** {type:"file", name, buffer} | null */
  test: null,
  testSummary: null,
  /** The protocol the worker last applied. */
  protocol: { kind: 'single-file' },
  split: null,
  /** kind → record {kind, result, modelBytes, views:[{view, tv, threshold}]} */
  records: new Map(),
  /** Loads sent and not yet answered, per slot (to keep the bytes once they succeed). */
  pendingLoads: { train: [], test: [] },
  /** Queued worker requests not yet "done". */
  pending: 0,
  /** Page-side work (reading files, fetching bundled models). */
  local: 0,
  restoring: false,
  /** The current training run: {kinds, histories:{kind: History}, status:{kind: text}} | null */
  training: null,
  lastAction: 'Ready',
  /** Slider thresholds from the hash, applied when their model's result arrives: kind → value. */
  pendingThresholds: {},
  /** What to do once a file is loaded, as the hash asked ("train", "bundled"), or null. */
  autoRun: null,
  /** Whether the hash may be written (after it has been read into the form). */
  hashLive: false,
  /** Runs of the "Runs" table, oldest first. */
  runs: loadRuns(),
  runCounter: 0,
  /** Training transport: "idle" | "running" | "paused". */
  transport: 'idle',
  /** Per-attack view: "kind|test" chosen, and the last request sent. */
  attackChoice: null,
};

// ---------------------------------------------------------------------------
// Small DOM helpers
// ---------------------------------------------------------------------------

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Create an element: attributes (data-*, aria-*, id, class…), `text`, `on*` handlers, children. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key in node && !key.includes('-') && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const int = new Intl.NumberFormat('en-US');
const count = (n) => (typeof n === 'number' && Number.isFinite(n) ? int.format(n) : '—');
const fixed = (x, digits = 4) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
const thr = (x) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : '—');

function setStatus(text) {
  $('#status').textContent = text;
}

function updateBusy() {
  if (state.pending > 0 || state.local > 0) document.body.dataset.busy = '1';
  else delete document.body.dataset.busy;
}

function finishIfIdle() {
  updateBusy();
  if (state.pending === 0 && state.local === 0) {
    // The link is current whenever the page is idle.
    if (state.hashLive) writeHash();
    setStatus(`${state.lastAction} — done`);
  }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

function showError(message, context = '') {
  const box = $('#error');
  const item = h('div', { class: 'error-item' },
    h('p', {}, h('strong', { text: 'Error: ' }), message),
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this error', text: 'Dismiss', onclick: () => item.remove() }));
  if (context) item.dataset.context = context;
  box.append(item);
  // Keep the area readable: the last five messages.
  while (box.children.length > 5) box.firstElementChild.remove();
}

function clearErrors() {
  $('#error').replaceChildren();
}

/** Run a drawing call; a failure is a message, never a broken page. */
function draw(what, fn) {
  try {
    fn();
  } catch (e) {
    showError(`Drawing ${what} failed: ${e && e.message ? e.message : e}`, 'draw');
  }
}

// ---------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------

function download(data, filename, type = 'application/octet-stream') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function savePng(canvas, name) {
  canvas.toBlob((blob) => {
    if (blob) download(blob, `${name}.png`, 'image/png');
    else showError(`The chart ${name} could not be saved as PNG.`);
  }, 'image/png');
}

const safeName = (text) => String(text).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'chart';

// ---------------------------------------------------------------------------
// Worker
// ---------------------------------------------------------------------------

function startWorker() {
  workerReady = false;
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker = w;
  // A terminated worker's late messages must not touch the new state.
  w.addEventListener('message', (event) => {
    if (w === worker) onWorkerMessage(event.data);
  });
  w.addEventListener('error', (event) => {
    event.preventDefault();
    if (w !== worker) return;
    const detail = event.message || 'the worker script could not start (is ../pkg/ built?)';
    showError(`The background worker failed: ${detail}`, 'worker');
    if (workerReady) restartWorker('the worker failed');
    else {
      state.pending = 0;
      state.lastAction = 'The worker could not start';
      finishIfIdle();
    }
  });
  w.addEventListener('messageerror', () => showError('A message from the worker could not be read.', 'worker'));
}

/** Post a queued request (answered by a "done"). */
function request(msg, transfer = []) {
  if (!worker) return;
  state.pending += 1;
  updateBusy();
  worker.postMessage(msg, transfer);
}

/** A copy of kept bytes to hand over (the original stays for a restart). */
function copyOf(buffer) {
  const copy = buffer instanceof ArrayBuffer ? buffer.slice(0) : buffer.slice().buffer;
  return new Uint8Array(copy);
}

function restartWorker(reason) {
  clearTimeout(cancelTimer);
  const now = Date.now();
  restarts = restarts.filter((t) => now - t < 60000);
  restarts.push(now);
  if (worker) worker.terminate();
  worker = null;
  workerReady = false;
  state.pending = 0;
  state.pendingLoads = { train: [], test: [] };
  if (state.training) endTrainingUi({ stopped: true });
  if (restarts.length > 3) {
    showError(`The worker stopped (${reason}) and was restarted too often; reload the page.`, 'worker');
    state.lastAction = 'The worker stopped';
    finishIfIdle();
    return;
  }
  state.restoring = true;
  state.lastAction = `Restarted the worker (${reason}); data and finished models restored`;
  setStatus('Restarting the worker…');
  startWorker();
}

/** Put the new worker back where the old one was: files, protocol, models. */
function restore() {
  if (state.train?.type === 'sample') {
    state.pendingLoads.train.push(state.train);
    request({ type: 'sample', rows: state.train.rows, seed: state.train.seed });
  } else if (state.train?.type === 'file') {
    state.pendingLoads.train.push(state.train);
    request({ type: 'load', slot: 'train', name: state.train.name, file: state.train.file });
  }
  if (state.test) {
    state.pendingLoads.test.push(state.test);
    request({ type: 'load', slot: 'test', name: state.test.name, file: state.test.file });
  }
  if (state.train) request({ type: 'protocol', choice: state.protocol });
  for (const kind of KINDS) {
    const rec = state.records.get(kind);
    if (!rec) continue;
    const bytes = copyOf(rec.modelBytes);
    request({ type: 'addModel', source: rec.result.model.source, bytes }, [bytes.buffer]);
  }
  if (state.pending === 0) {
    state.restoring = false;
    finishIfIdle();
  }
}

function onWorkerMessage(m) {
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'ready': return onReady();
    case 'loaded': return onLoaded(m);
    case 'split': return onSplit(m);
    case 'progress': return onProgress(m);
    case 'epoch': return onEpoch(m);
    case 'result': return onResult(m);
    case 'export': return onExport(m);
    case 'cancelled': return onCancelled(m);
    case 'paused': return onPaused(m);
    case 'playing': return onPlaying(m);
    case 'mistake': return onMistake(m);
    case 'breakdown': return onBreakdown(m);
    case 'memory': return onMemory(m);
    case 'error': return onError(m);
    case 'done': return onDone(m);
    default: return undefined;
  }
}

function onReady() {
  workerReady = true;
  if (pageReady) document.body.dataset.ready = '1';
  if (state.restoring) restore();
  else if (!demoStarted) startDemo();
  else finishIfIdle();
}

function onLoaded(m) {
  const slot = m.slot === 'test' ? 'test' : 'train';
  const source = state.pendingLoads[slot].shift() || null;
  if (slot === 'train') {
    state.trainSummary = m.summary;
    if (!state.restoring) {
      state.train = source || state.train;
      if (m.modelsCleared) clearRecords();
      if (m.summary.synthetic) {
        // The sample replaces both files.
        state.test = null;
        state.testSummary = null;
        $('#test-file').value = '';
        renderSummary('test');
      }
      if (!source?.protocolQueued) {
        if (chosenProtocol().kind === 'train-test' && !state.test) setProtocolUi('single-file');
        sendProtocol();
      }
    }
    renderSummary('train');
  } else {
    state.testSummary = m.summary;
    if (!state.restoring) {
      state.test = source || state.test;
      // A test file means "second file as test set" (the worker already re-scored if it was).
      if (state.protocol.kind !== 'train-test') {
        setProtocolUi('train-test');
        sendProtocol();
      }
    }
    renderSummary('test');
  }
}

function onSplit(m) {
  state.protocol = m.choice;
  state.split = m.summary;
  if (!state.restoring) setProtocolUi(m.choice.kind);
  const s = m.summary;
  const tests = s.tests.map((t) => (t.labelled
    ? `${t.name}: ${count(t.rows)} rows (${count(t.normals)} normal, ${count(t.attacks)} attack)`
    : `${t.name}: ${count(t.rows)} rows, unlabelled (scores only)`));
  $('#split-summary').textContent = `Training on ${count(s.train_rows)} normal rows. Testing on ${tests.join('; ')}.`;
}

function onProgress(m) {
  if (m.phase === 'parse') {
    setStatus(`Reading the file: ${count(m.done)} rows so far…`);
    return;
  }
  const kind = m.kind;
  const title = TITLES[kind] || 'model';
  let text;
  if (m.phase === 'train') {
    if (m.total === null || m.total === undefined) text = kind === 'if' ? 'fitting the forest…' : 'preparing…';
    else {
      const loss = typeof m.loss === 'number' ? `, loss ${m.loss.toPrecision(4)}` : '';
      const val = typeof m.val_loss === 'number' ? `, validation ${m.val_loss.toPrecision(4)}` : '';
      const speed = typeof m.samples_per_sec === 'number' ? `, ${count(Math.round(m.samples_per_sec))} rows/s` : '';
      text = `epoch ${m.epoch}/${m.epochs}, batch ${m.batch}/${m.batches}${loss}${val}${speed}`;
    }
  } else {
    text = `scoring: ${count(m.done)} / ${count(m.total)} rows`;
  }
  setStatus(kind ? `${title}: ${text}` : `Scoring: ${count(m.done)} / ${count(m.total)} rows`);
  if (kind && state.training?.kinds.includes(kind)) setProgress(kind, m.done, m.total, text);
}

function onEpoch(m) {
  if (state.training) state.training.histories[m.kind] = m.history;
  drawLoss();
  if (m.histogram) {
    const fig = $('#live-histogram-figure');
    fig.hidden = false;
    // The line: the threshold these weights would get (95th percentile of their training errors).
    const line = typeof m.threshold === 'number' ? m.threshold : Number.NaN;
    const canvas = $('#live-histogram-canvas');
    draw('the live histogram', () => wasm.draw_histogram(canvas,
      `${TITLES[m.kind]}: test errors after epoch ${m.history.epochs.length}`, m.histogram, line, 'Reconstruction MSE'));
    canvas.dataset.epoch = String(m.history.epochs.length);
  }
  updateStepStatus(m.kind, m.history.epochs.length);
}

function onResult(m) {
  const { result, scores, modelBytes } = m;
  const kind = result.model.kind;
  const old = state.records.get(kind);
  // Keep the slider positions when the same model comes back after a worker restart.
  // …and after the mistake demonstration, which re-scores the other models on the same rows.
  const keep = (state.restoring || (m.rescored && state.training?.mistake)) && old ? Object.fromEntries(old.views.map((v) => [v.view.test_set, v.threshold])) : null;
  freeRecord(old);
  const rec = {
    kind,
    result,
    modelBytes,
    views: result.views.map((view) => {
      const s = scores[view.test_set];
      let tv = null;
      try {
        tv = s ? new wasm.ThresholdView(s.normal, s.attack) : null;
      } catch (e) {
        showError(`The threshold slider of ${TITLES[kind]} is unavailable: ${e.message}`, 'threshold');
      }
      let kept = keep?.[view.test_set];
      // A threshold from the opened link (first view of the model only).
      const fromHash = state.pendingThresholds[kind];
      if (typeof fromHash === 'number' && view === result.views[0] && !m.rescored) {
        kept = fromHash;
        delete state.pendingThresholds[kind];
      }
      return { view, tv, threshold: typeof kept === 'number' ? kept : view.threshold };
    }),
    /** The training run that made it (for the Runs table), if it was trained here. */
    runId: !m.rescored && state.training?.kinds.includes(kind) ? state.training.id : (m.rescored ? old?.runId ?? null : null),
    settings: !m.rescored && state.training?.kinds.includes(kind) ? state.training.settings?.[kind] ?? null : (m.rescored ? old?.settings ?? null : null),
  };
  state.records.set(kind, rec);
  if (state.training?.kinds.includes(kind) && !m.rescored) {
    const h = result.model.history;
    let note = 'finished';
    if (h) {
      const why = { completed: 'all epochs', 'early-stopped': 'early-stopped', cancelled: 'cancelled: best weights so far' }[h.stop] || h.stop;
      note = `finished after ${h.epochs.length} epoch(s) (${why}; best epoch ${h.best_epoch})`;
    }
    setProgress(kind, 1, 1, note, 'finished');
  }
  renderResults();
}

function onExport(m) {
  const types = { predictions: 'text/csv', metrics: 'application/json', markdown: 'text/markdown', model: 'application/octet-stream' };
  download(m.data, m.filename, types[m.what]);
  state.lastAction = `Exported ${m.filename}`;
  finishIfIdle();
}

/** Memory figures for benchmarks: the worker's and this page's WebAssembly memory. */
function onMemory(m) {
  document.body.dataset.workerMemory = String(m.bytes);
  document.body.dataset.pageMemory = String(wasm?.memory_bytes ? wasm.memory_bytes() : 0);
}

function onCancelled(m) {
  clearTimeout(cancelTimer);
  if (m.kind) setStatus(`Cancelled: keeping the best weights of ${TITLES[m.kind] || m.kind} so far, then scoring…`);
  else setStatus('Cancelled.');
  if (state.training) {
    for (const kind of state.training.kinds) {
      const item = $(`#progress-list li[data-model="${kind}"]`);
      if (kind !== m.kind && item && item.dataset.state !== 'finished' && item.dataset.state !== 'failed') {
        setProgress(kind, null, null, 'not trained (cancelled)', 'stopped');
      }
    }
  }
}

function onError(m) {
  const context = String(m.context || '');
  if (context === 'breakdown') {
    // Asked for automatically (slider moves): shown in its panel, not as an alert.
    $('#attack-summary').textContent = `Per-attack view unavailable: ${m.message}`;
    return;
  }
  const [what, detail] = [context.split(':')[0], context.slice(context.indexOf(':') + 1)];
  let message = m.message;
  if (what === 'load') message = `Could not load the ${detail === 'test' ? 'test' : 'training'} file: ${m.message}`;
  else if (what === 'sample') message = `Could not make the sample: ${m.message}`;
  else if (what === 'protocol') message = `Could not apply the protocol: ${m.message}`;
  else if (what === 'train') message = `${TITLES[detail] ? `${TITLES[detail]}: ` : ''}training failed: ${m.message}`;
  else if (what === 'addModel') message = `Could not use the model file (${detail}): ${m.message}`;
  else if (what === 'export') message = `Export failed: ${m.message}`;
  else if (what === 'mistake') message = `The demonstration failed: ${m.message}`;
  showError(message, context);
  if (state.training && what === 'train') state.training.failed += 1;
  else state.lastAction = 'Finished with an error (see the message above)';

  if (what === 'load' && (detail === 'train' || detail === 'test')) {
    state.pendingLoads[detail].shift();
    $(`#${detail}-file`).value = '';
  } else if (what === 'sample') {
    state.pendingLoads.train.shift();
  } else if (what === 'protocol') {
    setProtocolUi(state.protocol.kind); // the worker kept the previous one
  } else if (what === 'train' && TITLES[detail]) {
    setProgress(detail, null, null, 'failed (see the error above)', 'failed');
  } else if (what === 'rescore' && TITLES[detail]) {
    freeRecord(state.records.get(detail));
    state.records.delete(detail);
    renderResults();
  }
  if (m.fatal) restartWorker('the WebAssembly module stopped');
}

function onDone(m) {
  state.pending = Math.max(0, state.pending - 1);
  if (m.request === 'train' || m.request === 'mistake') {
    clearTimeout(cancelTimer);
    const failed = state.training?.failed || 0;
    if (m.cancelled) state.lastAction = 'Training cancelled (finished models and the best weights so far kept)';
    else if (failed) state.lastAction = `Training finished, but ${failed} of ${state.training.kinds.length} model(s) failed (see the message above)`;
    if (m.request === 'train' && state.training && !state.restoring) recordRun(state.training, Boolean(m.cancelled));
    endTrainingUi({ stopped: Boolean(m.cancelled) });
  }
  if (state.pending === 0 && state.restoring) state.restoring = false;
  if (state.pending === 0 && state.local === 0) maybeAutoRun();
  if (state.pending === 0 && worker) worker.postMessage({ type: 'memory' }); // figures for benchmarks
  finishIfIdle();
}

// ---------------------------------------------------------------------------
// Data section
// ---------------------------------------------------------------------------

function loadFile(slot, file) {
  if (!file) return;
  if (!workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  clearErrors();
  setStatus(`Reading ${file.name}…`);
  state.lastAction = `Loaded ${file.name}`;
  // The File itself goes to the worker, which reads it in slices: a file of
  // millions of rows is never copied whole (and is kept by reference for a restart).
  state.pendingLoads[slot].push({ type: 'file', name: file.name, file });
  request({ type: 'load', slot, name: file.name, file });
}

function loadSample(protocolQueued = false) {
  state.lastAction = 'Loaded the built-in synthetic sample';
  state.pendingLoads.train.push({ type: 'sample', rows: DEMO.rows, seed: DEMO.seed, protocolQueued });
  request({ type: 'sample', rows: DEMO.rows, seed: DEMO.seed });
}

function renderSummary(slot) {
  const box = $(`#${slot}-summary`);
  const s = slot === 'train' ? state.trainSummary : state.testSummary;
  if (!s) {
    box.replaceChildren(h('p', { class: 'hint', text: slot === 'train' ? 'Nothing loaded yet.' : 'No test file.' }));
    return;
  }
  const facts = h('dl', { class: 'facts' },
    h('dt', { text: 'File' }), h('dd', { text: s.name }),
    h('dt', { text: 'Format' }), h('dd', { text: FORMATS[s.format] || s.format }),
    h('dt', { text: 'Rows' }), h('dd', { text: count(s.rows) }),
    s.labelled ? [h('dt', { text: 'Normal' }), h('dd', { text: count(s.normals) }),
      h('dt', { text: 'Attack' }), h('dd', { text: count(s.attacks) })] : null);
  const parts = [];
  if (s.streamed) {
    parts.push(h('p', { class: 'badge streamed', text: `Large file, streamed: ${count(s.rows)} rows are more than the page holds at once (${count(s.streamed.settings.hold_rows)}). Models train on a seeded sample of ${count(s.streamed.sample_rows)} normal rows (seed ${s.streamed.settings.seed}) and are tested on the other ${count(s.streamed.test_rows)} rows; each model reads the file again to score it.` }));
  }
  if (s.synthetic) parts.push(h('p', { class: 'badge synthetic', text: 'Synthetic sample, not real traffic: made by our own generator (normal web, mail and DNS plus four attack patterns).' }));
  parts.push(facts);
  if (s.labels && s.labels.length) {
    const rows = s.labels.map((l) => h('tr', {}, h('td', { text: l.label }), h('td', { text: l.category }), h('td', { class: 'num', text: count(l.count) })));
    parts.push(h('details', {},
      h('summary', { text: `${s.labels.length} labels` }),
      h('table', { class: 'labels' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Label' }), h('th', { scope: 'col', text: 'Category' }), h('th', { scope: 'col', text: 'Rows' }))),
        h('tbody', {}, rows))));
  }
  box.replaceChildren(...parts);
}

function wireDropZone(zone) {
  const slot = zone.dataset.slot;
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(slot, file);
  });
}

// ---------------------------------------------------------------------------
// Protocol section
// ---------------------------------------------------------------------------

function chosenProtocol() {
  const value = $('input[name="protocol"]:checked')?.value || 'single-file';
  if (value === 'holdout') {
    return { kind: 'holdout', train_fraction: Number($('#holdout-fraction').value), seed: Number($('#holdout-seed').value) };
  }
  return { kind: value };
}

function setProtocolUi(kind) {
  const radio = $$('input[name="protocol"]').find((r) => r.value === kind);
  if (radio) radio.checked = true;
  $('.holdout-options').classList.toggle('inactive', kind !== 'holdout');
}

function sendProtocol() {
  const choice = chosenProtocol();
  setProtocolUi(choice.kind);
  if (!state.train && state.pendingLoads.train.length === 0) return; // applied with the next file
  if (choice.kind === 'holdout' && !(Number.isFinite(choice.train_fraction) && Number.isInteger(choice.seed) && choice.seed >= 0)) {
    showError('Hold-out needs a train fraction (a number) and a whole, non-negative seed.', 'protocol');
    setProtocolUi(state.protocol.kind);
    return;
  }
  state.lastAction = `Protocol: ${describeProtocol(choice)}`;
  request({ type: 'protocol', choice });
}

function describeProtocol(choice) {
  if (choice.kind === 'holdout') return `hold-out (train fraction ${choice.train_fraction}, seed ${choice.seed})`;
  if (choice.kind === 'train-test') return 'second file as test set';
  return 'single file';
}

// ---------------------------------------------------------------------------
// Models section
// ---------------------------------------------------------------------------

function fillDefaults() {
  const f = wasm.default_settings('if');
  $('#if-trees').value = f.forest.n_estimators;
  $('#if-max-samples').value = f.forest.max_samples;
  $('#if-contamination').value = f.forest.threshold.value;
  $('#encoding').value = f.prepare.encoding;
  $('#log1p').checked = Boolean(f.prepare.log1p);
  $('#seed').value = f.forest.seed;
  for (const kind of AE_KINDS) {
    const ae = wasm.default_settings(kind).autoencoder;
    $(`#epochs-${kind}`).value = ae.train.epochs;
    $(`#batch-${kind}`).value = ae.train.batch_size;
    $(`#lr-${kind}`).value = ae.train.learning_rate;
    $(`#patience-${kind}`).value = ae.train.patience;
    $(`#seq-${kind}`).value = ae.seq_len;
    $(`#percentile-${kind}`).value = ae.threshold.value;
  }
  const d = wasm.default_settings('dense').autoencoder;
  $('#dense-hidden').value = d.dense_hidden;
  $('#dense-code').value = d.dense_code;
  $('#lstm-hidden').value = wasm.default_settings('lstm').autoencoder.lstm_hidden;
  const deep = wasm.default_settings('deep').autoencoder;
  $('#deep-outer').value = deep.deep_outer;
  $('#deep-inner').value = deep.deep_inner;
}

function fieldName(input) {
  const label = input.labels?.[0]?.textContent?.trim() || input.id;
  const legend = input.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
  return legend ? `${legend}, ${label}` : label;
}

/** Read a number field as typed; ranges are checked by the wasm (clear messages). */
function numberField(id, whole) {
  const input = $(`#${id}`);
  const text = input.value.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`${fieldName(input)}: enter a number.`);
  if (whole && !Number.isInteger(value)) throw new Error(`${fieldName(input)}: enter a whole number.`);
  if (whole && value < 0) throw new Error(`${fieldName(input)}: enter a whole number of at least 0.`);
  return value;
}

/** The settings for `kind` from the form, on top of default_settings(kind). */
function settingsFor(kind) {
  const s = wasm.default_settings(kind);
  s.prepare.encoding = $('#encoding').value;
  s.prepare.log1p = $('#log1p').checked;
  const seed = numberField('seed', true);
  if (kind === 'if') {
    s.forest.n_estimators = numberField('if-trees', true);
    s.forest.max_samples = numberField('if-max-samples', true);
    s.forest.threshold = { rule: 'contamination', value: numberField('if-contamination', false) };
    s.forest.seed = seed;
  } else {
    const ae = s.autoencoder;
    ae.kind = kind;
    ae.train.epochs = numberField(`epochs-${kind}`, true);
    ae.train.batch_size = numberField(`batch-${kind}`, true);
    ae.train.learning_rate = numberField(`lr-${kind}`, false);
    ae.train.patience = numberField(`patience-${kind}`, true);
    ae.train.seed = seed;
    ae.seq_len = numberField(`seq-${kind}`, true);
    ae.threshold = { rule: 'percentile', value: numberField(`percentile-${kind}`, false) };
    if (kind === 'dense') {
      ae.dense_hidden = numberField('dense-hidden', true);
      ae.dense_code = numberField('dense-code', true);
    } else if (kind === 'lstm') {
      ae.lstm_hidden = numberField('lstm-hidden', true);
    } else {
      ae.deep_outer = numberField('deep-outer', true);
      ae.deep_inner = numberField('deep-inner', true);
    }
  }
  return s;
}

/** Clear old errors; say why new work cannot start yet, if it cannot. */
function readyToStart() {
  clearErrors();
  if (!workerReady) {
    showError('The page is still starting; try again in a moment.');
    return false;
  }
  if (state.training) {
    showError('A training run is in progress: wait for it, or cancel it.');
    return false;
  }
  return true;
}

function onTrainClick(mode = 'run') {
  if (!readyToStart()) return;
  const kinds = KINDS.filter((k) => $(`#model-${k}`).checked);
  if (kinds.length === 0) {
    showError('Choose at least one model to train (tick its box in the Models section).', 'settings');
    return;
  }
  let models;
  try {
    models = kinds.map(settingsFor);
  } catch (e) {
    showError(e.message, 'settings');
    return;
  }
  const stepping = mode === 'step';
  beginTraining(kinds, models, stepping || $('#watch-histogram').checked,
    `Trained ${kinds.map((k) => TITLES[k]).join(', ')}${stepping ? ' step by step' : ''}`, mode);
}

function beginTraining(kinds, models, watchHistogram, action, mode = 'run', mistake = false) {
  state.runCounter += 1;
  state.training = {
    id: state.runCounter,
    kinds,
    histories: {},
    failed: 0,
    settings: Object.fromEntries(kinds.map((k, i) => [k, models[i]])),
    data: describeData(),
    mode,
    mistake,
  };
  state.lastAction = action;
  setTransport(mode === 'step' ? 'paused' : 'running');
  $('#live-histogram-figure').hidden = !watchHistogram;
  $('#live-histogram-canvas').dataset.epoch = '0';
  $('#step-status').textContent = mode === 'step'
    ? 'Paused before the first epoch: press “Step one epoch” to train one epoch, or “Play” to run on.' : '';
  const list = $('#progress-list');
  list.replaceChildren(...kinds.map((kind) => h('li', { 'data-model': kind },
    h('label', { for: `progress-${kind}`, class: 'name', text: TITLES[kind] }),
    h('progress', { id: `progress-${kind}`, 'data-testid': `progress-${kind}`, max: '1', value: '0' }),
    h('span', { class: 'detail', text: 'waiting…' }))));
  drawLoss();
  if (mistake) request({ type: 'mistake', settings: models[0], watchHistogram });
  else request({ type: 'train', models, watchHistogram, mode });
  setStatus(`Training ${kinds.map((k) => TITLES[k]).join(', ')}…`);
}

/** The training data for the Runs table: the sample, or the file names. */
function describeData() {
  // Loads still queued come before this training run in the worker.
  const train = state.pendingLoads.train.at(-1) || state.train;
  const test = train?.type === 'sample' ? null : state.pendingLoads.test.at(-1) || state.test;
  if (train?.type === 'sample') return `synthetic sample (${count(train.rows)} rows, seed ${train.seed})`;
  const names = [train?.name, test?.name].filter(Boolean);
  return names.join(' + ') || '—';
}

/** Enable the transport buttons for "idle" | "running" | "paused". */
function setTransport(mode) {
  state.transport = mode;
  $('#training').dataset.state = mode;
  const busy = mode !== 'idle';
  $('#train').disabled = busy;
  $('#train-step').disabled = busy;
  $('#mistake-run').disabled = busy;
  $('#cancel').disabled = !busy;
  $('#play').disabled = mode !== 'paused';
  $('#pause').disabled = mode !== 'running';
  $('#step').disabled = !busy;
  if (mode === 'paused') document.body.dataset.paused = '1';
  else delete document.body.dataset.paused;
}

function onPaused(m) {
  if (!state.training) return;
  setTransport('paused');
  const title = TITLES[m.kind] || m.kind;
  const of = typeof m.epochs === 'number' ? ` of ${m.epochs}` : '';
  const text = m.epoch === 0
    ? `${title}: paused before the first epoch. Press “Step one epoch” or “Play”.`
    : `${title}: paused after epoch ${m.epoch}${of}. Press “Step one epoch” or “Play”.`;
  $('#step-status').textContent = text;
  setStatus(text);
}

function onPlaying(m) {
  if (!state.training) return;
  setTransport('running');
  $('#step-status').textContent = m.mode === 'step'
    ? `${TITLES[m.kind] || m.kind}: training one epoch…` : `${TITLES[m.kind] || m.kind}: running…`;
}

function updateStepStatus(kind, epochs) {
  if (state.transport === 'idle') return;
  $('#step-status').dataset.epochs = String(epochs);
}

/** Update a model's progress bar; done/total null = indeterminate. */
function setProgress(kind, done, total, text, stateName = 'running') {
  const item = $(`#progress-list li[data-model="${kind}"]`);
  if (!item) return;
  const bar = $('progress', item);
  if (typeof done === 'number' && typeof total === 'number' && total > 0) {
    bar.max = total;
    bar.value = done;
  } else if (stateName === 'running') {
    bar.removeAttribute('value');
  }
  item.dataset.state = stateName;
  $('.detail', item).textContent = text;
}

function endTrainingUi({ stopped }) {
  if (state.training) {
    for (const kind of state.training.kinds) {
      const item = $(`#progress-list li[data-model="${kind}"]`);
      if (item && (item.dataset.state === undefined || item.dataset.state === 'running')) {
        setProgress(kind, null, null, stopped ? 'not trained (cancelled)' : 'not trained', 'stopped');
      }
    }
  }
  state.training = null;
  setTransport('idle');
  $('#step-status').textContent = '';
  drawLoss();
}

function onTransport(type) {
  if (!state.training || !worker) return;
  worker.postMessage({ type });
  if (type === 'pause') $('#step-status').textContent = 'Pausing when this epoch ends…';
  if (type === 'step' && state.transport === 'running') $('#step-status').textContent = 'Pausing when this epoch ends…';
}

function onCancelClick() {
  if (!state.training || !worker) return;
  worker.postMessage({ type: 'cancel' });
  setStatus('Cancelling…');
  clearTimeout(cancelTimer);
  cancelTimer = setTimeout(() => restartWorker('it did not answer the cancel within 2 s'), CANCEL_GRACE_MS);
}

/**
 * The first thing the page does: load the built-in sample and, on a first visit,
 * train Isolation Forest and the dense autoencoder on it; opened from a link, apply
 * the link's protocol and train the link's models with its settings (or load the
 * bundled models, or nothing, as `run=` says). A link made with a file waits for
 * that file and then does the same.
 */
function startDemo() {
  demoStarted = true;
  if (!hadHash) {
    setProtocolUi('single-file');
    $('#epochs-dense').value = String(DEMO.epochs);
    for (const kind of KINDS) $(`#model-${kind}`).checked = DEMO.kinds.includes(kind);
  }
  let choice = chosenProtocol();
  // The sample is one file: "second file as test set" waits for the files.
  if (choice.kind === 'train-test') {
    setProtocolUi('single-file');
    choice = { kind: 'single-file' };
  }
  if (choice.kind === 'holdout' && !(Number.isFinite(choice.train_fraction) && Number.isInteger(choice.seed) && choice.seed >= 0)) {
    setProtocolUi('single-file');
    choice = { kind: 'single-file' };
  }
  loadSample(true);
  request({ type: 'protocol', choice });
  const run = opened.get('run') || 'train';
  const wantsFile = opened.get('data') === 'file';
  if (wantsFile) {
    state.autoRun = run;
    const names = [opened.get('file'), opened.get('test')].filter(Boolean).join(' and ');
    showHashNote(`This link was made with ${names ? `the file${opened.get('test') ? 's' : ''} ${names}` : 'a file of its own'}: load ${opened.get('test') ? 'them' : 'it'} in section 1 and the page will ${run === 'bundled' ? 'load the bundled models' : 'train with the link’s settings'} at once. Meanwhile: the built-in sample.`);
  }
  if (run === 'bundled') {
    // Once the sample is in (the bundled set is picked by the data's format).
    if (!wantsFile) state.bundledOnSample = true;
    return;
  }
  if (run !== 'train') return;
  const kinds = KINDS.filter((k) => $(`#model-${k}`).checked);
  let models;
  try {
    if (kinds.length === 0) throw new Error('the link ticks no model');
    models = kinds.map(settingsFor);
  } catch (e) {
    showError(`The link’s settings cannot train: ${e.message}`, 'settings');
    return;
  }
  const what = kinds.map((k) => TITLES[k]).join(', ');
  beginTraining(kinds, models, $('#watch-histogram').checked,
    hadHash ? `Trained ${what} on the synthetic sample (not real traffic), as the link asks`
      : `Demo on the synthetic sample (not real traffic): Isolation Forest and the dense autoencoder (${DEMO.epochs} epochs)`);
}

/** After a link's file has loaded (and nothing else is pending): train or load, once. */
function maybeAutoRun() {
  if (state.bundledOnSample && state.trainSummary && workerReady) {
    state.bundledOnSample = false;
    void loadBundled();
    return;
  }
  if (!state.autoRun || state.training || !workerReady) return;
  if (state.train?.type !== 'file') return;
  const wantsTest = Boolean(opened.get('test')) || protocolFromHash(opened.get('protocol')) === 'train-test';
  if (wantsTest && !state.test) return;
  const run = state.autoRun;
  state.autoRun = null;
  showHashNote('');
  if (run === 'bundled') void loadBundled();
  else if (run === 'train') onTrainClick('run');
}

function showHashNote(text) {
  const note = $('#hash-note');
  note.textContent = text;
  note.hidden = !text;
}

async function loadBundled() {
  clearErrors();
  if (!workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  state.local += 1;
  updateBusy();
  setStatus('Fetching the bundled models…');
  try {
    let manifest;
    try {
      const response = await fetch('models/manifest.json');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      manifest = await response.json();
    } catch (e) {
      showError(`No bundled models are available (models/manifest.json: ${e.message}).`, 'bundled');
      return;
    }
    const sets = Array.isArray(manifest?.sets) ? manifest.sets : [];
    if (sets.length === 0) {
      showError('The bundled model list (models/manifest.json) is empty.', 'bundled');
      return;
    }
    const format = state.trainSummary?.format;
    const set = sets.find((s) => s.format === format) || sets[0];
    state.lastAction = `Loaded the bundled models: ${set.title || set.id}`;
    for (const m of set.models || []) {
      try {
        const response = await fetch(`models/${m.file}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const buffer = await response.arrayBuffer();
        request({ type: 'addModel', source: `bundled: ${set.title || set.id}`, bytes: new Uint8Array(buffer) }, [buffer]);
      } catch (e) {
        showError(`Could not fetch the bundled model ${m.file}: ${e.message}`, 'bundled');
      }
    }
  } finally {
    state.local -= 1;
    finishIfIdle();
  }
}

async function loadModelFile(file) {
  if (!file) return;
  clearErrors();
  if (!workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  try {
    const buffer = await file.arrayBuffer();
    state.lastAction = `Loaded the model file ${file.name}`;
    request({ type: 'addModel', source: `file: ${file.name}`, bytes: new Uint8Array(buffer) }, [buffer]);
  } catch (e) {
    showError(`Could not read ${file.name}: ${e.message}`, 'addModel');
  }
}

function drawLoss() {
  if (!wasm) return;
  const series = [];
  let epochs = 0;
  for (const kind of AE_KINDS) {
    // A model being trained shows its new history (empty before its first epoch).
    const history = state.training?.kinds.includes(kind)
      ? state.training.histories[kind]
      : state.records.get(kind)?.result.model.history;
    if (!history || !history.epochs || history.epochs.length === 0) continue;
    series.push({
      name: TITLES[kind],
      kind,
      train: history.epochs.map((e) => e.train_loss),
      validation: history.epochs.map((e) => (typeof e.val_loss === 'number' ? e.val_loss : null)),
    });
    epochs += history.epochs.length;
  }
  const canvas = $('#loss-canvas');
  draw('the loss chart', () => wasm.draw_loss(canvas, 'Loss per epoch: training (solid), validation (dashed)', series));
  canvas.dataset.epochs = String(epochs);
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

function freeRecord(rec) {
  if (!rec) return;
  for (const v of rec.views) {
    try { v.tv?.free(); } catch { /* already freed */ }
  }
}

function clearRecords() {
  for (const rec of state.records.values()) freeRecord(rec);
  state.records.clear();
  renderResults();
}

function orderedRecords() {
  return KINDS.map((k) => state.records.get(k)).filter(Boolean);
}

function testNames() {
  const names = [];
  for (const rec of orderedRecords()) for (const v of rec.views) if (!names.includes(v.view.test_set)) names.push(v.view.test_set);
  return names;
}

function pngButton(canvas, name) {
  return h('button', { type: 'button', class: 'png', text: 'Save PNG', 'aria-label': `Save the chart ${name} as PNG`, onclick: () => savePng(canvas, name) });
}

function chartFigure(canvas, caption, name, explanation = null) {
  return h('figure', { class: 'chart' }, canvas, h('figcaption', {}, caption, ' ', pngButton(canvas, name)), explanation);
}

/** A short plain-language explanation beside a chart (hidden with hide=notes). */
function explain(id, ...paragraphs) {
  return h('div', { class: 'explain', 'data-explain': id }, paragraphs.filter(Boolean).map((p) => h('p', {}, p)));
}

/** "Isolation Forest 0.9731, Dense autoencoder 0.9512": values as the wasm computed them. */
function listValues(items) {
  return items.map(({ name, value }) => `${name} ${fixed(value)}`).join(', ');
}

function renderResults() {
  const records = orderedRecords();
  $('#results-empty').hidden = records.length > 0;
  renderTable(records);
  renderCurves(records);
  renderCards(records); // renders the exports table too
  drawLoss();
  renderAttackChoices();
  scheduleHash();
}

function renderTable(records) {
  const body = $('#results-table tbody');
  const rows = [];
  for (const rec of records) {
    for (const { view } of rec.views) {
      const e = view.evaluation;
      const cell = (field, value) => h('td', { class: 'num', 'data-field': field, text: value });
      rows.push(h('tr', { 'data-model': rec.kind, 'data-test': view.test_set },
        h('th', { scope: 'row', 'data-field': 'model', text: rec.result.model.title }),
        h('td', { 'data-field': 'test_set', text: view.test_set }),
        cell('roc_auc', e ? fixed(e.roc_auc) : '—'),
        cell('average_precision', e ? fixed(e.average_precision) : '—'),
        cell('f1', e ? fixed(e.f1) : '—'),
        cell('precision', e ? fixed(e.precision) : '—'),
        cell('recall', e ? fixed(e.recall) : '—'),
        cell('accuracy', e ? fixed(e.accuracy) : '—'),
        cell('threshold', thr(view.threshold)),
        h('td', { 'data-field': 'source' }, rec.result.model.source,
          e ? null : h('span', { class: 'note', title: view.message || '', text: ' (no metrics: see below)' }))));
    }
  }
  body.replaceChildren(...rows);
}

function renderCurves(records) {
  const box = $('#curves');
  const figures = [];
  const drawings = [];
  for (const test of testNames()) {
    const views = records
      .map((rec) => ({ rec, v: rec.views.find((x) => x.view.test_set === test) }))
      .filter((x) => x.v);
    const evaluated = views.filter((x) => x.v.view.evaluation);
    const group = h('div', { class: 'curve-group', 'data-test': test }, h('h3', { text: `All models on ${test}` }));
    if (evaluated.length === 0) {
      const why = views.find((x) => x.v.view.message)?.v.view.message || 'this test set has no labels';
      group.append(h('p', { class: 'note', text: `No ROC or precision–recall curves: ${why}.` }));
      figures.push(group);
      continue;
    }
    const roc = h('canvas', { width: 600, height: 460, 'data-chart': 'roc', 'data-test': test, role: 'img', 'aria-label': `ROC curves of every model on ${test}` });
    const pr = h('canvas', { width: 600, height: 460, 'data-chart': 'pr', 'data-test': test, role: 'img', 'aria-label': `Precision–recall curves of every model on ${test}` });
    const e0 = evaluated[0].v.view.evaluation;
    const aucs = listValues(evaluated.map(({ rec, v }) => ({ name: rec.result.model.title, value: v.view.evaluation.roc_auc })));
    const aps = listValues(evaluated.map(({ rec, v }) => ({ name: rec.result.model.title, value: v.view.evaluation.average_precision })));
    group.append(h('div', { class: 'pair' },
      chartFigure(roc, 'ROC: true positive rate against false positive rate (AUC in the legend).', `roc_${safeName(test)}`,
        explain('roc',
          'Slide the threshold from strict to lenient and follow the share of attacks caught (up) against the share of normal rows wrongly flagged (right). The area under the curve, ROC AUC, is the chance that a random attack row scores higher than a random normal row: 0.5 is a coin toss (the diagonal), 1 is perfect.',
          `Here, on ${test}: ${aucs}. AUC ignores the threshold, so it judges the score itself — not how many false alarms you would get at the threshold you actually use.`)),
      chartFigure(pr, 'Precision against recall (average precision in the legend).', `pr_${safeName(test)}`,
        explain('pr',
          'Precision is the share of flagged rows that really are attacks; recall is the share of attacks that got flagged. Lowering the threshold moves right along the curve: more attacks caught, more normal rows caught with them.',
          `Here ${count(e0.attacks)} of the ${count(e0.rows)} test rows are attacks, so even flagging everything would give that share as precision: judge the curves against that floor, not against 0. Average precision: ${aps}.`))));
    figures.push(group);
    drawings.push(() => {
      draw('the ROC curves', () => wasm.draw_roc(roc, `ROC: ${test}`, evaluated.map(({ rec, v }) => ({
        name: rec.result.model.title, kind: rec.result.model.kind, fpr: v.view.evaluation.roc.fpr, tpr: v.view.evaluation.roc.tpr, auc: v.view.evaluation.roc_auc,
      }))));
      draw('the precision–recall curves', () => wasm.draw_pr(pr, `Precision–recall: ${test}`, evaluated.map(({ rec, v }) => ({
        name: rec.result.model.title, kind: rec.result.model.kind, precision: v.view.evaluation.pr.precision, recall: v.view.evaluation.pr.recall, ap: v.view.evaluation.average_precision,
      }))));
    });
  }
  box.replaceChildren(...figures);
  for (const d of drawings) d();
}

function describeModel(rec) {
  const m = rec.result.model;
  const parts = [`source: ${m.source}`, `protocol: ${m.protocol}`, `${count(m.train_rows)} training rows`, `threshold ${thr(m.threshold)}`];
  if (m.history) {
    const why = { completed: 'all epochs ran', 'early-stopped': 'stopped early', cancelled: 'cancelled: best weights so far kept' }[m.history.stop] || m.history.stop;
    parts.push(`${m.history.epochs.length} epoch(s), ${why}, best epoch ${m.history.best_epoch}`);
  }
  return parts.join(' · ');
}

function renderCards(records) {
  const box = $('#model-cards');
  const cards = [];
  const updates = [];
  for (const rec of records) {
    const kind = rec.kind;
    const title = rec.result.model.title;
    rec.views.forEach((rv, index) => {
      const { view } = rv;
      const e = view.evaluation;
      const suffix = index === 0 ? kind : `${kind}-${index + 1}`;
      const card = h('article', { class: 'model-card', 'data-model': kind, 'data-test': view.test_set, 'aria-label': `${title} on ${view.test_set}` });
      card.append(h('h3', { text: `${title} on ${view.test_set}` }), h('p', { class: 'meta', text: describeModel(rec) }));
      if (!e) card.append(h('p', { class: 'note', text: `No metrics: ${view.message || 'this test set has no labels'}. The histogram shows every row's score.` }));

      const hist = h('canvas', { width: 620, height: 380, 'data-chart': `histogram-${suffix}`, role: 'img', 'aria-label': `Score histogram of ${title}, normal and attack rows, with the threshold line` });
      const conf = e ? h('canvas', { width: 460, height: 380, 'data-chart': `confusion-${suffix}`, role: 'img', 'aria-label': `Confusion matrix of ${title} at the chosen threshold` }) : null;
      const cats = e ? h('canvas', { width: 620, height: 380, 'data-chart': `categories-${suffix}`, role: 'img', 'aria-label': `Share of rows flagged per category by ${title}` }) : null;

      // Threshold slider in rank space: position q sets the threshold that flags the
      // top 1 − q of rows (ThresholdView does the mapping), so it moves smoothly however
      // skewed the scores (reconstruction errors span decades); the number box is exact.
      const toSlider = (t) => (rv.tv ? rv.tv.quantile_of(t) : 0.5);
      const fromSlider = (q) => (rv.tv ? rv.tv.threshold_at(q) : view.threshold);
      const sliderId = `threshold-${suffix}`;
      const slider = h('input', { type: 'range', id: sliderId, 'data-testid': sliderId, min: '0', max: '1', step: '0.0005', 'aria-describedby': `numbers-${suffix}`, 'aria-label': `Threshold of ${title} (by share of rows below it)` });
      slider.value = String(toSlider(rv.threshold));
      const exact = h('input', { type: 'number', step: 'any', class: 'thr-value', id: `threshold-value-${suffix}`, 'aria-label': `Threshold of ${title} (exact value)` });
      const numbers = h('dl', { class: 'confusion-numbers', id: `numbers-${suffix}`, 'data-testid': `confusion-${suffix}` });
      const reset = h('button', { type: 'button', text: 'Back to the model threshold' });

      const update = (value) => {
        rv.threshold = value;
        if (document.activeElement !== exact) exact.value = String(value);
        if (!rv.tv) return;
        let at;
        try {
          at = rv.tv.at(value);
        } catch (err) {
          showError(`The threshold view failed: ${err.message}`, 'threshold');
          return;
        }
        const c = at.confusion;
        numbers.dataset.tn = c.tn;
        numbers.dataset.fp = c.fp;
        numbers.dataset.fn = c.fn_;
        numbers.dataset.tp = c.tp;
        numbers.dataset.threshold = value;
        if (e) {
          numbers.replaceChildren(
            h('dt', { text: 'TN' }), h('dd', { text: count(c.tn) }),
            h('dt', { text: 'FP' }), h('dd', { text: count(c.fp) }),
            h('dt', { text: 'FN' }), h('dd', { text: count(c.fn_) }),
            h('dt', { text: 'TP' }), h('dd', { text: count(c.tp) }),
            h('dt', { text: 'Precision' }), h('dd', { 'data-field': 'precision', text: fixed(at.precision) }),
            h('dt', { text: 'Recall' }), h('dd', { 'data-field': 'recall', text: fixed(at.recall) }),
            h('dt', { text: 'F1' }), h('dd', { 'data-field': 'f1', text: fixed(at.f1) }),
            h('dt', { text: 'Accuracy' }), h('dd', { 'data-field': 'accuracy', text: fixed(at.accuracy) }),
            h('dt', { text: 'False positive rate' }), h('dd', { 'data-field': 'false_positive_rate', text: fixed(at.false_positive_rate) }));
          draw('the confusion matrix', () => wasm.draw_confusion(conf, `${title}: confusion at ${thr(value)}`, c));
        } else {
          // Unlabelled: every row counts as "attack" in the sorted scores, so TP = rows flagged.
          numbers.replaceChildren(h('dt', { text: 'Rows above the threshold' }), h('dd', { text: count(c.tp) }),
            h('dt', { text: 'Rows at or below' }), h('dd', { text: count(c.fn_) }));
        }
        draw('the histogram', () => wasm.draw_histogram(hist, `${title}: scores on ${view.test_set}`, view.histogram, value, rec.result.model.score_name));
        const exportButton = $(`[data-testid="export-predictions-${suffix}"]`);
        if (exportButton) exportButton.textContent = `Predictions CSV at ${thr(value)}`;
        scheduleHash();
        if (state.attackChoice === `${kind}|${view.test_set}`) scheduleBreakdown();
      };
      slider.addEventListener('input', () => update(fromSlider(Number(slider.value))));
      exact.addEventListener('change', () => {
        const value = Number(exact.value);
        if (exact.value.trim() === '' || !Number.isFinite(value)) {
          exact.value = String(rv.threshold);
          return;
        }
        slider.value = String(toSlider(value));
        update(value);
      });
      reset.addEventListener('click', () => {
        slider.value = String(toSlider(view.threshold));
        update(view.threshold);
      });

      const controls = h('div', { class: 'threshold' },
        h('div', { class: 'slider-row' }, h('label', { for: sliderId, text: 'Threshold' }), slider, exact, reset),
        numbers);
      // Explanations: open on the first card, folded on the others.
      const fold = (node) => (cards.length === 0 ? node : h('details', { class: 'explain-fold' }, h('summary', { text: 'What does this show?' }), node));
      const isForest = kind === 'if';
      const histNote = explain('histogram',
        `Bars count the rows by ${isForest ? 'anomaly score (short average path in the random trees = high score)' : 'reconstruction error (how badly the network rebuilds the row)'}, normal in blue and attack in vermillion, on log scales. The black line is the threshold: everything right of it is flagged.`,
        isForest
          ? 'The model’s own threshold flags the top share of its training normals set by “contamination” (5 % by default): some false alarms are built in. Move the slider and watch which colour crosses the line.'
          : 'The model’s own threshold is the 95th percentile of its training errors: 5 % of the normal rows it trained on are flagged by design. Move the slider and watch which colour crosses the line.');
      const confNote = e ? explain('confusion',
        'Four counts at the slider threshold: normal rows kept (TN) and wrongly flagged (FP), attacks missed (FN) and caught (TP). Precision is TP against everything flagged; recall is TP against every attack.',
        `Here, at its own threshold (${thr(view.threshold)}), ${title} catches ${count(e.confusion.tp)} attacks, misses ${count(e.confusion.fn_)} and raises ${count(e.confusion.fp)} false alarms; the slider redraws the matrix for any other threshold.`) : null;
      const catNote = e ? explain('categories',
        'Each bar is the share of one category’s rows flagged at the model’s threshold; for normal it is the false-alarm rate. DoS floods and probes are many and extreme, so nearly every detector catches them; R2L (remote-to-local: password guessing, ftp_write, warezmaster) and U2R (user-to-root: buffer overflows, rootkits) look like ordinary sessions.',
        'Those last two categories are where a single AUC hides the weakness: they are few, so they hardly move the AUC even when almost all of them are missed. Section 6 breaks this down per label.') : null;
      const charts = h('div', { class: 'card-charts' },
        chartFigure(hist, 'Score histogram (log counts); the black line is the threshold.', `histogram_${suffix}`, fold(histNote)),
        conf ? chartFigure(conf, 'Confusion matrix at the slider threshold.', `confusion_${suffix}`, confNote && fold(confNote)) : null,
        cats ? chartFigure(cats, 'Share flagged per category at the model threshold (normal: false positive rate).', `categories_${suffix}`, catNote && fold(catNote)) : null);
      card.append(controls, charts);
      cards.push(card);
      updates.push(() => {
        if (cats) draw('the category chart', () => wasm.draw_categories(cats, `${title}: share flagged per category`, e.by_category));
        update(rv.threshold);
      });
    });
  }
  box.replaceChildren(...cards);
  // Export buttons (renamed by update) live in the exports table: render it first.
  renderExports(records);
  for (const u of updates) u();
}

function renderExports(records) {
  const body = $('#export-models tbody');
  const rows = [];
  for (const rec of records) {
    const kind = rec.kind;
    const predictions = rec.views.map((rv, index) => {
      const suffix = index === 0 ? kind : `${kind}-${index + 1}`;
      return h('button', {
        type: 'button',
        'data-testid': `export-predictions-${suffix}`,
        text: `Predictions CSV at ${thr(rv.threshold)}`,
        title: `Predictions of ${rec.result.model.title} on ${rv.view.test_set}`,
        onclick: () => {
          if (!worker) return;
          worker.postMessage({ type: 'export', what: 'predictions', id: rec.result.model.id, test: rv.view.test_set, threshold: rv.threshold });
        },
      });
    });
    rows.push(h('tr', { 'data-model': kind },
      h('th', { scope: 'row', text: rec.result.model.title }),
      h('td', {}, predictions),
      h('td', {}, h('button', {
        type: 'button',
        'data-testid': `export-model-${kind}`,
        text: `${kind}.nam`,
        'aria-label': `Save the ${rec.result.model.title} model file`,
        onclick: () => download(rec.modelBytes, `${kind}.nam`),
      }))));
  }
  body.replaceChildren(...rows);
}

// ---------------------------------------------------------------------------
// Per attack: counts per label and category at the slider threshold, top records
// ---------------------------------------------------------------------------

let breakdownTimer = 0;
/** The last breakdown asked for ({id, test, threshold}); older answers are dropped. */
let breakdownAsked = null;

function renderAttackChoices() {
  const select = $('#attack-model');
  const options = [];
  for (const rec of orderedRecords()) {
    for (const rv of rec.views) options.push({ value: `${rec.kind}|${rv.view.test_set}`, text: `${rec.result.model.title} on ${rv.view.test_set}` });
  }
  if (options.length === 0) {
    select.replaceChildren(h('option', { value: '', text: '(train or load a model first)' }));
    state.attackChoice = null;
    clearBreakdown('');
    return;
  }
  const wanted = state.attackChoice;
  const fromLink = opened.get('attack');
  let value = options.find((o) => o.value === wanted)?.value
    || (fromLink && options.find((o) => o.value.startsWith(`${fromLink}|`))?.value)
    || options[0].value;
  select.replaceChildren(...options.map((o) => h('option', { value: o.value, text: o.text })));
  select.value = value;
  state.attackChoice = value;
  scheduleBreakdown();
}

function clearBreakdown(text) {
  $('#attack-summary').textContent = text;
  $('#attack-categories tbody').replaceChildren();
  $('#attack-labels tbody').replaceChildren();
  $('#top-records thead').replaceChildren();
  $('#top-records tbody').replaceChildren();
  delete $('#attacks').dataset.ready;
}

/** The record and view the per-attack select points at. */
function attackTarget() {
  if (!state.attackChoice) return null;
  const [kind, ...rest] = state.attackChoice.split('|');
  const test = rest.join('|');
  const rec = state.records.get(kind);
  const rv = rec?.views.find((v) => v.view.test_set === test);
  return rec && rv ? { rec, rv, kind, test } : null;
}

function scheduleBreakdown() {
  delete $('#attacks').dataset.ready;
  clearTimeout(breakdownTimer);
  breakdownTimer = setTimeout(requestBreakdown, 120);
}

function requestBreakdown() {
  const target = attackTarget();
  if (!target || !worker || !workerReady || $('#attacks').hidden) return;
  const n = Math.max(1, Math.min(1000, Math.floor(Number($('#attack-top').value) || 25)));
  const threshold = target.rv.threshold;
  breakdownAsked = { id: target.rec.result.model.id, test: target.test, threshold, n };
  delete $('#attacks').dataset.ready;
  worker.postMessage({ type: 'breakdown', ...breakdownAsked });
}

/** The share flagged of a breakdown row, as the wasm reports it (never computed here); null if it does not. */
function shareOf(row) {
  for (const key of ['rate', 'share', 'recall']) if (typeof row[key] === 'number') return fixed(row[key], 3);
  return null;
}

function onBreakdown(m) {
  const asked = breakdownAsked;
  if (!asked || asked.id !== m.id || asked.test !== m.test || asked.threshold !== m.threshold || asked.n !== m.n) return;
  const target = attackTarget();
  const title = target ? target.rec.result.model.title : 'model';
  const b = m.breakdown || {};
  const byCategory = Array.isArray(b.by_category) ? b.by_category : [];
  const byLabel = Array.isArray(b.by_label) ? b.by_label : [];
  $('#attack-summary').textContent = byLabel.length
    ? `${title} on ${m.test}, threshold ${thr(m.threshold)}: ${byLabel.length} labels in ${byCategory.length} categories; the ${count(m.top.length)} highest-scoring records below.`
    : `${title} on ${m.test}, threshold ${thr(m.threshold)}: this test set has no labels; the ${count(m.top.length)} highest-scoring records below.`;
  // The share column only when the wasm reports shares; the chart below draws them anyway.
  const withShare = [...byCategory, ...byLabel].some((r) => shareOf(r) !== null);
  for (const table of ['#attack-categories', '#attack-labels']) $(table).classList.toggle('no-share', !withShare);
  const row = (r, withCategory) => h('tr', { 'data-name': r.name, 'data-category': r.category },
    h('th', { scope: 'row', text: r.name }),
    withCategory ? h('td', { text: r.category }) : null,
    h('td', { class: 'num', 'data-field': 'flagged', text: count(r.flagged) }),
    h('td', { class: 'num', 'data-field': 'total', text: count(r.total) }),
    withShare ? h('td', { class: 'num', 'data-field': 'share', text: shareOf(r) ?? '—' }) : null);
  $('#attack-categories tbody').replaceChildren(...byCategory.map((r) => row(r, false)));
  $('#attack-labels tbody').replaceChildren(...byLabel.map((r) => row(r, true)));
  const canvas = $('#attack-canvas');
  $('.attack-chart').hidden = byLabel.length === 0;
  if (byLabel.length) draw('the per-label chart', () => wasm.draw_categories(canvas, `${title}: share flagged per label at ${thr(m.threshold)}`, byLabel));

  const top = Array.isArray(m.top) ? m.top : [];
  const features = top[0]?.features?.map(([name]) => name) || [];
  $('#top-records thead').replaceChildren(h('tr', {},
    ['Rank', 'Record', 'Score', 'Above the slider threshold', 'Label', 'Category', ...features].map((c) => h('th', { scope: 'col', text: c }))));
  $('#top-records tbody').replaceChildren(...top.map((r, i) => h('tr', { 'data-record': r.record_id, class: r.flagged ? 'flagged' : null },
    h('td', { class: 'num', text: String(i + 1) }),
    h('td', { class: 'num', 'data-field': 'record_id', text: String(r.record_id) }),
    h('td', { class: 'num', 'data-field': 'score', text: thr(r.score) }),
    h('td', { 'data-field': 'flagged', text: r.flagged ? 'yes' : 'no' }),
    h('td', { 'data-field': 'label', text: r.label ?? '—' }),
    h('td', { 'data-field': 'category', text: r.category ?? '—' }),
    (r.features || []).map(([, v]) => h('td', { class: /^-?[0-9.]+(e-?[0-9]+)?$/i.test(String(v)) ? 'num' : null, text: String(v) })))));
  $('#attacks').dataset.ready = '1';
}

// ---------------------------------------------------------------------------
// Why 0.51: the one-click demonstration
// ---------------------------------------------------------------------------

function onMistakeClick() {
  if (!readyToStart()) return;
  if (!state.trainSummary) {
    showError('Load a file (or the built-in sample) first.', 'mistake');
    return;
  }
  let settings;
  try {
    settings = settingsFor('dense');
  } catch (e) {
    showError(e.message, 'settings');
    return;
  }
  $('#mistake-summary').textContent = 'Training the dense autoencoder on every row, then on the normal rows only…';
  beginTraining(['dense'], [settings], $('#watch-histogram').checked, 'Demonstrated the two mistakes with the dense autoencoder', 'run', true);
}

function onMistake(m) {
  const rows = [];
  const add = (id, trainedOn, scored, part) => {
    if (!part?.view) return;
    const e = part.view.evaluation;
    rows.push(h('tr', { 'data-row': id },
      h('th', { scope: 'row', text: trainedOn }),
      h('td', { text: scored }),
      h('td', { text: part.view.test_set }),
      h('td', { class: 'num', text: count(part.model?.train_rows) }),
      h('td', { class: 'num', 'data-testid': `mistake-auc-${id}`, 'data-field': 'roc_auc', text: e ? fixed(e.roc_auc) : '—' }),
      h('td', { class: 'num', 'data-field': 'average_precision', text: e ? fixed(e.average_precision) : '—' })));
  };
  add('normal', 'Normal rows only (the right way)', 'higher error = attack', m.normal);
  add('allrows', 'Every row, attacks included (mistake 1)', 'higher error = attack', m.allRows);
  add('flipped', 'Normal rows only', 'the wrong way round (mistake 2)', m.flipped ? { model: m.normal.model, view: m.flipped } : null);
  const table = $('#mistake-table');
  $('tbody', table).replaceChildren(...rows);
  table.hidden = rows.length === 0;
  const a = m.normal?.view?.evaluation;
  const b = m.allRows?.view?.evaluation;
  const c = m.flipped?.evaluation;
  if (a && b && c) {
    $('#mistake-summary').textContent = `Trained on every row, the same network’s ROC AUC goes from ${fixed(a.roc_auc)} to ${fixed(b.roc_auc)}: it learned to rebuild the attacks. Scored the wrong way round, ${fixed(a.roc_auc)} becomes ${fixed(c.roc_auc)} (1 − ${fixed(a.roc_auc)}).`;
    const fig = $('#mistake-figure');
    fig.hidden = false;
    draw('the mistake ROC chart', () => wasm.draw_roc($('#mistake-canvas'), 'ROC: the same dense autoencoder', [
      { name: 'normal rows only', fpr: a.roc.fpr, tpr: a.roc.tpr, auc: a.roc_auc },
      { name: 'every row (mistake 1)', fpr: b.roc.fpr, tpr: b.roc.tpr, auc: b.roc_auc },
      { name: 'scored backwards (mistake 2)', fpr: c.roc.fpr, tpr: c.roc.tpr, auc: c.roc_auc },
    ]));
  } else {
    $('#mistake-summary').textContent = 'No AUC to compare: the loaded file needs labels with both normal and attack rows.';
  }
  $('#mistake').dataset.ready = '1';
  // Both trainings go to the Runs table: they differ in one knob, the protocol.
  const settings = state.training?.settings?.dense;
  const data = state.training?.data ?? describeData();
  for (const part of [m.normal, m.allRows]) {
    if (!part?.model) continue;
    appendRun(data, [runModel('dense', part.model, settings, [part.view].filter(Boolean), part === m.allRows ? 'all rows: mistake 1' : '')]);
  }
}

// ---------------------------------------------------------------------------
// Runs: every finished training run, kept in localStorage
// ---------------------------------------------------------------------------

function runModel(kind, model, settings, views, note = '') {
  return {
    kind,
    title: model.title || TITLES[kind] || kind,
    protocol: model.protocol,
    note,
    shared: sharedSettings(settings),
    settings: modelSettings(kind, settings),
    epochs: model.history ? model.history.epochs.length : null,
    results: views.map((view) => {
      const e = view.evaluation;
      return {
        test: view.test_set,
        roc_auc: e?.roc_auc ?? null,
        average_precision: e?.average_precision ?? null,
        f1: e?.f1 ?? null,
        precision: e?.precision ?? null,
        recall: e?.recall ?? null,
        threshold: view.threshold,
      };
    }),
  };
}

function appendRun(data, models) {
  if (models.length === 0) return;
  const n = (state.runs.at(-1)?.n ?? 0) + 1;
  state.runs.push({ n, at: new Date().toISOString(), data, models });
  if (!saveRuns(state.runs)) showError('The runs could not be saved in this browser (storage full or disabled); they stay until you reload.', 'runs');
  renderRuns(true);
}

/** A finished (or cancelled) training run → one entry in the Runs table. */
function recordRun(training, cancelled) {
  if (training.mistake) return; // its own entries come with the "mistake" message
  const models = [];
  for (const kind of training.kinds) {
    const rec = state.records.get(kind);
    if (!rec || rec.runId !== training.id) continue;
    const h0 = rec.result.model.history;
    const note = cancelled || h0?.stop === 'cancelled' ? 'cancelled' : (h0?.stop === 'early-stopped' ? 'early-stopped' : '');
    models.push(runModel(kind, rec.result.model, training.settings[kind], rec.views.map((v) => v.view), note));
  }
  appendRun(training.data, models);
}

function renderRuns(scroll = false) {
  const table = $('#runs-table');
  $('thead tr', table).replaceChildren(...COLUMNS.map((c, i) => h('th', { scope: 'col', class: NUMERIC.has(i) ? 'num' : null, text: c })));
  const mark = (text, key, changed) => (changed.has(key)
    ? h('mark', { class: 'changed', 'data-key': key }, text, h('span', { class: 'visually-hidden', text: ' (changed)' }))
    : text);
  const tokens = (pairs, changed) => pairs.flatMap(([k, v], i) => [i ? ', ' : null, mark(`${k} ${v ?? ''}`, k, changed)]);
  const rows = runRows(state.runs).map(({ run, model: m, result: r, changed }) => h('tr', {
    'data-run': run.n, 'data-model': m.kind, 'data-test': r.test, 'data-changed': [...changed].join(','),
  },
  h('th', { scope: 'row', 'data-field': 'run', text: String(run.n) }),
  h('td', { 'data-field': 'model' }, mark(`${m.title}${m.note ? ` (${m.note})` : ''}`, 'model', changed)),
  h('td', { 'data-field': 'test_set', text: r.test || '—' }),
  h('td', { class: 'num', 'data-field': 'roc_auc', text: fixed(r.roc_auc) }),
  h('td', { class: 'num', 'data-field': 'average_precision', text: fixed(r.average_precision) }),
  h('td', { class: 'num', 'data-field': 'f1', text: fixed(r.f1) }),
  h('td', { class: 'num', 'data-field': 'precision', text: fixed(r.precision) }),
  h('td', { class: 'num', 'data-field': 'recall', text: fixed(r.recall) }),
  h('td', { class: 'num', 'data-field': 'epochs', text: m.epochs ?? '—' }),
  h('td', { 'data-field': 'data' }, mark(run.data, 'data', changed)),
  h('td', { 'data-field': 'protocol' }, mark(m.protocol, 'protocol', changed)),
  h('td', { 'data-field': 'settings' }, tokens([...m.shared, ...m.settings], changed))));
  $('tbody', table).replaceChildren(...rows);
  $('#runs-empty').hidden = rows.length > 0;
  if (scroll) {
    const wrap = table.closest('.table-wrap');
    wrap.scrollTop = wrap.scrollHeight;
  }
}

// ---------------------------------------------------------------------------
// The view: theme, panels, the link in the hash, offline
// ---------------------------------------------------------------------------

const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
/** "dark" | "light" when chosen (button or link); null follows the system. */
let chosenTheme = null;

function effectiveTheme() {
  return chosenTheme || (darkQuery?.matches ? 'dark' : 'light');
}

function setTheme(theme, remember) {
  chosenTheme = theme === 'dark' || theme === 'light' ? theme : null;
  if (chosenTheme) document.documentElement.dataset.theme = chosenTheme;
  else delete document.documentElement.dataset.theme;
  const dark = effectiveTheme() === 'dark';
  const button = $('#theme-toggle');
  // A toggle: one name, its state in aria-pressed (and the filled look).
  button.setAttribute('aria-pressed', dark ? 'true' : 'false');
  button.title = dark ? 'Dark mode is on: switch to light' : 'Dark mode is off: switch to dark';
  if (remember) {
    try { localStorage.setItem('netanomaly.theme', chosenTheme || ''); } catch { /* not kept */ }
  }
  scheduleHash();
}

function hiddenPanels() {
  return PANELS.filter((p) => (p === 'notes' ? 'hideNotes' in document.body.dataset : document.getElementById(p)?.hidden));
}

function applyHidden(hide) {
  for (const p of PANELS) {
    const off = hide.includes(p);
    if (p === 'notes') {
      if (off) document.body.dataset.hideNotes = '1';
      else delete document.body.dataset.hideNotes;
    } else {
      const section = document.getElementById(p);
      if (section) {
        const was = section.hidden;
        section.hidden = off;
        if (p === 'attacks' && was && !off) scheduleBreakdown(); // not kept up while hidden
      }
    }
    const box = $(`#panel-${p}`);
    if (box) box.checked = !off;
  }
}

function buildPanelChecks() {
  const box = $('#panel-checks');
  for (const p of PANELS) {
    box.append(h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `panel-${p}`, 'data-testid': `panel-${p}`, checked: true,
        onchange: () => { applyHidden(PANELS.filter((q) => !$(`#panel-${q}`).checked)); scheduleHash(); } }),
      h('label', { for: `panel-${p}`, text: PANEL_TITLES[p] })));
  }
}

/** Put the link's settings into the form (before anything trains). */
function applyHash(params, { view = true, form = true, thresholds = true } = {}) {
  if (form) {
    const protocol = protocolFromHash(params.get('protocol'));
    if (protocol) setProtocolUi(protocol);
    if (params.has('models')) {
      const ticks = list(params.get('models'));
      for (const kind of KINDS) $(`#model-${kind}`).checked = ticks.includes(kind);
    }
    for (const [key, id, type] of FIELDS) {
      if (!params.has(key)) continue;
      const el = document.getElementById(id);
      const value = params.get(key);
      if (type === 'check') el.checked = value === '1' || value === 'true' || value === 'on';
      else if (el.tagName === 'SELECT') {
        if ([...el.options].some((o) => o.value === value)) el.value = value;
      } else el.value = value;
    }
    for (const kind of thresholds ? KINDS : []) {
      const value = Number(params.get(`thr.${kind}`));
      if (params.has(`thr.${kind}`) && Number.isFinite(value)) state.pendingThresholds[kind] = value;
    }
  }
  if (view) {
    applyHidden(list(params.get('hide')).filter((p) => PANELS.includes(p)));
    const theme = params.get('theme');
    if (theme === 'dark' || theme === 'light') setTheme(theme, false);
  }
}

/** The current view as hash entries (see README.md, "Sharing a view"). */
function currentHash() {
  const e = [];
  e.push(['protocol', PROTOCOLS[chosenProtocol().kind]]);
  const ticked = KINDS.filter((k) => $(`#model-${k}`).checked);
  e.push(['models', ticked.length ? ticked.join(',') : 'none']);
  for (const [key, id, type] of FIELDS) {
    const el = document.getElementById(id);
    e.push([key, type === 'check' ? (el.checked ? '1' : '0') : el.value]);
  }
  for (const kind of KINDS) {
    const rec = state.records.get(kind);
    const value = rec ? rec.views[0]?.threshold : state.pendingThresholds[kind];
    if (typeof value === 'number' && Number.isFinite(value)) e.push([`thr.${kind}`, String(value)]);
  }
  const isFile = state.train?.type === 'file' || (!state.train && opened.get('data') === 'file');
  e.push(['data', isFile ? 'file' : 'sample']);
  if (isFile) {
    e.push(['file', state.train?.name ?? opened.get('file')]);
    e.push(['test', state.test?.name ?? (state.train ? null : opened.get('test'))]);
  }
  const records = orderedRecords();
  let run = 'train';
  if (records.length && records.every((r) => r.runId === null || r.runId === undefined)) {
    run = records.some((r) => String(r.result.model.source).startsWith('bundled')) ? 'bundled' : 'none';
  }
  e.push(['run', run]);
  const attack = state.attackChoice?.split('|')[0];
  if (attack) e.push(['attack', attack]);
  const hide = hiddenPanels();
  if (hide.length) e.push(['hide', hide.join(',')]);
  if (chosenTheme) e.push(['theme', chosenTheme]);
  return formatHash(e);
}

let hashTimer = 0;

function scheduleHash() {
  if (!state.hashLive) return;
  clearTimeout(hashTimer);
  hashTimer = setTimeout(writeHash, 200);
}

function writeHash() {
  clearTimeout(hashTimer);
  if (!state.hashLive) return;
  const hash = `#${currentHash()}`;
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
  const link = $('#share-link');
  if (!link.hidden) link.value = location.href;
}

async function copyLink() {
  writeHash();
  const link = $('#share-link');
  link.value = location.href;
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus('Link to this view copied: opening it restores these settings and trains the same way.');
  } catch {
    // No clipboard here: show the link, selected, to copy by hand.
    link.hidden = false;
    link.focus();
    link.select();
    setStatus('Copy the link from the box in the header (Ctrl+C).');
  }
}

/** Offline: register sw.js (relative: works under any path), show when the site is kept. */
function registerServiceWorker() {
  const badge = $('#offline-badge');
  const show = () => {
    if (!navigator.onLine) badge.textContent = 'Offline: running from this browser’s copy';
    else if (document.body.dataset.offline === 'ready') badge.textContent = 'Works offline';
    else badge.textContent = '';
  };
  window.addEventListener('online', show);
  window.addEventListener('offline', show);
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    show();
    return;
  }
  navigator.serviceWorker.register('sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.body.dataset.offline = 'ready';
      show();
    })
    .catch(() => {
      document.body.dataset.offline = 'unavailable';
      show();
    });
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function wireUi() {
  for (const zone of $$('.drop')) wireDropZone(zone);
  // A file dropped beside the zones must not replace the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('#train-file').addEventListener('change', (e) => loadFile('train', e.target.files[0]));
  $('#test-file').addEventListener('change', (e) => loadFile('test', e.target.files[0]));
  $('#sample').addEventListener('click', () => {
    clearErrors();
    if (!workerReady) return;
    loadSample(false);
  });
  for (const radio of $$('input[name="protocol"]')) radio.addEventListener('change', () => { clearErrors(); sendProtocol(); });
  for (const id of ['#holdout-fraction', '#holdout-seed']) {
    $(id).addEventListener('change', () => {
      if (chosenProtocol().kind === 'holdout') sendProtocol();
    });
  }
  $('#train').addEventListener('click', () => onTrainClick('run'));
  $('#train-step').addEventListener('click', () => onTrainClick('step'));
  for (const type of ['play', 'pause', 'step']) $(`#${type}`).addEventListener('click', () => onTransport(type));
  $('#cancel').addEventListener('click', onCancelClick);
  $('#mistake-run').addEventListener('click', onMistakeClick);
  $('#attack-model').addEventListener('change', (e) => {
    state.attackChoice = e.target.value || null;
    delete $('#attacks').dataset.ready;
    scheduleBreakdown();
    scheduleHash();
  });
  $('#attack-top').addEventListener('change', scheduleBreakdown);
  $('#runs-markdown').addEventListener('click', () => {
    download(runsMarkdown(state.runs), 'runs.md', 'text/markdown');
    state.lastAction = 'Exported runs.md';
    finishIfIdle();
  });
  $('#runs-csv').addEventListener('click', () => {
    download(runsCsv(state.runs), 'runs.csv', 'text/csv');
    state.lastAction = 'Exported runs.csv';
    finishIfIdle();
  });
  $('#runs-clear').addEventListener('click', () => {
    state.runs = [];
    saveRuns(state.runs);
    renderRuns();
    state.lastAction = 'Cleared the runs table';
    finishIfIdle();
  });
  $('#theme-toggle').addEventListener('click', () => setTheme(effectiveTheme() === 'dark' ? 'light' : 'dark', true));
  darkQuery?.addEventListener?.('change', () => { if (!chosenTheme) setTheme(null, false); });
  $('#copy-link').addEventListener('click', () => void copyLink());
  // Any setting changed: the link follows.
  for (const id of ['protocol', 'models']) {
    $(`#${id}`).addEventListener('input', scheduleHash);
    $(`#${id}`).addEventListener('change', scheduleHash);
  }
  // A hand-edited link (address bar): settings and panels follow, nothing retrains.
  window.addEventListener('hashchange', () => {
    applyHash(parseHash(location.hash), { thresholds: false });
    const choice = chosenProtocol();
    if (JSON.stringify(choice) !== JSON.stringify(state.protocol) && !state.training) sendProtocol();
    scheduleHash();
  });
  $('#bundled').addEventListener('click', () => void loadBundled());
  $('#model-file').addEventListener('change', (e) => {
    void loadModelFile(e.target.files[0]);
    e.target.value = '';
  });
  $('#export-metrics').addEventListener('click', () => worker?.postMessage({ type: 'export', what: 'metrics' }));
  $('#export-markdown').addEventListener('click', () => worker?.postMessage({ type: 'export', what: 'markdown' }));
  for (const button of $$('button[data-png]')) {
    button.addEventListener('click', () => savePng(document.getElementById(button.dataset.png), button.dataset.name));
  }
  setProtocolUi('single-file');
  buildPanelChecks();
}

async function main() {
  try {
    wasm = await import('../pkg/netanomaly.js');
    await wasm.default();
  } catch (e) {
    showError(`The WebAssembly package could not be loaded (${e && e.message ? e.message : e}). Build it with scripts/build-web.sh and serve the repository root.`, 'init');
    setStatus('Not available');
    return;
  }
  try {
    fillDefaults();
  } catch (e) {
    showError(`Could not read the default settings: ${e.message}`, 'init');
  }
  wireUi();
  // The theme: the link's, else the one chosen here before, else the system's.
  let savedTheme = null;
  try { savedTheme = localStorage.getItem('netanomaly.theme'); } catch { /* none */ }
  setTheme(savedTheme, false);
  applyHash(opened);
  state.hashLive = true;
  renderRuns();
  pageReady = true;
  drawLoss();
  writeHash();
  setStatus('Starting the worker…');
  startWorker();
  registerServiceWorker();
}

void main();
