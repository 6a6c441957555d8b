import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import pkg from '../../../package.json';
import type { ParcoursEvent, Tracker } from '../../../src/types';
import { SEGMENT_EVENT_NAMES, segmentFormat } from '../../../src/format/segment';
import { MAX_BODY_BYTES } from '../../../src/transport';
import { batchProblems, ECOMMERCE_EVENTS, messageProblems } from './segmentSpec';

// The Segment format, checked against the HTTP Tracking API's published rules (./segmentSpec.ts).

const VERSION = pkg.version;

let n = 0;
const event = (overrides: Partial<ParcoursEvent> = {}): ParcoursEvent => ({
  id: `0b9d3c1e-5d7a-4f7e-9a3b-${String(++n).padStart(12, '0')}`,
  type: 'product_viewed',
  ts: Date.UTC(2025, 10, 25, 10, 30, 0, 123),
  sessionId: 'sess-1',
  anonymousId: 'anon-1',
  userId: null,
  page: { url: 'https://shop.example/products/apron?color=blue#reviews', path: '/products/apron', title: 'Linen apron', referrer: 'https://www.google.com/' },
  properties: {},
  stage: 'consideration',
  touchpoint: 'product_page',
  pageType: 'product',
  lifecycle: 'new',
  ...overrides,
});

type Message = Record<string, any>;
const format = segmentFormat({ writeKey: 'abc123' });
/** The message an event becomes, parsed. */
const message = (e: ParcoursEvent, f = format): Message => JSON.parse(f.item(e)!);
const body = (events: ParcoursEvent[], site: string | null = 'demo', sentAt = Date.UTC(2025, 10, 25, 10, 31)) =>
  format.body(events.map((e) => format.item(e)!), sentAt, site);

const apron = { id: 'apron-1', sku: 'AP-1', name: 'Linen apron', brand: 'Atelier', variant: 'Blue', price: 24.5, currency: 'EUR', quantity: 1, category: 'Kitchen' };
const apronSegment = { product_id: 'apron-1', sku: 'AP-1', name: 'Linen apron', brand: 'Atelier', variant: 'Blue', price: 24.5, currency: 'EUR', quantity: 1, category: 'Kitchen' };

describe('segmentFormat builds batches the Segment HTTP API accepts', () => {
  it('passes every rule of the spec for a mixed batch of track, page and identify messages', () => {
    const events = [
      event({ type: 'page_viewed' }),
      event({ type: 'product_viewed', properties: { product: apron } }),
      event({ type: 'order_completed', properties: { order: { id: 'o-1', revenue: 30, tax: 2, shipping: 3, currency: 'EUR', coupon: 'MAY', items: [apron] } } }),
      event({ type: 'checkout_step_viewed', properties: { step: 'payment' } }),
      event({ type: 'rage_click', properties: { selector: 'button.buy', count: 4 } }),
      event({ type: 'identify', userId: 'u-42', properties: { plan: 'gold' } }),
    ];
    const parsed = JSON.parse(body(events));
    expect(batchProblems(parsed)).toEqual([]);
    expect(parsed.batch.map((m: Message) => m.type)).toEqual(['page', 'track', 'track', 'track', 'track', 'identify']);
    expect(parsed.sentAt).toBe('2025-11-25T10:31:00.000Z');
  });

  it('the validator rejects what the spec forbids (so the previous test can fail)', () => {
    const m = message(event());
    expect(messageProblems({ ...m, anonymousId: null, userId: null })).toEqual(['message has neither a userId nor an anonymousId']);
    expect(messageProblems({ ...m, timestamp: 1764066600123 })).toEqual(['message.timestamp is not an ISO 8601 date']);
    expect(messageProblems({ ...m, type: 'click' })).toEqual(['message.type is not a valid method name']);
    expect(messageProblems({ ...m, event: undefined })).toEqual(['message.event is missing']);
    expect(messageProblems({ ...m, properties: { ...m.properties, price: '24.50' } })).toEqual(['message.properties.price is not number']);
    expect(batchProblems({ batch: [m], sentAt: 'yesterday' })).toEqual(['sentAt is not an ISO 8601 date']);
  });

  it('uses the parcours event id as messageId (the dedup key) and ISO 8601 timestamps', () => {
    const e = event();
    expect(message(e)).toMatchObject({ messageId: e.id, timestamp: '2025-11-25T10:30:00.123Z' });
  });

  it('sends anonymousId and userId; in anonymous mode the session id stands in for the anonymousId', () => {
    expect(message(event({ userId: 'u-1' }))).toMatchObject({ anonymousId: 'anon-1', userId: 'u-1' });
    const anonymous = message(event({ anonymousId: null }));
    expect(anonymous).toMatchObject({ anonymousId: 'sess-1', userId: null });
    expect(messageProblems(anonymous)).toEqual([]);
  });

  it('turns page_viewed into a page message named by the title, with the page as properties and context', () => {
    const m = message(event({ type: 'page_viewed', properties: { product: apron } }));
    const page = { url: 'https://shop.example/products/apron?color=blue#reviews', path: '/products/apron', title: 'Linen apron', referrer: 'https://www.google.com/', search: '?color=blue' };
    expect(m).toMatchObject({ type: 'page', name: 'Linen apron', properties: { ...page, product: apron }, context: { page } });
    expect(m.event).toBeUndefined();
    expect(message(event({ type: 'page_viewed', page: { url: 'https://a.example/', path: '/', title: '', referrer: '' } }))).not.toHaveProperty('name');
  });

  it('turns identify into an identify message whose traits are the properties', () => {
    const m = message(event({ type: 'identify', userId: 'u-42', properties: { email_domain: 'example.com', plan: 'gold' } }));
    expect(m).toMatchObject({ type: 'identify', userId: 'u-42', traits: { email_domain: 'example.com', plan: 'gold' } });
    expect(m.properties).toBeUndefined();
  });

  it('names the library with the package version and sends no user agent (the receiver reads the header)', () => {
    const { context } = message(event());
    expect(context.library).toEqual({ name: 'parcours', version: VERSION });
    expect(context.userAgent).toBeUndefined();
  });
});

