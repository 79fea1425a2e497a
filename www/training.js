// Training: the Train / step-by-step buttons, play / pause / step / cancel, the
// progress bars, the live loss chart and the live error histogram.

import { request, restartWorker, send } from './client.js';
import { $, chart, clearErrors, count, h, setStatus, showError } from './dom.js';
import { settingsFor } from './form.js';
import { AE_KINDS, KINDS, TITLES, rt, state } from './state.js';
import { setLiveOpen } from './layout.js';

const CANCEL_GRACE_MS = 2000;
let cancelTimer = 0;

/** Forget the pending cancel deadline (the worker answered). */
export function clearCancelTimer() {
  clearTimeout(cancelTimer);
}

/** Clear old errors; say why new work cannot start yet, if it cannot. */
export function readyToStart() {
  clearErrors();
  if (!rt.workerReady) {
    showError('The page is still starting; try again in a moment.');
    return false;
  }
  if (state.training) {
    showError('A training run is in progress: wait for it, or cancel it.');
    return false;
  }
  return true;
}

export function onTrainClick(mode = 'run') {
  if (!readyToStart()) return;
  const kinds = KINDS.filter((k) => $(`#model-${k}`).checked);
  if (kinds.length === 0) {
    showError('Choose at least one model to train (tick its box under Models in the Setup panel).', { code: 'settings' });
    return;
  }
  let models;
  try {
    models = kinds.map(settingsFor);
  } catch (e) {
    showError(e.message, { code: 'settings' });
    return;
  }
  const stepping = mode === 'step';
  beginTraining(kinds, models, stepping || $('#watch-histogram').checked,
    `Trained ${kinds.map((k) => TITLES[k]).join(', ')}${stepping ? ' step by step' : ''}`, mode);
}

export function beginTraining(kinds, models, watchHistogram, action, mode = 'run', mistake = false) {
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
  document.body.dataset.training = '1';
  setLiveOpen(true);
  $('#live-histogram-canvas').dataset.epoch = '0';
  $('#step-status').textContent = mode === 'step'
    ? 'Paused before the first epoch: press “Step one epoch” to train one epoch, or “Play” to run on.' : '';
  const list = $('#progress-list');
  list.replaceChildren(...kinds.map((kind) => h('li', { 'data-model': kind },
    h('label', { for: `progress-${kind}`, class: 'name', text: TITLES[kind] }),
    h('progress', { id: `progress-${kind}`, 'data-testid': `progress-${kind}`, max: '1', value: '0' }),
    h('span', { class: 'detail', text: 'waiting…' }))));
  drawLoss();
  const watch = Boolean(watchHistogram);
  if (mistake) request({ type: 'mistake', settings: models[0], watch });
  else request({ type: 'train', models, watch, paused: mode === 'step' });
  setStatus(`Training ${kinds.map((k) => TITLES[k]).join(', ')}…`);
}

/** The training data for the Runs table: the sample, or the file names. */
export function describeData() {
  // Loads still queued come before this training run in the worker.
  const train = state.pendingLoads.train.at(-1) || state.train;
  const test = train?.type === 'sample' ? null : state.pendingLoads.test.at(-1) || state.test;
  if (train?.type === 'sample') return `synthetic sample (${count(train.rows)} rows, seed ${train.seed})`;
  const names = [train?.name, test?.name].filter(Boolean);
  return names.join(' + ') || '—';
}

