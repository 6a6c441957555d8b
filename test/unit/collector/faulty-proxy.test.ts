// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { startFaultyProxy } from '../../browser/support/faulty-proxy.mjs';
import { batch, call, event, post, rowCount } from './support';

const SHOP = 'https://shop.example';
let collector: Awaited<ReturnType<typeof startCollector>>;
let proxy: Awaited<ReturnType<typeof startFaultyProxy>>;
beforeAll(async () => {
  collector = await startCollector({ origins: [SHOP] });
  proxy = await startFaultyProxy({ target: collector.url });
});
afterAll(async () => {
  await proxy.close();
  await collector.close();
});
beforeEach(() => {
  proxy.setFault(null);
  proxy.requests.length = 0;
  collector.db.exec('DELETE FROM events');
});

/** Fetch sees a dropped connection as an error; this turns it into a value to assert on. */
const outcome = (promise: Promise<{ status: number }>) => promise.then((a) => a.status, (e: NodeJS.ErrnoException) => e.code ?? e.message);

describe('without a fault the proxy is transparent', () => {
  it('forwards POSTs and their answers, and logs each request', async () => {
    const body = JSON.stringify(batch([event(), event()]));
    const answer = await post(proxy.url, body, { Origin: SHOP });
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { ok: true, stored: 2, duplicates: 0 }]);
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    expect(rowCount(collector.db)).toBe(2);
    expect(proxy.requests).toEqual([{ method: 'POST', path: '/collect', status: 200, bodyBytes: Buffer.byteLength(body), faulted: false }]);
  });

  it("forwards the collector's own refusals", async () => {
    expect((await post(proxy.url, '{', { Origin: SHOP })).status).toBe(400);
    expect((await post(proxy.url, batch([event()]), { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('answers 502 when the collector is down', async () => {
    const lonely = await startFaultyProxy({ target: 'http://127.0.0.1:9' }); // discard port: nothing listens
    try {
      expect((await call(lonely.url, '/health')).status).toBe(502);
      expect(lonely.requests[0]).toMatchObject({ path: '/health', status: 502 });
    } finally {
      await lonely.close();
    }
  });
});

describe('a fault answers POSTs instead of the collector', () => {
  it('sends 503 with Retry-After, readable cross-origin, and stores nothing', async () => {
    proxy.setFault({ status: 503, retryAfter: 2 });
    const answer = await post(proxy.url, batch([event()]), { Origin: SHOP });
    expect(answer.status).toBe(503);
    expect(answer.headers).toMatchObject({
      'retry-after': '2',
      'access-control-allow-origin': SHOP,
      'access-control-expose-headers': 'Retry-After',
    });
    expect(rowCount(collector.db)).toBe(0);
    expect(proxy.requests[0]).toMatchObject({ method: 'POST', status: 503, faulted: true });
  });

  it.each([400, 413, 500, 429])('sends %i as asked', async (status) => {
    proxy.setFault({ status });
    expect((await post(proxy.url, batch([event()]))).status).toBe(status);
    expect(rowCount(collector.db)).toBe(0);
  });

  it('can withhold CORS headers, as a load balancer error page would', async () => {
    proxy.setFault({ status: 502, cors: false });
    const answer = await post(proxy.url, batch([event()]), { Origin: SHOP });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('drops the connection without an answer', async () => {
    proxy.setFault({ drop: true });
    expect(await outcome(post(proxy.url, batch([event()])))).toBe('ECONNRESET');
    expect(rowCount(collector.db)).toBe(0);
    expect(proxy.requests[0]).toMatchObject({ method: 'POST', status: 0, faulted: true });
  });

  it('lasts for `times` POSTs, then forwards again', async () => {
    proxy.setFault({ status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(proxy.url, batch([event()]))).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(rowCount(collector.db)).toBe(1);
  });

  it('ends with setFault(null)', async () => {
    proxy.setFault({ status: 503 });
    await post(proxy.url, batch([event()]));
    proxy.setFault(null);
    expect((await post(proxy.url, batch([event()]))).status).toBe(200);
  });

  it('leaves GETs and CORS preflights alone', async () => {
    proxy.setFault({ drop: true });
    const preflight = await call(proxy.url, '/collect', {
      method: 'OPTIONS',
      headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST' },
    });
    expect([preflight.status, preflight.headers['access-control-allow-origin']]).toEqual([204, SHOP]);
    expect((await call(proxy.url, '/health')).status).toBe(200);
    expect(proxy.requests.map((r) => [r.method, r.status, r.faulted])).toEqual([
      ['OPTIONS', 204, false],
      ['GET', 200, false],
    ]);
  });
});
