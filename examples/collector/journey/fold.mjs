// @ts-check
/**
 * What one session contributes to the journey map, in plain JavaScript: `foldEvent` folds an event into a
 * session's state (the same rules whatever order events come in: earliest wins, min, max, sums, bit or), and
 * `contribute` turns a state into the roll-up rows it adds to (its day and hour, device, entry, campaign…).
 *
 * The ingest path folds the events it has just parsed (no JSON read back from SQLite); a rebuild folds stored
 * rows. A session growing moves between roll-up rows: the caller subtracts its old contributions and adds the
 * new ones in the same transaction.
 */
import { ARRIVALS, BIT, FRICTIONS, FUNNEL, SIGNALS, STAGES, VITALS } from './vocabulary.mjs';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/**
 * Web vitals are kept as histograms per day: a sample falls in bucket floor(log(value) / log(ratio)), values
 * <= 0 in bucket 'z'. A p75 read from them is within ±1 % (√1.02 − 1) of the exact percentile_cont.
 */
export const VITAL_BUCKET_RATIO = 1.02;
const LOG_RATIO = Math.log(VITAL_BUCKET_RATIO);
/** @param {number} value */
export const bucketOf = (value) => (value > 0 ? String(Math.floor(Math.log(value) / LOG_RATIO)) : 'z');
/** The value a bucket stands for: its geometric middle. @param {string} bucket */
export const bucketValue = (bucket) => (bucket == 'z' ? 0 : Math.exp((Number(bucket) + 0.5) * LOG_RATIO));

/**
 * @typedef {object} SessionState
 * @property {number} s first event ts
 * @property {number} e last event ts
 * @property {number} n journey events (signals excluded)
 * @property {number} st funnel steps seen, bit i = FUNNEL[i]
 * @property {Array<number | null>} t first journey event of each stage
 * @property {[number, string | null, string | null, string | null, string | null] | null} en entry page view: ts, touchpoint, source, medium, campaign
 * @property {[number, string] | null} dv earliest page view with a device class: ts, device
 * @property {[number, 'new' | 'returning'] | null} [lc] earliest event with a lifecycle: ts, `new` (the browser's
 *   first session) or `returning` (the SDK's `returning` and `customer`); at equal ts `new` wins
 * @property {Record<string, number[]>} c per "stage\ttouchpoint": events, then the FRICTIONS counters
 * @property {Array<[string, string, number, number | null]>} v web vital samples: page type, name, value, value it replaced
 * @property {Record<string, OrderFields>} o orders this session owns, by order key
 * @property {Array<[string | null, string | null, number]>} a checkout abandons: step, last field, price changed
 * @property {Record<string, number[]>} [r] ratings per "stage\ttouchpoint": answers of score 1, 2, 3, 4, 5
 *   (feedback_given `score`, review_submitted `rating`)
 * @property {number} [fr] stages with a frustration signal (FRUSTRATIONS: rage or dead click, form or JS error,
 *   checkout abandoned), bit k = STAGES[k]
 * @property {Record<string, number>} [x] friction events per "kind\tplace\tsubject" (FRICTION_KINDS): a field's form
 *   errors, an element's dead clicks, a JS error's message on checkout; place: 'checkout' for events on checkout
 *   pages, else the event's stage; for the opportunities
 * @property {Record<string, number[]>} [q] per question: answers of score 1 to 5, prompts shown, answers to the
 *   prompt, prompts dismissed (feedback_given `question`, review_submitted as `product`, prompt_shown, prompt_dismissed)
 */
/** @typedef {[ts: number, revenue: number | null, currency: string | null, firstTouchpoint: string | null, firstCampaign: string | null, lastTouchpoint: string | null, lastCampaign: string | null]} OrderFields */

/**
 * Most web-vital samples, stage × touchpoint cells and checkout abandons one session keeps for the map: a real
 * session stays far below; one fed by a script cannot make its state (read and written each batch) grow forever.
 * Its events are stored all the same.
 */
export const SESSION_CAPS = { vitals: 500, cells: 200, abandons: 100, ratings: 50, frictions: 50, questions: 20 };

