/** The product an element belongs to, for clicks on add-to-cart buttons and list items. */
import type { Product } from '../types';
import { fields, product } from './extract';
import { MD_PRODUCT, mdProduct } from './schema';

export const PRODUCT_ATTR = 'data-parcours-product-id';

/** `data-parcours-product-{id,sku,name,price,currency,variant,brand,category,quantity}` of one element. */
export const attrProduct = (el: Element, cur?: string) =>
  product(
    fields(
      el,
      'id;sku;name;price;currency;variant;brand;category;quantity'.replace(/\w+/g, (f) => `${f}=@data-parcours-product-${f}`),
    ),
    cur,
  );

/**
 * The product context of an element: the nearest ancestor-or-self with `data-parcours-product-id`, else the
 * nearest microdata Product. Undefined when there is none.
 */
export function readProduct(el: Element | null): Product | undefined {
  try {
    const a = el?.closest(`[${PRODUCT_ATTR}]`);
    if (a) return attrProduct(a);
    const s = el?.closest(MD_PRODUCT);
    if (s) return mdProduct(s);
  } catch {
    // not an element
  }
}
