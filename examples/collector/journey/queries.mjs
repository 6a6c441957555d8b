// @ts-check
/**
 * The journey report: every figure of the map, the funnel, the KPIs, frictions and acquisition, summed from the
 * day roll-ups of schema.mjs. A report reads days, not sessions: its cost grows with the days and the
 * variety of journeys in the range, not with traffic.
 *
 * Sessions are the unit: a session belongs to the report when it started inside the date range, on the site,
 * in the segment asked for (device, entry touchpoint, campaign, customer); then all its events count, whenever
 * they came. Web vitals are kept by device only: a segment's report shows its device's. A range that starts or ends inside
 * a UTC day (epoch ms) reads the hours of that day from the hour roll-ups and the sessions of the hour it cuts
 * one by one (at most two partial hours).
 */
import { prepared } from '../db.mjs';
import { bucketValue, contribute, DAY, dec, emptyContributions, enc, HOUR, MICROS, OTHER_CAMPAIGN } from './fold.mjs';
import { csat, emotionCurve, frictionSessionsOf, opportunitiesOf, questionsOf } from './insights.mjs';
import { campaignNamer, refreshJourney, SEGMENT_KEYS } from './schema.mjs';
import { funnelOf, kpis, mapOf, order, rate, total, vitalsOf } from './sections.mjs';
import { BIT, FUNNEL, STAGES, VITALS } from './vocabulary.mjs';

/** @typedef {import('../db.mjs').DB} DB */

/**
 * @typedef {object} JourneyFilter
 * @property {string | null} [site] null: all sites
 * @property {number | null} [from] epoch ms, inclusive: sessions that started at or after
 * @property {number | null} [to] epoch ms, exclusive
 * @property {string | null} [device] 'mobile' | 'tablet' | 'desktop'; null: all, including sessions of no known device
 * @property {string | null} [entry] entry touchpoint (`search`, `ad`, …); null: all, including sessions of no known entry
 * @property {string | null} [campaign] campaign of the entry; OTHER_CAMPAIGN: the campaigns beyond a day's cap; null: all
 * @property {'new' | 'returning' | null} [customer] the browser's first session, or a later one (or a customer's); null: all
 */

/**
 * The roll-up key values a filter asks for, per segment column (fold.mjs segmentOf), without the columns it leaves open.
 * @param {JourneyFilter} filter
 * @returns {Record<string, string>}
 */
function segmentWanted({ device = null, entry = null, campaign = null, customer = null }) {
  /** @type {Record<string, string>} */
  const wanted = {};
  const part = (/** @type {string} */ v) => enc(v.replaceAll('\t', ' ')); // as fold.mjs's key() writes a part
  if (device != null) wanted.device = part(device);
  if (entry != null) wanted.entry = part(entry);
  if (campaign != null) wanted.campaign = campaign === OTHER_CAMPAIGN ? '*' : part(campaign);
  if (customer != null) wanted.customer = part(customer);
  return wanted;
}

