// End-to-end: the page in current Firefox (Debian's firefox-esr, stock, driven over
// WebDriver BiDi by puppeteer-core; see browser.mjs). Run by tests/e2e/run.sh, which
// serves the repository on 127.0.0.1. Checked on real outputs: the first visit trains
// the synthetic sample in the worker; the dashboard's first screen at 1366×768 and
// 1280×720 (screenshots in tests/e2e/artifacts/firefox-dashboard-*.png); the bundled
// models; ROC hover; a histogram click against the CLI's predictions; the keyboard
// alone; a download; a bad file; offline use after one visit; and a browser without
// WebAssembly relaxed SIMD told so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { assertInside, cliCountsOfTheSample, firstScreen, launchFirefox, keysMoveTheThreshold, netanomaly, sweepRoc, waitIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const ROOT = new URL('../../', import.meta.url).pathname;
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const downloads = mkdtempSync(join(tmpdir(), 'netanomaly-ff-downloads-'));
const work = mkdtempSync(join(tmpdir(), 'netanomaly-ff-'));
let browser;
const consoleErrors = [];

before(async () => {
  browser = await launchFirefox({ downloadDir: downloads });
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  rmSync(downloads, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** A new page (in its own browser context: no shared storage or service worker) at `url`, once the page is idle. */
async function open(url, viewport = { width: 1366, height: 768 }) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.setViewport(viewport);
  await page.goto(url);
  await waitIdle(page);
  return { context, page };
}


const sel = (id) => `[data-testid="${id}"]`;

/** Every results row: model kind, ROC AUC and source. */
const results = (page) => page.$$eval('[data-testid="results-table"] tbody tr[data-model]', (rows) => rows.map((r) => ({
  kind: r.dataset.model, auc: Number(r.querySelector('[data-field="roc_auc"]').textContent), text: r.textContent,
})));

/** The confusion counts and threshold the page shows for model `kind`. */
const confusion = (page, kind) => page.$eval(sel(`confusion-${kind}`), (el) => Object.fromEntries(
  ['tn', 'fp', 'fn', 'tp', 'threshold'].map((k) => [k, Number(el.dataset[k])])));

/** Share of a canvas's pixels that differ from its top-left pixel. */
const ink = (page, chart) => page.$eval(`canvas[data-chart="${chart}"]`, (c) => {
  const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) painted++;
  }
  return painted / (data.length / 4);
});

/** Contrast ratio (WCAG) of an element's text colour on its background colour. */
const contrast = (page, selector) => page.$eval(selector, (el) => {
  const cs = getComputedStyle(el);
  const lum = (c) => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(cs.color), lum(cs.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
});

let binary = null;
/** Run the CLI (built once for this file); its exit status must be 0. */
function cli(args) {
  binary ??= netanomaly();
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `netanomaly ${args.join(' ')}: ${r.stderr}`);
}

