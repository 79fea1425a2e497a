// The view in the URL hash (see "Sharing a view" in README.md): which form field
// each key restores, and reading/writing `key=value&…` without the noise of
// percent-encoded commas. No modelling here: only names and strings.

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

const AE = ['dense', 'lstm', 'deep'];

/** [hash key, element id, 'value' | 'check'] for every setting in the form. */
export const FIELDS = [
  ['frac', 'holdout-fraction', 'value'],
  ['split', 'holdout-seed', 'value'],
  ['enc', 'encoding', 'value'],
  ['log1p', 'log1p', 'check'],
  ['seed', 'seed', 'value'],
  ['watch', 'watch-histogram', 'check'],
  ['if.trees', 'if-trees', 'value'],
  ['if.samples', 'if-max-samples', 'value'],
  ['if.contamination', 'if-contamination', 'value'],
  ...AE.flatMap((k) => [
    [`${k}.epochs`, `epochs-${k}`, 'value'],
    [`${k}.batch`, `batch-${k}`, 'value'],
    [`${k}.lr`, `lr-${k}`, 'value'],
    [`${k}.patience`, `patience-${k}`, 'value'],
    [`${k}.seq`, `seq-${k}`, 'value'],
    [`${k}.pct`, `percentile-${k}`, 'value'],
  ]),
  ['dense.hidden', 'dense-hidden', 'value'],
  ['dense.code', 'dense-code', 'value'],
  ['lstm.hidden', 'lstm-hidden', 'value'],
  ['deep.outer', 'deep-outer', 'value'],
  ['deep.inner', 'deep-inner', 'value'],
];

/** Protocol radio values and their short hash names. */
export const PROTOCOLS = { 'single-file': 'single', holdout: 'holdout', 'train-test': 'traintest' };

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
