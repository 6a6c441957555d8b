// @ts-check
/**
 * Writes in a worker thread, so the main thread reads, parses, validates and serialises the next batch while
 * SQLite stores this one: both cores work. Rows cross as two strings (db.mjs packRows). The worker has its own connection to the same file (WAL: the main thread's reads
 * see each commit) and its own journey fold; a batch is answered only once the worker's transaction committed.
 * The batches that arrived while it stored the last ones are stored together, in one transaction (a group
 * commit), so the busier it is, the less each event costs it.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { httpError } from './body.mjs';
import { releaseThreadCpu, threadCpuMs } from './cpu.mjs';
import { insertBatches, openDb, packRows, unpackRows } from './db.mjs';
import { ensureJourneySchema, journeyIngestCost } from './journey/schema.mjs';

/** Batches sent to the worker and not yet committed, at most; beyond, 503 (the SDK retries later). */
export const MAX_PENDING = 32;
/** Batches stored in one transaction at most: 8 of 500 events hold the write lock some 100 ms. */
export const MAX_GROUP = 8;

/**
 * What the writer thread used so far: its CPU milliseconds, and of them the journey fold's (journeyIngestCost).
 * @typedef {{ cpuMs: number, fold: { events: number, ms: number } }} WriterStats
 */

/**
 * Starts the writer thread on a database file whose journey tables are complete.
 * @param {string} file
 * @returns {{ write: (site: string | null, events: import('../../src/types').ParcoursEvent[], receivedAt: number) => Promise<{ stored: number, duplicates: number }>,
 *   stats: () => Promise<WriterStats>, close: () => Promise<void> }}
 */
export function startWriter(file) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { parcoursWriter: file } });
  /** @type {Map<number, { resolve: (r: any) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  let next = 0;
  /** @type {Error | undefined} */
  let failed;
  /** @type {Array<{ resolve: (stats: WriterStats) => void, reject: (e: Error) => void }>} */
  const statsAsked = [];
  const failAll = (/** @type {Error} */ error) => {
    failed ??= error;
    for (const p of [...pending.values(), ...statsAsked.splice(0)]) p.reject(failed);
    pending.clear();
  };
  worker.on('message', (/** @type {{ n: number, stored?: number, duplicates?: number, error?: string } | { stats: WriterStats }} */ m) => {
    if ('stats' in m) return void statsAsked.shift()?.resolve(m.stats);
    const p = pending.get(m.n);
    pending.delete(m.n);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve({ stored: m.stored, duplicates: m.duplicates });
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the writer thread stopped')));
  return {
    write: (site, events, receivedAt) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        if (pending.size >= MAX_PENDING) return reject(httpError(503, 'busy, retry later'));
        const packed = packRows(events); // serialised here, so the writer's core does less
        const n = next++;
        pending.set(n, { resolve, reject });
        worker.postMessage({ n, site, receivedAt, ...packed });
      }),
    stats: () =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        statsAsked.push({ resolve, reject });
        worker.postMessage('stats');
      }),
    // Waits for the batches sent (each answered after its commit), then the worker closes its connection.
    close: async () => {
      while (pending.size && !failed) await new Promise((resolve) => setTimeout(resolve, 5));
      worker.postMessage(null);
      await new Promise((resolve) => (worker.threadId < 0 ? resolve(undefined) : worker.once('exit', resolve)));
    },
  };
}

if (!isMainThread && workerData?.parcoursWriter && parentPort) {
  const port = parentPort;
  const db = openDb(workerData.parcoursWriter);
  ensureJourneySchema(db); // complete already: registers the fold on this connection
  /** @typedef {{ n: number, site: string | null, receivedAt: number, columns: string, texts: string }} Message */
  /** @type {Message[]} */
  const queue = [];
  let closing = false;
  // Messages that came while a group was stored are all delivered before the next setImmediate callback.
  const store = () => {
    const group = queue.splice(0, MAX_GROUP);
    if (queue.length) setImmediate(store);
    try {
      const results = insertBatches(db, group.map((m) => ({ site: m.site, rows: unpackRows(m), receivedAt: m.receivedAt })));
      group.forEach((m, i) => port.postMessage({ n: m.n, ...results[i] }));
    } catch {
      // Stored one by one again, so a batch that cannot be stored fails alone.
      for (const m of group) {
        try {
          const [result] = insertBatches(db, [{ site: m.site, rows: unpackRows(m), receivedAt: m.receivedAt }]);
          port.postMessage({ n: m.n, ...result });
        } catch (error) {
          port.postMessage({ n: m.n, error: String(/** @type {Error} */ (error)?.message ?? error) });
        }
      }
    }
    if (closing && !queue.length) close();
  };
  const close = () => {
    releaseThreadCpu();
    db.close();
    port.close();
  };
  port.on('message', (/** @type {Message | 'stats' | null} */ m) => {
    if (m === 'stats') return void port.postMessage({ stats: { cpuMs: threadCpuMs(), fold: journeyIngestCost(db) } });
    if (m === null) return void (queue.length ? (closing = true) : close());
    if (queue.push(m) == 1) setImmediate(store);
  });
}
