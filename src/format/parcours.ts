import type { Format } from './types';
import { stringify } from '../lib/json';

/** parcours' own wire format: `{ "sentAt": <epoch ms>, "site": <string|null>, "events": [Event, ...] }`. */
export const parcoursFormat: Format = {
  item: stringify,
  body: (items, sentAt, site) => '{"sentAt":' + sentAt + ',"site":' + stringify(site) + ',"events":[' + items + ']}',
};
