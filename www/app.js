// netanomaly page: start-up and wiring only. Every number shown (metrics, curves,
// confusion matrices at a moved threshold) comes from the Rust/wasm package; charts
// are drawn by the same Rust chart code as the command line (on the main thread,
// because plotters measures text through `window.document`). The modelling runs in
// worker.js (client.js talks to it). Modules by concern: state.js (the one state),
// dom.js (helpers, chart sizing), layout.js (views, tabs, Setup panel), form.js,
// data.js, training.js, results.js and detail.js (the dashboard), attacks.js,
// mistake.js, runsview.js, share.js (the link in the hash), theme.js.

import { scheduleBreakdown } from './attacks.js';
import { finishIfIdle, request, startWorker } from './client.js';
import { DEMO, loadBundled, loadFile, loadModelFile, loadSample, wireDropZone } from './data.js';
import { $, $$, clearErrors, download, savePng, setStatus, showError } from './dom.js';
import { chosenProtocol, fillDefaults, sendProtocol, setProtocolUi, settingsFor } from './form.js';
import { parseHash, protocolFromHash } from './hash.js';
import { onMistakeClick } from './mistake.js';
import { runsCsv, runsMarkdown, saveRuns } from './runs.js';
import { renderRuns } from './runsview.js';
import { applyHash, buildPanelChecks, copyLink, scheduleHash, showHashNote, writeHash } from './share.js';
import { KINDS, TITLES, hadHash, opened, rt, state } from './state.js';
import { wireTheme } from './theme.js';
import { wireLayout } from './layout.js';
import { wireDetail } from './detail.js';
import { beginTraining, drawLoss, onCancelClick, onTrainClick, onTransport } from './training.js';

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


/**
 * The first thing the page does: load the built-in sample and, on a first visit,
 * train Isolation Forest and the dense autoencoder on it; opened from a link, apply
 * the link's protocol and train the link's models with its settings (or load the
 * bundled models, or nothing, as `run=` says). A link made with a file waits for
 * that file and then does the same.
 */
export function startDemo() {
  rt.demoStarted = true;
  if (!hadHash) {
    setProtocolUi('single-file');
    $('#epochs-dense').value = String(DEMO.epochs);
    for (const kind of KINDS) $(`#model-${kind}`).checked = DEMO.kinds.includes(kind);
  }
  let choice = chosenProtocol();
  // The sample is one file: "second file as test set" waits for the files.
  if (choice.kind === 'train-test') {
    setProtocolUi('single-file');
    choice = { kind: 'single-file' };
  }
  if (choice.kind === 'holdout' && !(Number.isFinite(choice.train_fraction) && Number.isInteger(choice.seed) && choice.seed >= 0)) {
    setProtocolUi('single-file');
    choice = { kind: 'single-file' };
  }
  loadSample(true);
  request({ type: 'protocol', choice });
  const run = opened.get('run') || 'train';
  const wantsFile = opened.get('data') === 'file';
  if (wantsFile) {
    state.autoRun = run;
    const names = [opened.get('file'), opened.get('test')].filter(Boolean).join(' and ');
    showHashNote(`This link was made with ${names ? `the file${opened.get('test') ? 's' : ''} ${names}` : 'a file of its own'}: load ${opened.get('test') ? 'them' : 'it'} in Setup, Data, and the page will ${run === 'bundled' ? 'load the bundled models' : 'train with the link’s settings'} at once. Meanwhile: the built-in sample.`);
  }
  if (run === 'bundled') {
    // Once the sample is in (the bundled set is picked by the data's format).
    if (!wantsFile) state.bundledOnSample = true;
    return;
  }
  if (run !== 'train') return;
  const kinds = KINDS.filter((k) => $(`#model-${k}`).checked);
  let models;
  try {
    if (kinds.length === 0) throw new Error('the link ticks no model');
    models = kinds.map(settingsFor);
  } catch (e) {
    showError(`The link’s settings cannot train: ${e.message}`, 'settings');
    return;
  }
  const what = kinds.map((k) => TITLES[k]).join(', ');
  beginTraining(kinds, models, $('#watch-histogram').checked,
    hadHash ? `Trained ${what} on the synthetic sample (not real traffic), as the link asks`
      : `Demo on the synthetic sample (not real traffic): Isolation Forest and the dense autoencoder (${DEMO.epochs} epochs)`);
}

/** After a link's file has loaded (and nothing else is pending): train or load, once. */
export function maybeAutoRun() {
  if (state.bundledOnSample && state.trainSummary && rt.workerReady) {
    state.bundledOnSample = false;
    void loadBundled();
    return;
  }
  if (!state.autoRun || state.training || !rt.workerReady) return;
  if (state.train?.type !== 'file') return;
  const wantsTest = Boolean(opened.get('test')) || protocolFromHash(opened.get('protocol')) === 'train-test';
  if (wantsTest && !state.test) return;
  const run = state.autoRun;
  state.autoRun = null;
  showHashNote('');
  if (run === 'bundled') void loadBundled();
  else if (run === 'train') onTrainClick('run');
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
      if (chosenProtocol().kind === 'holdout') sendProtocol();
    });
  }
  $('#train').addEventListener('click', () => onTrainClick('run'));
  $('#train-step').addEventListener('click', () => onTrainClick('step'));
  for (const type of ['play', 'pause', 'step']) $(`#${type}`).addEventListener('click', () => onTransport(type));
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
  $('#export-metrics').addEventListener('click', () => rt.worker?.postMessage({ type: 'export', what: 'metrics' }));
  $('#export-markdown').addEventListener('click', () => rt.worker?.postMessage({ type: 'export', what: 'markdown' }));
  for (const button of $$('button[data-png]')) {
    button.addEventListener('click', () => savePng(document.getElementById(button.dataset.png), button.dataset.name));
  }
  setProtocolUi('single-file');
  buildPanelChecks();
  wireLayout({ viewChanged: () => scheduleHash() });
  wireDetail();
}

async function main() {
  try {
    rt.wasm = await import('../pkg/netanomaly.js');
    await rt.wasm.default();
  } catch (e) {
    showError(`The WebAssembly package could not be loaded (${e && e.message ? e.message : e}). Build it with scripts/build-web.sh and serve the repository root.`, 'init');
    setStatus('Not available');
    return;
  }
  try {
    fillDefaults();
  } catch (e) {
    showError(`Could not read the default settings: ${e.message}`, 'init');
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
