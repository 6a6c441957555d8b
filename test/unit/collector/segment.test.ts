// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { SEGMENT_EVENT_NAMES as COLLECTOR_NAMES, PARCOURS_EVENT_TYPES } from '../../../examples/collector/segment.mjs';
import { SEGMENT_EVENT_NAMES, segmentFormat } from '../../../src/format/segment';
import type { ParcoursEvent } from '../../../src/types';
import { call, rowCount } from './support';

// POST /v1/batch: Segment-format batches stored like parcours batches, so /events reads both the same.

let collector: Awaited<ReturnType<typeof startCollector>>;
let locked: Awaited<ReturnType<typeof startCollector>>;
beforeAll(async () => {
  collector = await startCollector();
  locked = await startCollector({ writeKeys: ['abc123', 'clé'] });
});
afterAll(() => Promise.all([collector.close(), locked.close()]));
beforeEach(() => {
  collector.db.exec('DELETE FROM events');
  locked.db.exec('DELETE FROM events');
});

const format = segmentFormat({ writeKey: 'abc123' });

/** POST a body to /v1/batch (an object as JSON), with the SDK's headers unless others are given. */
const post = (base: string, body: unknown, headers: Record<string, string> = format.headers!) =>
  call(base, '/v1/batch', { method: 'POST', headers, body: typeof body == 'string' ? body : JSON.stringify(body) });
/** What the SDK would send for these events. */
const sdkBody = (events: ParcoursEvent[], site: string | null = 'demo') => format.body(events.map((e) => format.item(e)!), Date.now(), site);
const stored = async (base = collector.url) => JSON.parse((await call(base, '/events')).text) as Record<string, unknown>[];

let n = 0;
const event = (overrides: Partial<ParcoursEvent> = {}): ParcoursEvent => ({
  id: `5e0c2f4a-1b2c-4d3e-8f90-${String(++n).padStart(12, '0')}`,
  type: 'product_viewed',
  ts: 1_764_066_600_000 + n,
  sessionId: 'sess-1',
  anonymousId: 'anon-1',
  userId: null,
  page: { url: 'https://shop.example/products/apron?c=blue', path: '/products/apron', title: 'Linen apron', referrer: '' },
  properties: {},
  stage: 'consideration',
  touchpoint: 'product_page',
  pageType: 'product',
  lifecycle: 'new',
  ...overrides,
});

const apron = { id: 'apron-1', sku: 'AP-1', name: 'Linen apron', brand: 'Atelier', variant: 'Blue', price: 24.5, currency: 'EUR', quantity: 1, category: 'Kitchen' };

/** A valid message, as another Segment library would send it. */
const message = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  messageId: 'm-' + ++n,
  anonymousId: 'anon-9',
  timestamp: '2025-11-25T10:30:00.000Z',
  properties: { product_id: 'p-1' },
  ...overrides,
});

