// @ts-check
/**
 * What the journey map reads from stored events, in one place: the stage and touchpoint vocabulary (as the SDK's
 * src/journey/stage.ts tags events), the funnel, the signal types, and the property paths. A property the SDK
 * renames is changed here only; the summary tables are rebuilt on the next start because their SQL changes.
 */

/** The five stages, in journey order: the columns of the map. */
export const STAGES = /** @type {const} */ (['awareness', 'consideration', 'purchase', 'retention', 'advocacy']);

/** Touchpoints, arrivals first: the rows of the map (values found outside this list are appended). */
export const TOUCHPOINTS = /** @type {const} */ ([
  'ad', 'social', 'search', 'email', 'referral', 'direct',
  'home', 'content', 'collection', 'site_search', 'product_page', 'cart', 'checkout', 'payment',
  'order_confirmation', 'account', 'support', 'loyalty', 'review',
]);

/** Touchpoints that say how a session arrived. */
export const ARRIVALS = TOUCHPOINTS.slice(0, 6);

/**
 * Signals: measurements of how a page behaved, not steps of the journey. They count as frictions and vitals,
 * not as events of the map (a page with five web vitals is not five steps).
 */
export const SIGNALS = [
  'web_vital', 'rage_click', 'dead_click', 'form_error', 'js_error', 'checkout_abandoned', 'scroll_depth', 'events_dropped',
  'prompt_shown', 'prompt_dismissed',
];

/** Friction counters per touchpoint: column of the summary table → event type. */
export const FRICTIONS = /** @type {const} */ ({
  rage_clicks: 'rage_click',
  dead_clicks: 'dead_click',
  form_errors: 'form_error',
  js_errors: 'js_error',
});

/** Checkout steps, in order (`properties.step` of checkout_step_viewed and checkout_abandoned). */
export const CHECKOUT_STEPS = /** @type {const} */ (['contact', 'shipping', 'payment', 'review']);

/**
 * The funnel, in order. Each step is one bit of a session's `steps` mask: bit i set means the session had the
 * event. `step` narrows checkout_step_viewed to one checkout step.
 * @type {ReadonlyArray<{ key: string, label: string, type: string, step?: string }>}
 */
export const FUNNEL = [
  { key: 'product_viewed', label: 'Viewed a product', type: 'product_viewed' },
  { key: 'added_to_cart', label: 'Added to cart', type: 'product_added_to_cart' },
  { key: 'checkout_started', label: 'Started checkout', type: 'checkout_started' },
  ...CHECKOUT_STEPS.map((step) => ({ key: 'step_' + step, label: 'Checkout: ' + step, type: 'checkout_step_viewed', step })),
  { key: 'order_completed', label: 'Ordered', type: 'order_completed' },
];

/** Bits of the steps mask the KPIs use. */
export const BIT = {
  cart: 1 << FUNNEL.findIndex((s) => s.key == 'added_to_cart'),
  order: 1 << FUNNEL.findIndex((s) => s.key == 'order_completed'),
};

/** Web vitals shown per page type, and the thresholds of "good" and "poor" (web.dev, as web-vitals rates them). */
export const VITALS = /** @type {const} */ ({
  LCP: { good: 2500, poor: 4000, unit: 'ms' },
  INP: { good: 200, poor: 500, unit: 'ms' },
  CLS: { good: 0.1, poor: 0.25, unit: '' },
});

/**
 * JSON paths into `events.properties`. An entry with several paths takes the first that is present.
 * Names the SDK documents in README ("Events"); the uncertain ones are here so a rename is one line.
 */
export const PROPERTY = {
  /** page_viewed: 'mobile' | 'tablet' | 'desktop'. */
  device: ['$.device'],
  /** The entry page_viewed of a session: { touchpoint, source, medium, campaign }. */
  arrival: ['$.arrival'],
  /** checkout_step_viewed / checkout_step_completed / checkout_abandoned. */
  step: ['$.step'],
  /** checkout_abandoned: the name of the last field touched, never its value. */
  lastField: ['$.last_field', '$.lastField'],
  timeOnStep: ['$.time_on_step_ms'],
  priceChanged: ['$.price_changed'],
  /** order_completed. */
  orderId: ['$.order_id', '$.id', '$.order.id'],
  revenue: ['$.revenue', '$.total', '$.order.revenue'],
  currency: ['$.currency', '$.order.currency'],
  firstTouch: ['$.first_touch', '$.firstTouch'],
  lastTouch: ['$.last_touch', '$.lastTouch'],
  /** web_vital. A later report of the same page view (CLS, INP growing after the tab came back) has `delta`. */
  vitalName: ['$.name'],
  vitalValue: ['$.value'],
  vitalDelta: ['$.delta'],
  /** web_vital: the page the metric belongs to, which may differ from the page current when it was sent. */
  vitalPageType: ['$.page_type'],
};

/**
 * SQL reading a property of `row` (an alias such as NEW or e), with an optional sub-path inside it
 * (`prop('e', PROPERTY.arrival, '.campaign')`). Paths are constants of this file, never request input.
 * @param {string} row @param {readonly string[]} paths @param {string} [sub]
 */
export const prop = (row, paths, sub = '') => {
  const reads = paths.map((p) => `json_extract(${row}.properties, '${p}${sub}')`);
  return reads.length == 1 ? reads[0] : `coalesce(${reads.join(', ')})`;
};
