// Chromium's sampling profiler on the tab: V8's `--prof` log of every isolate (the
// page, the worker, any pool workers) while the worker trains one autoencoder on
// NSL-KDD 20 %. Prints where the log went; `node --prof-process LOG` turns the worker's
// log into the ticks by function (wasm functions by their names).
// Run: E2E_ISOLATION=off tests/e2e/run.sh profile.mjs [dense|lstm|deep] [epochs]
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openSetup, waitIdle } from './browser.mjs';

const [kind = 'lstm', epochs = '2'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'netanomaly-prof-'));
const browser = await launch([`--js-flags=--prof --logfile=${join(dir, 'v8.log')}`]);
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const $ = (id) => page.locator(`[data-testid="${id}"]`);
const idle = () => waitIdle(page, 600_000);
await page.goto(process.env.BASE_URL);
await idle();
await $('train-file').setInputFiles(join(process.env.NETANOMALY_DATA, 'nsl-kdd/KDDTrain+_20Percent.txt.gz'));
await page.waitForFunction(() => /25[,.  ]?192/.test(document.body.textContent), null, { timeout: 60_000 });
await idle();
await openSetup(page);
await $('protocol-holdout').check();
for (const k of ['if', 'dense', 'lstm', 'deep']) await $(`model-${k}`).setChecked(k === kind);
await $(`epochs-${kind}`).fill(epochs);
const t0 = Date.now();
await $('train').click();
await page.waitForSelector(`[data-testid="results-table"] tr[data-model="${kind}"]`, { timeout: 600_000 });
await idle();
console.log(`trained ${kind} for ${epochs} epoch(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s; threads: ${await page.evaluate(() => document.body.dataset.threads)}`);
await browser.close();
for (const f of readdirSync(dir)) console.log(`${join(dir, f)} ${statSync(join(dir, f)).size} bytes`);
