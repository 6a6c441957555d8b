/**
 * dist/parcours-auto.min.js: page detection and commerce events for the script tag, loaded by
 * parcours.min.js from next to itself. It registers its parts with the tracker already on the page.
 */
import { attributes } from '../auto/attributes';
import { commerce } from '../auto/commerce';
import { pages } from '../auto/pages';

try {
  (window as { parcours?: { _add?: Function } }).parcours?._add?.('auto', { pages, commerce, attributes });
} catch {}
