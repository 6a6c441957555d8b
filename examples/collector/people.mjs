// @ts-check
/**
 * A shopper's rights over what the collector stores (GDPR art. 15, 17, 20): everything about one person, or
 * none of it. A person is an `anonymousId` (one browser) or a `userId` (the shop's customer id) together with
 * every id linked to it: `identify` and every event after it carry both ids, so one such event links them, and
 * links are followed to the end (a customer on a phone and a laptop is one person).
 *
 *   GET /api/people/{id}      (read key) → {"events": [...]}, each event as received plus _site, _receivedAt, _deliveries
 *   DELETE /api/people/{id}   (read key) → {"erased": n}
 *   node examples/collector/people.mjs --db ./parcours.db --export ID | --erase ID
 *
 * Erasing deletes the events and rebuilds the journey rows of their sessions in the same transaction, so no
 * derived row outlives them. Finding a person's rows is a scan of the table (there is no index on the ids: it
 * would slow every insert for a request made a few times a month): for a database file the routes run it in a
 * worker thread on its own read-only connection, so the collector keeps taking events meanwhile, and the
 * transaction then deletes those rows by rowid, plus the person's rows stored since.
 */
import { runAsMain } from './main.mjs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openDb } from './db.mjs';
import { refreshJourney } from './journey/schema.mjs';

/** @typedef {import('./db.mjs').DB} DB */

/** Longest id accepted (the SDK's ids are far shorter; Segment's userId is at most 256 here too). */
export const MAX_ID = 256;

/** @typedef {{ anonymousIds: string[], userIds: string[] }} PersonIds */

/** Pairs of ids seen on one event, among rows `rowid > after`. @param {DB} db */
const links = (db, after = 0) =>
  /** @type {Array<{ a: string, u: string }>} */ (
    db.prepare('SELECT DISTINCT anonymous_id AS a, user_id AS u FROM events WHERE rowid > ? AND anonymous_id IS NOT NULL AND user_id IS NOT NULL').all(after)
  );

/**
 * `ids` with every id the links join to them, to the end.
 * @param {PersonIds} ids @param {Array<{ a: string, u: string }>} pairs
 * @returns {PersonIds}
 */
function joined(ids, pairs) {
  const anonymous = new Set(ids.anonymousIds);
  const users = new Set(ids.userIds);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { a, u } of pairs) {
      if ((anonymous.has(a) || users.has(u)) && !(anonymous.has(a) && users.has(u))) {
        anonymous.add(a);
        users.add(u);
        grew = true;
      }
    }
  }
  return { anonymousIds: [...anonymous], userIds: [...users] };
}

/**
 * Every id of the person `id` belongs to.
 * @param {DB} db @param {string} id
 * @returns {PersonIds}
 */
export const personIds = (db, id) => joined({ anonymousIds: [id], userIds: [id] }, links(db));

const OF_PERSON = 'anonymous_id IN (SELECT value FROM json_each(?)) OR user_id IN (SELECT value FROM json_each(?))';

/** @param {PersonIds} ids */
const params = (ids) => [JSON.stringify(ids.anonymousIds), JSON.stringify(ids.userIds)];

/**
 * Everything stored about one person, oldest first, as a JSON array text.
 * @param {DB} db @param {string} id
 * @returns {{ events: number, json: string }}
 */
export function exportPerson(db, id) {
  const rows = /** @type {Array<{ event: string, site: string | null, received_at: number, deliveries: number }>} */ (
    db.prepare(`SELECT event, site, received_at, deliveries FROM events WHERE ${OF_PERSON} ORDER BY ts, rowid`).all(...params(personIds(db, id)))
  );
  // The stored text is a JSON object: splice the stored columns in before its closing brace instead of re-parsing.
  const events = rows.map(
    (r) => `${r.event.slice(0, -1)},"_site":${JSON.stringify(r.site)},"_receivedAt":${r.received_at},"_deliveries":${r.deliveries}}`,
  );
  return { events: rows.length, json: '[' + events.join(',') + ']' };
}

/** Whether the journey tables exist (they are made on the first report or seed). @param {DB} db */
export const hasJourneyTables = (db) =>
  Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name LIKE 'journey\\_%' ESCAPE '\\' LIMIT 1").get());

/**
 * A person's ids and rows as of one snapshot: the slow part of an erasure, which reads only.
 * @typedef {{ ids: PersonIds, rowids: number[], upTo: number }} PersonScan
 */

/** @param {DB} db @param {string} id @returns {PersonScan} */
export function scanPerson(db, id) {
  return db.transaction(() => {
    const upTo = /** @type {number} */ (db.prepare('SELECT coalesce(max(rowid), 0) FROM events').pluck().get());
    const ids = personIds(db, id);
    const rowids = /** @type {number[]} */ (db.prepare(`SELECT rowid FROM events WHERE rowid <= ? AND (${OF_PERSON})`).pluck().all(upTo, ...params(ids)));
    return { ids, rowids, upTo };
  })();
}

