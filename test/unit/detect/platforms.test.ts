import { afterAll, describe, expect, test } from 'vitest';
import { detectPage } from '../../../src/detect';
import { closeAll, load } from './load';

afterAll(closeAll);

const detect = (fixture: string, href: string) => {
  const { doc, url } = load(fixture, href);
  const logs: string[] = [];
  return { ...detectPage(doc, url, undefined, (m) => logs.push(m)), logs };
};

const T = { timeout: 30_000 }; // fixture parsing is slow on a loaded 2-core machine

describe('Shopify', () => {
  test('home: the analytics page type, platform markup beating the featured product form', T, () => {
    expect(detect('shopify/home.html', 'https://nord.test/')).toEqual({
      type: 'home', source: 'platform', platform: 'shopify', logs: [],
    });
  });

  test('collection: products from ShopifyAnalytics.meta, prices from minor units', T, () => {
    const info = detect('shopify/collection.html', 'https://nord.test/collections/linen-shirts');
    expect(info.type).toBe('collection');
    // Dawn's h1 carries a visually hidden "Collection: " prefix; the heading text is read as it is.
    expect(info.list).toEqual({
      id: '4242',
      name: 'Collection: Linen shirts',
      items: [
        { id: '7001', sku: 'LIN-BLU-M', brand: 'Atelier Nord', category: 'Shirts', variant: '41001', price: 59, currency: 'EUR' },
        { id: '7002', sku: 'CAMP-SND', brand: 'Atelier Nord', category: 'Shirts', variant: '41010', price: 49.5, currency: 'EUR' },
      ],
    });
  });

  test('search: the query from the URL, results from data-parcours-product-* cards', T, () => {
    const info = detect('shopify/search.html', 'https://nord.test/search?q=linen&type=product');
    expect(info).toMatchObject({ type: 'search', source: 'platform', platform: 'shopify', query: 'linen' });
    expect(info.list).toEqual({
      items: [
        { id: '7001', name: 'Linen shirt', price: 59, currency: 'EUR' },
        { id: '7003', name: 'Linen trousers', price: 89, currency: 'EUR' },
      ],
    });
  });

  test('product: ids from the analytics meta, the name from Dawn’s JSON-LD', T, () => {
    expect(detect('shopify/product.html', 'https://nord.test/products/linen-shirt')).toEqual({
      type: 'product',
      source: 'platform',
      platform: 'shopify',
      product: {
        id: '7001', sku: 'LIN-BLU-M', name: 'Linen shirt', brand: 'Atelier Nord', category: 'Shirts',
        variant: '41001', price: 59, currency: 'EUR',
      },
      logs: [],
    });
  });

  test('cart: no page type in the meta, so the URL decides; lines from Dawn’s cart table', T, () => {
    expect(detect('shopify/cart.html', 'https://nord.test/cart')).toEqual({
      type: 'cart',
      source: 'url',
      platform: 'shopify',
      cart: {
        items: [
          { name: 'Linen shirt', variant: '41001', quantity: 2, price: 59, currency: 'EUR' },
          { name: 'Camp collar shirt', variant: '41010', quantity: 1, price: 49.5, currency: 'EUR' },
        ],
        total: 167.5,
        currency: 'EUR',
        itemCount: 3,
      },
      logs: [],
    });
  });

  // Since 26 August 2026 no Shopify shop runs a script tag on its checkout, thank-you or order status pages
  // (checkout.liquid went in 2024, Additional Scripts in 2025 for Plus and in 2026 for every plan): the custom pixel
  // reports them. A legacy page that still carries `Shopify.Checkout.step` or `Shopify.checkout` is typed by its URL.
  test.each([
    ['checkout-contact.html', 'https://nord.test/1234/checkouts/c0ffee', 'checkout', 'contact'],
    ['checkout-shipping.html', 'https://nord.test/1234/checkouts/c0ffee?step=shipping_method', 'checkout', 'shipping'],
    ['checkout-payment.html', 'https://nord.test/1234/checkouts/c0ffee?step=payment_method', 'checkout', 'payment'],
    ['thank-you.html', 'https://nord.test/1234/orders/5f2a9c', 'order_confirmation', undefined],
  ])('legacy %s: typed by its URL, nothing read from Shopify.checkout', T, (file, href, type, step) => {
    const info = detect(`shopify/${file}`, href);
    expect(info).toMatchObject({ type, source: 'url', platform: 'shopify' });
    expect(info.step).toBe(step);
    expect(JSON.stringify(info)).not.toMatch(/someone@example|Sam|Lyon|4242/);
  });
});

