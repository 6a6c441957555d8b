// @ts-check
/**
 * THE ORACLE: the journey report as computed before the day roll-ups (commit 665bd37), kept unchanged so
 * journey-rollup.test.ts can check the roll-ups against it. Not used by the collector. Changed since: its figures
 * are shaped into the answer by the collector's own sections.mjs (the map, funnel, key figures with the one
 * worst-step rule, web vitals): what it checks is the figures; frictions.mjs beside it adds the figures of later
 * sections straight from the events.
 *
 * The journey report: every figure of the map, the funnel, the KPIs, frictions and acquisition, computed in
 * SQLite from the pre-grouped tables of schema.mjs. JavaScript only shapes the rows into the answer.
 *
 * Sessions are the unit: a session belongs to the report when it started inside the date range, on the site,
 * with the device asked for; then all its events count, whenever they came.
 */
import { prepared } from '../../../../examples/collector/db.mjs';
import { refreshJourney } from './schema.mjs';
import { funnelOf, kpis, mapOf, order, rate, total, vitalsOf } from '../../../../examples/collector/journey/sections.mjs';
import { BIT, FRICTIONS, FUNNEL, STAGES, VITALS } from '../../../../examples/collector/journey/vocabulary.mjs';

/** @typedef {import('../../../../examples/collector/db.mjs').DB} DB */

/**
 * @typedef {object} JourneyFilter
 * @property {string | null} [site] null: all sites
 * @property {number | null} [from] epoch ms, inclusive: sessions that started at or after
 * @property {number | null} [to] epoch ms, exclusive
 * @property {string | null} [device] 'mobile' | 'tablet' | 'desktop'; null: all, including sessions of no known device
 * @property {string | null} [entry] entry touchpoint; null: all (issue 17's segment filters, read from the session)
 * @property {string | null} [campaign] entry campaign; null: all
 * @property {'new' | 'returning' | null} [customer] the session's lifecycle; null: all
 */

/** Campaign rows at most in the answer (the largest by sessions). */
export const MAX_CAMPAIGNS = 20;

/**
 * The sessions of a filter, as conditions on `journey_sessions s` (joined with AND) and their parameters.
 * @param {JourneyFilter} filter
 */
export function sessionsOf({ site = null, from = null, to = null, device = null, entry = null, campaign = null, customer = null }) {
  const where = ['1'];
  /** @type {Record<string, unknown>} */
  const params = {};
  if (site != null) where.push('s.site = @site'), (params.site = site);
  if (from != null) where.push('s.start_ts >= @from'), (params.from = from);
  if (to != null) where.push('s.start_ts < @to'), (params.to = to);
  if (device != null) where.push('s.device = @device'), (params.device = device);
  if (entry != null) where.push('s.entry_touchpoint = @entry'), (params.entry = entry);
  if (campaign != null) where.push('s.campaign = @campaign'), (params.campaign = campaign);
  if (customer != null) where.push('s.lifecycle = @customer'), (params.customer = customer);
  return { where, params };
}

/**
 * What the report reads, as SQL pieces. `cte` defines `s`, the sessions of the report. `rows(table, alias)` gives
 * FROM and WHERE for a per-session table: when only the site is filtered, the table is read alone in key order
 * (site first, then what it groups by); with dates or device, its rows are kept when their session is in `s`
 * (SQLite builds a temporary index of `s` once and probes it). `lookup` reads a small table (orders, abandons) row
 * by row with its session found by primary key; CROSS JOIN keeps that order.
 * @param {JourneyFilter} filter
 */
function scope(filter) {
  const { site = null, from = null, to = null, device = null, entry = null, campaign = null, customer = null } = filter;
  const { where, params } = sessionsOf(filter);
  const bySession = from != null || to != null || device != null || entry != null || campaign != null || customer != null;
  const sessionWhere = where.join(' AND ');
  return {
    params,
    cte: `WITH s AS (SELECT * FROM journey_sessions s WHERE ${sessionWhere})`,
    /** @param {string} table @param {string} alias */
    rows: (table, alias) => ({
      from: `FROM ${table} ${alias}`,
      where: [
        site != null ? `${alias}.site = @site` : '1',
        bySession ? `(${alias}.site, ${alias}.session_id) IN (SELECT site, session_id FROM s)` : '1',
      ].join(' AND '),
    }),
    /** @param {string} table @param {string} alias */
    lookup: (table, alias) => ({
      from: `FROM ${table} ${alias} CROSS JOIN journey_sessions s ON s.site = ${alias}.site AND s.session_id = ${alias}.session_id`,
      where: sessionWhere,
    }),
  };
}

