import { byteLength } from './lib/json';

/**
 * Request bodies never exceed this: the keepalive/sendBeacon in-flight quota is 64 KiB per page, and a
 * larger keepalive fetch is refused outright.
 */
export const MAX_BODY_BYTES = 64_000;
/** Bytes of keepalive bodies a page may have in flight at once (Chromium refuses a fetch beyond it). */
export const KEEPALIVE_QUOTA = 65_536;
/** A send that has not answered by then counts as a network failure (and releases the send lock). */
export const SEND_TIMEOUT_MS = 20_000;

// Taken at load: themes and other tags wrap `fetch` (parcours' own cart detection does too), and delivery
// must go through the browser's.
const nativeFetch = globalThis.fetch;

/**
 * Bodies are `text/plain;charset=UTF-8`: a CORS-safelisted type, so a cross-origin collector costs no
 * preflight request, and it is what `sendBeacon` sends for a string anyway. The body is still JSON.
 */
const TEXT = 'text/plain;charset=UTF-8';

export interface Answer {
  /** HTTP status; 0 for a network error, timeout or refused request. */
  status: number;
  retryAfter: string | null;
}

// Feature test, not UA: where `keepalive` exists, a fetch outlives the page as a beacon does.
const keepalive = typeof Request == 'function' && 'keepalive' in Request.prototype;
/** Bytes of parcours' keepalive bodies in flight: the quota is the page's, so the unload send must know. */
let kept = 0;

/** POST a body with keepalive fetch (plain fetch when the page's quota is spent). Never rejects. */
export const post = async (url: string, body: string, headers?: Record<string, string>): Promise<Answer> => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
  const size = byteLength(body);
  const held = kept + size <= KEEPALIVE_QUOTA ? size : 0;
  kept += held;
  try {
    const res = await nativeFetch(url, {
      method: 'POST',
      body,
      keepalive: !!held,
      credentials: 'omit',
      headers: { 'Content-Type': TEXT, ...headers },
      signal: abort.signal,
    });
    // Read the answer to its end: Chromium counts a keepalive request against the page's 64 KB quota until its
    // response is consumed, and three unread answers would block every later send.
    await res.arrayBuffer().catch(() => {});
    return { status: res.status, retryAfter: res.headers.get('Retry-After') };
  } catch {
    return { status: 0, retryAfter: null };
  } finally {
    kept -= held;
    clearTimeout(timer);
  }
};

/**
 * Hand a body to the browser at unload, to outlive the page. A keepalive fetch where the browser has one:
 * content blockers see a sendBeacon as a `ping`, and EasyPrivacy's `$ping,third-party` drops every one to a
 * collector on another domain. sendBeacon only where keepalive is missing (and a format needs no headers, which
 * it cannot set). False when the page's quota has no room: the rest waits for a later visit.
 */
export const beacon = (url: string, body: string, headers?: Record<string, string>): boolean => {
  try {
    if (!keepalive && !headers && navigator.sendBeacon) return navigator.sendBeacon(url, body);
    if (kept + byteLength(body) > KEEPALIVE_QUOTA) return false;
    void post(url, body, headers);
    return true;
  } catch {
    return false;
  }
};
