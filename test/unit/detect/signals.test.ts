import { afterAll, describe, expect, test } from 'vitest';
import { detectPage } from '../../../src/detect';
import { closeAll, load } from './load';

afterAll(closeAll);

const T = { timeout: 30_000 };

describe('signal strength: the strongest signal decides, and is reported as source', () => {
  test('a shop rule beats platform markup; a string rule matches when contained in the path', T, () => {
    const { doc, url } = load('woocommerce/product.html', 'https://maison.test/produit/mug-ceramique/');
    expect(detectPage(doc, url, [{ match: '/produit/', type: 'content' }])).toMatchObject({ type: 'content', source: 'rule' });
  });

  test('the first matching rule wins; a RegExp rule can name the step', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/secure/step-3');
    const rules = [
      { match: /^\/secure\/step-3/, type: 'checkout' as const, step: 'payment' as const },
      { match: '/secure/', type: 'account' as const },
    ];
    expect(detectPage(doc, url, rules)).toEqual({ type: 'checkout', step: 'payment', source: 'rule' });
  });

  test('a global RegExp rule matches on every call (no lastIndex state)', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/basket-x');
    const rules = [{ match: /basket/g, type: 'cart' as const }];
    expect([detectPage(doc, url, rules).type, detectPage(doc, url, rules).type]).toEqual(['cart', 'cart']);
  });

  test('rules that match nothing leave detection to the other signals', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/cart');
    expect(detectPage(doc, url, [{ match: '/nope', type: 'home' }])).toEqual({ type: 'cart', source: 'url' });
  });

  test('data-parcours-page beats platform markup', T, () => {
    const { doc, url } = load('woocommerce/cart.html', 'https://maison.test/panier/', true);
    doc.body.setAttribute('data-parcours-page', 'support');
    expect(detectPage(doc, url)).toMatchObject({ type: 'support', source: 'attribute', platform: 'woocommerce' });
  });

  test('data-parcours-checkout-step beats the platform’s step', T, () => {
    const { doc, url } = load('magento/checkout.html', 'https://luma.test/checkout/#payment', true);
    doc.documentElement.setAttribute('data-parcours-checkout-step', 'review');
    expect(detectPage(doc, url)).toMatchObject({ type: 'checkout', step: 'review', source: 'attribute', platform: 'magento' });
  });

  test('an unknown attribute value is ignored with a diagnostic', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/cart', true);
    doc.documentElement.setAttribute('data-parcours-page', 'basket');
    const logs: string[] = [];
    expect(detectPage(doc, url, undefined, (m) => logs.push(m))).toEqual({ type: 'cart', source: 'url' });
    expect(logs).toEqual(['detect: unknown "basket" ignored']);
  });

  test('platform markup beats structured data', T, () => {
    const { doc, url } = load('prestashop/category.html', 'https://colibri.test/fr/3-vetements', true);
    const s = doc.createElement('script');
    s.type = 'application/ld+json';
    s.textContent = '{"@type":"Product","name":"Stray product"}';
    doc.body.append(s);
    expect(detectPage(doc, url)).toMatchObject({ type: 'collection', source: 'platform' });
  });

  test('structured data beats the URL', T, () => {
    const { doc, url } = load('schema/jsonld-product.html', 'https://holzwerk.test/cart');
    expect(detectPage(doc, url)).toMatchObject({ type: 'product', source: 'schema' });
  });

  test('a lone add-to-cart form makes a product page on an unknown platform', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/chair', true);
    doc.body.innerHTML = '<form action="/cart/add" method="post"><input type="hidden" name="id" value="9"></form>';
    expect(detectPage(doc, url)).toEqual({ type: 'product', source: 'platform' });
  });

  test('a page with no signal at all is "other" from the default', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/about');
    expect(detectPage(doc, url)).toEqual({ type: 'other', source: 'default' });
  });
});

describe('checkout steps', () => {
  test('from the URL when nothing else names them (Shopify ?step=, paths, hash)', T, () => {
    const { doc } = load('generic/plain.html', 'https://shop.test/');
    const step = (href: string) => detectPage(doc, new URL(href)).step;
    expect(step('https://shop.test/1/checkouts/abc?step=shipping_method')).toBe('shipping');
    expect(step('https://shop.test/checkout#payment')).toBe('payment');
    expect(step('https://shop.test/checkout/information')).toBe('contact');
    expect(step('https://shop.test/checkout')).toBe('contact');
  });

  test('are only set on checkout pages', T, () => {
    const { doc, url } = load('generic/plain.html', 'https://shop.test/faq#payment');
    expect(detectPage(doc, url)).toEqual({ type: 'support', source: 'url' });
  });
});

describe('search queries', () => {
  test.each([
    ['https://shop.test/search?q=oak+chair', 'oak chair'],
    ['https://shop.test/?s=chaise&post_type=product', 'chaise'],
    ['https://shop.test/index.php?controller=search&s=pull', 'pull'],
    ['https://shop.test/recherche?search_query=pull', 'pull'],
  ])('%s → "%s"', T, (href, query) => {
    const { doc, url } = load('generic/plain.html', href);
    expect(detectPage(doc, url)).toMatchObject({ type: 'search', query });
  });
});
