import type { Lifecycle } from '../types';
import type { KeyValue } from '../lib/storage';
import { parse, stringify } from '../lib/json';

/** Storage key of the `CustomerState` (JSON). */
export const CUSTOMER_KEY = 'parcours:customer';

/** What this browser remembers of the customer. */
export interface CustomerState {
  /** When this browser was first seen (epoch ms). */
  ts: number;
  /** The session it was first seen in. */
  sid?: string;
  /** Has ordered on this browser, or the shop said it is a customer. */
  customer?: boolean;
}

/** `customer` once marked, `new` during the first session, `returning` after it. */
export const lifecycleOf = (state: CustomerState | undefined, sessionId: string): Lifecycle =>
  state?.customer ? 'customer' : !state || state.sid == sessionId ? 'new' : 'returning';

const read = (store: KeyValue) => parse(store.get(CUSTOMER_KEY)) as CustomerState | undefined;

/** The lifecycle for an event of this session; the first call on a browser remembers it as first seen. */
export function currentLifecycle(store: KeyValue, sessionId: string, now = Date.now()): Lifecycle {
  let state = read(store);
  if (!state?.ts) store.set(CUSTOMER_KEY, stringify((state = { ts: now, sid: sessionId }))!);
  return lifecycleOf(state, sessionId);
}

/**
 * Makes this browser a customer from now on. Call it after tagging `order_completed` (so the order itself keeps
 * `new` or `returning`: first orders stay visible) and when the shop identifies a known customer.
 */
export function markCustomer(store: KeyValue, now = Date.now()): void {
  store.set(CUSTOMER_KEY, stringify({ ts: now, ...read(store), customer: true })!);
}
