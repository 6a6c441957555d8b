import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tracker, TrackerOptions, WireBatch } from '../../../src/types';
import { fakeCollector, loadSdk } from '../core/fakeCollector';

const ID = 'c7a1e5f2-9d3b-4c8e-a6f0-2b1d4e8c9a70';
let collector: ReturnType<typeof fakeCollector>;
let trackers: Tracker[] = [];

/** A page with the tracker and the part, delivering to a fake collector through the tracker's own transport. */
const start = async (options: Partial<TrackerOptions> = {}) => {
  const loaded = await loadSdk(async () => ({
    createTracker: (await import('../../../src/tracker')).createTracker,
    shopifyClientId: (await import('../../../src/bridges/shopifyClientId')).shopifyClientId,
  }));
  const { createTracker, shopifyClientId } = loaded.sdk;
  collector = loaded.collector;
  const t = createTracker({ endpoint: 'http://127.0.0.1:9/collect', flushInterval: 3_600_000, ...options, parts: [shopifyClientId()] });
  trackers.push(t);
  return t;
};
/** What reached the collector: [type, shopify_client_id] per event. */
const sent = () => collector.bodies.flatMap((b) => (JSON.parse(b) as WireBatch).events.map((e) => [e.type, e.properties.shopify_client_id]));
const shopifyAnalytics = (token: unknown) => ((window as any).ShopifyAnalytics = { lib: { user: () => ({ traits: () => ({ uniqToken: token }) }) } });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  delete (window as any).ShopifyAnalytics;
  document.cookie = '_shopify_y=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});
afterEach(() => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  vi.unstubAllGlobals();
});

describe('Shopify’s visitor id on the storefront’s page views', () => {
  it('adds ShopifyAnalytics’ id to page_viewed, and to no other event', async () => {
    shopifyAnalytics(ID);
    const t = await start();
    t.page();
    t.track('product_viewed', { id: 'p1' });
    await t.flush();
    expect(sent()).toEqual([['page_viewed', ID], ['product_viewed', undefined]]);
  });

  it('falls back to the _shopify_y cookie, and ignores what is not a Shopify id', async () => {
    document.cookie = '_shopify_y=' + ID + '; path=/';
    shopifyAnalytics('<script>');
    const t = await start();
    t.page();
    document.cookie = '_shopify_y=%3Cscript%3E; path=/';
    t.page();
    await t.flush();
    expect(sent()).toEqual([['page_viewed', ID], ['page_viewed', undefined]]);
  });

  it('consent pending: the id leaves only once consent is granted; denied: nothing at all', async () => {
    shopifyAnalytics(ID);
    const t = await start({ consent: 'pending' });
    t.page();
    await t.flush();
    expect(collector.bodies).toEqual([]);
    t.consent('granted');
    await t.flush();
    expect(sent()).toEqual([['page_viewed', ID]]);

    const denied = await start({ consent: 'denied' });
    denied.page();
    await denied.flush();
    expect(collector.bodies).toEqual([]);
  });

  it('anonymous mode, and Global Privacy Control by default, send no persistent id: not Shopify’s either', async () => {
    shopifyAnalytics(ID);
    const t = await start({ anonymous: true });
    t.page();
    await t.flush();
    expect(sent()).toEqual([['page_viewed', undefined]]);
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { globalPrivacyControl: true }));
    const gpc = await start(); // a new collector
    gpc.page();
    await gpc.flush();
    expect(sent()).toEqual([['page_viewed', undefined]]);
  });
});
