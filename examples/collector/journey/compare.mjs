// @ts-check
/**
 * Before / after: the same report over two ranges of the same length, and for each headline rate and funnel step
 * whether the change is larger than chance (a two-proportion test at 95 %), so an owner does not act on noise.
 * Two ranges: the one asked for and the one just before it, or, with `compare=YYYY-MM-DD` ("since we showed
 * delivery costs"), from that day to the end of the range against as many days before it.
 */
import { twoProportionTest } from './insights.mjs';

const DAY = 86_400_000;

/**
 * The two ranges to compare, or null when there is nothing to compare (no range and no date).
 * @param {import('./queries.mjs').JourneyFilter} filter the filter of the report
 * @param {string | null} compare the `compare` query value, YYYY-MM-DD
 * @param {number} now the end of an open range
 * @returns {{ before: import('./queries.mjs').JourneyFilter, after: import('./queries.mjs').JourneyFilter, since: number | null } | { error: string } | null}
 */
export function comparedRanges(filter, compare, now) {
  if (compare) {
    const since = /^\d{4}-\d{2}-\d{2}$/.test(compare) ? Date.parse(compare + 'T00:00:00Z') : NaN;
    if (Number.isNaN(since) || new Date(since).toISOString().slice(0, 10) != compare) return { error: 'compare must be a date (YYYY-MM-DD)' };
    const to = filter.to ?? Math.ceil(now / DAY) * DAY;
    if (since >= to) return { error: 'compare must be before the end of the range' };
    const length = to - since;
    return { before: { ...filter, from: since - length, to: since }, after: { ...filter, from: since, to }, since };
  }
  if (filter.from == null || filter.to == null) return null;
  const length = filter.to - filter.from;
  return { before: { ...filter, from: filter.from - length, to: filter.from }, after: filter, since: null };
}

/**
 * @typedef {object} ComparedRate
 * @property {string} key `conversion`, `cart_abandonment`, a funnel step's key, `csat`, `csat:` + a question, or
 *   `response_rate` (the prompt's answers / times shown)
 * @property {string} label
 * @property {{ count: number, of: number, rate: number | null }} before
 * @property {{ count: number, of: number, rate: number | null }} after
 * @property {number | null} change after − before, in rate (0.01 is one point)
 * @property {number | null} p two-sided p-value; null when either side has no data
 * @property {boolean} significant p < 0.05
 */

/**
 * @typedef {object} Comparison
 * @property {number | null} since the `compare` day, null for the range before
 * @property {{ from: number | null, to: number | null }} before
 * @property {{ from: number | null, to: number | null }} after
 * @property {ComparedRate[]} rates
 */

/**
 * Each headline rate and funnel step (share of the range's sessions that reached it), and satisfaction (CSAT
 * overall and per question, over answers; the prompt's response rate, over times shown), before and after.
 * @param {ReturnType<typeof import('./queries.mjs').journeyReport>} before
 * @param {ReturnType<typeof import('./queries.mjs').journeyReport>} after
 * @returns {ComparedRate[]}
 */
export function compareReports(before, after) {
  /** @type {Array<[string, string, (r: typeof before) => [number, number]]>} */
  const measures = [
    ['conversion', 'Conversion rate', (r) => [r.kpis.sessionsWithOrder, r.kpis.sessions]],
    ['cart_abandonment', 'Cart abandonment', (r) => [r.kpis.sessionsWithCartNoOrder, r.kpis.sessionsWithCart]],
    ...after.funnel.map((step) => /** @type {[string, string, (r: typeof before) => [number, number]]} */ ([
      step.key,
      step.label,
      (r) => [r.funnel.find((s) => s.key == step.key)?.sessions ?? 0, r.kpis.sessions],
    ])),
    // Satisfaction: the share of 4–5 answers among the answers, overall and per question; the prompt's response
    // rate among the times it was shown.
    ['csat', 'Satisfaction (CSAT)', (r) => [r.satisfaction.satisfied, r.satisfaction.n]],
    ...[...new Set([...before.satisfaction.questions, ...after.satisfaction.questions].map((q) => q.question))].map(
      (question) => /** @type {[string, string, (r: typeof before) => [number, number]]} */ ([
        'csat:' + question,
        `Satisfaction: ${question}`,
        (r) => {
          const q = r.satisfaction.questions.find((x) => x.question == question);
          return [q?.satisfied ?? 0, q?.n ?? 0];
        },
      ]),
    ),
    ['response_rate', 'Prompt answered (response rate)', (r) => {
      const qs = r.satisfaction.questions;
      return [qs.reduce((n, q) => n + Math.min(q.prompted, q.shown), 0), qs.reduce((n, q) => n + q.shown, 0)];
    }],
  ];
  return measures.map(([key, label, of]) => {
    const [x1, n1] = of(before);
    const [x2, n2] = of(after);
    const t = twoProportionTest(x1, n1, x2, n2);
    return {
      key,
      label,
      before: { count: x1, of: n1, rate: t.before },
      after: { count: x2, of: n2, rate: t.after },
      change: t.difference,
      p: t.p,
      significant: t.significant,
    };
  });
}
