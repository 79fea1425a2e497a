/*
 * netanomaly worker (module worker): only the loop around the WasmSession. The page posts
 * `{request, attachment}` — a typed `Request` of src/session/protocol.rs (TypeScript in
 * pkg/types/), with the File of a `load` or the bytes of an `add_model` — to `handle`;
 * `advance` then runs until idle or paused, yielding between steps so a cancel is heard.
 * Every `Response` is posted as it is (byte buffers transferred). Every decision is the
 * session's (src/session/). The worker's own replies: `ready` (id 0, with its thread
 * count); and if the wasm did not start or a call into it threw, an `error` and the
 * request's `done`.
 *
 * Which build: where the page is cross-origin isolated (COOP + COEP, from the host or
 * from sw.js) and the machine has more than one core, the threaded build
 * (../pkg-threads/: shared memory, rayon's pool on one Web Worker a core, each running
 * www/pool.js, which the page starts: www/threads.js); otherwise, or if that build or
 * its pool does not start, the single-thread one (../pkg/). Both give the same numbers:
 * the parallel loops split work into fixed chunks whatever the thread count.
 */

// @ts-check

// A module (the builds are imported when known): its names are its own.
import { missingWasmFeature } from './features.js';

/** @typedef {typeof import('../pkg/netanomaly.js')} Wasm */

/** @typedef {import('../pkg/types/Request').Request} Request */
/** @typedef {import('../pkg/types/Response').Response} Response */
/** @typedef {{request: Request, attachment?: Blob | Uint8Array | null}} Message */

/** @type {import('../pkg/netanomaly.js').WasmSession | null} */
let session = null;
/** Why the wasm did not start (null: it did, or it is still starting). @type {string | null} */
let failed = null;
/** Messages that arrived before the wasm started. @type {Message[]} */
const early = [];
let looping = false;

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
/** @param {unknown} e */
const text = (e) => (e instanceof Error ? e.message || String(e) : String(e));

/**
 * A typed error reply of the worker's own (`fatal`: the wasm trapped, the page restarts the worker).
 * @param {number} id @param {string} code @param {string} message @param {boolean} fatal
 * @returns {Response}
 */
const error = (id, code, message, fatal) => ({ id, type: 'error', code, message, line: null, column: null, kind: null, fatal, choices: [], choosing: '', choosing_column: null });

/** Post an error reply, then close its request. @param {Response} e */
function refuse(e) {
  post(e);
  post({ id: e.id, type: 'done', cancelled: false });
}

/** The byte buffers a response carries (each once), to transfer. @param {Response} r @returns {Transferable[]} */
function buffers(r) {
  /** @type {Uint8Array[]} */
  const bytes = [];
  if (r.type === 'result') bytes.push(r.model_file, ...r.scores.flatMap((s) => [s.normal, s.attack]));
  if (r.type === 'export' && r.bytes) bytes.push(r.bytes);
  return [...new Set(bytes.map((b) => /** @type {ArrayBuffer} */ (b.buffer)))];
}

/** Post a response as it is; one that cannot be posted becomes an error (a throw here would be lost). @param {Response} r */
function post(r) {
  try {
    self.postMessage(r, buffers(r));
  } catch (e) {
    self.postMessage(error(r.id, 'worker', `a ${r.type} reply could not be passed on: ${text(e)}`, false));
  }
}

/** @param {Message} message @returns {void} */
function take(message) {
  const request = message?.request;
  const id = typeof request?.id === 'number' ? request.id : 0;
  if (!session) return refuse(error(id, 'init', `the WebAssembly module did not start (${failed}), so nothing can be computed`, false));
  try {
    // A request the session cannot read is answered by it (an error and its done).
    session.handle(request, message?.attachment ?? null, post);
  } catch (e) {
    refuse(error(id, 'worker', text(e), e instanceof WebAssembly.RuntimeError));
  }
  void loop();
}

/** Advance the session until it is idle or paused, yielding between steps. */
async function loop() {
  const s = session;
  if (looping || !s) return;
  looping = true;
  try {
    while (s.advance(post) === 'busy') await tick();
  } catch (e) {
    // Inside queued work, whose request will not be closed: fatal, the page restarts the worker.
    post(error(0, 'worker', text(e), true));
  } finally {
    looping = false;
  }
}

self.onmessage = (event) => {
  // The page's answer about the pool workers it was asked to start.
  if (event.data && typeof event.data === 'object' && 'pool' in event.data) {
    const { pool } = event.data;
    if (pool === 'ready') poolAnswer?.resolve();
    else poolAnswer?.reject(new Error(String(pool)));
    return;
  }
  if (session || failed !== null) take(event.data);
  else early.push(event.data);
};

const isolated = self.crossOriginIsolated === true;
const cores = navigator.hardwareConcurrency || 1;

/** How long the pool may take to start before the worker runs on one thread. */
const POOL_START_MS = 20_000;

/** The page's answer to a pool request (see `startPool`), while one is awaited. @type {{resolve: () => void, reject: (e: Error) => void} | null} */
let poolAnswer = null;

/**
 * Have the page start `builder.threads` pool workers on this instance's module and
 * memory (www/threads.js), then build rayon's pool once it says each is ready. Why the
 * page: Firefox at times never returned from `new Worker` called in this worker (the
 * page stayed at "Starting the worker…"; about 1 load in 30 under test); the page's
 * main thread starts workers without that wait.
 * @param {import('../pkg-threads/netanomaly.js').PoolBuilder} builder
 */
async function startPool(builder) {
  const answered = new Promise((resolve, reject) => { poolAnswer = { resolve: () => resolve(undefined), reject }; });
  self.postMessage({ pool: { module: builder.module, memory: builder.memory, handout: builder.handout, threads: builder.threads } });
  try {
    await answered;
  } finally {
    poolAnswer = null;
  }
  builder.build();
}

/** The threaded build with its pool started, or null where it cannot run. @returns {Promise<Wasm | null>} */
async function threaded() {
  if (!isolated || cores < 2) return null;
  try {
    const wasm = await import('../pkg-threads/netanomaly.js');
    await wasm.default();
    let timer = 0;
    const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`the pool did not start in ${POOL_START_MS / 1000} s`)), POOL_START_MS); });
    try {
      await Promise.race([startPool(new wasm.PoolBuilder(cores)), late]);
    } finally {
      clearTimeout(timer);
    }
    return /** @type {Wasm} */ (/** @type {unknown} */ (wasm));
  } catch (e) {
    // The page ends pool workers it started when `ready` says one thread.
    console.warn(`netanomaly: the threaded build did not start (${text(e)}); running on one thread`);
    return null;
  }
}

(async () => {
  try {
    const missing = missingWasmFeature();
    if (missing) throw new Error(missing);
    let wasm = await threaded();
    if (!wasm) {
      wasm = await import('../pkg/netanomaly.js');
      await wasm.default();
    }
    session = new wasm.WasmSession();
    post({ id: 0, type: 'ready', threads: wasm.threads(), isolated });
  } catch (e) {
    failed = text(e);
    post(error(0, 'init', `The WebAssembly module could not start: ${failed}`, false));
  }
  for (const message of early.splice(0)) take(message);
})();
