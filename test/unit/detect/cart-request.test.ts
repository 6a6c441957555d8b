import { describe, expect, test } from 'vitest';
import { parseCartRequest } from '../../../src/detect';

const form = (o: Record<string, string | Blob>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.append(k, v);
  return f;
};

describe('parseCartRequest recognises the AJAX cart calls of each platform', () => {
  test.each<[string, string, string, unknown, object]>([
    // Shopify
    ['Shopify add, Dawn FormData', 'POST', '/cart/add', form({ form_type: 'product', id: '41001', quantity: '2', 'product-id': '7001' }), { action: 'add', productId: '7001', variant: '41001', quantity: 2 }],
    ['Shopify add.js, JSON items', 'POST', '/cart/add.js', '{"items":[{"id":41001,"quantity":1}]}', { action: 'add', variant: '41001', quantity: 1 }],
    ['Shopify add.js, urlencoded, locale prefix and query', 'POST', 'https://nord.test/fr/cart/add.js?sections=cart-drawer', 'id=41001&quantity=3', { action: 'add', variant: '41001', quantity: 3 }],
    ['Shopify change.js to 0 is a removal', 'POST', '/cart/change.js', { id: '41001:9f1c', quantity: 0 }, { action: 'remove', variant: '41001:9f1c', quantity: 0 }],
    ['Shopify change.js by line', 'POST', '/cart/change.js', { line: 1, quantity: 3 }, { action: 'update', quantity: 3 }],
    ['Shopify update.js', 'POST', '/cart/update.js', { updates: { 41001: 2 } }, { action: 'update' }],
    ['Shopify discount link', 'GET', '/discount/SPRING10?redirect=/cart', undefined, { action: 'coupon', coupon: 'SPRING10' }],
    // WooCommerce
    ['Woo wc-ajax add_to_cart', 'POST', '/?wc-ajax=add_to_cart', 'product_sku=MUG-01&product_id=42&quantity=2', { action: 'add', productId: '42', quantity: 2 }],
    ['Woo ?add-to-cart link', 'GET', '/boutique/?add-to-cart=42&quantity=1', undefined, { action: 'add', productId: '42', quantity: 1 }],
    ['Woo product form posted to the product page', 'POST', '/produit/mug/', form({ quantity: '2', 'add-to-cart': '42', variation_id: '77' }), { action: 'add', productId: '42', variant: '77', quantity: 2 }],
    ['Woo remove_from_cart', 'POST', '/?wc-ajax=remove_from_cart', 'cart_item_key=a1b2', { action: 'remove' }],
    ['Woo apply_coupon', 'POST', '/?wc-ajax=apply_coupon', 'security=x&coupon_code=BIENVENUE', { action: 'coupon', coupon: 'BIENVENUE' }],
    ['Woo Store API add-item', 'POST', '/wp-json/wc/store/v1/cart/add-item', '{"id":42,"quantity":2}', { action: 'add', productId: '42', quantity: 2 }],
    ['Woo Store API via rest_route', 'POST', '/?rest_route=%2Fwc%2Fstore%2Fv1%2Fcart%2Fapply-coupon', { code: 'WELCOME' }, { action: 'coupon', coupon: 'WELCOME' }],
    ['Woo Store API update-item to 0', 'POST', '/wp-json/wc/store/v1/cart/update-item', { key: 'a1b2', quantity: 0 }, { action: 'remove', quantity: 0 }],
    ['Woo Store API remove-item', 'POST', '/wp-json/wc/store/cart/remove-item', { key: 'a1b2' }, { action: 'remove' }],
    // PrestaShop
    ['Presta add, friendly URL', 'POST', '/fr/panier', 'token=x&id_product=1&id_customization=0&group%5B1%5D=2&qty=1&add=1&action=update', { action: 'add', productId: '1', quantity: 1 }],
    ['Presta delete', 'POST', '/index.php?controller=cart', 'token=x&id_product=1&id_product_attribute=2&delete=1&action=update', { action: 'remove', productId: '1', variant: '2' }],
    ['Presta quantity up, in the query', 'POST', '/en/cart?update=1&id_product=1&id_product_attribute=2&token=x&op=up', 'ajax=1&qty=1', { action: 'update', productId: '1', variant: '2', quantity: 1 }],
    ['Presta voucher', 'POST', '/de/warenkorb', 'addDiscount=1&discount_name=PROMO5&token=x', { action: 'coupon', coupon: 'PROMO5' }],
    // Magento
    ['Magento add', 'POST', '/checkout/cart/add/uenc/aHR0/product/14/', form({ product: '14', selected_configurable_option: '', form_key: 'k', qty: '2' }), { action: 'add', productId: '14', quantity: 2 }],
    ['Magento add, id only in the URL', 'POST', '/checkout/cart/add/uenc/aHR0/product/14/', undefined, { action: 'add', productId: '14' }],
    ['Magento minicart remove', 'POST', '/checkout/sidebar/removeItem/', 'item_id=88&form_key=k', { action: 'remove' }],
    ['Magento coupon', 'POST', '/checkout/cart/couponPost/', 'remove=0&coupon_code=SUMMER', { action: 'coupon', coupon: 'SUMMER' }],
    ['Magento minicart quantity', 'POST', '/checkout/sidebar/updateItemQty/', new URLSearchParams('item_id=88&item_qty=3'), { action: 'update', quantity: 3 }],
  ])('%s', (_, method, url, body, want) => {
    expect(parseCartRequest(method, url, body)).toEqual(want);
  });

  test.each<[string, string, string, unknown]>([
    ['reading the cart', 'GET', '/cart.js', undefined],
    ['a product JSON', 'GET', '/products/linen-shirt.js', undefined],
    ['a CORS preflight of an add', 'OPTIONS', '/cart/add.js', undefined],
    ['an unrelated form', 'POST', '/contact', 'email=a@b.c&message=hi'],
    ['a Presta cart page view (no add/delete/update key)', 'GET', '/fr/panier?action=show', undefined],
    ['an unparseable URL', 'POST', 'http://[bad', 'id=1'],
  ])('not a cart call: %s', (_, method, url, body) => {
    expect(parseCartRequest(method, url, body)).toBeUndefined();
  });

  test('reads only ids, quantities and coupon codes, never other fields', () => {
    const r = parseCartRequest('POST', '/cart/add.js', { id: 1, quantity: 1, email: 'someone@example.com', note: 'gift' });
    expect(r).toEqual({ action: 'add', variant: '1', quantity: 1 });
  });

  test('ignores files in FormData and bodies it cannot read', () => {
    expect(parseCartRequest('POST', '/cart/add', form({ id: new Blob(['x']) as Blob, quantity: '1' }))).toEqual({ action: 'add', quantity: 1 });
    expect(parseCartRequest('POST', '/cart/add.js', '{"items":[')).toEqual({ action: 'add' });
    expect(parseCartRequest('POST', '/cart/add.js', new ArrayBuffer(8))).toEqual({ action: 'add' });
    expect(parseCartRequest('POST', '/?wc-ajax=add_to_cart', 'product_id=42&quantity=-3')).toEqual({ action: 'add', productId: '42' });
  });

  test('never throws, even on a body whose getters throw', () => {
    const hostile = { get quantity(): never { throw new Error('boom'); } };
    expect(() => parseCartRequest('POST', '/cart/add.js', hostile)).not.toThrow();
    expect(parseCartRequest('POST', '/cart/add.js', hostile)).toBeUndefined();
  });
});
