// The bad-input catalogue (src/catalogue/) on the page, end to end: the CLI writes
// every case into a temporary folder (`netanomaly catalogue DIR`), the page opens and
// scores its first-visit sample, then every data case goes through the training- and
// test-file inputs and every model case through the model-file input. After each:
// the expected message (or, for accepted files, their summary), no page error, the
// same worker (no restart), and — after a refusal — the earlier results unchanged.
// Run by tests/e2e/run.sh (which serves the repository on 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, netanomaly, openSetup, waitIdle as pageIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
let browser, page, dir, cases;
const pageErrors = [];
let workers = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netanomaly-catalogue-'));
  const run = spawnSync(netanomaly(), ['catalogue', dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, `netanomaly catalogue failed: ${run.stderr}`);
  cases = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8'));
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // The page's worker (rayon's pool workers, blob: URLs, come and go with it).
  page.on('worker', (w) => { if (w.url().endsWith('/worker.js')) workers += 1; });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const $ = (id) => page.locator(`[data-testid="${id}"]`);

const waitIdle = (timeout = 240_000) => pageIdle(page, timeout);

/** Run `action` and wait until the page is idle again after it (the status is blanked first). */
async function andWait(action) {
  await page.evaluate(() => { document.querySelector('[data-testid="status"]').textContent = ''; });
  await action();
  await waitIdle();
}

/** The results table as shown: one text per row, plus the AUC cells. */
async function results() {
  return page.$$eval('[data-testid="results-table"] tr[data-model]', (rows) => rows.map((r) => ({
    row: r.textContent.trim(),
    auc: r.querySelector('[data-field="roc_auc"]')?.textContent.trim(),
  })));
}

const errorText = async () => (await $('error').textContent()).trim();
const file = (c) => ({ name: c.name, mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, c.name)) });

async function assertAlive(c) {
  assert.deepEqual(pageErrors, [], `${c.name}: page errors`);
  assert.equal(workers, 1, `${c.name}: the worker was restarted`);
  assert.doesNotMatch(await $('status').textContent(), /Restart/i, `${c.name}: the worker was restarted`);
}

function assertContains(c, text, fragments) {
  for (const f of fragments) assert.ok(text.includes(f), `${c.name}: ${JSON.stringify(text)} lacks ${JSON.stringify(f)}`);
}

let earlier;

test('the catalogue is written by the CLI and the page scores its first-visit sample', async () => {
  assert.ok(cases.length >= 24, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.target === 'model-file') && cases.some((c) => c.expect.kind === 'loads'));
  await page.goto(BASE);
  await waitIdle();
  earlier = await results();
  assert.ok(earlier.length >= 1, 'first-visit results');
  for (const { auc } of earlier) assert.ok(Number(auc) > 0.5, `first-visit AUC ${auc}`);
  await assertAlive({ name: 'first visit' });
});

test('every refused data file: its message, in both file inputs, and the earlier results stay', async () => {
  const refused = cases.filter((c) => c.target === 'data-file' && c.expect.kind === 'error');
  assert.ok(refused.length >= 20);
  for (const c of refused) {
    for (const slot of ['train', 'test']) {
      await andWait(() => $(`${slot}-file`).setInputFiles(file(c)));
      const text = await errorText();
      assertContains(c, text, [`Could not load the ${slot === 'train' ? 'training' : 'test'} file`, ...c.expect.contains]);
      assert.deepEqual(await results(), earlier, `${c.name} (${slot}): earlier results changed`);
      await assertAlive(c);
    }
  }
  // The training file is still the sample.
  assert.match(await page.locator('#train-summary').textContent(), /synthetic/i);
});

test('every refused model file: its message, and the earlier results stay', async () => {
  const refused = cases.filter((c) => c.target === 'model-file' && c.expect.kind === 'error');
  assert.ok(refused.length >= 8);
  for (const c of refused) {
    await andWait(() => $('model-file').setInputFiles(file(c)));
    assertContains(c, await errorText(), [`Could not use the model file (file: ${c.name})`, ...c.expect.contains]);
    assert.deepEqual(await results(), earlier, `${c.name}: earlier results changed`);
    await assertAlive(c);
  }
});

