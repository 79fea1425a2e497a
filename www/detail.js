// The dashboard's detail area: one panel per model view (model × test set), one
// shown at a time, chosen by the model tabs or a click on a results row. Each
// panel holds the threshold slider (in rank space, via the wasm ThresholdView),
// the exact threshold box, the metrics at that threshold, the score histogram and
// the confusion matrix; the per-category chart of the chosen model sits in the
// chart tabs on the left, and the notes under the dashboard follow the choice.

import { $, $$, h, count, fixed, thr, chart, chartFigure, showError, redrawIn } from './dom.js';
import { rt, state, opened, orderedRecords, suffixOf } from './state.js';
import { wireTabs } from './layout.js';
import { scheduleHash } from './share.js';
import { scheduleBreakdown } from './attacks.js';
import { touchBars, touchConfusion, touchHistogram } from './interact.js';
import { listValues } from './results.js';

/** suffix → {rec, rv, index, update(value)} for the views on show. */
const panels = new Map();
/** The model view the link asked for (`sel=`), until it is there or another is chosen. */
let wanted = opened.get('sel');

function describeModel(rec) {
  const m = rec.result.model;
  const parts = [`source: ${m.source}`, `protocol: ${m.protocol}`, `${count(m.train_rows)} training rows`, `threshold ${thr(m.threshold)}`];
  if (m.history) {
    const why = { completed: 'all epochs ran', 'early-stopped': 'stopped early', cancelled: 'cancelled: best weights so far kept' }[m.history.stop] || m.history.stop;
    parts.push(`${m.history.epochs.length} epoch(s), ${why}, best epoch ${m.history.best_epoch}`);
  }
  return parts.join(' · ');
}

/** The model view in detail now ({rec, rv, index, suffix}), or null. */
export function selectedTarget() {
  const p = panels.get(state.selected);
  return p ? { ...p, suffix: state.selected } : null;
}

export function renderDetails(records) {
  const tabs = [];
  const boxes = [];
  const cats = [];
  panels.clear();
  for (const rec of records) {
    rec.views.forEach((rv, index) => {
      const suffix = suffixOf(rec.kind, index);
      const many = rec.views.length > 1 || records.some((r) => r.views.length > 1);
      tabs.push(h('button', {
        type: 'button', role: 'tab', id: `model-tab-${suffix}`, 'data-testid': `model-tab-${suffix}`, 'data-suffix': suffix,
        'aria-controls': `detail-${suffix}`, 'aria-selected': 'false', tabindex: '-1',
        text: many ? `${rec.result.model.title} · ${rv.view.test_set}` : rec.result.model.title,
      }));
      const { box, catFigure } = buildPanel(rec, rv, index, suffix);
      boxes.push(box);
      if (catFigure) cats.push(catFigure);
    });
  }
  $('#model-tabs').replaceChildren(...tabs);
  $('#model-details').replaceChildren(...boxes);
  $('#curve-panel-categories').replaceChildren(...cats);
  // The link's choice as soon as its model is there (models arrive one by one), else the first.
  if (wanted && panels.has(wanted)) {
    state.selected = wanted;
    wanted = null;
  } else if (!panels.has(state.selected)) {
    state.selected = panels.keys().next().value ?? state.selected;
  }
  for (const p of panels.values()) p.update(p.rv.threshold);
  showSelected();
}

/** Show the model view `suffix` in detail (tab, row, curves, categories, notes). */
export function selectModel(suffix) {
  if (!panels.has(suffix)) {
    wanted = suffix; // a link's choice, shown once that model arrives
    return;
  }
  wanted = null;
  state.selected = suffix;
  showSelected();
  scheduleHash();
}

function showSelected() {
  const suffix = state.selected;
  const p = panels.get(suffix);
  for (const tab of $$('#model-tabs [role="tab"]')) {
    const on = tab.dataset.suffix === suffix;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
  }
  for (const box of $$('#model-details > .detail')) box.hidden = box.dataset.suffix !== suffix;
  for (const fig of $$('#curve-panel-categories > figure, #curve-panel-categories > p')) fig.hidden = fig.dataset.suffix !== suffix;
  for (const row of $$('#results-table tbody tr')) row.classList.toggle('selected', row.dataset.suffix === suffix);
  const test = p?.rv.view.test_set;
  for (const g of $$('#dash-curves .curve-group')) g.hidden = g.dataset.test !== test;
  document.body.dataset.selected = suffix || '';
  renderNotes(p);
  redrawIn($('#view-dashboard'));
}