/** Events whose session counts as frustrated at the event's stage (insights.mjs FRUSTRATIONS, the emotion line). */
export const FRUSTRATION_TYPES = new Set(['rage_click', 'dead_click', 'form_error', 'js_error', 'checkout_abandoned']);
/** Where a rating is read: feedback_given `score`, review_submitted `rating`; an integer from 1 to 5, else ignored. */
const RATING_FIELD = /** @type {Record<string, string>} */ ({ feedback_given: 'score', review_submitted: 'rating' });

/**
 * The frictions whose sessions are counted with their orders, for the opportunities: event type → kind and the
 * property naming what is concerned. `js_errors` only on checkout pages (page type `checkout`, touchpoint
 * checkout or payment). Page speed is read from the session's web vitals (`slow_lcp`, `fast_lcp`).
 */
export const FRICTION_KINDS = /** @type {const} */ ({
  form_error: { kind: 'field_errors', subject: 'field' },
  dead_click: { kind: 'dead_clicks', subject: 'selector' },
  js_error: { kind: 'js_errors', subject: 'message' },
});
/** A session's LCP on a page type counts as slow above this (web.dev's "good" limit, VITALS.LCP.good), at its worst sample. */
export const SLOW_LCP_MS = VITALS.LCP.good;
const CHECKOUT_TOUCHPOINTS = new Set(['checkout', 'payment']);
/** Review stars count as answers to the question `product`. */
export const REVIEW_QUESTION = 'product';
/** Prompt events, counted per question: [index in the question's counters]. */
const PROMPT_COUNTERS = /** @type {Record<string, number>} */ ({ prompt_shown: 5, prompt_dismissed: 7 });

/** @returns {SessionState} */
export const emptyState = () => ({ s: Infinity, e: -Infinity, n: 0, st: 0, t: STAGES.map(() => null), en: null, dv: null, lc: null, c: {}, v: [], o: {}, a: [], r: {}, fr: 0, x: {}, q: {} });

/** The SDK's lifecycle (src/journey/lifecycle.ts) as a segment: a browser seen before, or a customer, is returning. */
const CUSTOMER_OF = /** @type {Map<string, 'new' | 'returning'>} */ (new Map([['new', 'new'], ['returning', 'returning'], ['customer', 'returning']]));

/**
 * An event as folded: the stored columns, `properties` parsed.
 * @typedef {{ id: string, type: string, ts: number, stage: string | null, touchpoint: string | null, pageType: string | null, lifecycle?: string | null, properties: any }} FoldedEvent
 */

const signals = new Set(SIGNALS);
const frictionIndex = new Map(Object.values(FRICTIONS).map((type, i) => [/** @type {string} */ (type), i + 1]));
const vitalNames = new Set(Object.keys(VITALS));

// The readers below give what SQLite's json_extract + the old SQL gave: a JSON true is 1, a number read as text is
// its decimal form, an object read as text is its JSON, substr counts characters.
/** @param {any} x */
const num = (x) => (typeof x == 'number' ? x : typeof x == 'boolean' ? Number(x) : null);
/** @param {any} x @param {number} [max] */
export const text = (x, max = 100) => {
  if (x == null) return null;
  const s = typeof x == 'string' ? x : typeof x == 'boolean' ? String(Number(x)) : typeof x == 'object' ? JSON.stringify(x) : String(x);
  return s.length <= max ? s : [...s].slice(0, max).join('');
};
/** @param {any} x @param {string} key */
const at = (x, key) => (x !== null && typeof x == 'object' && !Array.isArray(x) ? x[key] : undefined);
/** @param {...any} xs */
const first = (...xs) => xs.find((x) => x != null);
const asciiLower = (/** @type {string} */ s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()); // SQLite's lower()

/**
 * The order an `order_completed` event describes, or null for other events.
 * @param {string} site @param {FoldedEvent} e
 * @returns {{ key: string, fields: OrderFields } | null}
 */
export function orderOf(site, e) {
  if (e.type != 'order_completed') return null;
  const p = e.properties;
  const touch = (/** @type {string} */ a, /** @type {string} */ b, /** @type {string} */ sub) => text(first(at(at(p, a), sub), at(at(p, b), sub)));
  return {
    key: text(first(at(p, 'order_id'), at(p, 'id'), at(at(p, 'order'), 'id')), 200) ?? 'event:' + e.id,
    fields: [
      e.ts,
      num(first(at(p, 'revenue'), at(p, 'total'), at(at(p, 'order'), 'revenue'))),
      text(first(at(p, 'currency'), at(at(p, 'order'), 'currency')), 3),
      touch('first_touch', 'firstTouch', 'touchpoint'), touch('first_touch', 'firstTouch', 'campaign'),
      touch('last_touch', 'lastTouch', 'touchpoint'), touch('last_touch', 'lastTouch', 'campaign'),
    ],
  };
}

