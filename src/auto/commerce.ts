import type { CheckoutStep, PageInfo, Product } from '../types';
import type { Part, PartApi } from '../tracker';
import { parseCartRequest, readProduct } from '../detect';
import { REVIEW_FORMS, starRating } from '../detect/rating';
import type { KeyValue } from '../lib/storage';
import { listen } from '../lib/listen';
import { stringify } from '../lib/json';
import { CHECKOUT_KEY, SAME_ACTION_MS, claim, readCheckout, rememberOrder, type CheckoutState } from '../bridges/dedup';

/** Checkout steps in order: a later step viewed completes the earlier one. */
export const STEPS = 'contact shipping payment review'.split(' ') as readonly CheckoutStep[];

/** Share endpoints of the networks' share buttons, each group named by the `method` it reports. */
const SHARE =
  /(?<facebook>facebook\.com\/shar)|(?<x>(twitter|x)\.com\/intent)|(?<pinterest>pinterest\.[a-z.]+\/pin\/create)|(?<linkedin>linkedin\.com\/(sharing|shareArticle))|(?<whatsapp>wa\.me\/|whatsapp:\/\/send)|(?<email>^mailto:)/;

const items = (list: Product[] = []) => list.slice(0, 20);

/**
 * Commerce events from detection, clicks, submits and the theme's own AJAX cart calls: product and list views,
 * search, cart, every checkout step, payment, the order (once per order id, even on reload), order status,
 * support, reviews, shares, coupons. One action seen twice (a click and its AJAX request) is one event.
 * Never reads the value of a form field but a review's star rating (a number 1–5, src/detect/rating.ts): ids,
 * prices and quantities come from markup, platform data and the cart requests themselves.
 */
export const commerce = (): Part => (base) => {
  // An action the dataLayer bridge recorded first is not recorded again (src/bridges/dedup.ts).
  const api: PartApi = { ...base, track: (type, props) => void (claim(type, props, 'detect', base.session) && base.track(type, props)) };
  const { session, store: local } = api;
  const last: Record<string, number> = {}; // action → when a click or submit recorded it
  const once = (action: string, type: string, props: object, fromRequest?: boolean) => {
    if (fromRequest && Date.now() - (last[action] || 0) < SAME_ACTION_MS) return;
    if (!fromRequest) last[action] = Date.now();
    api.track(type, props as Record<string, unknown>);
  };

  api.onPage((page) => onPage(api, page, session, local));

  const product = (el: Element) => readProduct(el) || api.page().product || {};
  const offs = [
    listen(document, 'click', (e: MouseEvent) => {
      const el = e.target as Element;
      if (!el?.closest) return;
      const add = el.closest('[data-parcours-add-to-cart]');
      if (add) return once('add', 'product_added_to_cart', { ...product(add), quantity: +(add.closest('[data-parcours-quantity]')?.getAttribute('data-parcours-quantity') || 1) });
      const remove = el.closest('[data-parcours-remove-from-cart]');
      if (remove) return once('remove', 'product_removed_from_cart', product(remove));
      const link = el.closest('a[href]') as HTMLAnchorElement | null;
      if (link && !link.closest('[data-parcours-event]')) {
        const g = link.href.match(SHARE)?.groups ?? {};
        const method = Object.keys(g).find((m) => g[m]);
        if (method) api.track('share', { method });
      }
    }, api.log),
    listen(document, 'submit', (e: SubmitEvent) => {
      const form = e.target as HTMLFormElement;
      if (!form?.matches) return;
      const page = api.page();
      if (form.matches('[data-parcours-coupon-form]')) once('coupon', 'coupon_applied', {});
      else if (form.matches(REVIEW_FORMS) || (form.querySelector('textarea') && starRating(form)))
        api.track('review_submitted', { id: product(form).id, rating: starRating(form) ?? null });
      else if (form.matches('[data-parcours-support-form]') || (page.type == 'support' && !form.matches('[role=search]')))
        api.track('support_contacted', {});
      else if (form.matches('form[action*="/cart/add"], form.cart, form[data-product-id], #product_addtocart_form'))
        once('add', 'product_added_to_cart', { ...product(form), quantity: 1 });
      else if (page.type == 'checkout' && page.step == 'payment' && !form.matches('[role=search]')) paid(api, session);
    }, api.log),
  ];

  // The theme's own cart calls (add to cart without a page load): observed, never altered. The original
  // function runs first and its promise is returned as is.
  const seen = (method: string, url: string, body: unknown, ok: boolean) => {
    const request = ok && parseCartRequest(method, url, body);
    if (!request) return;
    const { action, productId: id, variant, quantity, coupon } = request;
    const props = { id, variant, quantity }; // what the request does not say stays out (undefined is not copied)
    if (action == 'add') once('add', 'product_added_to_cart', props, true);
    else if (action == 'remove') once('remove', 'product_removed_from_cart', props, true);
    else if (action == 'coupon') once('coupon', 'coupon_applied', coupon ? { coupon } : {}, true);
    else api.track('cart_updated', props);
  };
  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const result = originalFetch.apply(this, [input, init] as Parameters<typeof fetch>);
    try {
      const url = (input as Request).url || String(input); // a Request's url; a string's or URL's own text
      const method = init?.method || (input as Request).method || 'GET';
      if (method.toUpperCase() != 'GET' || /cart|panier|basket/i.test(url))
        result.then((res) => seen(method, new URL(url, location.href).href, init?.body, res.ok), () => {});
    } catch {}
    return result;
  } as typeof fetch;
  const xhr = XMLHttpRequest.prototype;
  const { open, send } = xhr;
  xhr.open = function (this: XMLHttpRequest & { _p?: [string, string] }, method: string, url: string | URL) {
    this._p = [method, String(url)];
    return open.apply(this, arguments as unknown as Parameters<typeof open>);
  };
  xhr.send = function (this: XMLHttpRequest & { _p?: [string, string] }, body?: Document | XMLHttpRequestBodyInit | null) {
    const p = this._p;
    if (p) this.addEventListener('load', () => {
      try {
        seen(p[0], new URL(p[1], location.href).href, body, this.status >= 200 && this.status < 300);
      } catch {}
    });
    return send.call(this, body);
  };

  return () => {
    offs.forEach((off) => off());
    window.fetch = originalFetch;
    Object.assign(xhr, { open, send });
  };
};

