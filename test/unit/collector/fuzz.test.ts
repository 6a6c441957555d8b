// @vitest-environment node
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, rowCount } from './support';

/** mulberry32: a tiny seeded PRNG, so a failing body can be reproduced from its index. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = prng(20_241_125);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];
const junk = (length: number) => Array.from({ length }, () => String.fromCharCode(int(0x3000))).join('');

const WRONG: readonly unknown[] = [0, -1, 1.5, '', 'x', true, false, null, [], [1], {}, { a: 1 }, 'x'.repeat(300)];
/** Paths of fields and what their rule accepts; every field but `stage` (optional) is required. */
const FIELDS: ReadonlyArray<[string[], (v: unknown) => boolean]> = [
  [['sentAt'], (v) => typeof v === 'number'],
  [['site'], (v) => v === null || (typeof v === 'string' && v.length >= 1 && v.length <= 200)],
  [['events', '#', 'id'], (v) => typeof v === 'string' && v.length >= 1 && v.length <= 64],
  [['events', '#', 'type'], (v) => typeof v === 'string' && v.length >= 1 && v.length <= 100],
  [['events', '#', 'ts'], (v) => typeof v === 'number'],
  [['events', '#', 'sessionId'], (v) => typeof v === 'string' && v.length >= 1 && v.length <= 256],
  [['events', '#', 'anonymousId'], (v) => v === null || (typeof v === 'string' && v.length >= 1)],
  [['events', '#', 'userId'], (v) => v === null || (typeof v === 'string' && v.length >= 1)],
  [['events', '#', 'page'], () => false],
  [['events', '#', 'page', 'url'], (v) => typeof v === 'string'],
  [['events', '#', 'page', 'title'], (v) => typeof v === 'string'],
  [['events', '#', 'properties'], (v) => typeof v === 'object' && v !== null && !Array.isArray(v)],
  [['events', '#', 'stage'], (v) => typeof v === 'string' && v.length >= 1 && v.length <= 64],
];

/** A valid batch, then one change that its rules must refuse. */
function mutated(): string {
  const b = batch(Array.from({ length: 1 + int(5) }, () => event({ page: { url: junk(20), path: '/', title: junk(10), referrer: '' } })));
  const [path, accepts] = pick(FIELDS);
  let holder: Record<string, unknown> = b;
  for (const key of path.slice(0, -1)) holder = (key === '#' ? pick(holder as unknown as unknown[]) : holder[key]) as Record<string, unknown>;
  const key = path[path.length - 1];
  const how = key === 'stage' ? 1 + int(2) : int(3); // an optional field may be missing
  if (how === 0) delete holder[key];
  else if (how === 1) holder['x' + junk(3)] = 1; // an unknown field beside it
  else holder[key] = pick(WRONG.filter((v) => !accepts(v)));
  return JSON.stringify(b);
}

const BODIES: ReadonlyArray<() => string> = [
  mutated,
  mutated,
  () => junk(int(300)), // not JSON
  () => {
    const text = JSON.stringify(batch([event(), event()]));
    return text.slice(0, int(text.length)); // cut short
  },
  () => JSON.stringify(pick([0, 'batch', [], [batch([event()])], true, null, 1e308])),
  () => JSON.stringify({ sentAt: int(1e13), site: 'demo', events: Array.from({ length: 501 }, () => ({})) }),
  () => '{"sentAt":1,"site":null,"events":[' + '['.repeat(int(50_000)), // deep, unfinished
];

let collector: Awaited<ReturnType<typeof startCollector>>;
beforeAll(async () => {
  collector = await startCollector({ rateLimit: false }); // 2,000 requests in a few seconds from one client
  await post(collector.url, batch([event(), event(), event()]));
});
afterAll(() => collector.close());

describe('no body crashes the collector or stores a row', () => {
  it('answers 2,000 random and malformed bodies with a one-line 400, and stores nothing', async () => {
    const before = rowCount(collector.db);
    const bodies = Array.from({ length: 2000 }, () => pick(BODIES)());
    const types = ['text/plain;charset=UTF-8', 'application/json', 'text/plain; charset=latin1'];
    const answers: Array<{ index: number; status: number; error: unknown }> = [];
    // Four at a time: enough to interleave requests, little enough for a 2-core machine.
    for (let i = 0; i < bodies.length; i += 4) {
      const round = bodies.slice(i, i + 4).map(async (body, k) => {
        const answer = await post(collector.url, body, { 'Content-Type': types[(i + k) % types.length] });
        answers.push({ index: i + k, status: answer.status, error: JSON.parse(answer.text).error });
      });
      await Promise.all(round);
    }
    const unexpected = answers.filter((a) => a.status !== 400 || typeof a.error !== 'string' || /\n/.test(a.error as string));
    expect(unexpected.slice(0, 5).map((a) => ({ ...a, body: bodies[a.index].slice(0, 300) }))).toEqual([]);
    expect(answers).toHaveLength(2000);
    expect(rowCount(collector.db)).toBe(before);
    expect((await call(collector.url, '/health')).status).toBe(200);
  }, 60_000);

  it('survives raw garbage on the socket and keeps answering', async () => {
    for (let i = 0; i < 50; i++) {
      const garbage = Buffer.from(Array.from({ length: 1 + int(500) }, () => int(256)));
      const start = pick(['', 'POST /collect HTTP/1.1\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n']);
      await new Promise<void>((done) => {
        const socket = connect(collector.port, '127.0.0.1', () => socket.end(Buffer.concat([Buffer.from(start), garbage])));
        socket.on('error', () => done());
        socket.on('close', () => done());
        socket.resume();
        socket.setTimeout(2000, () => socket.destroy());
      });
    }
    expect((await call(collector.url, '/health')).status).toBe(200);
  }, 60_000);
});
