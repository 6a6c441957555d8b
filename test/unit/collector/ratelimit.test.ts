// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT, clientAddress, createRateLimit } from '../../../examples/collector/ratelimit.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { type Answer, batch, call, event, post, rowCount } from './support';

describe('a token bucket per client', () => {
  it('lets a burst through at once, then asks to wait', () => {
    const take = createRateLimit({ rate: 5, burst: 10 });
    const waits = Array.from({ length: 12 }, () => take('a', 0));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('refills at `rate` tokens per second, never beyond `burst`', () => {
    const take = createRateLimit({ rate: 5, burst: 10 });
    for (let i = 0; i < 10; i++) take('a', 0);
    expect(take('a', 0)).toBe(1);
    // one second later: 5 tokens back
    expect(Array.from({ length: 6 }, () => take('a', 1000))).toEqual([0, 0, 0, 0, 0, 1]);
    // an hour later: a full bucket, not 18,000 tokens
    expect(Array.from({ length: 11 }, () => take('a', 3_600_000)).filter((w) => w === 0)).toHaveLength(10);
  });

  it('says how many whole seconds until a token is back, at least one', () => {
    const slow = createRateLimit({ rate: 0.25, burst: 1 });
    expect(slow('a', 0)).toBe(0);
    expect(slow('a', 0)).toBe(4);
    expect(slow('a', 1000)).toBe(3); // a refused request takes nothing
    const fast = createRateLimit({ rate: 1000, burst: 1 });
    expect(fast('a', 0)).toBe(0);
    expect(fast('a', 0)).toBe(1);
  });

  it('keeps clients apart', () => {
    const take = createRateLimit({ rate: 1, burst: 2 });
    expect([take('a', 0), take('a', 0), take('a', 0)]).toEqual([0, 0, 1]);
    expect([take('b', 0), take('b', 0), take('b', 0)]).toEqual([0, 0, 1]);
  });

  it('forgets the least recently seen client first when it tracks too many', () => {
    const take = createRateLimit({ rate: 1, burst: 1, clients: 2 });
    take('a', 0);
    take('b', 0);
    take('a', 0); // a is now the most recent
    take('c', 0); // over the limit: b goes
    expect(take('a', 0)).toBe(1); // still remembered, still empty
    expect(take('b', 0)).toBe(0); // forgotten: a full bucket again
  });

  it('refuses unusable settings', () => {
    for (const options of [{ rate: 0 }, { rate: -1 }, { burst: 0 }, { clients: 0 }, { rate: NaN }]) {
      expect(() => createRateLimit(options)).toThrow(RangeError);
    }
  });

  it('defaults to 50 requests a second with bursts of 100', () => expect(RATE_LIMIT).toMatchObject({ rate: 50, burst: 100 }));
});

const SHOP = 'https://shop.example';

/** GET /health from a chosen loopback address, so the collector sees another client. */
const healthFrom = (base: string, localAddress: string, headers: Record<string, string> = {}) =>
  new Promise<Answer>((resolve, reject) => {
    const { port } = new URL(base);
    request({ host: '127.0.0.1', port, path: '/health', localAddress, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    })
      .on('error', reject)
      .end();
  });

describe('the collector answers a client over its limit with 429 and Retry-After', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector({ origins: [SHOP], rateLimit: { rate: 0.1, burst: 3 } });
  });
  afterAll(() => collector.close());

  it('refuses the request after the burst, readable cross-origin, and stores nothing', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post(collector.url, batch([event()]), { Origin: SHOP }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const refused = answers[3];
    expect(refused.headers['retry-after']).toBe('10');
    expect(refused.headers['access-control-allow-origin']).toBe(SHOP);
    expect(refused.headers['access-control-expose-headers']).toBe('Retry-After');
    expect(JSON.parse(refused.text)).toEqual({ error: 'too many requests; retry in 10 s' });
    expect(rowCount(collector.db)).toBe(3);
  });

  it('limits each client address on its own', async () => {
    const other = await healthFrom(collector.url, '127.0.0.2');
    expect(other.status).toBe(200);
    expect((await healthFrom(collector.url, '127.0.0.1')).status).toBe(429);
  });
});

