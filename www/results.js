// Results on the dashboard: the table of every model on every test set, the ROC
// and precision–recall overlays of every model on the selected model's test set,
// and the exports table; the worker's results (a model trained, loaded or re-scored;
// one dropped) kept as the page's records. Numbers are the wasm's; charts are drawn
// by the Rust code.

import { $, h, fixed, thr, chart, chartFigure, safeName, download, showError } from './dom.js';
import { TITLES, rt, state, orderedRecords, suffixOf } from './state.js';
import { chartKeys, renderDetails, selectModel, setThreshold, suffixFor } from './detail.js';
import { touchCurve } from './interact.js';
import { drawLoss, setProgress } from './training.js';
import { renderAttackChoices } from './attacks.js';
import { send } from './client.js';
import { scheduleHash } from './share.js';
import { setSetupOpen } from './layout.js';

/**
 * @template {import('./client.js').Response['type']} T
 * @typedef {import('./client.js').ReplyOf<T>} ReplyOf
 */

let hadResults = false;

export function testNames() {
  const names = [];
  for (const rec of orderedRecords()) for (const v of rec.views) if (!names.includes(v.view.test_set)) names.push(v.view.test_set);
  return names;
}

/** Everything that shows results, after a record came, went or was re-scored. */
export function renderResults() {
  const records = orderedRecords();
  $('#results-empty').hidden = records.length > 0;
  // The first results of a data set: fold the Setup panel so they get the width (narrow screens).
  // Not while a link waits for its file: that is loaded in the Setup panel.
  if (records.length > 0 && !hadResults && !state.autoRun && window.innerWidth < 1600) setSetupOpen(false);
  hadResults = records.length > 0;
  document.body.dataset.results = String(records.length);
  renderTable(records);
  renderCurves(records);
  renderExports(records);
  renderDetails(records); // after the exports table: it renames its buttons
  drawLoss();
  renderAttackChoices();
  scheduleHash();
}

function renderTable(records) {
  const body = $('#results-table tbody');
  const rows = [];
  for (const rec of records) {
    rec.views.forEach(({ view }, index) => {
      const e = view.evaluation;
      const suffix = suffixOf(rec.kind, index);
      const cell = (field, value) => h('td', { class: 'num', 'data-field': field, text: value });
      const source = String(rec.result.model.source);
      rows.push(h('tr', { 'data-model': rec.kind, 'data-test': view.test_set, 'data-suffix': suffix, onclick: () => selectModel(suffix) },
        h('th', { scope: 'row', 'data-field': 'model', text: rec.result.model.title }),
        h('td', { 'data-field': 'test_set', text: view.test_set }),
        cell('roc_auc', e ? fixed(e.roc_auc) : '—'),
        cell('average_precision', e ? fixed(e.average_precision) : '—'),
        cell('f1', e ? fixed(e.f1) : '—'),
        cell('f1_true_ratio', e ? fixed(e.true_ratio.f1) : '—'),
        cell('precision', e ? fixed(e.precision) : '—'),
        cell('recall', e ? fixed(e.recall) : '—'),
        cell('accuracy', e ? fixed(e.accuracy) : '—'),
        cell('threshold', thr(view.threshold)),
        h('td', { 'data-field': 'source', title: source }, h('span', { class: 'clip' }, source,
          e ? null : h('span', { class: 'note', title: view.message || '', text: ' (no metrics)' })))));
    });
  }
  body.replaceChildren(...rows);
}

