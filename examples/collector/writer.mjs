// @ts-check
/**
 * Writes in a worker thread, so the main thread reads, parses and validates the next batch while SQLite stores
 * this one: both cores work. The worker has its own connection to the same file (WAL: the main thread's reads
 * see each commit) and its own journey fold; a batch is answered only once the worker's transaction committed.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { httpError } from './body.mjs';
import { insertEvents, openDb } from './db.mjs';
import { ensureJourneySchema } from './journey/schema.mjs';

/** Batches sent to the worker and not yet committed, at most; beyond, 503 (the SDK retries later). */
export const MAX_PENDING = 32;

/**
 * Starts the writer thread on a database file whose journey tables are complete.
 * @param {string} file
 * @returns {{ write: (site: string | null, text: string, receivedAt: number) => Promise<{ stored: number, duplicates: number }>, close: () => Promise<void> }}
 */
export function startWriter(file) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { parcoursWriter: file } });
  /** @type {Map<number, { resolve: (r: any) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  let next = 0;
  /** @type {Error | undefined} */
  let failed;
  const failAll = (/** @type {Error} */ error) => {
    failed ??= error;
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  worker.on('message', (/** @type {{ n: number, stored?: number, duplicates?: number, error?: string }} */ m) => {
    const p = pending.get(m.n);
    pending.delete(m.n);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve({ stored: m.stored, duplicates: m.duplicates });
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the writer thread stopped')));
  return {
    write: (site, text, receivedAt) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        if (pending.size >= MAX_PENDING) return reject(httpError(503, 'busy, retry later'));
        const n = next++;
        pending.set(n, { resolve, reject });
        worker.postMessage({ n, site, text, receivedAt });
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
  port.on('message', (/** @type {{ n: number, site: string | null, text: string, receivedAt: number } | null} */ m) => {
    if (m === null) {
      db.close();
      return void port.close();
    }
    try {
      // The text was parsed and validated by the main thread; parsing it here is cheaper than cloning objects.
      const { stored, duplicates } = insertEvents(db, m.site, JSON.parse(m.text).events, m.receivedAt);
      port.postMessage({ n: m.n, stored, duplicates });
    } catch (error) {
      port.postMessage({ n: m.n, error: String(/** @type {Error} */ (error)?.message ?? error) });
    }
  });
}
