import type { Lifecycle, PageType, Stage, Touchpoint } from '../types';
import type { Arrival } from './arrival';

/** A stage and/or touchpoint, as rules give them. */
export interface JourneyTag {
  stage?: Stage;
  touchpoint?: Touchpoint;
}

/**
 * A shop's corrections of the default tags. Per field, the first that sets a known value wins:
 * the first `urls` rule matching the path › `events` › `pages` › the defaults. A stage set by a rule is final;
 * the entry and customer adjustments only change default stages. Unknown values are ignored (and logged).
 */
export interface JourneyRules {
  /** By event type; a key `prefix_*` matches every type starting with `prefix_`. */
  events?: Record<string, JourneyTag>;
  /** By detected page type. */
  pages?: Partial<Record<PageType, JourneyTag>>;
  /** By page path: a RegExp, or a string the path must contain; the first matching rule counts. */
  urls?: Array<JourneyTag & { match: RegExp | string }>;
}

/** What `tagEvent` looks at. */
export interface JourneyInput {
  type: string;
  pageType: PageType;
  /** Checkout step of the page; `properties.step` wins when given (single-page checkouts). */
  step?: string;
  properties: Record<string, unknown>;
  /** How this session arrived; with `isEntry` it tags the entry `page_viewed`. */
  arrival?: Arrival;
  lifecycle: Lifecycle;
  /** The event happened on the first page of the session. */
  isEntry: boolean;
  /** `location.pathname`, for `urls` rules. */
  path?: string;
}

/** Each stage and the touchpoints that belong to it unless an event or a rule says otherwise (README "Touchpoints"). */
export const STAGE_TOUCHPOINTS: Readonly<Record<Stage, readonly Touchpoint[]>> = {
  awareness: ['ad', 'social', 'search', 'email', 'referral', 'direct', 'home', 'content'],
  consideration: ['collection', 'site_search', 'product_page'],
  purchase: ['cart', 'checkout', 'payment', 'order_confirmation'],
  retention: ['account', 'support', 'loyalty'],
  advocacy: ['review'],
};

/** The journey stages, in journey order. */
export const STAGES = /* @__PURE__ */ Object.keys(STAGE_TOUCHPOINTS) as readonly Stage[];

/** The touchpoint vocabulary: arrivals first, then places on the site. */
export const TOUCHPOINTS = /* @__PURE__ */ Object.values(STAGE_TOUCHPOINTS).flat();

/** Page types whose touchpoint has another name; the others are touchpoints themselves (`other`: `content`). */
export const PAGE_TOUCHPOINTS: Readonly<Partial<Record<PageType, Touchpoint>>> = {
  search: 'site_search',
  product: 'product_page',
};

/** Checkout steps where the `checkout` touchpoint becomes `payment`: paying and confirming the order. */
export const PAYMENT_STEPS: readonly unknown[] = ['payment', 'review'];

/**
 * Event type → touchpoint. Events not listed (`page_viewed`, `identify`, `product_list_viewed`, `coupon_applied`,
 * and signals such as `web_vital`, `rage_click`, `scroll_depth`, `reviews_seen`) take the page's.
 * A `prefix_*` key matches every type starting with `prefix_`.
 */
export const EVENT_TOUCHPOINTS: Readonly<Record<string, Touchpoint>> = {
  search_submitted: 'site_search',
  product_viewed: 'product_page',
  product_added_to_cart: 'cart',
  product_removed_from_cart: 'cart',
  'cart_*': 'cart',
  checkout_started: 'checkout',
  checkout_step_viewed: 'checkout',
  checkout_step_completed: 'checkout',
  payment_info_submitted: 'payment',
  order_completed: 'order_confirmation',
  order_status_viewed: 'account',
  // Sent from the page after the one left (the cart, say): it belongs to the checkout step it names.
  checkout_abandoned: 'checkout',
  support_contacted: 'support',
  review_submitted: 'review',
  share: 'social',
  'loyalty_*': 'loyalty',
  points_redeemed: 'loyalty',
  'referral_*': 'loyalty',
};

