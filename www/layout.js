// The page's layout: ARIA tab lists (the views nav, the chart tabs, the model
// tabs), the open view, the Setup side panel (open before there are results,
// folded once they come, on narrow screens), the loss-chart toggle and which
// tabs and panels the `hide=` list leaves. Keyboard: arrows, Home and End move
// between tabs (roving tabindex); Enter/Space or a click selects.

import { $, $$, redrawIn } from './dom.js';
import { state } from './state.js';

export const VIEWS = ['dashboard', 'attacks', 'mistake', 'runs', 'exports'];
/** The section of each view that `hide=` names (the dashboard's is "results"). */
const VIEW_SECTION = { dashboard: 'results', attacks: 'attacks', mistake: 'mistake', runs: 'runs', exports: 'exports' };

/**
 * Make `list` (a [role=tablist]) keyboard operable: arrows/Home/End move the focus
 * and select (automatic activation); `onSelect(tab)` does the rest.
 */
export function wireTabs(list, onSelect) {
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab && list.contains(tab)) onSelect(tab);
  });
  list.addEventListener('keydown', (e) => {
    const tabs = $$('[role="tab"]', list).filter((t) => !t.hidden);
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j === null) return;
    e.preventDefault();
    tabs[j].focus();
    onSelect(tabs[j]);
  });
}

/** Mark `tab` selected among its siblings, show its panel, hide the others'. */
export function selectTab(tab) {
  const list = tab.closest('[role="tablist"]');
  for (const t of $$('[role="tab"]', list)) {
    const on = t === tab;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(t.getAttribute('aria-controls'));
    if (panel) panel.hidden = !on;
  }
  const panel = document.getElementById(tab.getAttribute('aria-controls'));
  if (panel) redrawIn(panel);
}

/** @type {(view: string) => void} */
let onViewChange = () => {};

/** Open a view by name (an unknown or hidden one opens the first shown). */
export function showView(name, { announce = true } = {}) {
  const shown = VIEWS.filter((v) => !$(`#view-tab-${v}`).hidden);
  const view = shown.includes(name) ? name : (shown[0] || 'dashboard');
  state.view = view;
  selectTab($(`#view-tab-${view}`));
  document.body.dataset.view = view;
  if (announce) onViewChange(view);
}

/** The Setup panel: open or folded to a narrow bar. */
export function setSetupOpen(open) {
  const aside = $('#setup');
  aside.dataset.open = open ? '1' : '0';
  $('#setup-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  $('#setup-toggle .setup-arrow').textContent = open ? '◀' : '▶';
  $('#setup-body').hidden = !open;
  // The dashboard's width changed: its charts follow.
  requestAnimationFrame(() => redrawIn($('#main')));
}

/** The loss chart (and live histogram) strip under the training buttons. */
export function setLiveOpen(open) {
  $('#live').hidden = !open;
  $('#live-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) redrawIn($('#live'));
}

/** After `hide=` changed: tabs of hidden views go, the Setup panel goes if it is empty. */
export function applyLayoutHidden() {
  for (const view of VIEWS) {
    const section = document.getElementById(VIEW_SECTION[view]);
    $(`#view-tab-${view}`).hidden = Boolean(section?.hidden);
  }
  $('#setup').hidden = ['data', 'protocol', 'models'].every((id) => document.getElementById(id)?.hidden);
  if ($(`#view-tab-${state.view}`).hidden) showView(state.view);
}

/** Keep `--header-h` equal to the sticky header's height (the side panel sits below it). */
function trackHeader() {
  const top = $('#top');
  const set = () => document.documentElement.style.setProperty('--header-h', `${Math.ceil(top.getBoundingClientRect().height)}px`);
  set();
  if (window.ResizeObserver) new ResizeObserver(set).observe(top);
}

export function wireLayout({ viewChanged }) {
  onViewChange = viewChanged;
  wireTabs($('#view-tabs'), (tab) => showView(tab.dataset.view));
  wireTabs($('#curve-tabs'), selectTab);
  $('#setup-toggle').addEventListener('click', () => setSetupOpen($('#setup').dataset.open !== '1'));
  $('#live-toggle').addEventListener('click', () => setLiveOpen($('#live').hidden));
  trackHeader();
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => redrawIn(document), 150);
  });
}
