// End-to-end: the teaching features (issue 5) in headless Chromium — a view restored
// from its link, training one epoch per click, the per-attack view, the "why 0.51"
// demonstration, the runs table, offline use, and screenshots of the teaching view.
// Run by tests/e2e/run.sh (which serves the repository on 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, extname, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { inkOf, launch, openSetup, showView, waitIdle as pageIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const DATA = process.env.NETANOMALY_DATA;
const ROOT = new URL('../../', import.meta.url).pathname;
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
let browser;
/** One page that the tests below share (a teacher's session), and its console errors. */
let context, page;
const consoleErrors = [];

/**
 * A small real KDD Cup 99 file: every 25th record of the 10 % set (19,761 rows, about
 * 80 % attacks, like the whole set).
 */
let kddSmall;

before(async () => {
  browser = await launch();
  const lines = gunzipSync(readFileSync(join(DATA, 'kdd99/kddcup.data_10_percent.gz'))).toString('utf8').split('\n').filter(Boolean);
  kddSmall = Buffer.from(`${lines.filter((_, i) => i % 25 === 0).join('\n')}\n`);
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ context, page } = await open(BASE));
});

after(async () => { await browser?.close(); });

async function open(url, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  p.on('pageerror', (e) => consoleErrors.push(String(e)));
  await p.goto(url);
  await waitIdle(p);
  return { context: ctx, page: p };
}

const waitIdle = (p = page, timeout = 120_000) => pageIdle(p, timeout);

const byId = (p, id) => p.locator(`[data-testid="${id}"]`);

async function tick(p, models) {
  await openSetup(p);
  for (const kind of ['if', 'dense', 'lstm', 'deep']) {
    const box = byId(p, `model-${kind}`);
    if (models.includes(kind)) await box.check();
    else await box.uncheck();
  }
}

async function loadKddSmall(p) {
  await byId(p, 'train-file').setInputFiles({ name: 'kdd10-every25th.txt', mimeType: 'text/plain', buffer: kddSmall });
  await p.waitForFunction(() => /19,761/.test(document.querySelector('#train-summary')?.textContent ?? ''), null, { timeout: 60_000 });
  await waitIdle(p);
}

/** The AUC cells of the results table, as shown: {kind: text}. */
async function aucs(p) {
  return p.$$eval('[data-testid="results-table"] tr[data-model]', (rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.model, r.querySelector('[data-field="roc_auc"]').textContent])));
}

async function confusion(p, kind) {
  return p.$eval(`[data-testid="confusion-${kind}"]`, (el) => ({ ...el.dataset }));
}

/** A cheap fingerprint of a canvas's pixels. */
async function pixels(p, selector) {
  return p.$eval(selector, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let h = 0;
    for (let i = 0; i < data.length; i += 7) h = (h * 31 + data[i]) >>> 0;
    return h;
  });
}

async function setSlider(p, kind, q) {
  await byId(p, `threshold-${kind}`).evaluate((s, v) => {
    s.value = String(v);
    s.dispatchEvent(new Event('input', { bubbles: true }));
  }, q);
}

