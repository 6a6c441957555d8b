import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tracker } from '../../../src/types';
import { type Answer, fakeCollector, loadSdk } from './fakeCollector';
import { TX_TIMEOUT_MS } from '../../../src/queue';

// WebKit keeps the IndexedDB transactions of a page in the back/forward cache open, and every later transaction
// on the store waits for them (seen in WebKitGTK 2.50: the next page of the shop sent nothing while it stayed
// open). The page therefore starts none from pagehide on, and a page stuck behind one does not wait forever.

let collector: ReturnType<typeof fakeCollector>;
let createTracker: typeof import('../../../src/tracker').createTracker;
let trackers: Tracker[] = [];
const load = async (answer?: Answer) => {
  ({ collector, sdk: { createTracker } } = await loadSdk(() => import('../../../src/tracker'), answer));
};
const tracker = () => {
  const t = createTracker({ endpoint: 'http://127.0.0.1:1/collect', site: 'test', flushInterval: 60_000 });
  trackers.push(t);
  return t;
};
const transactions = () => vi.spyOn(IDBDatabase.prototype, 'transaction');
/** The browser's own pagehide (a page's synthetic one is not trusted, and does not freeze the queue). */
const pagehide = () => {
  const e = new Event('pagehide');
  Object.defineProperty(e, 'isTrusted', { value: true });
  window.dispatchEvent(e);
};

beforeEach(() => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  localStorage.clear();
  vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true); // happy-dom's would really send, to 127.0.0.1:1
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('a page leaving for the back/forward cache', () => {
  it('starts no IndexedDB transaction from pagehide on, and the next page sends what it kept', async () => {
    await load(() => 503);
    const first = tracker();
    first.track('before');
    await first.flush(); // refused: stays queued in IndexedDB
    const started = transactions();
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false); // no beacon: only the queue can carry them
    pagehide();
    first.track('at-pagehide');
    await new Promise((r) => setTimeout(r, 50));
    expect(started).not.toHaveBeenCalled();
    first.destroy();
    vi.restoreAllMocks();

    const db = indexedDB; // the next page: same storage, the collector back
    await load();
    vi.stubGlobal('indexedDB', db);
    await tracker().flush();
    expect(collector.types().sort()).toEqual(['at-pagehide', 'before']);
    expect(Object.keys(localStorage).filter((k) => k.endsWith(':spill'))).toEqual([]); // queued now, not left behind
  });

  it('keeps nothing in localStorage in anonymous mode', async () => {
    await load();
    const t = createTracker({ endpoint: 'http://127.0.0.1:1/collect', site: 'test', flushInterval: 60_000, anonymous: true });
    trackers.push(t);
    t.track('anonymous');
    pagehide();
    t.track('at-pagehide');
    expect(Object.keys(localStorage)).toEqual([]);
  });

  it('writes to IndexedDB again when the page comes back (pageshow)', async () => {
    await load();
    const t = tracker();
    pagehide();
    t.track('while-hidden');
    const started = transactions();
    window.dispatchEvent(new Event('pageshow'));
    await t.flush();
    expect(started).toHaveBeenCalled();
    expect(collector.types()).toEqual(['while-hidden']);
  });
});

describe('a pagehide the page dispatched itself', () => {
  it('does not freeze the queue: the page goes on writing and sending', async () => {
    await load();
    const t = tracker();
    window.dispatchEvent(new Event('pagehide'));
    const started = transactions();
    t.track('after-fake-pagehide');
    await t.flush();
    expect(started).toHaveBeenCalled();
    expect(collector.types()).toEqual(['after-fake-pagehide']);
  });
});

describe('a page stuck behind another page’s transaction', () => {
  it('queues in memory and sends after TX_TIMEOUT_MS instead of holding its events forever', async () => {
    await load();
    // Another page's readwrite transaction that never ends (it keeps issuing requests, as a frozen one never commits).
    let holding = true;
    await new Promise<void>((ready) => {
      const open = indexedDB.open('parcours:http://127.0.0.1:1/collect');
      open.onupgradeneeded = () => open.result.createObjectStore('events');
      open.onsuccess = () => {
        const store = open.result.transaction('events', 'readwrite').objectStore('events');
        const again = () => holding && (store.count().onsuccess = again);
        again();
        ready();
      };
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = tracker();
      t.track('waited');
      const flushed = t.flush();
      // fake-indexeddb answers on real macrotasks: let those run between steps of the fake clock.
      const advance = async (ms: number) => {
        for (let t = 0; t < ms; t += 100) {
          await new Promise((r) => setImmediate(r));
          await vi.advanceTimersByTimeAsync(100);
        }
      };
      await advance(TX_TIMEOUT_MS - 500);
      expect(collector.bodies).toHaveLength(0);
      await advance(1_000);
      await flushed;
      expect(collector.types()).toEqual(['waited']);
    } finally {
      holding = false;
    }
  });
});