function buildPanel(rec, rv, index, suffix) {
  const kind = rec.kind;
  const title = rec.result.model.title;
  const { view } = rv;
  const e = view.evaluation;
  const box = h('div', { class: 'detail', role: 'tabpanel', id: `detail-${suffix}`, 'data-suffix': suffix, 'data-model': kind, 'data-test': view.test_set, 'aria-labelledby': `model-tab-${suffix}` });
  box.append(h('p', { class: 'meta', title: describeModel(rec), text: `${title} on ${view.test_set} · ${describeModel(rec)}` }));
  if (!e) box.append(h('p', { class: 'note', text: `No metrics: ${view.message || 'this test set has no labels'}. The histogram shows every row's score.` }));

  const hist = h('canvas', { class: 'c-detail c-hist', width: 520, height: 300, 'data-chart': `histogram-${suffix}`, role: 'img', 'aria-label': `Score histogram of ${title}, normal and attack rows, with the threshold line` });
  const conf = e ? h('canvas', { class: 'c-detail c-conf', width: 340, height: 300, 'data-chart': `confusion-${suffix}`, role: 'img', 'aria-label': `Confusion matrix of ${title} at the chosen threshold` }) : null;
  const cats = e ? h('canvas', { class: 'c-curve', width: 440, height: 380, 'data-chart': `categories-${suffix}`, role: 'img', 'aria-label': `Share of rows flagged per category by ${title}` }) : null;

  // Threshold slider in rank space: position q sets the threshold that flags the
  // top 1 − q of rows (ThresholdView does the mapping), so it moves smoothly however
  // skewed the scores (reconstruction errors span decades); the number box is exact.
  const toSlider = (t) => (rv.tv ? rv.tv.quantile_of(t) : 0.5);
  const fromSlider = (q) => (rv.tv ? rv.tv.threshold_at(q) : view.threshold);
  const sliderId = `threshold-${suffix}`;
  const slider = h('input', { type: 'range', id: sliderId, 'data-testid': sliderId, min: '0', max: '1', step: '0.0005', 'aria-describedby': `numbers-${suffix}`, 'aria-label': `Threshold of ${title} (by share of rows below it)` });
  slider.value = String(toSlider(rv.threshold));
  const exact = h('input', { type: 'number', step: 'any', class: 'thr-value', id: `threshold-value-${suffix}`, 'data-testid': `threshold-value-${suffix}`, 'aria-label': `Threshold of ${title} (exact value)` });
  const numbers = h('dl', { class: 'confusion-numbers', id: `numbers-${suffix}`, 'data-testid': `confusion-${suffix}` });
  const reset = h('button', { type: 'button', class: 'reset', text: 'Model threshold', 'aria-label': `Back to the model threshold of ${title}` });

  const update = (value) => {
    rv.threshold = value;
    if (document.activeElement !== exact) exact.value = String(value);
    if (!rv.tv) return;
    let at;
    try {
      at = rv.tv.at(value);
    } catch (err) {
      showError(`The threshold view failed: ${err.message}`, { code: 'threshold' });
      return;
    }
    const c = at.confusion;
    numbers.dataset.tn = c.tn;
    numbers.dataset.fp = c.fp;
    numbers.dataset.fn = c.fn_;
    numbers.dataset.tp = c.tp;
    numbers.dataset.threshold = value;
    const pair = (dt, dd, field) => [h('dt', { text: dt }), h('dd', { 'data-field': field, text: dd })];
    if (e) {
      numbers.replaceChildren(...pair('TN', count(c.tn)), ...pair('FP', count(c.fp)), ...pair('FN', count(c.fn_)), ...pair('TP', count(c.tp)),
        ...pair('Precision', fixed(at.precision), 'precision'), ...pair('Recall', fixed(at.recall), 'recall'),
        ...pair('F1', fixed(at.f1), 'f1'), ...pair('Accuracy', fixed(at.accuracy), 'accuracy'),
        ...pair('False positive rate', fixed(at.false_positive_rate), 'false_positive_rate'));
      chart(conf, 'the confusion matrix', (scale) => rt.wasm.draw_confusion(conf, `Confusion at ${thr(rv.threshold)}`, rv.tv.at(rv.threshold).confusion, scale));
    } else {
      // Unlabelled: every row counts as "attack" in the sorted scores, so TP = rows flagged.
      numbers.replaceChildren(...pair('Rows above the threshold', count(c.tp)), ...pair('Rows at or below', count(c.fn_)));
    }
    chart(hist, 'the histogram', (scale) => rt.wasm.draw_histogram(hist, `${title}: scores on ${view.test_set}`, view.histogram, rv.threshold, rec.result.model.score_name, scale));
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

  box.append(
    h('div', { class: 'threshold' },
      h('div', { class: 'slider-row' }, h('label', { for: sliderId, text: 'Threshold' }), slider, exact, reset),
      numbers),
    h('div', { class: 'detail-charts' },
      chartFigure(hist, 'Scores (log counts); the black line is the threshold.', `histogram_${suffix}`),
      conf ? chartFigure(conf, 'Counts at the slider threshold.', `confusion_${suffix}`) : null));
  let catFigure = null;
  if (cats) {
    catFigure = chartFigure(cats, `${title}: share flagged per category at the model threshold (normal: false positive rate).`, `categories_${suffix}`);
    catFigure.dataset.suffix = suffix;
    chart(cats, 'the category chart', (scale) => rt.wasm.draw_categories(cats, `${title}: share flagged per category`, e.by_category, scale));
  }
  // Keyboard: a focused histogram or matrix moves this model's slider (see nudge()).
  for (const c of [hist, conf]) if (c) chartKeys(c, () => suffix);
  // Pointer: click or drag on the histogram sets the threshold; hovers read bars and cells.
  touchHistogram(hist, (value) => setThreshold(suffix, value));
  if (conf) touchConfusion(conf);
  if (cats) touchBars(cats);
  panels.set(suffix, { rec, rv, index, update, slider, toSlider });
  return { box, catFigure };
}

/** One explanation paragraph (hidden with hide=notes). */
const explain = (id, ...parts) => h('div', { class: 'explain', 'data-explain': id }, h('p', {}, ...parts));

/** The explanations under the dashboard, for the model in detail and its test set. */
function renderNotes(p) {
  const box = $('#notes-results');
  if (!p) {
    box.replaceChildren();
    return;
  }
  const { rec, rv } = p;
  const test = rv.view.test_set;
  const title = rec.result.model.title;
  const e = rv.view.evaluation;
  const evaluated = orderedRecords()
    .map((r) => ({ r, v: r.views.find((x) => x.view.test_set === test) }))
    .filter((x) => x.v?.view.evaluation);
  const aucs = listValues(evaluated.map(({ r, v }) => ({ name: r.result.model.title, value: v.view.evaluation.roc_auc })));
  const aps = listValues(evaluated.map(({ r, v }) => ({ name: r.result.model.title, value: v.view.evaluation.average_precision })));
  const isForest = rec.kind === 'if';
  const notes = [
    e ? explain('roc', h('strong', { text: 'ROC. ' }),
      'Slide the threshold from strict to lenient and follow the share of attacks caught (up) against the share of normal rows wrongly flagged (right). The area under the curve, ROC AUC, is the chance that a random attack row scores higher than a random normal row: 0.5 is a coin toss (the diagonal), 1 is perfect. ',
      `Here, on ${test}: ${aucs}. AUC ignores the threshold, so it judges the score itself — not how many false alarms you would get at the threshold you actually use.`) : null,
    e ? explain('pr', h('strong', { text: 'Precision–recall. ' }),
      'Precision is the share of flagged rows that really are attacks; recall is the share of attacks that got flagged. Lowering the threshold moves right along the curve: more attacks caught, more normal rows caught with them. ',
      `Here ${count(e.attacks)} of the ${count(e.rows)} test rows are attacks, so even flagging everything would give that share as precision: judge the curves against that floor, not against 0. Average precision: ${aps}.`) : null,
    explain('histogram', h('strong', { text: `Histogram of ${title}. ` }),
      `Bars count the rows by ${isForest ? 'anomaly score (short average path in the random trees = high score)' : 'reconstruction error (how badly the network rebuilds the row)'}, normal in blue and attack in vermillion, on log scales. The black line is the threshold: everything right of it is flagged. `,
      isForest
        ? 'The model’s own threshold flags the top share of its training normals set by “contamination” (5 % by default): some false alarms are built in. Move the slider and watch which colour crosses the line.'
        : 'The model’s own threshold is the 95th percentile of its training errors: 5 % of the normal rows it trained on are flagged by design. Move the slider and watch which colour crosses the line.'),
    e ? explain('confusion', h('strong', { text: 'Confusion matrix. ' }),
      'Four counts at the slider threshold: normal rows kept (TN) and wrongly flagged (FP), attacks missed (FN) and caught (TP). Precision is TP against everything flagged; recall is TP against every attack. ',
      `At its own threshold (${thr(rv.view.threshold)}), ${title} catches ${count(e.confusion.tp)} attacks, misses ${count(e.confusion.fn_)} and raises ${count(e.confusion.fp)} false alarms.`) : null,
    e ? explain('categories', h('strong', { text: 'Per category. ' }),
      'Each bar is the share of one category’s rows flagged at the model’s threshold; for normal it is the false-alarm rate. ',
      (state.trainSummary?.schema ?? 'kdd') === 'kdd'
        ? 'DoS floods and probes are many and extreme, so nearly every detector catches them; R2L (remote-to-local: password guessing, ftp_write, warezmaster) and U2R (user-to-root: buffer overflows, rootkits) look like ordinary sessions. Those last two categories are where a single AUC hides the weakness: they are few, so they hardly move the AUC even when almost all of them are missed. '
        : 'Loud categories (floods, scans) are caught by nearly every detector; the ones that look like ordinary traffic, and the rare ones, are where a single AUC hides the weakness: they hardly move it even when almost all of them are missed. ',
      'The Per attack view breaks this down per label.') : null,
  ];
  box.replaceChildren(...notes.filter(Boolean));
}

/** Set a model view's threshold exactly (slider, box, matrix, metrics, charts, link follow); `select` shows it in detail. */
export function setThreshold(suffix, value, { select = false } = {}) {
  const p = panels.get(suffix);
  if (!p || !Number.isFinite(value)) return;
  if (select && state.selected !== suffix) selectModel(suffix);
  p.slider.value = String(p.toSlider(value));
  p.update(value);
}

/** The suffix of `kind`'s view on test set `test`, or null. */
export function suffixFor(kind, test) {
  for (const [suffix, p] of panels) if (p.rec.kind === kind && p.rv.view.test_set === test) return suffix;
  return null;
}

/**
 * Move a model view's threshold by `steps` slider steps (rank space, so one step
 * flags about the same share of rows more or fewer wherever the slider is); the
 * slider's own input handler does the rest (matrix, metrics, charts, link).
 */
export function nudge(suffix, steps) {
  const p = panels.get(suffix);
  if (!p?.slider) return;
  const s = p.slider;
  const step = Number(s.step) || 0.0005;
  const q = Math.min(Number(s.max), Math.max(Number(s.min), Number(s.value) + steps * step));
  if (q === Number(s.value)) return;
  s.value = String(q);
  s.dispatchEvent(new Event('input', { bubbles: true }));
}

const KEY_STEPS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -20, PageUp: 20 };

/** Make a chart canvas focusable; arrow keys (Shift: ×20) and Page Up/Down move the threshold of `target()`. */
export function chartKeys(canvas, target) {
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-describedby', 'chart-keys-hint');
  canvas.addEventListener('keydown', (e) => {
    const steps = KEY_STEPS[e.key];
    if (!steps) return;
    e.preventDefault();
    nudge(target(), e.shiftKey ? steps * 20 : steps);
  });
}

export function wireDetail() {
  wireTabs($('#model-tabs'), (tab) => selectModel(tab.dataset.suffix));
}