test('a link restores the view: settings, ticked models, thresholds and hidden panels, with the same numbers', async () => {
  // Change knobs: hold-out 0.7 / split seed 7, shared seed 7 with log1p, 50 trees, 3 dense epochs.
  await openSetup(page);
  await byId(page, 'protocol-holdout').check();
  await page.fill('#holdout-fraction', '0.7');
  await page.fill('#holdout-seed', '7');
  await page.locator('#holdout-seed').dispatchEvent('change');
  await waitIdle();
  await openSetup(page);
  await page.locator('#log1p').check();
  await page.fill('#seed', '7');
  await page.fill('#if-trees', '50');
  await page.fill('#epochs-dense', '3');
  await tick(page, ['if', 'dense']);
  await byId(page, 'train').click();
  await waitIdle();
  // Move the Isolation Forest slider, hide two panels.
  await setSlider(page, 'if', 0.6);
  await page.locator('#panels-menu summary').click();
  await byId(page, 'panel-data').uncheck();
  await byId(page, 'panel-exports').uncheck();
  await page.locator('#panels-menu summary').click();
  await waitIdle();
  await page.waitForFunction(() => /hide=data,exports/.test(location.hash));
  const hash = await page.evaluate(() => location.hash);
  for (const key of ['protocol=holdout', 'frac=0.7', 'split=7', 'models=if,dense', 'log1p=1', 'seed=7', 'if.trees=50', 'dense.epochs=3', 'thr.if=', 'thr.dense=', 'data=sample', 'run=train']) {
    assert.ok(hash.includes(key), `the hash has ${key}: ${hash}`);
  }
  const before = await aucs(page);
  const ifBefore = await confusion(page, 'if');
  const denseBefore = await confusion(page, 'dense');
  assert.equal(Number(ifBefore.threshold), Number(new URLSearchParams(hash.slice(1)).get('thr.if')));

  // A fresh browser profile opens the link: it trains the sample with those settings.
  const fresh = await open(`${BASE}${hash}`);
  try {
    assert.deepEqual(await aucs(fresh.page), before, 'same AUCs');
    assert.deepEqual(await confusion(fresh.page, 'if'), ifBefore, 'same IF threshold and counts');
    assert.deepEqual(await confusion(fresh.page, 'dense'), denseBefore, 'same dense threshold and counts');
    assert.equal(await fresh.page.inputValue('#if-trees'), '50');
    assert.equal(await fresh.page.inputValue('#holdout-fraction'), '0.7');
    assert.equal(await fresh.page.isChecked('[data-testid="protocol-holdout"]'), true);
    assert.equal(await fresh.page.isChecked('#log1p'), true);
    assert.equal(await fresh.page.isHidden('#data'), true, 'data panel hidden');
    assert.equal(await fresh.page.isHidden('#exports'), true, 'exports panel hidden');
    assert.equal(await fresh.page.isVisible('#results'), true);
    assert.equal(await fresh.page.evaluate(() => location.hash), hash, 'the link is unchanged by opening it');
  } finally {
    await fresh.context.close();
  }
  // Back to everything shown.
  await page.locator('#panels-menu summary').click();
  await byId(page, 'panel-data').check();
  await byId(page, 'panel-exports').check();
  await page.locator('#panels-menu summary').click();
});

test('a link made with a file names it, and trains by itself once that file is loaded', async () => {
  const { context: ctx, page: p } = await open(`${BASE}#protocol=single&models=if&if.trees=30&data=file&file=kdd10-every25th.txt&run=train`);
  try {
    assert.match(await byId(p, 'hash-note').textContent(), /kdd10-every25th\.txt/);
    // Meanwhile the sample was trained with the link's settings.
    assert.deepEqual(Object.keys(await aucs(p)), ['if']);
    const runsBefore = await p.locator('[data-testid="runs-table"] tbody tr').count();
    await loadKddSmall(p);
    await p.waitForFunction(() => document.querySelector('[data-testid="results-table"] tr[data-model="if"] [data-field="source"]')?.textContent.includes('trained here')
      && document.querySelector('#train-summary').textContent.includes('kdd10'), null, { timeout: 60_000 });
    await waitIdle(p);
    assert.equal(await byId(p, 'hash-note').isHidden(), true);
    const rows = p.locator('[data-testid="runs-table"] tbody tr');
    assert.equal(await rows.count(), runsBefore + 1, 'one more run: the file, trained by itself');
    assert.match(await rows.last().textContent(), /kdd10-every25th\.txt.*trees 30/);
    assert.match(await p.evaluate(() => location.hash), /data=file&file=kdd10-every25th\.txt/);
  } finally {
    await ctx.close();
  }
});

