// Every core in the tab: the worker runs the threaded build (shared memory, rayon's
// pool on Web Workers) where the page is cross-origin isolated, and the single-thread
// build where it is not, and says which; both give the same predictions. Three hosts
// of our own (scripts/serve.py): one sending COOP/COEP, one opting out, one sending
// no such headers (the service worker then isolates the second load).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openSetup, showView, waitIdle as pageIdle } from './browser.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DATA = process.env.NETANOMALY_DATA;
const browser = await launch();
const servers = [];
after(async () => {
  await browser.close();
  for (const s of servers) s.kill();
});

/** A host of the repository on a free port (serve.py prints its address first). @param {'on'|'off'|'plain'} isolation */
async function host(isolation) {
  const server = spawn('python3', [join(ROOT, 'scripts/serve.py'), '0', '--directory', ROOT, '--isolation', isolation], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(server);
  const [line] = await once(createInterface({ input: server.stdout }), 'line');
  return `${line}www/`;
}

const waitIdle = (p, timeout = 240_000) => pageIdle(p, timeout);

/** What the page says of its threads, and what the browser says. */
async function threads(p) {
  return p.evaluate(() => ({
    threads: Number(document.body.dataset.threads),
    badge: document.querySelector('[data-testid="threads"]')?.textContent ?? '',
    isolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
  }));
}

/** Train IF and the dense AE on NSL-KDD's 20% file (hold-out); the predictions of both. */
async function predictions(p) {
  const $ = (id) => p.locator(`[data-testid="${id}"]`);
  await $('train-file').setInputFiles(join(DATA, 'nsl-kdd/KDDTrain+_20Percent.txt.gz'));
  await p.waitForFunction(() => /25[,.  ]?192/.test(document.body.textContent), null, { timeout: 60_000 });
  await waitIdle(p);
  await openSetup(p);
  await $('protocol-holdout').check();
  for (const kind of ['if', 'dense']) await $(`model-${kind}`).check();
  for (const kind of ['lstm', 'deep']) await $(`model-${kind}`).uncheck();
  await $('epochs-dense').fill('2');
  await $('train').click();
  await waitIdle(p);
  const out = {};
  await showView(p, 'exports');
  for (const kind of ['if', 'dense']) {
    const [download] = await Promise.all([p.waitForEvent('download'), $(`export-predictions-${kind}`).click()]);
    out[kind] = readFileSync(await download.path(), 'utf8');
  }
  return out;
}

test('isolated: every core, and the same predictions as the single-thread fallback, which says so', async () => {
  const runs = {};
  for (const isolation of ['on', 'off']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const p = await context.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(await host(isolation));
    await waitIdle(p);
    runs[isolation] = { ...(await threads(p)), predictions: await predictions(p) };
    assert.deepEqual(errors, [], `${isolation}: page errors`);
    await context.close();
  }
  const { on, off } = runs;
  assert.equal(on.isolated, true, 'COOP/COEP from the host isolate the page');
  assert.ok(on.cores >= 2, `this test needs two cores (the browser reports ${on.cores})`);
  assert.equal(on.threads, on.cores, 'one thread a core');
  assert.equal(on.badge, `${on.cores} threads`);
  assert.equal(off.isolated, false, 'the host opted out');
  assert.equal(off.threads, 1);
  assert.equal(off.badge, '1 thread ⚠');
  for (const kind of ['if', 'dense']) {
    assert.ok(on.predictions[kind].split('\n').length > 10_000, `${kind}: a predictions file`);
    assert.equal(on.predictions[kind], off.predictions[kind], `${kind}: the same predictions on ${on.threads} threads and on 1`);
  }
});

test('a host that sends no headers: the first load runs on one thread and says so, the service worker isolates the next', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const p = await context.newPage();
  await p.goto(await host('plain'));
  await waitIdle(p);
  const first = await threads(p);
  assert.equal(first.isolated, false);
  assert.equal(first.threads, 1);
  assert.equal(first.badge, '1 thread ⚠');
  assert.match(await p.locator('[data-testid="threads"]').getAttribute('title'), /not cross-origin isolated.*reload/);
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await p.reload();
  await waitIdle(p);
  const second = await threads(p);
  assert.equal(second.isolated, true, 'the service worker added COOP/COEP');
  assert.equal(second.threads, second.cores);
  // The demonstration the page runs at start-up was computed on the pool.
  assert.ok(await p.locator('[data-testid="results-table"] tr[data-model]').count() > 0);
  await context.close();
});
