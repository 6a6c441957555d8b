// @ts-check
/**
 * From figures to decisions: the pure computations of the journey map's satisfaction, emotion line,
 * before/after and opportunities. No database, no I/O: the queries give counts, these functions give answers,
 * and test/unit/collector/insights.test.ts checks each on datasets whose answers are worked out by hand.
 */
import { STAGES, VITALS } from './vocabulary.mjs';

/** The LCP above which a session's page type counts as slow (web.dev's "good" limit), in seconds for the words. */
const SLOW_LCP_S = VITALS.LCP.good / 1000;

/** A rating counts as satisfied at this score or above (CSAT's "4 or 5 on a 5-point scale"). */
export const SATISFIED_FROM = 4;

/** Significance level of the before/after test: a change is shown as real when p < 0.05 (95 %). */
export const ALPHA = 0.05;

/** z for a two-sided 95 % interval. */
const Z95 = 1.959964;

/**
 * Ratings, as the scores themselves or as a count per score (`{ 1: 3, 4: 10, 5: 7 }`, what SQL GROUP BY gives).
 * @typedef {number[] | Partial<Record<1 | 2 | 3 | 4 | 5 | string, number>>} Ratings
 */

/**
 * @typedef {object} Csat
 * @property {number} n Answers counted (scores 1 to 5; anything else is ignored).
 * @property {number} satisfied Answers of 4 or 5.
 * @property {number | null} csat Share of satisfied answers, 0 to 1; null without answers ("no data").
 * @property {[number, number] | null} interval The 95 % Wilson score interval of `csat`; null without answers.
 */

/**
 * CSAT: the share of answers of 4 or 5, with the number of answers and its 95 % Wilson interval (which stays inside
 * 0–1 and is honest for small n: 3 answers out of 3 is "somewhere between 44 % and 100 %").
 * @param {Ratings} ratings
 * @returns {Csat}
 */
export function csat(ratings) {
  let n = 0;
  let satisfied = 0;
  const add = (/** @type {number} */ score, count = 1) => {
    if (!Number.isInteger(score) || score < 1 || score > 5 || !(count > 0)) return;
    n += count;
    if (score >= SATISFIED_FROM) satisfied += count;
  };
  if (Array.isArray(ratings)) ratings.forEach((s) => add(s));
  else for (const [score, count] of Object.entries(ratings || {})) add(+score, Number(count));
  return { n, satisfied, csat: n ? satisfied / n : null, interval: n ? wilson(satisfied, n) : null };
}

/**
 * The Wilson score interval of a proportion x/n at 95 %.
 * @param {number} x
 * @param {number} n
 * @returns {[number, number]}
 */
