// netanomaly page: start-up and wiring only. Every number shown (metrics, curves,
// confusion matrices at a moved threshold) comes from the Rust/wasm package; charts
// are drawn by the same Rust chart code as the command line (on the main thread,
// because plotters measures text through `window.document`). The modelling runs in
// worker.js (client.js talks to it). Modules by concern: state.js (the one state),
// dom.js (helpers, chart sizing), layout.js (views, tabs, Setup panel), form.js,
// data.js, demo.js (the first run), training.js, results.js and detail.js (the
// dashboard), attacks.js, mistake.js, runsview.js, share.js (the link), theme.js.

import { scheduleBreakdown } from './attacks.js';
import { finishIfIdle, send, startWorker } from './client.js';
import { loadBundled, loadFile, loadModelFile, loadSample, wireDropZone } from './data.js';
import { $, $$, clearErrors, download, savePng, setStatus, showError } from './dom.js';
import { missingWasmFeature } from './features.js';
import { initExplain } from './explain.js';
import { SEEDED, chosenProtocol, fillDefaults, sendProtocol, setProtocolUi } from './form.js';
import { parseHash } from './hash.js';
import { onMistakeClick } from './mistake.js';
import { runsCsv, runsMarkdown, saveRuns } from './runs.js';
import { renderRuns } from './runsview.js';
import { applyHash, buildPanelChecks, copyLink, scheduleHash, writeHash } from './share.js';
import { opened, rt, state } from './state.js';
import { wireTheme } from './theme.js';
import { wireLayout } from './layout.js';
import { wireDetail } from './detail.js';
import { touchBars } from './interact.js';
import { drawLoss, onCancelClick, onTrainClick, onTransport } from './training.js';

// plotters (the Rust chart library) measures text on wasm by creating a detached
// <span> and calling setAttribute("style", "...font-size: Npx; position: fixed...").
// Our Content-Security-Policy (style-src 'self') rightly blocks style attributes, which
// would leave every label measured in the page font. CSSOM writes are not style
// attributes, so route exactly that case (style on a detached span) through
// `style.cssText`; every other setAttribute call is untouched.
{
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function setAttributeCspSafe(name, value) {
    if (name === 'style' && this instanceof HTMLSpanElement && !this.isConnected) {
      this.style.cssText = String(value);
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
}


/** Offline: register sw.js (relative: works under any path), show when the site is kept. */
export function registerServiceWorker() {
  const badge = $('#offline-badge');
  const show = () => {
    if (!navigator.onLine) badge.textContent = 'Offline: running from this browser’s copy';
    else if (document.body.dataset.offline === 'ready') badge.textContent = 'Works offline';
    else badge.textContent = '';
  };
  window.addEventListener('online', show);
  window.addEventListener('offline', show);
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    show();
    return;
  }
  navigator.serviceWorker.register('sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.body.dataset.offline = 'ready';
      show();
    })
    .catch(() => {
      document.body.dataset.offline = 'unavailable';
      show();
    });
}

export function wireUi() {
  for (const zone of $$('.drop')) wireDropZone(zone);
  // A file dropped beside the zones must not replace the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('#train-file').addEventListener('change', (e) => loadFile('train', e.target.files[0]));
  $('#test-file').addEventListener('change', (e) => loadFile('test', e.target.files[0]));
  $('#sample').addEventListener('click', () => {
    clearErrors();
    if (!rt.workerReady) return;
    loadSample(false);
  });
  for (const radio of $$('input[name="protocol"]')) radio.addEventListener('change', () => { clearErrors(); sendProtocol(); });
  for (const id of ['#holdout-fraction', '#holdout-seed']) {
    $(id).addEventListener('change', () => {
      if (SEEDED.includes(chosenProtocol().kind)) sendProtocol();
    });
  }
  initExplain();
  $('#train').addEventListener('click', () => onTrainClick('run'));
  $('#train-step').addEventListener('click', () => onTrainClick('step'));
  for (const type of /** @type {const} */ (['play', 'pause', 'step'])) $(`#${type}`).addEventListener('click', () => onTransport(type));
  $('#cancel').addEventListener('click', onCancelClick);
  $('#mistake-run').addEventListener('click', onMistakeClick);
  $('#attack-model').addEventListener('change', (e) => {
    state.attackChoice = e.target.value || null;
    delete $('#attacks').dataset.ready;
    scheduleBreakdown();
    scheduleHash();
  });
  $('#attack-top').addEventListener('change', scheduleBreakdown);
  $('#runs-markdown').addEventListener('click', () => {
    download(runsMarkdown(state.runs), 'runs.md', 'text/markdown');
    state.lastAction = 'Exported runs.md';
    finishIfIdle();
  });
  $('#runs-csv').addEventListener('click', () => {
    download(runsCsv(state.runs), 'runs.csv', 'text/csv');
    state.lastAction = 'Exported runs.csv';
    finishIfIdle();
  });
  $('#runs-clear').addEventListener('click', () => {
    state.runs = [];
    saveRuns(state.runs);
    renderRuns();
    state.lastAction = 'Cleared the runs table';
    finishIfIdle();
  });
  $('#copy-link').addEventListener('click', () => void copyLink());
  // Any setting changed: the link follows.
  for (const id of ['setup']) {
    $(`#${id}`).addEventListener('input', scheduleHash);
    $(`#${id}`).addEventListener('change', scheduleHash);
  }
  // A hand-edited link (address bar): settings and panels follow, nothing retrains.
  window.addEventListener('hashchange', () => {
    applyHash(parseHash(location.hash), { thresholds: false });
    const choice = chosenProtocol();
    if (JSON.stringify(choice) !== JSON.stringify(state.protocol) && !state.training) sendProtocol();
    scheduleHash();
  });
  $('#bundled').addEventListener('click', () => void loadBundled());
  $('#model-file').addEventListener('change', (e) => {
    void loadModelFile(e.target.files[0]);
    e.target.value = '';
  });
  for (const what of /** @type {const} */ (['metrics', 'markdown'])) {
    $(`#export-${what}`).addEventListener('click', () => send({ type: 'export', what, model: null, test: null, threshold: null, part_rows: null }));
  }
  for (const button of $$('button[data-png]')) {
    button.addEventListener('click', () => savePng(document.getElementById(button.dataset.png), button.dataset.name));
  }
  setProtocolUi('single-file');
  buildPanelChecks();
  wireLayout({ viewChanged: () => scheduleHash() });
  wireDetail();
  touchBars($('#attack-canvas'));
}

async function main() {
  const missing = missingWasmFeature();
  if (missing) {
    showError(`The page cannot run in this browser: ${missing}.`, { code: 'init' });
    setStatus('Not available');
    return;
  }
  try {
    rt.wasm = await import('../pkg/netanomaly.js');
    await rt.wasm.default();
  } catch (e) {
    showError(`The WebAssembly package could not be loaded (${e && e.message ? e.message : e}). Build it with scripts/build-web.sh and serve the repository root.`, { code: 'init' });
    setStatus('Not available');
    return;
  }
  try {
    fillDefaults();
  } catch (e) {
    showError(`Could not read the default settings: ${e.message}`, { code: 'init' });
  }
  wireUi();
  wireTheme();
  applyHash(opened);
  state.hashLive = true;
  renderRuns();
  rt.pageReady = true;
  drawLoss();
  writeHash();
  setStatus('Starting the worker…');
  startWorker();
  registerServiceWorker();
}

void main();
