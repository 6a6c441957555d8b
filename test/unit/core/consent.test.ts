import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tracker } from '../../../src/types';
import { fakeCollector, loadSdk } from './fakeCollector';

let collector: ReturnType<typeof fakeCollector>;
let createTracker: typeof import('../../../src/tracker').createTracker;
let MAX_PENDING: number;
let trackers: Tracker[] = [];

const load = async () => {
  ({ collector, sdk: { createTracker, MAX_PENDING } } = await loadSdk(() => import('../../../src/tracker')));
};
const tracker = (options: Record<string, unknown> = {}) => {
  const t = createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, ...options });
  trackers.push(t);
  return t;
};
const parcoursKeys = (s: Storage) => Object.keys(s).filter((k) => k.startsWith('parcours:'));
/** Whatever the queue holds in IndexedDB right now. */
const queued = async () => {
  const dbs = await indexedDB.databases();
  let n = 0;
  for (const { name } of dbs) {
    const db = await new Promise<IDBDatabase>((r) => (indexedDB.open(name!).onsuccess = (e) => r((e.target as IDBOpenDBRequest).result)));
    if (db.objectStoreNames.contains('events'))
      n += await new Promise<number>((r) => (db.transaction('events').objectStore('events').count().onsuccess = (e) => r((e.target as IDBRequest).result)));
    db.close();
  }
  return n;
};

beforeEach(async () => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  localStorage.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
  await load();
});

describe('consent pending: held in memory only', () => {
  it('stores and sends nothing, and writes no identifier, until consent is given', async () => {
    const t = tracker({ consent: 'pending' });
    t.track('before-consent', { n: 1 });
    await t.flush();
    expect(collector.bodies).toHaveLength(0);
    expect(await queued()).toBe(0);
    expect(parcoursKeys(localStorage)).toEqual([]);
    t.consent('granted');
    t.track('after-consent');
    await t.flush();
    expect(collector.types()).toEqual(['before-consent', 'after-consent']);
    expect(parcoursKeys(localStorage)).toContain('parcours:aid');
  });

  it('discards what it held when consent is denied', async () => {
    const t = tracker({ consent: 'pending' });
    t.track('held');
    t.consent('denied');
    t.consent('granted');
    await t.flush();
    expect(collector.types()).toEqual([]);
  });

  it(`holds at most ${500} events and reports the rest once consent is given`, async () => {
    const t = tracker({ consent: 'pending', batchSize: 500 });
    for (let i = 0; i < MAX_PENDING + 7; i++) t.track('held');
    t.consent('granted');
    await t.flush();
    expect(collector.types().filter((x) => x == 'held')).toHaveLength(MAX_PENDING);
    const report = [...collector.stored.values()].find((e) => e.type == 'events_dropped');
    expect(report?.properties).toEqual({ count: 7, reason: 'consent_pending_cap' });
  });
});

describe('consent denied: nothing recorded, everything erased', () => {
  it('erases identifiers and the queue an earlier consent left behind', async () => {
    const collectorDown = tracker();
    collector.stored.clear();
    collectorDown.track('queued-earlier');
    await new Promise((r) => setTimeout(r, 20));
    expect(await queued()).toBe(1);
    expect(parcoursKeys(localStorage).length).toBeGreaterThan(0);
    collectorDown.destroy();

    const t = tracker({ consent: 'denied' });
    t.track('never');
    await t.flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(await queued()).toBe(0);
    expect(parcoursKeys(localStorage)).toEqual([]);
    expect(collector.types()).toEqual([]);
  });

  it('withdrawing consent stops recording at once', async () => {
    const t = tracker();
    t.track('while-granted');
    await t.flush();
    t.consent('denied');
    t.track('after-withdrawal');
    await t.flush();
    expect(collector.types()).toEqual(['while-granted']);
    expect(parcoursKeys(localStorage)).toEqual([]);
  });

  it('ignores a state it does not know, with a diagnostic', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = tracker({ debug: true });
    t.consent('maybe' as never);
    t.track('still-granted');
    await t.flush();
    expect(collector.types()).toEqual(['still-granted']);
    expect(warn.mock.calls.some(([m]) => String(m).includes('consent must be'))).toBe(true);
    warn.mockRestore();
  });
});

describe('anonymous mode and Global Privacy Control', () => {
  it('anonymous: no persistent identifier, the session in sessionStorage', async () => {
    const t = tracker({ anonymous: true });
    t.track('anon');
    await t.flush();
    const [event] = collector.stored.values();
    expect(event.anonymousId).toBeNull();
    expect(event.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parcoursKeys(localStorage).filter((k) => k != 'parcours:send:http://127.0.0.1:1/collect')).toEqual([]);
    expect(parcoursKeys(sessionStorage)).toEqual(['parcours:sid']);
  });

  it.each([
    [undefined, 'anonymous'],
    ['anonymous', 'anonymous'],
    ['deny', 'nothing'],
    ['ignore', 'identified'],
  ])('with GPC on and gpc: %s the visitor is %s', async (gpc, expected) => {
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { globalPrivacyControl: true }));
    const t = tracker(gpc ? { gpc } : {});
    t.track('gpc');
    await t.flush();
    const [event] = collector.stored.values();
    const got = !event ? 'nothing' : event.anonymousId ? 'identified' : 'anonymous';
    expect(got).toBe(expected);
  });
});
