import { clear, createStore, delMany, promisifyRequest, setMany } from 'idb-keyval';
import type { ParcoursEvent } from './types';
import type { Log } from './lib/log';

/** Events kept at most by default; beyond it the oldest are dropped first and reported. */
export const DEFAULT_MAX_QUEUE = 10_000;
/** Records written per IndexedDB transaction: a 10,000-event burst becomes short tasks, not one long one. */
export const WRITE_CHUNK = 250;

/** `[ts, seq, id]`: IndexedDB orders by it, so batches leave in the order events were tracked. */
export type Key = [number, number, string];

/** One queued event. `b` is when it went out by beacon at unload (delivery unconfirmed). */
export interface Entry {
  k: Key;
  e: ParcoursEvent;
  b?: number;
}

interface Backend {
  put(entries: Entry[]): Promise<unknown>;
  head(count: number): Promise<Entry[]>;
  del(keys: Key[]): Promise<unknown>;
  size(): Promise<number>;
  /** Rewrite entries that are still stored; never resurrects one another tab deleted meanwhile. */
  touch(entries: Entry[]): Promise<unknown>;
  clear(): Promise<unknown>;
}

const idb = (name: string): Backend => {
  const store = createStore(name, 'events');
  return {
    put: (entries) => setMany(entries.map((x) => [x.k, { e: x.e, b: x.b }]), store),
    // Keys and values from one transaction, so they line up.
    head: (count) =>
      store('readonly', (s) =>
        Promise.all([promisifyRequest(s.getAllKeys(null, count)), promisifyRequest(s.getAll(null, count))]),
      ).then(([keys, values]) => values.map((v, i) => ({ ...v, k: keys[i] as Key }))),
    del: (keys) => delMany(keys, store),
    size: () => store('readonly', (s) => promisifyRequest(s.count())),
    touch: (entries) =>
      store('readwrite', (s) => {
        for (const x of entries) {
          const got = s.getKey(x.k);
          got.onsuccess = () => got.result && s.put({ e: x.e, b: x.b }, x.k);
        }
        return promisifyRequest(s.transaction);
      }),
    clear: () => clear(store),
  };
};

const memory = (): Backend => {
  const all = new Map<string, Entry>();
  return {
    put: async (entries) => entries.forEach((x) => all.set(x.e.id, x)),
    head: async (count) => [...all.values()].slice(0, count),
    del: async (keys) => keys.forEach((k) => all.delete(k[2])),
    size: async () => all.size,
    touch: async (entries) => entries.forEach((x) => all.has(x.e.id) && all.set(x.e.id, x)),
    clear: async () => all.clear(),
  };
};

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
): Queue => {
  let backend: Backend | undefined;
  let inMemory = false;
  const mine = new Map<string, Entry>();
  const pending: Entry[] = [];
  let writing: Promise<void> | undefined;
  let seq = 0;
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(name);
    channel.onmessage = (m) => (m.data as string[]).forEach((id) => mine.delete(id));
  } catch {}

  // Every backend call goes through here: the first IndexedDB failure moves the queue to memory for good.
  const use = async <T>(op: (b: Backend) => Promise<T>): Promise<T> => {
    try {
      backend ||= idb(name);
      return await op(backend);
    } catch (error) {
      if (inMemory) throw error;
      log('IndexedDB unavailable (' + error + '); queueing in memory for this page');
      backend = memory();
      inMemory = true;
      await backend.put([...mine.values()]);
      return op(backend);
    }
  };

  const drain = async () => {
    while (pending.length) {
      const chunk = pending.splice(0, WRITE_CHUNK);
      await use((b) => b.put(chunk));
      const size = await use((b) => b.size());
      if (size > maxQueue) {
        // Trim one further so the events_dropped report fits under the cap instead of displacing another event.
        const over = size - maxQueue + 1;
        const oldest = await use((b) => b.head(over));
        await remove(oldest);
        onDrop(oldest, 'queue_full');
      }
    }
    writing = undefined;
  };

  const remove = async (entries: Entry[]) => {
    const ids = entries.map((x) => x.e.id);
    ids.forEach((id) => mine.delete(id));
    await use((b) => b.del(entries.map((x) => x.k)));
    channel?.postMessage(ids);
  };

  return {
    add(e) {
      const entry: Entry = { k: [e.ts, seq++, e.id], e };
      mine.set(e.id, entry);
      pending.push(entry);
      writing ||= Promise.resolve().then(drain).catch((error) => {
        writing = undefined;
        log('queue write failed: ' + error);
      });
    },
    written: async () => {
      while (writing) await writing;
    },
    head: (count) => use((b) => b.head(count)).catch(() => []),
    remove: (entries) => remove(entries).catch((error) => log('queue delete failed: ' + error)),
    unconfirmed: () => [...mine.values()],
    mark(entries, at) {
      entries.forEach((x) => (x.b = at));
      use((b) => b.touch(entries)).catch(() => {});
    },
    clear() {
      pending.length = 0;
      mine.clear();
      use((b) => b.clear()).catch(() => {});
    },
  };
};
