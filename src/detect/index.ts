/** Page-type detection and commerce data extraction for any shop theme. */
export { detectPage } from './page';
export { readProduct } from './product';
export { parsePrice } from './price';
export { parseCartRequest } from './cart-request';
export type { CartRequest } from './cart-request';
