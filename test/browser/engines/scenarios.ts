import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchEngine, missing, type Engine, type EngineName, type Tab } from '../support/engines';
import { root, startTestCollector, until, type StoredEvent } from '../support/collector';
import { startFaultyProxy } from '../support/faulty-proxy.mjs';
import { DEMO_SHOP_ORDER, journeyLines } from '../support/demoJourney';

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
    const open = async (query = 'flush-interval=300', base = collector.url, page = '/delivery.html') => {
      const tab = await engine.newTab();
      cleanups.push(() => tab.close());
      await tab.goto(base + page + '?' + query);
      expect(await loaded(tab)).toBe(true);
      return tab;
    };
    const waitFor = (type: string, count: number, ms?: number) => until(collector.events, (events) => ofType(events, type).length >= count, ms);

    it('sends while the shopper stays on the page: the first, after a reload, and the next page', async () => {
      await setup();
      const tab = await open();
      // What this engine offers of the APIs the SDK feature-detects (the README's support table).
      const apis = await tab.run(() => ({
        'Web Locks': !!navigator.locks,
        'Navigation API': 'navigation' in window,
        'keepalive fetch': 'keepalive' in new Request(location.href),
        sendBeacon: !!navigator.sendBeacon,
        BroadcastChannel: typeof BroadcastChannel == 'function',
      }));
      console.log(`[${name}] ` + Object.entries(apis).map(([api, has]) => api + (has ? ' yes' : ' NO')).join(', '));
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

    it('delivers 50 events tracked right before the tab was closed, without a later visit', async () => {
      await setup();
      const tab = await open('flush-interval=60000');
      await trackMany(tab, 'closing', 50);
      await tab.close();
      let events = ofType(await waitFor('closing', 50, 5_000), 'closing');
      console.log(`[${name}] tab closed: ${events.length} of 50 arrived at close`);
      if (name == 'firefox' && !events.length) {
        // Firefox 153 ESR, headless, sometimes tears a closing tab down without running pagehide at all (about one
        // close in three here, by BiDi or by window.close(), before this branch's changes too: neither the batch
        // nor a localStorage write of the same handler lands). Then the queue in IndexedDB keeps the events and
        // the next visit sends them; a partial batch still fails.
        await open('flush-interval=300&auto=none');
        events = ofType(await waitFor('closing', 50), 'closing');
      } else expect(events.filter((e) => e._deliveries != 1)).toEqual([]);
      expect(new Set(events.map((e) => e.properties.i)).size).toBe(50);
    });

    for (const [lock, page] of [
      ['Web Locks', '/delivery.html'],
      ['the localStorage lease (Web Locks removed)', '/delivery-no-locks.html'],
    ]) {
      it(`shares one queue between three tabs with ${lock}, and stores nothing twice`, async () => {
        await setup();
        const tabs = [];
        for (const n of [0, 1, 2]) {
          tabs.push(await open('flush-interval=300', collector.url, page));
          expect(await tabs[n].run(() => !!navigator.locks)).toBe(page == '/delivery.html');
        }
        // Interleaved, so every tab's events sit in the shared queue while the others send.
        for (let round = 0; round < 4; round++) for (const n of [0, 1, 2]) await trackMany(tabs[n], 'tab' + n, 5, round * 5);
        const events = await until(collector.events, (e) => [0, 1, 2].every((n) => ofType(e, 'tab' + n).length >= 20));
        for (const n of [0, 1, 2]) expect(ofType(events, 'tab' + n)).toHaveLength(20);
        expect(events.filter((e) => e._deliveries != 1)).toEqual([]);
      });
    }

    it('records the demo shop journey from an ad click to the order, each event with its stage and touchpoint', async () => {
      await setup({ static: { '/': root('examples/shop') } });
      const tab = await engine.newTab();
      cleanups.push(() => tab.close());
      const errors = () => tab.run(() => (window as { errors?: string[] }).errors ?? []);
      const at = async (path: string) => {
        expect(await loaded(tab, path)).toBe(true);
        // And recorded: the page view comes from the auto part, which loads after the core. A shopper who leaves
        // before it ran leaves no page view (on a loaded machine the next click could come first).
        expect(await pageUntil(tab, () => !!(parcours as unknown as { journey(): unknown }).journey())).toBe(true);
        await tab.run(() => {
          const w = window as { errors?: string[] };
          w.errors = [];
          addEventListener('error', (e) => w.errors!.push(String(e.message)));
        });
      };
      const click = (selector: string) => tab.run((s) => (document.querySelector(s) as HTMLElement).click(), selector);
      // As a person types: focus, the value, input and change, blur.
      const fill = (fields: Record<string, string>) =>
        tab.run((fields) => {
          for (const [id, value] of Object.entries(fields)) {
            const el = document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
            el.focus();
            el.value = value;
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
            el.blur();
          }
        }, fields);
      await tab.goto(collector.url + '/?utm_source=google&utm_medium=cpc&utm_campaign=autumn-bowls&gclid=abc123');
      await at('/');
      await click('a[href="/collections/all"]');
      await at('/collections/all');
      await click('a[href="/products/moon-bowl"]');
      await at('/products/moon-bowl');
      await click('[data-testid="add-to-cart"]');
      expect(await pageUntil(tab, () => /[1-9]/.test(document.querySelector('[data-cart-link]')?.getAttribute('aria-label') ?? ''))).toBe(true);
      await click('[data-testid="cart-link"]');
      await at('/cart');
      await click('[data-testid="checkout-button"]');
      await at('/checkout/contact');
      await fill({ 'email-input': 'jane@example.com', 'first-name-input': 'Jane', 'last-name-input': 'Doe' });
      await click('[data-testid="continue-to-shipping"]');
      await at('/checkout/shipping');
      await fill({ 'address-input': '1 rue de la Paix', 'postcode-input': '69001', 'city-input': 'Lyon' });
      await click('[data-testid="shipping-express"]');
      await click('[data-testid="continue-to-payment"]');
      await at('/checkout/payment');
      await fill({ 'card-name-input': 'Jane Doe', 'card-number-input': '4242 4242 4242 4242', 'card-expiry-input': '12/30', 'card-cvc-input': '123' });
      await click('[data-testid="pay-button"]');
      await at('/checkout/thank-you');
      // The shopper stays on the confirmation page: everything arrives without leaving it.
      const events = await until(collector.events, (e) => ofType(e, 'order_completed').length >= 1 && ofType(e, 'page_viewed').length >= 8, 30_000);
      const journey = journeyLines(events);
      expect(journey, journey.join('\n')).toEqual(DEMO_SHOP_ORDER);
      const order = ofType(events, 'order_completed')[0];
      expect(order.properties).toMatchObject({ currency: 'EUR', shipping: 12, revenue: expect.any(Number), id: expect.stringMatching(/^AL-/) });
      expect(order.properties.last_touch).toMatchObject({ touchpoint: 'ad', campaign: 'autumn-bowls', clickId: 'gclid' });
      const wire = JSON.stringify(events);
      for (const secret of ['jane@example.com', 'rue de la Paix', 'Doe']) expect(wire).not.toContain(secret);
      expect(wire).not.toMatch(/4242 ?4242/);
      expect(await errors()).toEqual([]);
    });
  });
};
