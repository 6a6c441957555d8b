import { beforeEach, describe, expect, it } from 'vitest';
import { CHECKOUT_KEY, PAGE_ACTION_MS, SAME_ACTION_MS, claim, forgetClaims, rememberOrder } from '../../../src/bridges/dedup';
import { webStorage, type KeyValue } from '../../../src/lib/storage';
import { at } from './support';

const T = 1_000_000;
let session: KeyValue;
let store: KeyValue;

beforeEach(() => {
  session = webStorage('sessionStorage'); // a page's storage, fresh (it keeps a memory copy of what it wrote)
  store = webStorage('localStorage');
  forgetClaims(session);
  sessionStorage.clear();
  localStorage.clear();
  at('/products/mug');
});

describe('claim: the first source to see an action records it', () => {
  it('another source within the window is told no; the same source again is a new action', () => {
    expect(claim('product_added_to_cart', {}, 'detect', session, T)).toBe(true);
    expect(claim('product_added_to_cart', {}, 'ga4', session, T + 100)).toBe(false);
    expect(claim('product_added_to_cart', {}, 'detect', session, T + 200)).toBe(true);
  });

  it(`actions: a duplicate extends the window, which ends ${SAME_ACTION_MS} ms after the last sighting`, () => {
    claim('product_added_to_cart', {}, 'detect', session, T);
    expect(claim('product_added_to_cart', {}, 'ga4', session, T + SAME_ACTION_MS - 1)).toBe(false); // click → push
    expect(claim('product_added_to_cart', {}, 'ua', session, T + 2 * SAME_ACTION_MS - 2)).toBe(false); // → the same, in UA shape
    expect(claim('product_added_to_cart', {}, 'ga4', session, T + 3 * SAME_ACTION_MS)).toBe(true);
  });

  it(`page-level events: one per URL for ${PAGE_ACTION_MS} ms; another URL is another page`, () => {
    claim('product_viewed', {}, 'ga4', session, T);
    expect(claim('product_viewed', {}, 'detect', session, T + PAGE_ACTION_MS - 1)).toBe(false);
    at('/products/bowl');
    expect(claim('product_viewed', {}, 'detect', session, T + 1)).toBe(true);
    at('/products/mug');
    expect(claim('product_viewed', {}, 'detect', session, T + 2 * PAGE_ACTION_MS)).toBe(true);
  });

  it('checkout start, steps and payment: once per checkout across pages, each step on its own', () => {
    claim('checkout_started', { step: 'contact' }, 'ga4', session, T);
    claim('checkout_step_completed', { step: 'shipping' }, 'ga4', session, T);
    forgetClaims(session); // the next page
    expect(claim('checkout_started', { step: 'contact' }, 'detect', session, T + 600_000)).toBe(false);
    expect(claim('checkout_step_completed', { step: 'shipping' }, 'detect', session, T + 600_000)).toBe(false);
    expect(claim('checkout_step_completed', { step: 'payment' }, 'detect', session, T + 600_000)).toBe(true);
    session.del(CHECKOUT_KEY); // commerce clears the checkout with the order
    expect(claim('checkout_started', { step: 'contact' }, 'detect', session, T + 700_000)).toBe(true);
  });

  it('a payment commerce marked paid counts as seen by page detection', () => {
    sessionStorage.setItem(CHECKOUT_KEY, JSON.stringify({ step: 'payment', paid: true }));
    expect(claim('payment_info_submitted', { step: 'payment' }, 'ga4', session, T)).toBe(false);
  });

  it('never throws: unreadable properties or storage leave the event to be recorded', () => {
    const broken = { get() { throw new Error('no'); }, set() { throw new Error('no'); } } as never;
    expect(claim('checkout_started', {}, 'ga4', broken, T)).toBe(true);
  });
});

describe('rememberOrder: one order per id per browser, whoever saw it', () => {
  it('is true the first time only, and keeps the last 50 ids in commerce’s list', () => {
    expect([rememberOrder(store, 'T1'), rememberOrder(store, 'T1')]).toEqual([true, false]);
    for (let i = 0; i < 60; i++) rememberOrder(store, 'o' + i);
    const kept = JSON.parse(localStorage.getItem('parcours:orders')!);
    expect([kept.length, kept[0], kept[49]]).toEqual([50, 'o10', 'o59']);
    expect(rememberOrder(store, 'T1')).toBe(true); // forgotten by now
  });
});
