/*
 * netanomaly pool worker (module worker): one of the threads of rayon's pool in the
 * threaded build (src/web/pool.rs). The page (threads.js, asked by worker.js) starts
 * it from a `blob:` copy of this file, with the module, its shared memory, the address
 * where the pool hands out its threads and a `blob:` copy of the threaded build's glue
 * (why the page and why copies: see threads.js); it starts its own instance on that
 * memory, says `ready`, then runs the thread it is given (and never returns: it is the
 * pool's thread until the page's worker ends).
 */

// @ts-check
export {};

/** @typedef {{module: WebAssembly.Module, memory: WebAssembly.Memory, handout: number, glue: string}} Start */

self.onmessage = async (/** @type {MessageEvent<Start>} */ event) => {
  const { module, memory, handout, glue } = event.data;
  /** @type {typeof import('../pkg-threads/netanomaly.js')} */
  const wasm = await import(glue);
  await wasm.default({ module_or_path: module, memory });
  self.postMessage('ready');
  wasm.pool_thread(handout);
};