function renderCurves(records) {
  const rocPanel = $('#curve-panel-roc');
  const prPanel = $('#curve-panel-pr');
  const rocGroups = [];
  const prGroups = [];
  const drawings = [];
  for (const test of testNames()) {
    const views = records
      .map((rec) => ({ rec, v: rec.views.find((x) => x.view.test_set === test) }))
      .filter((x) => x.v);
    const evaluated = views.filter((x) => x.v.view.evaluation);
    const rocGroup = h('div', { class: 'curve-group', 'data-test': test });
    const prGroup = h('div', { class: 'curve-group', 'data-test': test });
    rocGroups.push(rocGroup);
    prGroups.push(prGroup);
    if (evaluated.length === 0) {
      const why = views.find((x) => x.v.view.message)?.v.view.message || 'this test set has no labels';
      for (const g of [rocGroup, prGroup]) g.append(h('p', { class: 'note', text: `No ROC or precision–recall curves on ${test}: ${why}.` }));
      continue;
    }
    const roc = h('canvas', { class: 'c-curve', width: 440, height: 380, 'data-chart': 'roc', 'data-test': test, role: 'img', 'aria-label': `ROC curves of every model on ${test}` });
    const pr = h('canvas', { class: 'c-curve', width: 440, height: 380, 'data-chart': 'pr', 'data-test': test, role: 'img', 'aria-label': `Precision–recall curves of every model on ${test}` });
    // Keyboard: a focused ROC or PR chart moves the threshold of the model in detail.
    for (const c of [roc, pr]) chartKeys(c, () => state.selected);
    // Pointer: hover reads the nearest point; a click moves that model's threshold there.
    const choose = (kind, threshold) => {
      const suffix = suffixFor(kind, test);
      if (suffix) setThreshold(suffix, threshold, { select: true });
    };
    touchCurve(roc, 'roc', choose);
    touchCurve(pr, 'pr', choose);
    rocGroup.append(chartFigure(roc, `Every model on ${test}.`, `roc_${safeName(test)}`));
    prGroup.append(chartFigure(pr, `Every model on ${test}.`, `pr_${safeName(test)}`));
    drawings.push(() => {
      chart(roc, 'the ROC curves', (scale) => rt.wasm.draw_roc(roc, `ROC: ${test}`, evaluated.map(({ rec, v }) => ({
        name: rec.result.model.title, kind: rec.result.model.kind, fpr: v.view.evaluation.roc.fpr, tpr: v.view.evaluation.roc.tpr,
        thresholds: v.view.evaluation.roc.thresholds, auc: v.view.evaluation.roc_auc,
      })), scale));
      chart(pr, 'the precision–recall curves', (scale) => rt.wasm.draw_pr(pr, `Precision–recall: ${test}`, evaluated.map(({ rec, v }) => ({
        name: rec.result.model.title, kind: rec.result.model.kind, precision: v.view.evaluation.pr.precision, recall: v.view.evaluation.pr.recall,
        thresholds: v.view.evaluation.pr.thresholds, ap: v.view.evaluation.average_precision,
      })), scale));
    });
  }
  rocPanel.replaceChildren(...rocGroups);
  prPanel.replaceChildren(...prGroups);
  for (const d of drawings) d();
}

function renderExports(records) {
  const body = $('#export-models tbody');
  const rows = [];
  for (const rec of records) {
    const kind = rec.kind;
    const predictions = rec.views.map((rv, index) => h('button', {
      type: 'button',
      'data-testid': `export-predictions-${suffixOf(kind, index)}`,
      text: `Predictions CSV at ${thr(rv.threshold)}`,
      title: `Predictions of ${rec.result.model.title} on ${rv.view.test_set}`,
      onclick: () => {
        if (!rt.worker) return;
        const threshold = Number.isFinite(rv.threshold) ? rv.threshold : null;
        // In parts of the session's size (part_rows null), joined by client.js.
        send({ type: 'export', what: 'predictions', model: rec.result.model.id, test: rv.view.test_set, threshold, part_rows: null });
      },
    }));
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

/** "Isolation Forest 0.9731, Dense autoencoder 0.9512": values as the wasm computed them. */
export function listValues(items) {
  return items.map(({ name, value }) => `${name} ${fixed(value)}`).join(', ');
}

/**
 * Sorted scores as the f64s they are (the bytes are viewed, copied only if unaligned).
 * @param {Uint8Array} bytes
 */
const f64 = (bytes) => (bytes.byteOffset % 8 === 0
  ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8)
  : new Float64Array(bytes.slice().buffer));

/** @param {ReplyOf<'result'>} m */
export function onResult(m) {
  const { result } = m;
  const scores = new Map(m.scores.map((s) => [s.test, { normal: f64(s.normal), attack: f64(s.attack) }]));
  const kind = result.model.kind;
  const old = state.records.get(kind);
  // Keep the slider positions when the same model comes back after a worker restart.
  // …and after the mistake demonstration, which re-scores the other models on the same rows.
  const keep = (state.restoring || (m.rescored && state.training?.mistake)) && old ? Object.fromEntries(old.views.map((v) => [v.view.test_set, v.threshold])) : null;
  freeRecord(old);
  const trainedHere = !m.rescored && state.training?.kinds.includes(kind);
  const rec = {
    kind,
    result,
    modelBytes: m.model_file,
    views: result.views.map((view) => {
      const s = scores.get(view.test_set);
      let tv = null;
      try {
        tv = s ? new rt.wasm.ThresholdView(s.normal, s.attack) : null;
      } catch (e) {
        showError(`The threshold slider of ${TITLES[kind]} is unavailable: ${e.message}`, { code: 'threshold' });
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
    runId: trainedHere ? state.training.id : (m.rescored ? old?.runId ?? null : null),
    settings: trainedHere ? state.training.settings?.[kind] ?? null : (m.rescored ? old?.settings ?? null : null),
  };
  state.records.set(kind, rec);
  if (trainedHere) {
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

/** A model could not be scored on the new split: the session forgot it. @param {ReplyOf<'dropped'>} m */
export function onDropped(m) {
  showError(`Re-scoring the ${m.kind} model on the new test set failed, so it was removed: ${m.message}`, { code: 'rescore' });
  state.lastAction = 'Finished with an error (see the message above)';
  freeRecord(state.records.get(m.kind));
  state.records.delete(m.kind);
  renderResults();
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
