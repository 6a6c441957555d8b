import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECKOUT_IDLE_MS, INTENT_MS, PENDING_KEY, checkoutAbandoned } from '../../../src/signals/checkoutAbandoned';
import type { PageInfo } from '../../../src/types';
import { click, detected, fakeTracker } from '../support/fakeTracker';

const CHECKOUT = `
  <form id="checkout" action="/checkout/next">
    <input name="shipping_address1"><input name="password" type="password"><input name="card" autocomplete="cc-number">
    <button class="continue">Continue</button>
  </form>
  <a class="back" href="/cart">Return to cart</a>
  <a class="terms" href="/terms" target="_blank">Terms</a>
  <table><tr class="shipping"><td data-parcours-shipping>4,90 €</td></tr><tr><td data-parcours-total>54,90 €</td></tr></table>`;

// The test document does not navigate (not even its URL): links and submits only say where the customer was going.
const { navigation } = (window as unknown as { happyDOM: { settings: { navigation: Record<string, boolean> } } }).happyDOM.settings;
navigation.disableMainFrameNavigation = navigation.disableFallbackToSetURL = true;

/** One page load of a tab: the document, a tracker and the part, as a browser would start them. */
const load = (page: PageInfo, html = CHECKOUT) => {
  document.body.innerHTML = html;
  const t = fakeTracker(page);
  const stop = t.start(checkoutAbandoned());
  return { ...t, stop };
};
const $ = (s: string) => document.querySelector(s)!;

describe('checkout_abandoned across page loads: exactly one event in the common cases', () => {
  let pages: ReturnType<typeof load>[];
  const open = (page: PageInfo, html?: string) => (pages.push(load(page, html)), pages[pages.length - 1]);
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
    pages = [];
  });
  afterEach(() => {
    pages.forEach((p) => p.stop());
    vi.useRealTimers();
  });
  const abandoned = () => pages.flatMap((p) => p.of('checkout_abandoned'));

  it('step → next step: no event', () => {
    const contact = open(detected('checkout', 'contact'));
    vi.advanceTimersByTime(40_000);
    $('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    contact.hide(false);
    contact.hide(true);
    open(detected('checkout', 'shipping'));
    expect(abandoned()).toEqual([]);
    expect(sessionStorage.getItem(PENDING_KEY)).toBeNull();
  });

  it('payment → order confirmation: no event', () => {
    const payment = open(detected('checkout', 'payment'));
    click($('button.continue'));
    vi.advanceTimersByTime(INTENT_MS - 1000); // a slow payment authorisation
    payment.hide(true);
    const confirmation = open(detected('order_confirmation'), '<h1>Thank you</h1>');
    confirmation.api.track('order_completed', { id: '1001' });
    expect(abandoned()).toEqual([]);
  });

  it('payment → tab closed: one event, sent with the page', () => {
    const payment = open(detected('checkout', 'payment'));
    vi.advanceTimersByTime(65_000);
    payment.hide(false); // visibilitychange: hidden first
    payment.hide(true);
    expect(payment.of('checkout_abandoned')).toEqual([
      { step: 'payment', last_field: '', time_on_step_ms: 65_000, price_changed: false, fee_added: false },
    ]);
    expect(sessionStorage.getItem(PENDING_KEY)).toBeNull();
  });

  it('payment → back to cart by a link: one event, sent from the cart page with step payment', () => {
    const payment = open(detected('checkout', 'payment'));
    vi.advanceTimersByTime(20_000);
    click($('a.back'));
    payment.hide(true);
    expect(payment.of('checkout_abandoned')).toEqual([]);
    const cart = open(detected('cart'), '<h1>Cart</h1>');
    expect(cart.of('checkout_abandoned')).toEqual([
      { step: 'payment', last_field: '', time_on_step_ms: 20_000, price_changed: false, fee_added: false },
    ]);
    cart.hide(true);
    open(detected('product'), '<h1>Shoe</h1>');
    expect(abandoned()).toHaveLength(1);
  });

  it('payment → back to cart with the browser button: one event, at once', () => {
    const payment = open(detected('checkout', 'payment'));
    payment.hide(true);
    open(detected('cart'), '<h1>Cart</h1>');
    expect(abandoned()).toEqual([expect.objectContaining({ step: 'payment' })]);
    expect(payment.of('checkout_abandoned')).toHaveLength(1);
  });

  it('an old click does not hold the event back: a tab closed 30 s after the last submit is abandoned', () => {
    const payment = open(detected('checkout', 'payment'));
    $('form').dispatchEvent(new Event('submit', { bubbles: true }));
    vi.advanceTimersByTime(INTENT_MS + 1);
    payment.hide(true);
    expect(payment.of('checkout_abandoned')).toHaveLength(1);
  });

  it('a link opening a new tab (terms) is not a departure', () => {
    const payment = open(detected('checkout', 'payment'));
    click($('a.terms'));
    payment.hide(true);
    expect(payment.of('checkout_abandoned')).toHaveLength(1);
  });

  it('hiding the tab is not leaving it', () => {
    const payment = open(detected('checkout', 'payment'));
    payment.hide(false);
    expect(abandoned()).toEqual([]);
  });

  it('an order in the page ends the watch', () => {
    const payment = open(detected('checkout', 'payment'));
    payment.api.track('order_completed', { id: '1001' });
    payment.hide(true);
    expect(abandoned()).toEqual([]);
  });

  it('pages that never were a checkout report nothing', () => {
    const product = open(detected('product'), '<h1>Shoe</h1>');
    product.hide(true);
    open(detected('cart'), '<h1>Cart</h1>');
    expect(abandoned()).toEqual([]);
  });

  it('starts watching when the pages part detects the checkout after this part started', () => {
    const t = open({ type: 'other' });
    t.navigate(detected('checkout', 'shipping'));
    t.hide(true);
    expect(abandoned()).toEqual([expect.objectContaining({ step: 'shipping' })]);
  });
});

