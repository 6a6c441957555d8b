import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParcoursEvent, Tracker } from '../../../src/types';
import { MAX_DEPTH, MAX_ITEMS, MAX_STRING, TRUNCATED } from '../../../src/lib/jsonSafe';
import { type Answer, fakeCollector, loadSdk } from '../core/fakeCollector';

// Limits: whatever size a page hands to parcours, an event is at most 32 KB on the wire and a request at most
// 64 KB. Oversized input is cut, with the visible marker `…[truncated]`; the event still arrives. Cutting takes time
// bounded by what is kept, not by what was given.

/** An event's JSON at most this many bytes: Segment's message limit (32 KB counted in thousands), so it fits both formats. */
const MAX_EVENT_BYTES = 32_000;
/** A request body at most this many bytes (the keepalive/sendBeacon quota). */
const MAX_BODY_BYTES = 64_000;

const bytes = (s: string) => new TextEncoder().encode(s).length;
const sizeOf = (e: ParcoursEvent) => bytes(JSON.stringify(e));

let collector: ReturnType<typeof fakeCollector>;
let sdk: typeof import('../../../src/entry/npm');
let trackers: Tracker[] = [];

// A fresh SDK over its own collector and a fresh IndexedDB.
const load = async (answer?: Answer) => {
  ({ collector, sdk } = await loadSdk(() => import('../../../src/entry/npm'), answer));
};
const tracker = (options: Record<string, unknown> = {}) => {
  const t = sdk.createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, ...options });
  trackers.push(t);
  return t;
};
/** Track one event, flush, and return what the collector stored of that type (and what it reported dropped). */
const roundTrip = async (t: Tracker, type: string, properties: unknown) => {
  t.track(type, properties as Record<string, unknown>);
  await t.flush();
  await t.flush(); // an events_dropped report queued during the first flush goes out too
  const stored = [...collector.stored.values()];
  return { event: stored.find((e) => e.type == type), dropped: stored.filter((e) => e.type == 'events_dropped') };
};

beforeEach(async () => {
  localStorage.clear();
  await load();
});
afterEach(() => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  vi.unstubAllGlobals();
  document.title = '';
});