/** Event type → stage, where it is not its touchpoint's (a list is browsing wherever it shows). */
export const EVENT_STAGES: Readonly<Record<string, Stage>> = {
  product_list_viewed: 'consideration',
  coupon_applied: 'purchase',
  share: 'advocacy',
  'referral_*': 'advocacy',
};

/**
 * A rating's stage by its question, where the question names one: a delivery rated from an email belongs to
 * retention, whatever page the link opens. Other questions take their touchpoint's stage.
 */
export const QUESTION_STAGES: Readonly<Record<string, Stage>> = { checkout: 'purchase', delivery: 'retention', support: 'retention' };

const byType = <T>(table: Readonly<Record<string, T>> | undefined, type: string) =>
  table?.[type] ?? table?.[type.replace(/_.*/, '_*')];

/**
 * The stage and touchpoint of one event. Touchpoint: rule › the arrival's, for the entry `page_viewed` of a
 * session from outside › a rating's own (`feedback_given` with `properties.touchpoint`) › the event's › the page's
 * (checkout at a payment step: `payment`). Stage: rule › the event's › a rating's question's › the touchpoint's; then an entry page view in consideration counts as awareness, and a customer's
 * awareness or consideration counts as retention.
 */
export function tagEvent(
  input: JourneyInput,
  rules?: JourneyRules,
  log?: (message: string) => void,
): { stage: Stage; touchpoint: Touchpoint } {
  const { type, arrival } = input;
  const path = input.path || '';
  const found = [
    rules?.urls?.find?.((rule) => {
      const match = rule?.match; // RegExp#search ignores `lastIndex`, so /g rules stay stateless
      return typeof match == 'string' ? path.includes(match) : match instanceof RegExp && path.search(match) > -1;
    }),
    byType(rules?.events, type),
    rules?.pages?.[input.pageType],
  ];
  // The value if it is in the vocabulary: lookups of a type such as "constructor" find Object's own members.
  const known = (value: unknown, vocabulary: readonly string[]): any => vocabulary.includes(value as string) && value;
  const pick = (key: keyof JourneyTag, vocabulary: readonly string[]) => {
    for (const rule of found) {
      const value = rule?.[key];
      if (value != null) {
        if (known(value, vocabulary)) return value;
        log?.(`journey rules: unknown ${key} "${value}", ignored`);
      }
    }
  };
  // A rating made elsewhere (a link in an email) names its touchpoint: `properties.touchpoint`.
  const rated = type == 'feedback_given' && input.properties;
  let place: Touchpoint =
    (rated && known(rated.touchpoint, TOUCHPOINTS)) ||
    known(byType(EVENT_TOUCHPOINTS, type), TOUCHPOINTS) ||
    known(PAGE_TOUCHPOINTS[input.pageType] || input.pageType, TOUCHPOINTS) ||
    'content';
  if (place == 'checkout' && PAYMENT_STEPS.includes(input.properties?.step ?? input.step)) place = 'payment';
  const entry: Touchpoint | false = input.isEntry && type == 'page_viewed' && known(arrival?.touchpoint, TOUCHPOINTS);
  const ruled = pick('touchpoint', TOUCHPOINTS) as Touchpoint | undefined;
  let stage = pick('stage', STAGES) as Stage | undefined;
  if (!stage) {
    stage = (known(byType(EVENT_STAGES, type), STAGES) ||
      (rated && known(QUESTION_STAGES[rated.question as string], STAGES)) ||
      STAGES.find((s) => STAGE_TOUCHPOINTS[s].includes(ruled || place))) as Stage;
    if (entry && stage == 'consideration') stage = 'awareness';
    if (input.lifecycle == 'customer' && STAGES.indexOf(stage) < 2) stage = 'retention';
  }
  return { stage, touchpoint: ruled || entry || place };
}