describe('checkout_abandoned after a submit that did not navigate: sent at once', () => {
  let t: ReturnType<typeof load>;
  const REQUIRED = CHECKOUT.replace('<input name="shipping_address1">', '<input name="email" type="email" required>');
  const focus = (s: string) => $(s).dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
  });
  afterEach(() => {
    t.stop();
    vi.useRealTimers();
  });
  const leave = () => {
    vi.advanceTimersByTime(3_000); // the later task that looks at the submit again has run
    t.hide(true);
    expect(t.of('checkout_abandoned')).toEqual([expect.objectContaining({ step: 'contact', last_field: 'email' })]);
    expect(sessionStorage.getItem(PENDING_KEY)).toBeNull();
  };

  it('the browser refuses an invalid form (no submit event): the click on "Continue" is not a departure', () => {
    t = load(detected('checkout', 'contact'), REQUIRED);
    focus('[name=email]');
    ($('button.continue') as HTMLButtonElement).click();
    leave();
  });

  it('the theme\'s own handler prevents the submit, and the customer touches a field again', () => {
    t = load(detected('checkout', 'contact'), REQUIRED);
    const form = $('form') as HTMLFormElement;
    form.addEventListener('submit', (e) => e.preventDefault()); // runs after parcours' capturing listener
    ($('[name=email]') as HTMLInputElement).value = 'jane@example';
    form.requestSubmit();
    vi.advanceTimersByTime(1_000);
    focus('[name=email]');
    $('[name=email]').dispatchEvent(new Event('input', { bubbles: true }));
    leave();
  });

  it('a valid submit the theme takes over (AJAX, then `location = …`) waits for the next page, without the Navigation API', () => {
    t = load(detected('checkout', 'contact'), REQUIRED);
    const form = $('form') as HTMLFormElement;
    form.addEventListener('submit', (e) => e.preventDefault());
    focus('[name=email]');
    ($('[name=email]') as HTMLInputElement).value = 'jane@example.com';
    form.requestSubmit();
    vi.advanceTimersByTime(1_500);
    t.hide(true); // the theme's script navigation
    expect(t.of('checkout_abandoned')).toEqual([]);
    expect(sessionStorage.getItem(PENDING_KEY)).toContain('"step":"contact"');
  });

  it('a click on a link the page handles itself (preventDefault) is not a departure', () => {
    t = load(detected('checkout', 'contact'), REQUIRED);
    $('a.back').addEventListener('click', (e) => e.preventDefault());
    focus('[name=email]');
    click($('a.back'));
    leave();
  });

  it('a valid submit still waits for the next page (the control)', () => {
    t = load(detected('checkout', 'contact'), REQUIRED);
    focus('[name=email]');
    ($('[name=email]') as HTMLInputElement).value = 'jane@example.com';
    ($('button.continue') as HTMLButtonElement).click();
    vi.advanceTimersByTime(3_000);
    t.hide(true);
    expect(t.of('checkout_abandoned')).toEqual([]);
    expect(sessionStorage.getItem(PENDING_KEY)).toContain('"last_field":"email"');
  });
});

describe('checkout_abandoned with the Navigation API: only a navigation it announced is a departure', () => {
  let t: ReturnType<typeof load>;
  /** Chromium's `navigation`: `navigate` events, and a current entry that changes when a router intercepts. */
  const navigation = Object.assign(new EventTarget(), { currentEntry: {} as object });
  const navigate = (intercept = false, prevent = false) => {
    const e = new Event('navigate', { cancelable: true });
    navigation.dispatchEvent(e);
    if (prevent) e.preventDefault();
    if (intercept) navigation.currentEntry = {};
  };
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
    (globalThis as { navigation?: unknown }).navigation = navigation;
    t = load(detected('checkout', 'payment'));
  });
  afterEach(() => {
    t.stop();
    delete (globalThis as { navigation?: unknown }).navigation;
    vi.useRealTimers();
  });
  const leave = () => {
    vi.advanceTimersByTime(1_000);
    t.hide(true);
    return t.of('checkout_abandoned');
  };

  it('an announced cross-document navigation waits for the next page', () => {
    navigate();
    expect(leave()).toEqual([]);
    expect(sessionStorage.getItem(PENDING_KEY)).toContain('"step":"payment"');
  });

  it('a submit event alone is not one (the API would have announced a real one)', () => {
    $('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(leave()).toHaveLength(1);
  });

  it('a navigation the page cancelled is not one', () => {
    navigate(false, true);
    expect(leave()).toHaveLength(1);
  });

  it('a navigation a router intercepted (the page stays) is not one', () => {
    navigate(true);
    expect(leave()).toHaveLength(1);
  });
});