describe('POST /v1/batch stores what segmentFormat sends', () => {
  it('answers 200 {success:true} after storing each message as a parcours row', async () => {
    const e = event({ userId: 'u-1', properties: { product: apron } });
    const answer = await post(collector.url, sdkBody([e], 'shop-a'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ success: true, stored: 1, duplicates: 0 });
    expect(collector.db.prepare('SELECT * FROM events').get()).toMatchObject({
      id: e.id,
      site: 'shop-a',
      type: 'product_viewed',
      ts: e.ts,
      session_id: 'sess-1',
      anonymous_id: 'anon-1',
      user_id: 'u-1',
      stage: 'consideration',
      touchpoint: 'product_page',
      page_type: 'product',
      lifecycle: 'new',
      path: '/products/apron',
      deliveries: 1,
    });
  });

  it('round-trips events to exactly what /collect would have stored', async () => {
    const originals = [
      event({ type: 'page_viewed', properties: { product: apron } }),
      event({ type: 'product_viewed', properties: { product: apron } }),
      event({ type: 'product_added_to_cart', properties: { product: { ...apron, quantity: 2 } }, stage: 'purchase', touchpoint: 'cart' }),
      event({ type: 'product_list_viewed', properties: { list: { id: 'kitchen', name: 'Kitchen', items: [apron] } } }),
      event({ type: 'search_submitted', properties: { query: 'apron' }, touchpoint: 'site_search' }),
      event({ type: 'cart_viewed', properties: { cart: { id: 'c-1', items: [apron], total: 24.5, currency: 'EUR', itemCount: 1 } } }),
      event({ type: 'checkout_step_viewed', properties: { step: 'shipping' }, stage: 'purchase', touchpoint: 'checkout' }),
      event({ type: 'order_completed', properties: { order: { id: 'o-1', revenue: 59.99, tax: 10, shipping: 4.99, currency: 'EUR', coupon: 'MAY', items: [apron] } } }),
      event({ type: 'identify', userId: 'u-42', properties: { plan: 'gold' } }),
      event({ type: 'rage_click', properties: { selector: 'button', count: 3 }, stage: undefined, lifecycle: undefined }),
      event({ type: 'share', anonymousId: null, properties: { product: apron, share_via: 'email' }, stage: 'advocacy', touchpoint: 'social' }),
    ];
    expect((await post(collector.url, sdkBody(originals))).status).toBe(200);
    const rows = await stored();
    expect(rows.map(({ _deliveries, ...e }) => e)).toEqual(originals.map((e) => JSON.parse(JSON.stringify(e))));
    expect(rows.every((r) => r._deliveries == 1)).toBe(true);
  });

  it('dedups by messageId: a batch sent again stores nothing new', async () => {
    const body = sdkBody([event(), event()]);
    await post(collector.url, body);
    const again = await post(collector.url, body);
    expect(JSON.parse(again.text)).toEqual({ success: true, stored: 0, duplicates: 2 });
    expect(rowCount(collector.db)).toBe(2);
    expect((await stored()).map((r) => r._deliveries)).toEqual([2, 2]);
  });

  it('reads messages of other Segment libraries: no parcours block, page fields in properties', async () => {
    const body = {
      batch: [
        message({ type: 'page', event: undefined, name: 'Home', properties: { url: 'https://a.example/?x=1', path: '/', title: 'Home', referrer: '', search: '?x=1', plan: 'b' } }),
        message({ event: 'Order Completed', anonymousId: undefined, userId: 'u-5', properties: { order_id: 'o-9', total: 20, products: [{ product_id: 'p' }] } }),
      ],
    };
    expect((await post(collector.url, body, { 'Content-Type': 'text/plain' })).status).toBe(200);
    const [page, order] = await stored();
    expect(page).toMatchObject({ type: 'page_viewed', sessionId: 'anon-9', anonymousId: 'anon-9', page: { url: 'https://a.example/?x=1', path: '/', title: 'Home', referrer: '' }, properties: { plan: 'b' } });
    expect(page).not.toHaveProperty('stage');
    expect(order).toMatchObject({ type: 'order_completed', sessionId: 'u-5', anonymousId: null, userId: 'u-5', properties: { order: { id: 'o-9', revenue: 20, items: [{ id: 'p' }] } } });
    expect(collector.db.prepare('SELECT site FROM events').all()).toEqual([{ site: null }, { site: null }]);
  });
});