test('Firefox: the first visit trains Isolation Forest and the dense autoencoder on the synthetic sample in the worker; the first screen holds the dashboard at 1366×768 and 1280×720', async () => {
  const { context, page } = await open(BASE);
  try {
    assert.match(await browser.version(), /^firefox\//i);
    // The threaded build where the host isolates the page (run.sh's E2E_ISOLATION), else the fallback.
    const t = await page.evaluate(() => ({ threads: Number(document.body.dataset.threads), cores: navigator.hardwareConcurrency, isolated: self.crossOriginIsolated }));
    if (process.env.E2E_ISOLATION === 'off') assert.deepEqual([t.isolated, t.threads], [false, 1]);
    else assert.deepEqual([t.isolated, t.threads], [true, t.cores], 'Firefox: one thread a core');
    assert.match(await page.$eval('body', (b) => b.textContent), /synthetic/i);
    // Trained here, in the worker: its progress reports finished both.
    const progress = await page.$$eval('#progress-list li[data-model]', (items) => Object.fromEntries(items.map((i) => [i.dataset.model, i.dataset.state])));
    assert.deepEqual(progress, { if: 'finished', dense: 'finished' });
    const rows = await results(page);
    assert.deepEqual(rows.map((r) => r.kind), ['if', 'dense']);
    for (const r of rows) {
      assert.ok(r.auc >= 0.9 && r.auc <= 0.98, `${r.kind} AUC ${r.auc} on the synthetic sample`);
      assert.match(r.text, /trained here/);
    }
    for (const chart of ['roc', 'histogram-if', 'confusion-if']) assert.ok(await ink(page, chart) > 0.01, `${chart} is blank`);
    for (const [w, h] of [[1366, 768], [1280, 720]]) {
      await page.setViewport({ width: w, height: h });
      await new Promise((r) => setTimeout(r, 400)); // the charts redraw at their new size
      await page.evaluate(() => window.scrollTo(0, 0));
      assert.equal(await page.evaluate(() => [window.innerWidth, window.innerHeight].join('×')), `${w}×${h}`);
      assertInside(await firstScreen(page), w, h, `first visit, ${w}×${h}`);
      await page.screenshot({ path: join(ARTIFACTS, `firefox-dashboard-${w}x${h}.png`) });
    }
  } finally {
    await context.close();
  }
});

test('Firefox: the four bundled models load and are scored; ROC hover reads a point and a click sets it; a histogram click gives the CLI\'s counts at that threshold; drag and hover', async () => {
  // Natively: the sample the first visit makes (20,000 rows, seed 42, 35 % attacks),
  // scored by the CLI with the same bundled model file.
  const counts = cliCountsOfTheSample(work);

  const { context, page } = await open(`${BASE}#run=bundled&sel=if`);
  try {
    const rows = await results(page);
    assert.deepEqual(rows.map((r) => r.kind), ['if', 'dense', 'lstm', 'deep']);
    for (const r of rows) {
      assert.ok(r.auc > 0.8 && r.auc <= 1, `${r.kind} bundled AUC ${r.auc}`);
      assert.match(r.text, /bundled: KDD Cup 99/);
    }
    for (const kind of ['if', 'dense', 'lstm', 'deep']) assert.equal(await page.$$eval(`canvas[data-chart="histogram-${kind}"]`, (c) => c.length), 1, `${kind} has its histogram`);
    assertInside(await firstScreen(page), 1366, 768, 'bundled, 1366×768');

    // ROC: sweep the pointer along the top-left of the plot until a point is read.
    const roc = await page.$('canvas[data-chart="roc"]');
    const box = await roc.boundingBox();
    const { hit, at } = await sweepRoc(page, box);
    assert.ok(hit, 'a ROC point under the pointer');
    assert.ok(['if', 'dense', 'lstm', 'deep'].includes(hit.kind), `kind ${hit.kind}`);
    assert.match(hit.text, /threshold .*TPR .*FPR/);
    assert.equal(await page.$eval('[data-testid="readout-roc"] + .marker', (m) => !m.hidden && m.getClientRects().length > 0), true, 'a marker on the point');
    // A click there: that model in detail at the point's threshold, with the point's rates.
    await page.mouse.click(...at);
    const chosen = await page.evaluate(() => document.body.dataset.selected);
    assert.equal(chosen, hit.kind);
    const c = await confusion(page, chosen);
    assert.equal(c.threshold, Number(hit.threshold));
    assert.ok(Math.abs(c.tp / (c.tp + c.fn) - Number(hit.tpr)) < 1e-9, `TPR ${c.tp / (c.tp + c.fn)} vs ${hit.tpr}`);
    assert.ok(Math.abs(c.fp / (c.fp + c.tn) - Number(hit.fpr)) < 1e-9, `FPR ${c.fp / (c.fp + c.tn)} vs ${hit.fpr}`);

    // Histogram clicks: the slider moves, and the matrix equals the CLI's counts at that threshold.
    await page.click(sel('model-tab-if'));
    const hist = await page.$('canvas[data-chart="histogram-if"]');
    const hb = await hist.boundingBox();
    let last = (await confusion(page, 'if')).threshold;
    let lastSlider = await page.$eval(sel('threshold-if'), (s) => Number(s.value));
    for (const fx of [0.3, 0.5, 0.65]) {
      await page.mouse.click(hb.x + hb.width * fx, hb.y + hb.height * 0.5);
      const shown = await confusion(page, 'if');
      assert.notEqual(shown.threshold, last, `the click at ${fx} moved the threshold`);
      const slider = await page.$eval(sel('threshold-if'), (s) => Number(s.value));
      assert.notEqual(slider, lastSlider, 'the slider moved');
      assert.equal(Number(await page.$eval(sel('threshold-value-if'), (i) => i.value)), shown.threshold, 'the exact box follows');
      const { threshold, ...four } = shown;
      assert.deepEqual(four, counts(threshold), `at threshold ${threshold}`);
      last = threshold;
      lastSlider = slider;
    }

    // Hover on a bar reads its counts; a drag to the right raises the threshold (pointer capture).
    await page.mouse.move(hb.x + hb.width * 0.45, hb.y + hb.height * 0.5);
    assert.match(await page.$eval(sel('readout-histogram-if'), (r) => r.textContent), /normal [\d,]+ · attack [\d,]+/);
    await page.mouse.click(hb.x + hb.width * 0.45, hb.y + hb.height * 0.5);
    const t1 = (await confusion(page, 'if')).threshold;
    await page.mouse.down();
    for (const fx of [0.5, 0.55, 0.6, 0.65, 0.7]) await page.mouse.move(hb.x + hb.width * fx, hb.y + hb.height * 0.5);
    await page.mouse.up();
    const t2 = (await confusion(page, 'if')).threshold;
    assert.ok(t2 > t1, `dragged right: ${t1} → ${t2}`);
    // Hover on a confusion cell reads one of the four counts.
    const cb = await (await page.$('canvas[data-chart="confusion-if"]')).boundingBox();
    await page.mouse.move(cb.x + cb.width * 0.7, cb.y + cb.height * 0.45);
    const cell = Number(await page.$eval(sel('readout-confusion-if'), (r) => r.dataset.count));
    const now = await confusion(page, 'if');
    assert.ok(['tn', 'fp', 'fn', 'tp'].some((k) => now[k] === cell), `cell count ${cell} in ${JSON.stringify(now)}`);
  } finally {
    await context.close();
  }
});

test('Firefox, keyboard alone: Tab reaches the views nav, arrows move between views; Tab reaches a chart, arrows move the threshold', async () => {
  const { context, page } = await open(`${BASE}#run=bundled&sel=if`);
  try {
    const active = () => page.evaluate(() => {
      const el = document.activeElement;
      return { testid: el?.dataset?.testid ?? null, chart: el?.dataset?.chart ?? null, role: el?.getAttribute('role') ?? null };
    });
    /** Press Tab until `want(activeElement)` (at most `max` presses); the presses taken. */
    const tabTo = async (want, max = 80) => {
      for (let n = 1; n <= max; n++) {
        await page.keyboard.press('Tab');
        if (want(await active())) return n;
      }
      assert.fail(`Tab never reached it in ${max} presses`);
    };
    await page.evaluate(() => document.activeElement?.blur());
    const toNav = await tabTo((a) => a.testid === 'view-tab-dashboard');
    const view = () => page.evaluate(() => ({
      tab: document.querySelector('[data-testid="view-tabs"] [aria-selected="true"]')?.dataset.testid,
      shown: [...document.querySelectorAll('div.view[role="tabpanel"]')].filter((v) => !v.hidden && v.getClientRects().length).map((v) => v.id),
      focus: document.activeElement?.dataset.testid,
    }));
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await view(), { tab: 'view-tab-attacks', shown: ['view-attacks'], focus: 'view-tab-attacks' });
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await view(), { tab: 'view-tab-mistake', shown: ['view-mistake'], focus: 'view-tab-mistake' });
    await page.waitForFunction(() => /view=mistake/.test(location.hash), { timeout: 5000 });
    await page.keyboard.press('Home');
    assert.deepEqual(await view(), { tab: 'view-tab-dashboard', shown: ['view-dashboard'], focus: 'view-tab-dashboard' });

    const read = () => page.evaluate(() => {
      const dl = document.querySelector('[data-testid="confusion-if"]').dataset;
      return { q: Number(document.querySelector('[data-testid="threshold-if"]').value), threshold: Number(dl.threshold), flagged: Number(dl.tp) + Number(dl.fp) };
    });
    const start = await read();
    const toChart = await tabTo((a) => a.chart === 'histogram-if');
    console.log(`Firefox, keyboard: ${toNav} Tab presses to the views nav, then ${toChart} to the histogram`);
    await keysMoveTheThreshold(page, read, start);
  } finally {
    await context.close();
  }
});

