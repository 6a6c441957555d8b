/**
 * The ecommerce a shop already reports to Google, read as parcours events: `window.dataLayer` entries in GA4
 * shape (`dataLayer.push({ event: 'add_to_cart', ecommerce: { items } })`, `gtag('event', 'add_to_cart', {…})`)
 * and in the older Universal Analytics enhanced-ecommerce shape many plugins still push
 * (`{ ecommerce: { add: { products } } }`). Read only: what dataLayer, GTM and gtag do is unchanged.
 */
import type { Product } from '../types';
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { claim, forgetClaims, rememberOrder, type Source } from './dedup';
import { num, str } from './values';

/** Entries already in the dataLayer when parcours starts that are read, at most: the latest ones. */
export const MAX_REPLAY = 100;
/** Items per event at most, as commerce.ts sends them. */
const MAX_ITEMS = 20;

/** GA4 recommended ecommerce events → parcours event types. */
export const GA4_EVENTS: Readonly<Record<string, string>> = {
  view_item_list: 'product_list_viewed',
  select_item: 'product_clicked',
  view_item: 'product_viewed',
  add_to_cart: 'product_added_to_cart',
  remove_from_cart: 'product_removed_from_cart',
  view_cart: 'cart_viewed',
  begin_checkout: 'checkout_started',
  add_shipping_info: 'checkout_step_completed',
  add_payment_info: 'payment_info_submitted',
  purchase: 'order_completed',
  refund: 'order_refunded',
};

/**
 * Universal Analytics enhanced-ecommerce actions → parcours event types. `checkout` counts only at its first
 * step: later UA step numbers mean what each site made them mean, and page detection names those steps.
 */
export const UA_ACTIONS: Readonly<Record<string, string>> = {
  impressions: 'product_list_viewed',
  click: 'product_clicked',
  detail: 'product_viewed',
  add: 'product_added_to_cart',
  remove: 'product_removed_from_cart',
  checkout: 'checkout_started',
  purchase: 'order_completed',
  refund: 'order_refunded',
};

/** Product fields, as parcours and UA name them; GA4 prefixes the first five with `item_` (`item_id`, …). */
const FIELDS = ['id', 'name', 'brand', 'variant', 'category', 'price', 'quantity', 'currency'];

/** One ecommerce entry, read: the same whichever shape it came in. */
export interface Ecommerce {
  type: string;
  source: Source;
  items: Product[];
  id?: string;
  value?: number;
  tax?: number;
  shipping?: number;
  coupon?: string;
  currency?: string;
  listId?: string;
  listName?: string;
}

type Raw = Record<string, any>;
const has = (table: object, key: unknown) => typeof key == 'string' && Object.prototype.hasOwnProperty.call(table, key);

const products = (list: unknown, ga4: boolean): Product[] =>
  (Array.isArray(list) ? list.slice(0, MAX_ITEMS) : []).flatMap((raw: Raw) => {
    if (!raw || typeof raw != 'object') return [];
    const p: Record<string, unknown> = {};
    FIELDS.forEach((f, i) => {
      const v = (i == 5 || i == 6 ? num : str)(raw[(ga4 && i < 5 ? 'item_' : '') + f]);
      if (v !== undefined) p[f] = v;
    });
    return p.id || p.name ? [p as Product] : [];
  });

/**
 * A dataLayer entry as ecommerce, or undefined when it is none: a UA push (`ecommerce.detail`, `.add`,
 * `.purchase`, …), `gtag('event', name, params)` (pushed as its `arguments`), or a GA4 push (`event` +
 * `ecommerce`; parameters are also read at the top level, where some sites put them).
 */
export const readEntry = (entry: unknown): Ecommerce | undefined => {
  if (!entry || typeof entry != 'object') return;
  const e = entry as Raw;
  const gtag = e[0] == 'event';
  const name = gtag ? e[1] : e.event;
  // UA first: some plugins push the UA shape under a GA4 event name (`event: 'purchase'`, `ecommerce.purchase`).
  const ec: Raw = !gtag && e.ecommerce;
  const action = ec && typeof ec == 'object' && Object.keys(UA_ACTIONS).find((a) => ec[a]);
  if (action) {
    const a: Raw = ec[action];
    const f: Raw = a.actionField || {};
    const list = action == 'impressions' ? a : a.products;
    if (action == 'checkout' && num(f.step)! > 1) return;
    return {
      type: UA_ACTIONS[action],
      source: 'ua',
      items: products(list, false),
      id: str(f.id),
      value: num(f.revenue),
      tax: num(f.tax),
      shipping: num(f.shipping),
      coupon: str(f.coupon),
      currency: str(ec.currencyCode),
      listName: str(f.list ?? (Array.isArray(list) && list[0]?.list)),
    };
  }
  if (!has(GA4_EVENTS, name)) return;
  const p: Raw = gtag ? e[2] || {} : { ...e, ...ec };
  const first: Raw = (Array.isArray(p.items) && p.items[0]) || {};
  return {
    type: GA4_EVENTS[name],
    source: 'ga4',
    items: products(p.items, true),
    id: str(p.transaction_id),
    value: num(p.value),
    tax: num(p.tax),
    shipping: num(p.shipping),
    coupon: str(p.coupon),
    currency: str(p.currency),
    listId: str(p.item_list_id ?? first.item_list_id),
    listName: str(p.item_list_name ?? first.item_list_name),
  };
};

