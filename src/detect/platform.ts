/**
 * What a platform table holds, and the one matcher that reads any of them. Platforms are data: adding one is adding
 * a table in `platforms/`, never a branch here.
 */
import type { CheckoutStep, PageInfo, PageType } from '../types';
import { fields, from, path, rows, type Raw } from './extract';

/**
 * Where data sits on a platform: `[from, fields, rows?, rowFields?]`.
 * `from` is '' (the document), `$global.path` or `selector@attr` (JSON in an attribute), alternatives split by `|`;
 * `fields` and `rowFields` use the field language of `extract.ts`; `rows` is a selector or a path to an array.
 */
export type Source = [from: string, fields: string, rows?: string, rowFields?: string];

export type CartAction = 'add' | 'remove' | 'update' | 'coupon';

/**
 * An AJAX cart call: `[url pattern, key that must be in the body or query ('' for none), action, fields]`.
 * `fields` map result keys to body keys (`productId=product_id|id;quantity=qty`, dotted paths into JSON bodies).
 * A first group in the URL pattern is the coupon code (coupon calls) or the product id.
 */
export type Api = [url: RegExp, key: string, action: CartAction, fields: string];

export interface Platform {
  name: NonNullable<PageInfo['platform']>;
  /** Globals (space-separated) that only this platform defines. */
  win?: string;
  /** Or a selector that only this platform's pages match. */
  sel?: string;
  /** Global paths (space-separated) whose string values are page tokens. */
  vars?: string;
  /** The current checkout step's element: its id is a page token. */
  step?: string;
  /**
   * `type=token token;type/step=token;/step=token` (a step only), first matching group wins. Tokens are the body's
   * classes (also without a `template-` or `page-` prefix) and id, the values of `vars`, the step element's id and
   * `#` + the URL hash.
   */
  pages: string;
  /** Global paths of the shop's currency, `|`-separated. */
  currency?: string;
  product?: Source;
  list?: Source;
  /** Tried in order; the first that yields lines or totals wins. */
  cart?: Source[];
  /** Fields id, revenue, tax, shipping, currency, coupon; rows are the items. */
  order?: Source;
}

/** Type and step a platform's markup and globals declare. */
export function platformPage(p: Platform, doc: Document, url: URL): [PageType?, CheckoutStep?] {
  const body = doc.body;
  const t = new Set<unknown>([body?.id, '#' + url.hash.slice(1), p.step && doc.querySelector(p.step)?.id]);
  body?.classList.forEach((c) => t.add(c).add(c.replace(/^(template|page)-/, '')));
  p.vars?.split(' ').forEach((v) => t.add(path(doc.defaultView, v)));
  let type: string | undefined;
  let step: string | undefined;
  for (const e of p.pages.split(';')) {
    const [v, k] = e.split('=');
    if (!k.split(' ').some((x) => t.has(x))) continue;
    const [ty, st] = v.split('/');
    type ||= ty;
    if (!ty || ty == type) step ||= st;
  }
  return [type as PageType, type == 'checkout' ? (step as CheckoutStep) : undefined];
}

/** A platform Source's fields and rows, or undefined when its context is not on the page. */
export function read(src: Source | undefined, doc: Document, url: URL): [Raw, Raw[]] | undefined {
  const ctx = src && from(src[0], doc);
  if (ctx) return [fields(ctx, src[1], url), src[2] ? rows(ctx, src[2]).map((r) => fields(r, src[3]!, url)) : []];
}
