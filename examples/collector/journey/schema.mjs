// @ts-check
/**
 * The tables the journey map reads instead of the raw event log: roll-ups by UTC day (and hour) of the session's
 * start, site and segment (device, entry touchpoint, campaign, new or returning customer: the report's filters),
 * so a report reads days, not sessions.
 *
 * - `journey_sessions`: one row per session, its state (fold.mjs) as JSON, to know what it contributed so far.
 * - `journey_days` (sessions and journey events per funnel steps × stage order),
 *   `journey_day_cells` (stage × touchpoint), `journey_day_vitals` (a histogram per page type and vital, by
 *   device only), `journey_day_orders` (first and last touch, currency), `journey_day_abandons` (step, last
 *   field), `journey_day_feelings` (ratings per stage × touchpoint, frustrated sessions per stage),
 *   `journey_day_frictions` (sessions with a field's errors, an element's dead clicks, a checkout JS error, slow or
 *   fast LCP per page type, and their orders), `journey_day_questions` (ratings and the prompt's shown / answered /
 *   dismissed per question).
 * - `journey_campaigns`: the campaign names each site's day keeps (CAMPAIGNS_PER_DAY, fold.mjs).
 * - `journey_orders`: one row per order key, so a reloaded confirmation counts once.
 *
 * New events are folded by `insertEvents` (db.mjs's insert hook, same transaction): each session touched has
 * its old contribution subtracted and its new one added, so a session crossing midnight or whose earlier
 * events arrive late moves to its right day. Any other write marks the session dirty: a delete or an update
 * through a trigger, an insert by another program when the collector next writes or reports (its rowid is
 * above the last one folded); `refreshJourney` rebuilds those before a report.
 *
 * A database without the tables (or built by another mapping: the SQL and fold version are hashed into
 * `journey_meta`) is built from its events in chunks: `startJourneyBuild` yields to the event loop between
 * chunks, so the collector keeps answering /collect; `ensureJourneySchema` does it at once (tests, seeding). A
 * build stopped halfway resumes where it was. Ahead of time, collector stopped:
 * `node examples/collector/journey/schema.mjs --db ./parcours.db`.
 */
import { runAsMain } from '../main.mjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { threadCpuMs } from '../cpu.mjs';
import { openDb, prepared, setInsertHook } from '../db.mjs';
import { CAMPAIGNS_PER_DAY, contribute, emptyContributions, emptyState, foldEvent, mergeOrder, orderOf } from './fold.mjs';

/** @typedef {import('../db.mjs').DB} DB */
/** @typedef {import('./fold.mjs').SessionState} SessionState */

