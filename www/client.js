// The worker client: starts (and restarts) worker.js and speaks the typed protocol of
// src/session/protocol.rs (TypeScript in pkg/types/) itself. `send` numbers each
// `Request`, posts `{request, attachment}` and keeps what it asked by id until that
// request's `done`; every `Response` comes back with the id, so an error or a `done`
// is known by the request it closes (no message text parsed), and a reply to a
// superseded request is dropped by id. Queued work (`request`) is counted as pending
// until its `done`. A restarted worker gets the files, protocol and models back.

import { maybeAutoRun, startDemo } from './demo.js';
import { isCurrentBreakdown, onBreakdown } from './attacks.js';
import { onExplanation } from './explain.js';
import { loadFile, onLoaded, onSplit } from './data.js';
import { $, download, setStatus, showError } from './dom.js';
import { setProtocolUi } from './form.js';
import { onMistake } from './mistake.js';
import { onDropped, onResult } from './results.js';
import { recordRun } from './runsview.js';
import { writeHash } from './share.js';
import { KINDS, TITLES, rt, state } from './state.js';
import { endPool, startPool } from './threads.js';
import { clearCancelTimer, endTrainingUi, onEpoch, onPaused, onPlaying, onProgress, setProgress } from './training.js';

/** @typedef {import('../pkg/types/Request').Request} Request */
/** @typedef {import('../pkg/types/Command').Command} Command */
/** @typedef {import('../pkg/types/Response').Response} Response */
/**
 * One kind of response, e.g. `ReplyOf<'result'>`.
 * @template {Response['type']} T
 * @typedef {Extract<Response, {type: T}>} ReplyOf
 */

/** When the worker was restarted lately (more than three a minute: give up). */
let restarts = [];
/** The id of the last request sent (each request gets the next). */
let lastId = 0;
/** What was asked, by request id, until its `done`; `pending`: queued work. @type {Map<number, {request: Request, pending: boolean}>} */
const asked = new Map();
/** The text parts of predictions exports so far, by request id. @type {Map<number, string[]>} */
const exportParts = new Map();

/** `data-busy` while work is out: what it is (the request types, `local` for the page's own), for a stuck wait to report. */
export function updateBusy() {
  if (state.pending > 0 || state.local > 0) {
    const out = [...asked.values()].filter((a) => a.pending).map((a) => a.request.type);
    document.body.dataset.busy = [...out, ...Array(state.local).fill('local')].join(' ') || String(state.pending);
  } else delete document.body.dataset.busy;
}

export function finishIfIdle() {
  updateBusy();
  if (state.pending === 0 && state.local === 0) {
    // The link is current whenever the page is idle.
    if (state.hashLive) writeHash();
    setStatus(`${state.lastAction} — done`);
  }
}

export function startWorker() {
  rt.workerReady = false;
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  rt.worker = w;
  // A terminated worker's late messages must not touch the new state.
  w.addEventListener('message', (event) => {
    if (w !== rt.worker) return;
    // The threaded build asks the page to start its pool workers (threads.js).
    if (event.data && typeof event.data === 'object' && 'pool' in event.data) void startPool(w, event.data.pool);
    else onWorkerMessage(event.data);
  });
  w.addEventListener('error', (event) => {
    event.preventDefault();
    if (w !== rt.worker) return;
    const detail = event.message || 'the worker script could not start (is ../pkg/ built?)';
    showError(`The background worker failed: ${detail}`, { code: 'worker' });
    if (rt.workerReady) restartWorker('the worker failed');
    else {
      state.pending = 0;
      state.lastAction = 'The worker could not start';
      finishIfIdle();
    }
  });
  w.addEventListener('messageerror', () => showError('A message from the worker could not be read.', { code: 'worker' }));
}

