// @ts-check
/**
 * The journey map's routes: `GET /api/journey` answers the report as JSON, `GET /journey` draws it.
 * Both take the same query: `site`, `from` and `to` (YYYY-MM-DD, UTC days, both inclusive, or epoch ms with `to`
 * exclusive), `device` (mobile, tablet, desktop; empty or `all` for every session), and the segment: `entry` (an
 * entry touchpoint), `campaign` (a campaign name, `(other)` for those beyond a day's cap) and `customer` (new,
 * returning), each empty or `all` for every session. Wire them with
 * `startCollector({ routes: journeyRoutes })`. Both also answer a before / after comparison (`comparison`): the range
 * against the one of the same length before it, or with `compare=YYYY-MM-DD`, since that day against as many days
 * before it (compare.mjs).
 */
import { comparedRanges, compareReports } from './compare.mjs';
import { PAGE_HEADERS, renderJourneyPage } from './page.mjs';
import { journeyReport, journeySites } from './queries.mjs';
import { journeyProgress, startJourneyBuild } from './schema.mjs';

const DAY = 86_400_000;
/** Device classes the filter accepts (the SDK's `properties.device` of page_viewed). */
export const DEVICES = ['mobile', 'tablet', 'desktop'];
/** Customer segments the filter accepts (fold.mjs: the SDK's lifecycle `new`, or `returning` and `customer`). */
export const CUSTOMERS = ['new', 'returning'];

/** @type {import('../server.mjs').Route[]} */
export const journeyRoutes = [
  { method: 'GET', path: '/api/journey', read: true, handler: (req, res, ctx) => answer(ctx, 'json') },
  { method: 'GET', path: '/journey', read: true, page: true, handler: (req, res, ctx) => answer(ctx, 'html') },
];

/**
 * Reads the filter of a query string; a value it cannot read is an error, not a silent default.
 * @param {URLSearchParams} query
 * @returns {{ filter: import('./queries.mjs').JourneyFilter, error?: undefined } | { error: string, filter?: undefined }}
 */
export function parseFilter(query) {
  const site = query.get('site') || null;
  if (site != null && site.length > 200) return { error: 'site must be at most 200 characters' };
  const from = time(query.get('from'), 0);
  const to = time(query.get('to'), DAY); // a day given as `to` is included: the range ends at its midnight
  if (from === undefined) return { error: 'from must be a date (YYYY-MM-DD) or epoch milliseconds' };
  if (to === undefined) return { error: 'to must be a date (YYYY-MM-DD) or epoch milliseconds' };
  if (from != null && to != null && from >= to) return { error: 'from must be before to' };
  const deviceText = (query.get('device') || 'all').toLowerCase();
  if (deviceText != 'all' && !DEVICES.includes(deviceText)) return { error: `device must be all, ${DEVICES.join(', ')}` };
  const entry = open(query.get('entry'));
  if (entry != null && (entry.length > 100 || !/^[a-z0-9_-]+$/.test(entry))) return { error: 'entry must be a touchpoint such as search, ad, social, email, referral, direct' };
  const campaign = query.get('campaign') || null; // a name: `all` could be one
  if (campaign != null && campaign.length > 100) return { error: 'campaign must be at most 100 characters' };
  const customer = open(query.get('customer'));
  if (customer != null && !CUSTOMERS.includes(customer)) return { error: `customer must be all, ${CUSTOMERS.join(', ')}` };
  return {
    filter: {
      site, from, to, device: deviceText == 'all' ? null : deviceText,
      entry, campaign, customer: /** @type {'new' | 'returning' | null} */ (customer),
    },
  };
}

/** A segment value of the query, lower-cased: null when absent, empty or `all`. @param {string | null} text */
function open(text) {
  return !text || text.toLowerCase() == 'all' ? null : text.toLowerCase();
}

/**
 * @param {string | null} text @param {number} dayShift added to a date (not to epoch ms)
 * @returns {number | null | undefined} null when absent, undefined when unreadable
 */
function time(text, dayShift) {
  if (!text) return null;
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(text + 'T00:00:00Z');
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) != text ? undefined : ms + dayShift;
}

/** @param {import('../server.mjs').RouteContext} ctx @param {'json' | 'html'} as */
function answer(ctx, as) {
  const began = performance.now();
  const progress = journeyProgress(ctx.db);
  if (progress != null) {
    // Tables still being built from stored events (startJourneyBuild, in chunks): say how far, do not wait.
    void startJourneyBuild(ctx.db);
    const building = `building the journey tables from stored events: ${Math.floor(progress * 100)} %; try again in a few seconds`;
    const headers = { 'Retry-After': '5' };
    if (as == 'json') return ctx.sendJson(503, { error: building, building: progress }, headers);
    return ctx.sendText(503, renderJourneyPage({ report: null, sites: [], error: building, query: ctx.url.searchParams, tookMs: 0 }), { ...PAGE_HEADERS, ...headers });
  }
  const parsed = parseFilter(ctx.url.searchParams);
  const ranges = parsed.filter ? comparedRanges(parsed.filter, ctx.url.searchParams.get('compare'), Date.now()) : null;
  const error = parsed.error ?? (ranges && 'error' in ranges ? ranges.error : undefined);
  const filter = error ? undefined : parsed.filter;
  const sites = journeySites(ctx.db);
  const report = filter ? journeyReport(ctx.db, filter) : null;
  const comparison = report && ranges && !('error' in ranges) ? compareWith(ctx.db, report, ranges) : null;
  const tookMs = Math.round(performance.now() - began);
  if (as == 'json') return error ? ctx.sendJson(400, { error }) : ctx.sendJson(200, { ...report, comparison, sites, tookMs });
  const html = renderJourneyPage({ report, comparison, sites, error, query: ctx.url.searchParams, tookMs });
  ctx.sendText(error ? 400 : 200, html, PAGE_HEADERS);
}

/**
 * The before / after table; the report already computed is reused for the range it covers.
 * @param {import('../db.mjs').DB} db
 * @param {ReturnType<typeof journeyReport>} report
 * @param {{ before: import('./queries.mjs').JourneyFilter, after: import('./queries.mjs').JourneyFilter, since: number | null }} ranges
 * @returns {import('./compare.mjs').Comparison}
 */
function compareWith(db, report, { before, after, since }) {
  const same = (/** @type {import('./queries.mjs').JourneyFilter} */ f) => f.from == report.filter.from && f.to == report.filter.to;
  const afterReport = same(after) ? report : journeyReport(db, after);
  const beforeReport = journeyReport(db, before);
  return {
    since,
    before: { from: before.from ?? null, to: before.to ?? null },
    after: { from: after.from ?? null, to: after.to ?? null },
    rates: compareReports(beforeReport, afterReport),
  };
}
