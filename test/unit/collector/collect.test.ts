// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, rowCount } from './support';

let collector: Awaited<ReturnType<typeof startCollector>>;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
beforeEach(() => {
  collector.db.exec('DELETE FROM events');
});

describe('POST /collect stores a valid batch', () => {
  it('answers with the count of new rows and stores each event with its columns', async () => {
    const a = event({ userId: 'u-9', properties: { q: 'apron' } });
    const b: Record<string, unknown> = event({ type: 'product_viewed' });
    delete b.stage;
    delete b.touchpoint;
    const answer = await post(collector.url, batch([a, b], 'shop-a'));

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ok: true, stored: 2, duplicates: 0 });
    const rows = collector.db.prepare('SELECT * FROM events ORDER BY ts').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: a.id,
      site: 'shop-a',
      type: 'page_viewed',
      ts: a.ts,
      session_id: 'sess-1',
      anonymous_id: 'anon-1',
      user_id: 'u-9',
      stage: 'consideration',
      touchpoint: 'product_page',
      page_type: 'product',
      path: '/products/linen-apron',
      lifecycle: 'new',
      deliveries: 1,
    });
    expect(JSON.parse(rows[0].properties as string)).toEqual({ q: 'apron' });
    expect(JSON.parse(rows[0].event as string)).toEqual(a);
    expect(rows[0].received_at).toBeGreaterThan(Date.now() - 60_000);
    expect(rows[1]).toMatchObject({ id: b.id, stage: null, touchpoint: null });
  });

  it('accepts an empty batch and a null site', async () => {
    expect(JSON.parse((await post(collector.url, batch([], null))).text)).toEqual({ ok: true, stored: 0, duplicates: 0 });
    expect((await post(collector.url, batch([event()], null))).status).toBe(200);
    expect(collector.db.prepare('SELECT site FROM events').get()).toEqual({ site: null });
  });

  it('accepts 500 events in one request', async () => {
    const events = Array.from({ length: 500 }, () => event());
    expect(JSON.parse((await post(collector.url, batch(events))).text)).toMatchObject({ stored: 500 });
    expect(rowCount(collector.db)).toBe(500);
  });

  it.each([
    ['text/plain;charset=UTF-8'],
    ['text/plain'],
    ['application/json'],
    ['application/json; charset=utf-8'],
    ['Application/JSON;Charset="UTF-8"'],
  ])('accepts the content type %s', async (type) => {
    expect((await post(collector.url, batch([event()]), { 'Content-Type': type })).status).toBe(200);
    expect(rowCount(collector.db)).toBe(1);
  });

  it('accepts a body without a content type', async () => {
    const answer = await call(collector.url, '/collect', { method: 'POST', body: JSON.stringify(batch([event()])) });
    expect(answer.status).toBe(200);
  });

  it('decodes the declared charset, and UTF-8 when the label is unknown', async () => {
    const a = event({ page: { url: 'https://shop.example/', path: '/', title: 'Crème brûlée ☕', referrer: '' } });
    const utf16 = Buffer.from('\ufeff' + JSON.stringify(batch([a])), 'utf16le');
    expect((await post(collector.url, utf16, { 'Content-Type': 'text/plain; charset=UTF-16LE' })).status).toBe(200);
    const b = event({ page: { url: 'https://shop.example/', path: '/', title: 'Crème', referrer: '' } });
    expect((await post(collector.url, batch([b]), { 'Content-Type': 'text/plain; charset=x-made-up' })).status).toBe(200);
    const titles = collector.db.prepare("SELECT json_extract(event, '$.page.title') AS t FROM events ORDER BY ts").all();
    expect(titles).toEqual([{ t: 'Crème brûlée ☕' }, { t: 'Crème' }]);
  });

  it('answers only after the batch is committed: another connection sees it at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-collector-'));
    const file = join(dir, 'events.db');
    const onDisk = await startCollector({ db: file });
    try {
      const answer = await post(onDisk.url, batch([event(), event()]));
      expect(answer.status).toBe(200);
      const reader = new Database(file, { readonly: true });
      expect(rowCount(reader)).toBe(2);
      reader.close();
    } finally {
      await onDisk.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('events are stored once per id', () => {
  it('counts a resent batch as duplicates and its deliveries, without new rows', async () => {
    const events = [event(), event()];
    await post(collector.url, batch(events));
    const again = await post(collector.url, batch(events));

    expect(JSON.parse(again.text)).toEqual({ ok: true, stored: 0, duplicates: 2 });
    expect(rowCount(collector.db)).toBe(2);
    expect(collector.db.prepare('SELECT deliveries FROM events').all()).toEqual([{ deliveries: 2 }, { deliveries: 2 }]);
  });

  it('counts an id repeated inside one batch as a duplicate', async () => {
    const a = event();
    expect(JSON.parse((await post(collector.url, batch([a, event(), a]))).text)).toEqual({ ok: true, stored: 2, duplicates: 1 });
    expect(collector.db.prepare('SELECT deliveries FROM events WHERE id = ?').get(a.id)).toEqual({ deliveries: 2 });
  });

  it('keeps the first copy of an event when a later delivery differs', async () => {
    const a = event({ type: 'first' });
    await post(collector.url, batch([a]));
    await post(collector.url, batch([{ ...a, type: 'second' }]));
    expect(collector.db.prepare('SELECT type, deliveries FROM events').all()).toEqual([{ type: 'first', deliveries: 2 }]);
  });
});

/** A valid batch made invalid by one change. */
const broken = (change: (b: Record<string, unknown>, e: Record<string, unknown>) => void) => {
  const e: Record<string, unknown> = event();
  const b: Record<string, unknown> = batch([event(), e]);
  change(b, e);
  return b;
};

describe('a malformed body is rejected whole, with a one-line reason', () => {
  it.each([
    ['not JSON', '{"sentAt": 1, "events": [', 'body is not valid JSON'],
    ['empty', '', 'body is not valid JSON'],
    ['a JSON array', '[]', 'body must be an object'],
    ['JSON null', 'null', 'body must be an object'],
    ['a ts that overflows to Infinity', JSON.stringify(batch([event()])).replace(/"ts":\d+/, '"ts":1e999'), 'events[0].ts must be a finite number'],
  ])('%s', async (_, body, error) => {
    const answer = await post(collector.url, body);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({ error });
    expect(rowCount(collector.db)).toBe(0);
  });

  it.each([
    ['sentAt missing', (b) => delete b.sentAt, 'sentAt is missing'],
    ['sentAt a string', (b) => (b.sentAt = '1'), 'sentAt must be a finite number'],
    ['site a number', (b) => (b.site = 5), 'site must be null or a string of 1..200 characters'],
    ['events not an array', (b) => (b.events = {}), 'events must be an array of at most 500 items'],
    ['501 events', (b) => (b.events = Array.from({ length: 501 }, () => event())), 'events must be an array of at most 500 items'],
    ['an unknown batch field', (b) => (b.extra = 1), 'body has an unknown field "extra"'],
    ['id missing', (_, e) => delete e.id, 'events[1].id is missing'],
    ['id empty', (_, e) => (e.id = ''), 'events[1].id must be a string of 1..64 characters'],
    ['id of 65 characters', (_, e) => (e.id = 'x'.repeat(65)), 'events[1].id must be a string of 1..64 characters'],
    ['id a number', (_, e) => (e.id = 7), 'events[1].id must be a string of 1..64 characters'],
    ['type of 101 characters', (_, e) => (e.type = 't'.repeat(101)), 'events[1].type must be a string of 1..100 characters'],
    ['ts a string', (_, e) => (e.ts = '1732000000000'), 'events[1].ts must be a finite number'],
    ['sessionId null', (_, e) => (e.sessionId = null), 'events[1].sessionId must be a string of 1..256 characters'],
    ['anonymousId missing', (_, e) => delete e.anonymousId, 'events[1].anonymousId is missing'],
    ['userId a number', (_, e) => (e.userId = 3), 'events[1].userId must be null or a string of 1..256 characters'],
    ['page null', (_, e) => (e.page = null), 'events[1].page must be an object'],
    ['page.title missing', (_, e) => (e.page = { url: '', path: '', referrer: '' }), 'events[1].page.title is missing'],
    ['page.url a number', (_, e) => (e.page = { url: 1, path: '', title: '', referrer: '' }), 'events[1].page.url must be a string of 0..8192 characters'],
    ['an unknown page field', (_, e) => (e.page = { ...(e.page as object), hash: '#x' }), 'events[1].page has an unknown field "hash"'],
    ['properties an array', (_, e) => (e.properties = []), 'events[1].properties must be a JSON object nested at most 32 levels'],
    ['properties null', (_, e) => (e.properties = null), 'events[1].properties must be a JSON object nested at most 32 levels'],
    ['stage null', (_, e) => (e.stage = null), 'events[1].stage must be a string of 1..64 characters'],
    ['lifecycle empty', (_, e) => (e.lifecycle = ''), 'events[1].lifecycle must be a string of 1..64 characters'],
    ['an unknown event field', (_, e) => (e.context = {}), 'events[1] has an unknown field "context"'],
    ['an own __proto__ field', (_, e) => Object.defineProperty(e, '__proto__', { value: {}, enumerable: true }), 'events[1] has an unknown field "__proto__"'],
  ] as Array<[string, Parameters<typeof broken>[0], string]>)('%s', async (_, change, error) => {
    const answer = await post(collector.url, broken(change));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ error });
    expect(rowCount(collector.db)).toBe(0); // events[0] was valid: still nothing stored
  });

  it('refuses properties nested deeper than 32 levels, and takes 32', async () => {
    const nest = (levels: number) => {
      let value: Record<string, unknown> = {};
      for (let i = 1; i < levels; i++) value = { v: value };
      return value;
    };
    expect((await post(collector.url, batch([event({ properties: nest(32) })]))).status).toBe(200);
    const deep = await post(collector.url, batch([event({ properties: nest(33) })]));
    expect(JSON.parse(deep.text)).toEqual({ error: 'events[0].properties must be a JSON object nested at most 32 levels' });
  });

  it('survives a 1 MB nesting bomb that would overflow JSON.stringify', async () => {
    const valid = JSON.stringify(batch([event({ properties: { bomb: 0 } })]));
    const bomb = valid.replace('"bomb":0', '"bomb":' + '['.repeat(400_000) + ']'.repeat(400_000));
    const answer = await post(collector.url, bomb);
    expect(JSON.parse(answer.text)).toEqual({ error: 'events[0].properties must be a JSON object nested at most 32 levels' });
    expect((await call(collector.url, '/health')).status).toBe(200);
  });

  it('keeps error messages on one line, even for hostile field names', async () => {
    const answer = await post(collector.url, broken((_, e) => (e['a\nb'] = 1)));
    expect(JSON.parse(answer.text).error).toBe('events[1] has an unknown field "a\\nb"');
  });
});

