// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post } from './support';

let collector: Awaited<ReturnType<typeof startCollector>>;
const a1 = event({ id: 'a1', ts: 3000, type: 'page_viewed', sessionId: 's-a' });
const a2 = event({ id: 'a2', ts: 1000, type: 'product_viewed', sessionId: 's-a' });
const a3 = event({ id: 'a3', ts: 2000, type: 'page_viewed', sessionId: 's-b' });
const b1 = event({ id: 'b1', ts: 2000, type: 'page_viewed', sessionId: 's-c' });

beforeAll(async () => {
  collector = await startCollector();
  await post(collector.url, batch([a1, a2, a3], 'shop-a'));
  await post(collector.url, batch([b1], 'shop-b'));
  await post(collector.url, batch([a2], 'shop-a')); // a2 delivered twice
});
afterAll(() => collector.close());

const list = async (query = '') => {
  const answer = await call(collector.url, '/events' + query);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(answer.text) as Array<Record<string, unknown>>;
};
const ids = async (query = '') => (await list(query)).map((e) => e.id);

describe('GET /events lists stored events', () => {
  it('returns each event as it was sent, plus _deliveries', async () => {
    const events = await list('?site=shop-a&type=product_viewed');
    expect(events).toEqual([{ ...a2, _deliveries: 2 }]);
  });

  it('orders by ts, then by arrival', async () => {
    expect(await ids()).toEqual(['a2', 'a3', 'b1', 'a1']);
  });

  it.each([
    ['?site=shop-b', ['b1']],
    ['?type=page_viewed', ['a3', 'b1', 'a1']],
    ['?session=s-a', ['a2', 'a1']],
    ['?site=shop-a&type=page_viewed', ['a3', 'a1']],
    ['?site=shop-a&session=s-b', ['a3']],
    ['?site=nobody', []],
    ['?limit=2', ['a2', 'a3']],
  ])('filters with %s', async (query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it.each(['0', '-1', '1.5', 'ten', '100001'])('refuses limit=%s with 400', async (limit) => {
    const answer = await call(collector.url, `/events?limit=${limit}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ error: 'limit must be an integer of 1..100000' });
  });
});