describe('WooCommerce', () => {
  test('category: loop items with ids and skus from the add-to-cart buttons, sale prices', T, () => {
    expect(detect('woocommerce/category.html', 'https://maison.test/categorie-produit/mugs/')).toEqual({
      type: 'collection',
      source: 'platform',
      platform: 'woocommerce',
      list: {
        name: 'Mugs',
        items: [
          { id: '42', sku: 'MUG-01', name: 'Mug céramique', price: 12, currency: 'EUR' },
          { id: '43', sku: 'MUG-02', name: 'Mug émaillé', price: 14.5, currency: 'EUR' },
        ],
      },
      logs: [],
    });
  });

  test('product: the id from the add-to-cart form, the rest from Woo’s JSON-LD @graph', T, () => {
    expect(detect('woocommerce/product.html', 'https://maison.test/produit/mug-ceramique/')).toMatchObject({
      type: 'product',
      source: 'platform',
      product: { id: '42', name: 'Mug céramique', sku: 'MUG-01', price: 12, currency: 'EUR' },
    });
  });

  test('cart: lines with quantities and French-formatted prices, the order total', T, () => {
    expect(detect('woocommerce/cart.html', 'https://maison.test/panier/').cart).toEqual({
      items: [
        { id: '42', sku: 'MUG-01', name: 'Mug céramique', quantity: 2, price: 12, currency: 'EUR' },
        { id: '51', sku: 'TEA-07', name: 'Thé vert – 100 g', quantity: 1, price: 1234.5, currency: 'EUR' },
      ],
      total: 1258.5,
      currency: 'EUR',
      itemCount: 3,
    });
  });

  test('checkout: one page, so the step is contact; unit prices from line totals; no form values', T, () => {
    const info = detect('woocommerce/checkout.html', 'https://maison.test/commande/');
    expect(info).toMatchObject({ type: 'checkout', step: 'contact', source: 'platform' });
    expect(info.cart).toEqual({
      items: [
        { name: 'Mug céramique', quantity: 2, price: 12, currency: 'EUR' },
        { name: 'Thé vert – 100 g', quantity: 3, price: 6.5, currency: 'EUR' },
      ],
      total: 48.4,
      currency: 'EUR',
      itemCount: 5,
    });
    expect(JSON.stringify(info)).not.toContain('someone@example.com');
  });

  test('order received: number and total from the overview, items from the details table', T, () => {
    expect(detect('woocommerce/order-received.html', 'https://maison.test/commande/order-received/1234/?key=k').order).toEqual({
      id: '1234',
      revenue: 48.4,
      currency: 'EUR',
      items: [
        { name: 'Mug céramique', quantity: 2, price: 12, currency: 'EUR' },
        { name: 'Thé vert – 100 g', quantity: 3, price: 6.5, currency: 'EUR' },
      ],
    });
  });
});