test('Firefox without WebAssembly relaxed SIMD (its pref off): the page says what the browser lacks, not a compile error', async () => {
  const bare = await launchFirefox({ prefs: { 'javascript.options.wasm_relaxed_simd': false } });
  try {
    const page = await bare.newPage();
    await page.goto(BASE);
    await page.waitForFunction(() => /no WebAssembly relaxed SIMD/.test(document.body.textContent), { timeout: 60_000, polling: 100 });
    assert.equal((await page.$eval(sel('status'), (el) => el.textContent)).trim(), 'Not available');
    assert.doesNotMatch(await page.evaluate(() => document.body.textContent), /CompileError/);
  } finally {
    await bare.close();
  }
});

test('Firefox: the predictions CSV download arrives whole; a file with a wrong column count names its line and keeps the results', async () => {
  const { context, page } = await open(`${BASE}#run=bundled&sel=if`);
  try {
    const before = await results(page);
    await page.click(sel('view-tab-exports'));
    // The pointer still rests on the chosen tab: its name stays readable.
    const ratio = await contrast(page, sel('view-tab-exports'));
    assert.ok(ratio >= 4.5, `the selected tab under the pointer has contrast ${ratio.toFixed(2)}`);
    await page.click(sel('export-predictions-if'));
    // The browser saves it to the profile's download folder (no dialog); wait for it whole.
    let file = null;
    for (let i = 0; i < 300 && !file; i++) {
      const done = readdirSync(downloads).filter((f) => f.endsWith('.csv'));
      if (done.length && !readdirSync(downloads).some((f) => f.endsWith('.part'))) file = join(downloads, done[0]);
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(file, `a CSV arrived in ${downloads}: ${readdirSync(downloads)}`);
    assert.match(file, /predictions.*if.*\.csv$/);
    const csv = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'record_id,anomaly_score,prediction_label,true_label');
    assert.equal(csv.length - 1, 20000, 'one row per record of the sample');
    await page.click(sel('view-tab-dashboard'));

    // A KDD file whose 57th line lost a column.
    cli(['sample', join(work, 'small.csv'), '--rows', '200', '--seed', '7']);
    const lines = readFileSync(join(work, 'small.csv'), 'utf8').trim().split('\n');
    lines[56] = lines[56].split(',').slice(1).join(',');
    writeFileSync(join(work, 'bad-columns.csv'), `${lines.join('\n')}\n`);
    await page.evaluate(() => {
      const t = document.querySelector('[data-testid="setup-toggle"]');
      if (t && t.getAttribute('aria-expanded') === 'false') t.click();
    });
    const input = await page.$(sel('train-file'));
    await input.uploadFile(join(work, 'bad-columns.csv'));
    await page.waitForFunction(() => (document.querySelector('[data-testid="error"]')?.textContent ?? '').length > 0, { timeout: 30_000 });
    const message = await page.$eval(sel('error'), (e) => e.textContent);
    assert.match(message, /line 57\b/, message);
    assert.match(message, /41 columns/, message);
    await waitIdle(page);
    assert.deepEqual(await results(page), before, 'the earlier results stay');
  } finally {
    await context.close();
  }
});

