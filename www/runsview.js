// The Runs view: every finished training run (kept by runs.js in localStorage),
// rendered as a table with what changed since the run before highlighted.

import { $, fixed, h, showError } from './dom.js';
import { COLUMNS, NUMERIC, modelSettings, runRows, saveRuns, sharedSettings } from './runs.js';
import { TITLES, state } from './state.js';

export function runModel(kind, model, settings, views, note = '') {
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

export function appendRun(data, models) {
  if (models.length === 0) return;
  const n = (state.runs.at(-1)?.n ?? 0) + 1;
  state.runs.push({ n, at: new Date().toISOString(), data, models });
  if (!saveRuns(state.runs)) showError('The runs could not be saved in this browser (storage full or disabled); they stay until you reload.', { code: 'runs' });
  renderRuns(true);
}

/** A finished (or cancelled) training run → one entry in the Runs table. */
export function recordRun(training, cancelled) {
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

export function renderRuns(scroll = false) {
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
