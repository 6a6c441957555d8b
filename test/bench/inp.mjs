// @ts-check
/**
 * `node test/bench/inp.mjs` (after `npx rollup -c`): what parcours costs the demo shop's responsiveness. Figures,
 * not pass/fail. Real Chromium against the reference collector on 127.0.0.1.
 *
 * Two variants of the same shop: as it is, and with its parcours `<script>` tags stripped (both served through
 * the same Playwright route, so both pay the same interception). Each run is a fresh browser context that
 * views 3 product pages and performs the same 30 interactions on each (gallery thumbnails, the variant menu by
 * keyboard, quantity + and −, add to cart). Per page view: web-vitals' INP (its own copy, injected in both
 * variants, `reportAllChanges`: with 30 interactions, INP is the slowest one) and the longest Event Timing entry
 * (`durationThreshold: 16`). Runs alternate between the variants; each figure is the median of RUNS runs.
 *
 *   node test/bench/inp.mjs [--runs 5] [--cpu 1,4]     (--cpu: Chromium CPU throttling rates to measure at; 1)
 *
 * Headless Chromium rasterises in software: switching the 600 px gallery SVGs takes 100–250 ms of paint, which
 * sets INP here for both variants. The handler time isolates what listeners (parcours' among them) cost.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startCollector } from '../../examples/collector/server.mjs';

const root = (/** @type {string} */ p) => fileURLToPath(new URL('../../' + p, import.meta.url));
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, cpu: { type: 'string', default: '1' } } });
const RUNS = Math.min(Math.max(+args.runs || 5, 1), 20);
const RATES = args.cpu.split(',').map(Number).filter((r) => r >= 1 && r <= 20);
const PAGES = ['/products/moon-bowl', '/products/tide-mug', '/products/linen-apron'];
/** One page view's 30 interactions: 10 steps, 3 times. `key` steps press a key in the focused variant menu. */
const STEPS = [
  ['click', 'gallery-thumb-2'],
  ['click', 'gallery-thumb-3'],
  ['click', 'gallery-thumb-1'],
  ['key', 'ArrowDown'],
  ['click', 'qty-plus'],
  ['click', 'qty-plus'],
  ['click', 'qty-minus'],
  ['click', 'add-to-cart'],
  ['key', 'ArrowUp'],
  ['click', 'gallery-thumb-2'],
];
const PARCOURS_TAGS = /<script\b[^>]*parcours[^>]*><\/script>\s*/g;

let executablePath = process.env.CHROME_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
if (!executablePath) executablePath = await (await import('@sparticuz/chromium')).default.executablePath();
const webVitals = readFileSync(root('node_modules/web-vitals/dist/web-vitals.iife.js'), 'utf8');

const collector = await startCollector({
  static: { '/': root('examples/shop') },
  files: Object.fromEntries(['parcours.min.js', 'parcours-auto.min.js', 'parcours-signals.min.js', 'parcours-bridges.min.js'].map((f) => ['/' + f, root('dist/' + f)])),
});
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic'],
});

/** Runs in the page before its own scripts: web-vitals' INP and the longest interaction event, in `__bench`. */
const measure = (/** @type {any} */ webVitals) => {
  const bench = ((/** @type {any} */ (window)).__bench = { inp: 0, maxEvent: 0, handlers: new Map() });
  webVitals.onINP((/** @type {{ value: number }} */ m) => (bench.inp = m.value), { reportAllChanges: true });
  new PerformanceObserver((list) => {
    for (const e of /** @type {any[]} */ (list.getEntries()))
      if (e.interactionId) {
        // Event handlers' time (the page's and parcours' listeners), summed over the interaction's events.
        bench.handlers.set(e.interactionId, (bench.handlers.get(e.interactionId) || 0) + e.processingEnd - e.processingStart);
        bench.maxEvent = Math.max(bench.maxEvent, e.duration);
      }
  }).observe(/** @type {any} */ ({ type: 'event', durationThreshold: 16, buffered: true }));
};

