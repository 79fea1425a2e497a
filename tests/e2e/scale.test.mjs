// Scale and memory in the page. A 4.9-million-row KDD file — ten copies of the
// KDD99 10% set, the later ones perturbed, made by the CLI's `enlarge` into a
// temporary folder and deleted afterwards (never committed) — is dropped on the
// page: read in slices, streamed, models trained on a seeded sample of normals,
// every other row scored. The tab's peak memory (the renderer process's VmHWM,
// which holds the page, the worker and both WebAssembly memories) must stay within
// 1 GB, and within 300 MB for the 10% set with the four bundled models. Figures
// are printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openSetup, waitIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const DATA = process.env.NETANOMALY_DATA;
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = process.env.NETANOMALY_BIN || join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release/netanomaly');
const tmp = mkdtempSync(join(tmpdir(), 'netanomaly-scale-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The renderer processes (page and its workers) under the browser with `pid`. */
function rendererPids(pid) {
  const children = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1];
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(p);
    } catch { /* gone */ }
  }
  const out = [];
  const stack = [String(pid)];
  while (stack.length) {
    for (const c of children.get(stack.pop()) || []) {
      stack.push(c);
      try {
        if (readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) out.push(c);
      } catch { /* gone */ }
    }
  }
  return out;
}

const statusKb = (c, key) => {
  try {
    return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${c}/status`, 'utf8'))?.[1] || 0);
  } catch { return 0; }
};

/**
 * Watch the tab's memory until stopped: the peak resident set (VmHWM, which also
 * counts the pages of the Chromium binary it maps) and the peak private memory
 * (anonymous + shared-memory pages, polled every 100 ms: what the page itself
 * allocates — its JS heaps, WebAssembly memories, canvases — plus Chromium's own
 * per-tab state).
 */
function watchMemory(pid) {
  let privatePeak = 0;
  const poll = () => {
    for (const c of rendererPids(pid)) privatePeak = Math.max(privatePeak, (statusKb(c, 'RssAnon') + statusKb(c, 'RssShmem')) / 1024);
  };
  poll();
  const timer = setInterval(poll, 100);
  return {
    stop() {
      clearInterval(timer);
      poll();
      const hwm = Math.max(0, ...rendererPids(pid).map((c) => statusKb(c, 'VmHWM') / 1024));
      return { privateMb: privatePeak, residentMb: hwm };
    },
  };
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

const idle = (page, timeout = 900_000) => waitIdle(page, timeout);

/** Stop `watch` and add the WebAssembly memories (the page reports them when idle). */
async function figures(page, watch) {
  await page.waitForFunction(() => document.body.dataset.workerMemory, null, { timeout: 30_000 });
  const mem = await page.evaluate(() => ({ worker: Number(document.body.dataset.workerMemory), page: Number(document.body.dataset.pageMemory) }));
  const { privateMb, residentMb } = watch.stop();
  assert.ok(privateMb > 0, 'the renderer process was found');
  return { workerMb: mem.worker / 2 ** 20, pageMb: mem.page / 2 ** 20, privateMb, residentMb };
}

const describe = (f) => `peak tab memory ${f.privateMb.toFixed(0)} MB private (${f.residentMb.toFixed(0)} MB resident with the mapped Chromium binary); `
  + `WebAssembly memory: worker ${f.workerMb.toFixed(0)} MB, page ${f.pageMb.toFixed(0)} MB`;

async function auc(page, kind) {
  const text = await page.locator(`[data-testid="results-table"] tr[data-model="${kind}"] [data-field="roc_auc"]`).last().textContent();
  return Number(text.trim());
}

test('4.9 million rows: streamed, trained on a sample, every row scored, the tab within 1 GB', async () => {
  assert.ok(existsSync(BIN), `the CLI is needed to build the file: ${BIN} (cargo build --release)`);
  const big = join(tmp, 'kddcup-4.9M.csv.gz');
  execFileSync(BIN, ['enlarge', join(DATA, 'kdd99/kddcup.data_10_percent.gz'), big, '--copies', '10'], { stdio: 'inherit' });
  const { browser, page, errors, pid } = await open();
  const watch = watchMemory(pid);
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
    await openSetup(page);
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
    const f = await figures(page, watch);
    console.log(`page, 4,940,210 rows (.gz ${(readFileSync(big).length / 1e6).toFixed(1)} MB): read and surveyed ${((loaded - t0) / 1000).toFixed(1)} s; `
      + `IF + dense trained on 100,000 sampled normals and each scored on 4,840,210 rows, charts drawn: ${((trained - t1) / 1000).toFixed(1)} s; ${describe(f)}`);
    assert.ok(f.privateMb <= 1024, `the tab peaked at ${f.privateMb.toFixed(0)} MB (target ≤ 1 GB)`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the KDD99 10% set with the four bundled models: the tab within 300 MB', async () => {
  const { browser, page, errors, pid } = await open();
  try {
    const rest = watchMemory(pid);
    await page.goto(BASE);
    await idle(page);
    console.log(`page at rest (the built-in sample, 4 models trained): ${describe(await figures(page, rest))}`);
    const watch = watchMemory(pid);
    const t0 = performance.now();
    await page.locator('[data-testid="train-file"]').setInputFiles(join(DATA, 'kdd99/kddcup.data_10_percent.gz'));
    await page.waitForFunction(() => /494,021/.test(document.querySelector('#train-summary')?.textContent ?? ''), null, { timeout: 600_000 });
    await idle(page);
    assert.doesNotMatch(await page.locator('#train-summary').textContent(), /streamed/);
    await page.locator('[data-testid="bundled"]').click();
    await idle(page);
    const done = performance.now();
    for (const kind of ['if', 'dense', 'lstm', 'deep']) assert.ok(await auc(page, kind) > 0.9, kind);
    const f = await figures(page, watch);
    console.log(`page, KDD99 10% (494,021 rows, held) with the 4 bundled models: ${((done - t0) / 1000).toFixed(1)} s; ${describe(f)}`);
    assert.ok(f.privateMb <= 300, `the tab peaked at ${f.privateMb.toFixed(0)} MB (target ≤ 300 MB)`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

/** Load `file` (made by the CLI's `sample`) and train Isolation Forest and the dense autoencoder on it. */
async function flows(format, rows, attackShare, minAuc) {
  assert.ok(existsSync(BIN), `the CLI is needed to build the file: ${BIN} (cargo build --release)`);
  const file = join(tmp, `${format}.csv`);
  execFileSync(BIN, ['sample', file, '--format', format, '--rows', String(rows), '--attack-share', String(attackShare), '--seed', '7'], { stdio: 'inherit' });
  // The rows the page must show: the CLI's count (CIC-IDS2017's Infinity/NaN rows left out).
  const inspected = execFileSync(BIN, ['inspect', file], { encoding: 'utf8' });
  const expectRows = Number(/\((\d+) rows/.exec(inspected)?.[1]);
  assert.ok(expectRows > 0 && expectRows <= rows, inspected);
  const { browser, page, errors, pid } = await open();
  try {
    await page.goto(BASE);
    await idle(page);
    const watch = watchMemory(pid);
    const t0 = performance.now();
    await page.locator('[data-testid="train-file"]').setInputFiles(file);
    const shown = expectRows.toLocaleString('en-US');
    await page.waitForFunction((n) => (document.querySelector('#train-summary')?.textContent ?? '').includes(n), shown, { timeout: 600_000 });
    await idle(page);
    const loaded = performance.now();
    await openSetup(page);
    for (const k of ['lstm', 'deep']) await page.locator(`[data-testid="model-${k}"]`).uncheck();
    for (const k of ['if', 'dense']) await page.locator(`[data-testid="model-${k}"]`).check();
    await page.locator('[data-testid="train"]').click();
    await idle(page);
    const trained = performance.now();
    const aucs = {};
    for (const kind of ['if', 'dense']) {
      aucs[kind] = await auc(page, kind);
      assert.ok(aucs[kind] > minAuc, `${format} ${kind}: AUC ${aucs[kind]}`);
    }
    const f = await figures(page, watch);
    console.log(`page, ${format} (${shown} rows, ${(readFileSync(file).length / 1e6).toFixed(0)} MB): read ${((loaded - t0) / 1000).toFixed(1)} s; `
      + `IF + dense trained and scored, charts drawn: ${((trained - loaded) / 1000).toFixed(1)} s; AUC IF ${aucs.if}, dense ${aucs.dense}; ${describe(f)}`);
    assert.deepEqual(errors, []);
    return f;
  } finally {
    await browser.close();
  }
}

test('UNSW-NB15 at its training set\'s size (175,341 rows): read by its header, IF and dense trained in the tab', async () => {
  const f = await flows('unsw-nb15', 175_341, 0.68, 0.7);
  assert.ok(f.privateMb <= 1024, `the tab peaked at ${f.privateMb.toFixed(0)} MB`);
});

test('a CIC-IDS2017 day file (700,000 rows, Infinity rows left out): IF and dense trained in the tab', async () => {
  const f = await flows('cic-ids2017', 700_000, 0.37, 0.55);
  assert.ok(f.privateMb <= 1536, `the tab peaked at ${f.privateMb.toFixed(0)} MB`);
});
