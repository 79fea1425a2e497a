// The Why 0.51 view: the one-click demonstration of the two mistakes behind the
// reference's ROC AUC 0.51 (trained on every row; scored the wrong way round). The
// worker trains and scores; this shows its table, its ROC chart and its runs.

import { $, chart, count, fixed, h, showError } from './dom.js';
import { settingsFor } from './form.js';
import { appendRun, runModel } from './runsview.js';
import { rt, state } from './state.js';
import { beginTraining, describeData, readyToStart } from './training.js';

export function onMistakeClick() {
  if (!readyToStart()) return;
  if (!state.trainSummary) {
    showError('Load a file (or the built-in sample) first.', { code: 'mistake' });
    return;
  }
  let settings;
  try {
    settings = settingsFor('dense');
  } catch (e) {
    showError(e.message, { code: 'settings' });
    return;
  }
  $('#mistake-summary').textContent = 'Training the dense autoencoder on every row, then on the normal rows only…';
  beginTraining(['dense'], [settings], $('#watch-histogram').checked, 'Demonstrated the two mistakes with the dense autoencoder', 'run', true);
}

/** @param {import('./client.js').ReplyOf<'mistake'>} m */
export function onMistake(m) {
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
  add('allrows', 'Every row, attacks included (mistake 1)', 'higher error = attack', m.all_rows);
  add('flipped', 'Normal rows only', 'the wrong way round (mistake 2)', m.flipped ? { model: m.normal.model, view: m.flipped } : null);
  const table = $('#mistake-table');
  $('tbody', table).replaceChildren(...rows);
  table.hidden = rows.length === 0;
  const a = m.normal?.view?.evaluation;
  const b = m.all_rows?.view?.evaluation;
  const c = m.flipped?.evaluation;
  if (a && b && c) {
    $('#mistake-summary').textContent = `Trained on every row, the same network’s ROC AUC goes from ${fixed(a.roc_auc)} to ${fixed(b.roc_auc)}: it learned to rebuild the attacks. Scored the wrong way round, ${fixed(a.roc_auc)} becomes ${fixed(c.roc_auc)} (1 − ${fixed(a.roc_auc)}).`;
    const fig = $('#mistake-figure');
    fig.hidden = false;
    const canvas = $('#mistake-canvas');
    chart(canvas, 'the mistake ROC chart', (scale) => rt.wasm.draw_roc(canvas, 'ROC: the same dense autoencoder', [
      { name: 'normal rows only', fpr: a.roc.fpr, tpr: a.roc.tpr, auc: a.roc_auc },
      { name: 'every row (mistake 1)', fpr: b.roc.fpr, tpr: b.roc.tpr, auc: b.roc_auc },
      { name: 'scored backwards (mistake 2)', fpr: c.roc.fpr, tpr: c.roc.tpr, auc: c.roc_auc },
    ], scale));
  } else {
    $('#mistake-summary').textContent = 'No AUC to compare: the loaded file needs labels with both normal and attack rows.';
  }
  $('#mistake').dataset.ready = '1';
  // Both trainings go to the Runs table: they differ in one knob, the protocol.
  const settings = state.training?.settings?.dense;
  const data = state.training?.data ?? describeData();
  for (const part of [m.normal, m.all_rows]) {
    if (!part?.model) continue;
    appendRun(data, [runModel('dense', part.model, settings, [part.view].filter(Boolean), part === m.all_rows ? 'all rows: mistake 1' : '')]);
  }
}
