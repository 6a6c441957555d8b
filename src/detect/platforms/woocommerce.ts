/**
 * WooCommerce (classic templates: shop loop, single product, cart, checkout, order received; Store API for
 * block themes). WordPress prints the page kind as body classes; `woocommerce_params` is on every shop page.
 */
import type { Api, Platform } from '../platform';

const ID = 'id=[data-product_id]@data-product_id;sku=[data-product_sku]@data-product_sku';

export const woocommerce: Platform = {
  name: 'woocommerce',
  // woocommerce, woocommerce-page, woocommerce-js / -no-js: one of them is on every shop page's body.
  sel: 'body[class*=woocommerce]',
  pages:
    'order_confirmation=woocommerce-order-received;checkout/payment=woocommerce-order-pay;checkout/contact=woocommerce-checkout;cart=woocommerce-cart;product=single-product;search=search-results;collection=tax-product_cat tax-product_tag post-type-archive-product woocommerce-shop;account=woocommerce-account;home=home;content=blog single-post',
  // Woo's own JSON-LD carries name, sku (the id when there is none) and price; the id is the form's.
  product: ['', 'id=[name=add-to-cart]@value|[data-product_id]@data-product_id;name=.product_title'],
  list: ['', '', 'li.product', ID + ';name=.woocommerce-loop-product__title;price=.price>.amount|.price ins .amount'],
  cart: [
    [
      '',
      'total=.order-total .amount',
      '.woocommerce-cart-form__cart-item,.woocommerce-checkout-review-order-table .cart_item',
      ID +
        ';name=.product-name a|.product-name;price=.product-price .amount;' +
        'total=.product-total .amount|.product-subtotal .amount;quantity=input.qty@value|.product-quantity',
    ],
  ],
  order: [
    '',
    'id=.woocommerce-order-overview__order strong|~order-received/(\\d+);revenue=.woocommerce-order-overview__total .amount',
    '.woocommerce-table--order-details .order_item',
    'name=.product-name a|.product-name;quantity=.product-quantity;total=.product-total .amount',
  ],
};

/** AJAX cart calls of WooCommerce themes (wc-ajax, links, the Store API). */
export const woocommerceCart: Api[] = [
  [/wc-ajax=add_to_cart/, '', 'add', 'productId=product_id;variant=variation_id;quantity=quantity'],
  [/wc-ajax=remove_from_cart/, '', 'remove', ''],
  [/wc-ajax=apply_coupon/, '', 'coupon', 'coupon=coupon_code'],
  // Store API (block themes), also reached as ?rest_route=/wc/store/v1/cart/…
  [/wc\/store(?:\/v\d)?\/cart\/add-item/, '', 'add', 'productId=id;quantity=quantity'],
  [/wc\/store(?:\/v\d)?\/cart\/remove-item/, '', 'remove', ''],
  [/wc\/store(?:\/v\d)?\/cart\/update-item/, '', 'update', 'quantity=quantity'],
  [/wc\/store(?:\/v\d)?\/cart\/apply-coupon/, '', 'coupon', 'coupon=code'],
  // The product form posts add-to-cart=ID to the product page itself; links use ?add-to-cart=ID.
  [/./, 'add-to-cart', 'add', 'productId=add-to-cart;variant=variation_id;quantity=quantity'],
];
