import { afterEach, describe, expect, it } from 'vitest';
import { fieldName, isSensitiveField } from '../../../src/privacy/fields';

/** Renders the markup and returns the element marked `data-t` (or the first form control). */
const field = (html: string): Element => {
  document.body.innerHTML = `<form>${html}</form>`;
  return document.querySelector('[data-t]') || document.querySelector('input, select, textarea')!;
};
afterEach(() => (document.body.innerHTML = ''));

describe('sensitive fields are recognised', () => {
  it.each([
    '<input type="password" name="login">',
    '<input type="PASSWORD" name="login">',
    '<input type="hidden" name="checkout_step">',
    '<input name="n1" autocomplete="cc-number">',
    '<input name="n2" autocomplete="billing cc-exp">',
    '<input name="n3" autocomplete="section-pay cc-csc">',
    '<input name="n4" autocomplete="current-password">',
    '<input name="n5" autocomplete="new-password">',
    '<input name="n6" autocomplete="one-time-code">',
    '<input name="cardNumber">',
    '<input name="checkout[credit_card][number]">',
    '<input name="card-holder">',
    '<input id="cvv2">',
    '<input name="cc_exp">',
    '<input name="payment_cvc">',
    '<input name="iban">',
    '<input name="user_ssn">',
    '<input name="pin_code">',
    '<input name="otp">',
    '<input name="api_secret">',
    '<input name="reset_token">',
    '<input name="passwd">',
    '<input name="field_7" aria-label="Security code">',
    '<input name="field_8" placeholder="Card number">',
    '<label for="f9">Numéro de carte</label><input id="f9" name="f9">',
    '<label>Mot de passe <input name="f10" data-t></label>',
    '<label for="f11">Contraseña</label><input id="f11" name="f11">',
    '<div data-parcours-ignore><input name="gift_message" data-t></div>',
    '<input name="gift_message" data-parcours-ignore>',
  ])('%s', (html) => expect(isSensitiveField(field(html))).toBe(true));
});

describe('ordinary fields are not', () => {
  it.each([
    '<input type="email" name="email" autocomplete="email">',
    '<input name="shipping_address" autocomplete="shipping street-address">',
    '<input name="businessname">',
    '<input name="zip" autocomplete="postal-code">',
    '<input type="tel" name="phone">',
    '<input type="search" name="q">',
    '<select name="country"><option>FR</option></select>',
    '<textarea name="gift_message"></textarea>',
    '<input name="coupon" autocomplete="off">',
    '<label for="qty">Quantity</label><input id="qty" type="number">',
  ])('%s', (html) => expect(isSensitiveField(field(html))).toBe(false));
});

describe('fieldName names a field without its value', () => {
  it.each([
    ['<input name="email" id="e" value="jane@doe.com">', 'email'],
    ['<input id="shipping-city" value="Lyon">', 'shipping-city'],
    ['<input autocomplete="postal-code" value="69001">', 'postal-code'],
    ['<input type="email" value="jane@doe.com">', 'email'],
    ['<input value="x">', 'text'],
    ['<input autocomplete="off" value="x">', 'text'],
    ['<select><option>FR</option></select>', 'select-one'],
    ['<textarea>hello</textarea>', 'textarea'],
    ['<div contenteditable data-t>hello</div>', 'div'],
    [`<input name="${'n'.repeat(300)}">`, 'n'.repeat(100)],
  ])('%s → %j', (html, name) => expect(fieldName(field(html))).toBe(name));

  it.each([
    ['<input type="password" name="customer[password]" value="hunter2">', 'password'],
    ['<input name="ccnum" autocomplete="cc-number" value="4111111111111111">', 'cc-number'],
    ['<input name="x" autocomplete="billing CC-CSC">', 'cc-csc'],
    ['<input name="code" autocomplete="one-time-code">', 'one-time-code'],
    ['<input type="hidden" name="authenticity_token" value="abc">', 'hidden'],
    ['<input name="cardNumber" value="4111">', 'text'],
    ['<div data-parcours-ignore><input type="email" name="email" data-t></div>', 'email'],
  ])('a sensitive field is named by its kind only: %s → %j', (html, name) => {
    const el = field(html);
    expect(fieldName(el)).toBe(name);
    expect(fieldName(el)).not.toMatch(/hunter2|4111|abc|customer|ccnum|cardNumber/);
  });

  it('never reads value', () => {
    const el = field('<input name="q">');
    Object.defineProperty(el, 'value', {
      get() {
        throw new Error('value was read');
      },
    });
    expect(fieldName(el)).toBe('q');
    expect(isSensitiveField(el)).toBe(false);
  });

  it('treats an element it cannot read as sensitive, and names it undefined', () => {
    const hostile = {
      getAttribute() {
        throw new Error('hostile');
      },
    } as unknown as Element;
    expect(isSensitiveField(hostile)).toBe(true);
    expect(fieldName(hostile)).toBeUndefined();
  });
});