const TABLES = `
  CREATE TABLE journey_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
  CREATE TABLE journey_sessions (
    site TEXT NOT NULL, session_id TEXT NOT NULL, start_ts INTEGER NOT NULL,
    state TEXT NOT NULL,                -- fold.mjs's SessionState as JSON
    PRIMARY KEY (site, session_id)
  );
  CREATE INDEX journey_sessions_start ON journey_sessions (site, start_ts);
  CREATE TABLE journey_orders (
    site TEXT NOT NULL, order_key TEXT NOT NULL, session_id TEXT NOT NULL, fields TEXT NOT NULL,
    PRIMARY KEY (site, order_key)
  ) WITHOUT ROWID;
  CREATE TABLE journey_dirty (site TEXT NOT NULL, session_id TEXT NOT NULL, PRIMARY KEY (site, session_id)) WITHOUT ROWID;
  -- Campaigns that keep their name in the roll-ups, per site and UTC day: CAMPAIGNS_PER_DAY at most (fold.mjs).
  CREATE TABLE journey_campaigns (site TEXT NOT NULL, day INTEGER NOT NULL, campaign TEXT NOT NULL, PRIMARY KEY (site, day, campaign)) WITHOUT ROWID;
  -- Roll-ups, each session twice: grain 'd' with period = UTC day of its start (epoch ms / 86,400,000), grain 'h'
  -- with period = its hour (epoch ms / 3,600,000), for ranges that start or end inside a day. Then the session's
  -- segment, the report's filters: device, entry touchpoint, campaign ('*': beyond the day's cap), customer
  -- (new, returning). Nullable texts are keys as '' (null) or '=' + value (fold.mjs enc).
  CREATE TABLE journey_days (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL,
    steps INTEGER NOT NULL, ranks TEXT NOT NULL, sessions INTEGER NOT NULL, events INTEGER NOT NULL,
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, steps, ranks)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_cells (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL, stage TEXT NOT NULL, touchpoint TEXT NOT NULL,
    present INTEGER NOT NULL, sessions INTEGER NOT NULL, events INTEGER NOT NULL,
    rage_clicks INTEGER NOT NULL, dead_clicks INTEGER NOT NULL, form_errors INTEGER NOT NULL, js_errors INTEGER NOT NULL,
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, stage, touchpoint)
  ) WITHOUT ROWID;
  -- Web vitals by device only, not by segment: fold.mjs VITALS_BY_DEVICE.
  CREATE TABLE journey_day_vitals (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, page_type TEXT NOT NULL, name TEXT NOT NULL,
    counts TEXT NOT NULL,               -- {"bucket": samples}, fold.mjs bucketOf
    PRIMARY KEY (site, grain, period, device, page_type, name)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_orders (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL,
    first_touchpoint TEXT NOT NULL, last_touchpoint TEXT NOT NULL, currency TEXT NOT NULL,
    orders INTEGER NOT NULL, revenue_micros INTEGER NOT NULL, revenue_n INTEGER NOT NULL,
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, first_touchpoint, last_touchpoint, currency)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_abandons (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL, step TEXT NOT NULL,
    field TEXT NOT NULL,                -- '*': the step itself
    sessions INTEGER NOT NULL, price_changed INTEGER NOT NULL,
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, step, field)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_feelings (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL, stage TEXT NOT NULL,
    touchpoint TEXT NOT NULL,           -- '*': the stage itself (frustrated sessions)
    score1 INTEGER NOT NULL, score2 INTEGER NOT NULL, score3 INTEGER NOT NULL, score4 INTEGER NOT NULL, score5 INTEGER NOT NULL,
    frustrated INTEGER NOT NULL,
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, stage, touchpoint)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_frictions (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- fold.mjs FRICTION_KINDS, or slow_lcp / fast_lcp
    place TEXT NOT NULL,                -- 'checkout' on checkout pages, else the event's stage; '' for page speed
    subject TEXT NOT NULL,              -- the field, element, error message, page type
    sessions INTEGER NOT NULL, orders INTEGER NOT NULL, events INTEGER NOT NULL, -- orders: of those sessions (0 or 1 each)
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, kind, place, subject)
  ) WITHOUT ROWID;
  CREATE TABLE journey_day_questions (
    site TEXT NOT NULL, grain TEXT NOT NULL, period INTEGER NOT NULL, device TEXT NOT NULL, entry TEXT NOT NULL, campaign TEXT NOT NULL, customer TEXT NOT NULL, question TEXT NOT NULL,
    score1 INTEGER NOT NULL, score2 INTEGER NOT NULL, score3 INTEGER NOT NULL, score4 INTEGER NOT NULL, score5 INTEGER NOT NULL,
    shown INTEGER NOT NULL, prompted INTEGER NOT NULL, dismissed INTEGER NOT NULL, -- the prompt: shown, answered, dismissed
    PRIMARY KEY (site, grain, period, device, entry, campaign, customer, question)
  ) WITHOUT ROWID;
`;

const dirty = (/** @type {string} */ r) => `INSERT INTO journey_dirty VALUES (coalesce(${r}.site, ''), ${r}.session_id) ON CONFLICT DO NOTHING;`;
// Inserts fire no trigger (one cost some 3 µs per event): rows above journey_meta 'folded', the rowid up to which
// events are accounted for, were inserted by another program; `catchUp` marks their sessions. Deleting the newest
// rows brings it down, since their rowids will be given again.
const TOP = '(SELECT coalesce(max(rowid), 0) FROM events)';
const TRIGGERS = `
  CREATE TRIGGER journey_delete AFTER DELETE ON events BEGIN
    INSERT INTO journey_dirty SELECT coalesce(OLD.site, ''), OLD.session_id WHERE OLD.session_id IS NOT NULL ON CONFLICT DO NOTHING;
    UPDATE journey_meta SET value = ${TOP} WHERE key = 'folded' AND CAST(value AS INTEGER) > ${TOP};
  END;
  -- Repeat deliveries only bump \`deliveries\`, which nothing here reads: they fire nothing.
  CREATE TRIGGER journey_update
    AFTER UPDATE OF site, type, ts, session_id, stage, touchpoint, page_type, lifecycle, properties ON events BEGIN
    ${dirty('OLD')} ${dirty('NEW')}
  END;`;

