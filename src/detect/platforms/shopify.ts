/**
 * Shopify (Online Store 2.0 themes such as Dawn, older `template-*` themes). Sources: `ShopifyAnalytics.meta` (page
 * type, product, collection products; prices in minor units), Dawn's cart markup. The checkout, thank-you and order
 * status pages run no theme script since 26 August 2026 (Additional Scripts removed on every plan): the custom pixel
 * (`parcours-shopify-pixel.js`) reports them, and the URL types a legacy one.
 */
import type { Api, Platform } from '../platform';

const ITEM = 'id;brand=vendor;category=type;variant=variants.0.id;sku=variants.0.sku;price=variants.0.price%';

export const shopify: Platform = {
  name: 'shopify',
  win: 'Shopify ShopifyAnalytics',
  vars: 'ShopifyAnalytics.meta.page.pageType meta.page.pageType',
  pages:
    'product=product;collection=collection;search=searchresults search;cart=cart;home=home index;content=page article blog;account=customers/account',
  currency: 'ShopifyAnalytics.meta.currency|Shopify.currency.active',
  product: ['$ShopifyAnalytics.meta.product|$meta.product', ITEM],
  list: ['$ShopifyAnalytics.meta|$meta', 'id=page.resourceId', 'products', ITEM],
  cart: [
    [
      '',
      'total=.totals__total-value',
      '.cart-item',
      'name=.cart-item__name;price=.product-option;quantity=[name="updates[]"]@value;' +
        'variant=[data-quantity-variant-id]@data-quantity-variant-id',
    ],
  ],
};

/** AJAX cart calls of Shopify themes. */
export const shopifyCart: Api[] = [
  // `id` is the variant id; `/cart/change` with quantity 0 is a removal.
  [/\/cart\/add(?:\.js)?(?:\?|$)/, '', 'add', 'productId=product-id;variant=id|items.0.id;quantity=quantity|items.0.quantity'],
  [/\/cart\/change(?:\.js)?(?:\?|$)/, '', 'update', 'variant=id;quantity=quantity'],
  [/\/cart\/update(?:\.js)?(?:\?|$)/, '', 'update', ''],
  [/\/discount\/([^/?]+)/, '', 'coupon', ''],
];
