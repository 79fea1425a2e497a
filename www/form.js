// The settings form (Setup panel): defaults from the wasm, the protocol radios,
// and the settings each model is trained with, read from the fields (ranges are
// checked by the wasm, which gives the clear messages).

import { request } from './client.js';
import { $, $$, showError } from './dom.js';
import { fillDefaults as fillFromDefaults, settingsFromForm } from './settings.js';
import { rt, state } from './state.js';

/**
 * The protocol the form shows, as the worker takes it.
 * @returns {import('../pkg/types/ProtocolChoice').ProtocolChoice}
 */
export function chosenProtocol() {
  const value = $('input[name="protocol"]:checked')?.value || 'single-file';
  const seed = Number($('#holdout-seed').value);
  if (value === 'holdout') return { kind: 'holdout', train_fraction: Number($('#holdout-fraction').value), seed };
  if (value === 'kddcup' || value === 'kddcup-rev') return { kind: value, seed };
  return { kind: /** @type {'single-file' | 'train-test' | 'all-rows'} */ (value) };
}

/** Whether the protocol takes the split seed (and is valid only with a whole, non-negative one). */
export const SEEDED = ['holdout', 'kddcup', 'kddcup-rev'];

/** Whether a seeded choice has a usable seed (and, for hold-out, a fraction). */
export function validChoice(choice) {
  if (!SEEDED.includes(choice.kind)) return true;
  const fraction = choice.kind !== 'holdout' || Number.isFinite(choice.train_fraction);
  return fraction && Number.isInteger(choice.seed) && choice.seed >= 0;
}

export function setProtocolUi(kind) {
  const radio = $$('input[name="protocol"]').find((r) => r.value === kind);
  if (radio) radio.checked = true;
  $('.holdout-options').classList.toggle('inactive', !SEEDED.includes(kind));
  $('#holdout-fraction').disabled = kind !== 'holdout';
}

export function sendProtocol() {
  const choice = chosenProtocol();
  setProtocolUi(choice.kind);
  if (!state.train && state.pendingLoads.train.length === 0) return; // applied with the next file
  if (!validChoice(choice)) {
    showError(choice.kind === 'holdout' ? 'Hold-out needs a train fraction (a number) and a whole, non-negative seed.'
      : 'The split seed must be a whole, non-negative number.', { code: 'protocol' });
    setProtocolUi(state.protocol.kind);
    return;
  }
  state.lastAction = `Protocol: ${describeProtocol(choice)}`;
  request({ type: 'protocol', choice });
}

export function describeProtocol(choice) {
  if (choice.kind === 'holdout') return `hold-out (train fraction ${choice.train_fraction}, seed ${choice.seed})`;
  if (choice.kind === 'train-test') return 'second file as test set';
  if (choice.kind === 'kddcup') return `KDDCUP (normal rows are the anomalies, seed ${choice.seed})`;
  if (choice.kind === 'kddcup-rev') return `KDDCUP-Rev (seed ${choice.seed})`;
  return 'single file';
}

/** The form's defaults, from the wasm (through the one settings table). */
export function fillDefaults() {
  fillFromDefaults((kind) => rt.wasm.default_settings(kind));
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

/** The settings for `kind` from the form, on top of default_settings(kind) (the one settings table). */
export function settingsFor(kind) {
  return settingsFromForm(kind, rt.wasm.default_settings(kind), (p) => numberField(p.id, Boolean(p.whole)));
}
