import { describe, expect, it } from 'vitest';
import { detectPage } from '../../../src/detect';

describe('order attributes on a confirmation page', () => {
  it.each([
    ['data-parcours-order-revenue', 'data-parcours-order-tax', 'data-parcours-order-shipping', 'data-parcours-order-currency'],
    ['data-parcours-revenue', 'data-parcours-tax', 'data-parcours-shipping', 'data-parcours-currency'],
  ])('reads %s and its siblings next to data-parcours-order-id', (revenue, tax, shipping, currency) => {
    document.body.innerHTML = `<div data-parcours-order-id="AL-1" ${revenue}="123.60" ${tax}="20.60" ${shipping}="12.00" ${currency}="EUR"></div>`;
    document.body.setAttribute('data-parcours-page', 'order_confirmation');
    const page = detectPage(document, new URL('https://shop.example/checkout/thank-you'));
    expect(page.order).toMatchObject({ id: 'AL-1', revenue: 123.6, tax: 20.6, shipping: 12, currency: 'EUR' });
  });
});

describe('cart total attribute', () => {
  it('reads data-parcours-cart-total on a cart page', () => {
    document.body.innerHTML = `<div data-parcours-product-id="moon-bowl" data-parcours-product-price="38" data-parcours-quantity="2"></div>
      <p data-parcours-cart-total="76.00">76,00 €</p>`;
    document.body.setAttribute('data-parcours-page', 'cart');
    const page = detectPage(document, new URL('https://shop.example/cart'));
    expect(page.cart?.total).toBe(76);
  });
});

describe('list attribute', () => {
  it('names a collection listing from data-parcours-list before its heading', () => {
    document.body.removeAttribute('data-parcours-page');
    document.body.innerHTML = `<h1>Everything</h1><ul data-parcours-list="All products">
      <li data-parcours-product-id="moon-bowl" data-parcours-product-price="38"></li></ul>`;
    const page = detectPage(document, new URL('https://shop.example/collections/all'));
    expect(page.list).toMatchObject({ name: 'All products', items: [{ id: 'moon-bowl', price: 38 }] });
  });
});
