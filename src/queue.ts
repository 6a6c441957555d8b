import { createStore, promisifyRequest as done, type UseStore } from 'idb-keyval';
import type { ParcoursEvent } from './types';
import type { Log } from './lib/log';
import type { KeyValue } from './lib/storage';

/** Events kept at most by default; beyond it the oldest are dropped first and reported. */
export const DEFAULT_MAX_QUEUE = 10_000;
/** Records written per IndexedDB transaction: a 10,000-event burst becomes short tasks, not one long one. */
export const WRITE_CHUNK = 250;
/** IndexedDB that has not opened by then counts as failed (old Safari could hang on open): the queue moves to memory. */
export const OPEN_TIMEOUT_MS = 10_000;
/**
 * A transaction not done by then is stuck behind another page's (WebKit keeps the transactions of a page in the
 * back/forward cache open, and every later one on the store waits): the queue moves to memory for this page.
 */
export const TX_TIMEOUT_MS = 5_000;

/** `[ts, seq, id]`: IndexedDB orders by it, so batches leave in the order events were tracked. */
export type Key = [number, number, string];

/** One queued event. `b` is when it went out by beacon at unload (delivery unconfirmed). */
export interface Entry {
  k: Key;
  e: ParcoursEvent;
  b?: number;
}

export interface Queue {
  /** Queue an event. Synchronous; the write to IndexedDB starts in the next microtask, coalesced with others. */
  add(event: ParcoursEvent): void;
  /** Resolves when every event added so far is stored. */
  written(): Promise<void>;
  /** The oldest entries, in send order. */
  head(count: number): Promise<Entry[]>;
  /** Forget entries the collector confirmed (or that were dropped), here and in the other tabs' memory. */
  remove(entries: Entry[]): Promise<void>;
  /** Entries this page added and nobody confirmed yet: what a beacon at unload must carry. */
  unconfirmed(): Entry[];
  /** Record that entries went out by beacon at `at`, so other tabs hold them back for a grace period. */
  mark(entries: Entry[], at: number): void;
  /** Erase every queued event (consent withdrawn). */
  clear(): void;
  /**
   * The page is hidden for good or frozen (`true`, at pagehide) or back (`false`, pageshow): while frozen no
   * IndexedDB transaction starts, and this page's unconfirmed events are kept in localStorage instead, for the
   * next page to queue.
   */
  freeze(on: boolean): void;
}

/**
 * The durable queue shared by every tab of a shop: an idb-keyval store per endpoint. When IndexedDB is missing
 * or fails (private windows, blocked storage, quota) it falls back, once and with a diagnostic, to memory:
 * the page then relies on sending while it lives and on the beacon at pagehide.
 */
