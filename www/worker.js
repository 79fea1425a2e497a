/*
 * netanomaly worker (module worker): only the loop around the WasmSession. The page posts
 * `{request, attachment}` — a typed `Request` of src/session/protocol.rs (TypeScript in
 * pkg/types/), with the File of a `load` or the bytes of an `add_model` — to `handle`;
 * `advance` then runs until idle or paused, yielding between steps so a cancel is heard.
 * Every `Response` is posted as it is (byte buffers transferred). Every decision is the
 * session's (src/session/). The worker's own replies: `ready` (id 0); and if the wasm
 * did not start or a call into it threw, an `error` and the request's `done`.
 */

// @ts-check
import init, { WasmSession } from '../pkg/netanomaly.js';

/** @typedef {import('../pkg/types/Request').Request} Request */
/** @typedef {import('../pkg/types/Response').Response} Response */
/** @typedef {{request: Request, attachment?: Blob | Uint8Array | null}} Message */

/** @type {WasmSession | null} */
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
const error = (id, code, message, fatal) => ({ id, type: 'error', code, message, line: null, column: null, kind: null, fatal });

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
  if (session || failed !== null) take(event.data);
  else early.push(event.data);
};

(async () => {
  try {
    await init();
    session = new WasmSession();
    post({ id: 0, type: 'ready' });
  } catch (e) {
    failed = text(e);
    post(error(0, 'init', `The WebAssembly module could not start: ${failed}`, false));
  }
  for (const message of early.splice(0)) take(message);
})();