describe('PrestaShop', () => {
  const CART = {
    items: [
      { id: '1', sku: 'demo_1', name: 'T-shirt colibri', variant: '2', category: 'vetements', quantity: 2, price: 23.9, currency: 'EUR' },
      { id: '8', sku: 'demo_13', name: 'Mug Today is a good day', variant: '0', category: 'maison', quantity: 1, price: 11.9, currency: 'EUR' },
    ],
    total: 66.7,
    currency: 'EUR',
    itemCount: 3,
  };

  test('product: the data-product JSON of the product details', T, () => {
    expect(detect('prestashop/product.html', 'https://colibri.test/fr/vetements/1-2-t-shirt-colibri.html')).toEqual({
      type: 'product',
      source: 'platform',
      platform: 'prestashop',
      product: {
        id: '1', variant: '2', sku: 'demo_1', name: 'T-shirt colibri', brand: 'Studio Design', category: 'Vêtements',
        price: 23.9, currency: 'EUR',
      },
      logs: [],
    });
  });

  test('category: product miniatures with their attribute ids', T, () => {
    expect(detect('prestashop/category.html', 'https://colibri.test/fr/3-vetements').list).toEqual({
      name: 'Vêtements',
      items: [
        { id: '1', variant: '1', name: 'T-shirt colibri', price: 23.9, currency: 'EUR' },
        { id: '2', variant: '9', name: 'Pull ours brun', price: 28.72, currency: 'EUR' },
      ],
    });
  });

  test('cart: lines and totals from the prestashop global', T, () => {
    expect(detect('prestashop/cart.html', 'https://colibri.test/fr/panier?action=show')).toMatchObject({ type: 'cart', cart: CART });
  });

  test.each([
    ['personal-information', 'contact'],
    ['addresses', 'shipping'],
    ['delivery', 'shipping'],
    ['payment', 'payment'],
  ])('checkout, %s step current: step %s, cart from the global', T, (file, step) => {
    expect(detect(`prestashop/checkout-${file}.html`, 'https://colibri.test/fr/commande')).toEqual({
      type: 'checkout', step, source: 'platform', platform: 'prestashop', cart: CART, logs: [],
    });
  });

  test('order confirmation: id_order from the URL, lines and total from the confirmation table', T, () => {
    expect(
      detect('prestashop/order-confirmation.html', 'https://colibri.test/fr/confirmation-commande?id_cart=5&id_order=17&key=abc').order,
    ).toEqual({
      id: '17',
      revenue: 66.7,
      currency: 'EUR',
      items: [
        { name: 'T-shirt colibri - Taille : M', quantity: 2, price: 23.9, currency: 'EUR' },
        { name: 'Mug Today is a good day', quantity: 1, price: 11.9, currency: 'EUR' },
      ],
    });
  });
});

describe('Magento 2', () => {
  test('product: the id from the price box, the rest from Luma’s microdata', T, () => {
    expect(detect('magento/product.html', 'https://luma.test/driftwood-tee.html')).toEqual({
      type: 'product',
      source: 'platform',
      platform: 'magento',
      product: { id: '14', sku: 'MS10', name: 'Driftwood Tee', price: 29, currency: 'USD' },
      logs: [],
    });
  });

  test('category and search: product items, the query', T, () => {
    const tee = { id: '14', name: 'Driftwood Tee', price: 29, currency: 'USD' };
    expect(detect('magento/category.html', 'https://luma.test/men/tops-men/tees-men.html').list).toEqual({
      name: 'Tees',
      items: [tee, { id: '15', name: 'Aero Daily Fitness Tee', price: 24, currency: 'USD' }],
    });
    expect(detect('magento/search.html', 'https://luma.test/catalogsearch/result/?q=tee')).toMatchObject({
      type: 'search', query: 'tee', list: { items: [tee] },
    });
  });

  test('cart: lines from the cart table (totals are rendered later by Knockout)', T, () => {
    expect(detect('magento/cart.html', 'https://luma.test/checkout/cart/').cart).toEqual({
      items: [{ name: 'Driftwood Tee', quantity: 2, price: 29, currency: 'USD' }],
      currency: 'USD',
      itemCount: 2,
    });
  });

  test('checkout: the step is the hash, the cart is window.checkoutConfig', T, () => {
    const cart = {
      items: [{ id: '14', sku: 'MS10-M', name: 'Driftwood Tee', quantity: 2, price: 29, currency: 'USD' }],
      total: 63,
      currency: 'USD',
      itemCount: 2,
    };
    expect(detect('magento/checkout.html', 'https://luma.test/checkout/#shipping')).toMatchObject({ step: 'shipping', cart });
    expect(detect('magento/checkout.html', 'https://luma.test/checkout/#payment')).toMatchObject({ step: 'payment', cart });
    expect(JSON.stringify(detect('magento/checkout.html', 'https://luma.test/checkout/'))).not.toContain('someone@example');
  });

  test('success: the order number (Luma shows no totals)', T, () => {
    expect(detect('magento/success.html', 'https://luma.test/checkout/onepage/success/')).toEqual({
      type: 'order_confirmation', source: 'platform', platform: 'magento', order: { id: '000000042', items: [] }, logs: [],
    });
  });
});

