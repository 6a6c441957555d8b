/**
 * Request bodies never exceed this: the keepalive/sendBeacon in-flight quota is 64 KiB per page, and a
 * larger keepalive fetch is refused outright.
 */
export const MAX_BODY_BYTES = 64_000;
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

/** POST a body with keepalive fetch while the page lives. Never rejects. */
export const post = async (url: string, body: string, headers?: Record<string, string>): Promise<Answer> => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
  try {
    const res = await nativeFetch(url, {
      method: 'POST',
      body,
      keepalive: true,
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
    clearTimeout(timer);
  }
};

/**
 * Hand a body to the browser at unload. sendBeacon survives the page; when a format needs headers (which
 * sendBeacon cannot set) a keepalive fetch does the same job. False when the browser refused (quota).
 */
export const beacon = (url: string, body: string, headers?: Record<string, string>): boolean => {
  try {
    if (!headers && navigator.sendBeacon) return navigator.sendBeacon(url, body);
    nativeFetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': TEXT, ...headers } }).catch(() => {});
    return true;
  } catch {
    return false;
  }
};
