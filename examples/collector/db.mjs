// @ts-check
/**
 * The collector's storage: one SQLite table of events, deduplicated by event id. The schema lives here and only
 * here; analytics pages (journey map, Segment import) query the same table with SQL.
 */
import Database from 'better-sqlite3';

/** @typedef {import('better-sqlite3').Database} DB */

/** Version of the schema this code reads and writes, kept in `PRAGMA user_version`. */
export const schemaVersion = 2;

/**
 * `migrations[n]` upgrades a database from version n to n + 1, inside one transaction with the version bump.
 * To change the schema: append a function, bump `schemaVersion`, never edit a migration that has shipped.
 * @type {Array<(db: DB) => void>}
 */
const migrations = [
  (db) =>
    db.exec(`
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        site TEXT,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        session_id TEXT,
        anonymous_id TEXT,
        user_id TEXT,
        stage TEXT,
        touchpoint TEXT,
        page_type TEXT,
        path TEXT,
        lifecycle TEXT,
        properties TEXT,
        event TEXT NOT NULL,
        deliveries INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX events_site_ts ON events (site, ts);
      CREATE INDEX events_site_type_ts ON events (site, type, ts);
      CREATE INDEX events_session_ts ON events (session_id, ts);
    `),
  // Nothing reads by (site, type, ts) since the journey map reads its roll-ups: the index cost every insert some
  // 1.5 µs (test/bench/ingest.bench.mjs). /events?type= walks (site, ts) instead.
  (db) => db.exec('DROP INDEX IF EXISTS events_site_type_ts'),
];

/**
 * Opens (or creates) a collector database and brings its schema up to `schemaVersion`.
 * @param {string} [file] a path, or ':memory:'
 * @returns {DB}
 */
export function openDb(file = ':memory:') {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL'); // readers (journey pages, sqlite3 CLI) never block the writer
    db.pragma('synchronous = NORMAL'); // durable at checkpoints; WAL keeps the file consistent on a crash
    db.pragma('busy_timeout = 5000'); // another process holding the write lock: wait instead of failing
    db.pragma('temp_store = MEMORY'); // the journey triggers' temporary b-trees: half the insert CPU
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** @param {DB} db */
function migrate(db) {
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > schemaVersion) throw new Error(`database schema v${from} is newer than this collector's v${schemaVersion}`);
  if (from === schemaVersion) return;
  db.transaction(() => {
    for (let v = from; v < schemaVersion; v++) migrations[v](db);
    db.pragma(`user_version = ${schemaVersion}`);
  })();
}

/** @type {WeakMap<DB, Map<string, import('better-sqlite3').Statement>>} */
const statements = new WeakMap();