/**
 * Two sightings of one order: the earliest's values, the later one's filling gaps; the owner session follows.
 * @param {OrderFields} stored @param {string} storedOwner @param {OrderFields} seen @param {string} seenOwner
 * @returns {{ fields: OrderFields, owner: string }}
 */
export function mergeOrder(stored, storedOwner, seen, seenOwner) {
  const earlier = seen[0] < stored[0];
  const [a, b] = earlier ? [seen, stored] : [stored, seen];
  return {
    fields: /** @type {OrderFields} */ ([Math.min(stored[0], seen[0]), ...a.slice(1).map((x, i) => x ?? b[i + 1])]),
    owner: earlier ? seenOwner : storedOwner,
  };
}

/**
 * Folds one event (not its order: see `orderOf`) into a session's state.
 * @param {SessionState} state @param {FoldedEvent} e
 */
export function foldEvent(state, e) {
  const { type, ts } = e;
  const p = e.properties;
  const journey = !signals.has(type);
  state.s = Math.min(state.s, ts);
  state.e = Math.max(state.e, ts);
  if (journey) state.n++;
  const step = at(p, 'step');
  for (let i = 0; i < FUNNEL.length; i++) {
    const f = FUNNEL[i];
    if (type == f.type && (!f.step || step === f.step)) {
      state.st |= 1 << i;
      break;
    }
  }
  if (journey) {
    const k = STAGES.indexOf(/** @type {any} */ (e.stage));
    if (k >= 0 && (state.t[k] == null || ts < /** @type {number} */ (state.t[k]))) state.t[k] = ts;
  }
  if (type == 'page_viewed') {
    const arrival = at(p, 'arrival');
    if (arrival !== null && typeof arrival == 'object' && !Array.isArray(arrival) && (!state.en || ts < state.en[0])) {
      const touchpoint = text(arrival.touchpoint) ?? (ARRIVALS.includes(/** @type {any} */ (e.touchpoint)) ? e.touchpoint : null);
      state.en = [ts, touchpoint, text(arrival.source), text(arrival.medium), text(arrival.campaign)];
    }
    const device = text(at(p, 'device'), 20);
    if (device != null && (!state.dv || ts < state.dv[0])) state.dv = [ts, asciiLower(device)];
  }
  const customer = e.lifecycle == null ? undefined : CUSTOMER_OF.get(e.lifecycle);
  if (customer && (!state.lc || ts < state.lc[0] || (ts == state.lc[0] && customer < state.lc[1]))) state.lc = [ts, customer];
  if (e.stage != null || e.touchpoint != null) {
    const k = key(e.stage ?? '', e.touchpoint ?? '');
    const cell = state.c[k] ?? (Object.keys(state.c).length < SESSION_CAPS.cells ? (state.c[k] = [0, 0, 0, 0, 0]) : null);
    if (cell && journey) cell[0]++;
    const f = frictionIndex.get(type);
    if (cell && f) cell[f]++;
  }
  if (type == 'web_vital') foldVital(state, e);
  if (FRUSTRATION_TYPES.has(type)) {
    const k = STAGES.indexOf(/** @type {any} */ (e.stage));
    if (k >= 0) state.fr = (state.fr ?? 0) | (1 << k);
  }
  const ratingField = RATING_FIELD[type];
  if (ratingField) {
    const score = at(p, ratingField);
    const ratings = (state.r ??= {});
    const k = key(e.stage ?? '', e.touchpoint ?? '');
    if (Number.isInteger(score) && score >= 1 && score <= 5) {
      const row = ratings[k] ?? (Object.keys(ratings).length < SESSION_CAPS.ratings ? (ratings[k] = [0, 0, 0, 0, 0]) : null);
      if (row) row[score - 1]++;
    }
  }
  const friction = /** @type {Record<string, { kind: string, subject: string }>} */ (FRICTION_KINDS)[type];
  const onCheckout = e.pageType == 'checkout' || CHECKOUT_TOUCHPOINTS.has(/** @type {string} */ (e.touchpoint));
  if (friction && (type != 'js_error' || onCheckout)) {
    const subject = text(at(p, friction.subject));
    const x = (state.x ??= {});
    const k = key(friction.kind, onCheckout ? 'checkout' : e.stage ?? '', subject ?? '');
    if (subject && (k in x || Object.keys(x).length < SESSION_CAPS.frictions)) x[k] = (x[k] ?? 0) + 1;
  }
  const counter = type == 'feedback_given' || type == 'review_submitted' ? -1 : PROMPT_COUNTERS[type];
  if (counter != null) {
    const question = type == 'review_submitted' ? REVIEW_QUESTION : text(at(p, 'question'), 32);
    const q = (state.q ??= {});
    const row = question == null ? null : q[question] ?? (Object.keys(q).length < SESSION_CAPS.questions ? (q[question] = [0, 0, 0, 0, 0, 0, 0, 0]) : null);
    if (row && counter >= 0) row[counter]++;
    else if (row) {
      const score = at(p, /** @type {string} */ (ratingField));
      if (Number.isInteger(score) && score >= 1 && score <= 5) {
        row[score - 1]++;
        if (at(p, 'via') === 'prompt') row[6]++;
      }
    }
  }
  if (type == 'checkout_abandoned' && state.a.length < SESSION_CAPS.abandons) {
    const changed = at(p, 'price_changed');
    state.a.push([text(step, 40), text(first(at(p, 'last_field'), at(p, 'lastField'))), changed === true || changed === 1 || changed === 'true' ? 1 : 0]);
  }
}

