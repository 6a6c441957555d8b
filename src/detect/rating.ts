/** The star rating of a review form: a number from 1 to 5, the one field value parcours reads, and never its text. */

/**
 * Review forms by platform: the shop's marker, WooCommerce, Shopify Product Reviews, Magento, PrestaShop's
 * product comments, Judge.me, and the generic `.review-form`. Any other form with a `textarea` and a rating field
 * counts too.
 */
export const REVIEW_FORMS =
  '[data-parcours-review-form],#review_form,.spr-form,#product-review-form,#review-form,#post-product-comment-form,.jdgm-form,.review-form';

/** Rating fields by name: `rating`, `review[rating]`, `ratings[1]` (Magento), `criterion[1]` (PrestaShop), `stars`, `score`. */
const NAME = /rating|criterion|stars?\b|score/i;

/**
 * The score 1–5 a review form carries: a checked radio, a `select`, or a hidden or number input named like a rating.
 * A radio of a five-radio group whose value is no score (Magento's option ids) counts by its position. Undefined
 * when there is none: text, and numbers outside 1–5, are never read as a rating.
 */
export const starRating = (form: Element): number | undefined => {
  for (const el of form.querySelectorAll<HTMLInputElement>('input[type=radio]:checked,select,input[type=hidden],input[type=number]')) {
    if (!NAME.test(el.name)) continue;
    let n = +el.value;
    const group = [...form.querySelectorAll<HTMLInputElement>('input[type=radio]')].filter((r) => r.name == el.name);
    if (el.type == 'radio' && group.length == 5 && !(n >= 1 && n <= 5)) n = group.indexOf(el) + 1;
    if ([1, 2, 3, 4, 5].includes(n)) return n;
  }
};