describe('checkout_abandoned in single-page checkouts', () => {
  let t: ReturnType<typeof load>;
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
    t = load(detected('checkout', 'contact'));
  });
  afterEach(() => {
    t.stop();
    vi.useRealTimers();
  });

  it('a route to the next step is not abandonment; leaving for a shop route is, with the step left', () => {
    vi.advanceTimersByTime(30_000);
    t.navigate(detected('checkout', 'shipping'));
    vi.advanceTimersByTime(12_000);
    t.navigate(detected('collection'));
    expect(t.of('checkout_abandoned')).toEqual([
      { step: 'shipping', last_field: '', time_on_step_ms: 12_000, price_changed: false, fee_added: false },
    ]);
    t.hide(true);
    expect(t.of('checkout_abandoned')).toHaveLength(1);
  });

  it('a route to the order confirmation is not abandonment', () => {
    t.navigate(detected('order_confirmation'));
    t.navigate(detected('home'));
    expect(t.of('checkout_abandoned')).toEqual([]);
  });

  it('follows steps announced by checkout_step_viewed', () => {
    vi.advanceTimersByTime(5_000);
    t.api.track('checkout_step_viewed', { step: 'payment' });
    vi.advanceTimersByTime(3_000);
    t.hide(true);
    expect(t.of('checkout_abandoned')).toEqual([expect.objectContaining({ step: 'payment', time_on_step_ms: 3_000 })]);
  });

  it(`is abandoned after ${CHECKOUT_IDLE_MS / 60_000} minutes without interaction, once`, async () => {
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    document.dispatchEvent(new KeyboardEvent('keydown'));
    await vi.advanceTimersByTimeAsync(CHECKOUT_IDLE_MS - 1000);
    expect(t.of('checkout_abandoned')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.of('checkout_abandoned')).toEqual([expect.objectContaining({ step: 'contact', time_on_step_ms: 20 * 60_000 + CHECKOUT_IDLE_MS })]);
    t.hide(true);
    await vi.advanceTimersByTimeAsync(CHECKOUT_IDLE_MS * 3);
    expect(t.of('checkout_abandoned')).toHaveLength(1);
  });
});

describe('checkout_abandoned properties', () => {
  let t: ReturnType<typeof load>;
  beforeEach(() => {
    sessionStorage.clear();
    t = load(detected('checkout', 'shipping'));
  });
  afterEach(() => t.stop());
  const focus = (s: string) => $(s).dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  const leave = async () => {
    await new Promise((r) => setTimeout(r)); // MutationObserver records arrive in a microtask
    t.hide(true);
    return t.of('checkout_abandoned')[0];
  };

  it('last_field is the name of the last field focused; a password or card field by its kind only', async () => {
    focus('[name=shipping_address1]');
    focus('[name=card]');
    expect((await leave()).last_field).toBe('cc-number');
  });

  it('last_field names a password field "password"', async () => {
    focus('[name=password]');
    expect((await leave()).last_field).toBe('password');
  });

  it('price_changed when a total or the shipping cost shown changes during the step', async () => {
    $('[data-parcours-shipping]').textContent = '9,90 €';
    expect(await leave()).toMatchObject({ price_changed: true, fee_added: false });
  });

  it('price_changed stays false when totals are only re-rendered with the same amounts', async () => {
    $('table').outerHTML = '<table><tr><td data-parcours-shipping> 4,90 € </td></tr><tr><td data-parcours-total>54,90 €</td></tr></table>';
    expect(await leave()).toMatchObject({ price_changed: false });
  });

  it('price_changed is seen in totals the theme replaced', async () => {
    $('table').outerHTML = '<table><tr><td data-parcours-shipping>4,90 €</td></tr><tr><td data-parcours-total>59,90 €</td></tr></table>';
    expect(await leave()).toMatchObject({ price_changed: true });
  });

  it('fee_added when a fee line appears', async () => {
    const fee = document.createElement('tr');
    fee.className = 'fee';
    fee.innerHTML = '<td>Cash on delivery</td><td>2,00 €</td>';
    $('table').append(fee);
    expect(await leave()).toMatchObject({ fee_added: true });
  });
});