describe('journey tags, session and site travel in a `parcours` block', () => {
  const tags = { sessionId: 'sess-1', stage: 'consideration', touchpoint: 'product_page', pageType: 'product', lifecycle: 'new' };

  it('in the properties of track and page messages, where destinations and warehouses see them', () => {
    expect(message(event()).properties.parcours).toEqual(tags);
    expect(message(event({ type: 'page_viewed' })).properties.parcours).toEqual(tags);
  });

  it('in the context of identify messages, since traits describe the user', () => {
    const m = message(event({ type: 'identify', userId: 'u' }));
    expect(m.context.parcours).toEqual(tags);
    expect(m.traits.parcours).toBeUndefined();
  });

  it('leaves out tags an event does not have', () => {
    expect(message(event({ stage: undefined, touchpoint: undefined, pageType: undefined, lifecycle: undefined })).properties.parcours).toEqual({ sessionId: 'sess-1' });
  });

  it('sends the site once, in the batch context (merged into every message), and nothing for a null site', () => {
    expect(JSON.parse(body([event()], 'shop-a')).context).toEqual({ parcours: { site: 'shop-a' } });
    expect(JSON.parse(body([event()], null))).not.toHaveProperty('context');
    expect(JSON.parse(body([], '"quoted"'))).toEqual({ batch: [], sentAt: expect.any(String), context: { parcours: { site: '"quoted"' } } });
  });
});

