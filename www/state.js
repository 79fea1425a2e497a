// The page's one state object and the few constants every module shares: model
// kinds and titles, the hash the page was opened with, and the runtime handles
// (the wasm module and the worker). Only bookkeeping here, no DOM and no metrics.

import { parseHash } from './hash.js';
import { loadRuns } from './runs.js';

export const KINDS = ['if', 'dense', 'lstm', 'deep'];
export const AE_KINDS = ['dense', 'lstm', 'deep'];
export const TITLES = {
  if: 'Isolation Forest',
  dense: 'Dense autoencoder',
  lstm: 'Simple LSTM autoencoder',
  deep: 'Deep LSTM autoencoder',
};

/** The hash the page was opened with (read once at start). */
export const opened = parseHash(location.hash);
export const hadHash = [...opened.keys()].length > 0;

/** Runtime handles: the wasm module (../pkg/netanomaly.js) and the worker. */
export const rt = {
  /** @type {any} */
  wasm: null,
  /** @type {Worker | null} */
  worker: null,
  workerReady: false,
  pageReady: false,
};

export const state = {
  /** What the worker's training slot holds: {type:"file", name, buffer} | {type:"sample", rows, seed} | null. */
  train: null,
  trainSummary: null,
  /** {type:"file", name, buffer} | null */
  test: null,
  testSummary: null,
  /** The protocol the worker last applied. @type {import('../pkg/types/ProtocolChoice').ProtocolChoice} */
  protocol: { kind: 'single-file' },
  split: null,
  /** kind → record {kind, result, modelBytes, views:[{view, tv, threshold}]} */
  records: new Map(),
  /** Loads sent and not yet answered, per slot (to keep the bytes once they succeed). */
  pendingLoads: { train: [], test: [] },
  /** Queued worker requests not yet "done". */
  pending: 0,
  /** Page-side work (reading files, fetching bundled models). */
  local: 0,
  restoring: false,
  /** The current training run: {kinds, histories:{kind: History}, status:{kind: text}} | null */
  training: null,
  lastAction: 'Ready',
  /** Slider thresholds from the hash, applied when their model's result arrives: kind → value. */
  pendingThresholds: {},
  /** What to do once a file is loaded, as the hash asked ("train", "bundled"), or null. */
  autoRun: null,
  /** Whether the hash may be written (after it has been read into the form). */
  hashLive: false,
  /** Runs of the "Runs" table, oldest first. */
  runs: loadRuns(),
  runCounter: 0,
  /** Training transport: "idle" | "running" | "paused". */
  transport: 'idle',
  /** Per-attack view: "kind|test" chosen, and the last request sent. */
  attackChoice: null,
  /** The model view shown in detail on the dashboard: "kind" or "kind-2" (its second test set). */
  selected: opened.get('sel') || null,
  /** The open view: "dashboard" | "attacks" | "mistake" | "runs" | "exports". */
  view: 'dashboard',
};

/** The records in the fixed model order. */
export function orderedRecords() {
  return KINDS.map((k) => state.records.get(k)).filter(Boolean);
}

/** The suffix that names a model's view in test ids and `sel=`: "if", "if-2", … */
export const suffixOf = (kind, index) => (index === 0 ? kind : `${kind}-${index + 1}`);
