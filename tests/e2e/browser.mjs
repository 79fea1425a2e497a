// How every e2e script starts Debian's Chromium (never a downloaded browser):
// headless, no background traffic to outside hosts, a fresh temporary profile.
import { chromium } from 'playwright-core';

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
