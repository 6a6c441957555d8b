/**
 * The script tag's lazily loaded files and the parts each brings, in start order (`pages` first: its
 * `page_viewed` comes before the events a page implies). `data-auto` names parts from these lists.
 */
export const CHUNKS = {
  auto: ['pages', 'commerce', 'attributes'],
  signals: ['vitals', 'frictions', 'engagement'],
  bridges: ['dataLayer', 'shopifyClientId'],
  // Opt-in, loaded only when it shows (src/feedback/promptTrigger.ts decides): it changes the shop's page.
  prompt: ['prompt'],
};

/** Parts `data-auto="all"` leaves out: name them (`data-auto="all prompt"`) to have them. */
export const OPT_IN = ['prompt'];
export type ChunkName = keyof typeof CHUNKS;
