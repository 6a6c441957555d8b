/**
 * PrestaShop 1.7–8 (classic theme). The `prestashop` global names the page (`page.page_name`, also the body id)
 * and holds the cart; checkout steps are sections whose current one carries `-current`.
 */
import type { Api, Platform } from '../platform';

/** The cart controller, by its query or its friendly URL in the shop's language. */
const CART = /controller=cart|\/(?:cart|panier|warenkorb|carrito|carrello|winkelwagen|koszyk)(?:\?|\/|$)/;
const LINE = 'productId=id_product;variant=id_product_attribute|ipa';

export const prestashop: Platform = {
  name: 'prestashop',
  win: 'prestashop',
  vars: 'prestashop.page.page_name',
  step: '.checkout-step.-current,.checkout-step.js-current-step',
  pages:
    'order_confirmation=order-confirmation;/contact=checkout-personal-information-step;/shipping=checkout-addresses-step checkout-delivery-step;/payment=checkout-payment-step;checkout/contact=checkout order;cart=cart;product=product;collection=category prices-drop;search=search;home=index;account=my-account history order-detail identity addresses;support=contact;content=cms',
  currency: 'prestashop.currency.iso_code',
  product: [
    // The product details block carries the product as JSON (1.7.5+ classic and its children).
    '[data-product]@data-product',
    'id=id_product;variant=id_product_attribute;name;price=price_amount;sku=reference;category=category_name;' +
      'brand=manufacturer_name',
  ],
  list: ['', '', '.product-miniature', 'id=@data-id-product;variant=@data-id-product-attribute;name=.product-title;price=.price'],
  cart: [
    [
      '$prestashop.cart',
      'total=totals.total.amount;itemCount=products_count',
      'products',
      'id=id_product;variant=id_product_attribute;name;price=price_amount;quantity;sku=reference;category',
    ],
  ],
  order: [
    '',
    'id=~[?&]id_order=(\\d+);revenue=.order-confirmation-table tr:last-child td:last-child',
    '.order-line',
    'name=.details span;price=.qty .row>:first-child;quantity=.qty .row>:nth-child(2);total=.qty .row>:last-child',
  ],
};

/** AJAX cart calls of PrestaShop themes: the cart controller, told what to do by a body key. */
export const prestashopCart: Api[] = [
  [CART, 'delete', 'remove', LINE],
  [CART, 'add', 'add', LINE + ';quantity=qty'],
  [CART, 'addDiscount', 'coupon', 'coupon=discount_name'],
  [CART, 'update', 'update', LINE + ';quantity=qty'],
];
