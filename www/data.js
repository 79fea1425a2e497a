// Data: the training and test files (chosen or dropped), the built-in synthetic
// sample, the bundled models and saved model files, the file summaries, and the
// worker's replies about them (a file loaded, the split applied).

import { finishIfIdle, request, updateBusy } from './client.js';
import { $, clearErrors, count, h, setStatus, showError } from './dom.js';
import { chosenProtocol, sendProtocol, setProtocolUi } from './form.js';
import { clearRecords } from './results.js';
import { rt, state } from './state.js';

/**
 * @template {import('./client.js').Response['type']} T
 * @typedef {import('./client.js').ReplyOf<T>} ReplyOf
 */

export const FORMATS = {
  kdd99: 'KDD Cup 99',
  'nsl-kdd': 'NSL-KDD',
  'kdd-arff': 'ARFF, KDD layout (41 features and a normal/anomaly class)',
  'unsw-nb15': 'UNSW-NB15 (45 columns: 39 numeric, proto/service/state, attack_cat)',
  'cic-ids2017': 'CIC-IDS2017 MachineLearningCSV (78 numeric features and a Label)',
  csv: 'CSV with a header (column kinds from its first rows, the label column chosen)',
  arff: 'ARFF (column kinds from its @attribute lines, the label column chosen)',
  unlabelled: 'unlabelled (41 features, no label: scores only, no metrics)',
};
/** The first visit trains on this, so every chart shows something at once. */
export const DEMO = { rows: 20000, seed: 42, epochs: 5, kinds: ['if', 'dense'] };

/**
 * Read a dropped or chosen file into a slot; `entry` names the file to read inside a
 * zip archive that holds several, `label` a header CSV's label column and normal values
 * (the worker's error lists both as choices).
 * @param {'train' | 'test'} slot @param {File | undefined} file @param {string | null} [entry]
 * @param {import('../pkg/types/LabelChoice').LabelChoice | null} [label]
 */
export function loadFile(slot, file, entry = null, label = null) {
  if (!file) return;
  if (!rt.workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  clearErrors();
  setStatus(`Reading ${file.name}…`);
  state.lastAction = `Loaded ${file.name}`;
  // The File itself goes to the worker, which reads it in slices: a file of
  // millions of rows is never copied whole (and is kept by reference for a restart).
  state.pendingLoads[slot].push({ type: 'file', name: file.name, file, entry, label });
  request({ type: 'load', slot, name: file.name, entry, label, non_finite: 'drop' }, file);
}

export function loadSample(protocolQueued = false) {
  state.lastAction = 'Loaded the built-in synthetic sample';
  state.pendingLoads.train.push({ type: 'sample', rows: DEMO.rows, seed: DEMO.seed, protocolQueued });
  request({ type: 'sample', rows: DEMO.rows, seed: DEMO.seed });
}

export function renderSummary(slot) {
  const box = $(`#${slot}-summary`);
  const s = slot === 'train' ? state.trainSummary : state.testSummary;
  if (!s) {
    box.replaceChildren(h('p', { class: 'hint', text: slot === 'train' ? 'Nothing loaded yet.' : 'No test file.' }));
    return;
  }
  const facts = h('dl', { class: 'facts' },
    h('dt', { text: 'File' }), h('dd', { text: s.entry ? `${s.name} → ${s.entry}` : s.name }),
    h('dt', { text: 'Format' }), h('dd', { text: FORMATS[s.format] || s.format }),
    h('dt', { text: 'Rows' }), h('dd', { text: count(s.rows) }),
    s.skipped_lines ? [h('dt', { text: 'Skipped' }), h('dd', { text: `${count(s.skipped_lines)} blank or comment lines` })] : null,
    s.dropped_rows ? [h('dt', { text: 'Left out' }), h('dd', { text: `${count(s.dropped_rows)} rows with Infinity or NaN` })] : null,
    s.labelled ? [h('dt', { text: 'Normal' }), h('dd', { text: count(s.normals) }),
      h('dt', { text: 'Attack' }), h('dd', { text: count(s.attacks) })] : null);
  const parts = [];
  if (s.streamed) {
    parts.push(h('p', { class: 'badge streamed', text: `Large file, streamed: ${count(s.rows)} rows are more than the page holds at once (${count(s.streamed.settings.hold_rows)}). Models train on a seeded sample of ${count(s.streamed.sample_rows)} normal rows (seed ${s.streamed.settings.seed}) and are tested on the other ${count(s.streamed.test_rows)} rows; each model reads the file again to score it.` }));
  }
  if (s.synthetic) parts.push(h('p', { class: 'badge synthetic', text: 'Synthetic sample, not real traffic: made by our own generator (normal web, mail, DNS, SNMP, FTP and telnet traffic; loud floods and sweeps, and quiet R2L and U2R attacks that hide in normal sessions).' }));
  parts.push(facts);
  if (s.labels && s.labels.length) {
    const rows = s.labels.map((l) => h('tr', {}, h('td', { text: l.label }), h('td', { text: l.category }), h('td', { class: 'num', text: count(l.count) })));
    parts.push(h('details', {},
      h('summary', { text: `${s.labels.length} labels` }),
      h('table', { class: 'labels' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Label' }), h('th', { scope: 'col', text: 'Category' }), h('th', { scope: 'col', text: 'Rows' }))),
        h('tbody', {}, rows))));
  }
  box.replaceChildren(...parts);
}

export function wireDropZone(zone) {
  const slot = zone.dataset.slot;
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(slot, file);
  });
}

