// How every e2e script starts Debian's Chromium (never a downloaded browser):
// headless, no background traffic to outside hosts, a fresh temporary profile; and
// the project's CLI, for figures computed natively beside the page's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

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

/** Unfold the page's Setup panel (data, protocol, models) if it is folded. */
export async function openSetup(page) {
  const toggle = page.locator('[data-testid="setup-toggle"]');
  if (await toggle.isVisible() && await toggle.getAttribute('aria-expanded') === 'false') await toggle.click();
}

/** Open one of the page's views: dashboard, attacks, mistake, runs, exports. */
export async function showView(page, name) {
  await page.locator(`[data-testid="view-tab-${name}"]`).click();
}