test('an accepted model file is scored and shown beside the others', async () => {
  for (const c of cases.filter((x) => x.target === 'model-file' && x.expect.kind === 'loads')) {
    const kind = c.expect.outcome.kind;
    await andWait(() => $('model-file').setInputFiles(file(c)));
    assert.equal(await errorText(), '', `${c.name}: an error`);
    const row = page.locator(`[data-testid="results-table"] tr[data-model="${kind}"]`).first();
    assert.match(await row.textContent(), new RegExp(`file: ${c.name.replace('.', '\\.')}`), `${c.name}: not in the results`);
    const auc = Number(await row.locator('[data-field="roc_auc"]').textContent());
    assert.ok(auc > 0.8 && auc <= 1, `${c.name}: AUC ${auc}`);
    await assertAlive(c);
  }
});

test('every accepted data file: its summary, then training on it as described', async () => {
  const accepted = cases.filter((c) => c.target === 'data-file' && c.expect.kind === 'loads');
  assert.ok(accepted.length >= 6);
  await openSetup(page);
  for (const kind of ['dense', 'lstm', 'deep']) await $(`model-${kind}`).uncheck();
  await $('model-if').check();
  for (const c of accepted) {
    const { rows, training } = c.expect.outcome;
    await andWait(() => $('train-file').setInputFiles(file(c)));
    const summary = await page.locator('#train-summary').textContent();
    assert.ok(summary.includes(c.name), `${c.name}: summary ${JSON.stringify(summary)}`);
    assert.match(summary, new RegExp(`Rows\\s*${rows.toLocaleString('en-US')}(?!\\d)`), `${c.name}: rows in ${JSON.stringify(summary)}`);
    if (training.result === 'trains') {
      assert.equal(await errorText(), '', `${c.name}: an error after loading`);
      await andWait(() => $('train').click());
      assert.equal(await errorText(), '', `${c.name}: training failed`);
      const row = page.locator('[data-testid="results-table"] tr[data-model="if"]');
      assert.equal(await row.count(), 1, `${c.name}: no Isolation Forest result`);
      assert.match(await row.textContent(), /trained here/, `${c.name}: not the model trained on it`);
    } else {
      // The protocol (single file) is refused with the reason, e.g. no labels or no normal rows.
      assertContains(c, await errorText(), ['Could not apply the protocol', ...training.contains]);
    }
    await assertAlive(c);
  }
});

test('a zip archive holding several data files offers each, and the one chosen loads', async () => {
  const c = cases.find((x) => x.name === 'several.zip');
  assert.ok(c, 'the catalogue has several.zip');
  await andWait(() => $('test-file').setInputFiles(file(c)));
  const last = page.locator('#error .error-item').last();
  assertContains(c, await last.textContent(), ['holds 2 data files', 'Load KDDTrain+.txt', 'Load KDDTest+.txt']);
  assert.equal(await last.locator('button[data-choice]').count(), 2);
  await andWait(() => last.locator('button[data-choice="KDDTest+.txt"]').click());
  const summary = await page.locator('#test-summary').textContent();
  assert.ok(summary.includes('several.zip → KDDTest+.txt'), `summary ${JSON.stringify(summary)}`);
  assert.match(summary, /Rows\s*50(?!\d)/);
  await assertAlive(c);
});

test('a CSV whose label column has no recognisable name offers its columns, and the one chosen loads', async () => {
  const c = cases.find((x) => x.name === 'own-no-label-name.csv');
  assert.ok(c, 'the catalogue has own-no-label-name.csv');
  await andWait(() => $('train-file').setInputFiles(file(c)));
  const last = page.locator('#error .error-item').last();
  assertContains(c, await last.textContent(), ['choose its label column', 'Label: verdict', 'No labels (scores only)']);
  await andWait(() => last.locator('button[data-choice="verdict"]').click());
  assert.equal(await errorText(), '', `${c.name}: an error after choosing the label column`);
  const summary = await page.locator('#train-summary').textContent();
  assert.ok(summary.includes('own-no-label-name.csv'), `summary ${JSON.stringify(summary)}`);
  assert.match(summary, /Rows\s*200(?!\d)/);
  assert.match(summary, /CSV with a header/);
  assert.match(summary, /Normal\s*\d/);
  // The same file read without labels: scores only.
  await andWait(() => $('train-file').setInputFiles(file(c)));
  await andWait(() => page.locator('#error .error-item').last().locator('button[data-choice="(none)"]').click());
  assert.doesNotMatch(await page.locator('#train-summary').textContent(), /Normal\s*\d/);
  await assertAlive(c);
});
