import { magento, magentoCart } from './magento';
import { prestashop, prestashopCart } from './prestashop';
import { shopify, shopifyCart } from './shopify';
import { woocommerce, woocommerceCart } from './woocommerce';

/** Recognised in this order; the first whose globals or markup the page carries wins. */
export const PLATFORMS = [shopify, woocommerce, prestashop, magento];

/** Cart calls of every platform, tried in order (kept apart so detection does not ship them, and back). */
export const CART_APIS = [...shopifyCart, ...woocommerceCart, ...prestashopCart, ...magentoCart];
