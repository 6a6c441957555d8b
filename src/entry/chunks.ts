/**
 * The script tag's lazily loaded files and the parts each brings, in start order (`pages` first: its
 * `page_viewed` comes before the events a page implies). `data-auto` names parts from these lists.
 */
export const CHUNKS = {
  auto: ['pages', 'commerce', 'attributes'],
  signals: ['vitals', 'frictions', 'engagement'],
  bridges: ['dataLayer', 'shopifyClientId'],
};
export type ChunkName = keyof typeof CHUNKS;