describe('POST /v1/batch refuses what the spec forbids, storing nothing of the batch', () => {
  /** A batch whose second message is `m`: the valid first one must not be stored either. */
  const bad = (m: unknown) => ({ batch: [message(), m] });
  it.each([
    ['a body that is not JSON', '{"batch":', 'body is not valid JSON'],
    ['a body that is not an object', [], 'body must be an object'],
    ['no batch array', { messages: [] }, 'batch must be an array'],
    ['a context that is not an object', { batch: [], context: 'x' }, 'context must be an object'],
    ['a message that is not an object', bad('x'), 'batch[1] must be an object'],
    ['an unknown type', bad(message({ type: 'click' })), 'batch[1].type must be one of track, page, identify'],
    ['no messageId', bad(message({ messageId: undefined })), 'batch[1].messageId must be'],
    ['neither anonymousId nor userId', bad(message({ anonymousId: null, userId: null })), 'batch[1] needs an anonymousId or a userId'],
    ['an empty userId', bad(message({ userId: '' })), 'batch[1].userId must be null or a string'],
    ['no timestamp', bad(message({ timestamp: undefined })), 'batch[1].timestamp must be an ISO 8601'],
    ['an epoch timestamp', bad(message({ timestamp: 1764066600000 })), 'batch[1].timestamp must be an ISO 8601'],
    ['a timestamp without time zone', bad(message({ timestamp: '2025-11-25T10:30:00' })), 'batch[1].timestamp must be an ISO 8601'],
    ['an impossible date', bad(message({ timestamp: '2025-13-45T10:30:00Z' })), 'batch[1].timestamp must be an ISO 8601'],
    ['a track without event', bad(message({ event: undefined })), 'batch[1].event must be'],
    ['properties that are not an object', bad(message({ properties: [1] })), 'batch[1].properties must be an object'],
    ['a message over 32 KB', bad(message({ properties: { blob: 'x'.repeat(33_000) } })), 'batch[1] is larger than 32768 bytes'],
    ['a page url over the 8192 characters parcours stores', bad(message({ context: { page: { url: 'x'.repeat(9000) } } })), 'batch[1] is not storable: page.url must be'],
  ])('answers 400 to %s', async (_, body, error) => {
    const answer = await post(collector.url, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toContain(error);
    expect(rowCount(collector.db)).toBe(0);
  });

  it('answers 413 to a body over 500 KB and 415 to a compressed one', async () => {
    expect((await post(collector.url, { batch: [], pad: 'x'.repeat(520 * 1024) })).status).toBe(413);
    expect((await post(collector.url, { batch: [] }, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })).status).toBe(415);
  });
});

describe('write keys', () => {
  const body = () => sdkBody([event()]);

  it('a collector started with writeKeys stores a request whose Basic username is one of them', async () => {
    expect((await post(locked.url, body())).status).toBe(200);
    expect((await post(locked.url, body(), segmentFormat({ writeKey: 'clé' }).headers)).status).toBe(200);
    expect(rowCount(locked.db)).toBe(2);
  });

  it('also accepts the write key in the body, as the spec allows', async () => {
    const withKey = { ...JSON.parse(body()), writeKey: 'abc123' };
    expect((await post(locked.url, withKey, { 'Content-Type': 'text/plain' })).status).toBe(200);
  });

  it.each([
    ['no key', { 'Content-Type': 'application/json' }],
    ['an unknown key', segmentFormat({ writeKey: 'nope' }).headers!],
    ['a Bearer token', { Authorization: 'Bearer abc123' }],
  ])('answers 401 to %s, storing nothing', async (_, headers) => {
    expect((await post(locked.url, body(), headers)).status).toBe(401);
    expect(rowCount(locked.db)).toBe(0);
  });

  it('lets a browser ask for the Authorization header in a CORS preflight', async () => {
    const c = await startCollector({ origins: ['https://shop.example'] });
    try {
      const answer = await call(c.url, '/v1/batch', {
        method: 'OPTIONS',
        headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      });
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-headers']).toMatch(/Authorization/);
      expect(answer.headers['access-control-allow-origin']).toBe('https://shop.example');
    } finally {
      await c.close();
    }
  });
});

describe('the event name tables', () => {
  it('the collector reads names with the same table the SDK writes them with', () => {
    expect(COLLECTOR_NAMES).toEqual(SEGMENT_EVENT_NAMES);
  });

  it('every Segment name maps back to one parcours type', () => {
    for (const [type, name] of Object.entries(SEGMENT_EVENT_NAMES)) expect(PARCOURS_EVENT_TYPES[name]).toBe(type);
    expect(Object.keys(PARCOURS_EVENT_TYPES)).toHaveLength(Object.keys(SEGMENT_EVENT_NAMES).length);
  });

  it('keeps names that are not in the table, even Object member names', async () => {
    await post(collector.url, { batch: [message({ event: 'constructor' }), message({ event: 'Newsletter Signed Up' })] });
    expect((await stored()).map((e) => e.type)).toEqual(['constructor', 'Newsletter Signed Up']);
  });
});
