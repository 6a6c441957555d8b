/** First retry waits up to this long. */
export const BACKOFF_BASE_MS = 1000;
/** Retries never wait longer than this (about 5 minutes). */
export const BACKOFF_CAP_MS = 300_000;
/** A collector's `Retry-After` is honoured up to this long; a longer or absurd value is clamped. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/**
 * Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)), so that many browsers
 * retrying against a recovering collector spread out instead of arriving together.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export const backoffDelay = (attempt: number, random = Math.random): number =>
  random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or malformed. */
export const retryAfterMs = (header: string | null | undefined, now: number): number | undefined => {
  if (!header) return;
  // An HTTP date always has a weekday or month name; without letters only delta-seconds are valid.
  const ms = /^\s*\d+\s*$/.test(header) ? +header * 1000 : /[a-z]/i.test(header) ? Date.parse(header) - now : NaN;
  return isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), RETRY_AFTER_MAX_MS);
};
