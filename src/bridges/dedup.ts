/**
 * One action, one event. When several sources see the same add to cart, product view or order — page detection
 * (markup, the theme's cart requests, detected pages, the shop's own `track` calls: source `detect`) and the
 * dataLayer (`ga4`, `ua`) — the first to `claim` it records it and the others are told no. The same source
 * claiming again is a new action: two clicks are two adds, two `add_to_cart` pushes are two adds.
 *
 * How long a claim holds, by event:
 * - actions (add, remove, coupon, …): `SAME_ACTION_MS` after the last sighting, so click → cart request →
 *   dataLayer push is one chain;
 * - page-level events (product, list and cart views, search, order): `PAGE_ACTION_MS` on the same URL;
 * - checkout start, step completions and payment: the whole checkout, in this tab's checkout state
 *   (`parcours:checkout` in sessionStorage, shared with src/auto/commerce.ts, which clears it with the order).
 *
 * Orders are also remembered per browser by id (`rememberOrder`, the `parcours:orders` list commerce.ts keeps),
 * so a reloaded confirmation page is not a second order, whichever source saw it.
 */
import type { CheckoutStep } from '../types';
import type { Part } from '../tracker';
import type { KeyValue } from '../lib/storage';
import { parse, stringify } from '../lib/json';

/** A click, the AJAX request it causes and the dataLayer push reporting it are one action when this close. */
export const SAME_ACTION_MS = 2_000;
/** A page-level event seen again on the same URL within this long is the same page view. */
export const PAGE_ACTION_MS = 30_000;
/** A checkout mark older than this no longer stands in another source's way (a checkout abandoned, a new one). */
export const CHECKOUT_MS = 3_600_000;

/** Who saw an action: page detection and `track` calls, or the dataLayer in GA4 or Universal Analytics shape. */
export type Source = 'detect' | 'ga4' | 'ua';

/** Storage keys shared with src/auto/commerce.ts. */
export const CHECKOUT_KEY = 'parcours:checkout';
export const ORDERS_KEY = 'parcours:orders';
/** This tab's checkout: the step and payment commerce.ts saw (`step`, `paid`), the claims of `claim` (`seen`). */
export interface CheckoutState {
  step?: CheckoutStep;
  paid?: boolean;
  seen?: Record<string, Claim>;
}
export const readCheckout = (session: KeyValue) => (parse(session.get(CHECKOUT_KEY)) || {}) as CheckoutState;
/** Order ids remembered per browser. */
const ORDERS_KEPT = 50;

const PAGE_EVENTS = ['product_viewed', 'product_list_viewed', 'cart_viewed', 'search_submitted', 'order_completed'];
const CHECKOUT_EVENTS = ['checkout_started', 'checkout_step_completed', 'payment_info_submitted'];

type Claim = [source: Source, at: number];
/**
 * This page's claims, kept on the tracker's session store: the script tag loads commerce and the dataLayer
 * bridge in separate files, each with its own copy of this module, and the store is the object both parts share.
 */
const claimsOf = (session: KeyValue) => ((session as KeyValue & { _claims?: Map<string, Claim> })._claims ||= new Map());

const mine = (last: Claim | undefined, source: Source, now: number, window: number) =>
  !last || last[0] == source || !(now - last[1] < window);

/**
 * Whether `source` records this event: false when another source recorded the same action within its window
 * (the caller then does not track it). Records the claim either way. Never throws.
 */
export const claim = (type: string, props: Record<string, unknown> | undefined, source: Source, session: KeyValue, now = Date.now()): boolean => {
  try {
    if (CHECKOUT_EVENTS.includes(type)) {
      const key = type == 'checkout_step_completed' ? type + ':' + props?.step : type;
      const state = readCheckout(session);
      const seen = state.seen || {};
      // commerce.ts marks the payment `paid` in the same state (and may write over `seen` as it does).
      const last = seen[key] || (type == 'payment_info_submitted' && state.paid ? (['detect', now] as Claim) : undefined);
      if (!mine(last, source, now, CHECKOUT_MS)) return false;
      session.set(CHECKOUT_KEY, stringify({ ...state, seen: { ...seen, [key]: [source, now] } })!);
      return true;
    }
    const claims = claimsOf(session);
    const page = PAGE_EVENTS.includes(type);
    const key = page ? type + ' ' + location.pathname + location.search : type;
    const last = claims.get(key);
    const ok = mine(last, source, now, page ? PAGE_ACTION_MS : SAME_ACTION_MS);
    if (claims.size > 200) claims.clear(); // a long single-page session: old pages no longer matter
    claims.set(key, [ok ? source : last![0], now]); // a duplicate extends the window of the first claim
    return ok;
  } catch {
    return true; // no dedup is better than a lost event
  }
};

/** Forget this page's claims (a tracker's `destroy()`). */
export const forgetClaims = (session: KeyValue) => claimsOf(session).clear();

/** True the first time this browser sees order `id` (then remembered in `store`, the last 50). */
export const rememberOrder = (store: KeyValue, id: string): boolean => {
  const list = parse(store.get(ORDERS_KEY));
  const done = Array.isArray(list) ? list : [];
  if (done.includes(id)) return false;
  store.set(ORDERS_KEY, stringify([...done, id].slice(-ORDERS_KEPT))!);
  return true;
};

/**
 * `part` with every event it tracks claimed first as `detect`: an action the dataLayer already recorded is not
 * recorded again. What src/auto/commerce.ts does for itself (or how an entry wraps it: `deduped(commerce())`).
 */
export const deduped =
  (part: Part): Part =>
  (api) =>
    part({ ...api, track: (type, props) => void (claim(type, props, 'detect', api.session) && api.track(type, props)) });
