/**
 * The npm entry: `import { createTracker } from 'parcours'`. Importing it does nothing by itself
 * (`sideEffects: false` is true in fact); only `createTracker` starts work, and only in a browser.
 */
import type { Tracker } from '../types';
import { createTracker as create, type CoreOptions } from '../tracker';
import { createLog } from '../lib/log';
import { beforeSend } from '../beforeSend';

/**
 * Create a tracker (see README "API"). `beforeSend` runs after every part, so it sees events as they will be
 * stored. Never throws; on the server it returns a tracker that does nothing.
 */
export const createTracker = (options: CoreOptions): Tracker => {
  try {
    const hook = options?.beforeSend;
    if (typeof hook == 'function') return create({ ...options, parts: [...(options.parts || []), beforeSend(hook)] });
    if (hook != null) createLog(options.debug)('option "beforeSend" must be a function; ignored');
  } catch {} // hostile options: the core reads them safely, and says what it could not use
  return create(options);
};
// Parts: pass the ones you want as `createTracker({ parts: [...] })`; each costs bytes only when imported.
export { pages } from '../auto/pages';
export { commerce } from '../auto/commerce';
export { attributes } from '../auto/attributes';
export { journey } from '../auto/journey';
export type { JourneyRules } from '../journey/stage';
export { privacy } from '../privacy/redact';
// Satisfaction: ratings from email links (`ratingLinks()`), and the opt-in one-question prompt (`prompt()`).
export { ratingLinks } from '../feedback/links';
export { prompt, showPrompt } from '../feedback/prompt';
export type { FeedbackOptions } from '../feedback/rating';
export { signals, vitals, frictions, engagement, rageClick, deadClick, formErrors, jsErrors, checkoutAbandoned } from '../signals';
// Bridges: the GA4/UA dataLayer, Shopify's client id, and dedup of actions both it and detection see.
export { dataLayer } from '../bridges/dataLayer';
export { shopifyClientId } from '../bridges/shopifyClientId';
export { deduped } from '../bridges/dedup';
export { parcoursPixel } from '../bridges/shopifyPixel';
export type { PixelOptions } from '../bridges/shopifyPixel';
// Wire formats: `createTracker({ format: segmentFormat({ writeKey }) })` feeds a Segment-compatible pipeline.
export { segmentFormat, SEGMENT_EVENT_NAMES } from '../format/segment';
export type { Part, PartApi } from '../tracker';
export type * from '../types';
