import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORM_ERROR_INTERVAL_MS, FORM_SCAN_MS, MAX_FORM_ERRORS, formErrors } from '../../../src/signals/formErrors';
import { detected, fakeTracker } from '../support/fakeTracker';

const CHECKOUT = `
  <form id="checkout" action="/checkout">
    <p class="form-row"><input name="billing_email" type="email" required value="jane.doe@example.com"></p>
    <p class="form-row"><input name="billing_phone" type="tel" pattern="[0-9]+" value="call me maybe"></p>
    <p class="form-row"><input name="billing_postcode" required></p>
    <p class="form-row"><input name="account_password" type="password" required value="hunter2"></p>
    <p class="form-row"><input name="card" autocomplete="cc-number" required value="4111111111111111"></p>
    <p class="form-row"><select name="billing_country" required><option value="">Choose</option></select></p>
  </form>`;

describe('form_error names the field and the reason, never what was typed', () => {
  let t: ReturnType<typeof fakeTracker>;
  let stop: () => void;
  const $ = <E extends Element = HTMLInputElement>(s: string) => document.querySelector(s) as unknown as E;
  const flush = () => vi.advanceTimersByTimeAsync(FORM_SCAN_MS + 1); // changes are looked at every 200 ms
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = CHECKOUT;
    t = fakeTracker(detected('checkout', 'contact'));
    stop = t.start(formErrors());
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('reports the browser validation a submit fails, with the validity reason', () => {
    $('[name=billing_email]').value = '';
    $('[name=billing_email]').checkValidity();
    $('[name=billing_phone]').checkValidity();
    $('[name=billing_country]').checkValidity();
    expect(t.of('form_error')).toEqual([
      { field: 'billing_email', field_type: 'email', form: 'form#checkout', reason: 'valueMissing' },
      { field: 'billing_phone', field_type: 'tel', form: 'form#checkout', reason: 'patternMismatch' },
      { field: 'billing_country', field_type: 'select-one', form: 'form#checkout', reason: 'valueMissing' },
    ]);
  });

  it('names password and card fields by their kind only, and no event carries a value', () => {
    for (const s of ['[name=account_password]', '[name=card]', '[name=billing_email]']) {
      $(s).value = '';
      $(s).checkValidity();
    }
    expect(t.of('form_error').map((p) => p.field)).toEqual(['password', 'cc-number', 'billing_email']);
    const sent = JSON.stringify(t.events);
    for (const typed of ['jane.doe@example.com', 'hunter2', '4111111111111111', 'call me maybe', 'account_password', '"card"']) expect(sent).not.toContain(typed);
  });

  it('reports aria-invalid="true" appearing on a field', async () => {
    $('[name=billing_postcode]').setAttribute('aria-invalid', 'false');
    await flush();
    $('[name=billing_postcode]').setAttribute('aria-invalid', 'true');
    await flush();
    expect(t.of('form_error')).toEqual([{ field: 'billing_postcode', field_type: 'text', form: 'form#checkout', reason: 'aria-invalid' }]);
  });

  it('reports an error message appearing next to a field, and an error class added to its row', async () => {
    const message = document.createElement('span');
    message.className = 'error';
    message.textContent = 'Please enter a valid postcode';
    $('[name=billing_postcode]').after(message);
    $('[name=billing_phone]').parentElement!.classList.add('woocommerce-invalid');
    await flush();
    expect(t.of('form_error')).toEqual([
      { field: 'billing_phone', field_type: 'tel', form: 'form#checkout', reason: 'message' },
      { field: 'billing_postcode', field_type: 'text', form: 'form#checkout', reason: 'message' },
    ]);
  });

  it('reports a shop-wide checkout notice without a field, and ignores empty or out-of-form generic alerts', async () => {
    document.body.insertAdjacentHTML('afterbegin', '<div role="alert">Free shipping from 50 €</div><div class="error"></div>');
    await flush();
    document.body.insertAdjacentHTML('afterbegin', '<ul class="woocommerce-error"><li>Billing Postcode is a required field.</li></ul>');
    await flush();
    expect(t.of('form_error')).toEqual([{ field: '', field_type: '', form: '', reason: 'message' }]);
  });

  it('reports error messages the server rendered with a checkout page', () => {
    stop();
    document.body.innerHTML = CHECKOUT.replace('required>', 'required><span class="mage-error">This is a required field.</span>');
    t = fakeTracker(detected('checkout', 'shipping'));
    stop = t.start(formErrors());
    expect(t.of('form_error')).toEqual([{ field: 'billing_postcode', field_type: 'text', form: 'form#checkout', reason: 'message' }]);
  });

  it('watches checkout-like forms only: a newsletter form on a product page is ignored, a login drop-down is not', () => {
    stop();
    document.body.innerHTML = `
      <form action="/newsletter"><input name="newsletter_email" type="email" required></form>
      <form action="/account/login"><input name="login_email" type="email" required></form>`;
    t = fakeTracker(detected('product'));
    stop = t.start(formErrors());
    $('[name=newsletter_email]').checkValidity();
    $('[name=login_email]').checkValidity();
    expect(t.of('form_error').map((p) => p.field)).toEqual(['login_email']);
  });

  it('watches forms inside [data-parcours-checkout-step] on any page', () => {
    stop();
    document.body.innerHTML = '<section data-parcours-checkout-step="shipping"><form><input name="address1" required></form></section>';
    t = fakeTracker(detected('other'));
    stop = t.start(formErrors());
    $('[name=address1]').checkValidity();
    expect(t.of('form_error').map((p) => p.field)).toEqual(['address1']);
  });

  it(`reports a field once per ${FORM_ERROR_INTERVAL_MS / 1000} s, and ${MAX_FORM_ERRORS} errors per page view at most`, () => {
    const postcode = $('[name=billing_postcode]');
    for (let i = 0; i < 5; i++) postcode.checkValidity(); // a theme validating on every keystroke
    vi.advanceTimersByTime(FORM_ERROR_INTERVAL_MS);
    postcode.checkValidity();
    expect(t.of('form_error')).toHaveLength(2);
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(FORM_ERROR_INTERVAL_MS);
      postcode.checkValidity();
    }
    expect(t.of('form_error')).toHaveLength(MAX_FORM_ERRORS);
    t.navigate(detected('checkout', 'payment')); // a new page view starts a new count
    postcode.checkValidity();
    expect(t.of('form_error')).toHaveLength(MAX_FORM_ERRORS + 1);
  });
});
