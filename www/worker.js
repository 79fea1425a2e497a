/*
 * netanomaly worker (module worker): owns the WasmSession and forwards messages.
 * Every decision — what is queued, one model per kind, re-scoring after a protocol
 * or test-file change, play / pause / step / cancel, the "why 0.51" demonstration —
 * is made by the session in Rust (src/session/handler.rs, run.rs), which speaks the
 * typed protocol of src/session/protocol.rs: requests `{id, type, ...}` in, replies
 * `{id, type, ...}` out, each request closed by one `done`. This file is a loop
 * that hands each request to `WasmSession.handle`, calls `advance` until the
 * session is idle (yielding to the event loop between steps, so a cancel is heard),
 * and posts every reply.
 *
 * Until the page speaks the typed protocol itself, the page's messages are
 * translated here (`toRequest`) and the typed replies back to the page's shapes
 * (`toPage`); both are plain renaming, no decisions.
 *
 * page → worker (the page's shapes)
 *   {type:"load", slot, name, file:Blob | bytes:Uint8Array}   {type:"sample", rows, seed}
 *   {type:"protocol", choice}                                  {type:"train", models, watchHistogram, mode:"run"|"step"}
 *   {type:"play"|"pause"|"step"|"cancel"}                      {type:"mistake", settings, watchHistogram}
 *   {type:"breakdown", id, test, threshold, n}                 {type:"addModel", source, bytes}
 *   {type:"memory"}                                            {type:"export", what, id, test, threshold}
 * Every message may carry the page's request id `rid`; every reply to it carries
 * the same `rid` back, so the page drops replies to requests it has superseded.
 * worker → page
 *   ready, loaded, split, progress, epoch, paused, playing, result, mistake,
 *   breakdown, memory, export, cancelled, error {message, context, fatal, code, line, column},
 *   done {request, cancelled} (for queued requests: load, sample, protocol, train, addModel, mistake)
 */

// @ts-check
import init, { WasmSession } from '../pkg/netanomaly.js';

/** @typedef {import('../pkg/types/Request').Request} Request */
/** @typedef {import('../pkg/types/Response').Response} Response */
/** @typedef {Record<string, any>} PageMessage  the page's own message shapes (see above) */

/** @type {WasmSession | null} */
let session = null;
let initFailed = false;
/** Messages that arrived before the wasm started. @type {PageMessage[]} */
const early = [];
let nextId = 1;
/** Request id → the page's message it came from (for the page's reply shapes). @type {Map<number, PageMessage>} */
const asked = new Map();
/** Predictions exports being gathered, by request id: the parts so far. @type {Map<number, string[]>} */
const parts = new Map();
let looping = false;
/** Requests to send once the current call into the session returns (export parts). @type {Request[]} */
const followUps = [];

const QUEUED = new Set(['load', 'sample', 'protocol', 'train', 'addModel', 'mistake']);

/**
 * @param {PageMessage} msg
 * @param {Transferable[]} [transfer]
 */