/** Set fields of the checkout state, keeping the others (read again: tracking may have written to it). */
const updateCheckout = (session: KeyValue, fields: CheckoutState) =>
  session.set(CHECKOUT_KEY, stringify({ ...readCheckout(session), ...fields })!);

/** The payment step's form was submitted: once per checkout. */
const paid = (api: PartApi, session: KeyValue) => {
  if (readCheckout(session).paid) return;
  api.track('payment_info_submitted', { step: 'payment' });
  updateCheckout(session, { paid: true });
};

/** Events a page view implies, from what detection found on it. */
const onPage = (api: PartApi, page: PageInfo, session: KeyValue, local: KeyValue) => {
  const { type, product, list, cart, order } = page;
  if (type == 'product' && product) api.track('product_viewed', { ...product });
  if (type == 'search') api.track('search_submitted', { query: page.query ?? null, results: list?.items.length ?? null });
  if (list?.items.length) api.track('product_list_viewed', { list_id: list.id ?? null, list_name: list.name ?? null, items: items(list.items), count: list.items.length });
  if (type == 'cart') api.track('cart_viewed', { ...cart, items: items(cart?.items) });
  const state = readCheckout(session);
  if (type == 'checkout') {
    const step = page.step || 'contact';
    if (!state.step) api.track('checkout_started', { step, ...(cart && { total: cart.total, currency: cart.currency }) });
    if (state.step && STEPS.indexOf(state.step) < STEPS.indexOf(step)) {
      api.track('checkout_step_completed', { step: state.step });
      if (state.step == 'payment') paid(api, session);
    }
    if (state.step != step) api.track('checkout_step_viewed', { step, step_number: STEPS.indexOf(step) + 1 });
    updateCheckout(session, { step });
  }
  if (type == 'order_confirmation') {
    if (state.step) {
      api.track('checkout_step_completed', { step: state.step });
      if (!state.paid && STEPS.indexOf(state.step) >= 2) api.track('payment_info_submitted', { step: state.step });
    }
    session.del(CHECKOUT_KEY);
    // One order per order id in this browser, even when the confirmation page is reloaded.
    if (rememberOrder(local, order?.id || location.pathname)) api.track('order_completed', { ...order, items: items(order?.items) });
  }
  if (type == 'account' && (order || /order/i.test(location.pathname))) api.track('order_status_viewed', order ? { id: order.id } : {});
};