describe('an event is at most 32 KB on the wire: oversized input is cut with the marker, never dropped', () => {
  /** A tracker in the Segment format over a fetch that keeps the messages (the fake collector reads parcours batches). */
  const segmentTracker = async () => {
    const bodies: string[] = [];
    vi.stubGlobal('fetch', async (_url: unknown, init?: RequestInit) => (bodies.push(String(init?.body)), new Response('{}')));
    vi.resetModules();
    sdk = await import('../../../src/entry/npm');
    const t = tracker({ format: sdk.segmentFormat() });
    return { t, messages: () => bodies.flatMap((b) => JSON.parse(b).batch as Record<string, unknown>[]) };
  };
  /** 100 properties of 2,000 characters: 200 KB of JSON. */
  const big = () => Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['k' + i, 'x'.repeat(2_000)]));

  it('100 properties of 5,000 characters (200 KB after the per-string cap) arrive cut to 32 KB, first ones kept', async () => {
    const props = Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['k' + i, String(i % 10).repeat(5_000)]));
    const { event, dropped } = await roundTrip(tracker(), 'big_properties', props);
    expect(dropped).toEqual([]);
    expect(event).toBeDefined();
    expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(JSON.stringify(event!.properties)).toContain(TRUNCATED);
    expect(String(event!.properties.k0)).toMatch(/^0{100}/); // cut, not emptied: the start of the data is there
  });

  it('multi-byte text counts in bytes: 100 properties of 2,000 "é" arrive within 32 KB', async () => {
    const props = Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['k' + i, 'é'.repeat(2_000)]));
    const { event, dropped } = await roundTrip(tracker(), 'big_utf8', props);
    expect(dropped).toEqual([]);
    expect(event).toBeDefined();
    expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(JSON.stringify(event!.properties)).toContain(TRUNCATED);
  });

  it('a property key of 1 MB arrives cut (keys are data too)', async () => {
    const { event, dropped } = await roundTrip(tracker(), 'big_key', { ['k'.repeat(1 << 20)]: 1, small: 'kept' });
    expect(dropped).toEqual([]);
    expect(event).toBeDefined();
    expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });

  it('a 1 MB page title and path arrive cut, with no parts at all (the npm core alone)', async () => {
    document.title = 'T'.repeat(1 << 20);
    history.replaceState(null, '', '/' + 'p'.repeat(100_000));
    try {
      const { event, dropped } = await roundTrip(tracker(), 'big_page', { ok: true });
      expect(dropped).toEqual([]);
      expect(event).toBeDefined();
      expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
      expect(event!.properties).toMatchObject({ ok: true });
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('big properties on a page with a long URL, referrer and title still fit, with the script tag’s parts', async () => {
    const t = tracker({ parts: [sdk.journey(), sdk.privacy()] });
    document.title = 'Title '.repeat(2_000);
    history.replaceState(null, '', '/' + 'p'.repeat(5_000) + '?q=' + 'q'.repeat(5_000));
    try {
      const { event, dropped } = await roundTrip(t, 'big_everything', big());
      expect(dropped).toEqual([]);
      expect(event).toBeDefined();
      expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('in the Segment format too: a big event fits one 32,000-byte message instead of being dropped', async () => {
    const { t, messages: sent } = await segmentTracker();
    t.track('product_viewed', big());
    await t.flush();
    const messages = sent();
    expect(messages.map((m) => m.event)).toEqual(['Product Viewed']); // and no "events_dropped"
    expect(bytes(JSON.stringify(messages[0]))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });

  it('in the Segment format, a big page view on a long URL fits too (Segment repeats the page in it)', async () => {
    const { t, messages: sent } = await segmentTracker();
    history.replaceState(null, '', '/' + 'p'.repeat(3_000) + '?q=' + 'é'.repeat(3_000));
    document.title = 'T'.repeat(3_000);
    try {
      t.page(big());
      await t.flush();
    } finally {
      history.replaceState(null, '', '/');
      document.title = '';
    }
    const messages = sent();
    expect(messages.map((m) => m.type)).toEqual(['page']); // and no "events_dropped"
    expect(bytes(JSON.stringify(messages[0]))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });
});

describe('cutting takes time bounded by what is kept, not by what was given', () => {
  it('the same array shared 100 times over 3 levels (1,000,000 paths, 300 objects) is read a bounded number of times', async () => {
    let reads = 0;
    const leaf = {
      get v() {
        reads++;
        return 'x';
      },
    };
    let shared: unknown = leaf;
    for (let level = 0; level < 3; level++) shared = Array(100).fill(shared);
    const { event, dropped } = await roundTrip(tracker(), 'shared', { shared });
    // A 32 KB event cannot hold more than 32,000 values: reading many more than that is work thrown away (and 8
    // levels would be 10^16 reads: a frozen tab).
    expect(reads).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(dropped).toEqual([]);
    expect(event).toBeDefined();
    expect(sizeOf(event!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(JSON.stringify(event!.properties)).toContain(TRUNCATED);
  });

  it("a typed array of 4,000,000 entries (a canvas' pixels) is copied at once, cut with the marker", async () => {
    const pixels = new Uint8ClampedArray(4_000_000);
    const t = tracker();
    const started = performance.now();
    t.track('typed', { pixels });
    const elapsed = performance.now() - started;
    await t.flush();
    const event = [...collector.stored.values()].find((e) => e.type == 'typed')!;
    expect(elapsed).toBeLessThan(250); // copying 100 items takes microseconds; listing 4M keys takes seconds
    expect(JSON.stringify(event.properties.pixels).length).toBeLessThan(1_000);
    expect(JSON.stringify(event.properties.pixels)).toContain(TRUNCATED);
  });

  it('a sparse array of length 1e9 is walked 100 items deep, not 1e9', async () => {
    const sparse: unknown[] = [];
    sparse.length = 1e9;
    const t = tracker();
    const started = performance.now();
    t.track('sparse', { sparse });
    expect(performance.now() - started).toBeLessThan(500);
    await t.flush();
    const event = [...collector.stored.values()].find((e) => e.type == 'sparse')!;
    expect(event.properties.sparse).toHaveLength(MAX_ITEMS + 1);
    expect((event.properties.sparse as unknown[])[MAX_ITEMS]).toBe(TRUNCATED);
  });

  it('nesting 10,000 levels deep is cut at depth 8 without deep recursion', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { deep };
    const { event } = await roundTrip(tracker(), 'deep', { deep });
    let node = event!.properties as unknown;
    let depth = 0;
    while (node && typeof node == 'object') ((node = (node as { deep: unknown }).deep), depth++);
    expect(node).toBe(TRUNCATED);
    expect(depth).toBe(MAX_DEPTH);
  });
});

describe('strings, nesting and item counts are cut with a visible marker', () => {
  it(`a string over ${MAX_STRING} characters keeps its first ${MAX_STRING} and ends with the marker`, async () => {
    const { event } = await roundTrip(tracker(), 'long', { text: 'a'.repeat(MAX_STRING + 1) });
    expect(event!.properties.text).toBe('a'.repeat(MAX_STRING) + TRUNCATED);
  });

  it(`more than ${MAX_ITEMS} items or keys keep the first ${MAX_ITEMS} and say so`, async () => {
    const list = Array.from({ length: 150 }, (_, i) => i);
    const keys = Object.fromEntries(list.map((i) => ['k' + i, i]));
    const { event } = await roundTrip(tracker(), 'many', { list, keys });
    expect(event!.properties.list).toEqual([...list.slice(0, MAX_ITEMS), TRUNCATED]);
    const copied = event!.properties.keys as Record<string, unknown>;
    expect(Object.keys(copied).filter((k) => k.startsWith('k'))).toHaveLength(MAX_ITEMS);
    expect(Object.values(copied)).toContain(TRUNCATED);
  });
});

describe('a request is at most 64 KB, however big its events', () => {
  it('20 events of ~30 KB each all arrive, in bodies of at most 64,000 bytes', async () => {
    const t = tracker({ batchSize: 500 });
    for (let i = 0; i < 20; i++) t.track('near_cap', { i, ...Object.fromEntries(Array.from({ length: 15 }, (_, k) => ['k' + k, 'y'.repeat(1_990)])) });
    await t.flush();
    expect(collector.types().filter((type) => type == 'near_cap')).toHaveLength(20);
    expect(collector.types()).not.toContain('events_dropped');
    for (const body of collector.bodies) expect(bytes(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(collector.bodies.length).toBeGreaterThan(1); // they were split by size, not sent as one 600 KB body
  });
});