/**
 * A later report of a page view's metric has `delta`: it replaces the sample worth value − delta, whichever of
 * the two came first (the page's value is its last, largest one).
 * @param {SessionState} state @param {FoldedEvent} e
 */
function foldVital(state, e) {
  const p = e.properties;
  const name = at(p, 'name');
  const value = num(at(p, 'value'));
  const rawDelta = at(p, 'delta');
  const delta = num(rawDelta);
  const replaces = delta != null && delta != 0 && value != null ? value - delta : null;
  const pageType = text(at(p, 'page_type'), 40) ?? e.pageType ?? 'other';
  const near = (/** @type {number} */ a, /** @type {number} */ b) => a >= b - 1e-9 && a <= b + 1e-9;
  if (rawDelta != null && replaces != null) {
    const i = state.v.findIndex((y) => y[0] == pageType && y[1] === name && near(y[2], replaces));
    if (i >= 0) state.v.splice(i, 1);
  }
  if (vitalNames.has(name) && value != null && state.v.length < SESSION_CAPS.vitals && !state.v.some((y) => y[3] != null && y[0] == pageType && y[1] === name && near(y[3], value))) {
    state.v.push([pageType, name, value, replaces]);
  }
}

/** How many stages the session reached before each (ties: journey order), '-' where never: e.g. "01-2-". @param {SessionState} state */
export function ranksOf(state) {
  const t = state.t;
  let out = '';
  for (let k = 0; k < t.length; k++) {
    const tk = t[k];
    if (tk == null) {
      out += '-';
      continue;
    }
    let r = 0;
    for (let j = 0; j < t.length; j++) {
      const tj = t[j];
      if (j != k && tj != null && (j < k ? tj <= tk : tj < tk)) r++;
    }
    out += r;
  }
  return out;
}

/** A nullable text as a roll-up key part: '' for null, '=' before a value. @param {string | null} v */
export const enc = (v) => (v == null ? '' : '=' + v);
/** @param {string} v */
export const dec = (v) => (v == '' ? null : v.slice(1));

/** Revenue is summed as integer millionths: adding and subtracting sessions never drifts. */
export const MICROS = 1e6;

/**
 * Distinct campaigns a site's day (UTC day of the session's start) keeps by name in the roll-ups, in the order
 * their sessions are folded; the sessions of any further campaign that day count under OTHER_CAMPAIGN. Campaign
 * names come from URLs (utm_campaign): without a cap, a crawler varying them would multiply every roll-up row.
 */
export const CAMPAIGNS_PER_DAY = 50;
/** The campaign the sessions beyond CAMPAIGNS_PER_DAY count under (a campaign so named counts there too). */
export const OTHER_CAMPAIGN = '(other)';

