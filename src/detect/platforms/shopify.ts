/**
 * Shopify (Online Store 2.0 themes such as Dawn, older `template-*` themes, legacy checkout). Sources:
 * `ShopifyAnalytics.meta` (page type, product, collection products; prices in minor units), `Shopify.Checkout.step`
 * and `Shopify.checkout` (legacy checkout and thank-you / order status pages), Dawn's cart markup.
 */
import type { Api, Platform } from '../platform';

const ITEM = 'id;brand=vendor;category=type;variant=variants.0.id;sku=variants.0.sku;price=variants.0.price%';

export const shopify: Platform = {
  name: 'shopify',
  win: 'Shopify ShopifyAnalytics',
  vars: 'ShopifyAnalytics.meta.page.pageType meta.page.pageType Shopify.Checkout.step',
  pages:
    'order_confirmation=thank_you;checkout/contact=contact_information;checkout/shipping=shipping_method;checkout/payment=payment_method;checkout/review=processing;product=product;collection=collection;search=searchresults search;cart=cart;home=home index;content=page article blog;account=customers/account',
  currency: 'ShopifyAnalytics.meta.currency|Shopify.currency.active|Shopify.checkout.currency',
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
  order: [
    '$Shopify.checkout',
    'id=order_id;revenue=total_price;tax=total_tax;shipping=shipping_rate.price;currency;coupon=discount.code',
    'line_items',
    'id=product_id;variant=variant_id;sku;name=title;brand=vendor;price;quantity',
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
