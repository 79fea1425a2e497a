// The first run: load the built-in sample and, on a first visit, train the demo
// models on it; opened from a link, apply the link's protocol and do what its
// `run=` says (train with its settings, load the bundled models, or nothing) — at
// once on the sample, or once the link's own file has been loaded.

import { request } from './client.js';
import { DEMO, loadBundled, loadSample } from './data.js';
import { $, showError } from './dom.js';
import { chosenProtocol, setProtocolUi, settingsFor, validChoice } from './form.js';
import { protocolFromHash } from './hash.js';
import { showHashNote } from './share.js';
import { KINDS, TITLES, hadHash, opened, rt, state } from './state.js';
import { beginTraining, onTrainClick } from './training.js';

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
  if (!validChoice(choice)) {
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
    showHashNote(`This link was made with ${names ? `the file${opened.get('test') ? 's' : ''} ${names}` : 'a file of its own'}: load ${opened.get('test') ? 'them' : 'it'} (Setup panel, Data) and the page will ${run === 'bundled' ? 'load the bundled models' : 'train with the link’s settings'} at once. Meanwhile: the built-in sample.`);
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
    showError(`The link’s settings cannot train: ${e.message}`, { code: 'settings' });
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