/**
 * Post a typed request with the next id, which every reply to it carries back (a
 * reply to a request that a newer one superseded is recognised by it and dropped).
 * `attachment`: the File of a `load`, or the bytes of an `add_model` (a Uint8Array's
 * buffer is transferred: pass a copy of bytes you keep). Returns the id (0 when there
 * is no worker).
 * @param {Command} command
 * @param {Blob | Uint8Array | null} [attachment]
 * @param {boolean} [pending] queued work, counted until its `done`
 */
export function send(command, attachment = null, pending = false) {
  if (!rt.worker) return 0;
  lastId += 1;
  /** @type {Request} */
  const request = { id: lastId, ...command };
  asked.set(lastId, { request, pending });
  rt.worker.postMessage({ request, attachment }, attachment instanceof Uint8Array ? [attachment.buffer] : []);
  return lastId;
}

/**
 * Post queued work (pending until its `done`).
 * @param {Command} command
 * @param {Blob | Uint8Array | null} [attachment]
 */
export function request(command, attachment = null) {
  if (!rt.worker) return 0;
  state.pending += 1;
  const id = send(command, attachment, true);
  updateBusy();
  return id;
}

/** A copy of kept bytes to hand over (the original stays for a restart). */
export function copyOf(buffer) {
  const copy = buffer instanceof ArrayBuffer ? buffer.slice(0) : buffer.slice().buffer;
  return new Uint8Array(copy);
}

export function restartWorker(reason) {
  clearCancelTimer();
  const now = Date.now();
  restarts = restarts.filter((t) => now - t < 60000);
  restarts.push(now);
  if (rt.worker) rt.worker.terminate();
  endPool();
  rt.worker = null;
  rt.workerReady = false;
  // The old worker's requests will not be answered.
  asked.clear();
  exportParts.clear();
  state.pending = 0;
  state.pendingLoads = { train: [], test: [] };
  if (state.training) endTrainingUi({ stopped: true });
  if (restarts.length > 3) {
    showError(`The worker stopped (${reason}) and was restarted too often; reload the page.`, { code: 'worker' });
    state.lastAction = 'The worker stopped';
    finishIfIdle();
    return;
  }
  state.restoring = true;
  state.lastAction = `Restarted the worker (${reason}); data and finished models restored`;
  setStatus('Restarting the worker…');
  startWorker();
}

/**
 * The buttons an error's choices become; `load(entry, label)` loads the file again.
 * @param {{ choices: string[], choosing?: string, choosing_column?: string | null }} m
 * @param {(entry: string | null, label: import('../pkg/types/LabelChoice').LabelChoice | null) => void} load
 * @param {{ entry?: string | null, label?: import('../pkg/types/LabelChoice').LabelChoice | null }} pending
 */
function chooser(m, load, pending) {
  const entry = pending.entry ?? null;
  switch (m.choosing) {
    case 'label':
      return {
        names: m.choices,
        group: 'Choose the label column',
        text: (/** @type {string} */ n) => `Label: ${n}`,
        pick: (/** @type {string} */ n) => load(entry, { column: n, normal: [], none: false }),
        more: [{ name: '(none)', text: 'No labels (scores only)', pick: () => load(entry, { column: null, normal: [], none: true }) }],
      };
    case 'normal':
      return {
        names: m.choices,
        group: `Choose the normal value of ${m.choosing_column}`,
        text: (/** @type {string} */ n) => `Normal: ${n}`,
        pick: (/** @type {string} */ n) => load(entry, { column: m.choosing_column ?? null, normal: [n], none: false }),
      };
    default:
      return { names: m.choices, pick: (/** @type {string} */ n) => load(n, pending.label ?? null) };
  }
}

