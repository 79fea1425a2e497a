// Small DOM helpers shared by every module: element building, number formatting
// (display only: every number comes from the wasm), the status line, errors,
// downloads, and the chart registry that sizes each canvas to its CSS box before
// the Rust chart code draws on it (and draws it again when it is shown or resized).

import { rt } from './state.js';

/**
 * The first element matching `selector` (typed loosely: the page knows its own markup).
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {any}
 */
export const $ = (selector, root = document) => root.querySelector(selector);
/**
 * Every element matching `selector`.
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {any[]}
 */
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Create an element: attributes (data-*, aria-*, id, class…), `text`, `on*` handlers, children. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key in node && !key.includes('-') && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const int = new Intl.NumberFormat('en-US');
export const count = (n) => (typeof n === 'number' && Number.isFinite(n) ? int.format(n) : '—');
export const fixed = (x, digits = 4) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
export const thr = (x) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : '—');

export function setStatus(text) {
  $('#status').textContent = text;
}

/**
 * What an error is about, as data (kept as data attributes on the message, never parsed).
 * @typedef {object} ErrorAbout
 * @property {string | null} [request] the type of the request it answers (`load`, `train`, …)
 * @property {string | null} [code] the stage that failed: an `ErrorReply`'s code, or the page's own (`settings`, `draw`, …)
 * @property {number | null} [line] the file line it names
 * @property {number | null} [column] the 1-based column it names
 * @property {Choices | null} [choices] what the user may pick to go on
 */

/**
 * Choices an error offers: one button per name, and any further buttons.
 * @typedef {object} Choices
 * @property {string[]} names what may be picked
 * @property {(name: string) => void} pick called with the name picked
 * @property {(name: string) => string} [text] a button's text (default `Load NAME`)
 * @property {string} [group] the group's accessible name (default `Choose a file to load`)
 * @property {{ name: string, text: string, pick: () => void }[]} [more] further buttons
 */

/**
 * Show an error message (the last five stay); its position is added when the text
 * does not name it already.
 * @param {string} message
 * @param {ErrorAbout} [about]
 */
export function showError(message, about = {}) {
  const box = $('#error');
  const { request, code, line, column, choices } = about;
  const at = typeof line === 'number' && !message.includes(`line ${line}`)
    ? ` (line ${line}${typeof column === 'number' ? `, column ${column}` : ''})` : '';
  // Choices to go on with (a zip archive's data files, a CSV's label column or normal
  // value): a button each, which clears the error.
  const button = (/** @type {string} */ name, /** @type {string} */ text, /** @type {() => void} */ pick) => h('button', {
    type: 'button', 'data-choice': name, text, onclick: () => { item.remove(); pick(); },
  });
  const chooser = choices
    ? h('p', { class: 'choices', role: 'group', 'aria-label': choices.group || 'Choose a file to load' },
      ...choices.names.map((name) => button(name, choices.text ? choices.text(name) : `Load ${name}`, () => choices.pick(name))),
      ...(choices.more || []).map((c) => button(c.name, c.text, c.pick)))
    : null;
  const item = h('div', { class: 'error-item' },
    h('p', {}, h('strong', { text: 'Error: ' }), message + at),
    chooser,
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this error', text: 'Dismiss', onclick: () => item.remove() }));
  if (request) item.dataset.request = request;
  if (code) item.dataset.code = code;
  if (typeof line === 'number') item.dataset.line = String(line);
  if (typeof column === 'number') item.dataset.column = String(column);
  box.append(item);
  // Keep the area readable: the last five messages.
  while (box.children.length > 5) box.firstElementChild.remove();
}

export function clearErrors() {
  $('#error').replaceChildren();
}

/** Run a drawing call; a failure is a message, never a broken page. */
export function draw(what, fn) {
  try {
    fn();
  } catch (e) {
    showError(`Drawing ${what} failed: ${e && e.message ? e.message : e}`, { code: 'draw' });
  }
}

/** How each registered canvas is drawn (run again when it is shown or resized), and what the draw returned. */
const drawers = new WeakMap();

/** Whether the wasm's draw_* take a `scale` and return chart objects (`hit`, `plot`). */
export const chartsScale = () => typeof rt.wasm?.HistogramChart === 'function';

/**
 * Size a canvas's backing store to its CSS box times `devicePixelRatio` (when it is
 * laid out; a hidden canvas keeps its size and is drawn again once shown), then draw
 * it: `fn(scale)` calls the Rust chart code with that scale and returns its chart
 * object, kept for the pointer (`chartOf`). Canvases without a sizing class keep
 * the CSS size of their width/height attributes.
 */
export function chart(canvas, what, fn) {
  const entry = drawers.get(canvas) || {};
  entry.what = what;
  entry.fn = fn;
  drawers.set(canvas, entry);
  const scale = chartsScale() ? Math.max(1, Math.min(4, window.devicePixelRatio || 1)) : 1;
  let width = Math.round(canvas.clientWidth);
  let height = Math.round(canvas.clientHeight);
  if (!canvas.classList.length) {
    // Fixed-size charts: their CSS size is the size they were written with.
    if (!canvas.dataset.cssWidth) {
      canvas.dataset.cssWidth = String(canvas.width);
      canvas.dataset.cssHeight = String(canvas.height);
    }
    width = Number(canvas.dataset.cssWidth);
    height = Number(canvas.dataset.cssHeight);
    if (scale !== 1) {
      canvas.style.width = `${width}px`;
      canvas.style.aspectRatio = `${width} / ${height}`;
    }
  }
  if (width > 0 && height > 0) {
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
  }
  entry.scale = scale;
  try { entry.obj?.free?.(); } catch { /* already freed */ }
  try {
    entry.obj = fn(scale) ?? null;
  } catch (e) {
    entry.obj = null;
    showError(`Drawing ${what} failed: ${e && e.message ? e.message : e}`, { code: 'draw' });
  }
  return entry.obj;
}

/** The chart object of a canvas's last drawing (null before the charts API, or if it failed). */
export function chartOf(canvas) {
  return drawers.get(canvas)?.obj ?? null;
}

/**
 * Draw again every registered canvas inside `root` that is laid out at a new size (or `force`).
 * @param {ParentNode} [root]
 */
export function redrawIn(root = document, force = false) {
  for (const canvas of $$('canvas', root)) {
    const d = drawers.get(canvas);
    if (!d || canvas.clientWidth === 0) continue;
    const want = Math.round(canvas.clientWidth * (d.scale || 1));
    if (force || (canvas.classList.length && (want !== canvas.width || Math.round(canvas.clientHeight * (d.scale || 1)) !== canvas.height))) {
      chart(canvas, d.what, d.fn);
    }
  }
}

export function download(data, filename, type = 'application/octet-stream') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

export function savePng(canvas, name) {
  canvas.toBlob((blob) => {
    if (blob) download(blob, `${name}.png`, 'image/png');
    else showError(`The chart ${name} could not be saved as PNG.`);
  }, 'image/png');
}

export const safeName = (text) => String(text).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'chart';

export function pngButton(canvas, name) {
  return h('button', { type: 'button', class: 'png', text: 'Save PNG', 'aria-label': `Save the chart ${name} as PNG`, onclick: () => savePng(canvas, name) });
}

export function chartFigure(canvas, caption, name) {
  return h('figure', { class: 'chart' }, canvas, h('figcaption', {}, caption, ' ', pngButton(canvas, name)));
}

/** A short plain-language explanation (hidden with hide=notes). */
export function explain(id, ...paragraphs) {
  return h('div', { class: 'explain', 'data-explain': id }, paragraphs.filter(Boolean).map((p) => h('p', {}, p)));
}