/** Each product of the entry, flat, with the entry's currency where the item has none. */
const each = (e: Ecommerce) => e.items.map((p) => ({ ...p, currency: p.currency ?? e.currency }));

/** Event properties by parcours type: the shapes commerce.ts sends. One object per event; arrays: one per product. */
const SHAPES: Record<string, (e: Ecommerce) => object | object[]> = {
  product_viewed: (e) => each(e).slice(0, 1), // one product per product page, as detection sees it
  product_clicked: (e) => each(e).map((p) => ({ ...p, list_id: e.listId, list_name: e.listName })),
  product_added_to_cart: each,
  product_removed_from_cart: each,
  product_list_viewed: (e) => ({ list_id: e.listId ?? null, list_name: e.listName ?? null, items: e.items, count: e.items.length }),
  cart_viewed: (e) => ({ items: e.items, total: e.value, currency: e.currency }),
  checkout_started: (e) => ({ total: e.value, currency: e.currency }),
  checkout_step_completed: () => ({ step: 'shipping' }),
  payment_info_submitted: () => ({ step: 'payment' }),
  order_completed: (e) => ({ id: e.id, revenue: e.value, tax: e.tax, shipping: e.shipping, currency: e.currency, coupon: e.coupon, items: e.items }),
  order_refunded: (e) => ({ id: e.id, revenue: e.value, currency: e.currency, items: e.items }),
};

/** Event types this part records, and claims for page detection when another part records them first. */
const TYPES = Object.values(GA4_EVENTS);

/**
 * Ecommerce from `window.dataLayer` (or another name GTM was given): the entries pushed before parcours started
 * (the latest `MAX_REPLAY`, once) and every later push, through a wrapper around `dataLayer.push` that calls the
 * original first and returns what it returns. Without a dataLayer, it creates `window.dataLayer = []`, which
 * GTM and gtag.js then adopt. dataLayer data and page detection never record one action twice (src/bridges/dedup.ts):
 * start this part after `pages` and before `commerce`, so entries already on the page win over scraped data.
 */
export const dataLayer =
  (options?: { name?: string }): Part =>
  (api) => {
    const w = window as unknown as Record<string, unknown>;
    const name = typeof options?.name == 'string' ? options.name : 'dataLayer';
    let own = false; // this part is tracking: its own events are not claims of page detection
    let stopped = false;
    let ready = false;
    let layer: unknown;
    const waiting: unknown[] = [];
    const undo: (() => void)[] = [];

    const record = (entry: unknown) => {
      const e = readEntry(entry);
      if (!e) return;
      const shaped = SHAPES[e.type](e);
      for (const props of (Array.isArray(shaped) ? shaped : [shaped]) as Record<string, unknown>[]) {
        if (e.type == 'checkout_started') props.step = api.page().step || 'contact';
        const first = claim(e.type, props, e.source, api.session);
        // Remembered even when page detection recorded the order first: a reload stays one order.
        if (e.type == 'order_completed' ? rememberOrder(api.store, e.id || location.pathname) && first : first) {
          own = true;
          try {
            api.track(e.type, props);
          } finally {
            own = false;
          }
        }
      }
    };
    const read = guard((entry: unknown) => {
      if (stopped) return;
      if (ready) record(entry);
      else if (waiting.length < MAX_REPLAY) waiting.push(entry);
    }, api.log);
    // Entries wait for the first page (the pages part's `page_viewed` first, then this, then commerce's events).
    const start = guard(() => {
      if (ready) return;
      ready = true;
      waiting.splice(0).forEach(read);
    }, api.log);

    // Another part's (or the shop's) commerce event claims its action, so a later push of it is not a second one.
    api.enrich((event) => {
      if (own || !TYPES.includes(event.type)) return;
      claim(event.type, event.properties, 'detect', api.session);
      const id = event.properties.id;
      if (event.type == 'order_completed' && id != null) rememberOrder(api.store, String(id));
    });

    const attach = guard(() => {
      let dl = w[name];
      if (dl != null && dl === layer) return;
      if (dl == null) dl = w[name] = []; // GTM and gtag.js keep an existing one (`dataLayer = dataLayer || []`)
      if (!Array.isArray(dl)) return api.log(name + ' is not an array; not read');
      layer = dl;
      dl.slice(-MAX_REPLAY).forEach(read);
      const original = dl.push;
      const ownPush = Object.prototype.hasOwnProperty.call(dl, 'push'); // else Array.prototype's, given back by deleting ours
      if (typeof original != 'function') return;
      // GTM and gtag.js, loading later, wrap this push in theirs and call it: pushes still pass here.
      const push = function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        for (let i = 0; i < args.length && i < MAX_REPLAY; i++) read(args[i]);
        return result;
      };
      dl.push = push;
      undo.push(() => {
        if (dl.push === push) ownPush ? (dl.push = original) : delete (dl as { push?: unknown }).push;
      });
    }, api.log);

    attach();
    api.onPage(start);
    const later = () => queueMicrotask(start); // without the pages part, or when it started before this one
    const offs = [
      // A page script that replaced the array (`dataLayer = [...]` instead of `dataLayer.push`) is read again.
      listen(document, 'DOMContentLoaded', attach, api.log),
      listen(window, 'load', attach, api.log),
      (document as { prerendering?: boolean }).prerendering ? listen(document, 'prerenderingchange', later, api.log) : (later(), () => {}),
    ];
    return () => {
      stopped = true;
      [...undo, ...offs].forEach((off) => off());
      forgetClaims(api.session);
    };
  };
