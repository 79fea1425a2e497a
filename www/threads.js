// The threaded build's pool workers, started by the page. The worker (worker.js) sends
// `{pool: {module, memory, handout, threads}}`; the page starts one Web Worker a thread,
// each running a `blob:` copy of pool.js with a `blob:` copy of the threaded build's
// glue, waits until each says it is ready and answers `{pool: 'ready'}` (or why not).
// Why the page: Firefox at times never returned from `new Worker` called inside the
// worker. Why `blob:` copies: Firefox stopped answering the page's fetches once pool
// workers that never yield were clients of the service worker (as pool.js itself they
// would be), and a `blob:` worker does not reach the network for its imports (offline).

/** @typedef {{module: WebAssembly.Module, memory: WebAssembly.Memory, handout: number, threads: number}} PoolRequest */

/** The pool workers of the current worker (kept: Firefox may collect a worker nothing refers to). @type {Worker[]} */
const pool = [];
/** Counts `endPool` calls: a start that an end overtook ends what it made. */
let generation = 0;

/** A `blob:` copy of one of the site's scripts (fetched through the service worker, so offline too). @param {string} path */
async function copy(path) {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
}

/** One pool worker on `start`, resolved once it is ready. @param {string} script @param {object} start */
function poolWorker(script, start) {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { type: 'module' });
    pool.push(w);
    w.onmessage = () => resolve(undefined);
    w.onerror = (e) => reject(new Error(e.message || 'a pool worker did not start'));
    w.postMessage(start);
  });
}

/**
 * Start the pool `request` asks for and answer `worker` (which builds rayon's pool on
 * 'ready', or runs on one thread).
 * @param {Worker} worker @param {PoolRequest} request
 */
export async function startPool(worker, request) {
  endPool();
  const mine = generation;
  /** @type {string[]} */
  let copies = [];
  try {
    copies = await Promise.all([copy('./pool.js'), copy('../pkg-threads/netanomaly.js')]);
    const [script, glue] = copies;
    if (mine !== generation) return;
    const start = { module: request.module, memory: request.memory, handout: request.handout, glue };
    await Promise.all(Array.from({ length: request.threads }, () => poolWorker(script, start)));
    if (mine !== generation) return;
    worker.postMessage({ pool: 'ready' });
  } catch (e) {
    if (mine !== generation) return;
    endPool();
    worker.postMessage({ pool: e instanceof Error ? e.message : String(e) });
  } finally {
    // Each worker has read its script and imported the glue by now (or is ended).
    for (const url of copies) URL.revokeObjectURL(url);
  }
}

/** End the pool workers (the worker they served ended, or runs on one thread). */
export function endPool() {
  generation += 1;
  for (const w of pool.splice(0)) w.terminate();
}
