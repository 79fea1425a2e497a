/*
 * netanomaly service worker: keeps the site for offline use (a classroom with no
 * Wi-Fi). Registered by app.js as "sw.js" (relative), so its scope is the folder of
 * the page wherever the site is hosted; it also serves the page's module worker and
 * everything the page and the worker import, ../pkg/ included (a controlled page's
 * requests come here whatever their path).
 *
 * Install: cache the page, its modules, the worker, the wasm package and the
 * bundled models (the manifest and every file it lists). Fetch: network first with
 * a short timeout, so an online visit always gets the current files (and refreshes
 * the copy), and the cached copy when the network is off or too slow. Activate:
 * delete caches of other versions.
 *
 * Cross-origin isolation: every response it serves gets COOP `same-origin` and COEP
 * `require-corp` unless the host sent a COEP of its own, so on a static host that
 * sets no headers the page is isolated from its second load on and the worker runs
 * the threaded build (shared memory needs isolation). A host's own choice, e.g.
 * `unsafe-none`, is left alone.
 */

// The list of files and their version come from the build (scripts/build-web.sh
// writes ../pkg/site.js: `self.SITE = {version, files}`, the version a hash of every
// file listed), so a new module is never missed and a changed file starts a new cache.
importScripts('../pkg/site.js');
/** @type {{version: string, files: string[]}} */
const SITE = /** @type {any} */ (self).SITE;
const CACHE = `netanomaly-${SITE.version}`;
const NETWORK_TIMEOUT_MS = 4000;

/** Relative to this file. */
const CORE = ['./', ...SITE.files];

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/** @param {string} path */
const url = (path) => new URL(path, self.location.href).href;

async function precache() {
  const cache = await caches.open(CACHE);
  // `reload`: past the HTTP cache, so a new version never keeps an old file.
  await Promise.all(CORE.map(async (path) => {
    const response = await fetch(new Request(url(path), { cache: 'reload' }));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(url(path), response);
  }));
  // Bundled models: best effort (the site works without them).
  try {
    const listed = await cache.match(url('models/manifest.json'));
    if (!listed) return;
    const manifest = await listed.json();
    const files = (manifest.sets || []).flatMap((set) => (set.models || []).map((m) => `models/${m.file}`));
    await Promise.all(files.map(async (path) => {
      const response = await fetch(new Request(url(path), { cache: 'reload' }));
      if (response.ok) await cache.put(url(path), response);
    }));
  } catch {
    /* no models offline */
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('netanomaly-') && key !== CACHE) await caches.delete(key);
    }
    await sw.clients.claim();
  })());
});

/** Our files: this folder, ../pkg/ and ../pkg-threads/ on this origin. */
function ours(requestUrl) {
  const u = new URL(requestUrl);
  if (u.origin !== self.location.origin) return false;
  return ['./', '../pkg/', '../pkg-threads/'].some((dir) => u.pathname.startsWith(new URL(dir, self.location.href).pathname));
}

/** The response with the isolation headers, unless the host chose its own or it has none to carry. @param {Response} response */
function isolated(response) {
  if (response.status === 0 || response.type === 'opaqueredirect' || response.headers.has('cross-origin-embedder-policy')) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  // The page under any name of its folder ("…/www/", "…/www/index.html").
  if (request.mode === 'navigate') return cache.match(url('./'));
  return undefined;
}

async function networkFirst(event) {
  const { request } = event;
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      const put = caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
      try {
        event.waitUntil(put);
      } catch {
        /* the cached copy already answered; the put still runs */
      }
    }
    return response;
  });
  // Slow network: the cached copy after a few seconds (the download goes on and
  // refreshes the cache); no network: the cached copy at once.
  let timer = 0;
  const slow = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_TIMEOUT_MS); });
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    const cached = await fromCache(request);
    return cached || await network;
  } catch (e) {
    const cached = await fromCache(request);
    if (cached) return cached;
    throw e;
  } finally {
    clearTimeout(timer);
    network.catch(() => {}); // a late failure after the cache answered is fine
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !ours(request.url)) return;
  if (request.headers.has('range')) return;
  event.respondWith(networkFirst(event).then(isolated));
});