/** What the tables were built with: their SQL, the fold's rules and buckets, the vocabulary. A change rebuilds them. */
export const JOURNEY_SCHEMA_VERSION = createHash('sha256')
  .update(TABLES + TRIGGERS)
  .update(readFileSync(new URL('./fold.mjs', import.meta.url)))
  .update(readFileSync(new URL('./vocabulary.mjs', import.meta.url)))
  .digest('hex')
  .slice(0, 16);

/** The segment columns of every roll-up after site, grain and period: the filters (fold.mjs segmentOf). */
export const SEGMENT_KEYS = ['device', 'entry', 'campaign', 'customer'];
const ROLLUPS = {
  days: { table: 'journey_days', keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'steps', 'ranks'], values: ['sessions', 'events'] },
  cells: {
    table: 'journey_day_cells',
    keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'stage', 'touchpoint'],
    values: ['present', 'sessions', 'events', 'rage_clicks', 'dead_clicks', 'form_errors', 'js_errors'],
  },
  orders: {
    table: 'journey_day_orders',
    keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'first_touchpoint', 'last_touchpoint', 'currency'],
    values: ['orders', 'revenue_micros', 'revenue_n'],
  },
  abandons: { table: 'journey_day_abandons', keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'step', 'field'], values: ['sessions', 'price_changed'] },
  feelings: {
    table: 'journey_day_feelings',
    keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'stage', 'touchpoint'],
    values: ['score1', 'score2', 'score3', 'score4', 'score5', 'frustrated'],
  },
  frictions: {
    table: 'journey_day_frictions',
    keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'kind', 'place', 'subject'],
    values: ['sessions', 'orders', 'events'],
  },
  questions: {
    table: 'journey_day_questions',
    keys: ['site', 'grain', 'period', ...SEGMENT_KEYS, 'question'],
    values: ['score1', 'score2', 'score3', 'score4', 'score5', 'shown', 'prompted', 'dismissed'],
  },
};
const upsertSql = (/** @type {{ table: string, keys: string[], values: string[] }} */ r) =>
  `INSERT INTO ${r.table} (${[...r.keys, ...r.values].join(', ')}) VALUES (${[...r.keys, ...r.values].map(() => '?').join(', ')})
   ON CONFLICT (${r.keys.join(', ')}) DO UPDATE SET ${r.values.map((v) => `${v} = ${v} + excluded.${v}`).join(', ')}`;

/**
 * Whether a campaign keeps its name on a site's day (fold.mjs CampaignNamed), from `journey_campaigns`. With
 * `admit`, a campaign not there yet is added while the day has fewer than CAMPAIGNS_PER_DAY: call it inside the
 * transaction that writes the contributions, so an admission is undone with them. Answers are kept for the
 * caller's transaction only (another connection, the writer thread, admits too).
 * @param {DB} db @param {boolean} admit
 * @returns {import('./fold.mjs').CampaignNamed}
 */
export function campaignNamer(db, admit) {
  /** @type {Map<string, boolean>} */
  const known = new Map();
  return (site, day, campaign) => {
    const k = site + '\n' + day + '\n' + campaign;
    let named = known.get(k);
    if (named !== undefined) return named;
    named = !!prepared(db, 'SELECT 1 FROM journey_campaigns WHERE site = ? AND day = ? AND campaign = ?').get(site, day, campaign);
    if (!named && admit) {
      const taken = /** @type {number} */ (prepared(db, 'SELECT count(*) FROM journey_campaigns WHERE site = ? AND day = ?').pluck().get(site, day));
      if ((named = taken < CAMPAIGNS_PER_DAY)) prepared(db, 'INSERT INTO journey_campaigns VALUES (?, ?, ?)').run(site, day, campaign);
    }
    known.set(k, named);
    return named;
  };
}

/**
 * Sessions being changed in one transaction: each loaded once, its old contribution subtracted at load, its
 * new one added by `finish`.
 */
class Work {
  /** @param {DB} db */
  constructor(db) {
    this.db = db;
    /** @type {Map<string, { site: string, id: string, state: SessionState }>} */
    this.sessions = new Map();
    this.acc = emptyContributions();
    this.named = campaignNamer(db, true);
  }