test('step by step: one autoencoder epoch per click, the loss chart and live histogram grow, play and cancel work', async () => {
  await openSetup(page);
  await byId(page, 'protocol-single').check();
  await waitIdle();
  await tick(page, ['dense']);
  await openSetup(page);
  await page.fill('#epochs-dense', '8');
  await page.fill('#patience-dense', '0');
  await byId(page, 'train-step').click();
  await page.waitForFunction(() => document.querySelector('#training').dataset.state === 'paused');
  const loss = byId(page, 'loss-chart');
  assert.equal(await loss.getAttribute('data-epochs'), '0', 'nothing trained before the first step');
  assert.equal(await byId(page, 'step').isEnabled(), true);
  assert.equal(await byId(page, 'play').isEnabled(), true);
  let before = await pixels(page, '#loss-canvas');
  for (let epoch = 1; epoch <= 3; epoch++) {
    if (epoch === 2) {
      // Keyboard: focus the button and press Enter.
      await byId(page, 'step').focus();
      await page.keyboard.press('Enter');
    } else {
      await byId(page, 'step').click();
    }
    await page.waitForFunction((n) => document.querySelector('[data-testid="loss-chart"]').dataset.epochs === String(n)
      && document.querySelector('#training').dataset.state === 'paused', epoch, { timeout: 60_000 });
    const now = await pixels(page, '#loss-canvas');
    assert.notEqual(now, before, `the loss chart changed after epoch ${epoch}`);
    before = now;
    assert.equal(await page.getAttribute('#live-histogram-canvas', 'data-epoch'), String(epoch), 'live histogram of this epoch');
    assert.equal(await page.isVisible('#live-histogram-figure'), true);
    assert.match(await byId(page, 'step-status').textContent(), new RegExp(`after epoch ${epoch} of 8`));
  }
  // Still paused: no further epoch runs by itself.
  await page.waitForTimeout(700);
  assert.equal(await loss.getAttribute('data-epochs'), '3');
  // Play runs to the end.
  await byId(page, 'play').click();
  await waitIdle();
  assert.equal(await loss.getAttribute('data-epochs'), '8');
  assert.equal(await page.locator('[data-testid="results-table"] tr[data-model="dense"]').count(), 1);

  // Cancel while paused keeps the epochs trained so far.
  await byId(page, 'train-step').click();
  await page.waitForFunction(() => document.querySelector('#training').dataset.state === 'paused');
  await byId(page, 'step').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="loss-chart"]').dataset.epochs === '1'
    && document.querySelector('#training').dataset.state === 'paused', null, { timeout: 60_000 });
  await byId(page, 'cancel').click();
  await waitIdle(page, 20_000);
  assert.match(await page.locator('[data-testid="results-table"] tr[data-model="dense"] [data-field="source"]').textContent(), /trained here/);
  assert.match(await page.locator('#progress-list li[data-model="dense"] .detail').textContent(), /after 1 epoch/);
  await openSetup(page);
  await page.fill('#patience-dense', '3');
});

test('the "why 0.51" demonstration: training on every row sinks the AUC, scoring backwards gives 1 − AUC', async () => {
  await loadKddSmall(page);
  await openSetup(page);
  await page.fill('#epochs-dense', '4');
  await showView(page, 'mistake');
  await byId(page, 'mistake-run').click();
  await waitIdle();
  const read = async (id) => Number(await byId(page, `mistake-auc-${id}`).textContent());
  const [normal, allRows, flipped] = [await read('normal'), await read('allrows'), await read('flipped')];
  assert.ok(normal > 0.9, `normal-only AUC ${normal}`);
  assert.ok(allRows < normal - 0.3, `all-rows AUC ${allRows} far below ${normal}`);
  assert.ok(Math.abs(flipped - (1 - normal)) <= 2e-4, `flipped ${flipped} = 1 − ${normal}`);
  assert.match(await byId(page, 'mistake-summary').textContent(), /every row/);
  // The normal-only model is the page's dense model now.
  assert.equal((await aucs(page)).dense, normal.toFixed(4));
  await showView(page, 'dashboard');
});

