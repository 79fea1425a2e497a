// Firefox stress loop for the worker's start (not part of the suite): N fresh browser
// contexts, each loading the page (every other one with `#run=bundled`) and reloading
// it, each load waited for until idle (40 s at most). Prints each load's time and
// thread count, and how many loads never became idle. Run: `N=40 bash run.sh stress-ff.mjs`.
import { launchFirefox, waitIdle } from './browser.mjs';

const BASE = process.env.BASE_URL;
const N = Number(process.env.N || 20);
const browser = await launchFirefox({});
let stuck = 0;
const shown = (page) => page.evaluate(() => ({ threads: document.body.dataset.threads, status: document.querySelector('[data-testid="status"]')?.textContent }))
  .catch((e) => String(e));
for (let i = 0; i < N; i++) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  for (const [what, go] of [['goto', () => page.goto(`${BASE}${i % 2 ? '#run=bundled&sel=if' : ''}`)], ['reload', () => page.reload()]]) {
    const t = Date.now();
    await go();
    try {
      await waitIdle(page, 40_000);
      console.log(i, what, Date.now() - t, 'ms', JSON.stringify(await shown(page)));
    } catch (e) {
      stuck++;
      console.log(i, what, 'STUCK', e.message);
    }
  }
  await context.close();
}
console.log(`stuck: ${stuck} of ${2 * N}`);
await browser.close();
