// @vitest-environment node
// 10,000 malformed bodies against a live collector: none crashes it, none stores a row, none changes a stored
// row. Every body is checked against the collector's own rules before it is sent, so "malformed" is a fact,
// not a hope; index and seed reproduce any failure.
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batchProblem, LIMITS } from '../../../examples/collector/validate.mjs';
import { batch, event } from './support';

const SEED = 20_251_126;
const COUNT = 10_000;

/** mulberry32. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];
const chars = (length: number, from = 0x20, span = 0x2fe0) => Array.from({ length }, () => String.fromCharCode(from + int(span))).join('');

interface Body {
  family: string;
  body: Buffer;
  contentType: string;
  headers?: Record<string, string>;
  /** What the collector may answer. */
  expect: number[];
}

/** Decodes and judges a body as the collector does (body.mjs, api.mjs, validate.mjs). */
const isMalformed = (bytes: Buffer, contentType: string) => {
  const label = /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] || 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  try {
    return batchProblem(JSON.parse(decoder.decode(bytes))) !== '';
  } catch {
    return true; // not JSON
  }
};

/** Well-formed events, some reusing ids already stored: a partial write would bump their delivery count. */
let stored: ReturnType<typeof event>[] = [];
const validEvents = (n: number) =>
  Array.from({ length: n }, () => (stored.length && random() < 0.3 ? structuredClone(pick(stored)) : event({ properties: { q: chars(int(20)), n: int(1e6) } })));

const WRONG: readonly unknown[] = [0, -1, 1.5, 1e308, '', 'x', true, false, null, [], [1], {}, { a: 1 }, 'x'.repeat(300), '\ud800', -0];

/** Replaces, deletes or adds beside one random node of a value (JSON-shaped). */
const mutateNode = (root: Record<string, unknown>) => {
  let holder: Record<string, unknown> | unknown[] = root;
  for (let depth = 0; depth < 6; depth++) {
    const keys = Object.keys(holder);
    if (!keys.length) break;
    const key = pick(keys);
    const child = (holder as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object' || random() < 0.35) {
      const how = int(4);
      if (how === 0 && !Array.isArray(holder)) delete (holder as Record<string, unknown>)[key];
      else if (how === 1 && !Array.isArray(holder)) (holder as Record<string, unknown>)[pick(['__proto__', 'constructor', 'x', '', chars(3)])] = pick(WRONG);
      else (holder as Record<string, unknown>)[key] = pick(WRONG);
      return;
    }
    holder = child as Record<string, unknown>;
  }
  (holder as Record<string, unknown>)['extra'] = 1;
};

const TYPES = ['text/plain;charset=UTF-8', 'application/json', 'text/plain', 'application/vnd.parcours+json', 'text/plain; charset=latin1', 'text/plain; charset=utf-16le', 'text/plain; charset=nope'];
const text = (s: string) => Buffer.from(s);

/** Each family builds one body; the first ones must also be refused by the rules, and are re-drawn until they are. */
const FAMILIES: Record<string, () => Omit<Body, 'family' | 'expect'> & { expect?: number[] }> = {
  // A valid batch cut anywhere: never valid JSON.
  truncated: () => {
    const s = JSON.stringify(batch(validEvents(1 + int(4))));
    return { body: text(s.slice(0, int(s.length))), contentType: pick(TYPES) };
  },
  // Random bytes flipped, inserted or deleted in a valid batch text.
  bytes: () => {
    const b = [...Buffer.from(JSON.stringify(batch(validEvents(1 + int(3)))))];
    for (let k = 1 + int(4); k > 0; k--) {
      const at = int(b.length);
      const how = int(3);
      if (how === 0) b[at] ^= 1 << int(8);
      else if (how === 1) b.splice(at, 0, int(256));
      else b.splice(at, 1);
    }
    return { body: Buffer.from(b), contentType: pick(TYPES) };
  },
  // One node of a valid batch given the wrong type, removed, or joined by an unknown field.
  structure: () => {
    const b = batch(validEvents(1 + int(4))) as unknown as Record<string, unknown>;
    mutateNode(b);
    return { body: text(JSON.stringify(b)), contentType: pick(TYPES) };
  },
  // Valid events around one bad one: the batch must be refused whole.
  partial: () => {
    const events = validEvents(2 + int(8)) as unknown as Record<string, unknown>[];
    const bad = events[int(events.length)];
    mutateNode(bad);
    return { body: text(JSON.stringify(batch(events))), contentType: pick(TYPES) };
  },
  // Just over a limit.
  limits: () => {
    const e = event() as Record<string, unknown>;
    const over = [
      () => (e.id = 'i'.repeat(65)),
      () => (e.type = 't'.repeat(101)),
      () => (e.sessionId = 's'.repeat(257)),
      () => ((e.page as Record<string, string>).url = 'u'.repeat(8193)),
      () => (e.stage = 's'.repeat(65)),
      () => {
        let p: Record<string, unknown> = {};
        const root = p;
        for (let i = 0; i < LIMITS.depth; i++) p = p.x = {};
        e.properties = root;
      },
    ];
    if (random() < 0.2) return { body: text(JSON.stringify(batch(Array.from({ length: LIMITS.events + 1 }, () => event())))), contentType: pick(TYPES) };
    pick(over)();
    return { body: text(JSON.stringify(batch([e]))), contentType: pick(TYPES) };
  },
  // Not a batch at all.
  junk: () => {
    const bodies = [
      () => Buffer.from(Array.from({ length: int(400) }, () => int(256))),
      () => text(chars(int(300))),
      () => text(JSON.stringify(pick([0, 'batch', [], [batch([event()])], true, null, 1e308, { events: [] }]))),
      () => text(pick(['', ' ', '\n\t', 'null', '1e400', '\ufeff', '\ufeff{}', '{"sentAt":1}garbage', '{"__proto__":{"x":1}}', '{"sentAt":1,"sentAt":"x","site":null,"events":[]}'])),
      () => text('{"sentAt":1,"site":null,"events":[' + '['.repeat(int(20_000))),
      () => text('{"a":' + '{"a":'.repeat(int(5000)) + '1' + '}'.repeat(int(5000))),
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(batch([event()])), 'utf16le').subarray(0, int(200))]),
    ];
    return { body: pick(bodies)(), contentType: pick(TYPES) };
  },
  // A valid batch the collector must still refuse for how it is sent: nothing may be stored.
  refusedType: () => ({
    body: text(JSON.stringify(batch(validEvents(1 + int(3))))),
    contentType: pick(['image/png', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/html', 'application/jsonx']),
    expect: [415],
  }),
  refusedEncoding: () => ({
    body: text(JSON.stringify(batch(validEvents(1 + int(3))))),
    contentType: 'application/json',
    headers: { 'Content-Encoding': pick(['gzip', 'br', 'deflate', 'x-unknown']) },
    expect: [415],
  }),
};
const WEIGHTS: Array<[string, number]> = [
  ['truncated', 15],
  ['bytes', 20],
  ['structure', 20],
  ['partial', 20],
  ['limits', 8],
  ['junk', 12],
  ['refusedType', 3],
  ['refusedEncoding', 2],
];
const family = () => {
  let r = int(100);
  for (const [name, weight] of WEIGHTS) if ((r -= weight) < 0) return name;
  return 'junk';
};

const draw = (): Body => {
  const name = family();
  for (let attempt = 0; attempt < 50; attempt++) {
    const b = FAMILIES[name]();
    if (b.expect || isMalformed(b.body, b.contentType)) return { family: name, expect: b.expect ?? [400], ...b };
  }
  return { family: 'fallback', body: text('{'), contentType: 'application/json', expect: [400] };
};

interface Reply {
  status: number;
  text: string;
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
let resent = 0;
/**
 * One request. A transport error (a kept-alive socket the server closed for idleness just as it was reused, on a
 * starved machine) is retried once on a fresh socket; a second one is reported as status 0.
 */
const send = async (port: number, b: Body): Promise<Reply> => {
  const reply = await sendOnce(port, b);
  if (reply.status) return reply;
  resent++;
  return sendOnce(port, b);
};
const sendOnce = (port: number, b: Body) =>
  new Promise<Reply>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/collect', agent, headers: { 'Content-Type': b.contentType, ...b.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: 0, text: '', error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, text: '', error: e.message }));
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end(b.body);
  });