/** Campaign rows at most in the answer (the largest by sessions). */
export const MAX_CAMPAIGNS = 20;
/** SQLite's order of texts (BINARY, NULL first), for ASCII alike to JavaScript's. @param {string | null} a @param {string | null} b */
const textOrder = (a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/**
 * How a time range is read: whole days from the day roll-ups, whole hours of the days it cuts from the hour
 * roll-ups, and the sessions of the hours it cuts one by one.
 * @param {number | null} from @param {number | null} to
 */
export function planRange(from, to) {
  /** @type {Array<[grain: 'd' | 'h', from: number | null, to: number | null]>} periods, `to` excluded */
  const rollups = [];
  /** @type {Array<[number, number]>} start_ts ranges read session by session */
  const sessions = [];
  /**
   * @param {number | null} a @param {number | null} b @param {number} unit @param {'d' | 'h'} grain
   * @param {(a: number, b: number) => void} rest what to do with the parts shorter than a unit
   */
  const split = (a, b, unit, grain, rest) => {
    const pa = a == null ? null : Math.ceil(a / unit), pb = b == null ? null : Math.floor(b / unit);
    if (a != null && b != null && /** @type {number} */ (pa) >= /** @type {number} */ (pb)) return rest(a, b);
    rollups.push([grain, pa, pb]);
    if (a != null && pa != null && a < pa * unit) rest(a, pa * unit);
    if (b != null && pb != null && pb * unit < b) rest(pb * unit, b);
  };
  split(from, to, DAY, 'd', (a, b) => split(a, b, HOUR, 'h', (x, y) => sessions.push([x, y])));
  return { rollups, sessions };
}

/**
 * Roll-up rows summed for a report: key (the table's key columns kept, joined with \t) → counters.
 * @typedef {{ days: Record<string, number[]>, cells: Record<string, number[]>, vitals: Record<string, Record<string, number>>,
 *   orders: Record<string, number[]>, abandons: Record<string, number[]>, feelings: Record<string, number[]>,
 *   frictions: Record<string, number[]>, questions: Record<string, number[]> }} Totals
 */
/** @returns {Totals} */
const emptyTotals = () => ({ days: {}, cells: {}, vitals: {}, orders: {}, abandons: {}, feelings: {}, frictions: {}, questions: {} });

/**
 * The roll-up rows of a filter, summed over sites, periods and devices: key (the table's other key columns
 * joined with \t) → counters, as fold.mjs's `contribute` makes them.
 * @param {DB} db @param {JourneyFilter} filter
 */
function gather(db, filter) {
  const { site = null, from = null, to = null } = filter;
  const wanted = segmentWanted(filter);
  const acc = emptyTotals();
  const plan = planRange(from, to);
  for (const [grain, periodFrom, periodTo] of plan.rollups) {
    const where = ['grain = @grain'];
    /** @type {Record<string, unknown>} */
    const params = { grain };
    if (site != null) where.push('site = @site'), (params.site = site);
    if (periodFrom != null) where.push('period >= @from'), (params.from = periodFrom);
    if (periodTo != null) where.push('period < @to'), (params.to = periodTo);
    // Web vitals are kept by device only (fold.mjs contribute): the other columns of the segment narrow the rest.
    const vitalsWhere = where.join(' AND ') + (wanted.device != null ? ' AND device = @device' : '');
    for (const column in wanted) where.push(`${column} = @${column}`), (params[column] = wanted[column]);
    const w = where.join(' AND ');
    /** @param {string} table @param {string[]} keys @param {string[]} values @param {Record<string, number[]>} into */
    const sum = (table, keys, values, into) => {
      const rows = /** @type {any[]} */ (
        prepared(db, `SELECT ${keys.join(', ')}, ${values.map((v, i) => `sum(${v}) AS v${i}`).join(', ')} FROM ${table} WHERE ${w} GROUP BY ${keys.join(', ')}`).raw().all(params)
      );
      for (const r of rows) add(into, r.slice(0, keys.length).join('\t'), r.slice(keys.length));
    };
    // Sessions, orders and ratings keep entry, campaign and customer: the segments table compares them.
    sum('journey_days', [...SEGMENTED, 'steps', 'ranks'], ['sessions', 'events'], acc.days);
    sum('journey_day_cells', ['stage', 'touchpoint'], ['present', 'sessions', 'events', 'rage_clicks', 'dead_clicks', 'form_errors', 'js_errors'], acc.cells);
    sum('journey_day_orders', [...SEGMENTED, 'first_touchpoint', 'last_touchpoint', 'currency'], ['orders', 'revenue_micros', 'revenue_n'], acc.orders);
    sum('journey_day_abandons', ['step', 'field'], ['sessions', 'price_changed'], acc.abandons);
    sum('journey_day_feelings', [...SEGMENTED, 'stage', 'touchpoint'], ['score1', 'score2', 'score3', 'score4', 'score5', 'frustrated'], acc.feelings);
    sum('journey_day_frictions', ['kind', 'place', 'subject'], ['sessions', 'orders', 'events'], acc.frictions);
    sum('journey_day_questions', ['question'], ['score1', 'score2', 'score3', 'score4', 'score5', 'shown', 'prompted', 'dismissed'], acc.questions);
    for (const r of /** @type {any[]} */ (prepared(db, `SELECT page_type, name, counts FROM journey_day_vitals WHERE ${vitalsWhere}`).all(params))) {
      addCounts(r.counts, (acc.vitals[r.page_type + '\t' + r.name] ??= {}));
    }
  }
  if (plan.sessions.length) {
    const sites = site != null ? [site] : /** @type {string[]} */ (prepared(db, 'SELECT DISTINCT site FROM journey_days').pluck().all());
    const part = emptyContributions();
    const named = campaignNamer(db, false);
    for (const s of sites) {
      for (const [a, b] of plan.sessions) {
        const rows = /** @type {Array<{ state: string }>} */ (prepared(db, 'SELECT state FROM journey_sessions WHERE site = ? AND start_ts >= ? AND start_ts < ?').all(s, a, b));
        for (const { state } of rows) contribute(s, JSON.parse(state), part, 1, named);
      }
    }
    // The day keys of the sessions in the filter's segment, cut as the roll-up sums above: site, grain and period
    // dropped, the segment kept (days, orders, feelings) or dropped (the others).
    const head = 3 + SEGMENT_KEYS.length;
    const checks = Object.entries(wanted).map(([column, value]) => /** @type {[number, string]} */ ([3 + SEGMENT_KEYS.indexOf(column), value]));
    const strip = (/** @type {string} */ key, /** @type {boolean} */ segmented) => {
      const parts = key.split('\t');
      if (parts[1] != 'd' || checks.some(([i, value]) => parts[i] !== value)) return null;
      return parts.slice(segmented ? head - SEGMENTED.length : head).join('\t');
    };
    for (const name of /** @type {const} */ (['days', 'cells', 'orders', 'abandons', 'feelings', 'frictions', 'questions'])) {
      const segmented = name == 'days' || name == 'orders' || name == 'feelings';
      for (const [head, rows] of part[name]) {
        for (const [rest, values] of rows) {
          const k = strip(head + '\t' + rest, segmented);
          if (k != null) add(acc[name], k, values);
        }
      }
    }
    const deviceAt = 3 + SEGMENT_KEYS.indexOf('device');
    for (const [head, histograms] of part.vitals) {
      const parts = head.split('\t'); // site, grain, period, device
      if (parts[1] != 'd' || (wanted.device != null && parts[deviceAt] !== wanted.device)) continue;
      for (const [k, counts] of histograms) {
        const histogram = (acc.vitals[k] ??= {});
        for (const b in counts) histogram[b] = (histogram[b] ?? 0) + counts[b];
      }
    }
  }
  return acc;
}

/** The segment columns the report groups sessions, orders and ratings by (the last ones of SEGMENT_KEYS). */
const SEGMENTED = ['entry', 'campaign', 'customer'];

/**
 * Adds a stored histogram, `{"bucket":samples,…}` as schema.mjs writes it (keys without quotes or commas inside),
 * to `histogram`: a third faster than JSON.parse, and the widest rows a segment's report reads are these.
 * @param {string} text @param {Record<string, number>} histogram
 */
function addCounts(text, histogram) {
  const end = text.length - 1;
  for (let i = 1; i < end; ) {
    const close = text.indexOf('"', i + 1);
    const bucket = text.slice(i + 1, close);
    let next = text.indexOf(',', close);
    if (next < 0) next = end;
    histogram[bucket] = (histogram[bucket] ?? 0) + Number(text.slice(close + 2, next));
    i = next + 1;
  }
}

/** @param {Record<string, number[]>} table @param {string} key @param {number[]} values */
function add(table, key, values) {
  const row = table[key];
  if (!row) table[key] = [...values];
  else for (let i = 0; i < values.length; i++) row[i] += values[i];
}

/** percentile_cont(q) of a histogram (bucket → samples): linear between the two nearest samples' buckets. @param {Record<string, number>} histogram @param {number} q */
function percentile(histogram, q) {
  const buckets = Object.keys(histogram).filter((b) => histogram[b] > 0).sort((a, b) => (a == 'z' ? -1 : b == 'z' ? 1 : Number(a) - Number(b)));
  const n = buckets.reduce((sum, b) => sum + histogram[b], 0);
  const pos = q * (n - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  /** @type {number[]} */
  const values = [];
  let seen = 0;
  for (const b of buckets) {
    const next = seen + histogram[b];
    if (values.length == 0 && lo < next) values.push(bucketValue(b));
    if (values.length == 1 && hi < next) {
      values.push(bucketValue(b));
      break;
    }
    seen = next;
  }
  return { p75: values[0] + (values[1] - values[0]) * (pos - lo), samples: n };
}

/**
 * The whole report for a filter. Brings dirty sessions up to date first.
 * @param {DB} db
 * @param {JourneyFilter} [filter]
 */
export function journeyReport(db, filter = {}) {
  refreshJourney(db);
  const acc = gather(db, filter);

  // Funnel and stages: `reached` counts sessions whose furthest step is this one or a later one (an order after a
  // quick add from a list still passed "viewed a product"); `seen` counts sessions that had the event itself.
  /** @type {Record<string, number>} */
  const totals = { sessions: 0, events: 0, cart_no_order: 0 };
  FUNNEL.forEach((_, i) => (totals['reached' + i] = totals['seen' + i] = 0));
  STAGES.forEach((_, k) => (totals['stage' + k] = totals['stageOrders' + k] = 0));
  const pairs = STAGES.flatMap((_, a) => STAGES.map((_, b) => [a, b]).filter(([x, y]) => x != y));
  const moves = pairs.map(() => 0);
  /** @type {Map<string | null, { sessions: number, orders: number }>} */
  const byEntry = new Map();
  /** @type {Map<string, { campaign: string, touchpoint: string | null, sessions: number, orders: number }>} */
  const byCampaign = new Map();
  const segments = new Segments();
  for (const key in acc.days) {
    const [n, events] = acc.days[key];
    if (n == 0) continue;
    const [entryKey, campaignKey, customerKey, stepsText, ranks] = key.split('\t');
    const steps = Number(stepsText);
    totals.sessions += n;
    totals.events += events;
    FUNNEL.forEach((_, i) => {
      if (steps >= 1 << i) totals['reached' + i] += n;
      if (steps & (1 << i)) totals['seen' + i] += n;
    });
    STAGES.forEach((_, k) => ranks[k] != '-' && ((totals['stage' + k] += n), steps & BIT.order && (totals['stageOrders' + k] += n)));
    if (steps & BIT.cart && !(steps & BIT.order)) totals.cart_no_order += n;
    pairs.forEach(([a, b], i) => ranks[a] != '-' && ranks[b] != '-' && Number(ranks[b]) == Number(ranks[a]) + 1 && (moves[i] += n));
    const ordered = steps & BIT.order ? n : 0;
    segments.sessions([entryKey, campaignKey, customerKey], n, ordered, steps & BIT.cart ? n : 0, steps & BIT.cart && !ordered ? n : 0);
    const entry = dec(entryKey);
    const e = byEntry.get(entry) ?? { sessions: 0, orders: 0 };
    byEntry.set(entry, { sessions: e.sessions + n, orders: e.orders + ordered });
    const campaign = campaignOf(campaignKey);
    if (campaign != null) {
      const c = byCampaign.get(campaignKey + '\t' + entryKey) ?? { campaign, touchpoint: entry, sessions: 0, orders: 0 };
      c.sessions += n;
      c.orders += ordered;
      byCampaign.set(campaignKey + '\t' + entryKey, c);
    }
  }
  const transitions = pairs
    .map(([a, b], i) => ({ from: STAGES[a], to: STAGES[b], sessions: moves[i] }))
    .filter((t) => t.sessions > 0)
    .sort((x, y) => y.sessions - x.sessions || STAGES.indexOf(x.from) - STAGES.indexOf(y.from) || STAGES.indexOf(x.to) - STAGES.indexOf(y.to));

  // Orders: totals, revenue by entry, first- and last-touch attribution. Revenue is null where every order had none.
  const orders = { orders: 0, micros: 0, withRevenue: 0, currencies: new Set() };
  /** @type {Map<string | null, { micros: number, n: number }>} */
  const revenueByEntry = new Map();
  /** @type {Map<string | null, { first: number, last: number, firstMicros: number, lastMicros: number, n: number }>} */
  const touches = new Map();
  for (const key in acc.orders) {
    const [count, micros, withRevenue] = acc.orders[key];
    if (count == 0) continue;
    const [entryKey, campaignKey, customerKey, firstKey, lastKey, currencyKey] = key.split('\t');
    segments.revenue([entryKey, campaignKey, customerKey], micros, withRevenue);
    orders.orders += count;
    orders.micros += micros;
    orders.withRevenue += withRevenue;
    if (currencyKey != '') orders.currencies.add(dec(currencyKey));
    const r = revenueByEntry.get(dec(entryKey)) ?? { micros: 0, n: 0 };
    revenueByEntry.set(dec(entryKey), { micros: r.micros + micros, n: r.n + withRevenue });
    for (const [touchKey, isFirst] of /** @type {const} */ ([[firstKey, true], [lastKey, false]])) {
      const t = touches.get(dec(touchKey)) ?? { first: 0, last: 0, firstMicros: 0, lastMicros: 0, n: 0 };
      if (isFirst) (t.first += count), (t.firstMicros += micros);
      else (t.last += count), (t.lastMicros += micros);
      t.n += withRevenue;
      touches.set(dec(touchKey), t);
    }
  }
  const money = (/** @type {number} */ micros, /** @type {number} */ n) => (n > 0 ? micros / MICROS : null);
  const currencies = [...orders.currencies].join(',');

  // The map per stage × touchpoint (sessions with journey events there), frictions summed per touchpoint.
  /** @type {any[]} */
  const cells = [];
  /** @type {Map<string, number[]>} */
  const frictionSums = new Map();
  for (const key in acc.cells) {
    const [present, sessions, events, ...counts] = acc.cells[key];
    if (present == 0) continue;
    const [stage, touchpoint] = key.split('\t');
    if (events > 0) cells.push({ stage, touchpoint, sessions, events });
    const f = frictionSums.get(touchpoint) ?? [0, 0, 0, 0];
    frictionSums.set(touchpoint, f.map((x, i) => x + counts[i]));
  }
  const frictions = [...frictionSums].sort(([a], [b]) => textOrder(a, b));

  const vitals = Object.keys(acc.vitals)
    .map((key) => ({ key: key.split('\t'), histogram: acc.vitals[key] }))
    .filter(({ key, histogram }) => Object.hasOwn(VITALS, key[1]) && Object.values(histogram).some((n) => n > 0))
    .map(({ key: [page_type, name], histogram }) => ({ page_type, name, ...percentile(histogram, 0.75) }))
    .sort((a, b) => textOrder(a.page_type, b.page_type));

  /** @type {any[]} */
  const abandonSteps = [];
  /** @type {any[]} */
  const abandonFields = [];
  for (const key in acc.abandons) {
    const [sessions, priceChanged] = acc.abandons[key];
    if (sessions == 0) continue;
    const [step, field] = key.split('\t');
    if (field == '*') abandonSteps.push({ step, sessions, price_changed: priceChanged });
    else abandonFields.push({ step, field: dec(field), sessions });
  }
  abandonSteps.sort((a, b) => textOrder(a.step, b.step));
  abandonFields.sort((a, b) => textOrder(a.step, b.step) || b.sessions - a.sessions || textOrder(a.field, b.field));

  const entries = [...byEntry]
    .filter(([, e]) => e.sessions > 0)
    .sort(([a, x], [b, y]) => y.sessions - x.sessions || textOrder(a, b))
    .map(([touchpoint, e]) => {
      const r = revenueByEntry.get(touchpoint);
      return { touchpoint, sessions: e.sessions, orders: e.orders, conversionRate: rate(e.orders, e.sessions), revenue: r ? money(r.micros, r.n) : null };
    });
  const campaigns = [...byCampaign.values()]
    .sort((a, b) => b.sessions - a.sessions || textOrder(a.campaign, b.campaign) || textOrder(a.touchpoint, b.touchpoint))
    .slice(0, MAX_CAMPAIGNS);
  const attribution = [...touches]
    .sort(([a, x], [b, y]) => Math.max(y.first, y.last) - Math.max(x.first, x.last) || textOrder(a, b))
    .map(([touchpoint, t]) => ({
      touchpoint,
      firstTouchOrders: t.first,
      lastTouchOrders: t.last,
      firstTouchRevenue: money(t.firstMicros, t.n),
      lastTouchRevenue: money(t.lastMicros, t.n),
    }));

  const { satisfaction, emotions } = feelingsOf(acc, totals, segments);

  const report = {
    filter: {
      site: filter.site ?? null, from: filter.from ?? null, to: filter.to ?? null, device: filter.device ?? null,
      entry: filter.entry ?? null, campaign: filter.campaign ?? null, customer: filter.customer ?? null,
    },
    totals: {
      sessions: totals.sessions,
      events: totals.events,
      orders: orders.orders,
      revenue: money(orders.micros, orders.withRevenue),
      currencies: currencies ? currencies.split(',').sort() : [],
    },
    kpis: kpis(totals, abandonSteps, abandonFields),
    map: mapOf(totals, cells, transitions),
    funnel: funnelOf(totals, abandonSteps, abandonFields),
    frictions: {
      touchpoints: frictions
        .map(([touchpoint, f]) => ({ touchpoint: touchpoint || null, rageClicks: f[0], deadClicks: f[1], formErrors: f[2], jsErrors: f[3] }))
        .sort((a, b) => total(b) - total(a) || order(a.touchpoint) - order(b.touchpoint)),
      vitals: vitalsOf(vitals),
      // Web vitals are kept by device: a report narrowed to an entry, campaign or customer shows every session's.
      vitalsScope: filter.entry != null || filter.campaign != null || filter.customer != null ? 'device' : 'filter',
    },
    acquisition: {
      entries,
      campaigns: campaigns.map((c) => ({ ...c, conversionRate: rate(c.orders, c.sessions) })),
      attribution,
    },
    satisfaction: { ...satisfaction, questions: questionsOf(acc.questions) },
    emotions,
    segments: segments.table(),
    frictionSessions: frictionSessionsOf(
      acc.frictions,
      {
        ...Object.fromEntries(STAGES.map((stage, k) => [stage, { sessions: totals['stage' + k], orders: totals['stageOrders' + k] }])),
        // Every session with an order counts as having reached the checkout (the funnel's furthest step).
        checkout: { sessions: totals['reached' + FUNNEL.findIndex((f) => f.key == 'checkout_started')], orders: totals['seen' + (FUNNEL.length - 1)] },
      },
    ),
  };
  return { ...report, opportunities: opportunitiesOf(report) };
}

/**
 * Satisfaction (CSAT of feedback_given scores and review ratings) overall, per stage and per touchpoint, and the
 * emotion line: per stage, CSAT where answers exist and the share of its sessions with a friction signal there.
 * @param {ReturnType<typeof gather>} acc @param {Record<string, number>} totals @param {Segments} segments gets the ratings per segment
 */
function feelingsOf(acc, totals, segments) {
  /** @type {Map<string, number[]>} */
  const byStage = new Map();
  /** @type {Map<string, number[]>} */
  const byTouchpoint = new Map();
  const all = [0, 0, 0, 0, 0];
  /** @type {Map<string, number>} */
  const frustrated = new Map();
  const plus = (/** @type {Map<string, number[]>} */ m, /** @type {string} */ k, /** @type {number[]} */ c) =>
    m.set(k, (m.get(k) ?? [0, 0, 0, 0, 0]).map((x, i) => x + c[i]));
  for (const key in acc.feelings) {
    const values = acc.feelings[key];
    const [entryKey, campaignKey, customerKey, stage, touchpoint] = key.split('\t');
    if (touchpoint == '*') {
      frustrated.set(stage, (frustrated.get(stage) ?? 0) + values[5]);
      continue;
    }
    const counts = values.slice(0, 5);
    if (counts.every((c) => c == 0)) continue;
    segments.ratings([entryKey, campaignKey, customerKey], counts);
    plus(byStage, stage, counts);
    plus(byTouchpoint, touchpoint, counts);
    counts.forEach((c, i) => (all[i] += c));
  }
  const ratings = (/** @type {number[] | undefined} */ c) => Object.fromEntries((c ?? [0, 0, 0, 0, 0]).map((n, i) => [i + 1, n]));
  /** Friction events per stage, from the map's cells (rage, dead clicks, form, JS errors). @type {Map<string, number[]>} */
  const signals = new Map();
  for (const key in acc.cells) {
    const [present, , , ...counts] = acc.cells[key];
    if (present == 0) continue;
    const stage = key.split('\t')[0];
    signals.set(stage, (signals.get(stage) ?? [0, 0, 0, 0]).map((x, i) => x + counts[i]));
  }
  const emotions = emotionCurve(
    Object.fromEntries(
      STAGES.map((stage, k) => {
        const f = signals.get(stage) ?? [0, 0, 0, 0];
        return [stage, {
          sessions: totals['stage' + k],
          frustrated: frustrated.get(stage) ?? 0,
          signals: { rage_click: f[0], dead_click: f[1], form_error: f[2], js_error: f[3] },
          ratings: ratings(byStage.get(stage)),
        }];
      }),
    ),
  );
  return {
    satisfaction: {
      ...csat(ratings(all)),
      scores: all,
      stages: STAGES.map((stage) => ({ stage, ...csat(ratings(byStage.get(stage))) })),
      touchpoints: [...byTouchpoint]
        .sort(([a], [b]) => order(a || null) - order(b || null) || textOrder(a, b))
        .map(([touchpoint, c]) => ({ touchpoint: touchpoint || null, ...csat(ratings(c)), scores: c })),
    },
    emotions,
  };
}

/** A campaign key as the report names it: null for none, OTHER_CAMPAIGN for those beyond a day's cap. @param {string} key */
const campaignOf = (key) => (key == '*' ? OTHER_CAMPAIGN : dec(key));

/** Segment rows listed per dimension at most (the largest by sessions). */
export const MAX_SEGMENTS = 12;

/**
 * Sessions, orders, cart abandonment, ratings and revenue per entry touchpoint, campaign and customer (new or
 * returning), summed from the roll-up keys: the segments table, each row the figures its filter would show.
 */
class Segments {
  constructor() {
    /** @type {Array<Map<string, { sessions: number, ordered: number, carts: number, cartNoOrder: number, micros: number, withRevenue: number, scores: number[] }>>} */
    this.by = SEGMENTED.map(() => new Map());
  }

  /** @param {string} key @param {number} i */
  row(key, i) {
    let r = this.by[i].get(key);
    if (!r) this.by[i].set(key, (r = { sessions: 0, ordered: 0, carts: 0, cartNoOrder: 0, micros: 0, withRevenue: 0, scores: [0, 0, 0, 0, 0] }));
    return r;
  }

  /** @param {string[]} keys entry, campaign, customer @param {number} n @param {number} ordered @param {number} carts @param {number} cartNoOrder */
  sessions(keys, n, ordered, carts, cartNoOrder) {
    keys.forEach((k, i) => {
      const r = this.row(k, i);
      r.sessions += n, r.ordered += ordered, r.carts += carts, r.cartNoOrder += cartNoOrder;
    });
  }

  /** @param {string[]} keys @param {number} micros @param {number} withRevenue */
  revenue(keys, micros, withRevenue) {
    keys.forEach((k, i) => {
      const r = this.row(k, i);
      r.micros += micros, r.withRevenue += withRevenue;
    });
  }

  /** @param {string[]} keys @param {number[]} counts answers of score 1–5 */
  ratings(keys, counts) {
    keys.forEach((k, i) => {
      const r = this.row(k, i);
      counts.forEach((c, j) => (r.scores[j] += c));
    });
  }

  /** Per dimension, the segments with sessions, largest first; campaigns without the sessions of no campaign. */
  table() {
    const rows = (/** @type {number} */ i, /** @type {(key: string) => string | null} */ name) =>
      [...this.by[i]]
        .filter(([key, r]) => r.sessions > 0 && (i != 1 || key != ''))
        .map(([key, r]) => {
          const { n, csat: score } = csat(Object.fromEntries(r.scores.map((c, j) => [j + 1, c])));
          return {
            key: name(key),
            sessions: r.sessions,
            sessionsWithOrder: r.ordered,
            conversionRate: rate(r.ordered, r.sessions),
            sessionsWithCart: r.carts,
            cartAbandonmentRate: rate(r.cartNoOrder, r.carts),
            csat: score,
            answers: n,
            revenue: r.withRevenue > 0 ? r.micros / MICROS : null,
          };
        })
        .sort((a, b) => b.sessions - a.sessions || textOrder(a.key, b.key))
        .slice(0, MAX_SEGMENTS);
    return { entries: rows(0, dec), campaigns: rows(1, campaignOf), customers: rows(2, dec) };
  }
}

/**
 * The sites stored, with their sessions and first/last session start: for the filter form.
 * @param {DB} db
 * @returns {Array<{ site: string, sessions: number, first: number, last: number }>}
 */
export function journeySites(db) {
  refreshJourney(db);
  const sites = /** @type {Array<{ site: string, sessions: number }>} */ (
    prepared(db, "SELECT site, sum(sessions) AS sessions FROM journey_days WHERE grain = 'd' GROUP BY site HAVING sum(sessions) > 0").all()
  );
  const first = prepared(db, 'SELECT min(start_ts) FROM journey_sessions WHERE site = ?').pluck();
  const last = prepared(db, 'SELECT max(start_ts) FROM journey_sessions WHERE site = ?').pluck();
  return sites
    .map(({ site, sessions }) => ({ site, sessions, first: /** @type {number} */ (first.get(site)), last: /** @type {number} */ (last.get(site)) }))
    .sort((a, b) => b.sessions - a.sessions || textOrder(a.site, b.site));
}
