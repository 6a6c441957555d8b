import type { ParcoursEvent, Tracker, TrackerOptions } from '../../../src/types';
import { createTracker, type Part } from '../../../src/tracker';

/**
 * One page load with the real tracker and `parts`: every event it records (after every part's enricher) lands
 * in `events`. Nothing is sent: the collector address is closed and the send interval an hour.
 */
export const startTracker = (parts: Part[], options: Partial<TrackerOptions> = {}) => {
  const events: ParcoursEvent[] = [];
  const record: Part = (api) => api.enrich((event) => void events.push(structuredClone(event)), 'last');
  const tracker: Tracker = createTracker({ endpoint: 'http://127.0.0.1:9/collect', flushInterval: 3_600_000, ...options, parts: [...parts, record] });
  return {
    tracker,
    events,
    types: () => events.map((e) => e.type),
    /** Properties of the events of `type`. */
    of: (type: string) => events.filter((e) => e.type == type).map((e) => e.properties),
  };
};

/** Lets microtasks and zero-delay timers run (the pages part detects in a microtask). */
export const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Puts the test document at `path` without a page load. */
export const at = (path: string) => history.replaceState(null, '', path);

/** The page's `window.dataLayer`, typed loosely as pages use it. */
export const layer = () => (window as unknown as { dataLayer: any[] }).dataLayer;
