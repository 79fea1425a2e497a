// How every e2e script starts Debian's Chromium, or Debian's Firefox (never a
// downloaded browser): headless, no background traffic to outside hosts, a fresh
// temporary profile; and the project's CLI, for figures computed natively beside the
// page's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

const ROOT = new URL('../../', import.meta.url).pathname;

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** What the page shows about its progress (run in the page): idle, and the why when it is not. */
function progress() {
  const d = document.body.dataset;
  const status = document.querySelector('[data-testid="status"]')?.textContent.trim() ?? '';
  return {
    idle: d.ready === '1' && !('busy' in d) && /done$/.test(status),
    ready: d.ready ?? null, busy: d.busy ?? null, threads: d.threads ?? null, status,
    errors: [...document.querySelectorAll('[data-testid="error"] .error-item p')].map((p) => p.textContent),
  };
}

/**
 * Wait until the page (Playwright's or puppeteer's) is idle: the worker started, no
 * request out (`data-busy` names those that are), and the status ends "done". On a
 * timeout the error says what the page last showed, or that it stopped answering.
 */
export async function waitIdle(page, timeout = 180_000) {
  const deadline = Date.now() + timeout;
  let last = 'nothing yet';
  for (;;) {
    // A page busy in its main thread does not answer: give up on that evaluate, not the wait.
    const seen = await Promise.race([page.evaluate(progress).catch((e) => `evaluate failed: ${e.message}`), sleep(10_000).then(() => null)]);
    if (seen && typeof seen === 'object' && seen.idle) return;
    last = seen === null ? `the page did not answer for 10 s (after: ${last})` : JSON.stringify(seen);
    if (Date.now() > deadline) throw new Error(`the page was not idle after ${timeout / 1000} s; it showed ${last}`);
    await sleep(100);
  }
}

/** The CLI: $NETANOMALY_BIN, else built with scripts/test.sh's features under $CARGO_TARGET_DIR (or target/). */
export function netanomaly() {
  if (process.env.NETANOMALY_BIN) return process.env.NETANOMALY_BIN;
  const build = spawnSync('cargo', ['build', '--release', '--features', 'ndarray'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(build.status, 0, 'cargo build --release --features ndarray failed');
  const target = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
  return join(target, 'release', 'netanomaly');
}

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

/**
 * Debian's stock Firefox (firefox-esr) over WebDriver BiDi, driven by puppeteer-core
 * (Playwright's Firefox is a patched build that only a download brings). puppeteer
 * makes a fresh temporary profile with its test preferences (no updates, no safe
 * browsing, no data reporting, …); these close what is left that would reach out.
 * Downloads go to `downloadDir`, without a dialog; `prefs` are set over these.
 */
export function launchFirefox({ downloadDir, prefs = {} } = {}) {
  const off = 'http://127.0.0.1:1/';
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr',
    headless: true,
    // A cold start (the first in a while) took 20-30 s here, past puppeteer's 30 s default.
    timeout: 120_000,
    extraPrefsFirefox: {
      'app.update.auto': false,
      'app.update.enabled': false,
      'app.update.url': off,
      'app.normandy.enabled': false,
      'app.shield.optoutstudies.enabled': false,
      'browser.aboutHomeSnippets.updateUrl': off,
      'browser.discovery.enabled': false,
      'browser.newtabpage.activity-stream.feeds.section.topstories': false,
      'browser.newtabpage.activity-stream.feeds.snippets': false,
      'browser.newtabpage.activity-stream.telemetry': false,
      'browser.ping-centre.telemetry': false,
      'browser.region.network.url': '',
      'browser.region.update.enabled': false,
      'browser.safebrowsing.provider.google.updateURL': off,
      'browser.safebrowsing.provider.google4.updateURL': off,
      'browser.safebrowsing.provider.mozilla.updateURL': off,
      'browser.topsites.contile.enabled': false,
      'captivedetect.canonicalURL': '',
      'datareporting.healthreport.uploadEnabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'dom.push.connection.enabled': false,
      'dom.push.serverURL': '',
      'extensions.blocklist.enabled': false,
      'extensions.getAddons.showPane': false,
      'geo.provider.network.url': '',
      'messaging-system.rsexperimentloader.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'network.dns.disablePrefetch': true,
      'network.predictor.enabled': false,
      'network.prefetch-next': false,
      'network.trr.mode': 5,
      'toolkit.telemetry.archive.enabled': false,
      'toolkit.telemetry.enabled': false,
      'toolkit.telemetry.server': '',
      'toolkit.telemetry.unified': false,
      'browser.download.dir': downloadDir || '',
      'browser.download.folderList': downloadDir ? 2 : 1,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.manager.showWhenStarting': false,
      'browser.download.alwaysOpenPanel': false,
      ...prefs,
    },
  });
}

/** Unfold the page's Setup panel (data, protocol, models) if it is folded. */
export async function openSetup(page) {
  const toggle = page.locator('[data-testid="setup-toggle"]');
  if (await toggle.isVisible() && await toggle.getAttribute('aria-expanded') === 'false') await toggle.click();
}

/** Open one of the page's views: dashboard, attacks, mistake, runs, exports. */
export async function showView(page, name) {
  await page.locator(`[data-testid="view-tab-${name}"]`).click();
}

