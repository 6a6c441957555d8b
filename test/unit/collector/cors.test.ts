// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, rowCount } from './support';

const SHOP = 'https://shop.example';
let collector: Awaited<ReturnType<typeof startCollector>>;
let open: Awaited<ReturnType<typeof startCollector>>;
beforeAll(async () => {
  collector = await startCollector({ origins: [SHOP] });
  open = await startCollector({ origins: ['*'] });
});
afterAll(async () => {
  await collector.close();
  await open.close();
});
beforeEach(() => collector.db.exec('DELETE FROM events'));

const preflight = (base: string, origin: string) =>
  call(base, '/collect', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });

describe('a configured origin may post and read answers', () => {
  it('echoes the origin with Vary: Origin on POST /collect', async () => {
    const answer = await post(collector.url, batch([event()]), { Origin: SHOP });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    expect(answer.headers.vary).toBe('Origin');
    expect(rowCount(collector.db)).toBe(1);
  });

  it('answers the preflight with 204, methods, headers and a one-day max age', async () => {
    const answer = await preflight(collector.url, SHOP);
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': 'Content-Type, Authorization',
      'access-control-max-age': '86400',
    });
  });

  it("allows any origin with '*', still echoing it rather than sending a wildcard", async () => {
    const answer = await post(open.url, batch([event()]), { Origin: 'https://elsewhere.example' });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('https://elsewhere.example');
    expect((await preflight(open.url, 'https://elsewhere.example')).status).toBe(204);
  });
});

describe('any other origin may not write, and gets no CORS headers', () => {
  it('refuses POST /collect with 403 and stores nothing', async () => {
    const answer = await post(collector.url, batch([event()]), { Origin: 'https://evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toEqual({ error: 'origin https://evil.example is not allowed' });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(rowCount(collector.db)).toBe(0);
  });

  it('refuses the preflight with 403 and no CORS headers', async () => {
    const answer = await preflight(collector.url, 'https://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers GETs without CORS headers, so the browser withholds them from the page', async () => {
    const answer = await call(collector.url, '/events', { headers: { Origin: 'https://evil.example' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('treats a configured origin as exact: another scheme or port is another origin', async () => {
    for (const origin of ['http://shop.example', 'https://shop.example:8443', 'https://shop.example.evil']) {
      expect((await post(collector.url, batch([event()]), { Origin: origin })).status).toBe(403);
    }
  });
});

describe('same-origin and non-browser requests always work', () => {
  it('accepts a POST whose Origin is the collector itself, without configuration', async () => {
    const plain = await startCollector();
    try {
      const origin = plain.url; // http://127.0.0.1:<port>, which is also the Host header
      const answer = await post(plain.url, batch([event()]), { Origin: origin });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
    } finally {
      await plain.close();
    }
  });

  it('accepts a POST without Origin (curl, server-side senders)', async () => {
    const answer = await post(collector.url, batch([event()]));
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});
