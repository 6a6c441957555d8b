/**
 * Scalars as the platforms' own payloads carry them (GA4/UA dataLayer pushes, Shopify's pixel events): ids and
 * names that may come as numbers, prices that may come as decimal strings.
 */

/** A non-empty string (at most 200 characters), or a finite number as a string; else undefined. */
export const str = (v: unknown) => (typeof v == 'string' && v ? v.slice(0, 200) : typeof v == 'number' && isFinite(v) ? String(v) : undefined);

/** A finite number, or a plain decimal string ('11.99') as one; '11,99' is ambiguous and left out rather than guessed. */
export const num = (v: unknown) => {
  const n = typeof v == 'string' && v.trim() ? +v : v;
  return typeof n == 'number' && isFinite(n) ? n : undefined;
};
