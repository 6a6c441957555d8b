import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchProblems } from '../unit/format/segmentSpec';
import { launchBrowser } from './support/browser';
import { startTestCollector, until, type StoredEvent } from './support/collector';

// The promise of the Segment issue, in real Chromium: a tracker in the Segment format feeds a /v1/batch endpoint
// with spec-valid batches carrying the write key, and the reference collector stores them as parcours events.
// The page imports the npm build (dist/parcours.mjs), whose dependencies an import map serves from node_modules.

declare const parcours: {
  track(type: string, p?: object): void;
  page(p?: object): void;
  identify(userId: string, traits?: object): void;
  flush(): Promise<void>;
};

const root = (path: string) => fileURLToPath(new URL('../../' + path, import.meta.url));
const files = {
  '/parcours.mjs': root('dist/parcours.mjs'),
  '/node_modules/idb-keyval/dist/index.js': root('node_modules/idb-keyval/dist/index.js'),
  '/node_modules/web-vitals/dist/web-vitals.js': root('node_modules/web-vitals/dist/web-vitals.js'),
};

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
let context: BrowserContext;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => {});
});

const setup = async () => {
  collector = await startTestCollector({ files, writeKeys: ['test'] });
  context = await browser.newContext();
  cleanups.push(() => context.close(), () => collector.close());
};
const open = async (query = ''): Promise<Page> => {
  const page = await context.newPage();
  page.on('console', (m) => m.type() == 'error' && console.error('page:', m.text()));
  await page.goto(collector.url + '/segment.html?' + query);
  await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded, null, { timeout: 10_000 });
  return page;
};

const apron = { id: 'apron-1', sku: 'AP-1', name: 'Linen apron', price: 24.5, currency: 'EUR', quantity: 1 };
const order = { id: 'o-1', revenue: 29.5, tax: 4.5, shipping: 5, currency: 'EUR', coupon: 'MAY', items: [apron] };

describe('the Segment format in a real browser', () => {
  it('posts spec-valid batches with the write key to /v1/batch, stored once with their journey tags', async () => {
    await setup();
    const page = await open();
    const posts: { headers: Record<string, string>; body: unknown }[] = [];
    page.on('request', (r) => {
      if (r.method() == 'POST' && r.url().endsWith('/v1/batch')) posts.push({ headers: r.headers(), body: JSON.parse(r.postData() || 'null') });
    });
    await page.evaluate(
      ([apron, order]) => {
        parcours.page();
        parcours.track('product_viewed', { product: apron });
        parcours.track('order_completed', { order });
        parcours.identify('u-42', { plan: 'gold' });
        return parcours.flush();
      },
      [apron, order] as const,
    );
    const events = await until(collector.events, (e) => e.length >= 4);

    expect(events.map((e) => e.type)).toEqual(['page_viewed', 'product_viewed', 'order_completed', 'identify']);
    expect(events.every((e) => e._deliveries == 1)).toBe(true);
    for (const e of events) expect(e).toMatchObject({ stage: 'purchase', touchpoint: 'cart', pageType: 'cart', lifecycle: 'returning' });
    expect(events[1].properties).toEqual({ product: apron });
    expect(events[2].properties).toEqual({ order });
    expect(events[3]).toMatchObject({ userId: 'u-42', properties: { plan: 'gold' } });
    expect(events[0].page).toMatchObject({ path: '/segment.html', title: 'Segment format test page' });
    expect(await collector.events('site=segment-demo')).toHaveLength(4);

    expect(posts.length).toBeGreaterThan(0);
    for (const { headers, body } of posts) {
      expect(headers.authorization).toBe('Basic ' + Buffer.from('test:').toString('base64'));
      expect(headers['content-type']).toBe('application/json');
      expect(batchProblems(body)).toEqual([]);
    }
    const messages = posts.flatMap((p) => (p.body as { batch: { event?: string; type: string }[] }).batch);
    expect(messages.map((m) => m.event ?? m.type)).toEqual(['page', 'Product Viewed', 'Order Completed', 'identify']);
  });

  it('delivers events tracked right before the tab closes, by keepalive fetch (sendBeacon cannot send the key)', async () => {
    await setup();
    const page = await open('flush-interval=60000');
    await page.evaluate(() => {
      for (let i = 0; i < 30; i++) parcours.track('closing', { i });
    });
    const closedAt = Date.now();
    await page.close({ runBeforeUnload: true });
    const events: StoredEvent[] = await until(collector.events, (e) => e.length >= 30, 5_000);
    // The collector requires the write key: stored events came with the Authorization header.
    const closing = events.filter((e) => e.type == 'closing');
    expect(closing.map((e) => e.properties.i).sort((a, b) => (a as number) - (b as number))).toEqual([...Array(30).keys()]);
    // Once each (the collector merges a repeated id, so only `_deliveries` shows a resend), by fetch at close.
    expect(closing.map((e) => e._deliveries)).toEqual(closing.map(() => 1));
    const atClose = collector.posts.filter((p) => p.at >= closedAt);
    expect(atClose.length).toBeGreaterThan(0);
    expect(atClose.map((p) => [p.path, p.mode])).toEqual(atClose.map(() => ['/v1/batch', 'cors']));
  });

  it('reaches a pipeline on another origin, through its CORS preflight, while the page lives and at unload', async () => {
    await setup();
    // Segment's API is always on another origin than the shop: the Authorization header needs a preflight.
    const pipeline = await startTestCollector({ files, writeKeys: ['test'], origins: ['*'] });
    cleanups.push(() => pipeline.close());
    const page = await open('flush-interval=60000&endpoint=' + encodeURIComponent(pipeline.url + '/v1/batch'));
    await page.evaluate(() => {
      parcours.track('live');
      return parcours.flush();
    });
    await page.evaluate(() => parcours.track('at-unload'));
    await page.close({ runBeforeUnload: true });
    const events = await until(pipeline.events, (e) => e.length >= 2, 5_000);
    expect(events.map((e) => e.type)).toEqual(['live', 'at-unload']);
    expect(await collector.events()).toEqual([]);
  });

  it('a wrong write key is refused with 401 and nothing is stored', async () => {
    await setup();
    const page = await open('write-key=wrong');
    const statuses: number[] = [];
    page.on('response', (r) => r.url().endsWith('/v1/batch') && statuses.push(r.status()));
    await page.evaluate(() => {
      parcours.track('lost');
      return parcours.flush();
    });
    await until(async () => statuses, (s) => s.length > 0, 5_000);
    expect(statuses[0]).toBe(401);
    expect(await collector.events()).toEqual([]);
  });
});