/** Enable the transport buttons for "idle" | "running" | "paused". */
export function setTransport(mode) {
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

/** @typedef {import('./client.js').Response} Response */
/**
 * @template {Response['type']} T
 * @typedef {import('./client.js').ReplyOf<T>} ReplyOf
 */

/** @param {ReplyOf<'paused'>} m */
export function onPaused(m) {
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

/** @param {ReplyOf<'playing'>} m */
export function onPlaying(m) {
  if (!state.training) return;
  setTransport('running');
  $('#step-status').textContent = m.stepping
    ? `${TITLES[m.kind] || m.kind}: training one epoch…` : `${TITLES[m.kind] || m.kind}: running…`;
}

export function updateStepStatus(kind, epochs) {
  if (state.transport === 'idle') return;
  $('#step-status').dataset.epochs = String(epochs);
}

/** Update a model's progress bar; done/total null = indeterminate. */
export function setProgress(kind, done, total, text, stateName = 'running') {
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

export function endTrainingUi({ stopped }) {
  if (state.training) {
    for (const kind of state.training.kinds) {
      const item = $(`#progress-list li[data-model="${kind}"]`);
      if (item && (item.dataset.state === undefined || item.dataset.state === 'running')) {
        setProgress(kind, null, null, stopped ? 'not trained (cancelled)' : 'not trained', 'stopped');
      }
    }
  }
  state.training = null;
  delete document.body.dataset.training;
  setTransport('idle');
  // The results take the room again once there are some (the button opens the loss again).
  if (state.records.size > 0) setLiveOpen(false);
  $('#step-status').textContent = '';
  drawLoss();
}

/** @param {'play' | 'pause' | 'step'} type */
export function onTransport(type) {
  if (!state.training || !rt.worker) return;
  send({ type });
  if (type === 'pause') $('#step-status').textContent = 'Pausing when this epoch ends…';
  if (type === 'step' && state.transport === 'running') $('#step-status').textContent = 'Pausing when this epoch ends…';
}

export function onCancelClick() {
  if (!state.training || !rt.worker) return;
  send({ type: 'cancel' });
  setStatus('Cancelling…');
  clearTimeout(cancelTimer);
  cancelTimer = setTimeout(() => restartWorker('it did not answer the cancel within 2 s'), CANCEL_GRACE_MS);
}

export function drawLoss() {
  if (!rt.wasm) return;
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
  chart(canvas, 'the loss chart', (scale) => rt.wasm.draw_loss(canvas, 'Loss per epoch: training (solid), validation (dashed)', series, scale));
  canvas.dataset.epochs = String(epochs);
}

/** @param {ReplyOf<'progress'>} m */
export function onProgress(m) {
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
      const t = m.train;
      const loss = typeof t?.train_loss === 'number' ? `, loss ${t.train_loss.toPrecision(4)}` : '';
      const val = typeof t?.val_loss === 'number' ? `, validation ${t.val_loss.toPrecision(4)}` : '';
      const speed = typeof t?.samples_per_sec === 'number' ? `, ${count(Math.round(t.samples_per_sec))} rows/s` : '';
      text = `epoch ${t?.epoch}/${t?.epochs}, batch ${t?.batch}/${t?.batches}${loss}${val}${speed}`;
    }
  } else {
    text = `scoring: ${count(m.done)} / ${count(m.total)} rows`;
  }
  setStatus(kind ? `${title}: ${text}` : `Scoring: ${count(m.done)} / ${count(m.total)} rows`);
  if (kind && state.training?.kinds.includes(kind)) setProgress(kind, m.done, m.total, text);
}

/** @param {ReplyOf<'epoch'>} m */
export function onEpoch(m) {
  if (state.training) state.training.histories[m.kind] = m.history;
  drawLoss();
  if (m.histogram) {
    const fig = $('#live-histogram-figure');
    fig.hidden = false;
    // The line: the threshold these weights would get (95th percentile of their training errors).
    const line = typeof m.threshold === 'number' ? m.threshold : Number.NaN;
    const canvas = $('#live-histogram-canvas');
    chart(canvas, 'the live histogram', (scale) => rt.wasm.draw_histogram(canvas,
      `${TITLES[m.kind]}: test errors after epoch ${m.history.epochs.length}`, m.histogram, line, 'Reconstruction MSE', scale));
    canvas.dataset.epoch = String(m.history.epochs.length);
  }
  updateStepStatus(m.kind, m.history.epochs.length);
}
