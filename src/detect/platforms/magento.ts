/**
 * Magento 2 / Adobe Commerce (Luma). Layout handles are body classes; the checkout is one page whose step is the
 * URL hash (`#shipping`, `#payment`); `window.checkoutConfig` holds the quote on checkout.
 */
import type { Api, Platform } from '../platform';

export const magento: Platform = {
  name: 'magento',
  win: 'checkoutConfig',
  sel: 'script[type="text/x-magento-init"]',
  pages:
    'order_confirmation=checkout-onepage-success;/payment=#payment;checkout/shipping=checkout-index-index;cart=checkout-cart-index;product=catalog-product-view;search=catalogsearch-result-index;collection=catalog-category-view;home=cms-index-index;account=customer-account-index sales-order-history sales-order-view;support=contact-index-index;content=cms-page-view',
  currency: 'checkoutConfig.totalsData.quote_currency_code',
  // Luma's microdata carries name, sku and price; the id is the price box's.
  product: ['', 'id=.price-box[data-product-id]@data-product-id|[name=product]@value;price=[data-price-type=finalPrice]@data-price-amount'],
  list: ['', '', '.product-item', 'id=[data-product-id]@data-product-id;name=.product-item-link;price=[data-price-type=finalPrice] .price'],
  cart: [
    [
      '$checkoutConfig',
      'total=totalsData.grand_total;currency=totalsData.quote_currency_code;itemCount=totalsData.items_qty',
      'quoteItemData',
      'id=product_id;sku;name;price;quantity=qty',
    ],
    [
      '',
      '',
      '#shopping-cart-table .cart.item',
      'name=.product-item-name a;price=.col.price .price;quantity=input.qty@value;total=.col.subtotal .price',
    ],
  ],
  order: ['', 'id=.checkout-success .order-number|.checkout-success p>span'],
};

/** AJAX cart calls of Magento themes (product form, minicart, coupon form). */
export const magentoCart: Api[] = [
  [/\/checkout\/cart\/add\/(?:.*\/product\/(\d+))?/, '', 'add',
    'productId=product;variant=selected_configurable_option;quantity=qty'],
  [/\/checkout\/(?:sidebar\/removeItem|cart\/delete)\//, '', 'remove', ''],
  [/\/checkout\/cart\/couponPost\//, '', 'coupon', 'coupon=coupon_code'],
  [/\/checkout\/(?:sidebar\/updateItemQty|cart\/updatePost)\//, '', 'update', 'quantity=item_qty'],
];
