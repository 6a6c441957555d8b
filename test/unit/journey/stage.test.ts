import { describe, expect, it } from 'vitest';
import type { Arrival } from '../../../src/journey/arrival';
import { STAGES, STAGE_TOUCHPOINTS, TOUCHPOINTS, tagEvent, type JourneyInput, type JourneyRules } from '../../../src/journey/stage';
import type { Lifecycle, PageType, Stage, Touchpoint } from '../../../src/types';

const tag = (type: string, pageType: PageType, more: Partial<JourneyInput> = {}, rules?: JourneyRules) =>
  tagEvent({ type, pageType, properties: {}, lifecycle: 'new', isEntry: false, ...more }, rules);
const expectTag = (result: { stage: Stage; touchpoint: Touchpoint }, stage: Stage, touchpoint: Touchpoint) =>
  expect(result).toEqual({ stage, touchpoint });

describe('the vocabularies', () => {
  it('lists the five stages in journey order', () => {
    expect(STAGES).toEqual(['awareness', 'consideration', 'purchase', 'retention', 'advocacy']);
  });
  it('lists every touchpoint once, each under one stage', () => {
    const all: Touchpoint[] = [
      'ad', 'social', 'search', 'email', 'referral', 'direct', 'home', 'content', 'collection', 'site_search',
      'product_page', 'cart', 'checkout', 'payment', 'order_confirmation', 'account', 'support', 'loyalty', 'review',
    ];
    expect([...TOUCHPOINTS].sort()).toEqual([...all].sort());
    expect(new Set(TOUCHPOINTS).size).toBe(TOUCHPOINTS.length);
    expect(Object.values(STAGE_TOUCHPOINTS).flat().length).toBe(all.length);
  });
});

describe('a page view takes its page type', () => {
  it.each([
    ['home', undefined, 'awareness', 'home'],
    ['content', undefined, 'awareness', 'content'],
    ['other', undefined, 'awareness', 'content'],
    ['collection', undefined, 'consideration', 'collection'],
    ['search', undefined, 'consideration', 'site_search'],
    ['product', undefined, 'consideration', 'product_page'],
    ['cart', undefined, 'purchase', 'cart'],
    ['checkout', undefined, 'purchase', 'checkout'],
    ['checkout', 'contact', 'purchase', 'checkout'],
    ['checkout', 'shipping', 'purchase', 'checkout'],
    ['checkout', 'payment', 'purchase', 'payment'],
    ['checkout', 'review', 'purchase', 'payment'],
    ['order_confirmation', undefined, 'purchase', 'order_confirmation'],
    ['account', undefined, 'retention', 'account'],
    ['support', undefined, 'retention', 'support'],
  ] as const)('%s (step %s) → %s / %s', (pageType, step, stage, touchpoint) => {
    expectTag(tag('page_viewed', pageType, { step }), stage, touchpoint);
  });

  it('falls back to content/awareness for an unknown page type', () => {
    for (const pageType of ['landing', 'constructor', '__proto__', 'toString', '']) {
      expectTag(tag('page_viewed', pageType as PageType), 'awareness', 'content');
    }
  });
});

