// @ts-check
/**
 * Storage limitation (GDPR art. 5(1)(e)): `--retain-days N` deletes events whose time (`ts`) is more than N days
 * old, once at start and then every hour. It deletes in transactions of `RETENTION_BATCH` rows, each found
 * through the (site, ts) index, and yields to the event loop between them, so ingestion waits for one small
 * transaction at most. Every `REFRESH_EVERY` transactions, and at the end of the sweep, the transaction also
 * rebuilds the journey rows of the sessions deleted events belonged to (`refreshJourney`): no derived row
 * outlives its events past the sweep. Not in each one: a rebuild has a fixed cost (some 300 ms at a million
 * events) that 470 transactions would pay 470 times.
 *
 *   node examples/collector/retention.mjs --db ./parcours.db --retain-days 90     # one sweep, e.g. from cron
 */
import { runAsMain } from './main.mjs';
import { parseArgs } from 'node:util';
import { openDb } from './db.mjs';
import { refreshJourney } from './journey/schema.mjs';
import { hasJourneyTables } from './people.mjs';

/** @typedef {import('./db.mjs').DB} DB */

const DAY = 86_400_000;
/** Rows per delete transaction. */
export const RETENTION_BATCH = 1000;
/** Transactions between two rebuilds of the journey rows. */
export const REFRESH_EVERY = 20;
/** Time between sweeps. */
export const RETENTION_EVERY_MS = 3_600_000;
/** Most days `--retain-days` takes (about 27 years). */
export const MAX_RETAIN_DAYS = 10_000;

/**
 * Deletes events older than `cutoff`, `batch` rows per transaction, yielding between transactions.
 * @param {DB} db
 * @param {number} cutoff epoch ms: events with `ts` before it go
 * @param {{ batch?: number, stopped?: () => boolean }} [options] `stopped` ends the sweep between transactions
 * @returns {Promise<{ deleted: number, transactions: number, longestMs: number }>} `longestMs`: the longest any
 *   transaction held the writer (and, in the collector, the event loop)
 */
export async function expireEvents(db, cutoff, { batch = RETENTION_BATCH, stopped = () => false } = {}) {
  const journey = hasJourneyTables(db);
  if (journey) refreshJourney(db); // outside the small transactions: whatever was pending is not ours to time
  // Site by site, so each batch is a range of the (site, ts) index rather than a scan of the table.
  const nextSite = db.prepare('SELECT min(site) AS site FROM events WHERE site > ?');
  const remove = db.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE site IS ? AND ts < ? LIMIT ?)');
  let pending = false; // deleted rows whose journey rows are not rebuilt yet
  const step = db.transaction((/** @type {string | null | undefined} */ site, /** @type {boolean} */ rebuild) => {
    const n = site === undefined ? 0 : remove.run(site, cutoff, batch).changes;
    pending ||= n > 0;
    if (journey && pending && rebuild) {
      refreshJourney(db);
      pending = false;
    }
    return n;
  }).immediate; // the write lock from the start: the rebuild reads before it writes (writer.mjs commits meanwhile)
  let deleted = 0;
  let transactions = 0;
  let longestMs = 0;
  /** @type {string | null} */
  let site = null; // events without a site first, then each site in order
  for (;;) {
    for (let n = batch; n == batch && !stopped(); ) {
      const began = performance.now();
      n = step(site, transactions % REFRESH_EVERY == REFRESH_EVERY - 1);
      longestMs = Math.max(longestMs, performance.now() - began);
      deleted += n;
      transactions++;
      await new Promise((resolve) => setImmediate(resolve)); // let requests in between two transactions
    }
    if (stopped()) break;
    site = /** @type {{ site: string | null }} */ (nextSite.get(site ?? '')).site;
    if (site == null) break;
  }
  if (journey && pending) {
    const began = performance.now();
    step(undefined, true); // the last rebuild, even when stopped
    longestMs = Math.max(longestMs, performance.now() - began);
  }
  return { deleted, transactions, longestMs: Math.round(longestMs) };
}

/**
 * Runs `expireEvents` now and every hour for a collector.
 * @param {DB} db @param {number} days @param {(line: string) => void} log
 * @returns {{ sweep: () => Promise<void>, stop: () => Promise<void> }} `stop` ends the timer and waits out a
 *   sweep in progress (which stops after its current transaction)
 */
export function startRetention(db, days, log) {
  let stopped = false;
  /** @type {Promise<void> | undefined} */
  let running;
  const sweep = () =>
    (running ||= expireEvents(db, Date.now() - days * DAY, { stopped: () => stopped })
      .then(({ deleted, transactions, longestMs }) =>
        log(`retention: ${deleted} events older than ${days} days deleted (${transactions} transactions, longest ${longestMs} ms)`),
      )
      .catch((error) => log(`error in retention: ${error?.stack || error}`))
      .finally(() => (running = undefined)));
  void sweep();
  const timer = setInterval(sweep, RETENTION_EVERY_MS).unref();
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Reads `--retain-days`: a whole number of days of 1..MAX_RETAIN_DAYS, else undefined. @param {string} text */
export const parseRetainDays = (text) => (/^\d{1,5}$/.test(text) && +text >= 1 && +text <= MAX_RETAIN_DAYS ? +text : undefined);

/** The command line: one sweep. @param {string[]} args */
async function main(args) {
  const { values } = parseArgs({ args, options: { db: { type: 'string', default: './parcours.db' }, 'retain-days': { type: 'string' } } });
  const days = parseRetainDays(values['retain-days'] ?? '');
  if (days === undefined) {
    console.error(`usage: node examples/collector/retention.mjs --db ./parcours.db --retain-days N (1..${MAX_RETAIN_DAYS})`);
    return void (process.exitCode = 2);
  }
  const db = openDb(values.db);
  try {
    const began = Date.now();
    const { deleted, transactions, longestMs } = await expireEvents(db, Date.now() - days * DAY);
    console.log(`${deleted} events older than ${days} days deleted in ${transactions} transactions, ${Date.now() - began} ms (longest ${longestMs} ms)`);
  } finally {
    db.close();
  }
}

runAsMain(import.meta.url, 'retention', main);
