import type { Consent, JourneyState, PageInfo, ParcoursEvent, Tracker, TrackerOptions } from './types';
import type { Format } from './format/types';
import type { Entry } from './queue';
import { createLog, type Log } from './lib/log';
import { guard } from './lib/guard';
import { MAX_STRING, cut, fitEvent, toProperties } from './lib/jsonSafe';
import { webStorage, type KeyValue } from './lib/storage';
import { uuid } from './lib/uuid';
import { createIdentity } from './identity';
import { readOptions } from './options';
import { createQueue } from './queue';
import { createSender } from './sender';
import { parcoursFormat } from './format/parcours';
import { FEEDBACK_EVENT, rating } from './feedback/rating';

/** What a part (auto-instrumentation, journey tagging, signals, …) may use of the tracker. */
export interface PartApi {
  track(type: string, properties?: Record<string, unknown>): void;
  /**
   * Run `fn` on every event after it is built and before it is queued; it may edit the event. In the order added,
   * except `first` (before all others: the pages part's SPA referrer, which journey tagging reads) and `last`
   * (after all others: privacy redaction sees every field the others set).
   */
  enrich(fn: (event: ParcoursEvent) => void | boolean, at?: 'first' | 'last'): void;
  /** The current page as detected (`{ type: 'other' }` until the pages part detected it). */
  page(): PageInfo;
  /** Set by the pages part on load and on every SPA navigation; subscribers hear the new and the previous page. */
  setPage(page: PageInfo): void;
  onPage(fn: (page: PageInfo, previous: PageInfo) => void): void;
  /**
   * Run `fn` when the page is hidden or unloaded (`visibilitychange: hidden`, `pagehide`), before the tracker
   * sends or beacons: the last events of a page (web vitals, checkout abandonment) go out with the rest.
   */
  onHide(fn: (unloading: boolean) => void): void;
  /** First-party storage that honours consent and anonymous mode (memory only until allowed). */
  store: KeyValue;
  /** The same for per-tab data (sessionStorage). */
  session: KeyValue;
  log: Log;
  /** The collector URL, absolute: the tracker's own requests are not the page's doing (dead clicks). */
  endpoint: string;
  /** Set by the journey part: what `journey()` answers. */
  journey?: JourneyState;
}

/** An event's JSON at most (Segment's per-message limit, so it fits both formats). */
export const MAX_EVENT_BYTES = 32_000;

/** A page string (URL, title, …) as an event carries it: long ones cut with the marker. */
const cap = (s: string) => (s.length > MAX_STRING * 2 ? cut(s, MAX_STRING * 2) : s);

/** Events held in memory while consent is pending, at most; beyond it they are counted and reported. */
export const MAX_PENDING = 500;

/** A part: set up listeners with the api, return a teardown for `destroy()`. */
export type Part = (api: PartApi) => (() => void) | void;

/** Options of the core tracker, plus what the entries and parts pass in. */
export interface CoreOptions extends TrackerOptions {
  parts?: Part[];
  format?: Format;
}

const NOOP: Tracker = { track() {}, page() {}, identify() {}, feedback() {}, journey: () => null, flush: async () => {}, consent() {}, destroy() {} };

/**
 * Create a tracker. Never throws: with unusable options, or outside a browser (server rendering), it returns
 * a tracker whose methods do nothing, after one diagnostic in debug mode.
 */
export const createTracker = (options: CoreOptions): Tracker => {
  let log: Log = () => {};
  try {
    log = createLog(options?.debug);
    if (typeof window == 'undefined' || typeof document == 'undefined') return NOOP;
    return start(options, log) || NOOP;
  } catch (error) {
    log('not started: ' + error);
    return NOOP;
  }
};

/** What the script-tag entry sees: the tracker plus a way to add the parts it loads later. */
export type InternalTracker = Tracker & { _use?(parts: Part[]): void };

