// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { tag } from '../../../examples/collector/seed.mjs';
import { tagEvent } from '../../../src/journey/stage';
import type { Lifecycle, PageType } from '../../../src/types';

// The seed runs in plain Node, which cannot import the SDK's TypeScript, so it carries a copy of the tagging
// tables. Every combination it can produce must be tagged as the SDK tags it, or the demo map lies.
const TYPES = [
  'page_viewed', 'product_viewed', 'product_list_viewed', 'search_submitted', 'product_added_to_cart',
  'product_removed_from_cart', 'cart_viewed', 'cart_updated', 'coupon_applied', 'checkout_started',
  'checkout_step_viewed', 'checkout_step_completed', 'payment_info_submitted', 'order_completed',
  'checkout_abandoned', 'order_status_viewed', 'support_contacted', 'loyalty_viewed', 'review_submitted', 'share',
  'web_vital', 'rage_click', 'dead_click', 'form_error', 'js_error', 'scroll_depth', 'feedback_given',
  'prompt_shown', 'prompt_dismissed',
];
const PAGES: PageType[] = ['home', 'collection', 'search', 'product', 'cart', 'checkout', 'order_confirmation', 'account', 'support', 'content'];
const ARRIVALS = [undefined, 'search', 'social', 'ad', 'referral', 'direct', 'email'];
const STEPS = ['', 'contact', 'shipping', 'payment', 'review'];
const LIFECYCLES: Lifecycle[] = ['new', 'returning', 'customer'];

describe('the demo seed tags events as the SDK does', () => {
  it('for every event type, page, arrival, checkout step and lifecycle it can produce', () => {
    const differ: string[] = [];
    for (const type of TYPES)
      for (const pageType of PAGES)
        for (const arrival of ARRIVALS)
          for (const step of STEPS)
            for (const lifecycle of LIFECYCLES) {
              const seeded = tag(type, pageType, { arrival, step, lifecycle });
              const sdk = tagEvent({ type, pageType, path: '/', isEntry: !!arrival, arrival: arrival ? { touchpoint: arrival } : undefined, step: step || undefined, lifecycle } as never);
              if (seeded.stage != sdk.stage || seeded.touchpoint != sdk.touchpoint)
                differ.push(`${type} on ${pageType} (${arrival ?? 'inside'}, ${step || 'no step'}, ${lifecycle}): seed ${seeded.stage}/${seeded.touchpoint}, SDK ${sdk.stage}/${sdk.touchpoint}`);
            }
    expect(differ.slice(0, 5)).toEqual([]);
    expect(differ).toHaveLength(0);
  });

  it('for ratings, by their question and the touchpoint an email link names', () => {
    const differ: string[] = [];
    for (const pageType of PAGES)
      for (const question of ['checkout', 'delivery', 'support', 'product', undefined])
        for (const touchpoint of ['email', 'nowhere', undefined])
          for (const lifecycle of LIFECYCLES) {
            const properties = { score: 4, question, touchpoint };
            const seeded = tag('feedback_given', pageType, { lifecycle, properties });
            const sdk = tagEvent({ type: 'feedback_given', pageType, path: '/', isEntry: false, properties, lifecycle } as never);
            if (seeded.stage != sdk.stage || seeded.touchpoint != sdk.touchpoint)
              differ.push(`${question} via ${touchpoint} on ${pageType} (${lifecycle}): seed ${seeded.stage}/${seeded.touchpoint}, SDK ${sdk.stage}/${sdk.touchpoint}`);
          }
    expect(differ).toEqual([]);
  });
});
