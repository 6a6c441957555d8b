import type { KeyValue } from '../lib/storage';
import { parse, stringify } from '../lib/json';
import type { Arrival } from './arrival';

/** An arrival and when it happened (epoch ms). */
export type Touch = Arrival & { ts: number };

/** Storage key of `{ first, last }` (JSON). */
export const TOUCH_KEY = 'parcours:touch';

/** Touches older than this are forgotten: 90 days, GA4's default lookback window for conversions. */
export const ATTRIBUTION_WINDOW = 90 * 24 * 60 * 60 * 1000;

/** The first and last touch still inside the attribution window, for attaching to `order_completed`. */
export function readTouches(store: KeyValue, now = Date.now()): { first?: Touch; last?: Touch } {
  const { first, last } = (parse(store.get(TOUCH_KEY)) || {}) as { first?: Touch; last?: Touch };
  // `undefined > n` is false: a missing or malformed touch is dropped like an expired one
  const fresh = (touch?: Touch) => ((touch?.ts as number) > now - ATTRIBUTION_WINDOW ? touch : undefined);
  return { first: fresh(first), last: fresh(last) };
}

/**
 * Remembers a session's arrival (undefined, internal navigation, changes nothing). The first touch is kept until
 * it leaves the window; the last touch is the latest arrival, except that a direct arrival does not replace a
 * non-direct one ("last non-direct click": typing the shop's address after clicking an ad still credits the ad).
 */
export function recordArrival(store: KeyValue, arrival: Arrival | undefined, now = Date.now()): void {
  if (!arrival) return;
  const { first, last } = readTouches(store, now);
  const touch = { ...arrival, ts: now };
  store.set(
    TOUCH_KEY,
    stringify({ first: first || touch, last: arrival.touchpoint == 'direct' && last?.touchpoint != 'direct' && last || touch })!,
  );
}