function post(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function messageOf(e) {
  return e instanceof Error ? e.message || String(e) : String(e);
}

function isFatal(e) {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

/**
 * The page's context string for errors about `msg`.
 * @param {PageMessage} msg
 * @param {string | null} [kind]
 */
function contextOf(msg, kind = null) {
  switch (msg?.type) {
    case 'load': return `load:${msg.slot}`;
    case 'addModel': return `addModel:${msg.source}`;
    case 'train': return `train:${kind ?? ''}`;
    case 'export': return `export:${msg.what}`;
    default: return String(msg?.type ?? 'message');
  }
}

/**
 * The page's message as a typed request (plus what travels beside it).
 * @param {number} id
 * @param {PageMessage} msg
 * @returns {[Request, (Blob | Uint8Array)?]}
 */
function toRequest(id, msg) {
  switch (msg.type) {
    case 'load': return [{ id, type: 'load', slot: msg.slot, name: String(msg.name ?? 'file') }, msg.file ?? msg.bytes];
    case 'sample': return [{ id, type: 'sample', rows: msg.rows, seed: msg.seed }];
    case 'protocol': return [{ id, type: 'protocol', choice: msg.choice }];
    case 'train':
      return [{ id, type: 'train', models: msg.models ?? [], watch: Boolean(msg.watchHistogram), paused: msg.mode === 'step' }];
    case 'mistake': return [{ id, type: 'mistake', settings: msg.settings, watch: Boolean(msg.watchHistogram) }];
    case 'addModel': return [{ id, type: 'add_model', source: String(msg.source ?? 'model file') }, msg.bytes];
    case 'breakdown':
      return [{ id, type: 'breakdown', model: msg.id, test: String(msg.test), threshold: msg.threshold, n: Math.floor(Number(msg.n) || 20) }];
    case 'export': {
      const threshold = typeof msg.threshold === 'number' && Number.isFinite(msg.threshold) ? msg.threshold : null;
      return [{ id, type: 'export', what: msg.what, model: msg.id ?? null, test: msg.test ?? null, threshold, start: 0 }];
    }
    default: return [{ id, type: msg.type }];
  }
}

/** @param {Uint8Array} bytes */
const f64 = (bytes) => new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);

/**
 * One typed reply, posted in the page's shape.
 * @param {Response} r
 */
function toPage(r) {
  const msg = asked.get(r.id) ?? {};
  // Every reply carries the page's request id back.
  /** @type {typeof post} */
  const say = (m, transfer) => post({ ...m, rid: msg.rid }, transfer);
  switch (r.type) {
    case 'loaded': return say({ type: 'loaded', slot: r.slot, summary: r.summary, modelsCleared: r.models_cleared });
    case 'split': return say({ type: 'split', summary: r.summary, choice: r.choice });
    case 'progress': {
      const t = r.train;
      return say({
        type: 'progress', phase: r.phase, done: r.done, total: r.total ?? null, kind: r.kind ?? null,
        loss: t?.train_loss ?? null, val_loss: t?.val_loss ?? null, epoch: t?.epoch, epochs: t?.epochs,
        batch: t?.batch, batches: t?.batches, samples_per_sec: t?.samples_per_sec,
      });
    }
    case 'epoch':
      return say({ type: 'epoch', kind: r.kind, history: r.history, histogram: r.histogram ?? null, threshold: r.threshold ?? null });
    case 'paused': return say({ type: 'paused', kind: r.kind, epoch: r.epoch, epochs: r.epochs });
    case 'playing': return say({ type: 'playing', kind: r.kind, mode: r.stepping ? 'step' : 'play' });
    case 'result': {
      const scores = {};
      const transfer = [];
      for (const s of r.scores) {
        scores[s.test] = { normal: f64(s.normal), attack: f64(s.attack) };
        transfer.push(s.normal.buffer, s.attack.buffer);
      }
      const modelBytes = r.model_file;
      transfer.push(modelBytes.buffer);
      return say({ type: 'result', result: r.result, scores, modelBytes, rescored: r.rescored, cancelled: r.cancelled }, transfer);
    }
    case 'dropped':
      return say({
        type: 'error',
        message: `Re-scoring the ${r.kind} model on the new test set failed, so it was removed: ${r.message}`,
        context: `rescore:${r.kind}`,
        fatal: false,
      });
    case 'mistake':
      return say({ type: 'mistake', normal: r.normal, allRows: { ...r.all_rows, split: r.all_rows_split }, flipped: r.flipped ?? null });
    case 'breakdown':
      return say({ type: 'breakdown', id: r.model, test: r.test, threshold: r.threshold, n: msg.n, breakdown: r.breakdown, top: r.top });
    case 'export': return onExportPart(r, msg);
    case 'memory': return say({ type: 'memory', bytes: r.bytes });
    case 'cancelled': return say({ type: 'cancelled', kind: r.kind ?? null });
    case 'error':
      // A failed follow-up part ends its export (its own done is not forwarded).
      if (parts.delete(r.id)) asked.delete(r.id);
      return say({
        type: 'error', message: r.message, context: contextOf(msg, r.kind), fatal: Boolean(r.fatal),
        code: r.code, line: r.line ?? null, column: r.column ?? null, id: msg.id, test: msg.test,
      });
    case 'done':
      if (!parts.has(r.id)) asked.delete(r.id); // an export still gathering parts keeps it
      if (QUEUED.has(msg.type)) say({ type: 'done', request: msg.type, cancelled: r.cancelled });
      return undefined;
    default:
      return say({ type: 'error', message: `unknown reply ${JSON.stringify(/** @type {any} */ (r).type)}`, context: 'message', fatal: false });
  }
}

/**
 * `toPage`, but a reply that cannot be posted becomes an error message (a throw
 * inside the session's callback would be lost).
 * @param {Response} r
 */
function reply(r) {
  try {
    toPage(r);
  } catch (e) {
    post({ type: 'error', message: `a reply could not be passed on (${r.type}): ${messageOf(e)}`, context: contextOf(asked.get(r.id) ?? {}), fatal: false });
  }
}

/**
 * A part of an export: predictions come in parts, asked for one after another.
 * @param {Extract<Response, {type: "export"}>} r
 * @param {PageMessage} msg
 */
function onExportPart(r, msg) {
  const gathered = parts.get(r.id) ?? [];
  if (r.text) gathered.push(r.text);
  if (r.next != null) {
    parts.set(r.id, gathered);
    // The next part: asked for once the session has returned (no re-entry).
    const [next] = toRequest(r.id, msg);
    if (next.type === 'export') followUps.push({ ...next, start: r.next });
    return;
  }
  parts.delete(r.id);
  asked.delete(r.id);
  let data;
  if (r.bytes) data = r.bytes;
  else if (r.what === 'predictions') data = new Blob(gathered, { type: 'text/csv' });
  else data = gathered.join('');
  post({ type: 'export', rid: msg.rid, what: r.what, filename: r.filename, data }, data instanceof Uint8Array ? [data.buffer] : []);
}

/**
 * Replies to the follow-up part requests: their own `done` is not the page's.
 * @param {Response} r
 */
function skipDone(r) {
  if (r.type !== 'done') reply(r);
}

function fail(e, msg) {
  post({ type: 'error', message: messageOf(e), context: contextOf(msg), fatal: isFatal(e) });
}

/** @param {PageMessage} msg */
function take(msg) {
  const s = session;
  if (!s) return;
  if (!msg || typeof msg !== 'object') {
    post({ type: 'error', message: 'the worker received a message it does not understand', context: 'message', fatal: false });
    return;
  }
  const id = nextId++;
  asked.set(id, msg);
  const [request, attachment] = toRequest(id, msg);
  try {
    s.handle(request, attachment ?? null, reply);
    for (let next = followUps.shift(); next; next = followUps.shift()) s.handle(next, null, skipDone);
  } catch (e) {
    followUps.length = 0;
    fail(e, msg);
    if (QUEUED.has(msg.type)) post({ type: 'done', request: msg.type, cancelled: false });
  }
  void loop();
}

/** Advance the session until it is idle or paused, yielding between steps. */
async function loop() {
  const s = session;
  if (looping || !s) return;
  looping = true;
  try {
    while (s.advance(reply) === 'busy') await tick();
  } catch (e) {
    post({ type: 'error', message: messageOf(e), context: 'message', fatal: isFatal(e) });
  } finally {
    looping = false;
  }
}

self.onmessage = (event) => {
  if (session) take(event.data);
  else if (initFailed) refuse(event.data);
  else early.push(event.data);
};

/** The wasm did not start: answer with an error (and "done" for queued requests). */
function refuse(msg) {
  post({ type: 'error', message: 'the WebAssembly module did not start, so nothing can be computed', context: contextOf(msg), fatal: false });
  if (QUEUED.has(msg?.type)) post({ type: 'done', request: msg.type, cancelled: false });
}

(async () => {
  try {
    await init();
    session = new WasmSession();
    post({ type: 'ready' });
    for (const msg of early.splice(0)) take(msg);
  } catch (e) {
    session = null;
    initFailed = true;
    post({ type: 'error', message: `The WebAssembly module could not start: ${messageOf(e)}`, context: 'init', fatal: false });
    for (const msg of early.splice(0)) refuse(msg);
  }
})();
