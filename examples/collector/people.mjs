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
 * derived row outlives them.
 */
import { isMain } from './main.mjs';
import { parseArgs } from 'node:util';
import { openDb } from './db.mjs';
import { refreshJourney } from './journey/schema.mjs';

/** @typedef {import('./db.mjs').DB} DB */

/** Longest id accepted (the SDK's ids are far shorter; Segment's userId is at most 256 here too). */
export const MAX_ID = 256;

/**
 * Every id of the person `id` belongs to.
 * @param {DB} db @param {string} id
 * @returns {{ anonymousIds: string[], userIds: string[] }}
 */
export function personIds(db, id) {
  const anonymous = new Set([id]);
  const users = new Set([id]);
  const links = /** @type {Array<{ a: string, u: string }>} */ (
    db.prepare('SELECT DISTINCT anonymous_id AS a, user_id AS u FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL').all()
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const { a, u } of links) {
      if ((anonymous.has(a) || users.has(u)) && !(anonymous.has(a) && users.has(u))) {
        anonymous.add(a);
        users.add(u);
        grew = true;
      }
    }
  }
  return { anonymousIds: [...anonymous], userIds: [...users] };
}

const OF_PERSON = 'anonymous_id IN (SELECT value FROM json_each(?)) OR user_id IN (SELECT value FROM json_each(?))';

/** @param {{ anonymousIds: string[], userIds: string[] }} ids */
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
 * Deletes every event of one person and, in the same transaction, what the journey tables derived from them.
 * @param {DB} db @param {string} id
 * @returns {number} events erased
 */
export function erasePerson(db, id) {
  const journey = hasJourneyTables(db);
  if (journey) refreshJourney(db); // brings the tables current first, outside the transaction (a first build is slow)
  return db.transaction(() => {
    const erased = db.prepare(`DELETE FROM events WHERE ${OF_PERSON}`).run(...params(personIds(db, id))).changes;
    if (journey && erased) refreshJourney(db); // the delete marked the person's sessions; rebuild them now
    return erased;
  })();
}

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
    handler: (req, res, ctx) => {
      const id = idOf(ctx);
      if (id === undefined) return ctx.sendJson(400, { error: `id must be 1 to ${MAX_ID} characters` });
      ctx.sendJson(200, `{"events":${exportPerson(ctx.db, id).json}}`);
    },
  },
  {
    method: 'DELETE',
    path: PERSON,
    read: true,
    handler: (req, res, ctx) => {
      const id = idOf(ctx);
      if (id === undefined) return ctx.sendJson(400, { error: `id must be 1 to ${MAX_ID} characters` });
      const erased = erasePerson(ctx.db, id);
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

if (isMain(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`parcours people: ${/** @type {Error} */ (error).message}`);
    process.exitCode = 1;
  }
}
