// "Why this record" in the Per attack view: asks the worker why a record scores what it
// does under the model and test set chosen above (a top record clicked, or an id typed),
// and shows the answer: each feature's share as bars (the Rust chart code) and a table
// of the record's values beside their reconstructions. Older answers are dropped.

import { $, chart, h, showError, thr } from './dom.js';
import { attackTarget } from './attacks.js';
import { send } from './client.js';
import { rt } from './state.js';

/** The request id of the last explanation asked for. */
let explainId = 0;

/** Ask why record `record` (its id in the test set's file) scores what it does. */
export function requestExplain(record) {
  const target = attackTarget();
  if (!target) return;
  if (!Number.isInteger(record) || record < 0) {
    showError('A record id is a whole, non-negative number (the record_id of the predictions file).', { code: 'explain' });
    return;
  }
  $('#explain-record').value = String(record);
  delete $('#explain-figure').dataset.ready;
  explainId = send({ type: 'explain', model: target.rec.result.model.id, test: target.test, record });
}

/** Wire the id field, its button, and Enter on it. */
export function initExplain() {
  const go = () => requestExplain(Number($('#explain-record').value === '' ? NaN : $('#explain-record').value));
  $('#explain-go').addEventListener('click', go);
  $('#explain-record').addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
}

const num = (v) => (typeof v === 'number' ? v.toFixed(4) : '—');

/** @param {import('./client.js').ReplyOf<'explanation'>} m */
export function onExplanation(m) {
  if (m.id !== explainId) return; // superseded
  const e = m.explanation;
  const target = attackTarget();
  const title = target ? target.rec.result.model.title : e.model;
  const flagged = e.score > e.threshold ? 'flagged' : 'not flagged';
  const label = e.label ? `, labelled ${e.label}` : '';
  const lead = e.features[0];
  $('#explain-summary').textContent = `${title} on ${m.test}: record ${e.record_id}${label} scores ${thr(e.score)} (threshold ${thr(e.threshold)}, ${flagged}); `
    + `${lead.feature} gives ${(lead.share * 100).toFixed(1)}% of it.`;
  $('#explain-figure').hidden = false;
  $('#explain-wrap').hidden = false;
  const canvas = $('#explain-canvas');
  chart(canvas, 'the explanation chart', (scale) => rt.wasm.draw_explanation(canvas, `${title}: why record ${e.record_id} scores ${thr(e.score)}`, e, scale));
  $('#explain-table tbody').replaceChildren(...e.features.map((f) => h('tr', { 'data-feature': f.feature },
    h('th', { scope: 'row', text: f.feature }),
    h('td', { class: 'num', 'data-field': 'share', text: `${(f.share * 100).toFixed(1)}%` }),
    h('td', { 'data-field': 'value', text: f.value }),
    h('td', { class: 'num', text: num(f.standardised) }),
    h('td', { 'data-field': 'reconstruction', text: f.reconstruction ?? '—' }),
    h('td', { class: 'num', text: num(f.reconstruction_standardised) }))));
  $('#explain-figure').dataset.ready = '1';
}