export async function loadBundled() {
  clearErrors();
  if (!rt.workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  state.local += 1;
  updateBusy();
  setStatus('Fetching the bundled models…');
  try {
    let manifest;
    try {
      const response = await fetch('models/manifest.json');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      manifest = await response.json();
    } catch (e) {
      showError(`No bundled models are available (models/manifest.json: ${e.message}).`, { code: 'bundled' });
      return;
    }
    const sets = Array.isArray(manifest?.sets) ? manifest.sets : [];
    if (sets.length === 0) {
      showError('The bundled model list (models/manifest.json) is empty.', { code: 'bundled' });
      return;
    }
    const format = state.trainSummary?.format;
    const schema = state.trainSummary?.schema;
    // Bundled models are KDD's: a file of another dataset needs models trained on it.
    if (schema && schema !== 'kdd') {
      showError(`The bundled models were trained on KDD Cup 99 / NSL-KDD; this file is ${FORMATS[format] || format}. Train models on it instead (Train).`, { code: 'bundled' });
      return;
    }
    const set = sets.find((s) => s.format === format) || sets[0];
    state.lastAction = `Loaded the bundled models: ${set.title || set.id}`;
    for (const m of set.models || []) {
      try {
        const response = await fetch(`models/${m.file}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const buffer = await response.arrayBuffer();
        request({ type: 'add_model', source: `bundled: ${set.title || set.id}` }, new Uint8Array(buffer));
      } catch (e) {
        showError(`Could not fetch the bundled model ${m.file}: ${e.message}`, { code: 'bundled' });
      }
    }
  } finally {
    state.local -= 1;
    finishIfIdle();
  }
}

export async function loadModelFile(file) {
  if (!file) return;
  clearErrors();
  if (!rt.workerReady) {
    showError('The page is still starting; try again in a moment.');
    return;
  }
  try {
    const buffer = await file.arrayBuffer();
    state.lastAction = `Loaded the model file ${file.name}`;
    request({ type: 'add_model', source: `file: ${file.name}` }, new Uint8Array(buffer));
  } catch (e) {
    showError(`Could not read ${file.name}: ${e.message}`, { code: 'read' });
  }
}

/** @param {ReplyOf<'loaded'>} m */
export function onLoaded(m) {
  const slot = m.slot === 'test' ? 'test' : 'train';
  const source = state.pendingLoads[slot].shift() || null;
  if (slot === 'train') {
    state.trainSummary = m.summary;
    if (!state.restoring) {
      state.train = source || state.train;
      if (m.models_cleared) clearRecords();
      if (m.summary.synthetic) {
        // The sample replaces both files.
        state.test = null;
        state.testSummary = null;
        $('#test-file').value = '';
        renderSummary('test');
      }
      if (!source?.protocolQueued) {
        if (chosenProtocol().kind === 'train-test' && !state.test) setProtocolUi('single-file');
        sendProtocol();
      }
    }
    renderSummary('train');
  } else {
    state.testSummary = m.summary;
    if (!state.restoring) {
      state.test = source || state.test;
      // A test file means "second file as test set" (the worker already re-scored if it was).
      if (state.protocol.kind !== 'train-test') {
        setProtocolUi('train-test');
        sendProtocol();
      }
    }
    renderSummary('test');
  }
}

/** @param {ReplyOf<'split'>} m */
export function onSplit(m) {
  state.protocol = m.choice;
  state.split = m.summary;
  if (!state.restoring) setProtocolUi(m.choice.kind);
  const s = m.summary;
  const tests = s.tests.map((t) => (t.labelled
    ? `${t.name}: ${count(t.rows)} rows (${count(t.normals)} normal, ${count(t.attacks)} attack)`
    : `${t.name}: ${count(t.rows)} rows, unlabelled (scores only)`));
  const notices = s.tests.map((t) => t.notice).filter(Boolean).map((n) => ` Note: ${n}.`);
  $('#split-summary').textContent = `Training on ${count(s.train_rows)} normal rows. Testing on ${tests.join('; ')}.${notices.join('')}`;
}
