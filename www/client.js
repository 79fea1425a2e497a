// The worker client: starting (and restarting) worker.js, queued requests counted
// by their "done" replies, and the handlers of the worker's messages (schema at the
// top of worker.js). A restarted worker gets the files, protocol and models back.

import { maybeAutoRun, startDemo } from './demo.js';
import { isCurrentBreakdown, onBreakdown } from './attacks.js';
import { renderSummary } from './data.js';
import { $, count, download, setStatus, showError } from './dom.js';
import { chosenProtocol, sendProtocol, setProtocolUi } from './form.js';
import { onMistake } from './mistake.js';
import { renderResults } from './results.js';
import { recordRun } from './runsview.js';
import { writeHash } from './share.js';
import { KINDS, TITLES, rt, state } from './state.js';
import { clearCancelTimer, endTrainingUi, onEpoch, onPaused, onPlaying, onProgress, setProgress } from './training.js';

/** When the worker was restarted lately (more than three a minute: give up). */
let restarts = [];

export function updateBusy() {
  if (state.pending > 0 || state.local > 0) document.body.dataset.busy = '1';
  else delete document.body.dataset.busy;
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
    if (w === rt.worker) onWorkerMessage(event.data);
  });
  w.addEventListener('error', (event) => {
    event.preventDefault();
    if (w !== rt.worker) return;
    const detail = event.message || 'the worker script could not start (is ../pkg/ built?)';
    showError(`The background worker failed: ${detail}`, 'worker');
    if (rt.workerReady) restartWorker('the worker failed');
    else {
      state.pending = 0;
      state.lastAction = 'The worker could not start';
      finishIfIdle();
    }
  });
  w.addEventListener('messageerror', () => showError('A message from the worker could not be read.', 'worker'));
}

/** The id of the last request sent (each message to the worker gets the next). */
let lastRid = 0;

/**
 * Post any message to the worker with a new request id (`rid`), which every reply to
 * it carries back: a reply to a request that a newer one superseded is recognised by
 * its id and dropped. Returns the id (0 when there is no worker).
 * @param {Record<string, any>} msg
 * @param {Transferable[]} [transfer]
 */
export function send(msg, transfer = []) {
  if (!rt.worker) return 0;
  lastRid += 1;
  rt.worker.postMessage({ ...msg, rid: lastRid }, transfer);
  return lastRid;
}

/**
 * Post a queued request (answered by a "done").
 * @param {Record<string, any>} msg
 * @param {Transferable[]} [transfer]
 */
export function request(msg, transfer = []) {
  if (!rt.worker) return 0;
  state.pending += 1;
  updateBusy();
  return send(msg, transfer);
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
  rt.worker = null;
  rt.workerReady = false;
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
export function restore() {
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

export function onWorkerMessage(m) {
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

export function onReady() {
  rt.workerReady = true;
  if (rt.pageReady) document.body.dataset.ready = '1';
  if (state.restoring) restore();
  else if (!rt.demoStarted) startDemo();
  else finishIfIdle();
}

export function onLoaded(m) {
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

export function onSplit(m) {
  state.protocol = m.choice;
  state.split = m.summary;
  if (!state.restoring) setProtocolUi(m.choice.kind);
  const s = m.summary;
  const tests = s.tests.map((t) => (t.labelled
    ? `${t.name}: ${count(t.rows)} rows (${count(t.normals)} normal, ${count(t.attacks)} attack)`
    : `${t.name}: ${count(t.rows)} rows, unlabelled (scores only)`));
  $('#split-summary').textContent = `Training on ${count(s.train_rows)} normal rows. Testing on ${tests.join('; ')}.`;
}

export function onResult(m) {
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
        tv = s ? new rt.wasm.ThresholdView(s.normal, s.attack) : null;
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

export function onExport(m) {
  const types = { predictions: 'text/csv', metrics: 'application/json', markdown: 'text/markdown', model: 'application/octet-stream' };
  download(m.data, m.filename, types[m.what]);
  state.lastAction = `Exported ${m.filename}`;
  finishIfIdle();
}

/** Memory figures for benchmarks: the worker's and this page's WebAssembly memory. */
export function onMemory(m) {
  document.body.dataset.workerMemory = String(m.bytes);
  document.body.dataset.pageMemory = String(rt.wasm?.memory_bytes ? rt.wasm.memory_bytes() : 0);
}

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

export function onError(m) {
  const context = String(m.context || '');
  if (context === 'breakdown') {
    if (!isCurrentBreakdown(m.rid)) return; // about a superseded request
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

export function onDone(m) {
  state.pending = Math.max(0, state.pending - 1);
  if (m.request === 'train' || m.request === 'mistake') {
    clearCancelTimer();
    const failed = state.training?.failed || 0;
    if (m.cancelled) state.lastAction = 'Training cancelled (finished models and the best weights so far kept)';
    else if (failed) state.lastAction = `Training finished, but ${failed} of ${state.training.kinds.length} model(s) failed (see the message above)`;
    if (m.request === 'train' && state.training && !state.restoring) recordRun(state.training, Boolean(m.cancelled));
    endTrainingUi({ stopped: Boolean(m.cancelled) });
  }
  if (state.pending === 0 && state.restoring) state.restoring = false;
  if (state.pending === 0 && state.local === 0) maybeAutoRun();
  if (state.pending === 0 && rt.worker) send({ type: 'memory' }); // figures for benchmarks
  finishIfIdle();
}

export function freeRecord(rec) {
  if (!rec) return;
  for (const v of rec.views) {
    try { v.tv?.free(); } catch { /* already freed */ }
  }
}

export function clearRecords() {
  for (const rec of state.records.values()) freeRecord(rec);
  state.records.clear();
  renderResults();
}
