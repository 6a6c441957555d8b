/** Checkout abandonment: the customer was on a checkout step and left without ordering. */
import type { PageInfo } from '../types';
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { parse, stringify } from '../lib/json';
import { all, listen } from '../lib/listen';
import { fieldName } from '../privacy/fields';

/** `sessionStorage` key of an abandonment that waits for the next page of the tab to confirm or cancel it. */
export const PENDING_KEY = 'parcours:abandon';
/** A checkout step without interaction for this long is abandoned: the session timeout. */
export const CHECKOUT_IDLE_MS = 30 * 60 * 1000;
/**
 * A navigation the page started this recently (a submit that went through, a followed link, a script navigation)
 * means the page is leaving by its own navigation (to the next step, to the payment provider, …). Long enough for
 * a slow "Place order" (payment authorisation).
 */
export const INTENT_MS = 30_000;

/**
 * Order totals (a shipping cost that changes changes them too): the shop's markers, then Shopify, WooCommerce,
 * Magento and PrestaShop checkouts.
 */
export const PRICE_SELECTOR =
  '[data-parcours-total],[data-parcours-shipping],.payment-due__price,.order-total .amount,.grand.totals .price,.cart-total .value';
/** Fee lines: the shop's marker and WooCommerce's fee rows. */
export const FEE_SELECTOR = '[data-parcours-fee],tr.fee';

// Pages a checkout step may lead to without being abandoned: the next step and the order confirmation.
const ONWARD = ['checkout', 'order_confirmation'];
// Submit buttons are not here: their click navigates only through a submit event, which is watched itself.
const NAVIGATES = 'a[href]:not([target=_blank]),[role=link]';
const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button]),select,textarea';

/**
 * `checkout_abandoned` `{ step, last_field, time_on_step_ms, price_changed, fee_added }`, once per checkout step
 * left without an order:
 * - a single-page app leaves the checkout for a route that is neither a checkout step nor the order confirmation;
 * - the step sits 30 minutes without interaction (the session timeout);
 * - the page unloads. If it unloads by its own navigation (one started in the last 30 s: announced by the
 *   Navigation API where there is one; elsewhere a submit of a valid form or a click on a link, neither prevented
 *   by the page), the destination is unknown here: the abandonment waits in `sessionStorage` for the tab's next
 *   page, which drops it if that page is a checkout step or the order confirmation and sends it otherwise. Any
 *   other unload (tab closed, address bar, back button, after a submit the form or the theme refused) sends it at
 *   once, with the page's last events.
 * An `order_completed` event ends the watch. `last_field` is the name of the last field focused (never its value),
 * `price_changed` whether a total or shipping cost shown changed during the step, `fee_added` whether a fee line
 * appeared. Known misses: a tab closed within 30 s of a navigation that did start, or on the payment provider's
 * site; without the Navigation API, a tab closed right after a submit the theme refused, with no action since; a
 * mobile browser discarding a background tab without `pagehide`.
 */