test('per-attack view: counts per label and category at the slider threshold, top records with features', async () => {
  await tick(page, ['if']);
  await byId(page, 'train').click();
  await waitIdle();
  await showView(page, 'attacks');
  const value = await page.$eval('[data-testid="attack-model"]', (s) => [...s.options].find((o) => o.value.startsWith('if|')).value);
  await page.selectOption('[data-testid="attack-model"]', value);
  await page.waitForFunction(() => document.querySelector('#attacks').dataset.ready === '1'
    && /^Isolation Forest/.test(document.querySelector('[data-testid="attack-summary"]').textContent));
  const counts = async () => page.$$eval('[data-testid="attack-labels"] tbody tr', (rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.name, { flagged: Number(r.querySelector('[data-field="flagged"]').textContent.replace(/,/g, '')), total: Number(r.querySelector('[data-field="total"]').textContent.replace(/,/g, '')) }])));
  const at = await counts();
  assert.ok(at.smurf && at.neptune && at.normal, `labels: ${Object.keys(at)}`);
  for (const [name, c] of Object.entries(at)) assert.ok(c.flagged <= c.total, `${name} flagged ≤ total`);
  const categories = await page.$$eval('[data-testid="attack-categories"] tbody tr', (rows) => rows.map((r) => r.dataset.name));
  assert.ok(categories.includes('dos') && categories.includes('normal'), `categories: ${categories}`);
  // The slider at the bottom: (almost) everything is flagged.
  await setSlider(page, 'if', 0);
  await page.waitForFunction((n) => document.querySelector('#attacks').dataset.ready === '1'
    && Number(document.querySelector('[data-testid="attack-labels"] tr[data-name="normal"] [data-field="flagged"]').textContent.replace(/,/g, '')) > n,
  at.normal.flagged);
  const low = await counts();
  for (const [name, c] of Object.entries(low)) assert.ok(c.flagged >= at[name].flagged, `${name}: a lower threshold flags more`);
  // Top records: highest scores first, with the 41 features.
  const top = await page.$$eval('[data-testid="top-records"] tbody tr', (rows) => rows.map((r) => Number(r.querySelector('[data-field="score"]').textContent)));
  assert.equal(top.length, 25);
  for (let i = 1; i < top.length; i++) assert.ok(top[i] <= top[i - 1], 'sorted by score');
  const headers = await page.$$eval('[data-testid="top-records"] thead th', (th) => th.map((x) => x.textContent));
  assert.ok(headers.includes('src_bytes') && headers.includes('service'), 'feature columns');
  // Why this record: the top record clicked gives every feature's share, largest first, drawn.
  const first = page.locator('[data-testid="top-records"] tbody tr').first();
  const id = await first.getAttribute('data-record');
  await first.click();
  await page.waitForFunction(() => document.querySelector('#explain-figure').dataset.ready === '1');
  assert.match(await page.textContent('[data-testid="explain-summary"]'), new RegExp(`record ${id}\\b`));
  const shares = await page.$$eval('[data-testid="explain-table"] tbody tr [data-field="share"]', (c) => c.map((x) => parseFloat(x.textContent)));
  assert.equal(shares.length, 41);
  for (let i = 1; i < shares.length; i++) assert.ok(shares[i] <= shares[i - 1], 'largest share first');
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 1, 'the shares sum to 100 %');
  assert.ok(await inkOf(page, 'canvas[data-chart="explanation"]') > 0.01, 'the explanation chart is drawn');
  await page.locator('#explain-figure').screenshot({ path: join(ARTIFACTS, 'explanation.png') });
  // By keyboard: an id typed, then Enter; a top record focused, then Enter.
  await page.fill('#explain-record', '3');
  await page.press('#explain-record', 'Enter');
  await page.waitForFunction(() => /record 3\b/.test(document.querySelector('[data-testid="explain-summary"]').textContent));
  await first.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((r) => new RegExp(`record ${r}\\b`).test(document.querySelector('[data-testid="explain-summary"]').textContent), id);
  await setSlider(page, 'if', 0.5);
  await showView(page, 'dashboard');
});

test('runs table: two runs differing in one knob, the knob highlighted; Markdown and CSV; kept across a reload', async () => {
  await showView(page, 'runs');
  await byId(page, 'runs-clear').click();
  assert.equal(await page.locator('[data-testid="runs-table"] tbody tr').count(), 0);
  await tick(page, ['if']);
  await openSetup(page);
  await page.fill('#if-trees', '100');
  await byId(page, 'train').click();
  await waitIdle();
  await openSetup(page);
  await page.fill('#if-trees', '40');
  await byId(page, 'train').click();
  await waitIdle();
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-changed'), '', 'the first run has nothing to compare with');
  assert.equal(await rows.nth(1).getAttribute('data-changed'), 'trees', 'only the trees changed');
  const marked = await rows.nth(1).locator('mark.changed').allTextContents();
  assert.deepEqual(marked.map((t) => t.replace(' (changed)', '')), ['trees 40']);
  assert.equal(await rows.nth(0).locator('mark.changed').count(), 0);
  const auc1 = await rows.nth(0).locator('[data-field="roc_auc"]').textContent();
  assert.match(auc1, /^0\.\d{4}$/);

  const [md] = await Promise.all([page.waitForEvent('download'), byId(page, 'runs-markdown').click()]);
  const markdown = readFileSync(await md.path(), 'utf8');
  assert.match(markdown, /\*\*trees 40\*\*/);
  assert.equal(markdown.trim().split('\n').filter((l) => l.startsWith('| 1 ') || l.startsWith('| 2 ')).length, 2);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), byId(page, 'runs-csv').click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, 3);
  assert.match(csv[0], /^run,time,data,protocol,model/);
  assert.match(csv[2], /,trees$/);

  // localStorage keeps them: reload (the link retrains the sample: a third run).
  await page.reload();
  await waitIdle();
  assert.equal(await page.locator('[data-testid="runs-table"] tbody tr[data-run="1"]').count(), 1);
  assert.equal(await page.locator('[data-testid="runs-table"] tbody tr[data-run="2"]').getAttribute('data-changed'), 'trees');
  assert.equal(await page.locator('[data-testid="runs-table"] tbody tr[data-run="1"] [data-field="roc_auc"]').textContent(), auc1);
});

