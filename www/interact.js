// Charts you can touch: the pointer on the dashboard's charts. Every mapping from a
// pixel to data (nearest curve point, bar under the pointer, score at a column)
// comes from the chart objects the Rust draw_* return (charts-api.md); here only
// the wiring: readouts, a marker, and moving a model's threshold on click or drag.
// Without those objects (an older wasm) the charts simply do not answer.

import { h, fixed, count, chartOf } from './dom.js';
import { rt } from './state.js';

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? (rt.wasm?.format_number ? rt.wasm.format_number(x) : String(x)) : '—');
const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(1)} %` : '—');

/** The readout and marker of a chart's figure (made once, positioned over the canvas). */
function overlay(canvas) {
  const fig = canvas.closest('figure') || canvas.parentElement;
  fig.classList.add('touch');
  let readout = fig.querySelector(':scope > .readout');
  if (!readout) {
    readout = h('div', { class: 'readout', role: 'status', 'aria-live': 'polite', hidden: true, 'data-testid': `readout-${canvas.dataset.chart}` });
    const marker = h('div', { class: 'marker', hidden: true, 'aria-hidden': 'true' });
    fig.append(readout, marker);
  }
  return { readout, marker: fig.querySelector(':scope > .marker') };
}

/** Show `lines` near (x, y) in canvas CSS px; data-* for tests and assistive readers. */
function show(canvas, lines, x, y, data = {}, mark = null) {
  const { readout, marker } = overlay(canvas);
  readout.replaceChildren(...lines.map((l) => h('div', { text: l })));
  for (const key of Object.keys(readout.dataset)) if (key !== 'testid') delete readout.dataset[key];
  for (const [k, v] of Object.entries(data)) readout.dataset[k] = String(v);
  readout.hidden = false;
  const left = canvas.offsetLeft + Math.min(x + 14, canvas.clientWidth - 190);
  const top = canvas.offsetTop + Math.max(4, y - 60);
  readout.style.left = `${Math.max(canvas.offsetLeft, left)}px`;
  readout.style.top = `${top}px`;
  marker.hidden = !mark;
  if (mark) {
    marker.style.left = `${canvas.offsetLeft + mark.x}px`;
    marker.style.top = `${canvas.offsetTop + mark.y}px`;
  }
}

function hide(canvas) {
  const { readout, marker } = overlay(canvas);
  readout.hidden = true;
  marker.hidden = true;
}

const pos = (canvas, e) => {
  const r = canvas.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
};

/**
 * ROC / PR: hover shows the nearest point (model, threshold, rates) with a marker;
 * a click sets that model's threshold there: `choose(kind, threshold)`.
 */
export function touchCurve(canvas, kindOfChart, choose) {
  const hitAt = (e) => {
    const obj = chartOf(canvas);
    if (!obj?.hit) return null;
    const [x, y] = pos(canvas, e);
    return obj.hit(x, y);
  };
  // What the readout shows is what a click sets (a click's integer coordinates could pick a neighbour).
  let shown = null;
  canvas.addEventListener('pointermove', (e) => {
    const hit = hitAt(e);
    shown = hit;
    if (!hit) return hide(canvas);
    const rates = kindOfChart === 'roc'
      ? [`TPR ${fixed(hit.tpr)} · FPR ${fixed(hit.fpr)}`]
      : [`precision ${fixed(hit.precision)} · recall ${fixed(hit.recall)}`];
    const data = kindOfChart === 'roc' ? { tpr: hit.tpr, fpr: hit.fpr } : { precision: hit.precision, recall: hit.recall };
    show(canvas, [hit.name, `threshold ${num(hit.threshold)}`, ...rates, hit.threshold === null ? '' : 'click: set this threshold'].filter(Boolean),
      hit.x, hit.y, { ...data, threshold: hit.threshold, kind: hit.kind ?? '' }, { x: hit.x, y: hit.y });
    return undefined;
  });
  canvas.addEventListener('pointerleave', () => { shown = null; hide(canvas); });
  canvas.addEventListener('click', (e) => {
    const hit = shown || hitAt(e);
    if (hit && typeof hit.threshold === 'number' && hit.kind) choose(hit.kind, hit.threshold);
  });
}

/**
 * Histogram: hover shows the bar's range and counts; a click or a drag sets the
 * threshold at the score under the pointer: `set(value)`.
 */
export function touchHistogram(canvas, set) {
  let dragging = false;
  const at = (e) => {
    const obj = chartOf(canvas);
    if (!obj?.value_at) return null;
    const [x] = pos(canvas, e);
    return obj.value_at(x);
  };
  canvas.addEventListener('pointerdown', (e) => {
    const obj = chartOf(canvas);
    if (!obj?.hit || !obj.hit(...pos(canvas, e))) return;
    dragging = true;
    canvas.setPointerCapture(e.pointerId);
    const v = at(e);
    if (v !== null) set(v);
  });
  canvas.addEventListener('pointermove', (e) => {
    const obj = chartOf(canvas);
    if (!obj?.hit) return;
    if (dragging) {
      const v = at(e);
      if (v !== null) set(v);
    }
    const [x, y] = pos(canvas, e);
    const bar = chartOf(canvas)?.hit(x, y);
    if (!bar) return hide(canvas);
    show(canvas, [`scores ${num(bar.lo)} – ${num(bar.hi)}`, `normal ${count(bar.normal)} · attack ${count(bar.attack)}`, 'click or drag: move the threshold'],
      x, y, { lo: bar.lo, hi: bar.hi, normal: bar.normal, attack: bar.attack });
    return undefined;
  });
  const stop = (e) => {
    if (!dragging) return;
    dragging = false;
    if (canvas.hasPointerCapture?.(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  canvas.addEventListener('pointerleave', () => { if (!dragging) hide(canvas); });
}

/** Confusion matrix: hover shows the cell's count and its share of the true class. */
export function touchConfusion(canvas) {
  canvas.addEventListener('pointermove', (e) => {
    const cell = chartOf(canvas)?.hit?.(...pos(canvas, e));
    if (!cell) return hide(canvas);
    show(canvas, [`actual ${cell.actual}, predicted ${cell.predicted}`, `${count(cell.count)} rows (${pct(cell.share)} of ${cell.actual})`],
      cell.x, cell.y, { count: cell.count, share: cell.share, actual: cell.actual, predicted: cell.predicted });
    return undefined;
  });
  canvas.addEventListener('pointerleave', () => hide(canvas));
}

/** Bars per category or label: hover shows the name in full, flagged / total and the share. */
export function touchBars(canvas) {
  canvas.addEventListener('pointermove', (e) => {
    const bar = chartOf(canvas)?.hit?.(...pos(canvas, e));
    if (!bar) return hide(canvas);
    show(canvas, [bar.name, `${count(bar.flagged)} of ${count(bar.total)} flagged (${pct(bar.rate)})`], bar.x, bar.y,
      { name: bar.name, flagged: bar.flagged, total: bar.total });
    return undefined;
  });
  canvas.addEventListener('pointerleave', () => hide(canvas));
}
