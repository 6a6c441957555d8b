import { beforeEach, describe, expect, it } from 'vitest';
import type { PageInfo } from '../../../src/types';
import { promptTrigger } from '../../../src/feedback/promptTrigger';
import { fakeTracker } from '../support/fakeTracker';

const start = (page: PageInfo) => {
  const t = fakeTracker(page);
  let shown = 0;
  t.start(promptTrigger(() => shown++));
  return { t, shown: () => shown };
};

beforeEach(() => sessionStorage.clear());

describe('when the prompt shows', () => {
  it('after an order', () => {
    const { t, shown } = start({ type: 'order_confirmation' });
    t.api.track('order_completed', { id: 'A-1' });
    expect(shown()).toBe(1);
  });

  it('after a checkout step left following a checkout form error, on the next page of the tab', () => {
    const checkout = start({ type: 'checkout', step: 'shipping' });
    checkout.t.api.track('form_error', { field: 'postcode' });
    expect(checkout.shown()).toBe(0);
    const cart = start({ type: 'cart' }); // the next page: a new tracker, the same tab
    cart.t.api.track('checkout_abandoned', { step: 'shipping' });
    expect(cart.shown()).toBe(1);
  });

  it('not after an abandonment without a form error, nor after a form error outside checkout', () => {
    const account = start({ type: 'account' });
    account.t.api.track('form_error', { field: 'password' });
    account.t.api.track('checkout_abandoned', { step: 'contact' });
    expect(account.shown()).toBe(0);
  });

  it('at most once per tab session', () => {
    const first = start({ type: 'order_confirmation' });
    first.t.api.track('order_completed', { id: 'A-1' });
    const second = start({ type: 'order_confirmation' });
    second.t.api.track('order_completed', { id: 'A-2' });
    expect([first.shown(), second.shown()]).toEqual([1, 0]);
  });
});
