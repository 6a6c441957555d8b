// @ts-check
/**
 * Per-client rate limiting: one token bucket per client address. A request takes a token; tokens come back at
 * `rate` per second up to `burst`. An empty bucket is answered 429 with `Retry-After` (server.mjs), which the
 * SDK honours before it retries.
 */

/**
 * @typedef {object} RateLimitOptions
 * @property {number} [rate] tokens added per second (sustained requests per second), default 50
 * @property {number} [burst] bucket size (requests at once after a quiet spell), default 100
 * @property {number} [clients] buckets kept at most; the least recently seen client is forgotten first (a
 *   forgotten client starts again with a full bucket), default 10,000
 */

/**
 * The address a request comes from. Behind `hops` reverse proxies that each append the address they received
 * from to `X-Forwarded-For`, the client is that many entries from the right of the chain (the socket's peer
 * last); what a client wrote itself stays on the left and is never read. `hops` 0: the socket's peer.
 * @param {{ socket: { remoteAddress?: string }, headers: Record<string, string | string[] | undefined> }} req
 * @param {number} hops
 */
export function clientAddress(req, hops = 0) {
  const peer = req.socket.remoteAddress || '';
  if (!hops) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = [...String(header ?? '').split(',').map((a) => a.trim()).filter(Boolean), peer];
  return chain[Math.max(0, chain.length - 1 - hops)];
}

/** Defaults: far above what one browser's SDK sends (a batch every few seconds), far below a flood. */
export const RATE_LIMIT = Object.freeze({ rate: 50, burst: 100, clients: 10_000 });

/**
 * @param {RateLimitOptions} [options]
 * @returns {(client: string, now?: number) => number} takes a token for `client` and returns 0, or, when its
 *   bucket is empty, the whole seconds to wait before a token is back (at least 1), for `Retry-After`
 */
export function createRateLimit(options = {}) {
  const { rate, burst, clients } = { ...RATE_LIMIT, ...options };
  if (!(rate > 0 && burst >= 1 && clients >= 1)) throw new RangeError('rateLimit needs rate > 0, burst >= 1, clients >= 1');
  /** Map order is recency order: a client is re-inserted on every request, so the first key is the stalest. */
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  return (client, now = performance.now()) => {
    const bucket = buckets.get(client) ?? { tokens: burst, at: now };
    buckets.delete(client);
    buckets.set(client, bucket);
    if (buckets.size > clients) buckets.delete(/** @type {string} */ (buckets.keys().next().value));
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  };
}
