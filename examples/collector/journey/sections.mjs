// @ts-check
/**
 * The journey report's sections as the answer shapes them from summed figures: the map, the funnel, the key
 * figures, web vitals. queries.mjs reads the figures from the roll-ups; the reference of the tests
 * (test/unit/collector/journey-reference) reads them from the sessions: both shape them here, so the oracle
 * checks the figures, not a second copy of their shaping.
 */
import { worstStep } from './insights.mjs';
import { CHECKOUT_STEPS, FUNNEL, STAGES, TOUCHPOINTS, VITALS } from './vocabulary.mjs';

/** Last-touched fields listed per checkout step at most. */
export const MAX_FIELDS = 5;

/** part / whole, null without a whole. @param {number} part @param {number} whole */
export const rate = (part, whole) => (whole > 0 ? part / whole : null);

/** @param {Record<string, any>} f */
export const total = (f) => f.rageClicks + f.deadClicks + f.formErrors + f.jsErrors;
/** Vocabulary order, unknown values last. @param {string | null} touchpoint */
export const order = (touchpoint) => {
  const i = TOUCHPOINTS.indexOf(/** @type {any} */ (touchpoint));
  return i < 0 ? TOUCHPOINTS.length : i;
};

/**
 * The grid (every touchpoint of the vocabulary, then others found, × the five stages; null where no session
 * was) and the stage-to-stage moves.
 * @param {any} totals @param {any[]} cells @param {Array<{ from: string, to: string, sessions: number }>} transitions
 */
export function mapOf(totals, cells, transitions) {
  const extra = [...new Set(cells.map((c) => c.touchpoint))].filter((t) => !TOUCHPOINTS.includes(t)).sort();
  const byKey = new Map(cells.map((c) => [c.stage + '\n' + c.touchpoint, c]));
  return {
    stages: STAGES.map((stage, k) => ({ stage, sessions: totals['stage' + k] })),
    rows: [...TOUCHPOINTS, ...extra].map((touchpoint) => ({
      touchpoint: touchpoint || null,
      cells: STAGES.map((stage) => {
        const c = byKey.get(stage + '\n' + touchpoint);
        return c ? { sessions: c.sessions, events: c.events } : null;
      }),
    })),
    transitions,
  };
}

/** @param {any} totals @param {any[]} abandonSteps @param {any[]} abandonFields */
export function funnelOf(totals, abandonSteps, abandonFields) {
  /** @type {any[]} */
  const steps = [];
  /** @type {number | null} */
  let previous = null;
  FUNNEL.forEach((f, i) => {
    const seen = totals['seen' + i];
    // A step nobody had (a one-page checkout without steps) is no data, not a 100 % drop: it is skipped.
    const sessions = seen > 0 ? totals['reached' + i] : null;
    const dropOff = sessions != null && previous != null ? previous - sessions : null;
    const checkoutStep = f.step ?? null;
    steps.push({
      key: f.key,
      label: f.label,
      step: checkoutStep,
      sessions,
      dropOff,
      dropOffRate: dropOff != null ? rate(dropOff, /** @type {number} */ (previous)) : null,
      // Sessions whose furthest step this was: they left here.
      left: sessions != null && i < FUNNEL.length - 1 ? sessions - totals['reached' + (i + 1)] : null,
      ...(checkoutStep ? abandonsAt(checkoutStep, abandonSteps, abandonFields) : {}),
    });
    if (sessions != null) previous = sessions;
  });
  return steps;
}

/** @param {string} step @param {any[]} abandonSteps @param {any[]} abandonFields */
function abandonsAt(step, abandonSteps, abandonFields) {
  const row = abandonSteps.find((a) => a.step == step);
  return {
    abandons: row?.sessions ?? 0,
    priceChanged: row?.price_changed ?? 0,
    lastFields: abandonFields
      .filter((a) => a.step == step)
      .slice(0, MAX_FIELDS)
      .map((a) => ({ field: a.field, sessions: a.sessions })),
  };
}

/** @param {any} totals @param {any[]} abandonSteps @param {any[]} abandonFields */
export function kpis(totals, abandonSteps, abandonFields) {
  const orderIndex = FUNNEL.length - 1;
  const cartIndex = FUNNEL.findIndex((f) => f.key == 'added_to_cart');
  const sessionsWithCart = totals['seen' + cartIndex];
  // The worst checkout step, by the one rule of insights.mjs `worstStep` (the opportunity uses it too).
  const steps = FUNNEL.flatMap((f, i) =>
    f.step && totals['seen' + i] ? [{ step: f.step, reached: totals['reached' + i], continued: totals['reached' + (i + 1)] }] : [],
  );
  const w = worstStep(steps);
  /** @type {any} */
  let worst = w
    ? { step: w.step, reached: w.reached, left: w.reached - w.continued, leftRate: rate(w.reached - w.continued, w.reached), ...abandonsAt(w.step, abandonSteps, abandonFields) }
    : null;
  // Without step events, the checkout_abandoned signals alone still name a step.
  if (!worst) {
    const top = [...abandonSteps]
      .filter((a) => CHECKOUT_STEPS.includes(a.step))
      .sort((a, b) => b.sessions - a.sessions || CHECKOUT_STEPS.indexOf(a.step) - CHECKOUT_STEPS.indexOf(b.step))[0];
    if (top) worst = { step: top.step, reached: null, left: top.sessions, leftRate: null, ...abandonsAt(top.step, abandonSteps, abandonFields) };
  }
  return {
    sessions: totals.sessions,
    sessionsWithOrder: totals['seen' + orderIndex],
    conversionRate: rate(totals['seen' + orderIndex], totals.sessions),
    sessionsWithCart,
    sessionsWithCartNoOrder: totals.cart_no_order,
    cartAbandonmentRate: rate(totals.cart_no_order, sessionsWithCart),
    worstCheckoutStep: worst,
  };
}

/** p75 per page type, null for a vital without samples. @param {any[]} rows */
export function vitalsOf(rows) {
  const pageTypes = [...new Set(rows.map((r) => r.page_type))];
  return pageTypes.map((pageType) => ({
    pageType,
    ...Object.fromEntries(
      Object.keys(VITALS).map((name) => {
        const r = rows.find((x) => x.page_type == pageType && x.name == name);
        return [name, r ? { p75: r.p75, samples: r.samples } : null];
      }),
    ),
  }));
}
