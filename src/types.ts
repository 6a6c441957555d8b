/**
 * The shapes parcours works with: events, options and the wire format.
 * README's reference tables follow this file; change both together.
 */

/** A JSON-safe value, as it travels on the wire. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Properties of an event: always a plain JSON object after parcours copied it. */
export type Properties = { [key: string]: Json };

/** The five stages of a customer journey map. */
export type Stage = 'awareness' | 'consideration' | 'purchase' | 'retention' | 'advocacy';

/**
 * Where the customer is. Arrivals describe how a session entered the shop; the rest are places on the site.
 * Documented with the stage rules in README ("Touchpoints").
 */
export type Touchpoint =
  // arrivals
  | 'ad'
  | 'social'
  | 'search'
  | 'email'
  | 'referral'
  | 'direct'
  // on the site
  | 'home'
  | 'content'
  | 'collection'
  | 'site_search'
  | 'product_page'
  | 'cart'
  | 'checkout'
  | 'payment'
  | 'order_confirmation'
  | 'account'
  | 'support'
  | 'loyalty'
  | 'review';

/** What kind of page the customer is on, as detected (or declared with `data-parcours-page`). */
export type PageType =
  | 'home'
  | 'collection'
  | 'search'
  | 'product'
  | 'cart'
  | 'checkout'
  | 'order_confirmation'
  | 'account'
  | 'support'
  | 'content'
  | 'other';

/** Steps of a checkout, in order. */
export type CheckoutStep = 'contact' | 'shipping' | 'payment' | 'review';

/** The customer's relation to the shop, as this browser knows it. */
export type Lifecycle = 'new' | 'returning' | 'customer';

/** Where the session is now, as `journey()` returns it and the `parcours:stage` event carries it. No personal data. */
export interface JourneyState {
  /** The stage and touchpoint of the last event about this page (ratings and reports about earlier pages aside). */
  stage: Stage;
  touchpoint: Touchpoint;
  lifecycle: Lifecycle;
  /** How this session arrived (`direct`, `ad`, `email`, …) and its `utm_campaign`, when this browser saw it. */
  arrival?: { channel: Touchpoint; campaign?: string };
}

/** The page an event happened on. URLs are redacted before they leave the browser. */
export interface PageContext {
  url: string;
  path: string;
  title: string;
  referrer: string;
}

/** One event, as stored in the queue and sent in the parcours wire format. */
export interface ParcoursEvent {
  /** Random UUID, unique per event, kept across retries: the collector's dedup key. */
  id: string;
  type: string;
  /** Epoch milliseconds when the event was tracked. */
  ts: number;
  /** Rotates after 30 minutes without activity. */
  sessionId: string;
  /** First-party, persisted per browser; `null` in anonymous mode. */
  anonymousId: string | null;
  /** Set by `identify`. */
  userId: string | null;
  page: PageContext;
  properties: Properties;
  /** Journey tags, added by the journey part (absent when it is not loaded). */
  stage?: Stage;
  touchpoint?: Touchpoint;
  pageType?: PageType;
  lifecycle?: Lifecycle;
}

/** The body of one request in the parcours format. */
export interface WireBatch {
  sentAt: number;
  site: string | null;
  events: ParcoursEvent[];
}