describe('commerce events carry their own touchpoint or stage', () => {
  it.each([
    ['product_list_viewed', 'collection', {}, 'consideration', 'collection'],
    ['product_list_viewed', 'search', {}, 'consideration', 'site_search'],
    ['product_list_viewed', 'home', {}, 'consideration', 'home'],
    ['search_submitted', 'home', {}, 'consideration', 'site_search'],
    ['search_submitted', 'product', {}, 'consideration', 'site_search'],
    ['product_viewed', 'product', {}, 'consideration', 'product_page'],
    ['product_viewed', 'collection', {}, 'consideration', 'product_page'],
    ['product_added_to_cart', 'product', {}, 'purchase', 'cart'],
    ['product_added_to_cart', 'collection', {}, 'purchase', 'cart'],
    ['product_removed_from_cart', 'cart', {}, 'purchase', 'cart'],
    ['cart_viewed', 'cart', {}, 'purchase', 'cart'],
    ['cart_viewed', 'product', {}, 'purchase', 'cart'],
    ['cart_updated', 'cart', {}, 'purchase', 'cart'],
    ['coupon_applied', 'cart', {}, 'purchase', 'cart'],
    ['coupon_applied', 'checkout', { step: 'payment' }, 'purchase', 'payment'],
    ['coupon_applied', 'product', {}, 'purchase', 'product_page'],
    ['checkout_started', 'cart', {}, 'purchase', 'checkout'],
    ['checkout_started', 'checkout', { step: 'contact' }, 'purchase', 'checkout'],
    ['checkout_step_viewed', 'checkout', { step: 'shipping' }, 'purchase', 'checkout'],
    ['checkout_step_viewed', 'checkout', { step: 'payment' }, 'purchase', 'payment'],
    ['checkout_step_viewed', 'checkout', { step: 'shipping', properties: { step: 'review' } }, 'purchase', 'payment'],
    ['checkout_step_completed', 'checkout', { step: 'contact' }, 'purchase', 'checkout'],
    ['checkout_step_completed', 'other', { properties: { step: 'payment' } }, 'purchase', 'payment'],
    ['payment_info_submitted', 'checkout', { step: 'payment' }, 'purchase', 'payment'],
    ['payment_info_submitted', 'checkout', {}, 'purchase', 'payment'],
    ['order_completed', 'order_confirmation', {}, 'purchase', 'order_confirmation'],
    ['order_completed', 'checkout', { step: 'review' }, 'purchase', 'order_confirmation'],
    ['order_status_viewed', 'order_confirmation', {}, 'retention', 'account'],
    ['order_status_viewed', 'account', {}, 'retention', 'account'],
    ['support_contacted', 'product', {}, 'retention', 'support'],
    ['support_contacted', 'support', {}, 'retention', 'support'],
    ['review_submitted', 'product', {}, 'advocacy', 'review'],
    ['share', 'product', {}, 'advocacy', 'social'],
    ['share', 'order_confirmation', {}, 'advocacy', 'social'],
    ['identify', 'account', {}, 'retention', 'account'],
    ['identify', 'checkout', { step: 'contact' }, 'purchase', 'checkout'],
    ['loyalty_points_earned', 'order_confirmation', {}, 'retention', 'loyalty'],
    ['loyalty_tier_changed', 'account', {}, 'retention', 'loyalty'],
    ['points_redeemed', 'checkout', { step: 'payment' }, 'retention', 'loyalty'],
    ['referral_link_shared', 'account', {}, 'advocacy', 'loyalty'],
    ['referral_signup', 'home', {}, 'advocacy', 'loyalty'],
  ] as const)('%s on %s %j → %s / %s', (type, pageType, more, stage, touchpoint) => {
    expectTag(tag(type, pageType, more as Partial<JourneyInput>), stage, touchpoint);
  });

  it('takes the page for an event it does not know', () => {
    expectTag(tag('wishlist_added', 'product'), 'consideration', 'product_page');
    expectTag(tag('constructor', 'cart'), 'purchase', 'cart');
    expectTag(tag('__proto__', 'account'), 'retention', 'account');
  });
});

describe('signals take the stage and touchpoint of their page', () => {
  const signals = ['web_vital', 'rage_click', 'dead_click', 'form_error', 'js_error', 'scroll_depth', 'media_interaction', 'reviews_seen'];
  const pages: [PageType, string?][] = [['home'], ['product'], ['collection'], ['cart'], ['checkout', 'payment'], ['account'], ['support'], ['content']];
  it.each(signals)('%s', (type) => {
    for (const [pageType, step] of pages) {
      expect(tag(type, pageType, { step }), `${type} on ${pageType}`).toEqual(tag('page_viewed', pageType, { step }));
    }
  });
  it('checkout_abandoned belongs to the step it names, even sent from the cart page after it', () => {
    expectTag(tag('checkout_abandoned', 'cart', { properties: { step: 'payment' } }), 'purchase', 'payment');
    expectTag(tag('checkout_abandoned', 'cart', { properties: { step: 'shipping' } }), 'purchase', 'checkout');
  });
  it('a signal on a customer’s product page is retention too', () => {
    expectTag(tag('reviews_seen', 'product', { lifecycle: 'customer' }), 'retention', 'product_page');
  });
});

