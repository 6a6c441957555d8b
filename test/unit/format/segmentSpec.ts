/**
 * The Segment HTTP Tracking API's rules, written from its published documentation (HTTP API source: "Batch",
 * "Max request size"; Spec: "Common Fields", "Page", "Track", "Identify"; "Spec: V2 Ecommerce Events"), as an
 * oracle for what parcours sends. Not a copy of any library: each rule cites the sentence it comes from.
 */

/** "There is a maximum of 500KB per batch request and 32KB per call." */
export const BATCH_LIMIT_BYTES = 500 * 1024;
export const MESSAGE_LIMIT_BYTES = 32 * 1024;

/** "An array of Identify, Group, Track, Page and Screen method calls. Each call must have a type property with a valid method name." */
const METHODS = ['identify', 'group', 'track', 'page', 'screen', 'alias'];

/** The event names of "Spec: V2 Ecommerce Events", in its order. */
export const ECOMMERCE_EVENTS = [
  'Products Searched',
  'Product List Viewed',
  'Product List Filtered',
  'Promotion Viewed',
  'Promotion Clicked',
  'Product Clicked',
  'Product Viewed',
  'Product Added',
  'Product Removed',
  'Cart Viewed',
  'Checkout Started',
  'Checkout Step Viewed',
  'Checkout Step Completed',
  'Payment Info Entered',
  'Order Completed',
  'Order Updated',
  'Order Refunded',
  'Order Cancelled',
  'Coupon Entered',
  'Coupon Applied',
  'Coupon Denied',
  'Coupon Removed',
  'Product Added to Wishlist',
  'Product Removed from Wishlist',
  'Wishlist Product Added to Cart',
  'Product Shared',
  'Cart Shared',
  'Product Reviewed',
];

type Kind = 'string' | 'number' | 'products' | 'string|object';
/** The e-commerce spec's semantic properties and their types (one meaning per name across its events). */
const SEMANTIC: Record<string, Kind> = {
  query: 'string|object',
  list_id: 'string',
  category: 'string',
  products: 'products',
  product_id: 'string',
  sku: 'string',
  name: 'string',
  brand: 'string',
  variant: 'string',
  price: 'number',
  quantity: 'number',
  coupon: 'string',
  currency: 'string',
  position: 'number',
  value: 'number',
  url: 'string',
  image_url: 'string',
  cart_id: 'string',
  order_id: 'string',
  checkout_id: 'string',
  affiliation: 'string',
  subtotal: 'number',
  total: 'number',
  revenue: 'number',
  shipping: 'number',
  tax: 'number',
  discount: 'number',
  step: 'number',
  shipping_method: 'string',
  payment_method: 'string',
  coupon_id: 'string',
  coupon_name: 'string',
  review_id: 'string',
  review_body: 'string',
  rating: 'string',
  share_via: 'string',
  share_message: 'string',
  recipient: 'string',
};
/** "products.$.product_id, products.$.sku, …": the fields of a product inside `products`. */
const PRODUCT_FIELDS = ['product_id', 'sku', 'category', 'name', 'brand', 'variant', 'price', 'quantity', 'coupon', 'position', 'url', 'image_url'];

/** Page: "Reserved properties Segment has standardized" (all strings but keywords). Context page: path, referrer, search, title, url. */
const PAGE_RESERVED = ['name', 'path', 'referrer', 'search', 'title', 'url'];

/** "All timestamps are ISO-8601 date strings." A time zone is required to be unambiguous. */
export const isIso8601 = (v: unknown) =>
  typeof v == 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(v) && !isNaN(Date.parse(v));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v == 'object' && v !== null && !Array.isArray(v);
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

const kindProblem = (v: unknown, kind: Kind): boolean =>
  kind == 'products'
    ? !Array.isArray(v) || v.some((p) => !isObject(p) || PRODUCT_FIELDS.some((f) => f in p && kindProblem(p[f], SEMANTIC[f])))
    : kind == 'string|object'
      ? typeof v != 'string' && !isObject(v)
      : typeof v != kind || (kind == 'number' && !Number.isFinite(v));

/** Every rule one message of a batch breaks, each as `<path> <problem>`. */
export function messageProblems(m: unknown, at = 'message'): string[] {
  if (!isObject(m)) return [at + ' is not an object'];
  const problems: string[] = [];
  const fail = (path: string, problem: string) => problems.push(at + path + ' ' + problem);
  if (!METHODS.includes(m.type as string)) fail('.type', 'is not a valid method name');
  // "A userId or an anonymousId is required."
  const id = (v: unknown) => typeof v == 'string' && v.length > 0;
  if (!id(m.userId) && !id(m.anonymousId)) fail('', 'has neither a userId nor an anonymousId');
  for (const k of ['userId', 'anonymousId']) if (m[k] != null && typeof m[k] != 'string') fail('.' + k, 'is not a string');
  // "messageId: Automatically collected by Segment, a unique identifier for each message" (a string).
  if (m.messageId !== undefined && !id(m.messageId)) fail('.messageId', 'is not a non-empty string');
  if (m.timestamp !== undefined && !isIso8601(m.timestamp)) fail('.timestamp', 'is not an ISO 8601 date');
  if (m.context !== undefined) {
    if (!isObject(m.context)) fail('.context', 'is not an object');
    else {
      const { library, page } = m.context;
      // "library: Dictionary of information about the library making the requests to the API, containing name and version."
      if (library !== undefined && !(isObject(library) && typeof library.name == 'string' && typeof library.version == 'string'))
        fail('.context.library', 'lacks a name and version');
      if (page !== undefined && !(isObject(page) && PAGE_RESERVED.every((f) => !(f in page) || typeof page[f] == 'string')))
        fail('.context.page', 'has a reserved field that is not a string');
    }
  }
  if (m.type == 'track') {
    // Track: "event: Name of the action that a user has performed" (required).
    if (typeof m.event != 'string' || !m.event) fail('.event', 'is missing');
  }
  for (const k of ['properties', 'traits']) if (m[k] !== undefined && !isObject(m[k])) fail('.' + k, 'is not an object');
  if (m.type == 'page' && isObject(m.properties)) {
    for (const f of PAGE_RESERVED) if (f in m.properties && typeof m.properties[f] != 'string') fail('.properties.' + f, 'is reserved for a string');
    if (m.name !== undefined && typeof m.name != 'string') fail('.name', 'is not a string');
  }
  if (m.type == 'track' && ECOMMERCE_EVENTS.includes(m.event as string) && isObject(m.properties)) {
    // "You should only use reserved properties for their intended meaning": semantic properties have their types.
    for (const [k, v] of Object.entries(m.properties)) if (k in SEMANTIC && kindProblem(v, SEMANTIC[k])) fail('.properties.' + k, 'is not ' + SEMANTIC[k]);
  }
  if (bytes(m) > MESSAGE_LIMIT_BYTES) fail('', 'is over 32 KB');
  return problems;
}

/** Every rule a `/v1/batch` request body breaks; empty when the Segment HTTP API accepts it. */
export function batchProblems(body: unknown): string[] {
  if (!isObject(body)) return ['body is not an object'];
  if (!Array.isArray(body.batch)) return ['batch is not an array'];
  const problems = body.batch.flatMap((m, i) => messageProblems(m, `batch[${i}]`));
  if (body.context !== undefined && !isObject(body.context)) problems.push('context is not an object');
  if (body.sentAt !== undefined && !isIso8601(body.sentAt)) problems.push('sentAt is not an ISO 8601 date');
  if (bytes(body) > BATCH_LIMIT_BYTES) problems.push('batch is over 500 KB');
  return problems;
}
