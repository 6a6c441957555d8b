// @ts-check
/**
 * THE ORACLE: the journey tables as built before the day roll-ups (commit 665bd37), kept unchanged so
 * journey-rollup.test.ts can check the roll-ups against them. Not used by the collector. Since issue 17 the session
 * also keeps its lifecycle (the segment filters: new or returning customer).
 *
 * Pre-grouped tables the journey map reads instead of the raw event log, kept current by SQLite triggers on
 * `events`: one row per session, per session × stage × touchpoint, per web vital, per order and per checkout
 * abandonment. An insert updates them in the same transaction as the event row, so the map of a million events
 * is a scan of some ten thousand session rows, not of the events.
 *
 * `ensureJourneySchema(db)` is idempotent: it creates the tables and triggers on first use and fills them from
 * the events already stored. The SQL is generated from vocabulary.mjs and its hash is kept in `journey_meta`:
 * when the mapping changes, the tables are dropped and rebuilt from the events. Deleted or edited events mark
 * their session dirty; `refreshJourney` rebuilds those sessions before a report.
 *
 * The first build blocks the collector while it runs (some 20 s per million stored events on a small machine);
 * to do it ahead, with the collector stopped: `node examples/collector/journey/schema.mjs --db ./parcours.db`.
 */
import { createHash } from 'node:crypto';
import { ARRIVALS, FRICTIONS, FUNNEL, PROPERTY, SIGNALS, STAGES, VITALS, prop } from '../../../../examples/collector/journey/vocabulary.mjs';

/** @typedef {import('../../../../examples/collector/db.mjs').DB} DB */