/**
 * Deletes every event of one person and, in the same transaction, what the journey tables derived from them.
 * @param {DB} db @param {string} id
 * @param {PersonScan} [scan] what `scanPerson` found earlier (in a worker): the transaction adds the rows stored
 *   since; if those link the person to another id, it reads the whole table again itself
 * @returns {number} events erased
 */
export function erasePerson(db, id, scan) {
  const journey = hasJourneyTables(db);
  if (journey) refreshJourney(db); // brings the tables current first, outside the transaction (a first build is slow)
  return db.transaction(() => {
    let erased = 0;
    const since = scan ? joined(scan.ids, links(db, scan.upTo)) : undefined;
    if (scan && since && since.anonymousIds.length == scan.ids.anonymousIds.length && since.userIds.length == scan.ids.userIds.length) {
      erased += db.prepare('DELETE FROM events WHERE rowid IN (SELECT value FROM json_each(?))').run(JSON.stringify(scan.rowids)).changes;
      erased += db.prepare(`DELETE FROM events WHERE rowid > ? AND (${OF_PERSON})`).run(scan.upTo, ...params(scan.ids)).changes;
    } else {
      erased = db.prepare(`DELETE FROM events WHERE ${OF_PERSON}`).run(...params(personIds(db, id))).changes;
    }
    if (journey && erased) refreshJourney(db); // the delete marked the person's sessions; rebuild them now
    return erased;
  }).immediate(); // reads, then deletes: holds the write lock from the start (the writer thread may commit meanwhile)
}

/**
 * Runs the reading part in a worker thread on its own read-only connection, for a database file.
 * @template T @param {DB} db @param {'scan' | 'export'} task @param {string} id @returns {Promise<T>}
 */
function inWorker(db, task, id) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./people-worker.mjs', import.meta.url), { workerData: { file: db.name, task, id } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`people worker exited with code ${code}`))); // after a message: no effect
  });
}

/**
 * `erasePerson` for a running collector: the scan in a worker when the database is a file.
 * @param {DB} db @param {string} id @returns {Promise<number>}
 */
export const erasePersonSoon = async (db, id) => (db.memory ? erasePerson(db, id) : erasePerson(db, id, await inWorker(db, 'scan', id)));

/**
 * `exportPerson` for a running collector, in a worker when the database is a file: the events as a JSON array text.
 * @param {DB} db @param {string} id @returns {Promise<string>}
 */
export const exportPersonSoon = async (db, id) => (db.memory ? exportPerson(db, id).json : inWorker(db, 'export', id));

/** @type {(ctx: import('./server.mjs').RouteContext) => string | undefined} */
function idOf(ctx) {
  try {
    const id = decodeURIComponent(ctx.url.pathname.slice('/api/people/'.length));
    return id && id.length <= MAX_ID ? id : undefined;
  } catch {
    return undefined; // a malformed escape
  }
}

const PERSON = /^\/api\/people\/[^/]+$/;

/** `GET` and `DELETE /api/people/{id}`: read routes, so they need a read key. @type {import('./server.mjs').Route[]} */
export const peopleRoutes = [
  {
    method: 'GET',
    path: PERSON,
    read: true,
    handler: async (req, res, ctx) => {
      const id = idOf(ctx);
      if (id === undefined) return ctx.sendJson(400, { error: `id must be 1 to ${MAX_ID} characters` });
      ctx.sendJson(200, `{"events":${await exportPersonSoon(ctx.db, id)}}`);
    },
  },
  {
    method: 'DELETE',
    path: PERSON,
    read: true,
    handler: async (req, res, ctx) => {
      const id = idOf(ctx);
      if (id === undefined) return ctx.sendJson(400, { error: `id must be 1 to ${MAX_ID} characters` });
      const erased = await erasePersonSoon(ctx.db, id);
      ctx.log(`DELETE /api/people: ${erased} events erased`); // no id in the log: it would outlive the erasure
      ctx.sendJson(200, { erased });
    },
  },
];

const USAGE = 'usage: node examples/collector/people.mjs --db ./parcours.db (--export ID | --erase ID)';

/** The command line: one export (JSON on stdout) or one erasure. @param {string[]} args */
function main(args) {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string', default: './parcours.db' }, export: { type: 'string' }, erase: { type: 'string' } },
  });
  const id = values.export ?? values.erase;
  if (!id || (values.export && values.erase) || id.length > MAX_ID) {
    console.error(USAGE);
    return void (process.exitCode = 2);
  }
  const db = openDb(values.db);
  try {
    if (values.export) console.log(`{"events":${exportPerson(db, id).json}}`);
    else console.log(JSON.stringify({ erased: erasePerson(db, id) }));
  } finally {
    db.close();
  }
}

runAsMain(import.meta.url, 'people', main);
