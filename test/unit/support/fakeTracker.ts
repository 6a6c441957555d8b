import type { PageInfo, ParcoursEvent } from '../../../src/types';
import type { Part, PartApi } from '../../../src/tracker';
import { toProperties } from '../../../src/lib/jsonSafe';
import { webStorage } from '../../../src/lib/storage';

/**
 * A working stand-in for the tracker's part api: events are built and enriched like the tracker's and collected
 * in `events`; `navigate` and `hide` drive what the pages part and the page lifecycle would.
 */
export const fakeTracker = (page: PageInfo = { type: 'other' }) => {
  const events: ParcoursEvent[] = [];
  const logs: string[] = [];
  const enrichers: ((e: ParcoursEvent) => void)[] = [];
  const pageListeners: ((page: PageInfo, previous: PageInfo) => void)[] = [];
  const hideListeners: ((unloading: boolean) => void)[] = [];
  let current = page;
  const api: PartApi = {
    track(type, properties) {
      const event: ParcoursEvent = {
        id: String(events.length + 1),
        type,
        ts: Date.now(),
        sessionId: 's1',
        anonymousId: 'a1',
        userId: null,
        page: { url: location.href, path: location.pathname, title: document.title, referrer: '' },
        properties: toProperties(properties),
      };
      enrichers.forEach((fn) => fn(event));
      events.push(event);
    },
    enrich: (fn) => void enrichers.push(fn),
    page: () => current,
    setPage(next) {
      const previous = current;
      current = next;
      pageListeners.forEach((fn) => fn(next, previous));
    },
    onPage: (fn) => void pageListeners.push(fn),
    onHide: (fn) => void hideListeners.push(fn),
    store: webStorage('localStorage'),
    session: webStorage('sessionStorage'),
    log: (m) => void logs.push(m),
    endpoint: 'http://127.0.0.1:1/collect',
  };
  return {
    api,
    events,
    logs,
    /** Events of `type`, their properties only. */
    of: (type: string) => events.filter((e) => e.type == type).map((e) => e.properties),
    start(part: Part) {
      return part(api) || (() => {});
    },
    navigate: (next: PageInfo) => api.setPage(next),
    /** What the tracker does at `visibilitychange: hidden` (false) or `pagehide` (true). */
    hide: (unloading = false) => hideListeners.forEach((fn) => fn(unloading)),
  };
};

/** A detected page, as the pages part sets it. */
export const detected = (type: PageInfo['type'], step?: PageInfo['step']): PageInfo => ({ type, step, source: 'url' });

/** A trusted-looking click at viewport coordinates on `el`. */
export const click = (el: Element, x = 10, y = 10) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: x, clientY: y }));
