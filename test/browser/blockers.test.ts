import { readFileSync, readdirSync } from 'node:fs';
import { FiltersEngine, Request as FilterRequest } from '@ghostery/adblocker';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startTestCollector, until } from './support/collector';

// The default install's requests as Chromium really makes them (scripts, the live batches, the batch at tab
// close), put to a real filter engine loaded with the lists shoppers' blockers run (../shared/blocklists, beside
// the clone). The unit test (test/unit/transport/blockers.test.ts) says which paths and types are blocked; this
// one says the tag makes only requests of the kinds that pass.

const LISTS = new URL('../../../shared/blocklists/', import.meta.url);
let engine: FiltersEngine;
let browser: Browser;
let shop: Awaited<ReturnType<typeof startTestCollector>>;
let elsewhere: Awaited<ReturnType<typeof startTestCollector>>;

beforeAll(async () => {
  const text = readdirSync(LISTS).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, LISTS), 'utf8')).join('\n');
  engine = FiltersEngine.parse(text, { loadCosmeticFilters: false, debug: true }); // once for the file: seconds
  browser = await launchBrowser();
  shop = await startTestCollector();
  elsewhere = await startTestCollector({ origins: ['*'] });
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await elsewhere?.close();
});

/** Where these would be in production: the shop on its domain, a collector of its own on another. */
const deployed = (url: string) => url.replace(shop.url, 'https://shop.example').replace(elsewhere.url, 'https://collect.example.com');
/** Playwright's resource types as a blocker's engine names them (fetch is `xhr` to extensions). */
const TYPES: Record<string, 'script' | 'xhr' | 'ping'> = { script: 'script', fetch: 'xhr', xhr: 'xhr', ping: 'ping' };
const blockedBy = (r: { url: string; type: string }) => {
  const { match, filter } = engine.match(
    FilterRequest.fromRawDetails({ url: deployed(r.url), type: TYPES[r.type] ?? 'other', sourceUrl: 'https://shop.example/products/moon-bowl' }),
  );
  return match ? `${r.type} ${deployed(r.url)} blocked by ${filter}` : null;
};

/** A product page view with a live send and a tab close; every request of parcours, with its type, as it left. */
const visit = async (collector: typeof shop) => {
  const context = await browser.newContext();
  const requests: { url: string; type: string; method: string }[] = [];
  context.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType(), method: r.method() }));
  const page = await context.newPage();
  // The tag as a tag manager adds it, every default part on; the endpoint on the shop or elsewhere.
  await page.goto(shop.url + '/delivery.html?flush-interval=60000&endpoint=' + encodeURIComponent(collector.url + '/collect'));
  await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
  await page.evaluate(() => (window as unknown as { parcours: { flush(): Promise<void> } }).parcours.flush());
  await page.evaluate(() => (window as unknown as { parcours: { track(t: string): void } }).parcours.track('at_close'));
  await page.close({ runBeforeUnload: true });
  await until(collector.events, (e) => e.some((x) => x.type == 'at_close'), 10_000);
  await context.close();
  return requests.filter((r) => /\/parcours[\w-]*\.min\.js$/.test(r.url) || r.method == 'POST');
};

describe('content blockers and the default install, in Chromium', () => {
  it.each([
    ["on the shop's domain", false],
    ['on its own domain', true],
  ])('no request of the tag is blocked, collector %s: scripts, live batches, the batch at tab close', async (_, cross) => {
    const collector = cross ? elsewhere : shop;
    const requests = await visit(collector);
    const posts = requests.filter((r) => r.method == 'POST');
    expect(requests.filter((r) => r.type == 'script').length).toBeGreaterThanOrEqual(3); // the core and its parts
    expect(posts.length).toBeGreaterThanOrEqual(2); // the flush, and the batch at close
    expect(requests.map(blockedBy).filter(Boolean)).toEqual([]);
    // The test can fail: the same batch sent as a beacon (type `ping`) to a collector elsewhere is blocked.
    if (cross) expect(blockedBy({ ...posts.at(-1)!, type: 'ping' })).toMatch(/\$ping,third-party/);
  });
});
