// @ts-check
/**
 * Which browser origins may talk to the collector. Rule: a request from an allowed origin gets CORS headers;
 * a request from any other origin may read (GET, HEAD; the browser withholds the answer) but not write.
 */

/** Preflight answer for allowed origins: the methods and headers parcours' formats use, cached for a day. */
export const PREFLIGHT_HEADERS = Object.freeze({
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '86400',
});

/**
 * @param {string | undefined} origin the request's Origin header
 * @param {string | undefined} host the request's Host header
 * @param {readonly string[]} origins configured origins; '*' allows any
 * @returns {boolean} true when there is no Origin (not a browser, or a same-origin GET), it is this server's own
 *   origin (by http, or by https through a TLS proxy that keeps the Host: the sign-in form posts from there), or
 *   it is configured
 */
export function originAllowed(origin, host, origins) {
  if (origin === undefined) return true;
  return origin === `http://${host}` || origin === `https://${host}` || origins.includes('*') || origins.includes(origin);
}

/**
 * Headers on every answer to an allowed origin. The SDK reads `Retry-After` (on 429 and 503) to time its retry,
 * and CORS hides every response header but a safelisted few unless it is exposed.
 * @param {string} origin an allowed Origin, echoed rather than `*` so the answer may be cached per origin (Vary)
 * @returns {Record<string, string>}
 */
export const corsHeaders = (origin) => ({
  'Access-Control-Allow-Origin': origin,
  'Access-Control-Expose-Headers': 'Retry-After',
});
