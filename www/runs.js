// The "Runs" table: every finished training run (its settings and the headline
// metrics the wasm computed), kept in localStorage so a class can change one knob,
// train again and compare. Only bookkeeping and text formatting here: every number
// stored is a number the wasm returned.

import { runsColumns } from './settings.js';

const KEY = 'netanomaly.runs.v1';
const MAX_RUNS = 200;

/** The runs kept in this browser, oldest first. */
export function loadRuns() {
  try {
    const runs = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(runs) ? runs.filter((r) => r && typeof r === 'object' && Array.isArray(r.models)) : [];
  } catch {
    return [];
  }
}

export function saveRuns(runs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(runs.slice(-MAX_RUNS)));
    return true;
  } catch {
    return false; // private mode or full: the table still shows this session's runs
  }
}

/** The hyper-parameters of one model's settings (shaped like default_settings(kind)), as [name, value]. */
export function modelSettings(kind, s) {
  return s ? runsColumns(kind, s, false) : [];
}

/** Encoding, log1p and seed of a settings object. */
export function sharedSettings(s) {
  return s ? runsColumns(s.kind, s, true) : [];
}

const text = (v) => (v === null || v === undefined ? '' : String(v));

/**
 * One table row per run × model × test set, with what changed since the previous
 * run: `changed` holds the names of settings that differ (data, protocol, a shared
 * setting or a hyper-parameter; "model" when the previous run did not train it).
 */
export function runRows(runs) {
  const rows = [];
  runs.forEach((run, i) => {
    const prev = i > 0 ? runs[i - 1] : null;
    for (const m of run.models) {
      const pm = prev?.models.find((x) => x.kind === m.kind) || null;
      const changed = new Set();
      if (prev) {
        if (text(prev.data) !== text(run.data)) changed.add('data');
        if (text(pm?.protocol ?? prev.models[0]?.protocol) !== text(m.protocol)) changed.add('protocol');
        const prevShared = Object.fromEntries(pm?.shared ?? prev.models[0]?.shared ?? []);
        for (const [k, v] of m.shared) if (text(prevShared[k]) !== text(v)) changed.add(k);
        if (!pm) changed.add('model');
        else {
          const prevSettings = Object.fromEntries(pm.settings);
          for (const [k, v] of m.settings) if (text(prevSettings[k]) !== text(v)) changed.add(k);
        }
      }
      const results = m.results.length ? m.results : [{ test: '', roc_auc: null }];
      for (const r of results) rows.push({ run, model: m, result: r, changed });
    }
  });
  return rows;
}

const num = (x, digits = 4) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '');
const settingsText = (pairs, changed, mark) => pairs.map(([k, v]) => {
  const t = `${k} ${text(v)}`;
  return changed.has(k) ? mark(t) : t;
}).join(', ');

/** Metrics first (what a class compares), then what ran. */
export const COLUMNS = ['Run', 'Model', 'Test set', 'ROC AUC', 'Average precision', 'F1', 'Precision', 'Recall', 'Epochs', 'Data', 'Protocol', 'Settings'];
/** Columns holding numbers (right-aligned). */
export const NUMERIC = new Set([3, 4, 5, 6, 7, 8]);

function cells(row, mark) {
  const { run, model: m, result: r, changed } = row;
  const flag = (name, t) => (changed.has(name) ? mark(t) : t);
  return [
    String(run.n),
    flag('model', `${m.title}${m.note ? ` (${m.note})` : ''}`),
    text(r.test),
    num(r.roc_auc), num(r.average_precision), num(r.f1), num(r.precision), num(r.recall),
    text(m.epochs ?? ''),
    flag('data', text(run.data)),
    flag('protocol', text(m.protocol)),
    settingsText([...m.shared, ...m.settings], changed, mark),
  ];
}

/** The table in Markdown; changed settings in bold. */
export function runsMarkdown(runs) {
  const esc = (t) => String(t).replace(/\|/g, '\\|');
  const lines = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((c, i) => (NUMERIC.has(i) ? '---:' : '---')).join('|')}|`];
  for (const row of runRows(runs)) lines.push(`| ${cells(row, (t) => `**${t}**`).map(esc).join(' | ')} |`);
  return `${lines.join('\n')}\n\nBold: changed since the previous run.\n`;
}

/** The table as CSV (one column per field; `changed` lists what differs from the previous run). */
export function runsCsv(runs) {
  const quote = (t) => (/[",\n]/.test(String(t)) ? `"${String(t).replace(/"/g, '""')}"` : String(t));
  const header = ['run', 'time', 'data', 'protocol', 'model', 'note', 'encoding', 'log1p', 'seed', 'settings', 'epochs', 'test_set',
    'roc_auc', 'average_precision', 'f1', 'precision', 'recall', 'threshold', 'changed'];
  const lines = [header.join(',')];
  for (const { run, model: m, result: r, changed } of runRows(runs)) {
    const shared = Object.fromEntries(m.shared);
    lines.push([run.n, run.at, run.data, m.protocol, m.kind, m.note || '', shared.encoding, shared.log1p, shared.seed,
      m.settings.map(([k, v]) => `${k}=${text(v)}`).join('; '), m.epochs ?? '', r.test,
      r.roc_auc ?? '', r.average_precision ?? '', r.f1 ?? '', r.precision ?? '', r.recall ?? '', r.threshold ?? '',
      [...changed].join('; ')].map((x) => quote(text(x))).join(','));
  }
  return `${lines.join('\n')}\n`;
}