  /** @param {string} site @param {string} id @param {boolean} [known] false: the session has no row yet */
  load(site, id, known = true) {
    const key = site + '\n' + id;
    let s = this.sessions.get(key);
    if (s) return s;
    const row = known ? /** @type {{ state: string } | undefined} */ (prepared(this.db, 'SELECT state FROM journey_sessions WHERE site = ? AND session_id = ?').get(site, id)) : undefined;
    const state = row ? JSON.parse(row.state) : emptyState();
    if (row) contribute(site, state, this.acc, -1, this.named);
    this.sessions.set(key, (s = { site, id, state }));
    return s;
  }

  /** Starts a session over, its orders forgotten (to fold all its events again). @param {string} site @param {string} id */
  reset(site, id) {
    const s = this.load(site, id);
    for (const key in s.state.o) prepared(this.db, 'DELETE FROM journey_orders WHERE site = ? AND order_key = ?').run(site, key);
    s.state = emptyState();
    return s;
  }

  /** @param {{ site: string, id: string, state: SessionState }} s @param {import('./fold.mjs').FoldedEvent} e */
  fold(s, e) {
    foldEvent(s.state, e);
    const order = orderOf(s.site, e);
    if (!order) return;
    const row = /** @type {{ session_id: string, fields: string } | undefined} */ (
      prepared(this.db, 'SELECT session_id, fields FROM journey_orders WHERE site = ? AND order_key = ?').get(s.site, order.key)
    );
    let { fields } = order, owner = s.id;
    if (row) {
      ({ fields, owner } = mergeOrder(JSON.parse(row.fields), row.session_id, order.fields, s.id));
      if (row.session_id != owner) delete this.load(s.site, row.session_id).state.o[order.key];
    }
    prepared(this.db, `INSERT INTO journey_orders VALUES (?, ?, ?, ?)
      ON CONFLICT (site, order_key) DO UPDATE SET session_id = excluded.session_id, fields = excluded.fields`).run(s.site, order.key, owner, JSON.stringify(fields));
    this.load(s.site, owner).state.o[order.key] = fields;
  }

  /** Writes the sessions and adds the difference to the roll-ups. */
  finish() {
    const { db, acc, named } = this;
    for (const { site, id, state } of this.sessions.values()) {
      if (state.s === Infinity) {
        prepared(db, 'DELETE FROM journey_sessions WHERE site = ? AND session_id = ?').run(site, id);
        continue;
      }
      contribute(site, state, acc, 1, named);
      prepared(db, `INSERT INTO journey_sessions VALUES (?, ?, ?, ?)
        ON CONFLICT (site, session_id) DO UPDATE SET start_ts = excluded.start_ts, state = excluded.state`).run(site, id, state.s, JSON.stringify(state));
    }
    for (const [name, rollup] of Object.entries(ROLLUPS)) {
      const upsert = prepared(db, upsertSql(rollup));
      for (const [head, rows] of acc[/** @type {keyof typeof ROLLUPS} */ (name)]) {
        const [site, grain, period, ...segment] = head.split('\t');
        for (const [rest, values] of rows) {
          if (values.every((v) => v == 0)) continue; // a session that grew within the same row: nothing to write
          upsert.run(site, grain, Number(period), ...segment, ...rest.split('\t'), ...values);
        }
      }
    }
    // One statement per histogram: a new one is inserted as is, a stored one merged in SQLite (its JSON buckets
    // summed, those at 0 dropped; their order differs from JavaScript's, which nothing reads).
    const upsertVitals = prepared(db, `INSERT INTO journey_day_vitals VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (site, grain, period, device, page_type, name) DO UPDATE SET counts = (
        SELECT json_group_object(key, total) FROM (
          SELECT key, sum(value) AS total
          FROM (SELECT key, value FROM json_each(journey_day_vitals.counts) UNION ALL SELECT key, value FROM json_each(excluded.counts))
          GROUP BY key HAVING total != 0))`);
    for (const [head, histograms] of acc.vitals) {
      const [site, grain, period, device] = head.split('\t');
      for (const [rest, delta] of histograms) {
        /** @type {Record<string, number>} */
        const counts = {};
        let any = false;
        for (const b in delta) if (delta[b]) (counts[b] = delta[b]), (any = true);
        if (any) upsertVitals.run(site, grain, Number(period), device, ...rest.split('\t'), JSON.stringify(counts));
      }
    }
  }
}

