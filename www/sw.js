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
 * delete caches of other versions. Bump VERSION when the list of files changes.
 */

const VERSION = 'v4';
const CACHE = `netanomaly-${VERSION}`;
const NETWORK_TIMEOUT_MS = 4000;

/** Relative to this file. */
const CORE = [
  './',
  'index.html',
  'app.js',
  'attacks.js',
  'client.js',
  'data.js',
  'demo.js',
  'detail.js',
  'dom.js',
  'form.js',
  'hash.js',
  'interact.js',
  'layout.js',
  'mistake.js',
  'results.js',
  'runs.js',
  'runsview.js',
  'share.js',
  'state.js',
  'theme.js',
  'training.js',
  'worker.js',
  'style.css',
  'dashboard.css',
  '../pkg/netanomaly.js',
  '../pkg/netanomaly_bg.wasm',
  'models/manifest.json',
];

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
    const manifest = await (await cache.match(url('models/manifest.json'))).json();
    const files = (manifest.sets || []).flatMap((set) => (set.models || []).map((m) => `models/${m.file}`));
    await Promise.all(files.map(async (path) => {
      const response = await fetch(new Request(url(path), { cache: 'reload' }));
      if (response.ok) await cache.put(url(path), response);
    }));
  } catch {
    /* no models offline */
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('netanomaly-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

/** Our files: this folder and ../pkg/ on this origin. */
function ours(requestUrl) {
  const u = new URL(requestUrl);
  if (u.origin !== self.location.origin) return false;
  const scope = new URL('./', self.location.href).pathname;
  const pkg = new URL('../pkg/', self.location.href).pathname;
  return u.pathname.startsWith(scope) || u.pathname.startsWith(pkg);
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

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !ours(request.url)) return;
  if (request.headers.has('range')) return;
  event.respondWith(networkFirst(event));
});
