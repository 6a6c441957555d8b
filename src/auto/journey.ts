import type { JourneyState, Lifecycle } from '../types';
import type { Part } from '../tracker';
import { classifyArrival } from '../journey/arrival';
import { readTouches, recordArrival } from '../journey/attribution';
import { currentLifecycle, markCustomer } from '../journey/lifecycle';
import { tagEvent, type JourneyRules } from '../journey/stage';
import { parse, stringify } from '../lib/json';

/** Storage key of the session's arrival `{ sid, channel, campaign }` (JSON), for `journey()`. */
export const ARRIVAL_KEY = 'parcours:arrival';

/** The DOM event on `document` when the session's stage changes; its `detail` is what `journey()` returns. */
export const STAGE_EVENT = 'parcours:stage';

/** Events that do not say where the shopper is now: a step left earlier, a rating, the tracker's own reports. */
const ELSEWHERE = ['checkout_abandoned', 'feedback_given', 'events_dropped'];

/**
 * Tags every event with `stage`, `touchpoint`, `pageType` and `lifecycle`. A page view that arrived from outside
 * gets `properties.arrival` (src/journey/arrival.ts) and is recorded as the last (and maybe first) touch;
 * `order_completed` carries `first_touch` and `last_touch`, so a purchase links back to the ad or email that
 * started it. Keeps where the session is now for `journey()`, and fires `parcours:stage` on `document` when the
 * stage changes.
 */
export const journey =
  (rules?: JourneyRules): Part =>
  (api) => {
    const { store } = api; // first-party storage that honours consent and anonymous mode
    let session = '';
    let lifecycle: Lifecycle = 'new';
    let came: JourneyState['arrival'];
    api.enrich((event) => {
      const props = event.properties;
      // How a page view arrived from outside (another site, campaign parameters, a click id), from its referrer:
      // the pages part, when there, has set the real one of SPA routes (its enricher runs first).
      const arrival = event.type == 'page_viewed' ? classifyArrival(new URL(event.page.url), event.page.referrer) : undefined;
      if (arrival) props.arrival = { ...arrival };
      // Read from storage once per session (and after an order), not per event.
      if (event.sessionId != session) {
        lifecycle = currentLifecycle(store, (session = event.sessionId), event.ts);
        const saved = parse(store.get(ARRIVAL_KEY)) as (JourneyState['arrival'] & { sid?: string }) | undefined;
        came = saved?.sid == session ? { channel: saved.channel, ...(saved.campaign && { campaign: saved.campaign }) } : undefined;
      }
      if (arrival) {
        recordArrival(store, arrival, event.ts);
        came = { channel: arrival.touchpoint, ...(arrival.campaign && { campaign: arrival.campaign }) };
        store.set(ARRIVAL_KEY, stringify({ sid: session, ...came })!);
      }
      const page = api.page();
      const tag = tagEvent(
        { type: event.type, pageType: page.type, step: page.step, properties: props, arrival, lifecycle, isEntry: !!arrival, path: event.page.path },
        rules,
        api.log,
      );
      event.stage = tag.stage;
      event.touchpoint = tag.touchpoint;
      event.pageType = page.type;
      event.lifecycle = lifecycle;
      if (!ELSEWHERE.includes(event.type)) {
        const before = api.journey?.stage;
        const now = (api.journey = { ...tag, lifecycle, ...(came && { arrival: { ...came } }) });
        // After this event is queued: a theme's listener that tracks sees its event follow this one.
        if (now.stage != before) queueMicrotask(() => document.dispatchEvent(new CustomEvent(STAGE_EVENT, { detail: { ...now } })));
      }
      if (event.type == 'order_completed') {
        const { first, last } = readTouches(store, event.ts);
        if (first) props.first_touch = { ...first };
        if (last) props.last_touch = { ...last };
        markCustomer(store, event.ts);
        session = ''; // the next event reads `customer`
      }
    });
  };
