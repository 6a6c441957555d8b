// @ts-check
/**
 * `node test/bench/hardening.bench.mjs` (part of `npm run bench`): the speed figures the hardening tests used to
 * assert, printed instead (a slow shared CI machine must not fail a test on them). Needs `npm run build` first.
 *   - in Chromium, the main-thread time of `track()` given a whole `window` or a DOM event (the JSON-safe copy
 *     must be bounded work, not a frozen tab): median and max over 20 calls each
 *   - the unit fuzz (test/unit/hardening/fuzz.test.ts): inputs tried and wall time
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCollector } from '../../examples/collector/server.mjs';

const root = (/** @type {string} */ p) => fileURLToPath(new URL('../../' + p, import.meta.url));
let executablePath = process.env.CHROME_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
if (!executablePath) executablePath = await (await import('@sparticuz/chromium')).default.executablePath();

const collector = await startCollector({
  static: { '/': root('test/browser/pages') },
  files: Object.fromEntries(['parcours.min.js', 'parcours-auto.min.js', 'parcours-signals.min.js', 'parcours-bridges.min.js'].map((f) => ['/' + f, root('dist/' + f)])),
  rateLimit: false,
});
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
try {
  const page = await browser.newPage();
  await page.goto(collector.url + '/redteam.html');
  await page.waitForFunction(() => /** @type {any} */ (window).parcours?.loaded);
  const figures = await page.evaluate(() => {
    const p = /** @type {any} */ (window).parcours;
    const time = (/** @type {() => unknown} */ fn) => {
      const ms = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        fn();
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      return { median: ms[10], max: ms[19] };
    };
    return {
      window: time(() => p.track('bench_window', window)),
      event: time(() => p.track('bench_event', new MouseEvent('click'))),
    };
  });
  const f = (/** @type {number} */ ms) => ms.toFixed(1) + ' ms';
  console.log(`track(window):      median ${f(figures.window.median)}, max ${f(figures.window.max)} (20 calls, redteam page)`);
  console.log(`track(MouseEvent):  median ${f(figures.event.median)}, max ${f(figures.event.max)}`);
} finally {
  await browser.close();
  await collector.close();
}

const t = performance.now();
const run = spawnSync('npx', ['vitest', 'run', '--project', 'unit', 'test/unit/hardening/fuzz.test.ts'], { cwd: root(''), encoding: 'utf8', timeout: 300_000 });
const wall = performance.now() - t;
const line = /fuzz: (\d+) inputs tried[^\n]*/.exec(run.stdout + run.stderr)?.[0] ?? 'fuzz: no figure (the run failed)';
console.log(`${line}; vitest wall time ${(wall / 1000).toFixed(1)} s (exit ${run.status})`);
