// The view in the URL hash (keys in README.md, "Sharing a view"): reading a link
// into the form and the layout, writing the current view back, the panels menu
// (`hide=`) and Copy link.

import { scheduleBreakdown } from './attacks.js';
import { $, h, setStatus } from './dom.js';
import { chosenProtocol, setProtocolUi } from './form.js';
import { FIELDS, PANELS, PANEL_TITLES, PROTOCOLS, formatHash, list, protocolFromHash } from './hash.js';
import { KINDS, opened, orderedRecords, state } from './state.js';
import { chosen, setTheme } from './theme.js';
import { VIEWS, applyLayoutHidden, showView } from './layout.js';
import { selectModel } from './detail.js';

let hashTimer = 0;

export function hiddenPanels() {
  return PANELS.filter((p) => (p === 'notes' ? 'hideNotes' in document.body.dataset : document.getElementById(p)?.hidden));
}

export function applyHidden(hide) {
  for (const p of PANELS) {
    const off = hide.includes(p);
    if (p === 'notes') {
      if (off) document.body.dataset.hideNotes = '1';
      else delete document.body.dataset.hideNotes;
    } else {
      const section = document.getElementById(p);
      if (section) {
        const was = section.hidden;
        section.hidden = off;
        if (p === 'attacks' && was && !off) scheduleBreakdown(); // not kept up while hidden
      }
    }
    const box = $(`#panel-${p}`);
    if (box) box.checked = !off;
  }
  applyLayoutHidden();
}

export function buildPanelChecks() {
  const box = $('#panel-checks');
  for (const p of PANELS) {
    box.append(h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `panel-${p}`, 'data-testid': `panel-${p}`, checked: true,
        onchange: () => { applyHidden(PANELS.filter((q) => !$(`#panel-${q}`).checked)); scheduleHash(); } }),
      h('label', { for: `panel-${p}`, text: PANEL_TITLES[p] })));
  }
}

/** Put the link's settings into the form (before anything trains). */
export function applyHash(params, { view = true, form = true, thresholds = true } = {}) {
  if (form) {
    const protocol = protocolFromHash(params.get('protocol'));
    if (protocol) setProtocolUi(protocol);
    if (params.has('models')) {
      const ticks = list(params.get('models'));
      for (const kind of KINDS) $(`#model-${kind}`).checked = ticks.includes(kind);
    }
    for (const [key, id, type] of FIELDS) {
      if (!params.has(key)) continue;
      const el = /** @type {HTMLInputElement & HTMLSelectElement} */ (document.getElementById(id));
      const value = params.get(key);
      if (type === 'check') el.checked = value === '1' || value === 'true' || value === 'on';
      else if (el.tagName === 'SELECT') {
        if ([...el.options].some((o) => o.value === value)) el.value = value;
      } else el.value = value;
    }
    for (const kind of thresholds ? KINDS : []) {
      const value = Number(params.get(`thr.${kind}`));
      if (params.has(`thr.${kind}`) && Number.isFinite(value)) state.pendingThresholds[kind] = value;
    }
  }
  if (view) {
    applyHidden(list(params.get('hide')).filter((p) => PANELS.includes(p)));
    const theme = params.get('theme');
    if (theme === 'dark' || theme === 'light') setTheme(theme, false);
    const open = params.get('view');
    showView(VIEWS.includes(open) ? open : 'dashboard', { announce: false });
    if (params.has('sel')) selectModel(params.get('sel'));
  }
}

/** The current view as hash entries (see README.md, "Sharing a view"). */
export function currentHash() {
  const e = [];
  e.push(['protocol', PROTOCOLS[chosenProtocol().kind]]);
  const ticked = KINDS.filter((k) => $(`#model-${k}`).checked);
  e.push(['models', ticked.length ? ticked.join(',') : 'none']);
  for (const [key, id, type] of FIELDS) {
    const el = /** @type {HTMLInputElement} */ (document.getElementById(id));
    e.push([key, type === 'check' ? (el.checked ? '1' : '0') : el.value]);
  }
  for (const kind of KINDS) {
    const rec = state.records.get(kind);
    const value = rec ? rec.views[0]?.threshold : state.pendingThresholds[kind];
    if (typeof value === 'number' && Number.isFinite(value)) e.push([`thr.${kind}`, String(value)]);
  }
  const isFile = state.train?.type === 'file' || (!state.train && opened.get('data') === 'file');
  e.push(['data', isFile ? 'file' : 'sample']);
  if (isFile) {
    e.push(['file', state.train?.name ?? opened.get('file')]);
    e.push(['test', state.test?.name ?? (state.train ? null : opened.get('test'))]);
  }
  const records = orderedRecords();
  let run = 'train';
  if (records.length && records.every((r) => r.runId === null || r.runId === undefined)) {
    run = records.some((r) => String(r.result.model.source).startsWith('bundled')) ? 'bundled' : 'none';
  }
  e.push(['run', run]);
  const attack = state.attackChoice?.split('|')[0];
  if (attack) e.push(['attack', attack]);
  if (state.view !== 'dashboard') e.push(['view', state.view]);
  if (state.selected && records.length) e.push(['sel', state.selected]);
  const hide = hiddenPanels();
  if (hide.length) e.push(['hide', hide.join(',')]);
  if (chosen()) e.push(['theme', chosen()]);
  return formatHash(e);
}

export function scheduleHash() {
  if (!state.hashLive) return;
  clearTimeout(hashTimer);
  hashTimer = setTimeout(writeHash, 200);
}

export function writeHash() {
  clearTimeout(hashTimer);
  if (!state.hashLive) return;
  const hash = `#${currentHash()}`;
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
  const link = $('#share-link');
  if (!link.hidden) link.value = location.href;
}

export async function copyLink() {
  writeHash();
  const link = $('#share-link');
  link.value = location.href;
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus('Link to this view copied: opening it restores these settings and trains the same way.');
  } catch {
    // No clipboard here: show the link, selected, to copy by hand.
    link.hidden = false;
    link.focus();
    link.select();
    setStatus('Copy the link from the box in the header (Ctrl+C).');
  }
}

export function showHashNote(text) {
  const note = $('#hash-note');
  note.textContent = text;
  note.hidden = !text;
}