describe('behind a reverse proxy (trustProxy)', () => {
  it('reads the client from the right of X-Forwarded-For, as far as the trusted proxies go', () => {
    const req = (xff?: string) => ({ socket: { remoteAddress: '10.0.0.9' }, headers: xff ? { 'x-forwarded-for': xff } : {} });
    expect(clientAddress(req('198.51.100.7'), 0)).toBe('10.0.0.9'); // no proxy trusted: the socket's peer
    expect(clientAddress(req('198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('6.6.6.6, 198.51.100.7'), 1)).toBe('198.51.100.7'); // what the client wrote is ignored
    expect(clientAddress(req('198.51.100.7, 172.16.0.2'), 2)).toBe('198.51.100.7'); // CDN, then nginx
    expect(clientAddress(req(), 1)).toBe('10.0.0.9'); // no header: the peer itself
    expect(clientAddress(req(' , ,'), 3)).toBe('10.0.0.9');
  });

  it('limits each client behind the proxy on its own, and a forged header does not reset a bucket', async () => {
    const collector = await startCollector({ trustProxy: 1, rateLimit: { rate: 0.1, burst: 2 } });
    try {
      const from = (xff: string) => call(collector.url, '/health', { headers: { 'X-Forwarded-For': xff } }).then((a) => a.status);
      expect([await from('198.51.100.7'), await from('198.51.100.7'), await from('198.51.100.7')]).toEqual([200, 200, 429]);
      expect(await from('203.0.113.4')).toBe(200); // another shopper, same proxy: its own bucket
      expect(await from('1.2.3.4, 198.51.100.7')).toBe(429); // a forged left entry changes nothing
    } finally {
      await collector.close();
    }
  });

  it('refuses a trustProxy that is not a small whole number', async () => {
    for (const trustProxy of [-1, 1.5, 11, NaN]) await expect(startCollector({ trustProxy })).rejects.toThrow(RangeError);
  });
});

describe('the limit is on by default and can be turned off', () => {
  it('lets the first 100 requests of a burst through by default, then 50 a second', async () => {
    const collector = await startCollector();
    try {
      const start = performance.now();
      let first429 = -1;
      for (let i = 0; i < 2000 && first429 < 0; i++) if ((await call(collector.url, '/health')).status === 429) first429 = i;
      const seconds = (performance.now() - start) / 1000;
      expect(first429).toBeGreaterThanOrEqual(100);
      expect(first429).toBeLessThanOrEqual(100 + Math.ceil(seconds * 50));
    } finally {
      await collector.close();
    }
  });

  it('never answers 429 with rateLimit: false', async () => {
    const collector = await startCollector({ rateLimit: false });
    try {
      const statuses = await Promise.all(Array.from({ length: 300 }, () => call(collector.url, '/health').then((a) => a.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await collector.close();
    }
  });

  it('refuses unusable settings at start', async () => {
    await expect(startCollector({ rateLimit: { rate: 0 } })).rejects.toThrow(RangeError);
  });
});

// Read routes (GET /events…) are the exception: they answer no other origin at all (auth.test.ts).
describe('every answer to an allowed origin exposes Retry-After', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parcours-expose-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>shop</title>');
    collector = await startCollector({ origins: [SHOP], static: { '/': dir }, rateLimit: false });
  });
  afterAll(async () => {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const o = { Origin: SHOP };
  const CASES: Array<[string, () => Promise<Answer>, number]> = [
    ['POST /collect stored', () => post(collector.url, batch([event()]), o), 200],
    ['POST /collect invalid', () => post(collector.url, '{', o), 400],
    ['POST /collect too large', () => post(collector.url, 'x'.repeat(1024 * 1024 + 1), o), 413],
    ['POST /collect wrong type', () => post(collector.url, '{}', { ...o, 'Content-Type': 'image/png' }), 415],
    ['OPTIONS preflight', () => call(collector.url, '/collect', { method: 'OPTIONS', headers: { ...o, 'Access-Control-Request-Method': 'POST' } }), 204],
    ['GET /health', () => call(collector.url, '/health', { headers: o }), 200],
    ['DELETE /collect', () => call(collector.url, '/collect', { method: 'DELETE', headers: o }), 405],
    ['GET a static file', () => call(collector.url, '/', { headers: o }), 200],
    ['GET a missing file', () => call(collector.url, '/nope', { headers: o }), 404],
  ];
  it.each(CASES)('%s', async (_, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    expect(answer.headers['access-control-expose-headers']).toBe('Retry-After');
  });

  it('and no CORS header at all to an origin that is not allowed', async () => {
    const answer = await call(collector.url, '/health', { headers: { Origin: 'https://evil.example' } });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-expose-headers']).toBeUndefined();
  });
});