/** Measures one run: 3 page views of 30 interactions. Per page view: { inp, maxEvent, handlers, interactions }. */
const run = async (/** @type {boolean} */ withParcours, /** @type {number} */ rate) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.route(
      (url) => PAGES.includes(url.pathname),
      async (route) => {
        const response = await route.fetch();
        const html = await response.text();
        await route.fulfill({ response, body: withParcours ? html : html.replace(PARCOURS_TAGS, '') });
      },
    );
    // One init script: Playwright runs each in its own scope, so web-vitals' `var webVitals` is no global.
    await context.addInitScript({ content: webVitals + ';(' + measure + ')(webVitals);' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const views = [];
    for (const path of PAGES) {
      await page.goto(collector.url + path);
      await page.waitForFunction(
        (want) => document.readyState == 'complete' && performance.getEntriesByType('resource').some((r) => r.name.includes('parcours-signals')) == want,
        withParcours,
      );
      const loaded = await page.evaluate(() => !!(/** @type {any} */ (window).parcours?.loaded));
      if (loaded != withParcours) throw new Error(`${path}: parcours ${loaded ? 'loaded' : 'missing'} in the ${withParcours ? 'with' : 'without'} variant`);
      await page.waitForTimeout(300); // the page settles (the SDK's first send)
      for (let i = 0; i < 30; i++) {
        const [kind, what] = STEPS[i % STEPS.length];
        if (kind == 'click') await page.click(`[data-testid="${what}"]`);
        else {
          await page.focus('[data-testid="variant-select"]');
          await page.keyboard.press(what);
        }
      }
      await page.waitForTimeout(500); // web-vitals takes interactions in when idle
      views.push(await page.evaluate(() => {
        const b = /** @type {any} */ (window).__bench;
        const handlers = [...b.handlers.values()];
        return { inp: b.inp, maxEvent: b.maxEvent, handlers: handlers.reduce((a, x) => a + x, 0) / (handlers.length || 1), interactions: handlers.length };
      }));
    }
    return views;
  } finally {
    await context.close();
  }
};

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

try {
  await run(true, 1); // warm-up: first compile of the page and SDK scripts, not counted
  for (const rate of RATES) {
    /** @type {Record<string, Record<'inp' | 'maxEvent' | 'handlers' | 'interactions', number[]>>} */
    const by = Object.fromEntries(['without', 'with'].map((v) => [v, { inp: [], maxEvent: [], handlers: [], interactions: [] }]));
    for (let r = 0; r < RUNS; r++)
      for (const variant of r % 2 ? ['with', 'without'] : ['without', 'with']) {
        const views = await run(variant == 'with', rate);
        // A run's figure: the mean over its page views of each page view's figure.
        for (const key of /** @type {const} */ (['inp', 'maxEvent', 'handlers', 'interactions'])) by[variant][key].push(mean(views.map((v) => v[key])));
      }
    const f = (/** @type {number} */ x) => Math.round(x);
    const ms2 = (/** @type {number} */ x) => x.toFixed(2);
    console.log(`CPU ${rate}x, ${RUNS} runs × ${PAGES.length} product page views × 30 interactions (median of runs; a run: mean over its page views)`);
    console.log(`  INP p98-ish (web-vitals INP) without parcours: ${f(median(by.without.inp))} ms, with: ${f(median(by.with.inp))} ms`);
    console.log(`  max event duration             without parcours: ${f(median(by.without.maxEvent))} ms, with: ${f(median(by.with.maxEvent))} ms`);
    console.log(`  runs, INP without: ${by.without.inp.map(f).join(' ')} | with: ${by.with.inp.map(f).join(' ')}`);
    console.log(`  event handler time per interaction without parcours: ${ms2(median(by.without.handlers))} ms, with: ${ms2(median(by.with.handlers))} ms (processingEnd − processingStart, summed over its events)`);
    console.log(`  interactions of ≥ 16 ms per page view (of 30): without ${f(median(by.without.interactions))}, with ${f(median(by.with.interactions))}`);
  }
} finally {
  await browser.close();
  await collector.close();
}