let collector: Awaited<ReturnType<typeof startCollector>>;
/** The table as it was before the fuzz: every column that a partial or repeated write would change. */
const snapshot = () => collector.db.prepare('SELECT id, site, type, ts, properties, event, deliveries FROM events ORDER BY id').all();

beforeAll(async () => {
  collector = await startCollector({ rateLimit: false }); // one client sending 10,000 requests as fast as it can
  stored = Array.from({ length: 40 }, () => event({ properties: { q: chars(10), nested: { list: [1, 'two', null] } } }));
  for (let i = 0; i < stored.length; i += 10) expect((await send(collector.port, { family: 'seed', body: text(JSON.stringify(batch(stored.slice(i, i + 10)))), contentType: 'application/json', expect: [200] })).status).toBe(200);
});
afterAll(async () => {
  agent.destroy();
  await collector.close();
});

describe('10,000 malformed bodies', () => {
  it('are each refused with a one-line JSON error, leave the server healthy and every row as it was', async () => {
    const before = snapshot();
    expect(before).toHaveLength(40);
    const bodies = Array.from({ length: COUNT }, draw);
    const replies: Reply[] = new Array(COUNT);
    const started = performance.now();
    // Rounds of 32 over 8 keep-alive sockets: requests interleave without flooding a 2-core machine.
    for (let i = 0; i < COUNT; i += 32) {
      await Promise.all(bodies.slice(i, i + 32).map(async (b, k) => (replies[i + k] = await send(collector.port, b))));
    }
    const seconds = (performance.now() - started) / 1000;

    const unexpected = replies
      .map((r, index) => ({ index, ...r, ...bodies[index] }))
      .filter((r) => {
        if (!r.expect.includes(r.status)) return true;
        try {
          const error = JSON.parse(r.text).error;
          return typeof error !== 'string' || error.includes('\n');
        } catch {
          return true;
        }
      })
      .slice(0, 5)
      .map(({ index, family, status, error, text, body, contentType }) => ({ index, family, status, error, text: text.slice(0, 200), contentType, body: body.toString('utf8').slice(0, 200) }));
    expect(unexpected).toEqual([]);
    expect(resent).toBeLessThan(COUNT / 100); // the server does not cut connections

    // Every family was exercised, and the whole run stayed bounded.
    const families = new Set(bodies.map((b) => b.family));
    for (const [name] of WEIGHTS) expect(families).toContain(name);
    expect(seconds).toBeLessThan(100);

    expect((await send(collector.port, { family: 'check', body: text(JSON.stringify(batch([]))), contentType: 'application/json', expect: [200] })).status).toBe(200);
    const health = await fetch(collector.url + '/health');
    expect(health.status).toBe(200);

    const after = snapshot() as Array<{ properties: string; event: string }>;
    expect(after).toEqual(before);
    for (const row of after) {
      expect(() => JSON.parse(row.event)).not.toThrow();
      expect(() => JSON.parse(row.properties)).not.toThrow();
    }
    expect(collector.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 180_000);
});