test('Firefox, hi-DPI: every drawn dashboard canvas has a backing store of its CSS size × devicePixelRatio', async () => {
  const { context, page } = await open(`${BASE}#run=bundled`, { width: 1366, height: 768, deviceScaleFactor: 2 });
  try {
    assert.equal(await page.evaluate(() => devicePixelRatio), 2);
    const sizes = await page.$$eval('#view-dashboard canvas', (cs) => cs.filter((c) => c.clientWidth > 0)
      .map((c) => ({ chart: c.dataset.chart, css: [c.clientWidth, c.clientHeight], store: [c.width, c.height] })));
    assert.ok(sizes.length >= 3, `canvases shown: ${sizes.length}`);
    for (const s of sizes) assert.deepEqual(s.store, [Math.round(s.css[0] * 2), Math.round(s.css[1] * 2)], `${s.chart}: ${JSON.stringify(s)}`);
  } finally {
    await context.close();
  }
});

/** A static server of our own for the offline test (stopped to cut the network). */
function serve() {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('Firefox, offline after one visit: the service worker controls the page; with the server gone, a reload shows the page and trains the sample', async () => {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/www/`;
  const { context, page } = await open(url);
  try {
    await page.waitForFunction(() => document.body.dataset.offline === 'ready' && navigator.serviceWorker.controller !== null, { timeout: 60_000 });
    assert.match(await page.$eval(sel('offline-badge'), (b) => b.textContent), /works offline/i);
    const online = await results(page);
    // Cut the network: the server is gone (connections refused) and the browser is offline (BiDi network emulation).
    await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
    await page.setOfflineMode(true);
    await page.reload();
    await waitIdle(page, 60_000); // the sample trained again: page, modules, worker and wasm came from the cache
    assert.deepEqual(await page.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, online: navigator.onLine })),
      { controlled: true, online: false }, 'served by the service worker, offline');
    assert.match(await page.$eval(sel('offline-badge'), (b) => b.textContent), /^Offline/);
    // This host sends no COOP/COEP: the first load ran on one thread; the service worker
    // isolated this one, whose worker started the pool from the kept copy.
    assert.deepEqual(await page.evaluate(() => [self.crossOriginIsolated, Number(document.body.dataset.threads) === navigator.hardwareConcurrency]),
      [true, true], 'offline and isolated by the service worker: one thread a core');
    // Nothing outside the kept copy is reachable.
    assert.match(await page.evaluate(() => fetch('../README.md').then((r) => `HTTP ${r.status}`, (e) => `failed: ${e}`)), /^failed/);
    const offline = await results(page);
    assert.deepEqual(offline.map((r) => r.kind), ['if', 'dense']);
    assert.deepEqual(offline.map((r) => r.auc), online.map((r) => r.auc), 'the same seeded run gives the same AUCs offline, on the pool as on one thread');
    // The bundled models were kept too.
    await page.click(sel('bundled'));
    await waitIdle(page);
    assert.equal((await results(page)).filter((r) => /bundled/.test(r.text)).length, 4, 'four bundled models offline');
    assert.equal(await page.$eval(sel('error'), (e) => e.textContent), '');
  } finally {
    await context.close();
    server.close();
  }
  assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), [], 'console errors');
});
