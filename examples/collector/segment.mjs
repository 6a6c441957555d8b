// @ts-check
/**
 * POST /v1/batch: the Segment HTTP Tracking API batch format, as parcours' `segmentFormat` sends it (Segment's own
 * libraries and RudderStack's speak it too). Messages are checked against the spec's rules, turned back into
 * parcours events and stored in the same table as POST /collect, so GET /events and the journey pages see both
 * formats the same. Events are deduplicated by `messageId`, which is the parcours event id.
 */
import { insertEvents } from './db.mjs';
import { batchProblem } from './validate.mjs';

/** Limits of the Segment HTTP API: a batch request and one message in it, in bytes. */
export const SEGMENT_LIMITS = Object.freeze({ batchBytes: 500 * 1024, messageBytes: 32 * 1024 });

/** Message types this collector stores: the three parcours sends. */
const TYPES = ['track', 'page', 'identify'];

/** Body types accepted, as on /collect: Segment's browser library sends text/plain (no preflight), servers JSON. */
const BODY_TYPES = /^(|text\/plain|application\/json|application\/[\w.-]+\+json)$/;

/** ISO 8601 date-time, as the spec requires for `timestamp` (a time zone is required: the time must be absolute). */
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/**
 * The SDK's table (src/format/segment.ts `SEGMENT_EVENT_NAMES`), repeated here because the collector runs plain
 * Node without a TypeScript step; a unit test keeps the two equal.
 * @type {Readonly<Record<string, string>>}
 */
export const SEGMENT_EVENT_NAMES = Object.freeze({
  search_submitted: 'Products Searched',
  product_list_viewed: 'Product List Viewed',
  product_list_filtered: 'Product List Filtered',
  promotion_viewed: 'Promotion Viewed',
  promotion_clicked: 'Promotion Clicked',
  product_clicked: 'Product Clicked',
  product_viewed: 'Product Viewed',
  product_added_to_cart: 'Product Added',
  product_removed_from_cart: 'Product Removed',
  cart_viewed: 'Cart Viewed',
  checkout_started: 'Checkout Started',
  checkout_step_viewed: 'Checkout Step Viewed',
  checkout_step_completed: 'Checkout Step Completed',
  payment_info_submitted: 'Payment Info Entered',
  order_completed: 'Order Completed',
  order_updated: 'Order Updated',
  order_refunded: 'Order Refunded',
  order_cancelled: 'Order Cancelled',
  coupon_entered: 'Coupon Entered',
  coupon_applied: 'Coupon Applied',
  coupon_denied: 'Coupon Denied',
  coupon_removed: 'Coupon Removed',
  product_added_to_wishlist: 'Product Added to Wishlist',
  product_removed_from_wishlist: 'Product Removed from Wishlist',
  wishlist_product_added_to_cart: 'Wishlist Product Added to Cart',
  share: 'Product Shared',
  cart_shared: 'Cart Shared',
  review_submitted: 'Product Reviewed',
});

/** Segment event name → parcours type; names not listed are kept as they are. */
export const PARCOURS_EVENT_TYPES = Object.freeze(
  /** @type {Record<string, string>} */ (
    Object.fromEntries(Object.entries(SEGMENT_EVENT_NAMES).map(([type, name]) => [name, type]))
  ),
);

/** What an e-commerce event is about, by the first words of its name (as the SDK decides it). */
const SUBJECTS = /** @type {Record<string, string>} */ ({
  'Product List': 'list',
  Product: 'product',
  Wishlist: 'product',
  Order: 'order',
  Cart: 'cart',
  'Checkout Started': 'cart',
});
const SUBJECT = RegExp('^(' + Object.keys(SUBJECTS).join('|') + ')\\b');

/** The fields of each subject in parcours (src/types.ts `Product`, `Order`, `Cart`, a product list), nested again. */
const SUBJECT_FIELDS = /** @type {Record<string, string[]>} */ ({
  product: ['id', 'sku', 'name', 'brand', 'variant', 'price', 'currency', 'quantity', 'category'],
  order: ['id', 'revenue', 'tax', 'shipping', 'currency', 'coupon', 'items'],
  cart: ['id', 'items', 'total', 'currency', 'itemCount'],
  list: ['id', 'name', 'items'],
});

const STEPS = ['contact', 'shipping', 'payment', 'review'];
const TAGS = ['stage', 'touchpoint', 'pageType', 'lifecycle'];

/** @typedef {Record<string, unknown>} Obj */