/** Put the new worker back where the old one was: files, protocol, models. */
export function restore() {
  if (state.train?.type === 'sample') {
    state.pendingLoads.train.push(state.train);
    request({ type: 'sample', rows: state.train.rows, seed: state.train.seed });
  } else if (state.train?.type === 'file') {
    state.pendingLoads.train.push(state.train);
    request({ type: 'load', slot: 'train', name: state.train.name, entry: state.train.entry ?? null, label: state.train.label ?? null, non_finite: 'drop' }, state.train.file);
  }
  if (state.test) {
    state.pendingLoads.test.push(state.test);
    request({ type: 'load', slot: 'test', name: state.test.name, entry: state.test.entry ?? null, label: state.test.label ?? null, non_finite: 'drop' }, state.test.file);
  }
  if (state.train) request({ type: 'protocol', choice: state.protocol });
  for (const kind of KINDS) {
    const rec = state.records.get(kind);
    if (rec) request({ type: 'add_model', source: rec.result.model.source }, copyOf(rec.modelBytes));
  }
  if (state.pending === 0) {
    state.restoring = false;
    finishIfIdle();
  }
}

/** @param {Response} r */
export function onWorkerMessage(r) {
  if (!r || typeof r !== 'object') return undefined;
  const about = asked.get(r.id)?.request ?? null;
  switch (r.type) {
    case 'ready': return onReady(r);
    case 'loaded': return onLoaded(r);
    case 'split': return onSplit(r);
    case 'progress': return onProgress(r);
    case 'epoch': return onEpoch(r);
    case 'paused': return onPaused(r);
    case 'playing': return onPlaying(r);
    case 'result': return onResult(r);
    case 'dropped': return onDropped(r);
    case 'mistake': return onMistake(r);
    case 'breakdown': return onBreakdown(r);
    case 'explanation': return onExplanation(r);
    case 'export': return onExport(r);
    case 'memory': return onMemory(r);
    case 'cancelled': return onCancelled(r);
    case 'error': return onError(r, about);
    case 'done': return onDone(r);
    default: return undefined;
  }
}

/** @param {ReplyOf<'ready'>} m */
export function onReady(m) {
  rt.workerReady = true;
  if (m.threads < 2) endPool(); // the threaded build did not start: its pool, if any, is idle
  showThreads(m.threads, m.isolated);
  if (rt.pageReady) document.body.dataset.ready = '1';
  if (state.restoring) restore();
  else if (!rt.demoStarted) startDemo();
  else finishIfIdle();
}

/**
 * The badge with the worker's thread count; one thread says why (no isolation: the
 * host sent no COOP/COEP and the service worker does not control this load yet, or
 * the host opted out; or one core).
 * @param {number} threads @param {boolean} isolated
 */
function showThreads(threads, isolated) {
  const badge = document.getElementById('threads-badge');
  if (!badge) return;
  document.body.dataset.threads = String(threads);
  // Short (the header holds it at 1280×720); the tooltip and the label say why.
  badge.textContent = threads > 1 ? `${threads} threads` : isolated ? '1 thread' : '1 thread ⚠';
  badge.title = threads > 1
    ? `The models run on ${threads} threads: this page is cross-origin isolated, so the threaded WebAssembly build shares its memory with a Web Worker a core.`
    : isolated
      ? 'The models run on one thread: this machine reports one core, or the threaded build did not start.'
      : 'The models run on one thread: this page is not cross-origin isolated (the host sends no COOP/COEP headers and the site’s service worker, which adds them, does not serve this load yet: reload once), so the single-thread build runs. Same numbers, slower.';
  badge.setAttribute('aria-label', badge.title);
}

const MIME = { predictions: 'text/csv', metrics: 'application/json', markdown: 'text/markdown', model: 'application/octet-stream' };

/** A download, or one part of a predictions file (joined once the last is in). @param {ReplyOf<'export'>} m */
export function onExport(m) {
  const parts = exportParts.get(m.id) ?? [];
  if (typeof m.text === 'string') parts.push(m.text);
  if (m.next !== null && m.next !== undefined) {
    exportParts.set(m.id, parts);
    return;
  }
  exportParts.delete(m.id);
  download(m.bytes ?? new Blob(parts, { type: MIME[m.what] }), m.filename, MIME[m.what]);
  state.lastAction = `Exported ${m.filename}`;
  finishIfIdle();
}

