import type { KeyValue } from './storage';
import { uuid } from './uuid';

/** A fallback lease older than this is taken over: its tab was closed or frozen mid-send. */
export const LEASE_MS = 30_000;

let tabId: string | undefined; // made on first use: nothing runs when the module loads

/**
 * Runs `fn` while holding the shop-wide send lock, so one tab sends at a time and normal operation sends no
 * event twice. `wait: false` skips (resolves undefined) when another tab holds it: that tab is sending the
 * shared queue already. Web Locks where available; elsewhere a localStorage lease, which can race in a narrow
 * window (two tabs writing the lease in the same millisecond) — the collector's dedup by event id covers it.
 */
export const withSendLock = async <T>(
  name: string,
  wait: boolean,
  store: KeyValue,
  fn: () => Promise<T>,
): Promise<T | undefined> => {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks?.request) return locks.request(name, { ifAvailable: !wait }, (lock) => (lock ? fn() : undefined));
  tabId ||= uuid();
  const held = () => {
    const [owner, until] = (store.get(name) || '').split(' ');
    return owner != tabId && +until > Date.now();
  };
  if (held()) return;
  store.set(name, tabId + ' ' + (Date.now() + LEASE_MS));
  try {
    return await fn();
  } finally {
    if (!held() && store.get(name)?.startsWith(tabId)) store.del(name);
  }
};