/** @param {unknown} v @returns {v is Obj} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** @param {unknown} v @param {number} max */
const isText = (v, max) => typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * @typedef {object} SegmentRouteOptions
 * @property {readonly string[]} [writeKeys] when given, a request must carry one of them (HTTP Basic username, or
 *   the body's `writeKey`), else it is answered 401
 */

/**
 * The `/v1/batch` route, for `startCollector` (which adds it with its own `writeKeys` option).
 * @param {SegmentRouteOptions} [options]
 * @returns {import('./server.mjs').Route[]}
 */
export function createSegmentRoutes({ writeKeys = [] } = {}) {
  return [{ method: 'POST', path: '/v1/batch', handler: (req, res, ctx) => batch(req, ctx, writeKeys) }];
}

/** The route without write keys. */
export const segmentRoutes = createSegmentRoutes();

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./server.mjs').RouteContext} ctx
 * @param {readonly string[]} writeKeys
 */
async function batch(req, ctx, writeKeys) {
  const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (!BODY_TYPES.test(type)) return ctx.sendJson(415, { error: `content-type ${type.slice(0, 80)} is not JSON or text` });
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') return ctx.sendJson(415, { error: 'compressed bodies are not accepted' });
  const text = await ctx.readBody(SEGMENT_LIMITS.batchBytes);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return ctx.sendJson(400, { error: 'body is not valid JSON' });
  }
  if (writeKeys.length && !writeKeys.includes(/** @type {string} */ (writeKeyOf(req.headers.authorization, body)))) {
    return ctx.sendJson(401, { error: 'a known write key is required (HTTP Basic username, or "writeKey" in the body)' });
  }
  const converted = toEvents(body);
  if (typeof converted === 'string') return ctx.sendJson(400, { error: converted });
  // Answered only after the transaction committed, as /collect is.
  const { stored, duplicates } = insertEvents(ctx.db, converted.site, converted.events, Date.now());
  ctx.log(`POST /v1/batch ${converted.events.length} messages: ${stored} stored, ${duplicates} duplicates`);
  ctx.sendJson(200, { success: true, stored, duplicates });
}

/**
 * The write key of a request: the username of `Authorization: Basic base64(key:)`, else the body's `writeKey`.
 * @param {string | undefined} header @param {unknown} body
 */
export function writeKeyOf(header, body) {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header || '');
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').replace(/:.*$/s, '');
  return isObject(body) && typeof body.writeKey === 'string' ? body.writeKey : undefined;
}

/**
 * Checks a parsed `/v1/batch` body against the spec's rules and turns its messages into parcours events.
 * @param {unknown} body the result of JSON.parse
 * @returns {string | { site: string | null, events: import('../../src/types').ParcoursEvent[] }} the first problem
 *   as one line (`batch[2].timestamp must be …`), or the site and events to store
 */
export function toEvents(body) {
  if (!isObject(body)) return 'body must be an object';
  if (!Array.isArray(body.batch)) return 'batch must be an array';
  const context = body.context ?? {};
  if (!isObject(context)) return 'context must be an object';
  const tags = context.parcours;
  const site = isObject(tags) && isText(tags.site, 200) ? /** @type {string} */ (tags.site) : null;
  const events = [];
  for (let i = 0; i < body.batch.length; i++) {
    const m = body.batch[i];
    const problem = messageProblem(m);
    if (problem) return `batch[${i}]${problem}`;
    const event = toEvent(/** @type {Obj} */ (m));
    // The same strict check as /collect, so a stored row is a well-formed parcours event whatever its format.
    const invalid = batchProblem({ sentAt: 0, site, events: [event] });
    if (invalid) return `batch[${i}] is not storable: ${invalid.replace('events[0].', '')}`;
    events.push(event);
  }
  return { site, events };
}

/**
 * The spec's rules for one message, as ' <problem>' after its path, or ''.
 * @param {unknown} m
 */
function messageProblem(m) {
  if (!isObject(m)) return ' must be an object';
  if (!TYPES.includes(/** @type {string} */ (m.type))) return `.type must be one of ${TYPES.join(', ')}`;
  if (!isText(m.messageId, 100)) return '.messageId must be a string of 1..100 characters';
  for (const id of ['anonymousId', 'userId']) {
    if (m[id] != null && !isText(m[id], 256)) return `.${id} must be null or a string of 1..256 characters`;
  }
  if (m.anonymousId == null && m.userId == null) return ' needs an anonymousId or a userId';
  if (typeof m.timestamp !== 'string' || !ISO_8601.test(m.timestamp) || !Number.isFinite(Date.parse(m.timestamp))) {
    return '.timestamp must be an ISO 8601 date-time with a time zone';
  }
  if (m.type === 'track' && !isText(m.event, 100)) return '.event must be a string of 1..100 characters';
  for (const key of ['properties', 'traits', 'context']) {
    if (m[key] !== undefined && !isObject(m[key])) return `.${key} must be an object`;
  }
  const limit = SEGMENT_LIMITS.messageBytes;
  if (Buffer.byteLength(JSON.stringify(m)) > limit) return ` is larger than ${limit} bytes`;
  return '';
}