/** A stored event row as the fold reads it. @param {any} r @returns {import('./fold.mjs').FoldedEvent} */
const storedEvent = (r) => ({
  id: r.id, type: r.type, ts: r.ts, stage: r.stage, touchpoint: r.touchpoint, pageType: r.page_type, lifecycle: r.lifecycle,
  properties: r.properties == null ? null : JSON.parse(r.properties),
});
const EVENT_COLUMNS = "coalesce(site, '') AS site, session_id, id, type, ts, stage, touchpoint, page_type, lifecycle, properties";

/**
 * Per database: the build's cursor (sessions ≤ it are built; undefined: complete) and its progress.
 * @type {WeakMap<DB, { cursor: string | undefined, done: number, total: number, running?: Promise<void> }>}
 */
const builds = new WeakMap();

const ASCII = /^[\x00-\x7f]*$/;

/** @type {WeakMap<DB, { events: number, ms: number }>} */
const ingestCost = new WeakMap();
/**
 * What folding new events into the journey tables cost this connection so far: events folded, CPU milliseconds of
 * the thread that folded them.
 * @param {DB} db
 */
export const journeyIngestCost = (db) => ({ events: 0, ms: 0, ...ingestCost.get(db) });

/** The insert hook: folds the sessions already built and not dirty; the others wait for the build or refresh. @param {DB} db */
function hookFor(db) {
  return {
    before: () => void catchUp(db),
    after: (/** @type {Array<{ site: string | null, events: import('../db.mjs').EventRow[] }>} */ batches) => {
      const began = threadCpuMs();
      const build = builds.get(db);
      const markDirty = prepared(db, 'INSERT INTO journey_dirty VALUES (?, ?) ON CONFLICT DO NOTHING');
      try {
        // A savepoint: should the fold fail, its writes are undone and the events still stored, their sessions
        // left for refreshJourney. Ingest never fails because of the map.
        if (batches.length) db.transaction(() => foldBatches(db, build, batches))();
      } catch (error) {
        for (const { site, events } of batches) for (const e of events) if (e.sessionId != null) markDirty.run(site ?? '', e.sessionId);
        process.emitWarning(`parcours journey tables: ${/** @type {Error} */ (error)?.message}; the sessions are rebuilt before the next report`);
      }
      setMeta(db, 'folded', String(topRowid(db)));
      const cost = ingestCost.get(db) ?? { events: 0, ms: 0 };
      const events = batches.reduce((n, b) => n + b.events.length, 0);
      ingestCost.set(db, { events: cost.events + events, ms: cost.ms + threadCpuMs() - began });
    },
  };
}

/**
 * Folds new events into the sessions already built and not dirty: all the batches of a transaction at once, so
 * each session is read and written once, and each roll-up row updated once.
 * @param {DB} db @param {{ cursor: string | undefined } | undefined} build
 * @param {Array<{ site: string | null, events: import('../db.mjs').EventRow[] }>} batches
 */
function foldBatches(db, build, batches) {
  const work = new Work(db);
  /** @type {Map<string, boolean>} site and session id → folded here */
  const fold = new Map();
  // Nearly always none: then no session needs asking.
  const anyDirty = Boolean(prepared(db, 'SELECT 1 FROM journey_dirty LIMIT 1').get());
  const isDirty = prepared(db, 'SELECT 1 FROM journey_dirty WHERE site = ? AND session_id = ?');
  /** @type {ReturnType<Work['load']> | undefined} the last event's session: a batch's events come by session */
  let last;
  for (const batch of batches) {
    const site = batch.site ?? '';
    for (const e of batch.events) {
      const id = e.sessionId;
      if (id == null) continue;
      if (last && last.id === id && last.site === site) {
        work.fold(last, e);
        continue;
      }
      const key = site + '\n' + id;
      let yes = fold.get(key);
      if (yes === undefined) {
        // During a build, sessions after its cursor are left to it. JavaScript and SQLite order ASCII alike
        // only: another id is marked for a rebuild instead.
        const built = build?.cursor === undefined || (id <= build.cursor && ASCII.test(id));
        if (!built && !ASCII.test(id)) prepared(db, 'INSERT INTO journey_dirty VALUES (?, ?) ON CONFLICT DO NOTHING').run(site, id);
        yes = built && !(anyDirty && isDirty.get(site, id));
        fold.set(key, yes);
      }
      if (!yes) continue;
      work.fold((last = work.load(site, id)), e);
    }
  }
  work.finish();
}

