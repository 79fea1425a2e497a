// @ts-check
// The page's settings as one table of properties (as TensorFlow Playground's state.ts
// does): each row names its URL key, its input element, its type, where it sits in a
// model's settings (shaped like the wasm's default_settings(kind)), which models it
// applies to and its name in the runs table. The form's defaults, the settings sent to
// the worker, the link and the runs table all walk this one table; adding a knob is
// adding a row. Defaults come from the wasm, never from here. No DOM beyond reading
// and writing the inputs it names.

const ALL = ['if', 'dense', 'lstm', 'deep'];
const AE = ['dense', 'lstm', 'deep'];

/**
 * @typedef {object} Setting
 * @property {string} key          URL hash key
 * @property {string} id           input element id
 * @property {'value' | 'check'} type
 * @property {string[]} kinds      the models it applies to (empty: a page setting)
 * @property {((kind: string) => string) | null} path  where it sits in settings of `kind` (dotted)
 * @property {boolean} [whole]     a whole number
 * @property {'number' | 'text' | 'bool'} [as]  how the value is sent (default: number)
 * @property {string} [rule]       a threshold: the object `{rule, value}` at `path`
 * @property {string} [runs]       its column in the runs table
 * @property {boolean} [shared]    shown with the shared settings in the runs table
 */

/** @param {string} p @returns {(kind: string) => string} */
const at = (p) => () => p;

/** @type {Setting[]} */
export const SETTINGS = [
  // Page settings: the protocol's hold-out and the live histogram.
  { key: 'frac', id: 'holdout-fraction', type: 'value', kinds: [], path: null },
  { key: 'split', id: 'holdout-seed', type: 'value', kinds: [], path: null },
  { key: 'watch', id: 'watch-histogram', type: 'check', kinds: [], path: null },
  // Shared by every model.
  { key: 'enc', id: 'encoding', type: 'value', kinds: ALL, path: at('prepare.encoding'), as: 'text', runs: 'encoding', shared: true },
  { key: 'log1p', id: 'log1p', type: 'check', kinds: ALL, path: at('prepare.log1p'), as: 'bool', runs: 'log1p', shared: true },
  { key: 'maxcat', id: 'max-categories', type: 'value', kinds: ALL, path: at('prepare.max_categories'), whole: true, runs: 'max categories', shared: true },
  {
    key: 'seed', id: 'seed', type: 'value', kinds: ALL, whole: true, runs: 'seed', shared: true,
    path: (kind) => (kind === 'if' ? 'forest.seed' : 'autoencoder.train.seed'),
  },
  // Isolation Forest.
  { key: 'if.trees', id: 'if-trees', type: 'value', kinds: ['if'], path: at('forest.n_estimators'), whole: true, runs: 'trees' },
  { key: 'if.samples', id: 'if-max-samples', type: 'value', kinds: ['if'], path: at('forest.max_samples'), whole: true, runs: 'max samples' },
  {
    key: 'if.contamination', id: 'if-contamination', type: 'value', kinds: ['if'], path: at('forest.threshold'),
    rule: 'contamination', runs: 'contamination',
  },
  // Each autoencoder.
  ...AE.flatMap((k) => /** @type {Setting[]} */ ([
    { key: `${k}.epochs`, id: `epochs-${k}`, type: 'value', kinds: [k], path: at('autoencoder.train.epochs'), whole: true, runs: 'epochs' },
    { key: `${k}.batch`, id: `batch-${k}`, type: 'value', kinds: [k], path: at('autoencoder.train.batch_size'), whole: true, runs: 'batch' },
    { key: `${k}.lr`, id: `lr-${k}`, type: 'value', kinds: [k], path: at('autoencoder.train.learning_rate'), runs: 'lr' },
    { key: `${k}.patience`, id: `patience-${k}`, type: 'value', kinds: [k], path: at('autoencoder.train.patience'), whole: true, runs: 'patience' },
    { key: `${k}.seq`, id: `seq-${k}`, type: 'value', kinds: [k], path: at('autoencoder.seq_len'), whole: true, runs: 'seq len' },
    {
      key: `${k}.pct`, id: `percentile-${k}`, type: 'value', kinds: [k], path: at('autoencoder.threshold'),
      rule: 'percentile', runs: 'percentile',
    },
  ])),
  { key: 'dense.hidden', id: 'dense-hidden', type: 'value', kinds: ['dense'], path: at('autoencoder.dense_hidden'), whole: true, runs: 'hidden' },
  { key: 'dense.code', id: 'dense-code', type: 'value', kinds: ['dense'], path: at('autoencoder.dense_code'), whole: true, runs: 'code' },
  { key: 'lstm.hidden', id: 'lstm-hidden', type: 'value', kinds: ['lstm'], path: at('autoencoder.lstm_hidden'), whole: true, runs: 'hidden' },
  { key: 'deep.outer', id: 'deep-outer', type: 'value', kinds: ['deep'], path: at('autoencoder.deep_outer'), whole: true, runs: 'outer' },
  { key: 'deep.inner', id: 'deep-inner', type: 'value', kinds: ['deep'], path: at('autoencoder.deep_inner'), whole: true, runs: 'inner' },
];