/**
 * One valid message as the parcours event it was made from (see src/format/segment.ts for the other direction).
 * @param {Obj} m
 * @returns {import('../../src/types').ParcoursEvent}
 */
function toEvent(m) {
  const context = /** @type {Obj} */ (m.context ?? {});
  const properties = /** @type {Obj} */ (m.properties ?? {});
  const tags = /** @type {Obj} */ ([properties.parcours, context.parcours].find(isObject) ?? {});
  const pageSource = /** @type {Obj} */ ([context.page, m.type === 'page' ? properties : undefined].find(isObject) ?? {});
  const text = (/** @type {string} */ f) => (typeof pageSource[f] === 'string' ? /** @type {string} */ (pageSource[f]) : '');
  const page = { url: text('url'), path: text('path'), title: text('title'), referrer: text('referrer') };
  const anonymousId = /** @type {string | null} */ (m.anonymousId ?? null);
  const userId = /** @type {string | null} */ (m.userId ?? null);
  // Messages of other libraries have no session: their anonymous (or user) id groups them instead.
  const sessionId = /** @type {string} */ (isText(tags.sessionId, 256) ? tags.sessionId : anonymousId ?? userId);
  /** @type {Obj} */
  const event = {
    id: m.messageId,
    type: m.type === 'page' ? 'page_viewed' : m.type === 'identify' ? 'identify' : typeOf(/** @type {string} */ (m.event)),
    ts: Date.parse(/** @type {string} */ (m.timestamp)),
    sessionId,
    // In anonymous mode the SDK sends the session id as anonymousId: that browser had none.
    anonymousId: anonymousId === tags.sessionId ? null : anonymousId,
    userId,
    page,
    properties:
      m.type === 'identify'
        ? m.traits ?? {}
        : fromSegment(withoutPage(properties, m.type === 'page' ? page : null), subjectOf(m)),
  };
  for (const tag of TAGS) if (typeof tags[tag] === 'string') event[tag] = tags[tag];
  return /** @type {import('../../src/types').ParcoursEvent} */ (/** @type {unknown} */ (event));
}

/**
 * The parcours type of a Segment event name (`Object.hasOwn`: a name such as "constructor" is not in the table).
 * @param {string} name
 */
const typeOf = (name) => (Object.hasOwn(PARCOURS_EVENT_TYPES, name) ? PARCOURS_EVENT_TYPES[name] : name);

/** @param {Obj} m */
const subjectOf = (m) => (m.type === 'track' ? SUBJECTS[SUBJECT.exec(/** @type {string} */ (m.event))?.[1] ?? ''] : undefined);

/**
 * Properties without the parcours block and, on a page message, without the page fields the SDK copied in.
 * @param {Obj} properties @param {import('../../src/types').PageContext | null} page
 */
function withoutPage(properties, page) {
  const search = page ? page.url.replace(/^[^?#]*|#.*/g, '') : undefined;
  const copied = /** @type {Obj} */ ({ ...page, search });
  const kept = Object.entries(properties).filter(([k, v]) => k !== 'parcours' && !(page && k in copied && copied[k] === v));
  return Object.fromEntries(kept);
}

/**
 * Segment e-commerce properties → parcours': renamed back, and the subject's fields nested again under its name
 * (`product`, `order`, `cart`, `list`), the shapes of src/types.ts.
 * @param {Obj} p @param {string} [subject]
 * @returns {Obj}
 */
function fromSegment(p, subject) {
  const out = renamed(p, subject);
  if (!subject) return out;
  const fields = SUBJECT_FIELDS[subject];
  const inner = Object.entries(out).filter(([k]) => fields.includes(k));
  if (!inner.length) return out;
  const rest = Object.entries(out).filter(([k]) => !fields.includes(k));
  return { ...Object.fromEntries(rest), [subject]: Object.fromEntries(inner) };
}

/**
 * Segment's property names → parcours' (the inverse of `convert` in src/format/segment.ts).
 * @param {Obj} p @param {string} [subject]
 * @returns {Obj}
 */
function renamed(p, subject) {
  /** @type {Obj} */
  const out = {};
  const named = typeof p.step_name === 'string' && STEPS.includes(p.step_name);
  for (const [k, v] of Object.entries(p)) {
    if (subject && k === subject + '_id') out.id = v;
    else if (k === 'products' && Array.isArray(v)) out.items = v.map((x) => (isObject(x) ? renamed(x, 'product') : x));
    else if (k === 'step_name' && named) out.step = v;
    else if (k === 'step' && named) continue; // the number Segment wants; the name says it
    else if (k === 'category' && subject === 'list') out.name = v;
    else if (k === 'value' && subject === 'cart') out.total = v;
    else if (k === 'total' && subject === 'order') out.revenue = v;
    else if (k === 'revenue' && subject === 'order' && 'total' in p) continue; // derived from total, tax and shipping
    else out[k] = v;
  }
  return out;
}
