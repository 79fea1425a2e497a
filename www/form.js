// The settings form (Setup panel): defaults from the wasm, the protocol radios,
// and the settings each model is trained with, read from the fields (ranges are
// checked by the wasm, which gives the clear messages).

import { request } from './client.js';
import { $, $$, showError } from './dom.js';
import { AE_KINDS, rt, state } from './state.js';

export function chosenProtocol() {
  const value = $('input[name="protocol"]:checked')?.value || 'single-file';
  if (value === 'holdout') {
    return { kind: 'holdout', train_fraction: Number($('#holdout-fraction').value), seed: Number($('#holdout-seed').value) };
  }
  return { kind: value };
}

export function setProtocolUi(kind) {
  const radio = $$('input[name="protocol"]').find((r) => r.value === kind);
  if (radio) radio.checked = true;
  $('.holdout-options').classList.toggle('inactive', kind !== 'holdout');
}

export function sendProtocol() {
  const choice = chosenProtocol();
  setProtocolUi(choice.kind);
  if (!state.train && state.pendingLoads.train.length === 0) return; // applied with the next file
  if (choice.kind === 'holdout' && !(Number.isFinite(choice.train_fraction) && Number.isInteger(choice.seed) && choice.seed >= 0)) {
    showError('Hold-out needs a train fraction (a number) and a whole, non-negative seed.', 'protocol');
    setProtocolUi(state.protocol.kind);
    return;
  }
  state.lastAction = `Protocol: ${describeProtocol(choice)}`;
  request({ type: 'protocol', choice });
}

export function describeProtocol(choice) {
  if (choice.kind === 'holdout') return `hold-out (train fraction ${choice.train_fraction}, seed ${choice.seed})`;
  if (choice.kind === 'train-test') return 'second file as test set';
  return 'single file';
}

export function fillDefaults() {
  const f = rt.wasm.default_settings('if');
  $('#if-trees').value = f.forest.n_estimators;
  $('#if-max-samples').value = f.forest.max_samples;
  $('#if-contamination').value = f.forest.threshold.value;
  $('#encoding').value = f.prepare.encoding;
  $('#log1p').checked = Boolean(f.prepare.log1p);
  $('#seed').value = f.forest.seed;
  for (const kind of AE_KINDS) {
    const ae = rt.wasm.default_settings(kind).autoencoder;
    $(`#epochs-${kind}`).value = ae.train.epochs;
    $(`#batch-${kind}`).value = ae.train.batch_size;
    $(`#lr-${kind}`).value = ae.train.learning_rate;
    $(`#patience-${kind}`).value = ae.train.patience;
    $(`#seq-${kind}`).value = ae.seq_len;
    $(`#percentile-${kind}`).value = ae.threshold.value;
  }
  const d = rt.wasm.default_settings('dense').autoencoder;
  $('#dense-hidden').value = d.dense_hidden;
  $('#dense-code').value = d.dense_code;
  $('#lstm-hidden').value = rt.wasm.default_settings('lstm').autoencoder.lstm_hidden;
  const deep = rt.wasm.default_settings('deep').autoencoder;
  $('#deep-outer').value = deep.deep_outer;
  $('#deep-inner').value = deep.deep_inner;
}

export function fieldName(input) {
  const label = input.labels?.[0]?.textContent?.trim() || input.id;
  const legend = input.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
  return legend ? `${legend}, ${label}` : label;
}

/** Read a number field as typed; ranges are checked by the wasm (clear messages). */
export function numberField(id, whole) {
  const input = $(`#${id}`);
  const text = input.value.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`${fieldName(input)}: enter a number.`);
  if (whole && !Number.isInteger(value)) throw new Error(`${fieldName(input)}: enter a whole number.`);
  if (whole && value < 0) throw new Error(`${fieldName(input)}: enter a whole number of at least 0.`);
  return value;
}

/** The settings for `kind` from the form, on top of default_settings(kind). */
export function settingsFor(kind) {
  const s = rt.wasm.default_settings(kind);
  s.prepare.encoding = $('#encoding').value;
  s.prepare.log1p = $('#log1p').checked;
  const seed = numberField('seed', true);
  if (kind === 'if') {
    s.forest.n_estimators = numberField('if-trees', true);
    s.forest.max_samples = numberField('if-max-samples', true);
    s.forest.threshold = { rule: 'contamination', value: numberField('if-contamination', false) };
    s.forest.seed = seed;
  } else {
    const ae = s.autoencoder;
    ae.kind = kind;
    ae.train.epochs = numberField(`epochs-${kind}`, true);
    ae.train.batch_size = numberField(`batch-${kind}`, true);
    ae.train.learning_rate = numberField(`lr-${kind}`, false);
    ae.train.patience = numberField(`patience-${kind}`, true);
    ae.train.seed = seed;
    ae.seq_len = numberField(`seq-${kind}`, true);
    ae.threshold = { rule: 'percentile', value: numberField(`percentile-${kind}`, false) };
    if (kind === 'dense') {
      ae.dense_hidden = numberField('dense-hidden', true);
      ae.dense_code = numberField('dense-code', true);
    } else if (kind === 'lstm') {
      ae.lstm_hidden = numberField('lstm-hidden', true);
    } else {
      ae.deep_outer = numberField('deep-outer', true);
      ae.deep_inner = numberField('deep-inner', true);
    }
  }
  return s;
}