const stageRank = (/** @type {number} */ k) =>
  // How many stages the session reached before stage k (ties: journey order); NULL when it never reached k.
  `CASE WHEN t_${STAGES[k]} IS NOT NULL THEN ${STAGES.map((other, j) => (j == k ? '' : `coalesce(t_${other} ${j < k ? '<=' : '<'} t_${STAGES[k]}, 0)`)).filter(Boolean).join(' + ')} END`;

/**
 * The whole report for a filter. Brings dirty sessions up to date first.
 * @param {DB} db
 * @param {JourneyFilter} [filter]
 */
export function journeyReport(db, filter = {}) {
  refreshJourney(db);
  // With one site stored, "all sites" is that site: the queries then read the tables in key order.
  const sites = /** @type {{ a: string | null, b: string | null }} */ (prepared(db, 'SELECT min(site) AS a, max(site) AS b FROM journey_sessions').get());
  const { cte, params, rows, lookup } = scope(filter.site == null && sites.a != null && sites.a === sites.b ? { ...filter, site: sites.a } : filter);
  /** @param {string} sql */
  const all = (sql) => /** @type {any[]} */ (prepared(db, cte + ' ' + sql).all(params));

  // Funnel: `reached` counts sessions whose furthest step is this one or a later one (an order after a quick
  // add from a list still passed "viewed a product"); `seen` counts sessions that had the event itself.
  // Sessions are first grouped by their steps and stages reached: a few dozen groups, then weighted sums.
  const totals = all(`SELECT coalesce(sum(n), 0) AS sessions, coalesce(sum(events), 0) AS events,
      ${FUNNEL.map((_, i) => `coalesce(sum(n * (steps >= ${1 << i})), 0) AS reached${i}, coalesce(sum(n * ((steps & ${1 << i}) > 0)), 0) AS seen${i}`).join(', ')},
      ${STAGES.map((_, k) => `coalesce(sum(n * a${k}), 0) AS stage${k}`).join(', ')},
      coalesce(sum(n * ((steps & ${BIT.cart}) > 0 AND (steps & ${BIT.order}) = 0)), 0) AS cart_no_order
    FROM (SELECT steps, ${STAGES.map((stage, k) => `t_${stage} IS NOT NULL AS a${k}`).join(', ')}, count(*) AS n, sum(events) AS events
          FROM s GROUP BY ${['steps', ...STAGES.map((_, k) => `a${k}`)].join(', ')})`)[0];

  const o = lookup('journey_orders', 'o');
  const orders = all(`SELECT count(*) AS orders, sum(o.revenue) AS revenue, group_concat(DISTINCT o.currency) AS currencies
    ${o.from} WHERE ${o.where}`)[0];

  // One pass over the cells: the map per stage × touchpoint, then frictions summed per touchpoint.
  const c = rows('journey_cells', 'c');
  const frictionColumns = Object.keys(FRICTIONS);
  const grouped = all(`, g AS MATERIALIZED (
      SELECT c.stage, c.touchpoint, sum(c.events > 0) AS sessions, sum(c.events) AS events,
             ${frictionColumns.map((f) => `sum(c.${f}) AS ${f}`).join(', ')}
      ${c.from} WHERE ${c.where} GROUP BY c.stage, c.touchpoint)
    SELECT 'cell' AS kind, stage, touchpoint, sessions, events, ${frictionColumns.join(', ')} FROM g WHERE events > 0
    UNION ALL
    SELECT 'friction', NULL, touchpoint, NULL, NULL, ${frictionColumns.map((f) => `sum(${f})`).join(', ')} FROM g GROUP BY touchpoint`);
  const cells = grouped.filter((g) => g.kind == 'cell');
  const frictions = grouped.filter((g) => g.kind == 'friction');

  // A session's stages in the order it first reached them; each consecutive pair is a move (rank b = rank a + 1).
  const pairs = STAGES.flatMap((_, a) => STAGES.map((_, b) => [a, b]).filter(([x, y]) => x != y));
  const ranks = all(`SELECT ${pairs.map(([a, b]) => `coalesce(sum(n * (r${b} = r${a} + 1)), 0) AS m${a}_${b}`).join(', ')}
    FROM (SELECT ${STAGES.map((_, k) => `${stageRank(k)} AS r${k}`).join(', ')}, count(*) AS n
          FROM s GROUP BY ${STAGES.map((_, k) => `r${k}`).join(', ')})`)[0];
  const transitions = pairs
    .map(([a, b]) => ({ from: STAGES[a], to: STAGES[b], sessions: ranks[`m${a}_${b}`] }))
    .filter((t) => t.sessions > 0)
    .sort((x, y) => y.sessions - x.sessions || STAGES.indexOf(x.from) - STAGES.indexOf(y.from) || STAGES.indexOf(x.to) - STAGES.indexOf(y.to));

  // p75 as percentile_cont (linear between the two nearest samples, like numpy and Excel's PERCENTILE.INC).
  // better-sqlite3 builds SQLite with SQLITE_ENABLE_PERCENTILE (its deps/defines.gypi).
  const v = rows('journey_vitals', 'v');
  const vitals = all(`SELECT v.page_type, v.name, percentile_cont(v.value, 0.75) AS p75, count(*) AS samples
    ${v.from} WHERE ${v.where} AND v.name IN (${Object.keys(VITALS).map((n) => `'${n}'`).join(', ')})
    GROUP BY v.page_type, v.name ORDER BY v.page_type`);

  const a = lookup('journey_abandons', 'a');
  const abandonSteps = all(`SELECT a.step, count(DISTINCT a.session_id) AS sessions,
      count(DISTINCT CASE WHEN a.price_changed THEN a.session_id END) AS price_changed
    ${a.from} WHERE ${a.where} AND a.step IS NOT NULL GROUP BY a.step`);
  const abandonFields = all(`SELECT a.step, a.last_field AS field, count(DISTINCT a.session_id) AS sessions
    ${a.from} WHERE ${a.where} AND a.step IS NOT NULL AND a.last_field IS NOT NULL
    GROUP BY a.step, a.last_field ORDER BY a.step, sessions DESC, field`);

  const entries = all(`SELECT g.*, r.revenue FROM (
      SELECT entry_touchpoint AS key, count(*) AS sessions, sum((steps & ${BIT.order}) > 0) AS orders FROM s GROUP BY 1
    ) g LEFT JOIN (SELECT s.entry_touchpoint AS key, sum(o.revenue) AS revenue ${o.from} WHERE ${o.where} GROUP BY 1) r
    ON r.key IS g.key ORDER BY g.sessions DESC, g.key`);
  const campaigns = all(`SELECT campaign, entry_touchpoint AS touchpoint, count(*) AS sessions,
      sum((steps & ${BIT.order}) > 0) AS orders
    FROM s WHERE campaign IS NOT NULL GROUP BY 1, 2 ORDER BY sessions DESC, campaign, touchpoint LIMIT ${MAX_CAMPAIGNS}`);
  const touches = all(`, o AS (SELECT o.* ${o.from} WHERE ${o.where})
    SELECT touchpoint, sum(first) AS first_orders, sum(last) AS last_orders,
           sum(first * revenue) AS first_revenue, sum(last * revenue) AS last_revenue
    FROM (SELECT first_touchpoint AS touchpoint, 1 AS first, 0 AS last, revenue FROM o
          UNION ALL SELECT last_touchpoint, 0, 1, revenue FROM o)
    GROUP BY touchpoint ORDER BY max(first_orders, last_orders) DESC, touchpoint`);

  return {
    filter: {
      site: filter.site ?? null, from: filter.from ?? null, to: filter.to ?? null, device: filter.device ?? null,
      entry: filter.entry ?? null, campaign: filter.campaign ?? null, customer: filter.customer ?? null,
    },
    totals: {
      sessions: totals.sessions,
      events: totals.events,
      orders: orders.orders,
      revenue: orders.revenue,
      currencies: orders.currencies ? String(orders.currencies).split(',').sort() : [],
    },
    kpis: kpis(totals, abandonSteps, abandonFields),
    map: mapOf(totals, cells, transitions),
    funnel: funnelOf(totals, abandonSteps, abandonFields),
    frictions: {
      touchpoints: frictions
        .map((f) => ({ touchpoint: /** @type {string | null} */ (f.touchpoint || null), rageClicks: f.rage_clicks, deadClicks: f.dead_clicks, formErrors: f.form_errors, jsErrors: f.js_errors }))
        .sort((a, b) => total(b) - total(a) || order(a.touchpoint) - order(b.touchpoint)),
      vitals: vitalsOf(vitals),
    },
    acquisition: {
      entries: entries.map((e) => ({
        touchpoint: e.key,
        sessions: e.sessions,
        orders: e.orders,
        conversionRate: rate(e.orders, e.sessions),
        revenue: e.revenue,
      })),
      campaigns: campaigns.map((c) => ({ ...c, conversionRate: rate(c.orders, c.sessions) })),
      attribution: touches.map((t) => ({
        touchpoint: t.touchpoint,
        firstTouchOrders: t.first_orders,
        lastTouchOrders: t.last_orders,
        firstTouchRevenue: t.first_revenue,
        lastTouchRevenue: t.last_revenue,
      })),
    },
  };
}

/**
 * The sites stored, with their sessions and first/last session start: for the filter form.
 * @param {DB} db
 * @returns {Array<{ site: string, sessions: number, first: number, last: number }>}
 */
export function journeySites(db) {
  refreshJourney(db);
  return /** @type {any[]} */ (
    prepared(db, 'SELECT site, count(*) AS sessions, min(start_ts) AS first, max(start_ts) AS last FROM journey_sessions GROUP BY site ORDER BY sessions DESC, site').all()
  );
}