describe('the entry page view of a session from outside takes the arrival', () => {
  const from = (touchpoint: Arrival['touchpoint']): Arrival => ({ touchpoint });
  it.each([
    ['ad', 'product', 'awareness'],
    ['social', 'home', 'awareness'],
    ['search', 'collection', 'awareness'],
    ['referral', 'content', 'awareness'],
    ['direct', 'home', 'awareness'],
    ['email', 'cart', 'purchase'],
    ['email', 'checkout', 'purchase'],
    ['email', 'account', 'retention'],
    ['email', 'order_confirmation', 'purchase'],
  ] as const)('from %s on %s → %s', (touchpoint, pageType, stage) => {
    expectTag(tag('page_viewed', pageType, { isEntry: true, arrival: from(touchpoint) }), stage, touchpoint);
  });

  it('only for the page view: other events of the entry page keep their own tags', () => {
    const entry = { isEntry: true, arrival: from('ad') };
    expectTag(tag('product_viewed', 'product', entry), 'consideration', 'product_page');
    expectTag(tag('scroll_depth', 'product', entry), 'consideration', 'product_page');
  });

  it('not for an entry without arrival (internal navigation after a session timeout)', () => {
    expectTag(tag('page_viewed', 'product', { isEntry: true }), 'consideration', 'product_page');
  });

  it('not for a later page view that still knows the arrival', () => {
    expectTag(tag('page_viewed', 'product', { arrival: from('ad') }), 'consideration', 'product_page');
  });

  it('ignores an arrival with an unknown touchpoint', () => {
    const arrival = { touchpoint: 'carrier-pigeon' } as unknown as Arrival;
    expectTag(tag('page_viewed', 'home', { isEntry: true, arrival }), 'awareness', 'home');
  });
});

describe('a customer’s browsing is retention', () => {
  const customer = { lifecycle: 'customer' as Lifecycle };
  it.each([
    ['page_viewed', 'home', 'retention', 'home'],
    ['page_viewed', 'content', 'retention', 'content'],
    ['page_viewed', 'product', 'retention', 'product_page'],
    ['product_list_viewed', 'collection', 'retention', 'collection'],
    ['search_submitted', 'home', 'retention', 'site_search'],
    ['page_viewed', 'cart', 'purchase', 'cart'],
    ['checkout_started', 'cart', 'purchase', 'checkout'],
    ['order_completed', 'order_confirmation', 'purchase', 'order_confirmation'],
    ['review_submitted', 'product', 'advocacy', 'review'],
    ['share', 'product', 'advocacy', 'social'],
    ['support_contacted', 'support', 'retention', 'support'],
  ] as const)('%s on %s → %s / %s', (type, pageType, stage, touchpoint) => {
    expectTag(tag(type, pageType, customer), stage, touchpoint);
  });

  it('also when the customer comes back from an email or an ad', () => {
    expectTag(tag('page_viewed', 'home', { ...customer, isEntry: true, arrival: { touchpoint: 'email' } }), 'retention', 'email');
    expectTag(tag('page_viewed', 'product', { ...customer, isEntry: true, arrival: { touchpoint: 'ad' } }), 'retention', 'ad');
  });

  it.each(['new', 'returning'] as const)('not for a %s visitor', (lifecycle) => {
    expectTag(tag('page_viewed', 'product', { lifecycle }), 'consideration', 'product_page');
  });
});

describe('a rating belongs to what it rates', () => {
  it('an in-page rating takes the touchpoint the shopper is on', () => {
    expectTag(tag('feedback_given', 'product', { properties: { score: 4, question: 'product' } }), 'consideration', 'product_page');
  });
  it('a rating from an email link is on the email touchpoint, in the stage its question names', () => {
    const rated = (question: string, lifecycle: Lifecycle = 'new') =>
      tag('feedback_given', 'home', { lifecycle, properties: { score: 2, question, touchpoint: 'email' } });
    expectTag(rated('delivery'), 'retention', 'email');
    expectTag(rated('support'), 'retention', 'email');
    expectTag(rated('checkout'), 'purchase', 'email');
    expectTag(rated('product'), 'awareness', 'email'); // no stage of its own: the email's
    expectTag(rated('product', 'customer'), 'retention', 'email');
    expectTag(rated('constructor'), 'awareness', 'email'); // Object's own members are no question
  });
  it('only ratings may name their touchpoint', () => {
    expectTag(tag('product_viewed', 'product', { properties: { touchpoint: 'email' } }), 'consideration', 'product_page');
  });
});

