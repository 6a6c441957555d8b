/** Form errors on checkout and account forms: which field the customer could not get past, never what they typed. */
import type { PageType } from '../types';
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { all, listen } from '../lib/listen';
import { selectorOf } from './selector';
import { fieldName } from '../privacy/fields';

/** Pages whose forms are watched whole (error messages, `aria-invalid`); elsewhere only checkout-like forms. */
export const FORM_PAGES: readonly PageType[] = ['checkout', 'cart', 'account'];
// A form elsewhere (a login drop-down, a mini-cart) counts when it posts to a checkout, cart or account URL.
const FORM_ACTION = /checkout|cart|basket|account|login|register|customer|commande|panier|kasse/i;

/**
 * Error messages and invalid fields by class: generic, WooCommerce, Shopify, Magento, PrestaShop/Bootstrap.
 * Generic ones count inside a form; the shop-wide notices (`woocommerce-error`, …) anywhere on a watched page.
 */
export const ERROR_SELECTOR =
  '[aria-invalid=true],[role=alert],.error,.errors,.field-error,.field--error,.field__message--error,.mage-error,' +
  '.invalid-feedback,.has-error,.is-invalid,.woocommerce-invalid,.woocommerce-error,.message-error,.alert-danger';
const NOTICES = '.woocommerce-error,.message-error,.alert-danger';
const FIELD = 'input:not([type=hidden]),select,textarea';
const VALIDITY = /* @__PURE__ */ 'valueMissing typeMismatch patternMismatch tooShort tooLong rangeUnderflow rangeOverflow stepMismatch badInput customError'.split(' ');

/** One `form_error` per field at most this often (themes re-validate on every keystroke). */
export const FORM_ERROR_INTERVAL_MS = 10_000;
/** `form_error` events per page view, at most. */
export const MAX_FORM_ERRORS = 30;
/** Changes to the page are looked at for new errors at most this often. */
export const FORM_SCAN_MS = 200;

/**
 * `form_error` `{ field, field_type, form, reason }` on checkout, cart and account pages, in forms inside
 * `[data-parcours-checkout-step]`, and in forms posting to checkout-like URLs. Sources: the browser's `invalid`
 * event (`reason`: the failing `validity` key, such as `valueMissing`); on watched pages, `aria-invalid="true"`
 * appearing (`aria-invalid`) and error messages or error classes appearing, including those the server rendered
 * with the page (`message`; the field is the element itself or the only field of its parent or grandparent, `''`
 * for a form-wide notice). `field` is the field's `name` (a password or card field: only its kind, `password`,
 * `cc-number`), `form` its form's selector. At most one per field every 10 s and 30 per page view.
 */
export const formErrors = (): Part => (api) => {
  let last = new Map<string, number>();
  let count = 0;
  let shown = new Set<Element>();
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  const watched = () => FORM_PAGES.includes(api.page().type) || !!document.querySelector('[data-parcours-checkout-step]');
  const report = (where: Element, reason: string) => {
    const form = where.closest('form');
    if (!watched() && !where.closest('[data-parcours-checkout-step]') && !FORM_ACTION.test(form?.getAttribute('action') || '')) return;
    // The field: the element itself, else the only field of the nearest (grand)parent that has fields; a
    // container of several fields (the form) means a form-wide message.
    let control: Element | undefined;
    for (let e: Element | null = where, i = 0; e && i < 3; e = e.parentElement, i++) {
      const found = e.matches(FIELD) ? [e] : e.querySelectorAll(FIELD);
      if (found.length) {
        if (found.length == 1) control = found[0];
        break;
      }
    }
    const field = (control && fieldName(control)) || '';
    const key = field || selectorOf(where);
    const now = Date.now();
    if (count >= MAX_FORM_ERRORS || now - (last.get(key) ?? -Infinity) < FORM_ERROR_INTERVAL_MS) return;
    last.set(key, now);
    count++;
    api.track('form_error', { field, field_type: control ? (control as HTMLInputElement).type || control.localName : '', form: selectorOf(form), reason });
  };
  // Errors showing now that did not show at the last look. Generic classes count inside a form, the platforms'
  // checkout notices anywhere; a message must say something (its text is only tested, never sent) unless the
  // class marks a field or its row.
  const scan = guard(() => {
    timer = 0;
    const showing = new Set(document.querySelectorAll(ERROR_SELECTOR));
    for (const el of showing)
      if (!shown.has(el)) {
        if (el.matches('[aria-invalid=true]')) report(el, 'aria-invalid');
        else if ((el.matches(FIELD) || el.querySelector(FIELD) || el.textContent?.trim()) && (el.closest('form,[data-parcours-checkout-step]') || el.matches(NOTICES))) report(el, 'message');
      }
    shown = showing;
  }, api.log);
  const observer = new MutationObserver(() => (timer ||= setTimeout(scan, FORM_SCAN_MS)));
  // Only watched pages are observed: a document-wide observer elsewhere would cost for nothing.
  const sync = () => {
    observer.disconnect();
    shown = new Set();
    if (!watched()) return;
    scan();
    observer.observe(document, { childList: true, subtree: true, attributeFilter: ['aria-invalid', 'class'] });
  };
  api.onPage(() => {
    last = new Map();
    count = 0;
    sync();
  });
  sync();
  return all(
    listen(document, 'invalid', (e: Event) => {
      const el = e.target as HTMLInputElement;
      if (el instanceof Element) report(el, VALIDITY.find((k) => el.validity?.[k as keyof ValidityState]) || 'invalid');
    }, api.log),
    () => {
      observer.disconnect();
      clearTimeout(timer);
    },
  );
};
