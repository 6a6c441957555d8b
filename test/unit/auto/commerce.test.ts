import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageInfo } from '../../../src/types';
import { attributes } from '../../../src/auto/attributes';
import { commerce } from '../../../src/auto/commerce';
import { fakeTracker } from '../support/fakeTracker';

let stop: (() => void)[] = [];
const start = (page: PageInfo = { type: 'other' }) => {
  const t = fakeTracker(page);
  stop.push(t.start(commerce()), t.start(attributes()));
  return t;
};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
  // The theme's fetch: answers every cart call with 200, as Shopify's /cart/add.js would.
  vi.stubGlobal('fetch', async () => new Response('{}', { status: 200 }));
});
afterEach(() => {
  stop.forEach((s) => s());
  stop = [];
  vi.unstubAllGlobals();
});
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('add to cart without a page load', () => {
  it('records the theme’s AJAX cart call, with the ids and quantity of its body', async () => {
    const t = start();
    await fetch('/cart/add.js', { method: 'POST', body: JSON.stringify({ id: 4242, quantity: 2 }) });
    await settle();
    expect(t.of('product_added_to_cart')).toEqual([{ variant: '4242', quantity: 2 }]);
  });

  it('leaves the theme’s fetch working as before: same response, same rejection', async () => {
    start();
    const res = await fetch('/cart/add.js', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('offline')));
    const t = start();
    await expect(fetch('/cart/add.js', { method: 'POST' })).rejects.toThrow('offline');
    expect(t.of('product_added_to_cart')).toEqual([]);
  });

  it('counts a click on an add-to-cart button and the request it causes as one action', async () => {
    document.body.innerHTML = `<div data-parcours-product-id="moon-bowl" data-parcours-product-price="38" data-parcours-product-currency="EUR">
      <button data-parcours-add-to-cart>Add</button></div>`;
    const t = start({ type: 'product' });
    document.querySelector('button')!.click();
    await fetch('/cart/add.js', { method: 'POST', body: JSON.stringify({ id: 1, quantity: 1 }) });
    await settle();
    expect(t.of('product_added_to_cart')).toEqual([{ id: 'moon-bowl', price: 38, currency: 'EUR', quantity: 1 }]);
  });

  it('ignores requests that are not cart calls, and failed cart calls', async () => {
    const t = start();
    await fetch('/api/wishlist', { method: 'POST', body: '{}' });
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 422 }));
    const t2 = start();
    await fetch('/cart/add.js', { method: 'POST', body: JSON.stringify({ id: 1 }) });
    await settle();
    expect([...t.events, ...t2.events].map((e) => e.type)).toEqual([]);
  });
});

describe('checkout steps and the order', () => {
  const checkout = (step: PageInfo['step']): PageInfo => ({ type: 'checkout', step });

  it('starts once, views each step, completes the one before, then one order per order id', () => {
    const t = start();
    t.navigate(checkout('contact'));
    t.navigate(checkout('shipping'));
    t.navigate(checkout('payment'));
    const confirmation: PageInfo = { type: 'order_confirmation', order: { id: 'AL-1', revenue: 50, currency: 'EUR', items: [] } };
    t.navigate(confirmation);
    t.navigate({ type: 'other' });
    t.navigate(confirmation); // the confirmation reloaded
    expect(t.events.map((e) => [e.type, e.properties.step ?? ''].join(' '))).toEqual([
      'checkout_started contact',
      'checkout_step_viewed contact',
      'checkout_step_completed contact',
      'checkout_step_viewed shipping',
      'checkout_step_completed shipping',
      'checkout_step_viewed payment',
      'checkout_step_completed payment',
      'payment_info_submitted payment',
      'order_completed ',
    ]);
    expect(t.of('order_completed')[0]).toMatchObject({ id: 'AL-1', revenue: 50, currency: 'EUR' });
  });

  it('does not complete a step when the customer goes back to an earlier one', () => {
    const t = start();
    t.navigate(checkout('shipping'));
    t.navigate(checkout('contact'));
    expect(t.events.map((e) => e.type + ' ' + e.properties.step)).toEqual([
      'checkout_started shipping',
      'checkout_step_viewed shipping',
      'checkout_step_viewed contact',
    ]);
  });
});

describe('declared in markup', () => {
  it('a data-parcours-event element records its event with typed props; a form records on submit only', () => {
    document.body.innerHTML = `<a href="#" data-parcours-event="size_guide_opened" data-parcours-prop-size="m" data-parcours-prop-chart-version="2">Size guide</a>
      <form data-parcours-event="newsletter_signup" data-parcours-prop-list="journal"><input name="email"><button>Join</button></form>`;
    const t = start();
    document.querySelector('a')!.click();
    document.querySelector('input')!.click();
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(t.events.map((e) => [e.type, e.properties])).toEqual([
      ['size_guide_opened', { size: 'm', chart_version: 2 }],
      ['newsletter_signup', { list: 'journal' }],
    ]);
  });

  it('recognises share buttons by where they link, once', () => {
    document.body.innerHTML = `<a href="https://www.pinterest.com/pin/create/button/?url=x">Pin</a><a href="mailto:?subject=Look">Mail</a>
      <a href="https://facebook.com/sharer/sharer.php?u=x" data-parcours-event="share" data-parcours-prop-method="facebook">FB</a>`;
    const t = start();
    document.querySelectorAll('a').forEach((a) => a.addEventListener('click', (e) => e.preventDefault()));
    document.querySelectorAll('a').forEach((a) => a.click());
    expect(t.of('share')).toEqual([{ method: 'pinterest' }, { method: 'email' }, { method: 'facebook' }]);
  });
});

describe('review forms: the star rating goes with review_submitted, never the text', () => {
  const submit = (html: string) => {
    const t = start({ type: 'product', product: { id: 'tide-mug' } });
    document.body.innerHTML = html;
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    return t.of('review_submitted');
  };
  const text = '<textarea name="comment">Lovely mug, jane@example.com</textarea>';
  const stars = (name: string, values: string[], checked: number) =>
    values.map((v, i) => `<input type="radio" name="${name}" value="${v}"${i == checked ? ' checked' : ''}>`).join('');

  it.each([
    ['WooCommerce (a select)', `<form id="review_form"><select name="rating"><option value="">Rate…</option><option value="4" selected>4</option></select>${text}</form>`, 4],
    ['Shopify Product Reviews (a hidden input)', `<form class="spr-form"><input type="hidden" name="review[rating]" value="5">${text}</form>`, 5],
    ['Magento (radios whose values are option ids)', `<form id="review-form">${stars('ratings[1]', ['16', '17', '18', '19', '20'], 1)}${text}</form>`, 2],
    ['PrestaShop product comments', `<form id="post-product-comment-form">${stars('criterion[1]', ['1', '2', '3', '4', '5'], 2)}${text}</form>`, 3],
    ['any form with a textarea and star radios', `<form action="/reviews">${stars('stars', ['1', '2', '3', '4', '5'], 4)}${text}</form>`, 5],
  ])('%s', (_, html, rating) => {
    expect(submit(html)).toEqual([{ id: 'tide-mug', rating }]);
  });

  it('sends rating null when a known review form carries none, and never a number outside 1–5', () => {
    expect(submit(`<form class="review-form"><input type="hidden" name="rating" value="50">${text}</form>`)).toEqual([{ id: 'tide-mug', rating: null }]);
  });

  it('does not take a form with a textarea but no rating field for a review', () => {
    expect(submit(`<form action="/contact"><input type="hidden" name="form_type" value="contact">${text}</form>`)).toEqual([]);
  });
});
