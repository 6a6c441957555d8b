/** Dead clicks: a click on something that looks clickable, and nothing happens. */
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { selectorOf } from './selector';

/** What looks clickable by its markup. Elements styled `cursor: pointer` count too. */
export const ACTIONABLE = 'a,button,[role=button],[role=link],input[type=submit],input[type=button],summary,label,[onclick]';
// Native controls act without touching the DOM (typing, choosing, playing): a click on them is never dead.
const NATIVE = 'input:not([type=submit]):not([type=button]),select,textarea,option,video,audio,iframe,[contenteditable]';
// Events that show the click did something the DOM does not: navigation, submitting, focusing or toggling a
// control (a `<label>`), scrolling, playing media, the tab hiding (a new tab or window opened).
const EFFECTS = 'beforeunload pagehide hashchange popstate submit invalid change focusin scroll play visibilitychange';

/**
 * A click with no effect within this many milliseconds is dead (Sentry's and PostHog's dead clicks wait longer,
 * 2.5 to 7 s, for slow handlers; 1 s is the time after which users start clicking again).
 */
export const DEAD_CLICK_MS = 1000;

/**
 * `dead_click` `{ selector }`: a click on a link, button, `[role=button]`, submit, `<summary>`, `<label>`,
 * `[onclick]` or anything with `cursor: pointer`, followed within 1 s by no navigation (page unload, hash or history
 * change, URL change), no DOM change (attributes, nodes, text anywhere in the document), no network request
 * (a resource fetched after the click; analytics beacons excepted), no focus, scroll, form or media effect.
 * One click is watched at a time: a new click ends the previous watch without a verdict (a rage burst on a dead
 * button gives one dead click, for its last click). Links with a real `href` are never dead (the browser
 * navigates, downloads or opens a tab, unseen from here) unless the page prevented their default action.
 * Known blind spot: a request still running after 1 s (resource timing reports requests when they end), with no
 * spinner or other DOM change, is reported dead — which, to the customer, it looked.
 */
export const deadClick = (): Part => (api) => {
  let close: ((dead: boolean) => void) | undefined;
  const start = (e: MouseEvent) => {
    close?.(false);
    const target = e.target;
    if (!(target instanceof Element) || target.closest(NATIVE)) return;
    const url = location.href;
    const at = performance.now();
    const marked = target.closest(ACTIONABLE);
    const href = target.closest('a[href]')?.getAttribute('href');
    const effect = guard(() => close?.(false), api.log);
    const mutations = new MutationObserver(effect);
    mutations.observe(document, { attributes: true, childList: true, subtree: true, characterData: true });
    let requests: PerformanceObserver | undefined;
    try {
      requests = new PerformanceObserver(
        guard((list: PerformanceObserverEntryList) => {
          if (list.getEntries().some((r) => r.startTime >= at && (r as PerformanceResourceTiming).initiatorType != 'beacon' && !r.name.startsWith(api.endpoint))) effect();
        }, api.log),
      );
      requests.observe({ type: 'resource' });
    } catch {} // no Resource Timing: DOM and navigation effects still count
    const off = listen(window, EFFECTS, effect, api.log);
    const timer = setTimeout(guard(() => close?.(true), api.log), DEAD_CLICK_MS);
    close = (dead) => {
      close = undefined;
      clearTimeout(timer);
      mutations.disconnect();
      requests?.disconnect();
      off();
      if (
        dead &&
        location.href == url &&
        !(href && !/^(#|javascript:)/i.test(href) && !e.defaultPrevented) &&
        // Style is read once, for the clicked element only, and only when nothing else decided.
        (marked || getComputedStyle(target).cursor == 'pointer')
      )
        api.track('dead_click', { selector: selectorOf(marked || target) });
    };
  };
  const off = listen(document, 'click', start, api.log);
  return () => {
    off();
    close?.(false);
  };
};