describe('bodies over 1 MB are refused with 413', () => {
  it('refuses a declared Content-Length over 1 MB', async () => {
    const answer = await post(collector.url, 'x'.repeat(1024 * 1024 + 1));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({ error: 'body is larger than 1048576 bytes' });
  });

  it('refuses a chunked body once it passes 1 MB, and stores nothing', async () => {
    const events = Array.from({ length: 400 }, () => event({ properties: { pad: 'p'.repeat(3000) } }));
    const answer = await call(collector.url, '/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' },
      body: JSON.stringify(batch(events)),
    });
    expect(answer.status).toBe(413);
    expect(rowCount(collector.db)).toBe(0);
  });

  it('takes a valid body just under 1 MB', async () => {
    const events = Array.from({ length: 300 }, () => event({ properties: { pad: 'p'.repeat(3000) } }));
    const body = JSON.stringify(batch(events));
    expect(body.length).toBeGreaterThan(900_000);
    expect((await post(collector.url, body)).status).toBe(200);
  });

  it('keeps answering after a refused upload', async () => {
    await post(collector.url, 'x'.repeat(3 * 1024 * 1024));
    expect((await call(collector.url, '/health')).status).toBe(200);
  });
});

describe('other methods, paths and bodies get the right status', () => {
  it('answers GET /collect with 405 and the allowed method', async () => {
    const answer = await call(collector.url, '/collect');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('answers POST /events with 405', async () => {
    expect((await call(collector.url, '/events', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('answers an unknown path with a plain-text 404', async () => {
    const answer = await call(collector.url, '/nope');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.text).toBe('Not found\n');
  });

  it('refuses form and compressed bodies with 415', async () => {
    const form = await post(collector.url, batch([event()]), { 'Content-Type': 'application/x-www-form-urlencoded' });
    const gzip = await post(collector.url, batch([event()]), { 'Content-Encoding': 'gzip' });
    expect([form.status, gzip.status]).toEqual([415, 415]);
    expect(rowCount(collector.db)).toBe(0);
  });

  it('answers GET /health', async () => {
    const answer = await call(collector.url, '/health');
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { ok: true }]);
  });
});
