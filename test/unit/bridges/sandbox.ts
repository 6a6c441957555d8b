import type { Sandbox } from '../../../src/bridges/shopifyPixel';
import type { ShopifyEvent } from './shopifyEvents';

/**
 * Shopify's Web Pixels sandbox as its documentation describes it: `analytics.subscribe(name, callback)`,
 * `browser.localStorage` with the top frame's storage behind async methods, `init` (with `customerPrivacy`) and
 * `customerPrivacy.subscribe('visitorConsentCollected', callback)`. `storage` is the shop's localStorage;
 * `reads`/`writes` list every key the pixel touched there.
 */
export const sandbox = (options: { analyticsProcessingAllowed?: boolean; storage?: Map<string, string> } = {}) => {
  const subscribers = new Map<string, ((event: unknown) => void)[]>();
  const consentSubscribers: ((event: unknown) => void)[] = [];
  const storage = options.storage || new Map<string, string>();
  const reads: string[] = [];
  const writes: string[] = [];
  const privacy = (allowed: boolean) => ({ analyticsProcessingAllowed: allowed, marketingAllowed: false, preferencesProcessingAllowed: allowed, saleOfDataAllowed: false });
  const api: Sandbox = {
    analytics: {
      subscribe: async (name, callback) => void subscribers.set(name, [...(subscribers.get(name) || []), callback]),
    },
    browser: {
      localStorage: {
        getItem: async (key) => (reads.push(key), storage.get(key) ?? null),
        setItem: async (key, value) => void (writes.push(key), storage.set(key, String(value))),
      },
    },
    init: { context: {}, customerPrivacy: privacy(options.analyticsProcessingAllowed ?? true) },
    customerPrivacy: { subscribe: async (name, callback) => void (name == 'visitorConsentCollected' && consentSubscribers.push(callback)) },
  };
  return {
    api,
    storage,
    reads,
    writes,
    subscribed: () => [...subscribers.keys()],
    /** Shopify publishes these events, in order. */
    emit: (events: ShopifyEvent[]) => events.forEach((e) => (subscribers.get(e.name) || []).forEach((callback) => callback(e))),
    /** The visitor answers the consent banner. */
    consent: (allowed: boolean) => consentSubscribers.forEach((callback) => callback({ customerPrivacy: privacy(allowed) })),
  };
};