/** A static server of our own for the offline test (it is stopped to cut the network). */
function serve() {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
    '.wasm': 'application/wasm', '.json': 'application/json', '.nam': 'application/octet-stream' };
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT)) { res.writeHead(403).end(); return; }
    try {
      const { size } = statSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'content-length': size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('offline: after one visit the page opens, reads a file, trains and evaluates with the network off', async () => {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/www/`;
  const { context: ctx, page: p } = await open(url);
  try {
    await p.waitForFunction(() => document.body.dataset.offline === 'ready' && navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    assert.match(await byId(p, 'offline-badge').textContent(), /offline/i);
    // Cut the network: the browser is offline and the server is gone.
    await ctx.setOffline(true);
    await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
    await p.reload();
    await waitIdle(p); // the link in the hash trained the sample again: wasm and worker came from the cache
    assert.equal(await p.evaluate(() => navigator.serviceWorker.controller !== null && !navigator.onLine), true, 'served by the service worker, offline');
    assert.match(await byId(p, 'offline-badge').textContent(), /Offline/);
    // This host sends no COOP/COEP: the service worker isolated this load, and the worker
    // started rayon's pool from the kept copy (www/pool.js and the threaded glue included).
    assert.deepEqual(await p.evaluate(() => [self.crossOriginIsolated, Number(document.body.dataset.threads) === navigator.hardwareConcurrency]),
      [true, true], 'offline and isolated by the service worker: one thread a core');
    await loadKddSmall(p);
    await tick(p, ['if']);
    await byId(p, 'train').click();
    await waitIdle(p);
    const auc = Number((await aucs(p)).if);
    assert.ok(auc > 0.8 && auc <= 1, `IF AUC offline ${auc}`);
    // The bundled models were kept too.
    await byId(p, 'bundled').click();
    await waitIdle(p);
    assert.equal(await p.locator('[data-testid="results-table"] tr[data-model]').count(), 4);
    assert.equal(await byId(p, 'error').textContent(), '');
  } finally {
    await ctx.close();
    server.close();
  }
});

test('screenshots of the teaching view (1280×720 and full page, light and dark); every control labelled', async () => {
  const view = '#hide=data,protocol,models,exports&models=if,dense&dense.epochs=5&watch=1&attack=dense';
  const { context: ctx, page: p } = await open(`${BASE}${view}`, { viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  try {
    for (const id of ['data', 'protocol', 'models', 'exports']) assert.equal(await p.isHidden(`#${id}`), true, `${id} hidden`);
    await showView(p, 'mistake');
    await byId(p, 'mistake-run').click();
    await waitIdle(p);
    await p.waitForFunction(() => document.querySelector('#attacks').dataset.ready === '1');
    await showView(p, 'dashboard');
    // Every visible control has a name.
    const unnamed = await p.$$eval('input, select, button, textarea', (els) => els.filter((el) => {
      if (el.closest('[hidden]') || el.type === 'hidden') return false;
      const name = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.labels && [...el.labels].map((l) => l.textContent).join('').trim())
        || (el.tagName === 'BUTTON' && el.textContent.trim());
      return !name;
    }).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, [], 'controls without a name');
    assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor !== ''), true);
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: join(ARTIFACTS, 'teaching-light-720.png') });
    await p.screenshot({ path: join(ARTIFACTS, 'teaching-light-full.png'), fullPage: true });
    // Dark, with the toggle (the link follows).
    await byId(p, 'theme-toggle').click();
    assert.equal(await byId(p, 'theme-toggle').getAttribute('aria-pressed'), 'true');
    assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await p.evaluate(() => getComputedStyle(document.querySelector('section:not([hidden])')).backgroundColor);
    assert.equal(bg, 'rgb(20, 24, 29)', 'dark panels');
    await p.waitForFunction(() => /theme=dark/.test(location.hash));
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: join(ARTIFACTS, 'teaching-dark-720.png') });
    await p.screenshot({ path: join(ARTIFACTS, 'teaching-dark-full.png'), fullPage: true });
  } finally {
    await ctx.close();
  }
  assert.deepEqual(consoleErrors.filter((e) => !/favicon|ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), [], 'console errors');
});
