// Small DOM helpers shared by every module: element building, number formatting
// (display only: every number comes from the wasm), the status line, errors,
// downloads, and the chart registry that sizes each canvas to its CSS box before
// the Rust chart code draws on it (and draws it again when it is shown or resized).

export const $ = (selector, root = document) => root.querySelector(selector);
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

export function showError(message, context = '') {
  const box = $('#error');
  const item = h('div', { class: 'error-item' },
    h('p', {}, h('strong', { text: 'Error: ' }), message),
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this error', text: 'Dismiss', onclick: () => item.remove() }));
  if (context) item.dataset.context = context;
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
    showError(`Drawing ${what} failed: ${e && e.message ? e.message : e}`, 'draw');
  }
}

/** How each registered canvas is drawn (run again when it is shown or resized). */
const drawers = new WeakMap();

/**
 * Size a canvas's backing store to its CSS box (when it is laid out; a hidden
 * canvas keeps its attribute size and is drawn again once shown), then draw it.
 * The Rust charts draw in canvas pixels, so the CSS size is also the chart size.
 */
export function chart(canvas, what, fn) {
  drawers.set(canvas, { what, fn });
  const width = Math.round(canvas.clientWidth);
  const height = Math.round(canvas.clientHeight);
  if (width > 0 && height > 0 && (canvas.width !== width || canvas.height !== height)) {
    canvas.width = width;
    canvas.height = height;
  }
  draw(what, fn);
}

/** Draw again every registered canvas inside `root` that is laid out at a new size (or `force`). */
export function redrawIn(root = document, force = false) {
  for (const canvas of $$('canvas', root)) {
    const d = drawers.get(canvas);
    if (!d || canvas.clientWidth === 0) continue;
    if (force || Math.round(canvas.clientWidth) !== canvas.width || Math.round(canvas.clientHeight) !== canvas.height) {
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
