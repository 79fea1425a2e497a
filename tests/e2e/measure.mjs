// Acceptance figures for the page, printed (not asserted): time from dropping the
// KDD99 10% .gz to every chart drawn with the bundled models, and in-page Isolation
// Forest fit + score time. Run: tests/e2e/measure.sh.
import { join } from 'node:path';
import { launch, waitIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const DATA = process.env.NETANOMALY_DATA;
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const idle = () => waitIdle(page, 600_000);
const $ = (id) => page.locator(`[data-testid="${id}"]`);
const chartsDrawn = () => page.waitForFunction(() => [...document.querySelectorAll('canvas[data-chart]')]
  .filter((c) => !c.closest('[hidden]')).every((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0]) return true;
    return false;
  }), null, { timeout: 600_000 });

await page.goto(BASE);
await idle();
const t0 = performance.now();
await $('train-file').setInputFiles(join(DATA, 'kdd99/kddcup.data_10_percent.gz'));
await page.waitForFunction(() => /494,021/.test(document.body.textContent), null, { timeout: 600_000 });
await idle();
const parsed = performance.now();
await $('bundled').click();
await idle();
await chartsDrawn();
const t1 = performance.now();
console.log(`page: KDD99 10% .gz parsed in ${((parsed - t0) / 1000).toFixed(2)} s; bundled models scored and every chart drawn ${((t1 - t0) / 1000).toFixed(2)} s after the drop (494,021 rows, 4 models)`);

await $('protocol-holdout').check();
await idle();
for (const k of ['dense', 'lstm', 'deep']) await $(`model-${k}`).uncheck();
await $('model-if').check();
const t2 = performance.now();
await $('train').click();
await idle();
console.log(`page: Isolation Forest trained on 77,822 normals and scored on 416,199 rows, charts redrawn: ${((performance.now() - t2) / 1000).toFixed(2)} s`);
await browser.close();
