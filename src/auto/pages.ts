import type { PageInfo, PageRule } from '../types';
import type { Part } from '../tracker';
import { detectPage } from '../detect';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { stringify } from '../lib/json';

/** After a history navigation, single-page storefronts render the new route; detection waits this long for it. */
export const SPA_SETTLE_MS = 150;
/**
 * A new path whose page still shows exactly the previous page's product, list, cart or order has not rendered yet
 * (its data is loading, the old view stays up meanwhile): detection looks again every SPA_SETTLE_MS until the
 * page changes, at most this long after the navigation.
 */
export const SPA_RENDER_MAX_MS = 3_000;
/**
 * With `async` in `<head>` the tag can run while the page still parses: the first detection then waits for the
 * finished document (DOMContentLoaded), and the page is looked at once more at `load`, for what its scripts render
 * (a type found only then is set then). So every load of a page gives the same events.
 */
export const LOAD_SETTLE_MS = 0;

/** What a page shows, when it shows a product, list, cart or order: the same on two paths means not rendered yet. */
const shows = (p: PageInfo) => (p.product || p.list || p.cart || p.order) && stringify(p);

/** `mobile` below 768 px, `tablet` below 1100 px with a coarse pointer, else `desktop`. */
const device = () =>
  innerWidth < 768 ? 'mobile' : innerWidth < 1100 && matchMedia('(pointer: coarse)').matches ? 'tablet' : 'desktop';

/**
 * Page views and page detection: `page_viewed` on load, on bfcache restores and on every history-API
 * navigation of a single-page storefront (with the previous URL as referrer), after which the page is
 * detected again. A hash change re-detects without a page view (Magento's `#shipping` → `#payment` steps).
 * Waits out prerendering: a prerendered page that is never shown records nothing.
 */
export const pages =
  (rules?: PageRule[]): Part =>
  (api) => {
    let shown = ''; // path + query of the last page view
    let url = location.href;
    let referrer = document.referrer;
    let pending = false; // the next setPage is a page view
    api.onPage(() => {
      if (!pending) return;
      pending = false;
      api.track('page_viewed', { device: device() });
    });
    // First, before journey tagging, which classifies a page view's arrival from it: the real referrer of SPA routes.
    api.enrich((event) => {
      if (event.page.url == url) event.page.referrer = referrer; // SPA: the previous route, not the document's
    }, 'first');
    const detect = () => detectPage(document, new URL(location.href), rules, api.log);
    const check = (restored?: boolean, page = detect()) => {
      const key = location.pathname + location.search;
      if (key != shown || restored) {
        if (shown) referrer = url;
        shown = key;
        pending = true;
      }
      url = location.href;
      const now = api.page();
      if (pending || page.type != now.type || page.step != now.step) api.setPage(page);
    };
    let timer: ReturnType<typeof setTimeout>;
    let waiting = false;
    const later = guard(() => {
      // A navigation while a route renders starts over from here: the screen still shows api.page().
      const before = location.pathname != new URL(url).pathname && shows(api.page());
      const until = Date.now() + SPA_RENDER_MAX_MS;
      const look = () => {
        clearTimeout(timer);
        timer = setTimeout(
          guard(() => {
            const page = detect();
            // Still exactly the previous page on a new path: its data is loading. Look again.
            if (before && shows(page) == before && Date.now() < until) return look();
            waiting = false;
            check(false, page);
          }, api.log),
          SPA_SETTLE_MS,
        );
      };
      waiting = true;
      look();
    }, api.log);
    // Leaving while a route (or the first page) renders: its page view still counts.
    api.onHide(() => {
      if (!waiting) return;
      clearTimeout(timer);
      waiting = false;
      check();
    });
    // Wrap pushState/replaceState without changing what they do: the page's call runs first, untouched.
    const wrap = (name: 'pushState' | 'replaceState') => {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        later();
        return result;
      };
      return () => (history[name] = original);
    };
    const offs = [
      ...(['pushState', 'replaceState'] as const).map(wrap),
      listen(window, 'popstate hashchange', later, api.log),
      listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && check(true), api.log),
    ];
    // In a microtask at the earliest: the parts set up after this one (commerce) must hear the first page too.
    let initial = false; // the first detection is waiting for the document
    const first = guard(() => {
      if (!initial) return; // already done (the customer acted first)
      initial = waiting = false;
      check();
    }, api.log);
    const start = () => {
      if (document.readyState != 'loading') return queueMicrotask(guard(check, api.log));
      initial = waiting = true;
      offs.push(
        listen(document, 'DOMContentLoaded', () => setTimeout(first, LOAD_SETTLE_MS), api.log),
        listen(window, 'load', () => initial || waiting || check(), api.log),
        // A customer who clicks or submits before that acts on the page as it is: detect it first (window capture
        // runs before the commerce part's listeners at document).
        listen(window, 'click submit', first, api.log),
      );
    };
    if ((document as { prerendering?: boolean }).prerendering) offs.push(listen(document, 'prerenderingchange', start, api.log));
    else start();
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  };