/**
 * Whether a campaign keeps its name on a site's day (schema.mjs admits names up to CAMPAIGNS_PER_DAY and never
 * takes one back, so a session's key is the same when its contribution is added and when it is subtracted).
 * @callback CampaignNamed
 * @param {string} site @param {number} day @param {string} campaign
 * @returns {boolean}
 */

/**
 * The segment columns of a session's roll-up rows, joined with \t: device, entry touchpoint, campaign ('' none,
 * '=' + name, '*' the others of the day), customer ('=new', '=returning', '' unknown).
 * @param {string} site @param {SessionState} state @param {CampaignNamed} named
 */
export function segmentOf(site, state, named) {
  const campaign = state.en ? state.en[4] : null;
  const campaignKey = campaign == null ? '' : campaign !== OTHER_CAMPAIGN && named(site, Math.floor(state.s / DAY), campaign) ? enc(campaign) : '*';
  return key(enc(state.dv ? state.dv[1] : null), enc(state.en ? state.en[1] : null), campaignKey, enc(state.lc ? state.lc[1] : null));
}

/**
 * The roll-up rows a session adds to, per table: once for its day, once for its hour. Keys join the table's key
 * columns with \t (site, grain, period, then the segment: device, entry, campaign, customer, the filters; then
 * the table's own). `acc` collects several sessions (sign -1 subtracts).
 *
 * Web vitals are kept by device only, not by entry, campaign or customer: a page is about as fast for every
 * visitor on a device, and the histograms are the widest rows, read and rewritten whole at every batch. Kept
 * per segment they were 3 times the writes at ingest and 16 times the rows to read.
 * @param {string} site @param {SessionState} state @param {Contributions} acc @param {1 | -1} sign @param {CampaignNamed} named
 */
export function contribute(site, state, acc, sign, named) {
  const segment = segmentOf(site, state, named);
  const device = enc(state.dv ? state.dv[1] : null);
  const day = part(site) + '\td\t' + Math.floor(state.s / DAY) + '\t';
  const hour = part(site) + '\th\t' + Math.floor(state.s / HOUR) + '\t';
  // The session's rows once, then added under both heads: building keys and counters is most of the cost.
  const rows = rowsOf(state);
  for (const head of [day + segment, hour + segment]) {
    for (let i = 0; i < rows.length; i += 3) {
      const table = acc[/** @type {Exclude<keyof Contributions, 'vitals'>} */ (rows[i])];
      let m = table.get(head);
      if (!m) table.set(head, (m = new Map()));
      add(m, /** @type {string} */ (rows[i + 1]), /** @type {number[]} */ (rows[i + 2]), sign);
    }
  }
  if (state.v.length) {
    /** @type {Array<[string, string]>} */
    const samples = state.v.map(([pageType, name, value]) => [key(pageType, name), bucketOf(value)]);
    for (const head of [day + device, hour + device]) {
      let m = acc.vitals.get(head);
      if (!m) acc.vitals.set(head, (m = new Map()));
      for (const [k, b] of samples) {
        let histogram = m.get(k);
        if (!histogram) m.set(k, (histogram = {}));
        histogram[b] = (histogram[b] ?? 0) + sign;
      }
    }
  }
}

/**
 * The roll-up rows of a session after its segment, flat: table, key (the table's other key columns), counters.
 * Web vitals apart (by device).
 * @param {SessionState} state
 * @returns {Array<string | number[]>}
 */
