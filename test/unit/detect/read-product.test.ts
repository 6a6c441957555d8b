import { beforeEach, describe, expect, test } from 'vitest';
import { readProduct } from '../../../src/detect';

beforeEach(() => {
  document.body.innerHTML = `
    <ul>
      <li data-parcours-product-id="7001" data-parcours-product-name="Linen shirt" data-parcours-product-price="59,00 €"
          data-parcours-product-variant="41001" data-parcours-product-quantity="2" data-parcours-product-category="Shirts">
        <div class="bundle" data-parcours-product-id="9" data-parcours-product-name="Gift box" data-parcours-product-price="5"
             data-parcours-product-currency="EUR"><button id="inner">Add box</button></div>
        <button id="add">Add</button>
      </li>
    </ul>
    <div itemscope itemtype="http://schema.org/Product">
      <span itemprop="name">Oak chair</span><meta itemprop="sku" content="OAK-1">
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="price" content="189.5"><meta itemprop="priceCurrency" content="GBP"></div>
      <button id="buy">Buy</button>
      <div class="related" itemscope itemtype="http://schema.org/Product"><span itemprop="name">Oak stool</span><button id="stool">Buy stool</button></div>
    </div>
    <button id="lost">Nothing around me</button>`;
});

const $ = (id: string) => document.getElementById(id);

describe('readProduct finds the product an element belongs to', () => {
  test('the nearest data-parcours-product-* ancestor', () => {
    expect(readProduct($('add'))).toEqual({ id: '7001', name: 'Linen shirt', price: 59, currency: 'EUR', variant: '41001', quantity: 2, category: 'Shirts' });
    expect(readProduct($('inner'))).toEqual({ id: '9', name: 'Gift box', price: 5, currency: 'EUR' });
  });

  test('else the nearest microdata Product', () => {
    expect(readProduct($('buy'))).toEqual({ id: 'OAK-1', sku: 'OAK-1', name: 'Oak chair', price: 189.5, currency: 'GBP' });
    expect(readProduct($('stool'))).toEqual({ name: 'Oak stool' });
  });

  test('undefined when there is no product context, or no element', () => {
    expect(readProduct($('lost'))).toBeUndefined();
    expect(readProduct(null)).toBeUndefined();
    expect(readProduct({} as Element)).toBeUndefined();
  });
});