describe('rules override the defaults: urls › events › pages', () => {
  const path = '/pages/rewards';
  it('a page rule replaces the page default', () => {
    expectTag(tag('page_viewed', 'content', {}, { pages: { content: { stage: 'retention', touchpoint: 'loyalty' } } }), 'retention', 'loyalty');
  });

  it('a rule touchpoint brings its stage unless the rule sets one', () => {
    expectTag(tag('page_viewed', 'content', {}, { pages: { content: { touchpoint: 'loyalty' } } }), 'retention', 'loyalty');
    expectTag(tag('page_viewed', 'other', {}, { pages: { other: { touchpoint: 'support' } } }), 'retention', 'support');
  });

  it('an event rule beats a page rule', () => {
    const rules: JourneyRules = { events: { page_viewed: { touchpoint: 'review' } }, pages: { product: { touchpoint: 'content' } } };
    expectTag(tag('page_viewed', 'product', {}, rules), 'advocacy', 'review');
  });

  it('a url rule beats an event rule', () => {
    const rules: JourneyRules = {
      urls: [{ match: '/rewards', touchpoint: 'loyalty' }],
      events: { page_viewed: { touchpoint: 'review' } },
      pages: { content: { touchpoint: 'support' } },
    };
    expectTag(tag('page_viewed', 'content', { path }, rules), 'retention', 'loyalty');
    expectTag(tag('page_viewed', 'content', { path: '/blog' }, rules), 'advocacy', 'review');
  });

  it('decides field by field: a url stage with an event touchpoint', () => {
    const rules: JourneyRules = { urls: [{ match: /^\/pages\//, stage: 'advocacy' }], events: { page_viewed: { touchpoint: 'loyalty' } } };
    expectTag(tag('page_viewed', 'content', { path }, rules), 'advocacy', 'loyalty');
  });

  it('uses the first matching url rule', () => {
    const rules: JourneyRules = { urls: [{ match: '/nope', touchpoint: 'cart' }, { match: 'rewards', touchpoint: 'loyalty' }, { match: '/pages', touchpoint: 'support' }] };
    expectTag(tag('page_viewed', 'content', { path }, rules), 'retention', 'loyalty');
  });

  it('matches a global RegExp the same way every time', () => {
    const rules: JourneyRules = { urls: [{ match: /rewards/g, touchpoint: 'loyalty' }] };
    for (let i = 0; i < 3; i++) expect(tag('page_viewed', 'content', { path }, rules).touchpoint).toBe('loyalty');
  });

  it('matches event rules by prefix_*', () => {
    const rules: JourneyRules = { events: { 'wishlist_*': { touchpoint: 'product_page', stage: 'consideration' } } };
    expectTag(tag('wishlist_added', 'home', {}, rules), 'consideration', 'product_page');
    expectTag(tag('wishlist', 'home', {}, rules), 'awareness', 'home');
  });

  it('makes a rule stage final, over the entry and customer adjustments', () => {
    const rules: JourneyRules = { pages: { product: { stage: 'consideration' } } };
    expectTag(tag('page_viewed', 'product', { lifecycle: 'customer' }, rules), 'consideration', 'product_page');
    expectTag(tag('page_viewed', 'product', { isEntry: true, arrival: { touchpoint: 'ad' } }, rules), 'consideration', 'ad');
  });

  it('lets a rule touchpoint win over the arrival', () => {
    const rules: JourneyRules = { urls: [{ match: '/rewards', touchpoint: 'loyalty' }] };
    expectTag(tag('page_viewed', 'content', { path, isEntry: true, arrival: { touchpoint: 'email' } }, rules), 'retention', 'loyalty');
  });
});

describe('rules with unknown values are ignored, with a one-line message', () => {
  it('skips an unknown stage or touchpoint and falls through to the next rule or the default', () => {
    const messages: string[] = [];
    const rules = {
      urls: [{ match: '/rewards', stage: 'delight', touchpoint: 'loyalty' }],
      events: { page_viewed: { stage: 'retention', touchpoint: 'kiosk' } },
    } as unknown as JourneyRules;
    const result = tagEvent({ type: 'page_viewed', pageType: 'content', properties: {}, lifecycle: 'new', isEntry: false, path: '/rewards' }, rules, (m) => messages.push(m));
    expectTag(result, 'retention', 'loyalty');
    expect(messages).toEqual(['journey rules: unknown stage "delight", ignored']);
    tagEvent({ type: 'page_viewed', pageType: 'content', properties: {}, lifecycle: 'new', isEntry: false }, rules, (m) => messages.push(m));
    expect(messages.at(-1)).toBe('journey rules: unknown touchpoint "kiosk", ignored');
  });

  it('survives malformed rules without throwing', () => {
    const malformed = [
      null,
      {},
      { urls: 'rewards' },
      { urls: {} },
      { urls: [null, { match: undefined, touchpoint: 'cart' }, { match: 42, touchpoint: 'cart' }] },
      { events: null, pages: null },
      { events: { page_viewed: null }, pages: { product: 'cart' } },
    ] as unknown as JourneyRules[];
    for (const rules of malformed) {
      expect(tag('page_viewed', 'product', { path: '/products/mug' }, rules), JSON.stringify(rules)).toEqual({
        stage: 'consideration',
        touchpoint: 'product_page',
      });
    }
  });
});
