import type { Lifecycle } from '../types';
import type { Part } from '../tracker';
import type { Arrival } from '../journey/arrival';
import { readTouches, recordArrival } from '../journey/attribution';
import { currentLifecycle, markCustomer } from '../journey/lifecycle';
import { tagEvent, type JourneyRules } from '../journey/stage';

/**
 * Tags every event with `stage`, `touchpoint`, `pageType` and `lifecycle`. A page view that arrived from outside
 * (`properties.arrival`, set by the pages part) is recorded as the last (and maybe first) touch;
 * `order_completed` carries `first_touch` and `last_touch`, so a purchase links back to the ad or email that
 * started it.
 */
export const journey =
  (rules?: JourneyRules): Part =>
  (api) => {
    const { store } = api; // first-party storage that honours consent and anonymous mode
    let session = '';
    let lifecycle: Lifecycle = 'new';
    api.enrich((event) => {
      // Read from storage once per session (and after an order), not per event.
      if (event.sessionId != session) lifecycle = currentLifecycle(store, (session = event.sessionId), event.ts);
      const page = api.page();
      const props = event.properties;
      // The pages part classifies how a page view arrived (it knows the real referrer of SPA routes).
      const arrival = event.type == 'page_viewed' ? (props.arrival as unknown as Arrival | undefined) : undefined;
      if (arrival) recordArrival(store, arrival, event.ts);
      const tag = tagEvent(
        { type: event.type, pageType: page.type, step: page.step, properties: props, arrival, lifecycle, isEntry: !!arrival, path: event.page.path },
        rules,
        api.log,
      );
      event.stage = tag.stage;
      event.touchpoint = tag.touchpoint;
      event.pageType = page.type;
      event.lifecycle = lifecycle;
      if (event.type == 'order_completed') {
        const { first, last } = readTouches(store, event.ts);
        if (first) props.first_touch = { ...first };
        if (last) props.last_touch = { ...last };
        markCustomer(store, event.ts);
        session = ''; // the next event reads `customer`
      }
    });
  };
