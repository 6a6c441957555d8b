import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchEngine, missing, type Engine, type EngineName, type Tab } from '../support/engines';
import { root, startTestCollector, until, type StoredEvent } from '../support/collector';
import { startFaultyProxy } from '../support/faulty-proxy.mjs';

// The delivery guarantees and the demo shop's journey, written once and run in each engine (chromium.test.ts,
// webkit.test.ts, firefox.test.ts). Nothing here leaves the page to make events go: what must arrive while the
// shopper stays on a page is waited for with the page open, and the unload path is tested on its own.

declare const parcours: { track(type: string, p?: object): void; flush(): Promise<void>; loaded?: boolean };

type Collector = Awaited<ReturnType<typeof startTestCollector>>;
const ofType = (events: StoredEvent[], type: string) => events.filter((e) => e.type == type);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll the page until `fn` is true (bounded; a navigation in progress counts as not yet). */
const pageUntil = async (tab: Tab, fn: (arg: string) => boolean, arg = '', ms = 15_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await tab.run(fn, arg).catch(() => false);
    if (ok || Date.now() > end) return ok;
    await sleep(100);
  }
};
const loaded = (tab: Tab, path = '') =>
  pageUntil(tab, (path) => location.pathname.startsWith(path) && !!(window as { parcours?: { loaded?: boolean } }).parcours?.loaded, path);
const trackMany = (tab: Tab, type: string, count: number, from = 0) =>
  tab.run(
    ([type, count, from]) => {
      for (let i = from; i < from + count; i++) parcours.track(type, { i });
    },
    [type, count, from] as [string, number, number],
  );

/**
 * The scenarios for one engine. An engine whose binary is missing fails in CI and, on a developer machine
 * (no `CI`), is skipped with one line saying what to install.
 */
export const engineSuite = (name: EngineName) => {
  const absent = missing(name);
  if (absent && !process.env.CI) {
    console.warn(`[${name}] SKIPPED: not installed here: ${absent}`);
    describe.skip(name, () => it('runs', () => {}));
    return;
  }
  describe(name, () => {
    let engine: Engine;
    let collector: Collector;
    const cleanups: (() => Promise<unknown>)[] = [];
    beforeAll(async () => {
      if (absent) throw new Error(`${name} is not installed: ${absent}`);
      engine = await launchEngine(name);
      console.log(`[${name}] ${engine.version}`);
    }, 60_000);
    afterAll(async () => {
      await engine?.close();
    });
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
    });

    const setup = async (options: Record<string, unknown> = {}) => {
      collector = await startTestCollector(options);
      cleanups.push(() => collector.close());
      return collector;
    };
    const open = async (query = 'flush-interval=300', base = collector.url) => {
      const tab = await engine.newTab();
      cleanups.push(() => tab.close());
      await tab.goto(base + '/delivery.html?' + query);
      expect(await loaded(tab)).toBe(true);
      return tab;
    };
    const waitFor = (type: string, count: number, ms?: number) => until(collector.events, (events) => ofType(events, type).length >= count, ms);

    it('sends while the shopper stays on the page: the first, after a reload, and the next page', async () => {
      await setup();
      const tab = await open();
      await trackMany(tab, 'first', 10);
      expect(ofType(await waitFor('first', 10), 'first')).toHaveLength(10);
      await tab.reload();
      expect(await loaded(tab)).toBe(true);
      await trackMany(tab, 'reloaded', 10);
      expect(ofType(await waitFor('reloaded', 10), 'reloaded')).toHaveLength(10);
      await tab.goto(collector.url + '/delivery.html?flush-interval=300&page=2');
      expect(await loaded(tab)).toBe(true);
      await trackMany(tab, 'next', 10);
      expect(ofType(await waitFor('next', 10), 'next')).toHaveLength(10);
    });

    it('keeps 60 events tracked with the collector down across a reload and a next page, and sends them once it is back', async () => {
      await setup({ origins: ['*'] }); // the proxy is another origin
      // The collector unreachable (every POST's connection cut), the same way in every engine: only Chromium can
      // emulate offline, and its offline mode does not stop beacons at unload anyway.
      const proxy = await startFaultyProxy({ target: collector.url });
      cleanups.push(() => proxy.close());
      proxy.setFault({ drop: true });
      const tab = await open('flush-interval=300', proxy.url);
      await trackMany(tab, 'down', 20);
      await tab.reload();
      expect(await loaded(tab)).toBe(true);
      await trackMany(tab, 'down', 20, 20);
      await tab.goto(proxy.url + '/delivery.html?flush-interval=300&page=2');
      expect(await loaded(tab)).toBe(true);
      await trackMany(tab, 'down', 20, 40);
      await sleep(1_000);
      expect(ofType(await collector.events(), 'down')).toHaveLength(0);
      proxy.setFault(null);
      // The shopper stays on the page: no flush, no unload, only the page's own retries.
      const events = ofType(await waitFor('down', 60, 40_000), 'down');
      console.log(`[${name}] collector down then back: ${events.length} of 60 arrived while the page stayed open`);
      expect(events.map((e) => e.properties.i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(events.filter((e) => e._deliveries != 1)).toEqual([]);
    });
  });
};
