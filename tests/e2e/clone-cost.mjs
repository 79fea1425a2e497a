// The fixed cost a pool of module workers (each with its own wasm instance) would pay
// that threads over one shared memory do not: copying the data each worker needs into
// it. Copies a buffer of the held KDD99 10% table's size (33 MB) and of 100,000
// prepared rows (× 122 f32, 49 MB) into 2 workers, 5 times after one untimed pass;
// prints the median and range. Run: tests/e2e/run.sh clone-cost.mjs
import { launch } from './browser.mjs';

const browser = await launch();
const page = await (await browser.newContext()).newPage();
// A page of the same origin without the site's CSP (which allows no blob: workers).
await page.goto(new URL('/', process.env.BASE_URL).href);
const figures = await page.evaluate(async () => {
  const helper = URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data.byteLength);'], { type: 'text/javascript' }));
  const workers = [0, 1].map(() => new Worker(helper));
  const out = {};
  for (const [name, bytes] of [['table 33 MB', 33e6], ['100,000 prepared rows 49 MB', 100000 * 122 * 4]]) {
    const buffer = new Uint8Array(bytes).fill(1).buffer;
    const times = [];
    for (let rep = 0; rep < 6; rep += 1) {
      const t0 = performance.now();
      await Promise.all(workers.map((w) => new Promise((resolve) => { w.onmessage = resolve; w.postMessage(buffer); })));
      if (rep > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[name] = `median ${times[2].toFixed(0)} ms (${times[0].toFixed(0)}–${times[4].toFixed(0)}) to copy into 2 workers`;
  }
  return out;
});
for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
await browser.close();
