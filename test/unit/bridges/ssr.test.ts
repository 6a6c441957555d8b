// @vitest-environment node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Headless storefronts (Next.js, Remix, Hydrogen, Nuxt) import parcours in code that also runs on the server. The
// promise: the BUILT npm package imports in plain Node without touching anything, and every API is a safe no-op.

const DIST = fileURLToPath(new URL('../../../dist/parcours.mjs', import.meta.url));
type Npm = typeof import('../../../src/entry/npm');
let npm: Npm;
let globalsBefore: string[];
let globalsAfter: string[];

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error('dist/parcours.mjs is missing: run `npx rollup -c` first');
  globalsBefore = Object.getOwnPropertyNames(globalThis);
  npm = await import(/* @vite-ignore */ DIST);
  globalsAfter = Object.getOwnPropertyNames(globalThis);
});
afterEach(() => vi.unstubAllGlobals());

describe('the npm build on the server', () => {
  it('imports in Node with no browser globals, and importing defines or touches no global', () => {
    expect([typeof window, typeof document, typeof localStorage]).toEqual(['undefined', 'undefined', 'undefined']);
    expect(globalsAfter.filter((name) => !globalsBefore.includes(name))).toEqual([]);
    expect(typeof npm.createTracker).toBe('function');
  });

  it('createTracker returns a tracker whose every method does nothing and throws nothing', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const parts = [npm.journey(), npm.pages(), npm.commerce(), npm.attributes()];
    const tracker = npm.createTracker({ endpoint: 'https://collect.example/collect', site: 'ssr', debug: false, parts });
    expect(Object.keys(tracker).sort()).toEqual(['consent', 'destroy', 'feedback', 'flush', 'identify', 'journey', 'page', 'track']);
    expect(() => {
      tracker.track('product_viewed', { id: 'p1' });
      tracker.page({ path: '/products/p1' });
      tracker.identify('u-1', { plan: 'gold' });
      tracker.feedback(5, { question: 'checkout' });
      expect(tracker.journey()).toBeNull();
      tracker.consent('granted');
      tracker.consent('denied');
    }).not.toThrow();
    await expect(tracker.flush()).resolves.toBeUndefined();
    expect(() => tracker.destroy()).not.toThrow();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('bad options on the server are no error either', async () => {
    for (const options of [undefined, null, {}, { endpoint: 42 }, { endpoint: 'https://x', parts: ['not a part'] }]) {
      const tracker = npm.createTracker(options as never);
      expect(() => tracker.track('x')).not.toThrow();
      await expect(tracker.flush()).resolves.toBeUndefined();
    }
  });
});

describe('the bridges on the server', () => {
  it('import and create their parts without touching a global', async () => {
    const before = Object.getOwnPropertyNames(globalThis);
    const { dataLayer } = await import('../../../src/bridges/dataLayer');
    const { shopifyClientId } = await import('../../../src/bridges/shopifyClientId');
    const { deduped } = await import('../../../src/bridges/dedup');
    const parts = [dataLayer(), shopifyClientId(), deduped(npm.commerce())];
    const tracker = npm.createTracker({ endpoint: 'https://collect.example/collect', parts });
    expect(() => tracker.track('order_completed', { id: 'T1' })).not.toThrow();
    expect(Object.getOwnPropertyNames(globalThis).filter((name) => !before.includes(name))).toEqual([]);
  });

  it('the Shopify pixel outside Shopify’s sandbox does nothing and throws nothing', async () => {
    const { parcoursPixel } = await import('../../../src/bridges/shopifyPixel');
    const pixel = parcoursPixel({ endpoint: 'https://collect.example/collect' });
    await expect(pixel.flush()).resolves.toBeUndefined();
  });
});