export function wilson(x, n) {
  const p = x / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The standard normal cumulative distribution Φ(z), from erfc by the Numerical Recipes rational approximation
 * (erfcc; fractional error below 1.2e-7 everywhere), enough for p-values shown to 3 decimals.
 * @param {number} z
 */
export function normalCdf(z) {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 +
        t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * @typedef {object} ProportionTest
 * @property {number | null} before Proportion x/n of the first group (null when n is 0).
 * @property {number | null} after Proportion of the second group.
 * @property {number | null} difference after − before, in proportion points (0.02 = +2 points).
 * @property {number | null} z The test statistic; null when it cannot be computed (an empty group, or both
 *   groups at 0 % or both at 100 %: no variation to test).
 * @property {number | null} p Two-sided p-value.
 * @property {boolean} significant p < 0.05: the change is larger than chance at 95 %.
 */

/**
 * The two-proportion z-test (pooled), two-sided at 95 %: is the change from `before` (x1 of n1) to `after` (x2 of
 * n2) larger than chance? z = (p2 − p1) / √(p(1 − p)(1/n1 + 1/n2)) with p = (x1 + x2)/(n1 + n2). Like every
 * normal approximation it wants a few successes and failures in each group (n·p ≥ 5 is the usual rule); below that
 * it still answers, and the map says how many sessions each figure rests on.
 * @param {number} x1 Successes before (orders, satisfied answers, …).
 * @param {number} n1 Trials before (sessions, answers, …).
 * @param {number} x2
 * @param {number} n2
 * @returns {ProportionTest}
 */
export function twoProportionTest(x1, n1, x2, n2) {
  const before = n1 > 0 ? x1 / n1 : null;
  const after = n2 > 0 ? x2 / n2 : null;
  const difference = before == null || after == null ? null : after - before;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (difference == null || !(se > 0)) return { before, after, difference, z: null, p: null, significant: false };
  const z = difference / se;
  const p = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { before, after, difference, z, p, significant: p < ALPHA };
}

/** The friction signals whose sessions count as frustrated: rage and dead clicks, form and JavaScript errors, abandonment. */
export const FRUSTRATIONS = /** @type {const} */ (['rage_click', 'dead_click', 'form_error', 'js_error', 'checkout_abandoned']);

/**
 * What the emotion line is drawn from, per stage: sessions that reached it, those of them with at least one
 * friction signal at it, the count of each signal (for the label), and its ratings.
 * @typedef {object} StageFigures
 * @property {number} sessions
 * @property {number} frustrated Sessions with at least one of `FRUSTRATIONS` at this stage.
 * @property {Partial<Record<typeof FRUSTRATIONS[number], number>>} [signals] Events of each friction signal.
 * @property {Ratings} [ratings]
 */

/**
 * @typedef {object} EmotionPoint
 * @property {typeof STAGES[number]} stage
 * @property {number} sessions
 * @property {number | null} satisfaction CSAT of the stage's ratings; null: no answers.
 * @property {number} answers
 * @property {number | null} frustration Share of the stage's sessions with a friction signal; null: no sessions.
 * @property {number} frustrated
 * @property {Partial<Record<typeof FRUSTRATIONS[number], number>>} signals
 * @property {string} label The figures the point comes from, in words ("CSAT 80 % (10 answers) · 25 % of 40 sessions frustrated").
 */

/** 0.256 → "25.6 %", 0.2 → "20 %". */
const pct = (/** @type {number} */ x) => +(x * 100).toFixed(1) + ' %';
/** "1 session", "2 sessions", "4.3 orders". @param {number} n @param {string} word */
const plural = (n, word) => `${n} ${word}${n == 1 ? '' : 's'}`;

/**
 * The emotion line under the five stages, in journey order: satisfaction where ratings exist, frustration (the share
 * of sessions with a friction signal) where sessions exist, null for "no data", each labelled with its figures. The
 * two are not blended into one invented score: the map draws satisfaction as the curve and frustration under it.
 * @param {Partial<Record<typeof STAGES[number], StageFigures>>} byStage
 * @returns {EmotionPoint[]}
 */
export function emotionCurve(byStage) {
  return STAGES.map((stage) => {
    const f = byStage?.[stage];
    const sessions = Math.max(0, f?.sessions || 0);
    const frustrated = Math.min(sessions, Math.max(0, f?.frustrated || 0));
    const rated = csat(f?.ratings || []);
    const frustration = sessions ? frustrated / sessions : null;
    const signals = Object.fromEntries(FRUSTRATIONS.filter((s) => f?.signals?.[s]).map((s) => [s, f?.signals?.[s] || 0]));
    const label =
      [
        rated.csat != null && `CSAT ${pct(rated.csat)} (${rated.n} answer${rated.n == 1 ? '' : 's'})`,
        frustration != null && `${pct(frustration)} of ${sessions} sessions frustrated`,
      ]
        .filter(Boolean)
        .join(' · ') || 'no data';
    return { stage, sessions, satisfaction: rated.csat, answers: rated.n, frustration, frustrated, signals, label };
  });
}

/**
 * The kinds of problem the map looks for, each with its one-line suggestion (`{subject}` is the step, field,
 * element, error or channel concerned).
 */
export const SUGGESTIONS = {
  checkout_step: 'Simplify the {subject} step: it loses more shoppers than the other steps.',
  price_change: 'Show shipping costs and fees before checkout, on product and cart pages.',
  field_errors: 'Relax the validation or clarify the hint of the "{subject}" field.',
  slow_lcp: 'Speed up {subject} pages: lighter hero images, the largest image loaded first.',
  dead_clicks: 'Make "{subject}" do something when clicked, or look less clickable.',
  js_errors: 'Fix the JavaScript error on checkout: {subject}.',
  channel: 'Check the landing pages and targeting of {subject}: it brings sessions but few orders.',
};

/**
 * One problem the data shows: the sessions it concerns and how many of them ordered, against a baseline of
 * comparable sessions without it.
 * @typedef {object} Problem
 * @property {keyof typeof SUGGESTIONS | string} kind
 * @property {string} subject What is concerned: a step, a field, an element, an error message, a channel.
 * @property {string} evidence The figures that show the problem, in words.
 * @property {number} sessions Sessions concerned.
 * @property {number} orders Orders among them.
 * @property {{ sessions: number, orders: number }} baseline Comparable sessions without the problem, and their orders.
 * @property {number} [downstream] When `orders` and `baseline.orders` count a step passed rather than orders (a
 *   checkout step's shoppers who went on), the share of those that then ordered; 1 by default.
 * @property {number} [aov] Average order value, for the revenue estimate.
 * @property {string} [currency]
 * @property {string} [suggestion] Replaces the kind's suggestion.
 */

/**
 * @typedef {Problem & {
 *   rank: number, conversion: number, baselineConversion: number, ordersAtStake: number,
 *   revenueAtStake: number | null, formula: string, test: ProportionTest, suggestion: string
 * }} Opportunity
 */

/**
 * Opportunities, highest impact first. The estimate, stated as such: had the sessions concerned ordered like the
 * baseline, there would have been `sessions × baseline conversion` orders instead of `orders`; the difference is
 * the orders at stake (never below 0; times `downstream` for a step passed rather than an order), times the
 * average order value for the revenue at stake. Ranked by revenue
 * at stake (orders at stake when no order value is known), then by sessions concerned. Each carries the
 * two-proportion test of its conversion against the baseline's: an estimate resting on noise says so.
 * @param {Problem[]} problems
 * @returns {Opportunity[]}
 */
export function rankOpportunities(problems) {
  const round = (/** @type {number} */ x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return (problems || [])
    .filter((p) => p && p.sessions > 0 && p.baseline?.sessions > 0)
    .map((p) => {
      const conversion = p.orders / p.sessions;
      const baselineConversion = p.baseline.orders / p.baseline.sessions;
      const downstream = p.downstream ?? 1;
      const ordersAtStake = round(Math.max(0, p.sessions * baselineConversion - p.orders) * downstream);
      const revenueAtStake = p.aov != null && p.aov >= 0 ? round(ordersAtStake * p.aov, 2) : null;
      const formula =
        `${plural(p.sessions, 'session')} × ${pct(baselineConversion)} baseline conversion − ${p.downstream == null ? plural(p.orders, 'order') : `${p.orders} went on, × ${pct(downstream)} of those ordering`} = ${plural(ordersAtStake, 'order')}` +
        (revenueAtStake == null ? '' : ` × ${p.aov} ${p.currency || ''} average order = ${revenueAtStake} ${p.currency || ''}`.replace(/ +/g, ' ').trimEnd());
      const suggestion = p.suggestion || (SUGGESTIONS[/** @type {keyof typeof SUGGESTIONS} */ (p.kind)] || 'Look into {subject}.').replace('{subject}', p.subject);
      const test = twoProportionTest(p.baseline.orders, p.baseline.sessions, p.orders, p.sessions);
      return { ...p, rank: 0, conversion, baselineConversion, ordersAtStake, revenueAtStake, formula, test, suggestion };
    })
    .sort((a, b) => (b.revenueAtStake ?? b.ordersAtStake) - (a.revenueAtStake ?? a.ordersAtStake) || b.ordersAtStake - a.ordersAtStake || b.sessions - a.sessions)
    .map((o, i) => ({ ...o, rank: i + 1 }));
}

/**
 * A checkout step as the funnel counts it: sessions that reached it, and those of them that went on (reached the
 * next step, or ordered from the last).
 * @typedef {{ step: string, reached: number, continued: number }} StepCount
 */

/**
 * THE worst checkout step, one rule for the key figure ("Worst checkout step") and the opportunity: the step that
 * loses the most shoppers beyond what the other steps' pooled leaving rate would lose there,
 * `left − reached × (others' left / others' reached)` (with no other step seen, its `left`). A step a handful
 * reached cannot win on a rate alone, and a step many reach does not win only because many reach it. Ties: more
 * left, then the earlier step. Undefined when nobody left a step.
 * @template {StepCount} S
 * @param {S[]} steps In checkout order.
 * @returns {S | undefined}
 */
export function worstStep(steps) {
  const seen = (steps || []).filter((s) => s.reached > 0);
  const excess = (/** @type {S} */ s) => {
    const others = seen.filter((o) => o != s);
    const reached = others.reduce((n, o) => n + o.reached, 0);
    const left = others.reduce((n, o) => n + o.reached - o.continued, 0);
    return s.reached - s.continued - (reached ? (s.reached * left) / reached : 0);
  };
  /** @type {S | undefined} */
  let worst;
  let best = -Infinity;
  for (const s of seen) {
    const e = excess(s);
    if (s.reached - s.continued <= 0) continue;
    if (e > best + 1e-9 || (Math.abs(e - best) <= 1e-9 && worst && s.reached - s.continued > worst.reached - worst.continued)) (worst = s), (best = e);
  }
  return worst;
}

/**
 * The worst checkout step (`worstStep`) as a `Problem` for `rankOpportunities`, or undefined with fewer than two
 * steps seen. Its continuation (went on / reached) is compared with the other steps' pooled continuation; what it
 * loses beyond them is worth orders at the rate those who went on from it ordered (`downstream` = orders / went on).
 * @param {StepCount[]} steps In checkout order.
 * @param {number} orders Orders of the sessions that reached the checkout.
 * @param {number} [aov]
 * @returns {Problem | undefined}
 */
export function worstCheckoutStep(steps, orders, aov) {
  const seen = (steps || []).filter((s) => s.reached > 0);
  const worst = worstStep(seen);
  if (seen.length < 2 || !worst) return;
  const rate = (/** @type {StepCount} */ s) => s.continued / s.reached;
  const others = seen.filter((s) => s != worst);
  const baseline = { sessions: others.reduce((n, s) => n + s.reached, 0), orders: others.reduce((n, s) => n + s.continued, 0) };
  return {
    kind: 'checkout_step',
    subject: worst.step,
    evidence: `${pct(1 - rate(worst))} of ${worst.reached} shoppers leave at ${worst.step}, against ${pct(1 - baseline.orders / baseline.sessions)} at the other steps`,
    sessions: worst.reached,
    orders: worst.continued,
    baseline,
    downstream: worst.continued ? Math.min(1, orders / worst.continued) : 0,
    ...(aov != null && { aov }),
  };
}

/** Questions in this order on the map, then any other by its number of answers. */
export const QUESTIONS = /** @type {const} */ (['checkout', 'delivery', 'product', 'support']);
/** Questions listed at most (the most answered after those of `QUESTIONS`). */
export const MAX_QUESTIONS = 12;

/**
 * @typedef {Csat & { question: string, scores: number[], shown: number, prompted: number, dismissed: number,
 *   responseRate: number | null }} QuestionFigures
 */

/**
 * CSAT per question (checkout, delivery, product, support, …) and, for a question the prompt asks, its response
 * rate: answers given in the prompt / times it was shown (null when never shown; at most 100 %, an answer whose
 * `prompt_shown` was lost still counts once).
 * @param {Record<string, number[]>} counters question → answers of score 1 to 5, shown, answered in the prompt,
 *   dismissed (the roll-up journey_day_questions)
 * @returns {QuestionFigures[]}
 */
export function questionsOf(counters) {
  const rank = (/** @type {string} */ q) => {
    const i = QUESTIONS.indexOf(/** @type {any} */ (q));
    return i < 0 ? QUESTIONS.length : i;
  };
  return Object.entries(counters || {})
    .filter(([, c]) => c.some((x) => x > 0))
    .map(([question, c]) => {
      const scores = c.slice(0, 5);
      const [shown, prompted, dismissed] = c.slice(5, 8);
      return {
        question, ...csat(Object.fromEntries(scores.map((n, i) => [i + 1, n]))), scores, shown, prompted, dismissed,
        responseRate: shown > 0 ? Math.min(prompted, shown) / shown : null,
      };
    })
    .sort((a, b) => rank(a.question) - rank(b.question) || b.n - a.n || (a.question < b.question ? -1 : a.question > b.question ? 1 : 0))
    .slice(0, MAX_QUESTIONS);
}

/** The friction kinds the opportunities weigh, in this order; subjects listed per kind at most. */
export const FRICTION_ORDER = /** @type {const} */ (['field_errors', 'dead_clicks', 'js_errors', 'slow_lcp']);
export const MAX_FRICTION_SUBJECTS = 10;

/**
 * @typedef {object} FrictionSessions
 * @property {typeof FRICTION_ORDER[number]} kind
 * @property {string | null} place Where the friction's events were: `checkout` (checkout pages), else their stage;
 *   null for page speed.
 * @property {string} subject The field, element (selector), error message or page type.
 * @property {number} sessions Sessions that had it.
 * @property {number} orders Of those, sessions with an order.
 * @property {number} events Its events (form errors, dead clicks, JS errors; LCP samples for page speed).
 * @property {{ sessions: number, orders: number }} baseline Comparable sessions without it: those that started
 *   checkout, or reached the same stage, or for page speed those whose pages of that type were all fast; and their orders.
 */

/**
 * The sessions that had each friction, with their orders and a baseline of comparable sessions without it, the
 * `MAX_FRICTION_SUBJECTS` most frequent subjects per kind.
 * @param {Record<string, number[]>} rows "kind\tplace\tsubject" → sessions, orders, events (journey_day_frictions)
 * @param {Record<string, { sessions: number, orders: number }>} places sessions that reached each stage (and
 *   `checkout`: that started checkout), and their orders
 * @returns {FrictionSessions[]}
 */
export function frictionSessionsOf(rows, places) {
  /** @type {Map<string, { sessions: number, orders: number }>} */
  const fast = new Map();
  /** @type {FrictionSessions[]} */
  const out = [];
  for (const k in rows || {}) {
    const [sessions, orders, events] = rows[k];
    if (!(sessions > 0)) continue;
    const [kind, place, subject] = k.split('\t');
    if (kind == 'fast_lcp') fast.set(subject, { sessions, orders });
    else if (FRICTION_ORDER.includes(/** @type {any} */ (kind))) out.push({ kind: /** @type {any} */ (kind), place: place || null, subject, sessions, orders, events, baseline: { sessions: 0, orders: 0 } });
  }
  for (const f of out) {
    const at = f.kind == 'slow_lcp' ? fast.get(f.subject) : f.place != null ? places?.[f.place] : undefined;
    const other = f.kind == 'slow_lcp' ? { sessions: 0, orders: 0 } : f;
    f.baseline = { sessions: Math.max(0, (at?.sessions ?? 0) - other.sessions), orders: Math.max(0, (at?.orders ?? 0) - other.orders) };
  }
  return out
    .sort((a, b) => FRICTION_ORDER.indexOf(a.kind) - FRICTION_ORDER.indexOf(b.kind) || b.sessions - a.sessions || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) || (String(a.place) < String(b.place) ? -1 : String(a.place) > String(b.place) ? 1 : 0))
    .filter((f, i, all) => all.slice(0, i).filter((g) => g.kind == f.kind).length < MAX_FRICTION_SUBJECTS);
}

/** Friction opportunities listed per kind at most (the most at stake). */
export const MAX_FRICTION_OPPORTUNITIES = 3;

/**
 * The friction problems worth an opportunity: a friction whose sessions ordered less than its baseline by at least
 * one order (sessions × baseline conversion − orders ≥ 1), the `MAX_FRICTION_OPPORTUNITIES` most at stake per kind,
 * one per subject (the place where it puts the most at stake).
 * @param {FrictionSessions[]} frictions
 * @returns {Problem[]}
 */
export function frictionProblems(frictions) {
  /** @type {Array<Problem & { stake: number }>} */
  const found = [];
  for (const f of frictions || []) {
    const base = f.baseline;
    if (!(base?.sessions > 0) || !(f.sessions > 0)) continue;
    const stake = (f.sessions * base.orders) / base.sessions - f.orders;
    if (stake < 1) continue;
    const against = `${pct(f.orders / f.sessions)} of them ordered, against ${pct(base.orders / base.sessions)} of`;
    const others = f.place == 'checkout' ? 'the other sessions that started checkout' : `the other sessions at ${f.place ?? 'that stage'}`;
    const evidence = {
      field_errors: `${plural(f.events, 'form error')} on the "${f.subject}" field in ${plural(f.sessions, 'session')}: ${against} ${others}`,
      dead_clicks: `${plural(f.events, 'dead click')} on ${f.subject} in ${plural(f.sessions, 'session')}: ${against} ${others}`,
      js_errors: `"${f.subject}" on checkout in ${plural(f.sessions, 'session')} (${plural(f.events, 'error')}): ${against} ${others}`,
      slow_lcp: `${plural(f.sessions, 'session')} waited over ${SLOW_LCP_S} s for ${f.subject} pages to show their main content (LCP), ${f.sessions - f.orders} of them did not order: ${against} the ${plural(base.sessions, 'session')} whose ${f.subject} pages were faster`,
    }[f.kind];
    found.push({ kind: f.kind, subject: f.subject, evidence, sessions: f.sessions, orders: f.orders, baseline: base, stake });
  }
  // One suggestion per field or element: where it shows at several places (a gallery at consideration and, for
  // customers, at retention), the place with the most at stake.
  return FRICTION_ORDER.flatMap((kind) =>
    found
      .filter((p) => p.kind == kind)
      .sort((a, b) => b.stake - a.stake || b.sessions - a.sessions)
      .filter((p, i, all) => all.findIndex((q) => q.subject == p.subject) == i)
      .slice(0, MAX_FRICTION_OPPORTUNITIES)
      .map(({ stake, ...p }) => p),
  );
}

/**
 * The opportunities of a journey report, ranked by `rankOpportunities`, from the figures the report already has:
 * the checkout step that loses the most (`worstCheckoutStep` over the funnel's checkout steps), the price changed at
 * shipping before abandonment (the worst step's abandons that saw it, against the step's other sessions), and each
 * channel (entry touchpoint, campaign) with sessions but no order where the other sessions' conversion expects at
 * least one, or converting below the other sessions by more than chance (the two-proportion test at 95 %), against
 * all other sessions; and the frictions of `frictionProblems` (a field's form errors, an element's dead clicks, a
 * JS error on checkout, slow LCP per page type) against their baselines. Problems without data are skipped.
 * @param {any} report What `journeyReport` returns, without `opportunities`.
 * @returns {Opportunity[]}
 */
export function opportunitiesOf(report) {
  const totals = report?.totals ?? {};
  const kpis = report?.kpis ?? {};
  const aov = totals.revenue != null && totals.orders > 0 ? Math.round((totals.revenue / totals.orders) * 100) / 100 : undefined;
  const currency = totals.currencies?.length == 1 ? totals.currencies[0] : undefined;
  const money = (/** @type {Problem} */ p) => (aov == null ? p : { ...p, aov, ...(currency && { currency }) });
  const ordered = kpis.sessionsWithOrder ?? 0;
  /** @type {Problem[]} */
  const problems = [];
  const steps = (report?.funnel ?? [])
    .filter((/** @type {any} */ f) => f.step && f.sessions != null && f.left != null)
    .map((/** @type {any} */ f) => ({ step: f.step, reached: f.sessions, continued: f.sessions - f.left }));
  const step = worstCheckoutStep(steps, ordered, aov);
  if (step) problems.push(currency ? { ...step, currency } : step);
  const w = kpis.worstCheckoutStep;
  if (w && w.priceChanged > 0 && w.reached > w.priceChanged) {
    const others = w.reached - w.priceChanged;
    problems.push(money({
      kind: 'price_change',
      subject: w.step,
      evidence: `${w.priceChanged} of the ${w.abandons} shoppers who abandoned at ${w.step} had seen the price change`,
      sessions: w.priceChanged,
      orders: 0,
      // The step's other sessions, and at most all the sessions with an order, as its baseline.
      baseline: { sessions: others, orders: Math.min(ordered, others) },
    }));
  }
  const sessions = kpis.sessions ?? 0;
  /** @param {string} subject @param {string} what @param {{ sessions: number, orders: number }} c */
  const channel = (subject, what, c) => {
    const rest = { sessions: sessions - c.sessions, orders: ordered - c.orders };
    if (!(c.sessions > 0) || !(rest.sessions > 0) || !(rest.orders >= 0)) return;
    const test = twoProportionTest(rest.orders, rest.sessions, c.orders, c.sessions);
    // No order where at least one was expected, or fewer orders than the rest by more than chance.
    const lower = test.significant && /** @type {number} */ (test.difference) < 0;
    if (!lower && (c.orders > 0 || (c.sessions * rest.orders) / rest.sessions < 1)) return;
    problems.push(money({
      kind: 'channel',
      subject,
      evidence: `${c.sessions} sessions ${what}, ${c.orders ? `${plural(c.orders, 'order')} (${pct(c.orders / c.sessions)})` : 'no order'}, against ${pct(rest.orders / rest.sessions)} of the other sessions ordering`,
      sessions: c.sessions,
      orders: c.orders,
      baseline: rest,
    }));
  };
  for (const p of frictionProblems(report?.frictionSessions ?? [])) problems.push(money(p));
  for (const e of report?.acquisition?.entries ?? []) if (e.touchpoint) channel(`the ${e.touchpoint} entry`, `entered by ${e.touchpoint}`, e);
  for (const c of report?.acquisition?.campaigns ?? []) channel(`the ${c.campaign} campaign`, `from the ${c.campaign} campaign${c.touchpoint ? ` (${c.touchpoint})` : ''}`, c);
  return rankOpportunities(problems);
}