describe('event names follow the e-commerce spec (v2)', () => {
  const EXPECTED: [string, string][] = [
    ['search_submitted', 'Products Searched'],
    ['product_list_viewed', 'Product List Viewed'],
    ['product_list_filtered', 'Product List Filtered'],
    ['promotion_viewed', 'Promotion Viewed'],
    ['promotion_clicked', 'Promotion Clicked'],
    ['product_clicked', 'Product Clicked'],
    ['product_viewed', 'Product Viewed'],
    ['product_added_to_cart', 'Product Added'],
    ['product_removed_from_cart', 'Product Removed'],
    ['cart_viewed', 'Cart Viewed'],
    ['checkout_started', 'Checkout Started'],
    ['checkout_step_viewed', 'Checkout Step Viewed'],
    ['checkout_step_completed', 'Checkout Step Completed'],
    ['payment_info_submitted', 'Payment Info Entered'],
    ['order_completed', 'Order Completed'],
    ['order_updated', 'Order Updated'],
    ['order_refunded', 'Order Refunded'],
    ['order_cancelled', 'Order Cancelled'],
    ['coupon_entered', 'Coupon Entered'],
    ['coupon_applied', 'Coupon Applied'],
    ['coupon_denied', 'Coupon Denied'],
    ['coupon_removed', 'Coupon Removed'],
    ['product_added_to_wishlist', 'Product Added to Wishlist'],
    ['product_removed_from_wishlist', 'Product Removed from Wishlist'],
    ['wishlist_product_added_to_cart', 'Wishlist Product Added to Cart'],
    ['share', 'Product Shared'],
    ['cart_shared', 'Cart Shared'],
    ['review_submitted', 'Product Reviewed'],
  ];

  it.each(EXPECTED)('sends %s as "%s", a name of the spec', (type, name) => {
    expect(SEGMENT_EVENT_NAMES[type]).toBe(name);
    expect(ECOMMERCE_EVENTS).toContain(name);
    expect(message(event({ type })).event).toBe(name);
  });

  it('maps every event of the spec, and nothing else', () => {
    expect(Object.entries(SEGMENT_EVENT_NAMES)).toEqual(EXPECTED);
    expect([...Object.values(SEGMENT_EVENT_NAMES)].sort()).toEqual([...ECOMMERCE_EVENTS].sort());
  });

  it.each(['rage_click', 'web_vital', 'events_dropped', 'Newsletter Signed Up', 'toString', 'constructor'])('sends the unmapped %s under its own name', (type) => {
    expect(message(event({ type })).event).toBe(type);
  });
});

describe('properties use the spec names', () => {
  const props = (type: string, properties: ParcoursEvent['properties']) => {
    const { parcours: _, ...rest } = message(event({ type, properties })).properties;
    return rest;
  };

  it('a product event carries the product flat, its id as product_id', () => {
    expect(props('product_viewed', { product: apron })).toEqual(apronSegment);
    expect(props('product_added_to_cart', { product: { ...apron, quantity: 2 }, cartId: 'c-1' })).toEqual({ ...apronSegment, quantity: 2, cartId: 'c-1' });
    expect(props('share', { product: apron, share_via: 'whatsapp' })).toEqual({ ...apronSegment, share_via: 'whatsapp' });
  });

  it('an order becomes order_id, total (what was paid), revenue (without tax and shipping), tax, shipping, coupon, products', () => {
    const order = { id: 'o-1', revenue: 59.99, tax: 10, shipping: 4.99, currency: 'EUR', coupon: 'MAY', items: [apron, { ...apron, id: 'mug-2', quantity: 2 }] };
    expect(props('order_completed', { order })).toEqual({
      order_id: 'o-1',
      total: 59.99,
      revenue: 45,
      tax: 10,
      shipping: 4.99,
      currency: 'EUR',
      coupon: 'MAY',
      products: [apronSegment, { ...apronSegment, product_id: 'mug-2', quantity: 2 }],
    });
  });

  it('treats flat properties of the same shape the same way', () => {
    expect(props('order_completed', { id: 'o-2', revenue: 10, items: [{ id: 'p' }] })).toEqual({ order_id: 'o-2', total: 10, revenue: 10, products: [{ product_id: 'p' }] });
    expect(props('product_viewed', { id: 'p-9', price: 3 })).toEqual({ product_id: 'p-9', price: 3 });
  });

  it('a cart becomes cart_id, products and value', () => {
    const cart = { id: 'c-1', items: [apron], total: 24.5, currency: 'EUR', itemCount: 1 };
    const expected = { cart_id: 'c-1', products: [apronSegment], value: 24.5, currency: 'EUR', itemCount: 1 };
    expect(props('cart_viewed', { cart })).toEqual(expected);
    expect(props('checkout_started', { cart })).toEqual(expected);
  });

  it('a product list becomes list_id, category and products', () => {
    expect(props('product_list_viewed', { list: { id: 'kitchen', name: 'Kitchen', items: [apron] } })).toEqual({ list_id: 'kitchen', category: 'Kitchen', products: [apronSegment] });
  });

  it.each([
    ['contact', 1],
    ['shipping', 2],
    ['payment', 3],
    ['review', 4],
  ])('numbers the checkout step %s as %i, keeping its name as step_name', (step, number) => {
    expect(props('checkout_step_viewed', { step })).toEqual({ step: number, step_name: step });
    expect(props('checkout_step_completed', { step })).toEqual({ step: number, step_name: step });
  });

  it('keeps search queries and unknown properties as they are', () => {
    expect(props('search_submitted', { query: 'linen apron', results: 12 })).toEqual({ query: 'linen apron', results: 12 });
    expect(props('rage_click', { id: 'x', step: 'other', name: 'n' })).toEqual({ id: 'x', step: 'other', name: 'n' });
  });
});

