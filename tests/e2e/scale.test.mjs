// Scale and memory in the page. A 4.9-million-row KDD file — ten copies of the
// KDD99 10% set, the later ones perturbed, made by the CLI's `enlarge` into a
// temporary folder and deleted afterwards (never committed) — is dropped on the
// page: read in slices, streamed, models trained on a seeded sample of normals,
// every other row scored. The tab's peak memory (the renderer process's VmHWM,
// which holds the page, the worker and both WebAssembly memories) must stay within
// 1 GB, and within 400 MB for the 10% set with the four bundled models. Figures
// are printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './browser.mjs';

const BASE = process.env.BASE_URL;
const DATA = process.env.NETANOMALY_DATA;
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = process.env.NETANOMALY_BIN || join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release/netanomaly');
const tmp = mkdtempSync(join(tmpdir(), 'netanomaly-scale-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Peak resident memory (MB) of each renderer process of the browser with `pid`. */
function rendererPeaksMb(pid) {
  const children = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1];
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(p);
    } catch { /* gone */ }
  }
  const peaks = [];
  const stack = [String(pid)];
  while (stack.length) {
    const p = stack.pop();
    for (const c of children.get(p) || []) {
      stack.push(c);
      try {
        if (!readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) continue;
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${c}/status`, 'utf8'))?.[1]);
        if (kb) peaks.push(kb / 1024);
      } catch { /* gone */ }
    }
  }
  return peaks;
}

/** The browser process: the one started with our marker switch. */
function browserPid(marker) {
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(marker) && !cmd.includes('--type=')) return p;
    } catch { /* gone */ }
  }
  throw new Error('browser process not found');
}

async function open() {
  const marker = `--netanomaly-scale-${process.pid}-${Date.now()}`;
  const browser = await launch([marker]);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { browser, page, errors, pid: browserPid(marker) };
}

const idle = (page, timeout = 900_000) => page.waitForFunction(() => document.body.dataset.ready === '1'
  && !('busy' in document.body.dataset)
  && /done$/.test(document.querySelector('[data-testid="status"]')?.textContent.trim() ?? ''), null, { timeout });

async function figures(page, pid) {
  await page.waitForFunction(() => document.body.dataset.workerMemory, null, { timeout: 30_000 });
  const mem = await page.evaluate(() => ({ worker: Number(document.body.dataset.workerMemory), page: Number(document.body.dataset.pageMemory) }));
  const peaks = rendererPeaksMb(pid);
  assert.ok(peaks.length > 0, 'a renderer process was found');
  return { workerMb: mem.worker / 2 ** 20, pageMb: mem.page / 2 ** 20, tabMb: Math.max(...peaks) };
}

async function auc(page, kind) {
  const text = await page.locator(`[data-testid="results-table"] tr[data-model="${kind}"] [data-field="roc_auc"]`).last().textContent();
  return Number(text.trim());
}

test('4.9 million rows: streamed, trained on a sample, every row scored, the tab within 1 GB', async () => {
  assert.ok(existsSync(BIN), `the CLI is needed to build the file: ${BIN} (cargo build --release)`);
  const big = join(tmp, 'kddcup-4.9M.csv.gz');
  execFileSync(BIN, ['enlarge', join(DATA, 'kdd99/kddcup.data_10_percent.gz'), big, '--copies', '10'], { stdio: 'inherit' });
  const { browser, page, errors, pid } = await open();
  try {
    await page.goto(BASE);
    await idle(page);
    const t0 = performance.now();
    await page.locator('[data-testid="train-file"]').setInputFiles(big);
    await page.waitForFunction(() => /4,940,210/.test(document.querySelector('#train-summary')?.textContent ?? ''), null, { timeout: 900_000 });
    await idle(page);
    const loaded = performance.now();
    const summary = await page.locator('#train-summary').textContent();
    assert.match(summary, /Large file, streamed/);
    assert.match(summary, /100,000 normal rows/);
    for (const k of ['lstm', 'deep']) await page.locator(`[data-testid="model-${k}"]`).uncheck();
    for (const k of ['if', 'dense']) await page.locator(`[data-testid="model-${k}"]`).check();
    const t1 = performance.now();
    await page.locator('[data-testid="train"]').click();
    await idle(page);
    const trained = performance.now();
    for (const kind of ['if', 'dense']) {
      const a = await auc(page, kind);
      assert.ok(a > 0.9, `${kind}: AUC ${a} on 4,840,210 rows`);
    }
    assert.match(await page.textContent('body'), /4,840,210/);
    const f = await figures(page, pid);
    console.log(`page, 4,940,210 rows (.gz ${(readFileSync(big).length / 1e6).toFixed(1)} MB): read and surveyed ${((loaded - t0) / 1000).toFixed(1)} s; `
      + `IF + dense trained on 100,000 sampled normals and each scored on 4,840,210 rows, charts drawn: ${((trained - t1) / 1000).toFixed(1)} s; `
      + `peak tab memory ${f.tabMb.toFixed(0)} MB (worker wasm ${f.workerMb.toFixed(0)} MB, page wasm ${f.pageMb.toFixed(0)} MB)`);
    assert.ok(f.tabMb <= 1024, `the tab peaked at ${f.tabMb.toFixed(0)} MB (target ≤ 1 GB)`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the KDD99 10% set with the four bundled models: the tab within 400 MB', async () => {
  const { browser, page, errors, pid } = await open();
  try {
    await page.goto(BASE);
    await idle(page);
    const t0 = performance.now();
    await page.locator('[data-testid="train-file"]').setInputFiles(join(DATA, 'kdd99/kddcup.data_10_percent.gz'));
    await page.waitForFunction(() => /494,021/.test(document.querySelector('#train-summary')?.textContent ?? ''), null, { timeout: 600_000 });
    await idle(page);
    assert.doesNotMatch(await page.locator('#train-summary').textContent(), /streamed/);
    await page.locator('[data-testid="bundled"]').click();
    await idle(page);
    const done = performance.now();
    for (const kind of ['if', 'dense', 'lstm', 'deep']) assert.ok(await auc(page, kind) > 0.9, kind);
    const f = await figures(page, pid);
    console.log(`page, KDD99 10% (494,021 rows, held) with the 4 bundled models: ${((done - t0) / 1000).toFixed(1)} s; `
      + `peak tab memory ${f.tabMb.toFixed(0)} MB (worker wasm ${f.workerMb.toFixed(0)} MB, page wasm ${f.pageMb.toFixed(0)} MB)`);
    assert.ok(f.tabMb <= 400, `the tab peaked at ${f.tabMb.toFixed(0)} MB (target ≤ 400 MB)`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