/**
 * The value at a dotted path (a threshold's value when `rule` is set).
 * @param {any} obj
 * @param {Setting} s
 * @param {string} kind
 */
export function valueIn(obj, s, kind) {
  if (!s.path) return undefined;
  const v = s.path(kind).split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
  return s.rule ? v?.value : v;
}

/**
 * Put `value` at the setting's place in `obj` (a `{rule, value}` object for a threshold).
 * @param {any} obj
 * @param {Setting} s
 * @param {string} kind
 * @param {unknown} value
 */
export function putIn(obj, s, kind, value) {
  if (!s.path) return;
  const keys = s.path(kind).split('.');
  const last = /** @type {string} */ (keys.pop());
  const parent = keys.reduce((o, k) => o[k], obj);
  parent[last] = s.rule ? { rule: s.rule, value } : value;
}

/**
 * The input of a setting.
 * @param {Setting} s
 * @returns {HTMLInputElement & HTMLSelectElement}
 */
export const inputOf = (s) => /** @type {any} */ (document.getElementById(s.id));

/**
 * The settings that apply to `kind`.
 * @param {string} kind
 */
export const settingsOf = (kind) => SETTINGS.filter((s) => s.kinds.includes(kind));

/**
 * The form's defaults, from the wasm's default_settings of each kind (the first model
 * a shared setting applies to gives its default).
 * @param {(kind: string) => any} defaults
 */
export function fillDefaults(defaults) {
  for (const s of SETTINGS) {
    const kind = s.kinds[0];
    if (!kind) continue;
    const v = valueIn(defaults(kind), s, kind);
    const input = inputOf(s);
    if (s.type === 'check') input.checked = Boolean(v);
    else input.value = String(v);
  }
}

/**
 * A model's settings from the form, on top of `base` (its default_settings).
 * @param {string} kind
 * @param {any} base
 * @param {(s: Setting) => number} readNumber  reads a number field, with a clear error
 */
export function settingsFromForm(kind, base, readNumber) {
  for (const s of settingsOf(kind)) {
    const input = inputOf(s);
    const value = s.type === 'check' ? input.checked : s.as === 'text' ? input.value : readNumber(s);
    putIn(base, s, kind, value);
  }
  return base;
}

/**
 * For the runs table: `[name, value]` of the shared settings (`shared`) or the
 * model's own, in table order.
 * @param {string} kind
 * @param {any} settings
 * @param {boolean} shared
 * @returns {[string, unknown][]}
 */
export function runsColumns(kind, settings, shared) {
  return settingsOf(kind)
    .filter((s) => s.runs && Boolean(s.shared) === shared)
    .map((s) => {
      const v = valueIn(settings, s, kind);
      return [/** @type {string} */ (s.runs), s.as === 'bool' ? (v ? 'on' : 'off') : v];
    });
}
