import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLUSH_MS, parcoursPixel, type PixelOptions } from '../../../src/bridges/shopifyPixel';
import type { ParcoursEvent, WireBatch } from '../../../src/types';
import { fakeCollector } from '../core/fakeCollector';
import { sandbox } from './sandbox';
import { APRON, CLIENT_ID, MUG, PERSONAL, abandonedCheckout, event, fullCheckout, storefront } from './shopifyEvents';

const ENDPOINT = 'https://collect.example/collect';
let collector: ReturnType<typeof fakeCollector>;
const start = (sb: ReturnType<typeof sandbox>, options: Partial<PixelOptions> = {}) =>
  parcoursPixel({ endpoint: ENDPOINT, site: 'atelier-lune', ...options }, sb.api);
/** Events the collector stored (once per event id), in the order they arrived. */
const stored = () => [...collector.stored.values()];
const until = async (done: () => boolean, ms = 3_000) => {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (e: ParcoursEvent) => {
  const { shopify_client_id, first_touch, last_touch, ...properties } = e.properties;
  return [e.type, properties, e.stage, e.touchpoint, e.pageType];
};

beforeEach(() => {
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
});
afterEach(() => vi.unstubAllGlobals());

/** The storefront tracker's keys in the shop's localStorage, 5 minutes before the checkout. */
const T0 = Date.parse('2025-05-12T09:30:00.000Z');
const touch = { touchpoint: 'ad', source: 'google', medium: 'cpc', campaign: 'spring', clickId: 'gclid', ts: T0 - 86_400_000 };
const storefrontKeys = () =>
  new Map([
    ['parcours:aid', 'a-storefront'],
    ['parcours:sid', JSON.stringify({ id: 's-storefront', last: T0 - 300_000 })],
    ['parcours:touch', JSON.stringify({ first: touch, last: touch })],
    ['parcours:customer', JSON.stringify({ ts: T0 - 86_400_000, sid: 's-earlier' })],
  ]);

describe('a full checkout, from Shopify’s standard events to the collector', () => {
  it('sends exactly these events: started, contact, shipping, payment, the order, each tagged with stage and touchpoint', async () => {
    const sb = sandbox({ storage: storefrontKeys() });
    start(sb);
    sb.emit(fullCheckout());
    await until(() => stored().length >= 8);
    const order = { id: '5843191234567', revenue: 66.2, tax: 11.03, shipping: 5.9, currency: 'EUR', coupon: 'MAY10', discount: 6.7, items: [{ ...APRON, quantity: 2 }, { ...MUG, quantity: 1 }] };
    expect(stored().map(row)).toEqual([
      ['page_viewed', {}, 'purchase', 'checkout', 'checkout'],
      ['checkout_started', { step: 'contact', total: 66.2, currency: 'EUR' }, 'purchase', 'checkout', 'checkout'],
      ['checkout_step_completed', { step: 'contact' }, 'purchase', 'checkout', 'checkout'], // contact and address: one step
      ['checkout_step_completed', { step: 'shipping' }, 'purchase', 'checkout', 'checkout'],
      ['payment_info_submitted', { step: 'payment' }, 'purchase', 'payment', 'checkout'],
      ['page_viewed', {}, 'purchase', 'order_confirmation', 'order_confirmation'],
      ['checkout_step_completed', { step: 'payment' }, 'purchase', 'payment', 'order_confirmation'],
      ['order_completed', order, 'purchase', 'order_confirmation', 'order_confirmation'],
    ]);
  });

  it('joins the storefront: its anonymousId, session and touches, and Shopify’s clientId on every event', async () => {
    const sb = sandbox({ storage: storefrontKeys() });
    start(sb);
    const published = fullCheckout();
    sb.emit(published);
    await until(() => stored().length >= 8);
    const events = stored();
    for (const e of events) {
      expect([e.anonymousId, e.sessionId, e.userId, e.lifecycle, e.properties.shopify_client_id]).toEqual(['a-storefront', 's-storefront', null, 'returning', CLIENT_ID]);
      expect(e.page.url).toMatch(/^https:\/\/atelier-lune\.example\/checkouts\/cn\//);
    }
    const order = events.find((e) => e.type == 'order_completed')!;
    expect([order.properties.first_touch, order.properties.last_touch]).toEqual([touch, touch]);
    expect(order.ts).toBe(Date.parse(published[7].timestamp)); // when Shopify saw it, not when it was sent
    // The session goes on, the browser is now a customer, the order is remembered: the storefront reads all three.
    expect(JSON.parse(sb.storage.get('parcours:sid')!)).toEqual({ id: 's-storefront', last: events[events.length - 1].ts });
    expect(JSON.parse(sb.storage.get('parcours:customer')!)).toMatchObject({ customer: true });
    expect(JSON.parse(sb.storage.get('parcours:orders')!)).toEqual(['5843191234567']);
  });

  it('never sends the customer’s email, phone, address or what an alert said', async () => {
    const sb = sandbox();
    start(sb);
    sb.emit([...fullCheckout(), ...abandonedCheckout()]); // the same checkout token: its contact step counts once
    await until(() => stored().length >= 12);
    expect(stored()).toHaveLength(12);
    const wire = collector.bodies.join('\n');
    for (const personal of PERSONAL) expect(wire).not.toContain(personal);
  });

  it('without the storefront tracker, Shopify’s clientId is the anonymousId and a session starts', async () => {
    const sb = sandbox();
    start(sb);
    sb.emit(fullCheckout().slice(0, 2));
    await until(() => stored().length >= 2);
    const [a, b] = stored();
    expect([a.anonymousId, b.anonymousId]).toEqual([CLIENT_ID, CLIENT_ID]);
    expect(a.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.sessionId).toBe(a.sessionId);
    expect(a.lifecycle).toBe('new');
  });

  it('sends in the parcours wire format, in small batches, within FLUSH_MS of the events', async () => {
    const sb = sandbox();
    start(sb, { batchSize: 3 });
    const begin = Date.now();
    sb.emit(fullCheckout());
    await until(() => stored().length >= 8);
    expect(Date.now() - begin).toBeLessThan(FLUSH_MS + 500);
    const batches = collector.bodies.map((b) => JSON.parse(b) as WireBatch);
    expect(batches.map((b) => b.events.length)).toEqual([3, 3, 2]);
    for (const b of batches) expect(Object.keys(b)).toEqual(['sentAt', 'site', 'events']);
    expect(batches[0].site).toBe('atelier-lune');
  });
});

describe('once per order, once per step', () => {
  it('a thank-you page loaded again (a new sandbox, Shopify’s event again) sends no second order', async () => {
    const storage = new Map<string, string>();
    const completed = fullCheckout().slice(6);
    for (let load = 0; load < 2; load++) {
      const sb = sandbox({ storage });
      start(sb);
      sb.emit(completed);
      await until(() => stored().filter((e) => e.type == 'page_viewed').length > load);
      await wait(FLUSH_MS + 50);
    }
    expect(stored().map((e) => e.type)).toEqual(['page_viewed', 'checkout_step_completed', 'order_completed', 'page_viewed']);
  });
});

describe('an abandoned checkout', () => {
  it('started, contact, a field left empty, a declined card: these events and no order', async () => {
    const sb = sandbox();
    start(sb);
    sb.emit(abandonedCheckout());
    await until(() => stored().length >= 5);
    await wait(FLUSH_MS + 50);
    expect(stored().map(row)).toEqual([
      ['page_viewed', {}, 'purchase', 'checkout', 'checkout'],
      ['checkout_started', { step: 'contact', total: 66.2, currency: 'EUR' }, 'purchase', 'checkout', 'checkout'],
      ['checkout_step_completed', { step: 'contact' }, 'purchase', 'checkout', 'checkout'],
      ['form_error', { field: 'cart.deliveryGroups[0].deliveryAddress.zip', field_type: '', form: 'checkout', reason: 'input_required' }, 'purchase', 'checkout', 'checkout'],
      ['checkout_error', { reason: 'payment_error', target: 'payment' }, 'purchase', 'checkout', 'checkout'],
    ]);
  });
});

describe('storefront events', () => {
  it('maps collection, search, product, cart and cart changes to parcours’ commerce events', async () => {
    const sb = sandbox();
    start(sb);
    sb.emit(storefront());
    await until(() => stored().length >= 7);
    expect(stored().map((e) => [e.type, row(e)[1], e.touchpoint])).toEqual([
      ['page_viewed', {}, 'collection'],
      ['product_list_viewed', { list_id: '4410', list_name: 'Kitchen', items: [APRON, MUG], count: 2 }, 'collection'],
      ['search_submitted', { query: 'linen', results: 1 }, 'site_search'],
      ['product_viewed', APRON, 'product_page'],
      ['product_added_to_cart', { ...APRON, quantity: 2 }, 'cart'],
      ['cart_viewed', { items: [{ ...APRON, quantity: 2 }, { ...MUG, quantity: 1 }], total: 67, currency: 'EUR', itemCount: 3 }, 'cart'],
      ['product_removed_from_cart', { ...MUG, quantity: 1 }, 'cart'],
    ]);
  });

  it('storefront: false leaves theme pages to the script tag and sends the checkout only', async () => {
    const sb = sandbox();
    start(sb, { storefront: false });
    sb.emit([...storefront(), ...fullCheckout()]);
    await until(() => stored().length >= 8);
    await wait(FLUSH_MS + 50);
    expect(stored().map((e) => e.pageType)).toEqual(['checkout', 'checkout', 'checkout', 'checkout', 'checkout', 'order_confirmation', 'order_confirmation', 'order_confirmation']);
  });
});

describe('consent: Shopify’s customer privacy', () => {
  it('analytics not allowed: nothing is sent or read until the visitor allows it, then what waited goes', async () => {
    const sb = sandbox({ analyticsProcessingAllowed: false, storage: storefrontKeys() });
    start(sb);
    sb.emit(fullCheckout().slice(0, 3));
    await wait(FLUSH_MS + 100);
    expect([collector.bodies, sb.reads, sb.writes]).toEqual([[], [], []]);
    sb.consent(true);
    await until(() => stored().length >= 3);
    expect(stored().map((e) => [e.type, e.anonymousId])).toEqual([
      ['page_viewed', 'a-storefront'],
      ['checkout_started', 'a-storefront'],
      ['checkout_step_completed', 'a-storefront'],
    ]);
  });

  it('declined: what waited is dropped and later events are not sent', async () => {
    const sb = sandbox({ analyticsProcessingAllowed: false });
    start(sb);
    sb.emit(fullCheckout().slice(0, 3));
    sb.consent(false);
    sb.emit(fullCheckout().slice(3));
    await wait(FLUSH_MS + 100);
    expect([collector.bodies, sb.reads, sb.writes]).toEqual([[], [], []]);
  });

  it('withdrawn during the checkout: later events are not sent', async () => {
    const sb = sandbox();
    start(sb);
    sb.emit(fullCheckout().slice(0, 2));
    await until(() => stored().length >= 2);
    sb.consent(false);
    sb.emit(fullCheckout().slice(2));
    await wait(FLUSH_MS + 100);
    expect(stored().map((e) => e.type)).toEqual(['page_viewed', 'checkout_started']);
  });

  it('anonymous: no persistent id, no Shopify id, storage never touched', async () => {
    const sb = sandbox({ storage: storefrontKeys() });
    start(sb, { anonymous: true });
    sb.emit(fullCheckout());
    await until(() => stored().length >= 8);
    for (const e of stored()) expect([e.anonymousId, 'shopify_client_id' in e.properties]).toEqual([null, false]);
    expect([sb.reads, sb.writes]).toEqual([[], []]);
  });
});

describe('delivery from a sandbox that can go at any moment', () => {
  it('a collector answering 503 gets the same events again, once, when it answers 200', async () => {
    collector = fakeCollector((_, n) => (n == 1 ? 503 : 200));
    vi.stubGlobal('fetch', collector.fetch);
    const sb = sandbox();
    start(sb);
    sb.emit(fullCheckout().slice(0, 2));
    await until(() => stored().length >= 2);
    expect(collector.bodies).toHaveLength(2);
    expect(collector.bodies[0]).toBe(collector.bodies[1].replace(/"sentAt":\d+/, collector.bodies[0].match(/"sentAt":\d+/)![0]));
    expect(stored().map((e) => e.type)).toEqual(['page_viewed', 'checkout_started']);
  });

  it('a batch the collector rejects (400) is dropped and does not hold back the next', async () => {
    collector = fakeCollector((_, n) => (n == 1 ? 400 : 200));
    vi.stubGlobal('fetch', collector.fetch);
    const sb = sandbox();
    const pixel = start(sb);
    sb.emit(fullCheckout().slice(0, 1));
    await until(() => collector.bodies.length >= 1);
    await pixel.flush();
    sb.emit(fullCheckout().slice(1, 2));
    await until(() => stored().length >= 1);
    expect(stored().map((e) => e.type)).toEqual(['checkout_started']);
  });
});

describe('never throws, whatever Shopify or the shop hands it', () => {
  it('without a usable endpoint or outside a sandbox it subscribes to nothing', () => {
    for (const endpoint of ['', 'not a url', 'http://collect.example/collect', 'ftp://collect.example/']) {
      const sb = sandbox();
      expect(() => parcoursPixel({ endpoint }, sb.api)).not.toThrow();
      expect(sb.subscribed()).toEqual([]);
    }
    expect(() => parcoursPixel({ endpoint: ENDPOINT }, {} as never)).not.toThrow();
    expect(() => parcoursPixel(undefined as never, undefined)).not.toThrow();
  });

  it('subscribes to each documented standard event it maps', () => {
    const sb = sandbox();
    start(sb);
    expect(sb.subscribed().sort()).toEqual(
      [
        'page_viewed', 'collection_viewed', 'search_submitted', 'product_viewed', 'product_added_to_cart', 'product_removed_from_cart', 'cart_viewed',
        'checkout_started', 'checkout_contact_info_submitted', 'checkout_address_info_submitted', 'checkout_shipping_info_submitted',
        'payment_info_submitted', 'checkout_completed', 'alert_displayed',
      ].sort(),
    );
  });

  it('an event whose data cannot be read is skipped; the next ones are sent', async () => {
    const sb = sandbox();
    start(sb);
    const hostile = { ...event('product_viewed', {}), data: new Proxy({}, { get: () => { throw new Error('no'); } }) };
    sb.emit([hostile, event('page_viewed', {})]);
    await until(() => stored().length >= 1);
    await wait(FLUSH_MS + 50);
    expect(stored().map((e) => e.type)).toEqual(['page_viewed']);
  });
});
