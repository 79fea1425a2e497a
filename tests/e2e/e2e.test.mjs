// End-to-end: the page in headless Chromium, as a person would use it. Run by
// tests/e2e/run.sh (which serves the repository on 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inkOf, launch, openSetup, showView, waitIdle as pageIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const DATA = process.env.NETANOMALY_DATA;
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const origin = new URL(BASE).origin;
let browser, context, page;
const requests = [];
const consoleErrors = [];

before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // Workers' requests too.
  context.on('request', (r) => requests.push(r.url()));
});

after(async () => { await browser?.close(); });

const $ = (id) => page.locator(`[data-testid="${id}"]`);

const waitIdle = (timeout = 240_000) => pageIdle(page, timeout);

/** Share of a canvas's pixels that differ from its top-left pixel. */
const ink = (selector) => inkOf(page, selector);

async function confusion(kind) {
  const el = $(`confusion-${kind}`);
  return Object.fromEntries(await Promise.all(['tn', 'fp', 'fn', 'tp'].map(async (k) => [k, Number(await el.getAttribute(`data-${k}`))])));
}

test('first visit shows every chart from the built-in synthetic sample', async () => {
  await page.goto(BASE);
  await waitIdle();
  assert.match(await page.textContent('body'), /synthetic/i);
  for (const chart of ['roc', 'pr', 'histogram-if', 'confusion-if', 'categories-if']) {
    assert.ok(await ink(`canvas[data-chart="${chart}"]`) > 0.01, `${chart} is blank`);
  }
});

test('drop a real NSL-KDD file, train Isolation Forest and an autoencoder, move a threshold, download predictions', async () => {
  await $('train-file').setInputFiles(join(DATA, 'nsl-kdd/KDDTrain+_20Percent.txt.gz'));
  await page.waitForFunction(() => /25[,.  ]?192/.test(document.body.textContent), null, { timeout: 60_000 });
  await waitIdle();
  await openSetup(page);
  await $('protocol-holdout').check();
  for (const kind of ['if', 'dense']) await $(`model-${kind}`).check();
  for (const kind of ['lstm', 'deep']) await $(`model-${kind}`).uncheck();
  await $('epochs-dense').fill('2');
  await $('train').click();
  await waitIdle();
  for (const chart of ['roc', 'pr', 'loss', 'histogram-if', 'confusion-if', 'categories-if', 'histogram-dense', 'confusion-dense']) {
    assert.ok(await ink(`canvas[data-chart="${chart}"]`) > 0.01, `${chart} is blank`);
  }
  const auc = Number(await page.locator('[data-testid="results-table"] tr[data-model="if"] [data-field="roc_auc"]').first().textContent());
  assert.ok(auc > 0.8 && auc <= 1, `IF AUC ${auc}`);

  // The slider moves the threshold: the confusion counts change at once, and the totals stay.
  const before = await confusion('if');
  const slider = $('threshold-if');
  await slider.evaluate((s) => { s.value = s.min; s.dispatchEvent(new Event('input', { bubbles: true })); });
  const after = await confusion('if');
  assert.notDeepEqual(after, before);
  assert.equal(after.tn + after.fp + after.fn + after.tp, before.tn + before.fp + before.fn + before.tp);
  assert.ok(after.tp >= before.tp && after.fp >= before.fp, 'a lower threshold flags more');

  // Predictions CSV: header and one row per test record (25,192 rows minus 80% of 13,449 normals).
  await showView(page, 'exports');
  const [download] = await Promise.all([page.waitForEvent('download'), $('export-predictions-if').click()]);
  await showView(page, 'dashboard');
  const text = readFileSync(await download.path(), 'utf8');
  const csv = text.trim().split('\n');
  assert.equal(csv[0], 'record_id,anomaly_score,prediction_label,true_label');
  assert.equal(csv.length - 1, 25_192 - Math.round(13_449 * 0.8));

  // The same export asked in parts of 1,000 rows: the session streams them under one
  // request id and the page joins them into the same file.
  await page.evaluate(() => {
    const post = Worker.prototype.postMessage;
    window.__restorePost = () => { Worker.prototype.postMessage = post; };
    window.__exportParts = 0;
    Worker.prototype.postMessage = function postInParts(msg, transfer) {
      if (!this.__counted) {
        this.__counted = true;
        this.addEventListener('message', (e) => { if (e.data?.type === 'export') window.__exportParts += 1; });
      }
      const request = msg?.request?.type === 'export' ? { ...msg.request, part_rows: 1000 } : msg?.request;
      return post.call(this, { ...msg, request }, transfer);
    };
  });
  await showView(page, 'exports');
  const [inParts] = await Promise.all([page.waitForEvent('download'), $('export-predictions-if').click()]);
  await page.evaluate(() => window.__restorePost());
  await showView(page, 'dashboard');
  assert.equal(readFileSync(await inParts.path(), 'utf8'), text, 'the parts join into the same file');
  assert.equal(await page.evaluate(() => window.__exportParts), Math.ceil((csv.length - 1) / 1000), 'one reply per part');
});