const list = (/** @type {readonly string[]} */ values) => values.map((v) => `'${v}'`).join(', ');
/** The smaller of two values, either of which may be NULL (SQLite's two-argument min() is NULL then). */
const least = (/** @type {string} */ a, /** @type {string} */ b) => `min(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
const isNumber = (/** @type {string} */ sql) => `CASE WHEN typeof(${sql}) IN ('integer', 'real') THEN ${sql} END`;
const text = (/** @type {string} */ sql, max = 100) => `CASE WHEN ${sql} IS NOT NULL THEN substr(CAST(${sql} AS TEXT), 1, ${max}) END`;

const TABLES = `
  CREATE TABLE journey_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
  CREATE TABLE journey_sessions (
    site TEXT NOT NULL,
    session_id TEXT NOT NULL,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    events INTEGER NOT NULL,            -- journey events (signals excluded)
    steps INTEGER NOT NULL,             -- funnel steps seen: bit i = FUNNEL[i]
    ${STAGES.map((s) => `t_${s} INTEGER,`).join(' ')} -- first journey event of each stage
    entry_ts INTEGER,                   -- the page view that carried the arrival
    entry_touchpoint TEXT,
    source TEXT,
    medium TEXT,
    campaign TEXT,
    device_ts INTEGER,
    device TEXT,
    lifecycle_ts INTEGER,               -- the earliest event with a lifecycle; at equal ts, 'new' first
    lifecycle TEXT,                     -- 'new', or 'returning' (the SDK's returning and customer)
    PRIMARY KEY (site, session_id)
  ) WITHOUT ROWID;
  CREATE INDEX journey_sessions_start ON journey_sessions (site, start_ts);
  CREATE TABLE journey_cells (
    site TEXT NOT NULL,
    session_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    touchpoint TEXT NOT NULL,
    events INTEGER NOT NULL,
    ${Object.keys(FRICTIONS).map((c) => `${c} INTEGER NOT NULL,`).join(' ')}
    PRIMARY KEY (site, stage, touchpoint, session_id) -- the map groups by stage × touchpoint in key order, no sort
  ) WITHOUT ROWID;
  CREATE TABLE journey_vitals (
    site TEXT NOT NULL, session_id TEXT NOT NULL, page_type TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL,
    replaces REAL                       -- a later report of a page view's metric: the value of the one it replaces
  );
  -- p75 per page type and vital reads this index in order; session_id is there to filter sessions without the table.
  CREATE INDEX journey_vitals_page ON journey_vitals (site, page_type, name, value, session_id);
  CREATE INDEX journey_vitals_replaces ON journey_vitals (site, page_type, name, session_id, replaces) WHERE replaces IS NOT NULL;
  CREATE TABLE journey_orders (
    site TEXT NOT NULL,
    order_key TEXT NOT NULL,            -- the order id, else the event id: a reloaded confirmation counts once
    session_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    revenue REAL,
    currency TEXT,
    first_touchpoint TEXT,
    first_campaign TEXT,
    last_touchpoint TEXT,
    last_campaign TEXT,
    PRIMARY KEY (site, order_key)
  ) WITHOUT ROWID;
  CREATE INDEX journey_orders_session ON journey_orders (site, session_id);
  CREATE TABLE journey_abandons (
    site TEXT NOT NULL, session_id TEXT NOT NULL, step TEXT, last_field TEXT, time_on_step_ms REAL, price_changed INTEGER
  );
  CREATE INDEX journey_abandons_session ON journey_abandons (site, session_id);
  CREATE TABLE journey_dirty (site TEXT NOT NULL, session_id TEXT NOT NULL, PRIMARY KEY (site, session_id)) WITHOUT ROWID;
`;

/**
 * The statements that fold event rows into the tables. `r` names the row (NEW in a trigger, e in a rebuild);
 * `from` is '' in a trigger. Every fold is an upsert whose merge is order-free (min, max, sum, bit or, the
 * earliest wins), so events arriving late or out of order give the same tables as a rebuild.
 * @param {string} r @param {string} from @param {string} where extra condition on r
 */
function folds(r, from, where) {
  const site = `coalesce(${r}.site, '')`;
  const journey = `${r}.type NOT IN (${list(SIGNALS)})`;
  const step = prop(r, PROPERTY.step);
  const bits = FUNNEL.map((f, i) => `WHEN ${r}.type = '${f.type}'${f.step ? ` AND ${step} = '${f.step}'` : ''} THEN ${1 << i}`);
  const arrival = (/** @type {string} */ sub) => text(prop(r, PROPERTY.arrival, sub));
  const hasArrival = `${r}.type = 'page_viewed' AND json_type(${prop(r, PROPERTY.arrival)}) = 'object'`;
  const entry = `coalesce(${arrival('.touchpoint')}, CASE WHEN ${r}.touchpoint IN (${list(ARRIVALS)}) THEN ${r}.touchpoint END)`;
  // Only page views carry the device class: other events are not parsed for it.
  const device = `CASE WHEN ${r}.type = 'page_viewed' THEN lower(${text(prop(r, PROPERTY.device), 20)}) END`;
  // Entry and device come from the earliest event that has them: excluded.* is the new row's, the bare column the stored one.
  const earliest = (/** @type {string} */ column, /** @type {string} */ ts) =>
    `${column} = CASE WHEN excluded.${ts} < coalesce(${ts}, excluded.${ts} + 1) THEN excluded.${column} ELSE ${column} END`;
  const lifecycle = `CASE ${r}.lifecycle WHEN 'new' THEN 'new' WHEN 'returning' THEN 'returning' WHEN 'customer' THEN 'returning' END`;
  const base = `FROM ${from || '(SELECT 1)'} WHERE ${r}.session_id IS NOT NULL ${where}`;
  const touch = (/** @type {readonly string[]} */ paths, /** @type {string} */ sub) => text(prop(r, paths, sub));

  const sessions = `
    INSERT INTO journey_sessions (site, session_id, start_ts, end_ts, events, steps, ${STAGES.map((s) => `t_${s}`).join(', ')},
                                  entry_ts, entry_touchpoint, source, medium, campaign, device_ts, device, lifecycle_ts, lifecycle)
    SELECT ${site}, ${r}.session_id, ${r}.ts, ${r}.ts, ${journey}, CASE ${bits.join(' ')} ELSE 0 END,
           ${STAGES.map((s) => `CASE WHEN ${r}.stage = '${s}' AND ${journey} THEN ${r}.ts END`).join(', ')},
           CASE WHEN ${hasArrival} THEN ${r}.ts END,
           CASE WHEN ${hasArrival} THEN ${entry} END,
           CASE WHEN ${hasArrival} THEN ${arrival('.source')} END,
           CASE WHEN ${hasArrival} THEN ${arrival('.medium')} END,
           CASE WHEN ${hasArrival} THEN ${arrival('.campaign')} END,
           CASE WHEN ${device} IS NOT NULL THEN ${r}.ts END, ${device},
           CASE WHEN ${lifecycle} IS NOT NULL THEN ${r}.ts END, ${lifecycle}
    ${base}
    ON CONFLICT (site, session_id) DO UPDATE SET
      start_ts = min(start_ts, excluded.start_ts), end_ts = max(end_ts, excluded.end_ts),
      events = events + excluded.events, steps = steps | excluded.steps,
      ${STAGES.map((s) => `t_${s} = ${least(`t_${s}`, `excluded.t_${s}`)}`).join(', ')},
      ${['entry_touchpoint', 'source', 'medium', 'campaign'].map((c) => earliest(c, 'entry_ts')).join(', ')},
      entry_ts = ${least('entry_ts', 'excluded.entry_ts')},
      ${earliest('device', 'device_ts')}, device_ts = ${least('device_ts', 'excluded.device_ts')},
      lifecycle = CASE WHEN excluded.lifecycle_ts < coalesce(lifecycle_ts, excluded.lifecycle_ts + 1)
        OR (excluded.lifecycle_ts = lifecycle_ts AND excluded.lifecycle < lifecycle) THEN excluded.lifecycle ELSE lifecycle END,
      lifecycle_ts = ${least('lifecycle_ts', 'excluded.lifecycle_ts')};`;

  const cells = `
    INSERT INTO journey_cells (site, session_id, stage, touchpoint, events, ${Object.keys(FRICTIONS).join(', ')})
    SELECT ${site}, ${r}.session_id, coalesce(${r}.stage, ''), coalesce(${r}.touchpoint, ''), ${journey},
           ${Object.values(FRICTIONS).map((type) => `${r}.type = '${type}'`).join(', ')}
    ${base} AND (${r}.stage IS NOT NULL OR ${r}.touchpoint IS NOT NULL)
    ON CONFLICT (site, stage, touchpoint, session_id) DO UPDATE SET events = events + excluded.events,
      ${Object.keys(FRICTIONS).map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;

  const value = isNumber(prop(r, PROPERTY.vitalValue));
  const delta = isNumber(prop(r, PROPERTY.vitalDelta));
  const vitalName = prop(r, PROPERTY.vitalName);
  const pageType = `coalesce(${text(prop(r, PROPERTY.vitalPageType), 40)}, ${r}.page_type, 'other')`;
  // A later report of a page view's metric has `delta`: it replaces the sample worth value - delta, whichever of
  // the two is stored first (the page's value is its last, largest one). `replaces` keeps that value.
  const replaces = `CASE WHEN ${delta} <> 0 THEN ${value} - ${delta} END`;
  const near = (/** @type {string} */ column, /** @type {string} */ target) => `${column} BETWEEN ${target} - 1e-9 AND ${target} + 1e-9`;
  const same = (/** @type {string} */ alias) =>
    `${alias}.site = ${site} AND ${alias}.page_type = ${pageType} AND ${alias}.name = ${vitalName} AND ${alias}.session_id = ${r}.session_id`;
  const replaced = `
    DELETE FROM journey_vitals WHERE rowid = (
      SELECT rowid FROM journey_vitals y WHERE ${same('y')} AND ${near('y.value', replaces)} LIMIT 1);`;
  const vitals = `
    INSERT INTO journey_vitals (site, session_id, page_type, name, value, replaces)
    SELECT ${site}, ${r}.session_id, ${pageType}, ${vitalName}, ${value}, ${replaces}
    ${base} AND ${r}.type = 'web_vital' AND ${vitalName} IN (${list(Object.keys(VITALS))}) AND ${value} IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM journey_vitals y WHERE y.replaces IS NOT NULL AND ${same('y')} AND ${near('y.replaces', value)});`;

  const orders = `
    INSERT INTO journey_orders (site, order_key, session_id, ts, revenue, currency,
                                first_touchpoint, first_campaign, last_touchpoint, last_campaign)
    SELECT ${site}, coalesce(${text(prop(r, PROPERTY.orderId), 200)}, 'event:' || ${r}.id), ${r}.session_id, ${r}.ts,
           ${isNumber(prop(r, PROPERTY.revenue))}, ${text(prop(r, PROPERTY.currency), 3)},
           ${touch(PROPERTY.firstTouch, '.touchpoint')}, ${touch(PROPERTY.firstTouch, '.campaign')},
           ${touch(PROPERTY.lastTouch, '.touchpoint')}, ${touch(PROPERTY.lastTouch, '.campaign')}
    ${base} AND ${r}.type = 'order_completed'
    ON CONFLICT (site, order_key) DO UPDATE SET ts = min(ts, excluded.ts),
      ${ORDER_FIELDS.map((c) => `${c} = CASE WHEN excluded.ts < ts THEN coalesce(excluded.${c}, ${c}) ELSE coalesce(${c}, excluded.${c}) END`).join(', ')};`;

  const abandons = `
    INSERT INTO journey_abandons (site, session_id, step, last_field, time_on_step_ms, price_changed)
    SELECT ${site}, ${r}.session_id, ${text(step, 40)}, ${text(prop(r, PROPERTY.lastField))},
           ${isNumber(prop(r, PROPERTY.timeOnStep))}, ${prop(r, PROPERTY.priceChanged)} IN (1, 'true')
    ${base} AND ${r}.type = 'checkout_abandoned';`;

  return { sessions, cells, replaced, vitals, orders, abandons };
}

/** An order seen twice (a reloaded confirmation) keeps the earliest event's values, the later one's filling gaps. */
const ORDER_FIELDS = ['session_id', 'revenue', 'currency', 'first_touchpoint', 'first_campaign', 'last_touchpoint', 'last_campaign'];

const SUMMARY_TABLES = ['journey_sessions', 'journey_cells', 'journey_vitals', 'journey_orders', 'journey_abandons'];

/** Triggers: inserts fold in at once; deletes and edits of what the tables read mark the session for a rebuild. */
function triggers() {
  const f = folds('NEW', '', '');
  const dirty = (/** @type {string} */ r) => `INSERT INTO journey_dirty VALUES (coalesce(${r}.site, ''), ${r}.session_id) ON CONFLICT DO NOTHING;`;
  return `
    CREATE TRIGGER journey_insert AFTER INSERT ON events WHEN NEW.session_id IS NOT NULL BEGIN
      ${f.sessions} ${f.cells}
    END;
    CREATE TRIGGER journey_insert_vital AFTER INSERT ON events WHEN NEW.type = 'web_vital' BEGIN ${f.vitals} END;
    CREATE TRIGGER journey_replace_vital AFTER INSERT ON events
      WHEN NEW.type = 'web_vital' AND json_extract(NEW.properties, '${PROPERTY.vitalDelta[0]}') IS NOT NULL BEGIN ${f.replaced} END;
    CREATE TRIGGER journey_insert_order AFTER INSERT ON events WHEN NEW.type = 'order_completed' BEGIN ${f.orders} END;
    CREATE TRIGGER journey_insert_abandon AFTER INSERT ON events WHEN NEW.type = 'checkout_abandoned' BEGIN ${f.abandons} END;
    CREATE TRIGGER journey_delete AFTER DELETE ON events WHEN OLD.session_id IS NOT NULL BEGIN ${dirty('OLD')} END;
    -- Repeat deliveries only bump \`deliveries\`, which no summary reads: they fire nothing.
    CREATE TRIGGER journey_update
      AFTER UPDATE OF site, type, ts, session_id, stage, touchpoint, page_type, lifecycle, properties ON events BEGIN
      ${dirty('OLD')} ${dirty('NEW')}
    END;`;
}

/** Everything `ensureJourneySchema` creates; its hash tells a database built by other code. */
const DDL = TABLES + triggers();
export const JOURNEY_SCHEMA_VERSION = createHash('sha256').update(DDL).digest('hex').slice(0, 16);

/** Databases already checked by this process. */
const ready = new WeakSet();

/**
 * Creates the journey tables and triggers if missing or built from another mapping, filling them from the events
 * already stored (once: some seconds for a million events). Cheap after the first call on a database.
 * @param {DB} db
 * @returns {{ built: boolean }} whether the tables were (re)built now
 */
export function ensureJourneySchema(db) {
  if (ready.has(db)) return { built: false };
  // Inserts that fire triggers keep a statement journal, in a temporary file by default: in memory, inserting
  // takes half the time (and the one-off build too). A setting of this connection only.
  db.pragma('temp_store = MEMORY');
  const version = () => {
    try {
      return /** @type {{ value: string } | undefined} */ (db.prepare("SELECT value FROM journey_meta WHERE key = 'version'").get())?.value;
    } catch {
      return undefined; // no journey_meta yet
    }
  };
  let built = false;
  db.transaction(() => {
    // A migration that recreated `events` dropped its triggers too: then the tables are stale, rebuild them.
    const triggered = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'journey_insert'").get();
    if (version() === JOURNEY_SCHEMA_VERSION && triggered) return;
    const old = /** @type {Array<{ type: string, name: string }>} */ (
      db.prepare("SELECT type, name FROM sqlite_master WHERE name LIKE 'journey\\_%' ESCAPE '\\' AND type IN ('trigger', 'table')").all()
    );
    for (const { type, name } of old) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
    db.exec(DDL);
    rebuild(db, '');
    db.prepare("INSERT INTO journey_meta VALUES ('version', ?)").run(JOURNEY_SCHEMA_VERSION);
    built = true;
  })();
  ready.add(db);
  return { built };
}

/**
 * Rebuilds the sessions marked dirty by deleted or edited events. Call before reading the tables.
 * @param {DB} db
 * @returns {number} sessions rebuilt
 */
export function refreshJourney(db) {
  ensureJourneySchema(db);
  if (!db.prepare('SELECT 1 FROM journey_dirty LIMIT 1').get()) return 0;
  return db.transaction(() => {
    const n = /** @type {{ n: number }} */ (db.prepare('SELECT count(*) AS n FROM journey_dirty').get()).n;
    for (const table of SUMMARY_TABLES) {
      db.exec(`DELETE FROM ${table} WHERE (site, session_id) IN (SELECT site, session_id FROM journey_dirty)`);
    }
    rebuild(db, `AND e.session_id IN (SELECT session_id FROM journey_dirty) AND (coalesce(e.site, ''), e.session_id) IN (SELECT site, session_id FROM journey_dirty)`);
    db.exec('DELETE FROM journey_dirty');
    return n;
  })();
}

/** Folds stored events (all, or those matching `where` on alias e) into the tables. @param {DB} db @param {string} where */
function rebuild(db, where) {
  // Grouped by session first: the upserts then hit the same B-tree pages one after another.
  const f = folds('e', '(SELECT * FROM events ORDER BY session_id, ts) AS e', where);
  for (const sql of [f.sessions, f.cells, f.vitals, f.orders, f.abandons]) db.exec(sql);
  // Set-based, the vitals above were all stored: drop those a later report replaced.
  db.exec(`DELETE FROM journey_vitals WHERE rowid IN (
    SELECT v.rowid FROM journey_vitals y JOIN journey_vitals v ON v.site = y.site AND v.page_type = y.page_type
      AND v.name = y.name AND v.session_id = y.session_id AND v.value BETWEEN y.replaces - 1e-9 AND y.replaces + 1e-9
    WHERE y.replaces IS NOT NULL AND v.rowid != y.rowid)`);
}
