/**
 * Shopify's checkout, through a custom pixel (Settings → Customer events). Shopify runs pixels in a sandbox (an
 * iframe on another origin for custom pixels, a web worker for app pixels) without the shop's DOM, and hands
 * them `analytics` (the standard customer events), `browser` (the top frame's cookie, localStorage and
 * sessionStorage, asynchronously), `init` (the page at load, with `customerPrivacy`) and `customerPrivacy`
 * (consent changes). This maps Shopify's standard events to parcours events, tags them with stage and
 * touchpoint, and sends them in the parcours wire format with keepalive fetch, in small batches, from memory.
 *
 * No IndexedDB queue: the sandbox is torn down with its page, and what has not been handed to fetch by then is
 * lost (a keepalive request already sent outlives the page). Sends happen within `FLUSH_MS` of an event.
 */
import type { Json, PageType, ParcoursEvent, Product } from '../types';
import { createLog, type Log } from '../lib/log';
import { parse, stringify } from '../lib/json';
import { toProperties } from '../lib/jsonSafe';
import type { KeyValue } from '../lib/storage';
import { uuid } from '../lib/uuid';
import { SESSION_TIMEOUT_MS } from '../identity';
import { urlPage } from '../detect/url';
import { tagEvent } from '../journey/stage';
import { readTouches, TOUCH_KEY } from '../journey/attribution';
import { CUSTOMER_KEY, currentLifecycle, markCustomer } from '../journey/lifecycle';
import { DEFAULT_STRIP_PARAMS, redactEvent } from '../privacy/redact';
import { parcoursFormat } from '../format/parcours';
import { ORDERS_KEY, rememberOrder } from './dedup';
import { num, str } from './values';

/** Options of `parcoursPixel`. */
export interface PixelOptions {
  /** Collector URL, absolute: `https:` (or `http://localhost`, `http://127.0.0.1`). */
  endpoint: string;
  site?: string;
  debug?: boolean;
  /** Events per request at most (1–50, default 10). */
  batchSize?: number;
  /** Also send storefront events (page, product, collection, search, cart). Default true; set false when the theme
   *  has the parcours script tag, which records those itself. */
  storefront?: boolean;
  /** No persistent identifier: `anonymousId` null, no `shopify_client_id`, nothing read from or written to storage. */
  anonymous?: boolean;
}

/** What Shopify's sandbox provides (globals in a custom pixel; the `register` callback's `api` in an app pixel). */
export interface Sandbox {
  analytics: { subscribe(name: string, callback: (event: any) => void): unknown };
  browser?: { localStorage?: { getItem(key: string): Promise<string | null>; setItem(key: string, value: string): Promise<unknown> } };
  init?: { context?: any; customerPrivacy?: { analyticsProcessingAllowed?: boolean } };
  customerPrivacy?: { subscribe(name: string, callback: (event: any) => void): unknown };
}

/** Milliseconds between an event and its send: short, since the sandbox can go at any moment. */
export const FLUSH_MS = 200;
/** Storage reads wait at most this long; then the pixel goes on with what it has. */
export const STORAGE_WAIT_MS = 1_000;
/** Events (or, before consent, Shopify events) kept in memory at most. */
export const MAX_HELD = 200;
/** Sends of one batch at most (network errors, 5xx, 408, 429), 1 s, 2 s, 4 s apart. */
const ATTEMPTS = 4;
const MAX_BODY = 60_000;
/** parcours keys read from the shop's localStorage: the storefront tracker's ids, touches, lifecycle, orders. */
const KEYS = ['parcours:aid', 'parcours:uid', 'parcours:sid', TOUCH_KEY, CUSTOMER_KEY, ORDERS_KEY];

type Raw = Record<string, any>;
type Emit = [type: string, properties: object];