export const checkoutAbandoned = (): Part => (api) => {
  const store = api.session; // per tab, and only once consent allows storing
  let on = false;
  let step: string | undefined;
  let since = 0;
  let field = '';
  let price = '';
  let changed = false;
  let fees = 0;
  let activity = Date.now();
  let intent = 0;
  // Without the Navigation API, a valid submit the theme took over may still navigate by script (an AJAX save,
  // then `location = …`): it counts until the customer acts again on the page, which shows it went nowhere.
  let takenOver = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let observed: Element[] = [];

  const feeLines = () => document.querySelectorAll(FEE_SELECTOR).length;
  const checkPrice = () => {
    const nodes = [...document.querySelectorAll(PRICE_SELECTOR)];
    const text = nodes.map((n) => n.textContent?.replace(/\s+/g, '')).join('|');
    if (!price) price = text; // totals may render after the step starts
    else if (text && text != price) changed = true;
    // Themes re-render their totals (WooCommerce replaces its order review): watch the nodes showing now.
    if (!observed.some((n) => n.isConnected)) {
      prices.disconnect();
      observed = nodes;
      for (const n of nodes) prices.observe(n, { childList: true, characterData: true, subtree: true });
    }
  };
  const prices = new MutationObserver(guard(checkPrice, api.log));
  const idle = guard(() => {
    if (on && Date.now() - activity >= CHECKOUT_IDLE_MS) emit();
    else if (on) arm();
  }, api.log);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(idle, activity + CHECKOUT_IDLE_MS - Date.now());
  };
  const begin = (page: PageInfo) => {
    on = true;
    step = page.step;
    since = activity = Date.now();
    field = price = '';
    changed = false;
    fees = feeLines();
    observed = [];
    checkPrice();
    arm();
  };
  const end = () => {
    on = false;
    prices.disconnect();
    clearTimeout(timer);
  };
  const properties = () => {
    checkPrice();
    return { step, last_field: field, time_on_step_ms: Date.now() - since, price_changed: changed, fee_added: feeLines() > fees };
  };
  const emit = () => {
    if (on) api.track('checkout_abandoned', properties());
    end();
  };
  const at = (page: PageInfo) => {
    const pending = parse(store.get(PENDING_KEY));
    if (pending) {
      store.del(PENDING_KEY);
      if (!ONWARD.includes(page.type)) api.track('checkout_abandoned', pending as Record<string, unknown>);
    }
    if (page.type == 'checkout') {
      if (!on || page.step != step) begin(page); // a new step (or the first)
    } else if (page.type == 'order_confirmation') end();
    else emit();
  };

  api.onPage(at);
  if (api.page().source) at(api.page()); // the pages part ran before this one
  api.enrich((e) => {
    if (e.type == 'order_completed') {
      end();
      store.del(PENDING_KEY);
    }
    // Single-page checkouts announce their steps as events.
    const s = e.properties.step;
    if (on && e.type == 'checkout_step_viewed' && typeof s == 'string' && s != step) begin({ type: 'checkout', step: s as PageInfo['step'] });
  });
  api.onHide((unloading) => {
    if (!unloading || !on) return;
    if (Date.now() - intent < INTENT_MS) store.set(PENDING_KEY, stringify(properties())!);
    else api.track('checkout_abandoned', properties());
    end();
  });
  const navigation = (globalThis as { navigation?: EventTarget & { currentEntry?: object | null } }).navigation;
  /**
   * A navigation starts with `e` unless a handler prevents it (a theme's validation) or, with the Navigation API,
   * a router intercepts it (the current entry changes: the page stays). Counted at once, in case the page goes
   * before a timer runs; taken back on a later task, once every handler has seen the event.
   */
  const departs = (e: Event, submit?: boolean) => {
    const before = intent;
    const at = (intent = Date.now());
    const entry = navigation?.currentEntry;
    setTimeout(guard(() => {
      if (intent != at || !(e.defaultPrevented || navigation?.currentEntry != entry)) return;
      if (submit) takenOver = true;
      else intent = before;
    }, api.log));
  };
  return all(
    listen(document, 'pointerdown keydown scroll input', (e: Event) => {
      activity = Date.now();
      // (not a scroll: a theme scrolls to its own error message)
      if (takenOver && e.type != 'scroll') {
        takenOver = false;
        intent = 0;
      }
    }, api.log),
    listen(document, 'focusin', (e: FocusEvent) => {
      activity = Date.now();
      const t = e.target as Element;
      if (on && t.matches?.(FIELD)) {
        field = fieldName(t) || '';
        checkPrice();
      }
    }, api.log),
    // The Navigation API (Chromium) announces every navigation the page starts, script ones too (`location = …`
    // after a payment), and none that a refused submit or a prevented click did not start.
    navigation
      ? listen(navigation, 'navigate', departs, api.log)
      : all(
          // The browser fires `submit` only once the form passed its validation (or skips it: `novalidate`), so an
          // invalid form is never counted here; a theme's own check shows as the event prevented.
          listen(document, 'submit', (e: Event) => departs(e, true), api.log),
          listen(document, 'click', (e: MouseEvent) => (e.target as Element).closest?.(NAVIGATES) && departs(e), api.log),
        ),
    // Back from the back/forward cache onto the checkout: the departure did not happen, watch the step again.
    listen(window, 'pageshow', (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      store.del(PENDING_KEY);
      if (api.page().type == 'checkout') begin(api.page());
    }, api.log),
    end,
  );
};