describe('size limits and authentication', () => {
  it('declares the 32 KB message limit, so a larger event is reported unfit instead of sent', () => {
    expect(format.maxItemBytes).toBe(32_000);
    const big = event({ properties: Object.fromEntries(Array.from({ length: 17 }, (_, i) => ['k' + i, 'x'.repeat(2000)])) });
    expect(Buffer.byteLength(format.item(big)!)).toBeGreaterThan(32_000);
    expect(Buffer.byteLength(format.item(big)!)).toBeLessThan(MAX_BODY_BYTES);
  });

  it('sends the write key as HTTP Basic username with an empty password, with a JSON content type', () => {
    // The spec's own example: write key 'abc123' → 'Basic YWJjMTIzOg=='.
    expect(format.headers).toEqual({ Authorization: 'Basic YWJjMTIzOg==', 'Content-Type': 'application/json' });
    expect(segmentFormat({ writeKey: 'clé' }).headers!.Authorization).toBe('Basic ' + Buffer.from('clé:').toString('base64'));
  });

  it('without a write key sends no headers, so the tracker may still use sendBeacon at unload', () => {
    expect(segmentFormat().headers).toBeUndefined();
    expect(segmentFormat({ writeKey: '' }).headers).toBeUndefined();
    expect(segmentFormat({ writeKey: 42 as unknown as string }).headers).toBeUndefined();
  });

  it('reports an event it cannot encode as unfit instead of throwing', () => {
    expect(format.item(event({ ts: NaN }))).toBeUndefined();
    expect(format.item({ ...event(), page: undefined } as unknown as ParcoursEvent)).toBeUndefined();
  });
});

describe('a tracker in the Segment format', () => {
  let trackers: Tracker[] = [];
  beforeEach(() => {
    trackers.forEach((t) => t.destroy());
    trackers = [];
    localStorage.clear();
  });

  /** A fresh SDK whose fetch records each request; transport.ts takes `fetch` when it loads. */
  const load = async () => {
    const requests: { url: string; body: any; headers: Record<string, string> }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      requests.push({ url, body: JSON.parse(String(init.body)), headers: init.headers as Record<string, string> });
      return new Response('{"success":true}', { status: 200 });
    });
    vi.stubGlobal('indexedDB', new IDBFactory());
    vi.resetModules();
    const { createTracker } = await import('../../../src/tracker');
    const t = createTracker({ endpoint: 'http://127.0.0.1:1/v1/batch', site: 'demo', flushInterval: 60_000, format: segmentFormat({ writeKey: 'abc123' }) });
    trackers.push(t);
    return { t, requests };
  };

  it('posts spec-valid batches with the write key; an event of 34 KB of properties arrives cut under 32 KB, not dropped', async () => {
    const { t, requests } = await load();
    t.track('product_viewed', { product: apron });
    t.track('big', Object.fromEntries(Array.from({ length: 17 }, (_, i) => ['k' + i, 'x'.repeat(2000)])));
    t.identify('u-7', { plan: 'gold' });
    await t.flush();
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.url).toBe('http://127.0.0.1:1/v1/batch');
      expect(r.headers).toMatchObject({ Authorization: 'Basic YWJjMTIzOg==', 'Content-Type': 'application/json' });
      expect(batchProblems(r.body)).toEqual([]);
      expect(r.body.context).toEqual({ parcours: { site: 'demo' } });
    }
    const messages: Message[] = requests.flatMap((r) => r.body.batch);
    expect(messages.map((m) => m.event ?? m.type)).toEqual(['Product Viewed', 'big', 'identify']);
    expect(messages[1].properties).toMatchObject({ _truncated: true });
    expect(new TextEncoder().encode(JSON.stringify(messages[1])).length).toBeLessThanOrEqual(32_000);
    expect(messages[2]).toMatchObject({ userId: 'u-7', traits: { plan: 'gold' } });
  });
});
