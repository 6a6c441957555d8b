import type { ParcoursEvent } from './types';
import type { Part } from './tracker';
import { describe } from './lib/guard';
import { toProperties } from './lib/jsonSafe';

/**
 * The `beforeSend` option as a part: runs last, after tagging and redaction. `null` drops the event; an object
 * replaces it (keeping the event's id, the dedup key); nothing keeps it as edited in place. A hook that throws
 * leaves the event as it was.
 */
export const beforeSend =
  (hook: (event: ParcoursEvent) => ParcoursEvent | null | undefined | void): Part =>
  (api) =>
    api.enrich((event) => {
      let edited;
      try {
        edited = hook(event);
      } catch (error) {
        return void api.log('beforeSend threw (' + describe(error) + '); the event is kept as it was');
      }
      if (edited === null) return false;
      if (edited && typeof edited == 'object' && edited != event) {
        Object.assign(event, edited, { id: event.id });
        event.properties = toProperties(event.properties);
      }
    }, 'last');