test("the papers' presets re-score the models, with F1 at the true ratio beside ROC AUC", async () => {
  const summary = () => page.textContent('#split-summary');
  const f1 = async () => Number(await page.locator('[data-testid="results-table"] tr[data-model="if"] [data-field="f1_true_ratio"]').first().textContent());
  await openSetup(page);
  // KDDTrain+_20Percent: 13,449 normals and 11,743 attacks.
  await $('protocol-kddcup-rev').check();
  await waitIdle();
  // Half the normals (6,724) train; the other 6,725 test beside 13,449 / 4 = 3,362 attacks.
  assert.match(await summary(), /6[,.  ]?725 normal, 3[,.  ]?362 attack/);
  await page.waitForFunction(() => document.querySelector('[data-testid="results-table"] tr[data-model="if"]')?.dataset.test === 'kddcup-rev');
  const rev = await f1();
  assert.ok(rev > 0.5 && rev <= 1, `KDDCUP-Rev F1 at true ratio ${rev}`);
  await $('protocol-kddcup').check();
  await waitIdle();
  // Half the attacks (5,871) train; the other 5,872 test beside every normal row.
  assert.match(await summary(), /13[,.  ]?449 normal, 5[,.  ]?872 attack/);
  await page.waitForFunction(() => document.querySelector('[data-testid="results-table"] tr[data-model="if"]')?.dataset.test === 'kddcup');
  const cup = await f1();
  assert.ok(cup > 0 && cup <= 1 && cup !== rev, `KDDCUP F1 at true ratio ${cup}`);
  await $('protocol-holdout').check();
  await waitIdle();
});

test('cancel stops a long deep-LSTM run mid-epoch without restarting the worker, and keeps a model', async () => {
  await openSetup(page);
  for (const kind of ['if', 'dense', 'lstm']) await $(`model-${kind}`).uncheck();
  await $('model-deep').check();
  await $('epochs-deep').fill('200');
  await $('train').click();
  // Wait until batches are running, then cancel.
  await page.waitForFunction(() => /epoch 1/i.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), null, { timeout: 60_000 });
  const asked = Date.now();
  await $('cancel').click();
  await waitIdle();
  const took = (Date.now() - asked) / 1000;
  assert.ok(took < 10, `cancel took ${took} s`);
  assert.doesNotMatch(await page.textContent('body'), /did not answer the cancel/, 'the worker heard the cancel (no restart)');
  assert.equal(await page.locator('[data-testid="results-table"] tr[data-model="deep"]').count() > 0, true, 'a deep model was kept');
  await openSetup(page);
  await $('epochs-deep').fill('10');
});

test('bundled models load and show their AUC; no request leaves the origin', async () => {
  await $('bundled').click();
  await waitIdle();
  for (const kind of ['if', 'dense', 'lstm', 'deep']) {
    const cell = page.locator(`[data-testid="results-table"] tr[data-model="${kind}"] [data-field="roc_auc"]`).last();
    const auc = Number(await cell.textContent());
    assert.ok(auc > 0.8 && auc <= 1, `${kind} bundled AUC ${auc}`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'page.png'), fullPage: true });
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), [], 'console errors');
});

test('a file dropped on the test-file zone loads as the second file', async () => {
  // A real drop event carrying a DataTransfer, as a person dragging a file would make.
  const bytes = readFileSync(join(DATA, 'nsl-kdd/KDDTest-21.txt.gz'));
  const transfer = await page.evaluateHandle((b64) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'KDDTest-21.txt.gz', { type: 'application/gzip' }));
    return dt;
  }, bytes.toString('base64'));
  await page.dispatchEvent('#drop-test', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-test', 'drop', { dataTransfer: transfer });
  await page.waitForFunction(() => /11,850/.test(document.body.textContent), null, { timeout: 60_000 });
  await waitIdle();
  assert.match(await page.textContent('body'), /KDDTest-21/);
});

test('a bad file gives a clear message and keeps the earlier results', async () => {
  const rowsBefore = await page.locator('[data-testid="results-table"] tr[data-model]').count();
  await $('train-file').setInputFiles({ name: 'broken.csv.gz', mimeType: 'application/gzip', buffer: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]) });
  await page.waitForFunction(() => (document.querySelector('[data-testid="error"]')?.textContent ?? '').length > 0, null, { timeout: 30_000 });
  assert.match(await $('error').textContent(), /gzip|truncated|corrupt/i);
  assert.equal(await page.locator('[data-testid="results-table"] tr[data-model]').count(), rowsBefore);
});