export const createQueue = (
  name: string,
  maxQueue: number,
  log: Log,
  onDrop: (entries: Entry[], reason: string) => void,
  spill: KeyValue,
): Queue => {
  let store: UseStore | undefined;
  let opened: Promise<unknown> | undefined;
  let memory: Map<string, Entry> | undefined; // the queue, by event id, once IndexedDB failed
  const mine = new Map<string, Entry>();
  const pending: Entry[] = [];
  let writing: Promise<void> | undefined;
  let seq = 0;
  let frozen = false;
  // Events of pages that were frozen or unloaded, in `spill` (localStorage, or memory where consent or anonymous
  // mode forbids it): adopted (queued under the same keys, so two pages adopting them store them once) by the
  // next page that starts.
  const spillKey = name + ':spill';
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(name);
    channel.onmessage = (m) => (m.data as string[]).forEach((id) => mine.delete(id));
  } catch {}

  /**
   * Every storage operation, written twice: `op` on the IndexedDB store (what it returns is awaited, else the
   * transaction), `mem` on the memory queue. The first IndexedDB failure moves the queue to memory for good.
   */
  const use = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => Promise<T> | void, mem: (m: Map<string, Entry>) => T): Promise<T> => {
    if (!memory)
      try {
        store ||= createStore(name, 'events');
        const open = await (opened ||= Promise.race([store('readonly', () => 1), new Promise((ok) => setTimeout(ok, OPEN_TIMEOUT_MS))]));
        if (!open) throw 'no answer from indexedDB.open in ' + OPEN_TIMEOUT_MS + ' ms';
        let timer: ReturnType<typeof setTimeout> | undefined;
        // (A write that lands after all is harmless: same keys, and the collector drops a re-sent event by id.)
        return await Promise.race([
          store(mode, (s) => op(s) || (done(s.transaction) as Promise<T>)),
          new Promise<T>((_, fail) => (timer = setTimeout(fail, TX_TIMEOUT_MS, 'no answer from a transaction in ' + TX_TIMEOUT_MS + ' ms'))),
        ]).finally(() => clearTimeout(timer));
      } catch (error) {
        if (!memory) log('IndexedDB unavailable (' + error + '); queueing in memory for this page');
        memory ||= new Map(mine);
      }
    return mem(memory);
  };
  const size = () => use('readonly', (s) => done(s.count()), (m) => m.size);
  // Keys and values from one transaction, so they line up.
  const head = (count: number) =>
    use(
      'readonly',
      (s) => Promise.all([done(s.getAllKeys(null, count)), done(s.getAll(null, count))]).then(([keys, values]) => values.map((v, i) => ({ ...v, k: keys[i] as Key }))),
      (m) => [...m.values()].slice(0, count),
    );
  const put = (entries: Entry[]) =>
    use('readwrite', (s) => void entries.forEach((x) => s.put({ e: x.e, b: x.b }, x.k)), (m) => void entries.forEach((x) => m.set(x.e.id, x)));

  const drain = async () => {
    while (pending.length && !frozen) {
      const chunk = pending.splice(0, WRITE_CHUNK);
      await put(chunk);
      const count = await size();
      if (count > maxQueue) {
        // Trim one further so the events_dropped report fits under the cap instead of displacing another event.
        const oldest = await head(count - maxQueue + 1);
        await remove(oldest);
        onDrop(oldest, 'queue_full');
      }
    }
    writing = undefined;
  };

  const remove = async (entries: Entry[]) => {
    const ids = entries.map((x) => x.e.id);
    ids.forEach((id) => mine.delete(id));
    await use('readwrite', (s) => void entries.forEach((x) => s.delete(x.k)), (m) => void ids.forEach((id) => m.delete(id)));
    channel?.postMessage(ids);
  };

  const write = () => {
    if (frozen) return keep();
    writing ||= Promise.resolve().then(drain).catch((error) => {
      writing = undefined;
      log('queue write failed: ' + error);
    });
  };
  /** Keep this page's unconfirmed events in localStorage (merged with other pages' there), in place of IndexedDB. */
  const keep = () => {
    const kept = [...adopt(false).filter((x) => !mine.has(x.e.id)), ...mine.values()];
    kept.length ? spill.set(spillKey, JSON.stringify(kept)) : spill.del(spillKey);
  };
  /** Take the kept events out of localStorage (and queue them when `queue`). */
  const adopt = (queue = true): Entry[] => {
    let kept: Entry[] = [];
    try {
      kept = JSON.parse(spill.get(spillKey) || '[]');
    } catch {}
    if (queue && kept.length) {
      spill.del(spillKey);
      pending.push(...kept);
      write();
    }
    return kept;
  };
  adopt();

  return {
    add(e) {
      const entry: Entry = { k: [e.ts, seq++, e.id], e };
      mine.set(e.id, entry);
      pending.push(entry);
      write();
    },
    written: async () => {
      while (writing) await writing;
    },
    head: (count) => head(count).catch(() => []),
    remove: (entries) => remove(entries).catch((error) => log('queue delete failed: ' + error)),
    unconfirmed: () => [...mine.values()],
    mark(entries, at) {
      entries.forEach((x) => (x.b = at));
      if (frozen) return keep();
      // Rewrite the entries still stored; never resurrect one another tab deleted meanwhile. (In memory the
      // queue holds these very objects: nothing to rewrite.)
      use(
        'readwrite',
        (s) =>
          entries.forEach((x) => {
            const got = s.getKey(x.k);
            got.onsuccess = () => got.result && s.put({ e: x.e, b: x.b }, x.k);
          }),
        () => {},
      ).catch(() => {});
    },
    clear() {
      pending.length = 0;
      mine.clear();
      spill.del(spillKey);
      use('readwrite', (s) => void s.clear(), (m) => m.clear()).catch(() => {});
    },
    freeze(on) {
      // WebKit keeps the IndexedDB transactions a page started at pagehide open while that page sits in the
      // back/forward cache, and every later transaction on the store, from any page, waits for them: the next
      // page of the shop could neither queue nor send. So nothing starts a transaction from pagehide on.
      frozen = on;
      if (on) keep();
      else adopt(), write();
    },
  };
};