/** The newest events row. @param {DB} db */
const topRowid = (db) => /** @type {{ n: number }} */ (prepared(db, 'SELECT coalesce(max(rowid), 0) AS n FROM events').get()).n;

/**
 * Marks dirty the sessions of events another program inserted (rowids above journey_meta 'folded'); inside a
 * write transaction. Returns the newest rowid, up to which events are then accounted for.
 * @param {DB} db
 */
function catchUp(db) {
  const top = topRowid(db);
  const folded = Number(meta(db, 'folded') ?? 0);
  if (top > folded) {
    prepared(db, "INSERT INTO journey_dirty SELECT coalesce(site, ''), session_id FROM events WHERE rowid > ? AND session_id IS NOT NULL ON CONFLICT DO NOTHING").run(folded);
  }
  return top;
}

/** @param {DB} db @param {string} key */
const meta = (db, key) => /** @type {{ value: string } | undefined} */ (prepared(db, 'SELECT value FROM journey_meta WHERE key = ?').get(key))?.value;
/** @param {DB} db @param {string} key @param {string | null} value */
const setMeta = (db, key, value) =>
  value == null ? prepared(db, 'DELETE FROM journey_meta WHERE key = ?').run(key) : prepared(db, 'INSERT OR REPLACE INTO journey_meta VALUES (?, ?)').run(key, value);

/**
 * Makes sure the tables exist for this mapping, and registers the fold. Returns false when they must be built.
 * @param {DB} db
 */
function prepare(db) {
  if (builds.has(db)) return builds.get(db)?.cursor === undefined;
  // Statement journals of big transactions in memory, not a temporary file: a setting of this connection only.
  db.pragma('temp_store = MEMORY');
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'journey_meta'").get();
  const version = exists ? meta(db, 'version') : undefined;
  const triggered = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'journey_delete'").get();
  if (version === JOURNEY_SCHEMA_VERSION && triggered) {
    builds.set(db, { cursor: undefined, done: 1, total: 1 });
  } else if (version === 'building:' + JOURNEY_SCHEMA_VERSION && triggered) {
    const cursor = meta(db, 'cursor') ?? '';
    builds.set(db, { cursor, done: Number(meta(db, 'done') ?? 0), total: estimate(db) });
  } else {
    // A migration that recreated `events` dropped its triggers too: then the tables are stale, build them again.
    db.transaction(() => {
      const old = /** @type {Array<{ type: string, name: string }>} */ (
        db.prepare("SELECT type, name FROM sqlite_master WHERE name LIKE 'journey\\_%' ESCAPE '\\' AND type IN ('trigger', 'table')").all()
      );
      for (const { type, name } of old) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
      db.exec(TABLES + TRIGGERS);
      setMeta(db, 'version', 'building:' + JOURNEY_SCHEMA_VERSION);
      setMeta(db, 'cursor', '');
      setMeta(db, 'folded', String(topRowid(db))); // the build reads every event stored until it ends
    })();
    builds.set(db, { cursor: '', done: 0, total: estimate(db) });
  }
  setInsertHook(db, hookFor(db));
  return builds.get(db)?.cursor === undefined;
}

/** Events stored, roughly (the largest rowid: no count of millions of rows). @param {DB} db */
const estimate = (db) => Math.max(1, Number(/** @type {any} */ (db.prepare('SELECT max(rowid) AS n FROM events').get()).n ?? 0));

/**
 * Builds the sessions after the cursor, `limit` events at most (whole sessions), in one transaction.
 * @param {DB} db @param {number} limit
 * @returns {boolean} whether the build is complete
 */