/** Options of `createTracker`. Invalid values get a debug diagnostic and the default. */
export interface TrackerOptions {
  /** Collector URL. `https:` required except for localhost and 127.0.0.1. Relative URLs resolve against the page. */
  endpoint: string;
  /** Site name sent with every batch. */
  site?: string;
  /** Events per request at most (default 50; a request also never exceeds 64 KB). */
  batchSize?: number;
  /** Milliseconds between sends while events wait (default 1000). */
  flushInterval?: number;
  /** Events kept in the queue at most; the oldest are dropped first and reported (default 10,000). */
  maxQueue?: number;
  /** One-line diagnostics on the console. */
  debug?: boolean;
  /**
   * `granted` (default): events are stored and sent. `pending`: events are held in memory only (not stored, not
   * sent, at most 500) until `consent('granted')` sends them or `consent('denied')` discards them. `denied`:
   * nothing is recorded, and parcours' identifiers and queued events are erased.
   */
  consent?: Consent;
  /** No persistent identifier at all: `anonymousId` is null and the session lives in sessionStorage (per tab). */
  anonymous?: boolean;
  /**
   * What a browser sending Global Privacy Control (`navigator.globalPrivacyControl`) gets: `anonymous` (default),
   * `deny` (nothing recorded) or `ignore`.
   */
  gpc?: 'anonymous' | 'deny' | 'ignore';
  /**
   * Edit or drop events before they are stored: return the event (or edit it in place and return nothing), or
   * `null` to drop it. Runs after tagging and redaction. A hook that throws leaves the event as it was.
   */
  beforeSend?: (event: ParcoursEvent) => ParcoursEvent | null | undefined | void;
  /** Keep the free-text `comment` of `feedback()` (redacted like everything else). Off by default: only the score goes. */
  feedbackComments?: boolean;
}

/** A visitor's consent to analytics. */
export type Consent = 'granted' | 'pending' | 'denied';

/** The tracker `createTracker` returns. No method throws. */
export interface Tracker {
  /** Record an event. Properties are copied JSON-safe at call time. */
  track(type: string, properties?: Record<string, unknown>): void;
  /** Record a `page_viewed` for the current URL. */
  page(properties?: Record<string, unknown>): void;
  /** Attach a user id to this and later events; traits are sent with an `identify` event. */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** Send what is queued. Resolves when the queue is empty or the collector is unreachable; never rejects. */
  flush(): Promise<void>;
  /** Change consent (from your consent banner). `denied` erases parcours' identifiers and queued events. */
  consent(state: Consent): void;
  /**
   * Record a rating as `feedback_given` `{ score, question }`: `score` an integer from 1 to 5, `question` a short
   * name (`checkout`, `delivery`, `product`, `support`). Anything else is ignored with one diagnostic. Tagged with
   * the current stage and touchpoint.
   */
  feedback(score: number, options: { question: string; comment?: string }): void;
  /** Where the session is now (stage, touchpoint, lifecycle, arrival), or null before the journey part tagged an event. */
  journey(): JourneyState | null;
  /** Stop timers and listeners. Queued events stay stored for a later page. */
  destroy(): void;
}

/** A product as parcours extracts it from a page (attributes, JSON-LD, microdata, meta tags, platform globals). */
export interface Product {
  id?: string;
  sku?: string;
  name?: string;
  brand?: string;
  variant?: string;
  /** Unit price as a number in major units (12.5 for 12,50 €). */
  price?: number;
  /** ISO 4217 code. */
  currency?: string;
  quantity?: number;
  category?: string;
}

/** Cart lines and totals, where the page shows them. */
export interface Cart {
  items: Product[];
  total?: number;
  currency?: string;
  itemCount?: number;
}

/** An order, read from a confirmation page. */
export interface Order {
  id: string;
  revenue?: number;
  tax?: number;
  shipping?: number;
  currency?: string;
  coupon?: string;
  items: Product[];
}

/** What detection found on the current page. */
export interface PageInfo {
  type: PageType;
  /** Only for `type: 'checkout'`. */
  step?: CheckoutStep;
  /** The platform recognised, if any. */
  platform?: 'shopify' | 'woocommerce' | 'prestashop' | 'magento';
  /** The strongest signal that decided the type, for debugging: 'attribute', 'platform', 'schema', 'evidence', 'url', 'rule'. */
  source?: 'attribute' | 'platform' | 'schema' | 'evidence' | 'url' | 'rule' | 'default';
  /** The main product of a product page. */
  product?: Product;
  /** Products listed on a collection or search page (at most 50). */
  list?: { id?: string; name?: string; items: Product[] };
  /** The search query on a search page. */
  query?: string;
  cart?: Cart;
  order?: Order;
}

/** A shop's correction of detection: the first rule whose pattern matches the URL path wins. */
export interface PageRule {
  /** Matched against `location.pathname` (a RegExp, or a string that must be contained in the path). */
  match: RegExp | string;
  type: PageType;
  step?: CheckoutStep;
}