/** Memory figures for benchmarks: the worker's and this page's WebAssembly memory. @param {ReplyOf<'memory'>} m */
export function onMemory(m) {
  document.body.dataset.workerMemory = String(m.bytes);
  document.body.dataset.pageMemory = String(rt.wasm?.memory_bytes ? rt.wasm.memory_bytes() : 0);
}

/** @param {ReplyOf<'cancelled'>} m */
export function onCancelled(m) {
  clearCancelTimer();
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

/**
 * An error, told by the request it answers (`about`; null for the worker's own).
 * @param {ReplyOf<'error'>} m
 * @param {Request | null} about
 */
export function onError(m, about) {
  if (about?.type === 'breakdown') {
    if (!isCurrentBreakdown(m.id)) return; // about a superseded request
    // Asked for automatically (slider moves): shown in its panel, not as an alert.
    $('#attack-summary').textContent = `Per-attack view unavailable: ${m.message}`;
    return;
  }
  const title = m.kind ? TITLES[m.kind] : null;
  let message = m.message;
  switch (about?.type) {
    case 'load': message = `Could not load the ${about.slot === 'test' ? 'test' : 'training'} file: ${m.message}`; break;
    case 'sample': message = `Could not make the sample: ${m.message}`; break;
    case 'protocol': message = `Could not apply the protocol: ${m.message}`; break;
    case 'train': message = `${title ? `${title}: ` : ''}training failed: ${m.message}`; break;
    case 'add_model': message = `Could not use the model file (${about.source}): ${m.message}`; break;
    case 'export': message = `Export failed: ${m.message}`; exportParts.delete(m.id); break;
    case 'mistake': message = `The demonstration failed: ${m.message}`; break;
    default: break;
  }
  // What the file needs chosen to go on, one button per choice: a zip archive's data
  // file, a header CSV's label column (or none), that column's normal value.
  const slot = about?.type === 'load' ? about.slot : null;
  const pending = slot ? state.pendingLoads[slot][0] : null;
  const choices = slot && pending?.type === 'file' && m.choices?.length
    ? chooser(m, (entry, label) => loadFile(slot, pending.file, entry, label), pending)
    : null;
  showError(message, { request: about?.type ?? null, code: m.code, line: m.line, column: m.column, choices });
  if (state.training && about?.type === 'train') state.training.failed += 1;
  else state.lastAction = 'Finished with an error (see the message above)';

  if (about?.type === 'load') {
    state.pendingLoads[about.slot].shift();
    $(`#${about.slot}-file`).value = '';
  } else if (about?.type === 'sample') {
    state.pendingLoads.train.shift();
  } else if (about?.type === 'protocol') {
    setProtocolUi(state.protocol.kind); // the worker kept the previous one
  } else if (about?.type === 'train' && m.kind) {
    setProgress(m.kind, null, null, 'failed (see the error above)', 'failed');
  }
  if (m.fatal) restartWorker('the WebAssembly module stopped');
}

/** A request is finished: forget it; closing queued work may make the page idle. @param {ReplyOf<'done'>} m */
export function onDone(m) {
  const entry = asked.get(m.id);
  asked.delete(m.id);
  exportParts.delete(m.id);
  if (!entry?.pending) return;
  const type = entry.request.type;
  state.pending = Math.max(0, state.pending - 1);
  if (type === 'train' || type === 'mistake') {
    clearCancelTimer();
    const failed = state.training?.failed || 0;
    if (m.cancelled) state.lastAction = 'Training cancelled (finished models and the best weights so far kept)';
    else if (failed) state.lastAction = `Training finished, but ${failed} of ${state.training.kinds.length} model(s) failed (see the message above)`;
    if (type === 'train' && state.training && !state.restoring) recordRun(state.training, Boolean(m.cancelled));
    endTrainingUi({ stopped: Boolean(m.cancelled) });
  }
  if (state.pending === 0 && state.restoring) state.restoring = false;
  if (state.pending === 0 && state.local === 0) maybeAutoRun();
  if (state.pending === 0 && rt.worker) send({ type: 'memory' }); // figures for benchmarks
  finishIfIdle();
}