function buildChunk(db, limit) {
  const build = /** @type {{ cursor: string, done: number, total: number }} */ (builds.get(db));
  return db.transaction(() => {
    let rows = /** @type {any[]} */ (
      prepared(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE session_id > ? ORDER BY session_id, ts LIMIT ?`).all(build.cursor, limit)
    );
    const complete = rows.length < limit;
    if (!complete) {
      const last = rows[rows.length - 1].session_id;
      const cut = rows.findIndex((r) => r.session_id == last);
      // One session longer than the chunk: read it whole.
      rows = cut > 0 ? rows.slice(0, cut) : /** @type {any[]} */ (prepared(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE session_id = ? ORDER BY ts`).all(last));
    }
    const work = new Work(db);
    for (const r of rows) work.fold(work.load(r.site, r.session_id, false), storedEvent(r));
    work.finish();
    const last = rows.length ? rows[rows.length - 1].session_id : build.cursor;
    // Sessions built here from their events need no other rebuild.
    prepared(db, 'DELETE FROM journey_dirty WHERE session_id > ? AND session_id <= ?').run(build.cursor, last);
    build.done += rows.length;
    if (complete) {
      setMeta(db, 'version', JOURNEY_SCHEMA_VERSION);
      setMeta(db, 'cursor', null);
      setMeta(db, 'done', null);
      Object.assign(build, { cursor: undefined, done: build.total });
      return true;
    }
    build.cursor = last;
    setMeta(db, 'cursor', last);
    setMeta(db, 'done', String(build.done));
    return false;
  })();
}

/** Events per chunk of a build: some 50 ms of work on a small machine, so /collect waits no longer. */
export const BUILD_CHUNK = 2500;

/**
 * Creates the journey tables if missing or built from another mapping and fills them from the events already
 * stored, all at once (some seconds per million events). Cheap after the first call on a database.
 * @param {DB} db
 * @returns {{ built: boolean }} whether the tables were (re)built now
 */
export function ensureJourneySchema(db) {
  if (prepare(db)) return { built: false };
  while (!buildChunk(db, BUILD_CHUNK * 4));
  return { built: true };
}

/**
 * Starts building the tables in the background (chunks between which the event loop runs) if they need it.
 * @param {DB} db
 * @param {number} [chunk] events per chunk
 * @returns {Promise<void>} settles when the tables are complete (or the database closed)
 */
export function startJourneyBuild(db, chunk = BUILD_CHUNK) {
  if (prepare(db)) return Promise.resolve();
  const build = /** @type {NonNullable<ReturnType<typeof builds.get>>} */ (builds.get(db));
  build.running ??= (async () => {
    while (db.open && build.cursor !== undefined) {
      if (buildChunk(db, chunk)) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return build.running;
}

/**
 * How far the build is: null when the tables are complete, else the share of events folded (0–1).
 * @param {DB} db
 */
export function journeyProgress(db) {
  prepare(db);
  const build = builds.get(db);
  return !build || build.cursor === undefined ? null : Math.min(0.99, build.done / build.total);
}

/**
 * Rebuilds the sessions marked dirty by deleted or edited events (or events another program inserted). Call
 * before reading the tables; the tables must be complete (`ensureJourneySchema`).
 * @param {DB} db
 * @returns {number} sessions rebuilt
 */
export function refreshJourney(db) {
  ensureJourneySchema(db);
  const behind = topRowid(db) > Number(meta(db, 'folded') ?? 0);
  if (!behind && !prepared(db, 'SELECT 1 FROM journey_dirty LIMIT 1').get()) return 0;
  return db.transaction(() => {
    setMeta(db, 'folded', String(catchUp(db)));
    const marked = /** @type {Array<{ site: string, session_id: string }>} */ (prepared(db, 'SELECT site, session_id FROM journey_dirty').all());
    const work = new Work(db);
    const read = prepared(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE session_id = ? AND coalesce(site, '') = ? ORDER BY ts`);
    for (const { site, session_id } of marked) {
      const s = work.reset(site, session_id);
      for (const r of read.all(session_id, site)) work.fold(s, storedEvent(r));
    }
    work.finish();
    prepared(db, 'DELETE FROM journey_dirty').run();
    return marked.length;
  }).immediate(); // reads then writes: take the write lock first, or another connection's commit in between (the
  // writer thread, writer.mjs) would fail it with SQLITE_BUSY instead of waiting
}

/** The command line: build (or check) the journey tables of a database file. @param {string[]} args */
function main(args) {
  const { values } = parseArgs({ args, options: { db: { type: 'string', default: './parcours.db' } } });
  const db = openDb(values.db);
  try {
    const began = Date.now();
    const { built } = ensureJourneySchema(db);
    console.log(built ? `journey tables of ${values.db} built in ${((Date.now() - began) / 1000).toFixed(1)} s` : `journey tables of ${values.db} are up to date`);
  } finally {
    db.close();
  }
}

runAsMain(import.meta.url, 'journey tables', main);