describe('schema.org pages without a platform', () => {
  test('a JSON-LD Product in an array, with an AggregateOffer', T, () => {
    expect(detect('schema/jsonld-product.html', 'https://holzwerk.test/schreibtisch-nussbaum')).toEqual({
      type: 'product',
      source: 'schema',
      product: {
        id: 'HW-2201', sku: 'HW-2201-NB', name: 'Schreibtisch Nussbaum', brand: 'Holzwerk', category: 'Möbel > Tische',
        price: 1249, currency: 'EUR',
      },
      logs: [],
    });
  });

  test('a microdata Product: its own properties, not its brand’s, review’s or related products’', T, () => {
    expect(detect('schema/microdata-product.html', 'https://woodline.test/oak-chair').product).toEqual({
      id: 'OAK-CH-1', sku: 'OAK-CH-1', name: 'Oak chair', brand: 'Woodline', price: 189.5, currency: 'GBP',
    });
  });

  test('a JSON-LD Order beats an URL that says checkout', T, () => {
    expect(detect('schema/order-jsonld.html', 'https://holzwerk.test/bestellung/fertig')).toEqual({
      type: 'order_confirmation',
      source: 'schema',
      order: {
        id: 'HW-10077',
        revenue: 1344.8,
        currency: 'EUR',
        coupon: 'HOLZ5',
        items: [
          { id: 'HW-2201-NB', sku: 'HW-2201-NB', name: 'Schreibtisch Nussbaum', quantity: 1, price: 1249, currency: 'EUR' },
          { id: 'HW-0042', sku: 'HW-0042', name: 'Filzgleiter', quantity: 4, price: 4.95, currency: 'EUR' },
        ],
      },
      logs: [],
    });
  });

  test('a CollectionPage whose mainEntity is an ItemList', T, () => {
    expect(detect('schema/itemlist.html', 'https://garden.test/outdoor')).toEqual({
      type: 'collection',
      source: 'schema',
      list: {
        name: 'Outdoor furniture',
        items: [
          { id: 'TB-1', sku: 'TB-1', name: 'Teak bench', price: 420, currency: 'USD' },
          { id: 'FT-2', sku: 'FT-2', name: 'Folding table', price: 199, currency: 'USD' },
        ],
      },
      logs: [],
    });
  });

  test('og:type article is content', T, () => {
    expect(detect('schema/article.html', 'https://woodline.test/2024/05/drying-oak')).toEqual({ type: 'content', source: 'schema', logs: [] });
  });
});

describe('data-parcours-* attributes on any theme', () => {
  test('data-parcours-page and the product attributes', T, () => {
    expect(detect('generic/attributes-product.html', 'https://kiln.test/bowls/77')).toEqual({
      type: 'product',
      source: 'attribute',
      product: {
        id: 'B-77', sku: 'BOWL-77', name: 'Hand-thrown bowl', price: 1234.5, currency: 'EUR', brand: 'Kiln & Co',
        category: 'Ceramics', variant: 'Sage',
      },
      logs: [],
    });
  });

  test('a checkout step marker alone makes a checkout page; marked lines are the cart', T, () => {
    expect(detect('generic/attributes-checkout.html', 'https://kiln.test/secure/step2')).toEqual({
      type: 'checkout',
      step: 'shipping',
      source: 'attribute',
      cart: { items: [{ id: 'B-77', name: 'Hand-thrown bowl', quantity: 2, price: 45, currency: 'GBP' }], currency: 'GBP', itemCount: 2 },
      logs: [],
    });
  });

  test('<meta name="parcours:page"> and data-parcours-order-* make an order', T, () => {
    expect(detect('generic/attributes-order.html', 'https://kiln.test/secure/done')).toEqual({
      type: 'order_confirmation',
      source: 'attribute',
      order: {
        id: 'R-2001', revenue: 94.8, tax: 15.8, shipping: 4.8, currency: 'GBP', coupon: 'SPRING',
        items: [{ id: 'B-77', name: 'Hand-thrown bowl', quantity: 2, price: 45, currency: 'GBP' }],
      },
      logs: [],
    });
  });
});