function rowsOf(state) {
  /** @type {Array<string | number[]>} */
  const rows = ['days', state.st + '\t' + ranksOf(state), [1, state.n]];
  for (const cell in state.c) {
    const c = state.c[cell];
    rows.push('cells', cell, [1, c[0] > 0 ? 1 : 0, ...c]);
  }
  for (const order in state.o) {
    const [, revenue, currency, firstTouchpoint, , lastTouchpoint] = state.o[order];
    const micros = revenue == null ? 0 : Math.round(revenue * MICROS);
    rows.push('orders', key(enc(firstTouchpoint), enc(lastTouchpoint), enc(currency)), [1, micros, revenue == null ? 0 : 1]);
  }
  // Ratings per stage × touchpoint; per stage, '*': the session was frustrated there (bit or: counted once).
  const ratings = state.r;
  if (ratings) for (const cell in ratings) rows.push('feelings', cell, [...ratings[cell], 0]);
  const fr = state.fr ?? 0;
  if (fr) for (let k = 0; k < STAGES.length; k++) if (fr & (1 << k)) rows.push('feelings', STAGES[k] + '\t*', [0, 0, 0, 0, 0, 1]);
  // Frictions with the session's order (0 or 1), for the orders at stake; page speed per page type from its LCPs.
  const ordered = state.st & BIT.order ? 1 : 0;
  const x = state.x;
  if (x) for (const k in x) rows.push('frictions', k, [1, ordered, x[k]]);
  if (state.v.length) for (const [k, values] of pageSpeedOf(state)) rows.push('frictions', k, values);
  const q = state.q;
  if (q) for (const question in q) rows.push('questions', String(part(question)), q[question]);
  if (state.a.length) {
    /** @type {Map<string, number>} */
    const steps = new Map();
    const fields = new Set();
    for (const [step, field, changed] of state.a) {
      if (step == null) continue;
      steps.set(step, (steps.get(step) ?? 0) | changed);
      if (field != null) fields.add(key(step, enc(field)));
    }
    for (const [step, changed] of steps) rows.push('abandons', key(step, '*'), [1, changed]);
    for (const f of fields) rows.push('abandons', f, [1, 0]);
  }
  return rows;
}

/**
 * A session's page speed per page type, as friction roll-up rows: "slow_lcp" or "fast_lcp" (its worst LCP there
 * above `SLOW_LCP_MS` or not), "", page type → [1 session, its order (0 or 1), LCP samples]. Once per session, for
 * both grains.
 * @param {SessionState} state
 * @returns {Array<[string, number[]]>}
 */
function pageSpeedOf(state) {
  /** @type {Map<string, [number, number]>} page type → worst LCP, samples */
  const lcp = new Map();
  for (const [pageType, name, value] of state.v) {
    if (name != 'LCP') continue;
    const m = lcp.get(pageType);
    if (m) (m[0] = Math.max(m[0], value)), m[1]++;
    else lcp.set(pageType, [value, 1]);
  }
  const ordered = state.st & BIT.order ? 1 : 0;
  return [...lcp].map(([pageType, [worst, samples]]) => [key(worst > SLOW_LCP_MS ? 'slow_lcp' : 'fast_lcp', '', pageType), [1, ordered, samples]]);
}

/**
 * A roll-up key: its parts joined with a tab, a tab inside a part (from an event's text) read as a space.
 * @param {...(string | number)} parts
 */
const key = (...parts) => {
  let out = '';
  for (let i = 0; i < parts.length; i++) out += (i ? '\t' : '') + (parts[i] == null ? '' : part(parts[i])); // as Array.join
  return out;
};
/** One part of a roll-up key: a tab inside read as a space. @param {string | number} p */
const part = (p) => (typeof p == 'string' && p.includes('\t') ? p.replaceAll('\t', ' ') : p);

/**
 * Roll-up rows by table: head (site, grain, period, then the segment, or the device for web vitals, joined with
 * \t) → the rest of the key → counters (a histogram for web vitals). Keyed in two steps: a session's rows share
 * their head, hashed once.
 * @typedef {{ days: Map<string, Map<string, number[]>>, cells: Map<string, Map<string, number[]>>, vitals: Map<string, Map<string, Record<string, number>>>,
 *   orders: Map<string, Map<string, number[]>>, abandons: Map<string, Map<string, number[]>>, feelings: Map<string, Map<string, number[]>>,
 *   frictions: Map<string, Map<string, number[]>>, questions: Map<string, Map<string, number[]>> }} Contributions
 */
/** @returns {Contributions} */
export const emptyContributions = () => ({ days: new Map(), cells: new Map(), vitals: new Map(), orders: new Map(), abandons: new Map(), feelings: new Map(), frictions: new Map(), questions: new Map() });

/** @param {Map<string, number[]>} table @param {string} key @param {number[]} values @param {number} sign */
function add(table, key, values, sign) {
  const row = table.get(key);
  if (!row) table.set(key, values.map((v) => v * sign));
  else for (let i = 0; i < values.length; i++) row[i] += values[i] * sign;
}
