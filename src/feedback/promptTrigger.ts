/** When the one-question prompt shows: the decision is made here, the prompt itself loads only then. */
import type { Part, PartApi } from '../tracker';

/** `sessionStorage` keys: a checkout form error happened in this tab; the prompt was shown in this tab. */
export const FORM_ERROR_KEY = 'parcours:prompt-error';
export const PROMPTED_KEY = 'parcours:prompted';

/**
 * Calls `show` at most once per tab session: after `order_completed` (the order confirmation), or after
 * `checkout_abandoned` when a `form_error` happened on a checkout page of this tab before it (the shopper left a
 * step they could not get past). Events are watched, not the page: it works with whichever parts report them.
 */
export const promptTrigger =
  (show: (api: PartApi) => void): Part =>
  (api) => {
    const s = api.session;
    api.enrich((e) => {
      if (e.type == 'form_error' && api.page().type == 'checkout') s.set(FORM_ERROR_KEY, '1');
      if ((e.type == 'order_completed' || (e.type == 'checkout_abandoned' && s.get(FORM_ERROR_KEY))) && !s.get(PROMPTED_KEY)) {
        s.set(PROMPTED_KEY, '1');
        show(api);
      }
    });
  };
