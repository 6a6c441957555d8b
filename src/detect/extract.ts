/**
 * The small language platform tables use to say where data sits, so platforms stay data.
 *
 * A field list is `name=expr;name=expr` (`name` alone means `name=name`). An expression is tried alternative by
 * alternative (`a|b`) against a context:
 * - an element: `selector` (its text), `selector@attr`, `@attr` (the context's own attribute);
 * - a plain object (a global or JSON): a dotted path, `variants.0.price`; a trailing `%` divides by 100 (minor units);
 * - either: `~regex` on the page URL, first group.
 */
import type { Product } from '../types';
import { parse } from '../lib/json';
import { parsePrice } from './price';

type Obj = Record<string, unknown>;
export type Raw = Record<string, unknown>;
export type Ctx = Obj | ParentNode;

/** `a.b.0.c` in an object, undefined on the way down (hostile getters are caught by the caller). */
export const path = (o: unknown, p: string): unknown =>
  p.split('.').reduce<unknown>((v, k) => (v == null ? undefined : (v as Obj)[k]), o);

const isNode = (c: unknown): c is ParentNode => typeof (c as ParentNode).querySelector == 'function';

/** Element text, whitespace collapsed and bounded. */
export const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 200);

export function value(ctx: Ctx, expr: string, url?: URL): unknown {
  for (const alt of expr.split('|')) {
    let v: unknown;
    if (alt[0] == '~') v = url?.href.match(alt.slice(1))?.[1];
    else if (isNode(ctx)) {
      const [sel, attr] = alt.split('@');
      const el = sel ? ctx.querySelector(sel) : (ctx as Element);
      v = attr ? el?.getAttribute(attr) : text(el);
    } else {
      v = path(ctx, alt.replace('%', ''));
      if (alt.endsWith('%') && v != null) v = +v / 100;
    }
    if (v != null && v !== '') return v;
  }
}

/** Every field of a field list that has a value. */
export function fields(ctx: Ctx, spec: string, url?: URL): Raw {
  const o: Raw = {};
  for (const f of spec.split(';')) {
    const i = f.indexOf('=');
    const v = f ? value(ctx, i < 0 ? f : f.slice(i + 1), url) : undefined;
    if (v != null) o[i < 0 ? f : f.slice(0, i)] = v;
  }
  return o;
}

/** A context from a table's `from`: '' the document, `$global.path`, or `selector@attr` holding JSON. */
export function from(spec: string, doc: Document): Ctx | undefined {
  for (const alt of spec.split('|')) {
    if (!alt) return doc;
    const [sel, attr] = alt.split('@');
    const v = alt[0] == '$' ? path(doc.defaultView, alt.slice(1)) : parse(doc.querySelector(sel)?.getAttribute(attr));
    if (v && typeof v == 'object') return v as Obj;
  }
}

/** Rows of a context: elements matching a selector, or an array at a path; at most 50. */
export const rows = (ctx: Ctx, spec: string): Ctx[] =>
  (isNode(ctx) ? [...ctx.querySelectorAll(spec)] : [path(ctx, spec)].flat().filter((r) => r && typeof r == 'object'))
    .slice(0, 50) as Ctx[];

/** A string from a scalar or a schema.org Thing (`{name}`) or a list of them. */
export const str = (v: unknown): string | undefined =>
  Array.isArray(v)
    ? str(v[0])
    : v && typeof v == 'object'
      ? str((v as Obj).name)
      : v != null && v !== ''
        ? String(v).trim().slice(0, 200)
        : undefined;

/** An amount from a number or a printed price, with the currency it shows. */
export const amount = (v: unknown, cur?: string) =>
  typeof v == 'number' ? { value: v, currency: cur } : parsePrice(str(v), cur);

const round = (n: number) => Math.round(n * 100) / 100;

/** Raw fields → Product: strings trimmed, price parsed, quantity counted, a line total divided into a unit price. */
export function product(r: Raw, cur?: string): Product {
  const p: Product = {};
  for (const k of 'id sku name brand variant category'.split(' ') as ('id' | 'sku' | 'name' | 'brand' | 'variant' | 'category')[]) {
    const s = str(r[k]);
    // "Name × 2" in order tables: the quantity is its own field.
    if (s) p[k] = k == 'name' ? s.replace(/\s*×\s*\d+$/, '') : s;
  }
  const q = parseInt(String(r.quantity ?? '').replace(/^\D+/, ''));
  if (q >= 0) p.quantity = q;
  const a = amount(r.price, str(r.currency) ?? cur);
  const t = !a && q > 0 ? amount(r.total, str(r.currency) ?? cur) : undefined;
  if (a || t) p.price = a ? a.value : round(t!.value / q);
  const c = str(r.currency) ?? (a ?? t)?.currency ?? (p.price != null ? cur : undefined);
  if (c) p.currency = c;
  return p;
}

/** Fill what is missing: earlier objects win, field by field. */
export function merge<T extends object>(...os: (Partial<T> | undefined | false | 0)[]): T {
  const o = {} as T;
  for (const x of os) if (x) for (const k in x) if (o[k] == null && x[k] != null) o[k] = x[k] as T[typeof k];
  return o;
}

export const empty = (o: object | undefined) => !o || !Object.keys(o).length;
