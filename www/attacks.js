// The Per attack view: for one model and test set at its slider threshold, how many
// rows of each label and category it flags (counted by the wasm in the worker), the
// per-label chart and the highest-scoring records. Older answers are dropped.

import { $, chart, count, fixed, h, thr } from './dom.js';
import { opened, orderedRecords, rt, state } from './state.js';
import { send } from './client.js';
import { requestExplain } from './explain.js';

let breakdownTimer = 0;
/** The request id of the last breakdown asked for: a reply to an older request (another id) is dropped. */
let breakdownId = 0;

export function renderAttackChoices() {
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

export function clearBreakdown(text) {
  $('#attack-summary').textContent = text;
  $('#attack-categories tbody').replaceChildren();
  $('#attack-labels tbody').replaceChildren();
  $('#top-records thead').replaceChildren();
  $('#top-records tbody').replaceChildren();
  delete $('#attacks').dataset.ready;
}

/** The record and view the per-attack select points at. */
export function attackTarget() {
  if (!state.attackChoice) return null;
  const [kind, ...rest] = state.attackChoice.split('|');
  const test = rest.join('|');
  const rec = state.records.get(kind);
  const rv = rec?.views.find((v) => v.view.test_set === test);
  return rec && rv ? { rec, rv, kind, test } : null;
}

export function scheduleBreakdown() {
  delete $('#attacks').dataset.ready;
  clearTimeout(breakdownTimer);
  breakdownTimer = setTimeout(requestBreakdown, 120);
}

export function requestBreakdown() {
  const target = attackTarget();
  if (!target || !rt.worker || !rt.workerReady || $('#attacks').hidden) return;
  const n = Math.max(1, Math.min(1000, Math.floor(Number($('#attack-top').value) || 25)));
  const threshold = target.rv.threshold;
  delete $('#attacks').dataset.ready;
  breakdownId = send({ type: 'breakdown', model: target.rec.result.model.id, test: target.test, threshold, n });
}

/** The share flagged of a breakdown row, as the wasm reports it (never computed here); null if it does not. */
export function shareOf(row) {
  for (const key of ['rate', 'share', 'recall']) if (typeof row[key] === 'number') return fixed(row[key], 3);
  return null;
}

/**
 * Whether a reply (or error) belongs to the breakdown asked for last.
 * @param {number} id the reply's request id
 */
export const isCurrentBreakdown = (id) => id !== 0 && id === breakdownId;

/** @param {import('./client.js').ReplyOf<'breakdown'>} m */
export function onBreakdown(m) {
  // Superseded: a newer request was sent since (the slider moved on). Counted for the tests.
  if (!isCurrentBreakdown(m.id)) {
    const attacks = $('#attacks');
    attacks.dataset.dropped = String(Number(attacks.dataset.dropped || 0) + 1);
    return;
  }
  const target = attackTarget();
  const title = target ? target.rec.result.model.title : 'model';
  const byCategory = m.breakdown?.by_category ?? [];
  const byLabel = m.breakdown?.by_label ?? [];
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
  if (byLabel.length) chart(canvas, 'the per-label chart', (scale) => rt.wasm.draw_categories(canvas, `${title}: share flagged per label at ${thr(m.threshold)}`, byLabel, scale));

  const top = Array.isArray(m.top) ? m.top : [];
  const features = top[0]?.features?.map(([name]) => name) || [];
  $('#top-records thead').replaceChildren(h('tr', {},
    ['Rank', 'Record', 'Score', 'Above the slider threshold', 'Label', 'Category', ...features].map((c) => h('th', { scope: 'col', text: c }))));
  const explainRow = (r) => ({
    tabindex: '0',
    onclick: () => requestExplain(r.record_id),
    onkeydown: (e) => { if (e.key === 'Enter') requestExplain(r.record_id); },
  });
  $('#top-records tbody').replaceChildren(...top.map((r, i) => h('tr', { 'data-record': r.record_id, class: r.flagged ? 'flagged' : null, ...explainRow(r) },
    h('td', { class: 'num', text: String(i + 1) }),
    h('td', { class: 'num', 'data-field': 'record_id', text: String(r.record_id) }),
    h('td', { class: 'num', 'data-field': 'score', text: thr(r.score) }),
    h('td', { 'data-field': 'flagged', text: r.flagged ? 'yes' : 'no' }),
    h('td', { 'data-field': 'label', text: r.label ?? '—' }),
    h('td', { 'data-field': 'category', text: r.category ?? '—' }),
    (r.features || []).map(([, v]) => h('td', { class: /^-?[0-9.]+(e-?[0-9]+)?$/i.test(String(v)) ? 'num' : null, text: String(v) })))));
  $('#attacks').dataset.ready = '1';
}
