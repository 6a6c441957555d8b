import type { Format } from './types';
import type { Json, ParcoursEvent, Properties } from '../types';
import { stringify } from '../lib/json';

/**
 * parcours event types → event names of Segment's e-commerce spec (v2), which their destinations key on.
 * Types not listed travel under their own name. The reference collector reads names back with the inverse.
 */
export const SEGMENT_EVENT_NAMES: Readonly<Record<string, string>> = {
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
};

/** Segment's limit per message (32 KB, counted in thousands to be safe); a larger event is dropped as `too_large`. */
export const SEGMENT_MAX_MESSAGE_BYTES = 32_000;

/** Checkout steps in order: Segment numbers them (`step: 1`…), parcours names them. */
const STEPS: Json[] = ['contact', 'shipping', 'payment', 'review'];

/**
 * What an e-commerce event is about, by the first words of its Segment name: the event's own `id` is that
 * thing's (`product_id`, …) and a `product`/`order`/`cart`/`list` object in its properties is flattened into them.
 */
const SUBJECTS: Record<string, string> = {
  'Product List': 'list',
  Product: 'product',
  Wishlist: 'product',
  Order: 'order',
  Cart: 'cart',
  'Checkout Started': 'cart',
};
const SUBJECT = /^(Product List|Product|Wishlist|Order|Cart|Checkout Started)\b/; // the keys above, longest first

const isObject = (v: unknown): v is Properties => !!v && typeof v == 'object' && !Array.isArray(v);
const num = (v: Json | undefined) => (typeof v == 'number' ? v : 0);

/** parcours properties → Segment's property names (product_id, products, order_id, step number, total…). */
const convert = (o: Properties, subject?: string): Properties => {
  const inner = subject && o[subject];
  // JSON leaves out the `undefined` that takes the nested object's place.
  if (isObject(inner)) o = { ...o, ...inner, [subject!]: undefined! };
  const out: Properties = {};
  for (const k in o) {
    const v = o[k];
    if (k == 'id' && subject) out[subject + '_id'] = v;
    else if (k == 'items' && Array.isArray(v))
      out.products = v.map((p) => (isObject(p) ? convert(p, 'product') : p));
    else if (k == 'step' && STEPS.includes(v)) (out.step = STEPS.indexOf(v) + 1), (out.step_name = v);
    else if (k == 'name' && subject == 'list') out.category = v;
    else if (k == 'total' && subject == 'cart') out.value = v;
    else out[k] = v;
  }
  // parcours' order revenue is what the customer paid: Segment's `total`; its `revenue` excludes tax and shipping.
  if (subject == 'order' && typeof o.revenue == 'number') {
    out.total = o.revenue;
    out.revenue = Math.round((o.revenue - num(o.tax) - num(o.shipping)) * 100) / 100;
  }
  return out;
};

/** One parcours event as a Segment message (track, page or identify). */
const message = (e: ParcoursEvent) => {
  const { page, properties } = e;
  const search = page.url.replace(/^[^?#]*|#.*/g, '');
  // Journey tags and the session travel together: in the properties, where destinations and warehouses see them.
  const { sessionId, stage, touchpoint, pageType, lifecycle } = e;
  const parcours = { sessionId, stage, touchpoint, pageType, lifecycle };
  // The version is kept equal to package.json's by a unit test.
  const context: Record<string, unknown> = { page: { ...page, search }, library: { name: 'parcours', version: '0.1.0' } };
  const mapped = SEGMENT_EVENT_NAMES[e.type]; // a type such as "toString" finds Object's own members
  const name = typeof mapped == 'string' ? mapped : e.type;
  return {
    type: e.type == 'page_viewed' ? 'page' : e.type == 'identify' ? 'identify' : 'track',
    messageId: e.id,
    timestamp: new Date(e.ts).toISOString(),
    // Segment needs an anonymousId or a userId: in anonymous mode the session id stands in (it rotates).
    anonymousId: e.anonymousId || e.sessionId,
    userId: e.userId,
    ...(e.type == 'identify'
      ? // Traits describe the user, not the event: the tags go to the context.
        { traits: properties, context: { ...context, parcours } }
      : e.type == 'page_viewed'
        ? { name: page.title || undefined, properties: { ...convert(properties), ...page, search, parcours }, context }
        : {
            event: name,
            properties: { ...convert(properties, SUBJECTS[SUBJECT.exec(name)?.[1] ?? '']), parcours },
            context,
          }),
  };
};

/**
 * The Segment HTTP Tracking API batch format (`POST /v1/batch`), also spoken by RudderStack, Jitsu and others:
 * `{ batch: [message…], sentAt, context: { parcours: { site } } }` (a batch's context merges into each message's).
 * With a `writeKey`, requests carry it as HTTP Basic auth with a JSON content type, so at unload they go by
 * keepalive fetch (sendBeacon cannot set headers) and a cross-origin endpoint is asked a CORS preflight first.
 * Without one (a first-party proxy adds it), bodies go as text/plain: no preflight, and sendBeacon at unload.
 */
export const segmentFormat = (options?: { writeKey?: string }): Format => {
  const key = options?.writeKey;
  return {
    item(e) {
      try {
        return stringify(message(e));
      } catch {} // an event without a valid date: reported as unfit by the sender
    },
    body: (items, sentAt, site) =>
      '{"batch":[' + items + '],"sentAt":"' + new Date(sentAt).toISOString() + '"' +
      (site ? ',"context":{"parcours":{"site":' + stringify(site) + '}}' : '') + '}',
    maxItemBytes: SEGMENT_MAX_MESSAGE_BYTES,
    // btoa takes Latin-1 only: encode the key as UTF-8 bytes first.
    headers:
      typeof key == 'string' && key
        ? {
            Authorization: 'Basic ' + btoa(String.fromCharCode(...new TextEncoder().encode(key + ':'))),
            'Content-Type': 'application/json',
          }
        : undefined,
  };
};
