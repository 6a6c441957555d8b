// @ts-check
/**
 * `npm run bench`: figures, not pass/fail. Real Chromium against the reference collector on 127.0.0.1.
 *   - main-thread µs per track() call (median, p99 over 10,000 calls)
 *   - long tasks (> 50 ms) while a 10,000-event burst is written and sent
 *   - bytes on the wire per event, requests per 1,000 events
 */
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startCollector } from '../../examples/collector/server.mjs';
import { startFaultyProxy } from '../browser/support/faulty-proxy.mjs';

const root = (/** @type {string} */ p) => fileURLToPath(new URL('../../' + p, import.meta.url));
let executablePath = process.env.CHROME_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
if (!executablePath) executablePath = await (await import('@sparticuz/chromium')).default.executablePath();

const collector = await startCollector({
  static: { '/': root('test/browser/pages') },
  files: { '/parcours.min.js': root('dist/parcours.min.js') },
  origins: ['*'], // the page is served through the counting proxy, another origin
  rateLimit: false, // one client sending 20,000 events on purpose
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
});
const proxy = await startFaultyProxy({ target: collector.url }); // counts requests and body bytes
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const N = 10_000;
try {
  const page = await browser.newPage();
  await page.goto(proxy.url + '/delivery.html?flush-interval=1000&debug=false');
  await page.waitForFunction(() => /** @type {any} */ (window).parcours?.loaded);

  const figures = await page.evaluate(async (N) => {
    const p = /** @type {any} */ (window).parcours;
    const longTasks = /** @type {number[]} */ ([]);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask' });
    const props = { product_id: 'moon-bowl', price: 38, currency: 'EUR', list: 'All products', position: 3 };
    // 1. Cost per call, timed in groups of 10 calls (the clock ticks every 5 µs even when isolated), spread
    //    over tasks so the queue's own writes interleave as they would on a page.
    const times = [];
    for (let chunk = 0; chunk < N / 100; chunk++) {
      for (let g = 0; g < 10; g++) {
        const t = performance.now();
        for (let i = 0; i < 10; i++) p.track('product_viewed', props);
        times.push((performance.now() - t) / 10);
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    await p.flush();
    times.sort((a, b) => a - b);
    const callLongTasks = longTasks.splice(0).length;
    // 2. A burst: 10,000 calls in one go, then everything the SDK does until the queue is empty.
    const t0 = performance.now();
    for (let i = 0; i < N; i++) p.track('burst', props);
    const burstLoop = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50)); // let the long-task entry of the loop itself arrive first
    const loopTasks = longTasks.splice(0).length;
    await p.flush();
    await new Promise((r) => setTimeout(r, 200));
    return {
      isolated: crossOriginIsolated,
      median: times[times.length >> 1] * 1000,
      p99: times[Math.floor(times.length * 0.99)] * 1000,
      callLongTasks,
      burstLoop,
      loopTasks,
      sdkLongTasks: longTasks.length,
      sdkLongest: Math.max(0, ...longTasks),
    };
  }, N);

  const posts = proxy.requests.filter((r) => r.method == 'POST' && r.status == 200);
  const bytes = posts.reduce((sum, r) => sum + r.bodyBytes, 0);
  const stored = /** @type {{n: number}} */ (collector.db.prepare('select count(*) n from events').get()).n;
  const line = (/** @type {string} */ k, /** @type {string} */ v) => console.log(k.padEnd(52), v);
  console.log(`\nparcours bench — Chromium ${browser.version()}, ${N.toLocaleString()} calls\n`);
  line('track() main-thread time, median (groups of 10)', `${figures.median.toFixed(1)} µs${figures.isolated ? '' : ' (clock not isolated: coarse)'}`);
  line('track() main-thread time, p99 (groups of 10)', `${figures.p99.toFixed(1)} µs`);
  line('long tasks while tracking 10,000 events (100/task)', String(figures.callLongTasks));
  line('burst: 10,000 track() calls in one loop took', `${figures.burstLoop.toFixed(1)} ms (the caller's own task)`);
  line('long tasks by the SDK writing + sending the burst', `${figures.sdkLongTasks}${figures.sdkLongTasks ? ` (longest ${figures.sdkLongest.toFixed(0)} ms)` : ''}`);
  line('bytes on the wire per event', `${(bytes / stored).toFixed(0)} B`);
  line('requests per 1,000 events', `${((posts.length / stored) * 1000).toFixed(1)}`);
  line('events stored / tracked', `${stored} / ${2 * N}`);
} finally {
  await browser.close();
  await proxy.close();
  await collector.close();
}