const start = (options: CoreOptions, log: Log): InternalTracker | undefined => {
  const config = readOptions(options, log, ['parts', 'format']);
  if (!config) return;
  let consent: Consent = config.consent;
  // Global Privacy Control asks not to be tracked across visits: by default no persistent identifier.
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true ? config.gpc : 'ignore';
  if (gpc == 'deny') consent = 'denied';
  const anonymous = config.anonymous || gpc == 'anonymous';
  const local = webStorage('localStorage', () => consent == 'granted' && !anonymous);
  const session = webStorage('sessionStorage', () => consent == 'granted');
  const identity = createIdentity(local, anonymous ? session : local, !anonymous);
  const held: ParcoursEvent[] = [];
  let overflow = 0;
  const enrichers: ((event: ParcoursEvent) => void | boolean)[] = [];
  const lastEnrichers: ((event: ParcoursEvent) => void | boolean)[] = [];
  const pageListeners: ((page: PageInfo, previous: PageInfo) => void)[] = [];
  const hideListeners: ((unloading: boolean) => void)[] = [];
  let current: PageInfo = { type: 'other' };

  const onDrop = (entries: Entry[], reason: string, status?: number) => {
    // Reports about reports are not reported again: a collector rejecting everything must not loop.
    const count = entries.filter((x) => x.e.type != 'events_dropped').length;
    log(count + ' events dropped: ' + reason);
    if (count) track('events_dropped', { count, reason, ...(status ? { status } : {}) });
  };
  const queue = createQueue('parcours:' + config.endpoint, config.maxQueue, log, onDrop, local);
  const sender = createSender({
    ...config,
    format: options.format || parcoursFormat,
    queue,
    lockStore: local,
    log,
    onDrop,
  });

  const track = (type: string, properties?: Record<string, unknown>) => {
    if (consent == 'denied') return;
    if (typeof type != 'string' || !type || type.length > 100) return log('track: event type must be a string of 1 to 100 characters; event ignored');
    const now = Date.now();
    const event: ParcoursEvent = {
      id: uuid(),
      type,
      ts: now,
      sessionId: identity.session(now).id,
      anonymousId: identity.anonymousId,
      userId: identity.userId,
      page: { url: cap(location.href), path: cap(location.pathname), title: cap(document.title), referrer: cap(document.referrer) },
      properties: toProperties(properties),
    };
    // An enricher answering `false` drops the event (beforeSend returning null).
    for (const fn of [...enrichers, ...lastEnrichers]) if (fn(event) === false) return;
    fitEvent(event, MAX_EVENT_BYTES); // cut, never dropped
    if (consent == 'pending') {
      if (held.length < MAX_PENDING) held.push(event);
      else overflow++;
      return;
    }
    queue.add(event);
    sender.schedule();
  };

  const setConsent = (state: Consent) => {
    if (!['granted', 'pending', 'denied'].includes(state)) return log('consent must be granted, pending or denied; ignored');
    consent = state;
    if (state == 'granted') {
      local.sync();
      session.sync();
      held.splice(0).forEach(queue.add);
      if (overflow) track('events_dropped', { count: overflow, reason: 'consent_pending_cap' });
      overflow = 0;
      sender.schedule();
    }
    if (state == 'denied') {
      held.length = overflow = 0;
      local.clear();
      session.clear();
      queue.clear();
    }
  };

  const api: PartApi = {
    track: guard(track, log),
    enrich: (fn, at) => (at == 'first' ? enrichers.unshift(guard(fn, log)) : (at ? lastEnrichers : enrichers).push(guard(fn, log))),
    page: () => current,
    setPage(page) {
      const previous = current;
      current = page;
      pageListeners.forEach((fn) => fn(page, previous));
    },
    onPage: (fn) => pageListeners.push(guard(fn, log)),
    onHide: (fn) => hideListeners.push(guard(fn, log)),
    store: local,
    session,
    log,
    endpoint: config.endpoint,
  };
  const teardowns: (void | (() => void) | undefined)[] = [];
  const use = (parts: Part[] = []) => parts.forEach((part) => teardowns.push(guard(part, log)(api)));
  use(options.parts);

  // Browsers fire `pagehide` before the unload's `visibilitychange` (HTML "unload a document"): what is tracked in
  // that last `visibilitychange` (web-vitals' final LCP, CLS, INP) must be beaconed too, as no timer runs after it.
  let unloading = false;
  const listeners: [EventTarget, string, (e: Event) => void][] = [
    [document, 'visibilitychange', () => {
      if (document.visibilityState != 'hidden') return;
      hideListeners.forEach((fn) => fn(false));
      unloading ? sender.unload() : sender.schedule(0);
    }],
    [window, 'pagehide', (e) => {
      unloading = true;
      // Before the last events: see Queue.freeze (WebKit's back/forward cache). Only the browser's own pagehide:
      // one a theme dispatches must not stop the queue of a page that goes on living.
      if (e.isTrusted) queue.freeze(true);
      hideListeners.forEach((fn) => fn(true));
      sender.unload();
    }],
    // Back from the bfcache: timers were frozen, events may be waiting.
    [window, 'pageshow', () => {
      unloading = false;
      queue.freeze(false);
      sender.schedule();
    }],
    [window, 'online', sender.retryNow],
  ];
  for (const l of listeners) l[0].addEventListener(l[1], (l[2] = guard(l[2], log)));
  if (consent == 'denied') setConsent('denied'); // erase what an earlier consent left behind
  sender.schedule(); // events a previous page left in the queue

  return {
    track: api.track,
    page: guard((properties) => track('page_viewed', properties), log),
    identify: guard((userId: string, traits?: Record<string, unknown>) => {
      if (typeof userId != 'string' || !userId || userId.length > 200) return log('identify: userId must be a string of 1 to 200 characters; ignored');
      identity.setUser(userId);
      track('identify', traits);
    }, log),
    feedback: guard((score: number, options: { question: string; comment?: string }) => {
      const props = rating(score, options, log, config.feedbackComments);
      if (props) track(FEEDBACK_EVENT, props);
    }, log),
    journey: () => (api.journey ? { ...api.journey } : null),
    flush: () => sender.flush(),
    consent: guard(setConsent, log),
    // Parts that arrive later (the script tag's lazily loaded ones); not part of the public Tracker type.
    _use: guard(use, log),
    destroy: guard(() => {
      sender.stop();
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
      teardowns.forEach((t) => t && guard(t, log)());
    }, log),
  };
};