/** The boxes of what the first screen must hold, for the model shown in detail (a Playwright or Puppeteer page). */
export async function firstScreen(p) {
  return p.evaluate(() => {
    const sel = document.body.dataset.selected;
    const visible = (el) => el && el.getClientRects().length > 0;
    const pick = (selector) => [...document.querySelectorAll(selector)].find(visible) || null;
    const parts = {
      table: pick('[data-testid="results-table"]'),
      roc: pick('canvas[data-chart="roc"]'),
      histogram: pick(`canvas[data-chart="histogram-${sel}"]`),
      confusion: pick(`canvas[data-chart="confusion-${sel}"]`),
      slider: pick(`[data-testid="threshold-${sel}"]`),
      value: pick(`[data-testid="threshold-value-${sel}"]`),
      metrics: pick(`[data-testid="confusion-${sel}"]`),
    };
    return { sel, boxes: Object.fromEntries(Object.entries(parts).map(([k, el]) => {
      if (!el) return [k, null];
      const r = el.getBoundingClientRect();
      return [k, { x: r.x, y: r.y, right: r.right, bottom: r.bottom }];
    })) };
  });
}

export function assertInside({ sel, boxes }, width, height, when) {
  for (const [name, b] of Object.entries(boxes)) {
    assert.ok(b, `${when}: ${name} of ${sel} is not shown`);
    assert.ok(b.x >= 0 && b.y >= 0 && b.right <= width && b.bottom <= height,
      `${when}: ${name} of ${sel} at ${JSON.stringify(b)} is outside ${width}×${height}`);
  }
}

/**
 * The first visit's sample (20,000 rows, seed 42, 35 % attacks) made and scored by
 * the CLI with the bundled Isolation Forest file, in folder `dir`: returns the
 * confusion counts at a threshold under the page's strict `>` rule.
 */
export function cliCountsOfTheSample(dir) {
  const cli = netanomaly();
  const run = (args) => {
    const r = spawnSync(cli, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `netanomaly ${args.join(' ')}: ${r.stderr}`);
  };
  run(['sample', join(dir, 'sample.csv'), '--rows', '20000', '--attack-share', '0.35', '--seed', '42']);
  run(['score', '--model-file', join(ROOT, 'www/models/kdd99/if.nam'), join(dir, 'sample.csv'), '--out', join(dir, 'out')]);
  const csv = readdirSync(join(dir, 'out')).find((f) => /^predictions_.*\.csv$/.test(f));
  assert.ok(csv, 'the CLI wrote a predictions file');
  const rows = readFileSync(join(dir, 'out', csv), 'utf8').trim().split('\n').slice(1).map((l) => {
    const [, score, , truth] = l.split(',');
    return [Number(score), truth === '1'];
  });
  assert.equal(rows.length, 20000);
  return (t) => {
    const c = { tn: 0, fp: 0, fn: 0, tp: 0 };
    for (const [s, attack] of rows) c[attack ? (s > t ? 'tp' : 'fn') : (s > t ? 'fp' : 'tn')] += 1;
    return c;
  };
}

/**
 * Sweep the pointer over the top left of the ROC canvas (`box`, its bounding box)
 * until the page reads a curve point; returns the readout's data (and its text) and
 * where the pointer was. Works with a Playwright or a Puppeteer page.
 */
export async function sweepRoc(page, box) {
  let hit = null;
  let at = null;
  for (let fx = 0.12; fx < 0.6 && !hit; fx += 0.03) {
    for (const fy of [0.2, 0.3, 0.45]) {
      at = [box.x + box.width * fx, box.y + box.height * fy];
      await page.mouse.move(...at);
      hit = await page.evaluate(() => {
        const r = document.querySelector('[data-testid="readout-roc"]');
        return r && !r.hidden && r.dataset.threshold && r.dataset.threshold !== 'null' ? { ...r.dataset, text: r.textContent } : null;
      });
      if (hit) break;
    }
  }
  return { hit, at };
}

/**
 * On a focused chart, four ArrowLefts lower the slider four steps (0.0005 each) and
 * flag more rows; Page Up raises it twenty. `read()` gives `{q, threshold, flagged}`
 * of the model in detail; `start` is its reading before.
 */
export async function keysMoveTheThreshold(page, read, start) {
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  const lower = await read();
  assert.ok(Math.abs(lower.q - (start.q - 4 * 0.0005)) < 1e-9, `slider ${start.q} → ${lower.q}`);
  assert.ok(lower.threshold < start.threshold, `threshold ${start.threshold} → ${lower.threshold}`);
  assert.ok(lower.flagged > start.flagged, 'a lower threshold flags more rows');
  await page.keyboard.press('PageUp');
  const higher = await read();
  assert.ok(Math.abs(higher.q - (lower.q + 20 * 0.0005)) < 1e-9, `Page Up: slider ${lower.q} → ${higher.q}`);
  assert.ok(higher.threshold > lower.threshold);
}

/** Share of a canvas's pixels that differ from its top-left (background) pixel. */
export function inkOf(page, selector) {
  return page.$eval(selector, (c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) painted++;
    }
    return painted / (data.length / 4);
  });
}
