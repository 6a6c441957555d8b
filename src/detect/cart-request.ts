/** AJAX cart calls themes make without a page load, recognised from the platform tables. */
import { path } from './extract';
import { CART_APIS } from './platforms';

export interface CartRequest {
  action: 'add' | 'remove' | 'update' | 'coupon';
  productId?: string;
  variant?: string;
  quantity?: number;
  coupon?: string;
}

/** A lookup into a request body: JSON or urlencoded text, URLSearchParams, FormData (strings only) or an object. */
function reader(body: unknown): (k: string) => unknown {
  if (typeof body == 'string') {
    const t = body.trim().slice(0, 1e5);
    try {
      body = /^[[{]/.test(t) ? JSON.parse(t) : new URLSearchParams(t);
    } catch {
      body = undefined;
    }
  }
  const b = body as { get?: (k: string) => unknown } | null | undefined;
  if (typeof b?.get == 'function') return (k) => ((v) => (typeof v == 'string' ? v : undefined))(b.get!(k));
  return (k) => (b && typeof b == 'object' ? path(b, k) : undefined);
}

/**
 * What a cart request does, or undefined when it is not one. Reads only the ids, quantities and coupon codes the
 * platform tables name, from the body and the URL query. A quantity set to 0 is a removal.
 */
export function parseCartRequest(method: string, url: string, body: unknown): CartRequest | undefined {
  try {
    if (/^(head|options)$/i.test(method)) return; // CORS preflights precede the real call
    const u = new URL(url, 'http://x'); // only the path and query matter: any base resolves relative URLs
    let s = u.pathname + u.search;
    try {
      s = decodeURIComponent(s); // ?rest_route=%2Fwc%2Fstore%2F…
    } catch {}
    const b = reader(body);
    const get = (k: string) => b(k) ?? u.searchParams.get(k) ?? undefined;
    for (const [re, key, action, spec] of CART_APIS) {
      const m = s.match(re);
      if (!m || (key && get(key) == null)) continue;
      const r: CartRequest = { action };
      for (const f of spec ? spec.split(';') : []) {
        const [k, alts] = f.split('=') as [keyof CartRequest, string];
        const v = alts.split('|').map(get).find((x) => x != null && x !== '');
        if (v == null) continue;
        if (k == 'quantity') {
          const q = parseInt(String(v));
          if (q >= 0) r.quantity = q;
        } else (r as unknown as Record<string, string>)[k] = String(v).slice(0, 100);
      }
      if (m[1]) r[action == 'coupon' ? 'coupon' : 'productId'] ??= m[1];
      if (action == 'update' && r.quantity === 0) r.action = 'remove';
      return r;
    }
  } catch {
    // a hostile body getter: not a cart call we can read
  }
}
