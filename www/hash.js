// The view in the URL hash (see "Sharing a view" in README.md): which form field
// each key restores, and reading/writing `key=value&…` without the noise of
// percent-encoded commas. No modelling here: only names and strings.

import { SETTINGS } from './settings.js';

/** Panels `hide=` can hide (section ids), plus "notes" (every explanation). */
export const PANELS = ['data', 'protocol', 'models', 'training', 'results', 'attacks', 'mistake', 'runs', 'exports', 'notes'];

export const PANEL_TITLES = {
  data: 'Data',
  protocol: 'Protocol',
  models: 'Models',
  training: 'Training',
  results: 'Results',
  attacks: 'Per attack',
  mistake: 'Why AUC 0.51?',
  runs: 'Runs',
  exports: 'Exports',
  notes: 'Explanations',
};

/** [hash key, element id, 'value' | 'check'] for every setting in the form (from the one table). */
export const FIELDS = SETTINGS.map((p) => [p.key, p.id, p.type]);

/** Protocol radio values and their short hash names. */
export const PROTOCOLS = { 'single-file': 'single', holdout: 'holdout', 'train-test': 'traintest', kddcup: 'kddcup', 'kddcup-rev': 'kddcuprev' };

export function protocolFromHash(value) {
  for (const [kind, short] of Object.entries(PROTOCOLS)) if (value === short || value === kind) return kind;
  return null;
}

/** The hash as a URLSearchParams (empty when there is none). */
export function parseHash(hash) {
  const text = String(hash || '').replace(/^#/, '');
  return new URLSearchParams(text);
}

const encode = (value) => encodeURIComponent(String(value)).replace(/%2C/gi, ',').replace(/%3A/gi, ':');

/** `[[key, value], …]` → `key=value&…` (keys in the given order; null/undefined skipped). */
export function formatHash(entries) {
  return entries
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
}

/** A comma list from the hash, trimmed, without empties. */
export function list(value) {
  return String(value || '').split(',').map((x) => x.trim()).filter(Boolean);
}