/** `gid://shopify/Product/123` → `123`, the id themes and detection use. */
const gid = (v: unknown) => str(v)?.replace(/^gid:\/\/shopify\/\w+\//, '');
const money = (m: Raw | undefined) => num(m?.amount);

/** A product variant (with its product) as a parcours Product, the fields detection reads on Shopify themes. */
const product = (v: Raw | undefined, quantity?: unknown, title?: unknown): Product => ({
  id: gid(v?.product?.id),
  sku: str(v?.sku),
  name: str(v?.product?.title ?? title ?? v?.title),
  brand: str(v?.product?.vendor),
  variant: gid(v?.id),
  price: money(v?.price),
  currency: str(v?.price?.currencyCode),
  quantity: num(quantity),
  category: str(v?.product?.type),
});
const list = <T>(items: unknown, fn: (x: Raw) => T): T[] => (Array.isArray(items) ? items.slice(0, 20).map((x) => fn(x)) : []);
const line = (l: Raw) => product(l?.merchandise ?? l?.variant, l?.quantity, l?.title); // cart line, checkout line item

const order = (c: Raw) => ({
  id: gid(c.order?.id) ?? str(c.token),
  revenue: money(c.totalPrice),
  tax: money(c.totalTax),
  shipping: money(c.shippingLine?.price),
  currency: str(c.currencyCode ?? c.totalPrice?.currencyCode),
  coupon: str(list(c.discountApplications, (d) => (d?.type == 'DISCOUNT_CODE' ? d.title : '')).filter(Boolean).join(',')),
  discount: money(c.discountsAmount),
  items: list(c.lineItems, line),
});

/** Alert types about one field (`form_error`); the others are about the checkout as a whole (`checkout_error`). */
const FIELD_ALERTS = ['INPUT_INVALID', 'INPUT_REQUIRED'];

/**
 * Shopify standard event → parcours events. `done(key)` is true the first time a step of this checkout (or an
 * order) is seen, so Shopify's contact and address submissions are one completed `contact` step.
 */
export const PIXEL_EVENTS: Readonly<Record<string, (d: Raw, done: (key: string) => boolean) => Emit[]>> = {
  page_viewed: () => [['page_viewed', {}]],
  collection_viewed: ({ collection: c }) => [
    ['product_list_viewed', { list_id: gid(c?.id) ?? null, list_name: str(c?.title) ?? null, items: list(c?.productVariants, product), count: c?.productVariants?.length ?? 0 }],
  ],
  search_submitted: ({ searchResult: r }) => [['search_submitted', { query: str(r?.query) ?? null, results: r?.productVariants?.length ?? null }]],
  product_viewed: (d) => [['product_viewed', product(d.productVariant)]],
  product_added_to_cart: (d) => [['product_added_to_cart', line(d.cartLine)]],
  product_removed_from_cart: (d) => [['product_removed_from_cart', line(d.cartLine)]],
  cart_viewed: ({ cart }) => [
    ['cart_viewed', { items: list(cart?.lines, line), total: money(cart?.cost?.totalAmount), currency: str(cart?.cost?.totalAmount?.currencyCode), itemCount: num(cart?.totalQuantity) }],
  ],
  checkout_started: ({ checkout: c }) => [['checkout_started', { step: 'contact', total: money(c?.totalPrice), currency: str(c?.currencyCode) }]],
  // Shopify's information step takes contact and address together: parcours' `contact` step.
  checkout_contact_info_submitted: (d, done) => step(d, done, 'contact'),
  checkout_address_info_submitted: (d, done) => step(d, done, 'contact'),
  checkout_shipping_info_submitted: (d, done) => step(d, done, 'shipping'),
  payment_info_submitted: (d, done) => (done(token(d) + ':paid') ? [['payment_info_submitted', { step: 'payment' }]] : []),
  checkout_completed: (d, done) => {
    const o = order(d.checkout || {});
    return o.id && done('order:' + o.id) ? [...step(d, done, 'payment'), ['order_completed', o]] : [];
  },
  // Which field or part of the checkout failed, never the message or the value typed.
  alert_displayed: ({ alert: a }) => {
    const reason = str(a?.type)?.toLowerCase() || 'unknown';
    return [FIELD_ALERTS.includes(a?.type) ? ['form_error', { field: str(a?.target) ?? '', field_type: '', form: 'checkout', reason }] : ['checkout_error', { reason, target: str(a?.target) ?? null }]];
  },
};
const token = (d: Raw) => str(d.checkout?.token) ?? '';
const step = (d: Raw, done: (key: string) => boolean, name: string): Emit[] => (done(token(d) + ':' + name) ? [['checkout_step_completed', { step: name }]] : []);

/** Page types of Shopify's events; others (page views) take the URL's. */
const EVENT_PAGES: Record<string, PageType> = {
  product_viewed: 'product',
  collection_viewed: 'collection',
  search_submitted: 'search',
  cart_viewed: 'cart',
  checkout_completed: 'order_confirmation',
};
const CHECKOUT_PAGES: unknown[] = ['checkout', 'order_confirmation'];
const pageTypeOf = (name: string, href: string): PageType => {
  if (EVENT_PAGES[name]) return EVENT_PAGES[name];
  if (/^(checkout_|payment_|alert_)/.test(name)) return 'checkout';
  try {
    return urlPage(new URL(href)) || 'other';
  } catch {
    return 'other';
  }
};

const allowedBy = (privacy: unknown) => (privacy as Raw | undefined)?.analyticsProcessingAllowed;

/**
 * Starts the pixel: subscribes to Shopify's standard events and sends them to `endpoint`. Never throws; returns
 * `flush()` (sends what waits; resolves when done or given up). `sandbox` defaults to the custom pixel's globals.
 */
export const parcoursPixel = (options: PixelOptions, sandbox?: Sandbox): { flush(): Promise<void> } => {
  let log: Log = () => {};
  const handle = { flush: async () => {} };
  try {
    const g = globalThis as Raw;
    const o = options || ({} as PixelOptions);
    log = createLog(o.debug);
    const { analytics, browser, init, customerPrivacy } = sandbox || (g as Sandbox);
    const endpoint = str(o.endpoint) && new URL(o.endpoint);
    if (!endpoint || !(endpoint.protocol == 'https:' || /^(localhost|127\.0\.0\.1)$/.test(endpoint.hostname))) {
      log('pixel: endpoint must be an absolute https: URL; nothing will be sent');
      return handle;
    }
    if (typeof analytics?.subscribe != 'function') {
      log('pixel: no analytics.subscribe; not in a Shopify pixel sandbox');
      return handle;
    }
    const site = str(o.site) ?? null;
    const batchSize = (num(o.batchSize)! >= 1 && num(o.batchSize)! <= 50 && Math.floor(o.batchSize!)) || 10;
    const storefront = o.storefront !== false;
    const anonymous = !!o.anonymous;
    // Shopify's consent: no answer at all (older shops) counts as allowed; the pixel's own permission setting
    // in the admin decides whether it loads at all.
    let allowed = allowedBy(init?.customerPrivacy) !== false;
    const held: Raw[] = []; // Shopify events waiting for consent
    const queue: { e: ParcoursEvent; tries: number }[] = [];
    const seen = new Set<string>();
    const done = (key: string) => !seen.has(key) && !!seen.add(key);

    // The shop's parcours keys, read once (with consent), kept in memory, written through.
    const memory = new Map<string, string>();
    const local = anonymous ? undefined : browser?.localStorage;
    const write = (key: string, value: string) => {
      try {
        if (allowed) Promise.resolve(local?.setItem(key, value)).catch(() => {});
      } catch {}
    };
    const store: KeyValue = {
      get: (key) => memory.get(key) ?? null,
      set: (key, value) => void (memory.set(key, value), write(key, value)),
      del: (key) => void memory.delete(key),
      sync() {},
      clear: () => memory.clear(),
    };
    let loaded: Promise<unknown> | undefined;
    const load = () =>
      (loaded ||= Promise.race([
        Promise.all(KEYS.map((key) => Promise.resolve().then(() => local?.getItem(key)).then((v) => typeof v == 'string' && memory.set(key, v), () => {}))),
        new Promise((r) => setTimeout(r, STORAGE_WAIT_MS)),
      ]));

    const session = (ts: number) => {
      const s = parse(store.get('parcours:sid')) as { id?: unknown; last?: number } | undefined;
      const id = typeof s?.id == 'string' && ts - (s.last as number) < SESSION_TIMEOUT_MS ? s.id : uuid();
      store.set('parcours:sid', stringify({ id, last: Math.max(ts, (id == s?.id && s?.last) || 0) })!);
      return id;
    };

    const build = (name: string, type: string, properties: object, ev: Raw): ParcoursEvent | undefined => {
      const doc: Raw = ev.context?.document || init?.context?.document || {};
      const url = str(doc.location?.href) ?? '';
      const pageType = pageTypeOf(name, url);
      if (!storefront && !CHECKOUT_PAGES.includes(pageType)) return;
      const ts = Date.parse(ev.timestamp) || Date.now();
      const clientId = str(ev.clientId);
      const props = toProperties(properties);
      if (clientId && !anonymous) props.shopify_client_id = clientId;
      const sessionId = session(ts);
      const lifecycle = currentLifecycle(store, sessionId, ts);
      const event: ParcoursEvent = {
        id: uuid(),
        type,
        ts,
        sessionId,
        anonymousId: anonymous ? null : store.get('parcours:aid') || clientId || null,
        userId: store.get('parcours:uid'),
        page: { url, path: str(doc.location?.pathname) ?? '', title: str(doc.title) ?? '', referrer: str(doc.referrer) ?? '' },
        properties: props,
        ...tagEvent({ type, pageType, properties: props, lifecycle, isEntry: false, path: str(doc.location?.pathname) }, undefined, log),
        pageType,
        lifecycle,
      };
      if (type == 'order_completed') {
        // The storefront's first and last touch, so a checkout order links back to the ad or email that started it.
        const { first, last } = readTouches(store, ts);
        if (first) props.first_touch = { ...first } as Json;
        if (last) props.last_touch = { ...last } as Json;
        markCustomer(store, ts);
      }
      redactEvent(event, DEFAULT_STRIP_PARAMS);
      return event;
    };

    const receive = async (ev: Raw) => {
      try {
        const map = PIXEL_EVENTS[ev?.name];
        if (!map) return;
        if (!allowed) return void (held.length < MAX_HELD ? held.push(ev) : log('pixel: too many events before consent; dropped'));
        if (!anonymous) await load();
        for (const [type, properties] of map(ev.data || {}, (key) => done(key) && (!key.startsWith('order:') || rememberOrder(store, key.slice(6))))) {
          const e = build(ev.name, type, properties, ev);
          if (e && queue.length < MAX_HELD) queue.push({ e, tries: 0 });
        }
        schedule(queue.length >= batchSize ? 0 : FLUSH_MS);
      } catch (error) {
        log('pixel: ' + error);
      }
    };

    let timer: ReturnType<typeof setTimeout> | undefined;
    let sending: Promise<void> | undefined;
    // A send already due is not pushed back by later events: a steady stream still leaves every FLUSH_MS.
    const schedule = (ms: number) => {
      if (timer && ms) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        handle.flush();
      }, ms);
    };
    const post = async (batch: ParcoursEvent[]) => {
      const abort = new AbortController();
      const stop = setTimeout(() => abort.abort(), 10_000);
      try {
        const body = parcoursFormat.body(batch.map((e) => parcoursFormat.item(e)!), Date.now(), site);
        // The sandbox has fetch (keepalive outlives the page); sendBeacon is not guaranteed there.
        const res = await fetch(endpoint.href, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, signal: abort.signal });
        await res.arrayBuffer().catch(() => {}); // Chromium holds the keepalive quota until the answer is read
        return res.status;
      } catch {
        return 0;
      } finally {
        clearTimeout(stop);
      }
    };
    const send = async () => {
      for (let n = batchSize; queue.length && allowed; ) {
        const batch = queue.slice(0, n);
        const bodyBytes = new TextEncoder().encode(stringify(batch.map((x) => x.e)) || '').length;
        if (bodyBytes > MAX_BODY && n > 1) {
          n = Math.ceil(n / 2);
          continue;
        }
        const status = await post(batch.map((x) => x.e));
        const retry = !status || status >= 500 || [408, 429].includes(status);
        if (retry && ++batch[0].tries < ATTEMPTS) {
          log('pixel: send failed (' + (status || 'network') + '); retrying');
          return schedule(1000 * 2 ** (batch[0].tries - 1));
        }
        if (status < 200 || status > 299) log('pixel: collector answered ' + status + '; ' + batch.length + ' events dropped');
        queue.splice(0, batch.length);
        n = batchSize;
      }
    };
    handle.flush = () =>
      (sending ||= send()
        .catch((error) => log('pixel: ' + error))
        .finally(() => (sending = undefined)));

    const consent = (privacy: unknown) => {
      const now = allowedBy(privacy);
      if (typeof now != 'boolean') return;
      allowed = now;
      if (now) held.splice(0).forEach(receive);
      else held.length = queue.length = 0;
    };
    customerPrivacy?.subscribe?.('visitorConsentCollected', (e: Raw) => consent(e?.customerPrivacy));
    for (const name of Object.keys(PIXEL_EVENTS)) analytics.subscribe(name, receive);
  } catch (error) {
    log('pixel: not started: ' + error);
  }
  return handle;
};