/** A prepared statement, compiled once per database. @param {DB} db @param {string} sql */
export function prepared(db, sql) {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

// A new id is inserted; a stored one changes nothing here (`changes` 0) and REPEAT counts the delivery. Cheaper
// than one upsert with RETURNING (some 4 µs less per event, test/bench/ingest.bench.mjs), and repeats are rare.
const INSERT = `
  INSERT INTO events (id, site, type, ts, received_at, session_id, anonymous_id, user_id, stage, touchpoint,
                      page_type, path, lifecycle, properties, event)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;
const REPEAT = 'UPDATE events SET deliveries = deliveries + 1 WHERE id = ?';

/**
 * An event as stored: its columns, `properties` both parsed (for the journey fold) and as text, the event as text.
 * @typedef {{ id: string, type: string, ts: number, sessionId: string, anonymousId: string | null, userId: string | null,
 *   stage: string | null, touchpoint: string | null, pageType: string | null, path: string, lifecycle: string | null,
 *   properties: any, propertiesText: string, text: string }} EventRow
 */

/**
 * Work done in the transaction of every insert: `before` runs first, `after` gets each batch's events stored now
 * (repeat deliveries left out). The journey tables fold new events in this way (journey/schema.mjs).
 * @typedef {{ before: () => void, after: (batches: Array<{ site: string | null, events: EventRow[] }>) => void }} InsertHook
 */
/** @type {WeakMap<DB, InsertHook>} */
const insertHooks = new WeakMap();

/** Sets (or with undefined, removes) the insert hook of a database. @param {DB} db @param {InsertHook} [hook] */
export function setInsertHook(db, hook) {
  if (hook) insertHooks.set(db, hook);
  else insertHooks.delete(db);
}

/**
 * A validated batch to store: its events, or their rows (`unpackRows`).
 * @typedef {{ site: string | null, receivedAt: number } & ({ events: import('../../src/types').ParcoursEvent[], rows?: undefined } | { rows: EventRow[], events?: undefined })} Batch
 */

/**
 * Stores validated events in one transaction: all or none. An id already stored (or repeated in the same
 * batch) is not stored again; its `deliveries` counter goes up instead.
 * @param {DB} db
 * @param {string | null} site
 * @param {import('../../src/types').ParcoursEvent[]} events
 * @param {number} receivedAt epoch ms
 * @returns {{ stored: number, duplicates: number }}
 */
export const insertEvents = (db, site, events, receivedAt) => insertBatches(db, [{ site, events, receivedAt }])[0];

/**
 * An event's `properties` and the whole event as JSON texts, exactly `JSON.stringify`'s, the properties
 * serialised once (some 1.5 µs per event): the event is serialised with `properties` null, then their text put
 * in its place. Inside a JSON string `"properties":null` is escaped; should it occur twice unescaped (a nested
 * key), the event is serialised again whole.
 * @param {import('../../src/types').ParcoursEvent} e
 * @returns {[string, string]}
 */
function texts(e) {
  const p = e.properties;
  const properties = JSON.stringify(p);
  if (p === null || typeof p != 'object' || !Object.hasOwn(e, 'properties')) return [properties, JSON.stringify(e)];
  /** @type {any} */ (e).properties = null; // null, not a number: V8 keeps the objects' shape
  let text;
  try {
    text = JSON.stringify(e);
  } finally {
    e.properties = p;
  }
  const at = text.indexOf(PROPERTIES_NULL);
  if (at != text.lastIndexOf(PROPERTIES_NULL)) return [properties, JSON.stringify(e)];
  return [properties, text.slice(0, at + PROPERTIES_NULL.length - 4) + properties + text.slice(at + PROPERTIES_NULL.length)];
}
const PROPERTIES_NULL = '"properties":null';

/** @param {import('../../src/types').ParcoursEvent} e @returns {EventRow} */
export function eventRow(e) {
  const [propertiesText, text] = texts(e);
  return {
    id: e.id, type: e.type, ts: Math.round(e.ts), sessionId: e.sessionId, anonymousId: e.anonymousId, userId: e.userId,
    stage: e.stage ?? null, touchpoint: e.touchpoint ?? null, pageType: e.pageType ?? null, path: e.page.path,
    lifecycle: e.lifecycle ?? null, properties: e.properties, propertiesText, text,
  };
}

/** Columns of an EventRow packed as JSON by `packRows`, in this order. */
const SCALARS = /** @type {const} */ (['id', 'type', 'ts', 'sessionId', 'anonymousId', 'userId', 'stage', 'touchpoint', 'pageType', 'path', 'lifecycle']);

/**
 * Events as two strings for the writer thread (writer.mjs): the columns as one JSON array, and each event's
 * properties and event texts joined by line feeds (JSON.stringify never writes a raw one). The main thread
 * serialises, the writer only splits and parses the small properties for its fold: copying two strings between
 * threads costs less than cloning objects, and less than the writer parsing the batch and serialising each event.
 * @param {import('../../src/types').ParcoursEvent[]} events
 * @returns {{ columns: string, texts: string }}
 */
export function packRows(events) {
  /** @type {unknown[]} */
  const columns = [];
  let joined = '';
  for (const e of events) {
    const row = eventRow(e);
    for (const name of SCALARS) columns.push(row[name]);
    joined += row.propertiesText + '\n' + row.text + '\n';
  }
  return { columns: JSON.stringify(columns), texts: joined };
}

/** The rows `packRows` packed. @param {{ columns: string, texts: string }} packed @returns {EventRow[]} */
export function unpackRows({ columns, texts }) {
  const c = JSON.parse(columns);
  const t = texts.split('\n');
  /** @type {EventRow[]} */
  const rows = [];
  for (let i = 0, j = 0; i < c.length; i += SCALARS.length, j += 2) {
    rows.push({
      id: c[i], type: c[i + 1], ts: c[i + 2], sessionId: c[i + 3], anonymousId: c[i + 4], userId: c[i + 5], stage: c[i + 6],
      touchpoint: c[i + 7], pageType: c[i + 8], path: c[i + 9], lifecycle: c[i + 10], properties: JSON.parse(t[j]), propertiesText: t[j], text: t[j + 1],
    });
  }
  return rows;
}

/**
 * Stores several batches in one transaction, as `insertEvents` each (all or none of them): a group commit. The
 * writer thread stores the batches waiting for it so, since what a transaction costs beyond its events (the
 * commit, each roll-up row the journey fold updates) is paid once for the group.
 * @param {DB} db
 * @param {Batch[]} batches
 * @returns {Array<{ stored: number, duplicates: number }>} per batch, in order
 */
export function insertBatches(db, batches) {
  const insert = prepared(db, INSERT);
  const repeat = prepared(db, REPEAT);
  const hook = insertHooks.get(db);
  return db.transaction(() => {
    hook?.before();
    /** @type {Array<{ site: string | null, events: EventRow[] }>} */
    const fresh = [];
    const results = batches.map(({ site, events, rows, receivedAt }) => {
      let stored = 0;
      /** @type {EventRow[]} */
      const kept = [];
      for (const r of rows ?? events.map(eventRow)) {
        const { changes } = insert.run(
          r.id, site, r.type, r.ts, receivedAt, r.sessionId, r.anonymousId, r.userId, r.stage,
          r.touchpoint, r.pageType, r.path, r.lifecycle, r.propertiesText, r.text,
        );
        if (changes == 0) {
          repeat.run(r.id);
          continue;
        }
        stored++;
        if (hook) kept.push(r);
      }
      if (kept.length) fresh.push({ site, events: kept });
      return { stored, duplicates: (rows ?? events).length - stored };
    });
    hook?.after(fresh);
    return results;
  })();
}

/**
 * @typedef {object} EventFilter
 * @property {string} [site]
 * @property {string} [type]
 * @property {string} [session] a sessionId
 * @property {number} [limit] rows at most (default 10,000)
 */

/**
 * Stored events as a JSON array text: each the event as received, plus `_deliveries`; ordered by ts, then arrival.
 * @param {DB} db
 * @param {EventFilter} [filter]
 * @returns {string}
 */
export function listEventsJson(db, { site, type, session, limit = 10_000 } = {}) {
  /** @type {Array<[string, string | undefined]>} */
  const wanted = [
    ['site', site],
    ['type', type],
    ['session_id', session],
  ];
  const where = wanted.filter(([, value]) => value !== undefined);
  const sql =
    'SELECT event, deliveries FROM events' +
    (where.length ? ' WHERE ' + where.map(([column]) => `${column} = ?`).join(' AND ') : '') +
    ' ORDER BY ts, rowid LIMIT ?';
  const rows = /** @type {Array<{ event: string, deliveries: number }>} */ (
    prepared(db, sql).all(...where.map(([, value]) => value), limit)
  );
  // The stored text is a JSON object: splice the counter in before its closing brace instead of re-parsing.
  return '[' + rows.map((r) => r.event.slice(0, -1) + ',"_deliveries":' + r.deliveries + '}').join(',') + ']';
}
