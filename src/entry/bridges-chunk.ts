/**
 * dist/parcours-bridges.min.js: the GA4 / Universal Analytics dataLayer bridge and the Shopify client id, for the
 * script tag, loaded by parcours.min.js from next to itself. dataLayer entries pushed before it loaded are read
 * too; one action seen by the dataLayer and by page detection is one event (src/bridges/dedup.ts).
 */
import { dataLayer } from '../bridges/dataLayer';
import { shopifyClientId } from '../bridges/shopifyClientId';

try {
  (window as { parcours?: { _add?: Function } }).parcours?._add?.('bridges', { dataLayer, shopifyClientId });
} catch {}
