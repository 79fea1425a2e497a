// End-to-end: the dashboard (issue 10, item 1) at 1366×768 in headless Chromium —
// after the first visit and after loading the bundled models, the results table,
// the ROC overlay and the selected model's histogram, confusion matrix, slider and
// metrics lie in the first screen; a results row or a model tab swaps the detail in
// place (keyboard too); the threshold box shows its whole value; every view is at
// most three screens tall; screenshots of the first screen at 1366×768 and
// 1280×720, light and dark, go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInside, cliCountsOfTheSample, firstScreen, launch, netanomaly, keysMoveTheThreshold, showView, sweepRoc, waitIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const W = 1366;
const H = 768;
let browser;
const consoleErrors = [];

before(async () => {
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => { await browser?.close(); });

async function open(url, viewport = { width: W, height: H }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  await waitIdle(page);
  return { context, page };
}


/** The visible detail panel's model, and whether the chosen tab says so. */
async function detailShown(p) {
  return p.evaluate(() => {
    const shown = [...document.querySelectorAll('#model-details > .detail')].filter((d) => !d.hidden);
    const tab = document.querySelector('#model-tabs [aria-selected="true"]');
    return { shown: shown.map((d) => d.dataset.suffix), tab: tab?.dataset.suffix, row: document.querySelector('#results-table tr.selected')?.dataset.suffix };
  });
}

test('first visit: table, ROC and the selected model\'s histogram, matrix, slider and metrics fit 1366×768', async () => {
  const { context, page } = await open(BASE);
  try {
    assert.equal(await page.locator('[data-testid="setup-toggle"]').getAttribute('aria-expanded'), 'false', 'Setup folded once results came');
    await page.evaluate(() => window.scrollTo(0, 0));
    assertInside(await firstScreen(page), W, H, 'first visit');
  } finally {
    await context.close();
  }
});

test('bundled models: first screen at 1366×768, rows and tabs swap the detail, screenshots light and dark', async () => {
  const { context, page } = await open(`${BASE}#run=bundled&theme=light`);
  try {
    assert.equal(await page.locator('[data-testid="results-table"] tbody tr[data-model]').count(), 4, 'four bundled models');
    await page.evaluate(() => window.scrollTo(0, 0));
    const screen = await firstScreen(page);
    assert.equal(screen.sel, 'if', 'the first model is in detail');
    assertInside(screen, W, H, 'bundled, 1366×768');

    // The threshold box shows the whole value (no digits cut).
    const cut = await page.$$eval('#model-details .thr-value', (inputs) => inputs.filter((i) => i.getClientRects().length && i.scrollWidth > i.clientWidth).map((i) => i.value));
    assert.deepEqual(cut, [], 'threshold boxes too narrow for their value');

    // A click on another row swaps the detail in place: one panel shown, same place.
    const before = (await firstScreen(page)).boxes.histogram;
    await page.locator('[data-testid="results-table"] tbody tr[data-model="lstm"]').click();
    assert.deepEqual(await detailShown(page), { shown: ['lstm'], tab: 'lstm', row: 'lstm' });
    const after = await firstScreen(page);
    assert.equal(after.sel, 'lstm');
    assert.deepEqual(after.boxes.histogram, before, 'the detail is swapped in place');
    assertInside(after, W, H, 'after choosing the LSTM row');
    await page.waitForFunction(() => /(^|&)sel=lstm(&|$)/.test(location.hash.slice(1)));
    // Keyboard: the model tabs (arrow right moves to the next model and shows it).
    await page.locator('[data-testid="model-tab-lstm"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await detailShown(page), { shown: ['deep'], tab: 'deep', row: 'deep' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.suffix), 'deep');
    // The chart tabs: precision–recall in place of ROC, and back.
    await page.locator('[data-testid="curve-tab-pr"]').click();
    assert.equal(await page.locator('canvas[data-chart="pr"]').isVisible(), true);
    assert.equal(await page.locator('canvas[data-chart="roc"]').isVisible(), false);
    await page.locator('[data-testid="curve-tab-roc"]').click();
    await page.locator('[data-testid="results-table"] tbody tr[data-model="if"]').click();

    // Screenshots of the first screen: 1366×768 and 1280×720, light and dark.
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.locator('[data-testid="theme-toggle"]').click();
        await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      }
      for (const [w, h] of [[1366, 768], [1280, 720]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.waitForTimeout(400); // the charts redraw at their new size
        await page.evaluate(() => window.scrollTo(0, 0));
        assertInside(await firstScreen(page), w, h, `${theme} ${w}×${h}`);
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-${theme}-${w}x${h}.png`) });
      }
    }
    await page.setViewportSize({ width: W, height: H });
  } finally {
    await context.close();
  }
});

test('every view is at most three screens tall at 1366×768 (heights printed)', async () => {
  const { context, page } = await open(`${BASE}#run=bundled`);
  try {
    // Fill the views as a class would: the demonstration run, a per-attack breakdown.
    await showView(page, 'mistake');
    await page.locator('[data-testid="mistake-run"]').click();
    await waitIdle(page);
    await page.waitForFunction(() => document.querySelector('#mistake').dataset.ready === '1');
    await showView(page, 'attacks');
    await page.waitForFunction(() => document.querySelector('#attacks').dataset.ready === '1');
    const heights = {};
    for (const view of ['dashboard', 'attacks', 'mistake', 'runs', 'exports']) {
      await showView(page, view);
      assert.equal(await page.locator(`[data-testid="view-tab-${view}"]`).getAttribute('aria-selected'), 'true');
      await page.waitForTimeout(200);
      heights[view] = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.match(await page.evaluate(() => location.hash), view === 'dashboard' ? /^(?!.*view=)/ : new RegExp(`view=${view}`));
    }
    console.log(`view heights at ${W}×${H} (page scroll height, px): ${JSON.stringify(heights)}`);
    for (const [view, px] of Object.entries(heights)) assert.ok(px <= 3 * H, `${view} is ${px} px tall (> ${3 * H})`);
  } finally {
    await context.close();
  }
  assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), [], 'console errors');
});

test('a link opens its view and its model in detail (view=, sel=); hide= drops a view\'s tab; the nav works by keyboard', async () => {
  const { context, page } = await open(`${BASE}#run=bundled&view=runs&sel=dense&hide=attacks,data,protocol,models`);
  try {
    assert.equal(await page.locator('[data-testid="view-tab-runs"]').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#view-runs').isVisible(), true);
    assert.equal(await page.locator('#view-dashboard').isHidden(), true);
    assert.equal(await page.locator('[data-testid="view-tab-attacks"]').isHidden(), true, 'a hidden panel\'s view has no tab');
    assert.equal(await page.locator('#setup').isHidden(), true, 'no Setup panel when data, protocol and models are hidden');
    await showView(page, 'dashboard');
    assert.deepEqual(await detailShown(page), { shown: ['dense'], tab: 'dense', row: 'dense' });
    // Keyboard: arrows move along the views nav (skipping the hidden one), Home goes back.
    await page.locator('[data-testid="view-tab-dashboard"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('[data-testid="view-tab-mistake"]').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#view-mistake').isVisible(), true);
    await page.waitForFunction(() => /view=mistake/.test(location.hash));
    await page.keyboard.press('Home');
    assert.equal(await page.locator('#view-dashboard').isVisible(), true);
  } finally {
    await context.close();
  }
});

test('keyboard on a focused chart: arrows move the threshold of the model in detail one slider step', async () => {
  const { context, page } = await open(`${BASE}#run=bundled`);
  try {
    const read = () => page.evaluate(() => {
      const sel = document.body.dataset.selected;
      const dl = document.querySelector(`[data-testid="confusion-${sel}"]`).dataset;
      return { sel, q: Number(document.querySelector(`[data-testid="threshold-${sel}"]`).value), threshold: Number(dl.threshold), flagged: Number(dl.tp) + Number(dl.fp) };
    });
    const start = await read();
    assert.equal(start.sel, 'if');
    await page.locator('canvas[data-chart="histogram-if"]').focus();
    await keysMoveTheThreshold(page, read, start);
    // The ROC chart moves the model in detail too (here the dense autoencoder), and the link follows.
    await page.locator('[data-testid="model-tab-dense"]').click();
    const dense = await read();
    await page.locator('canvas[data-chart="roc"]').focus();
    await page.keyboard.press('Shift+ArrowRight');
    const moved = await read();
    assert.equal(moved.sel, 'dense');
    assert.ok(Math.abs(moved.q - (dense.q + 20 * 0.0005)) < 1e-9, `Shift+→: slider ${dense.q} → ${moved.q}`);
    await page.waitForFunction((t) => new URLSearchParams(location.hash.slice(1)).get('thr.dense') === String(t), moved.threshold);
  } finally {
    await context.close();
  }
});

test('charts you can touch: ROC hover reads a point and a click sets it; histogram click and drag; matrix hover', async () => {
  const { context, page } = await open(`${BASE}#run=bundled`);
  try {
    const state = (sel) => page.evaluate((s) => ({ ...document.querySelector(`[data-testid="confusion-${s}"]`).dataset }), sel);
    // ROC: sweep the pointer along the top-left of the plot until a point is picked.
    const roc = page.locator('canvas[data-chart="roc"]');
    const box = await roc.boundingBox();
    const { hit, at } = await sweepRoc(page, box);
    assert.ok(hit, 'a ROC point under the pointer');
    assert.ok(['if', 'dense', 'lstm', 'deep'].includes(hit.kind), `kind ${hit.kind}`);
    assert.equal(await page.locator('[data-testid="readout-roc"] + .marker').isVisible(), true, 'a marker on the point');
    // Click the point: that model comes into detail at exactly that threshold, with the point's rates.
    await page.mouse.click(...at);
    const sel = await page.evaluate(() => document.body.dataset.selected);
    assert.equal(sel, hit.kind, 'the clicked model is in detail');
    const c = await state(sel);
    assert.equal(Number(c.threshold), Number(hit.threshold), 'its threshold is the point\'s');
    const [tp, fn, fp, tn] = ['tp', 'fn', 'fp', 'tn'].map((k) => Number(c[k]));
    assert.ok(Math.abs(tp / (tp + fn) - Number(hit.tpr)) < 1e-9, `TPR ${tp / (tp + fn)} vs ${hit.tpr}`);
    assert.ok(Math.abs(fp / (fp + tn) - Number(hit.fpr)) < 1e-9, `FPR ${fp / (fp + tn)} vs ${hit.fpr}`);
    await page.waitForFunction(([k, t]) => new URLSearchParams(location.hash.slice(1)).get(`thr.${k}`) === t, [sel, hit.threshold]);

    // Histogram: a click sets the threshold at the score under the pointer; right of it is higher; a drag moves it.
    const hist = page.locator(`canvas[data-chart="histogram-${sel}"]`);
    const hb = await hist.boundingBox();
    await page.mouse.click(hb.x + hb.width * 0.45, hb.y + hb.height * 0.5);
    const t1 = Number((await state(sel)).threshold);
    assert.ok(t1 !== Number(hit.threshold), 'the histogram click moved the threshold');
    await page.mouse.move(hb.x + hb.width * 0.45, hb.y + hb.height * 0.5);
    assert.match(await page.locator(`[data-testid="readout-histogram-${sel}"]`).textContent(), /normal [\d,]+ · attack [\d,]+/);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width * 0.55, hb.y + hb.height * 0.5, { steps: 4 });
    await page.mouse.move(hb.x + hb.width * 0.7, hb.y + hb.height * 0.5, { steps: 4 });
    await page.mouse.up();
    const t2 = Number((await state(sel)).threshold);
    assert.ok(t2 > t1, `dragged right: ${t1} → ${t2}`);
    assert.equal(Number(await page.locator(`[data-testid="threshold-value-${sel}"]`).inputValue()), t2, 'the exact box follows');

    // Confusion matrix: hovering a cell reads its count, one of the four at this threshold.
    const conf = page.locator(`canvas[data-chart="confusion-${sel}"]`);
    const cb = await conf.boundingBox();
    await page.mouse.move(cb.x + cb.width * 0.7, cb.y + cb.height * 0.45);
    const cell = await page.evaluate((s) => ({ ...document.querySelector(`[data-testid="readout-confusion-${s}"]`).dataset }), sel);
    const now = await state(sel);
    assert.ok(['tn', 'fp', 'fn', 'tp'].some((k) => Number(now[k]) === Number(cell.count)), `cell count ${cell.count} in ${JSON.stringify(now)}`);
  } finally {
    await context.close();
  }
});

test('a histogram click sets the slider, and the matrix then equals the CLI\'s counts at that threshold', async () => {
  // Natively: the same sample the first visit makes (20,000 rows, seed 42, 35 % attacks),
  // scored by the CLI with the same bundled model file.
  const dir = mkdtempSync(join(tmpdir(), 'netanomaly-cli-'));
  try {
    const counts = cliCountsOfTheSample(dir);

    const { context, page } = await open(`${BASE}#run=bundled&sel=if`);
    try {
      const hist = page.locator('canvas[data-chart="histogram-if"]');
      const hb = await hist.boundingBox();
      for (const fx of [0.3, 0.5, 0.65]) {
        await page.mouse.click(hb.x + hb.width * fx, hb.y + hb.height * 0.5);
        const shown = await page.evaluate(() => ({ ...document.querySelector('[data-testid="confusion-if"]').dataset }));
        const t = Number(shown.threshold);
        assert.equal(Number(await page.locator('[data-testid="threshold-value-if"]').inputValue()), t, 'the exact box follows');
        const page4 = Object.fromEntries(['tn', 'fp', 'fn', 'tp'].map((k) => [k, Number(shown[k])]));
        assert.deepEqual(page4, counts(t), `at threshold ${t}`);
      }
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reply to a request that a newer one superseded is dropped by its id', async () => {
  const context = await browser.newContext({ viewport: { width: W, height: H }, colorScheme: 'light' });
  // Once the test says so, hold the page's next breakdown request back and deliver it
  // after the one that follows: its reply then arrives after the newer request's.
  await context.addInitScript(() => {
    const Base = window.Worker;
    let held = null;
    let reordered = false;
    window.Worker = class extends Base {
      postMessage(msg, transfer) {
        if (msg?.request?.type === 'breakdown' && window.__reorder && !reordered) {
          if (!held) {
            held = [msg, transfer];
            return;
          }
          reordered = true;
          super.postMessage(msg, transfer);
          super.postMessage(...held);
          return;
        }
        super.postMessage(msg, transfer);
      }
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}#run=bundled&view=attacks`);
    await waitIdle(page);
    await page.waitForFunction(() => document.querySelector('#attacks').dataset.ready === '1', null, { timeout: 30_000 });
    const before = await page.evaluate(() => Number(document.querySelector('#attacks').dataset.dropped || 0));
    await page.evaluate(() => { window.__reorder = true; });
    for (const n of ['7', '9']) {
      await page.locator('[data-testid="attack-top"]').fill(n);
      await page.locator('[data-testid="attack-top"]').dispatchEvent('change');
      await page.waitForTimeout(400); // past the page's 120 ms debounce: one request each
    }
    await page.waitForFunction((b) => Number(document.querySelector('#attacks').dataset.dropped || 0) === b + 1, before, { timeout: 30_000 });
    assert.match(await page.locator('[data-testid="attack-summary"]').textContent(), /the 9 highest-scoring records/,
      'the newer request\'s answer is the one shown');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => Number(document.querySelector('#attacks').dataset.dropped)), before + 1, 'one reply dropped');
  } finally {
    await context.close();
  }
});

test('hi-DPI: every drawn dashboard canvas has a backing store of its CSS size × devicePixelRatio', async () => {
  const context = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}#run=bundled`);
    await waitIdle(page);
    const sizes = await page.$$eval('#view-dashboard canvas', (cs) => cs.filter((c) => c.clientWidth > 0)
      .map((c) => ({ chart: c.dataset.chart, css: [c.clientWidth, c.clientHeight], store: [c.width, c.height] })));
    assert.ok(sizes.length >= 3, `canvases shown: ${sizes.length}`);
    for (const s of sizes) {
      assert.deepEqual(s.store, [Math.round(s.css[0] * 2), Math.round(s.css[1] * 2)], `${s.chart}: ${JSON.stringify(s)}`);
    }
  } finally {
    await context.close();
  }
});
