// How every e2e script starts Debian's Chromium, or Debian's Firefox (never a
// downloaded browser): headless, no background traffic to outside hosts, a fresh
// temporary profile; and the project's CLI, for figures computed natively beside the
// page's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

const ROOT = new URL('../../', import.meta.url).pathname;

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
 * Downloads go to `downloadDir`, without a dialog.
 */
export function launchFirefox({ downloadDir } = {}) {
  const off = 'http://127.0.0.1:1/';
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr',
    headless: true,
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
