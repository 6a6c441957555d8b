import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tracker } from '../../../src/types';
import { type Answer, fakeCollector, loadSdk } from './fakeCollector';
import { OPEN_TIMEOUT_MS } from '../../../src/queue';

let collector: ReturnType<typeof fakeCollector>;
let createTracker: typeof import('../../../src/tracker').createTracker;
let trackers: Tracker[] = [];

// Each test loads a fresh SDK over its own collector and a fresh IndexedDB.
const load = async (answer?: Answer) => {
  ({ collector, sdk: { createTracker } } = await loadSdk(() => import('../../../src/tracker'), answer));
};
const tracker = (options: Record<string, unknown> = {}) => {
  const t = createTracker({ endpoint: 'http://127.0.0.1:1/collect', site: 'test', flushInterval: 60_000, ...options });
  trackers.push(t);
  return t;
};

beforeEach(() => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  localStorage.clear();
});

describe('an accepted event reaches the collector once', () => {
  it('sends every event, in order, with the documented shape', async () => {
    await load();
    const t = tracker();
    for (let i = 0; i < 120; i++) t.track('step', { i });
    await t.flush();
    const events = [...collector.stored.values()];
    expect(events.map((e) => e.properties.i)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(new Set(collector.received).size).toBe(collector.received.length);
    const e = events[0];
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e).toMatchObject({ type: 'step', sessionId: expect.any(String), anonymousId: expect.any(String), userId: null });
    expect(e.page).toEqual({ url: location.href, path: location.pathname, title: document.title, referrer: document.referrer });
    expect(JSON.parse(collector.bodies[0])).toMatchObject({ site: 'test', sentAt: expect.any(Number) });
  });

  it('batches: at most batchSize events per request', async () => {
    await load();
    const t = tracker({ batchSize: 25 });
    for (let i = 0; i < 100; i++) t.track('x');
    await t.flush();
    expect(collector.bodies.map((b) => JSON.parse(b).events.length)).toEqual([25, 25, 25, 25]);
  });

  it('keeps events until the collector answers 2xx', async () => {
    let down = true;
    await load(() => (down ? 503 : 200));
    const t = tracker();
    t.track('kept');
    await t.flush();
    expect(collector.stored.size).toBe(0);
    down = false;
    await t.flush();
    expect(collector.types()).toEqual(['kept']);
  });

  it('keeps the event id across retries', async () => {
    let n = 0;
    await load(() => (++n < 3 ? 500 : 200));
    const t = tracker();
    t.track('retried');
    for (let i = 0; i < 3; i++) await t.flush();
    expect(new Set(collector.received).size).toBe(1);
    expect(collector.received.length).toBe(3);
  });

  it('never sends a body over 64 KB, splitting big batches by size', async () => {
    await load();
    const t = tracker({ batchSize: 500 });
    for (let i = 0; i < 200; i++) t.track('big', { blob: 'é'.repeat(1500) });
    await t.flush();
    expect(collector.stored.size).toBe(200);
    for (const body of collector.bodies) expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(64_000);
  });

  it('splits a batch the collector answers 413 until it fits', async () => {
    await load((batch) => (batch.events.length > 10 ? 413 : 200));
    const t = tracker({ batchSize: 80 });
    for (let i = 0; i < 80; i++) t.track('x', { i });
    await t.flush();
    expect([...collector.stored.values()].map((e) => e.properties.i)).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it('drops a batch answered 400 without blocking later events, and reports it', async () => {
    await load((batch) => (batch.events.some((e) => e.type == 'poison') ? 400 : 200));
    const t = tracker({ batchSize: 5 });
    for (let i = 0; i < 5; i++) t.track('poison');
    await t.flush();
    t.track('after');
    await t.flush();
    expect(collector.types().sort()).toEqual(['after', 'events_dropped']);
    const report = [...collector.stored.values()].find((e) => e.type == 'events_dropped')!;
    expect(report.properties).toEqual({ count: 5, reason: 'rejected', status: 400 });
  });

  it.each([401, 403])('keeps events the collector refuses with %i (a configuration error) and retries', async (status) => {
    let refused = true;
    await load(() => (refused ? status : 200));
    const t = tracker();
    t.track('kept');
    await t.flush();
    expect(collector.stored.size).toBe(0);
    refused = false;
    await t.flush();
    expect(collector.types()).toEqual(['kept']);
  });

  it('does not report drops of its own reports, so a collector refusing everything cannot loop', async () => {
    await load(() => 400);
    const t = tracker();
    t.track('x');
    for (let i = 0; i < 4; i++) await t.flush();
    expect(collector.bodies.length).toBe(2); // the event, then its events_dropped report, then nothing
  });
});

describe('a wait the collector asked for', () => {
  it('holds every tab of the shop, not only the one that was told', async () => {
    const at: number[] = [];
    await load((_, n) => (at.push(Date.now()), n == 1 ? new Response('', { status: 503, headers: { 'Retry-After': '2' } }) : 200));
    const told = tracker();
    told.track('first');
    await told.flush(); // answered 503, Retry-After: 2
    const other = tracker({ flushInterval: 100 }); // another tab of the shop (same storage, same queue)
    other.track('second');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(collector.bodies).toHaveLength(1); // the other tab's timer fired ~9 times; it waited
    await vi.waitFor(() => expect(collector.types().sort()).toEqual(['first', 'second']), { timeout: 5_000 });
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(1_900);
  });
});

describe('the queue is capped', () => {
  it('drops the oldest events beyond maxQueue and reports how many, the report counting toward the cap', async () => {
    await load();
    const t = tracker({ maxQueue: 10, batchSize: 100 });
    for (let i = 0; i < 15; i++) t.track('x', { i });
    await t.flush();
    const kept = [...collector.stored.values()].filter((e) => e.type == 'x').map((e) => e.properties.i);
    expect(kept).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const report = [...collector.stored.values()].find((e) => e.type == 'events_dropped');
    expect(report?.properties).toMatchObject({ count: 6, reason: 'queue_full' });
    expect(collector.stored.size).toBe(10);
  });
});

describe('storage', () => {
  it('survives the page: events queued by one page are sent by the next', async () => {
    await load(() => 503);
    const first = tracker();
    first.track('from-first-page');
    await first.flush();
    first.destroy();
    const stored = collector.stored;
    expect(stored.size).toBe(0);
    // Same IndexedDB, a new page load: swap the collector's answer, keep the database.
    const db = indexedDB;
    await load();
    vi.stubGlobal('indexedDB', db);
    const second = tracker();
    await second.flush();
    expect(collector.types()).toEqual(['from-first-page']);
  });

  it('falls back to memory when IndexedDB is missing, with one diagnostic', async () => {
    await load();
    vi.stubGlobal('indexedDB', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = tracker({ debug: true });
    t.track('in-memory');
    await t.flush();
    expect(collector.types()).toEqual(['in-memory']);
    expect(warn.mock.calls.filter(([m]) => String(m).includes('IndexedDB unavailable')).length).toBe(1);
    warn.mockRestore();
  });

  it('falls back to memory when IndexedDB never answers, instead of holding events back forever', async () => {
    await load();
    vi.stubGlobal('indexedDB', { open: () => ({}) }); // a request that never fires: old Safari could hang like this
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = tracker();
      t.track('waited');
      const flushed = t.flush();
      await vi.advanceTimersByTimeAsync(OPEN_TIMEOUT_MS - 100);
      expect(collector.bodies).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(200);
      await flushed;
      expect(collector.types()).toEqual(['waited']);
    } finally {
      vi.useRealTimers();
    }
  });
});
