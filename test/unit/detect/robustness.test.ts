import { afterAll, describe, expect, test } from 'vitest';
import { detectPage } from '../../../src/detect';
import type { PageInfo } from '../../../src/types';
import { closeAll, page } from './load';

afterAll(closeAll);

const T = { timeout: 30_000 };
const ld = (json: string) => `<script type="application/ld+json">${json}</script>`;

function detect(html: string, href: string): PageInfo & { logs: string[] } {
  const logs: string[] = [];
  return { ...detectPage(page(html, href), new URL(href), undefined, (m) => logs.push(m)), logs };
}

describe('odd pages give a best-effort result and a diagnostic, never an exception', () => {
  test('broken JSON-LD is skipped, the next block still read', T, () => {
    const info = detect(ld('{"@type":"Product","name": ') + ld('{"@type":"Product","name":"Lamp","offers":{"price":"20","priceCurrency":"EUR"}}'), 'https://s.test/lamp');
    expect(info).toMatchObject({ type: 'product', source: 'schema', product: { name: 'Lamp', price: 20, currency: 'EUR' } });
    expect(info.logs).toEqual(['detect: broken JSON-LD skipped']);
  });

  test('JSON-LD blocks over 100 KB are not parsed', T, () => {
    const big = JSON.stringify({ '@type': 'Product', name: 'Huge', description: 'x'.repeat(120_000) });
    const info = detect(ld(big), 'https://s.test/huge');
    expect(info).toEqual({ type: 'other', source: 'default', logs: ['detect: JSON-LD block over 100 KB skipped'] });
  });

  test('only the first 10 JSON-LD blocks are read', T, () => {
    const noise = ld('{"@type":"WebSite"}').repeat(10);
    expect(detect(noise + ld('{"@type":"Product","name":"Late"}'), 'https://s.test/late').type).toBe('other');
  });

  test('a product without a price keeps what it has', T, () => {
    expect(detect(ld('{"@type":"Product","name":"Mystery box","offers":{"@type":"Offer"}}'), 'https://s.test/box')).toEqual({
      type: 'product', source: 'schema', product: { name: 'Mystery box' }, logs: [],
    });
  });

  test('a product page with nothing to read says so', T, () => {
    expect(detect('<p>Chair</p>', 'https://s.test/products/chair')).toEqual({
      type: 'product', source: 'url', logs: ['detect: no product data'],
    });
  });

  test('several JSON-LD products: the first is the product page’s, and the URL decides the type', T, () => {
    const two = ld('[{"@type":"Product","name":"A","sku":"a"},{"@type":"Product","name":"B","sku":"b"}]');
    expect(detect(two, 'https://s.test/products/a')).toMatchObject({
      type: 'product', source: 'url', product: { id: 'a', sku: 'a', name: 'A' }, logs: ['detect: 2 JSON-LD products, the first used'],
    });
    expect(detect(two, 'https://s.test/collections/ab').list).toEqual({
      items: [{ id: 'a', sku: 'a', name: 'A' }, { id: 'b', sku: 'b', name: 'B' }],
    });
  });

  test('a catalogue dump is capped at 50 list items', T, () => {
    const cards = Array.from({ length: 400 }, (_, i) => `<li data-parcours-product-id="p${i}">Item ${i}</li>`).join('');
    expect(detect(`<ul>${cards}</ul>`, 'https://s.test/collections/all').list?.items).toHaveLength(50);
  });

  test('odd JSON-LD shapes: type lists, full type URLs, nulls, brand lists, nested offers', T, () => {
    const odd = ld(`{"@context":"https://schema.org","@graph":[null, 3, "x", {"@type":["Thing","http://schema.org/Product"],
      "name":"Odd","brand":[{"@type":"Brand","name":"First"},{"name":"Second"}],"category":{"name":"Cat"},
      "offers":[{"@type":"AggregateOffer","offers":[{"price":"1.234,00","priceCurrency":"EUR"}]}]}]}`);
    expect(detect(odd, 'https://s.test/odd').product).toEqual({ name: 'Odd', brand: 'First', category: 'Cat', price: 1234, currency: 'EUR' });
  });

  test('deeply nested JSON-LD does not recurse without end', T, () => {
    const deep = '['.repeat(5000) + '{"@type":"Product","name":"Deep"}' + ']'.repeat(5000);
    expect(detect(ld(deep), 'https://s.test/deep')).toMatchObject({ type: 'other' });
  });

  test('hostile markup: script-like attribute values, hostile text, invalid step values', T, () => {
    const info = detect(
      `<body data-parcours-page="<img src=x onerror=alert(1)>"><div data-parcours-checkout-step="__proto__"></div>
       <div data-parcours-product-id="&quot;);alert(1)//" data-parcours-product-price="NaN €"></div></body>`,
      'https://s.test/cart',
    );
    expect(info).toEqual({
      type: 'cart', source: 'url', cart: { items: [{ id: '");alert(1)//' }], itemCount: 1 },
      logs: ['detect: unknown "__proto__" ignored', 'detect: unknown "<img src=x onerror=alert(1)>" ignored'],
    });
  });

  test('a platform global whose getter throws loses that signal, not the page', T, () => {
    const doc = page('<body class="woocommerce-cart woocommerce-page"></body>', 'https://s.test/cart');
    Object.defineProperty(doc.defaultView!, 'Shopify', { get: () => { throw new Error('no'); } });
    const logs: string[] = [];
    const info = detectPage(doc, new URL('https://s.test/cart'), undefined, (m) => logs.push(m));
    expect(info).toEqual({ type: 'cart', source: 'platform', platform: 'woocommerce' });
    expect(logs).toEqual(['detect: internal error: no']);
  });

  test('a broken data attribute JSON (PrestaShop data-product) falls back to the other sources', T, () => {
    const doc = page(
      `<script>window.prestashop = {"page":{"page_name":"product"}};</script>
       <div id="product-details" data-product="{not json"></div>
       <meta property="product:price:amount" content="9.90"><meta property="product:price:currency" content="EUR">
       <meta property="og:title" content="Tote bag">`,
      'https://s.test/fr/tote.html',
    );
    expect(detectPage(doc, new URL('https://s.test/fr/tote.html'))).toEqual({
      type: 'product', source: 'platform', platform: 'prestashop', product: { name: 'Tote bag', price: 9.9, currency: 'EUR' },
    });
  });

  test('a large listing is read in bounded time, 50 items at most', T, () => {
    const cards = Array.from({ length: 1000 }, (_, i) => `<li class="product"><a data-product_id="${i}" class="add_to_cart_button"></a><span class="price"><span class="amount">${i},00 €</span></span></li>`).join('');
    const doc = page(`<body class="tax-product_cat woocommerce"><ul class="products">${cards}</ul></body>`, 'https://s.test/c/x');
    const t = performance.now();
    const info = detectPage(doc, new URL('https://s.test/c/x'));
    expect(performance.now() - t).toBeLessThan(1000); // generous: happy-dom's selectors are slow, browsers' are not
    expect(info.list?.items).toHaveLength(50);
  });

  test('never throws on a document that is not one', () => {
    expect(detectPage({} as Document, new URL('https://s.test/cart'))).toEqual({ type: 'other', source: 'default' });
  });
});
