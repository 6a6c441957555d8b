/** schema.org data: JSON-LD (with @graph, arrays, mainEntity) and microdata; plus Open Graph product tags. */
import type { Order, Product } from '../types';
import { amount, fields, product, str, text, type Raw } from './extract';

type Node = Record<string, any>;

/** Bounds that keep parsing cheap on pages that embed catalogues in JSON-LD. */
const MAX_SCRIPTS = 10;
const MAX_CHARS = 100_000;

export const isType = (n: Node, t: string) =>
  [n['@type']].flat().some((x) => typeof x == 'string' && x.replace(/.*[/:#]/, '') == t);

/** The top-level JSON-LD nodes of a page (the things it is about, not the things they mention). */
export function ldNodes(doc: Document, log: (m: string) => void): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown, depth: number): void => {
    if (!n || typeof n != 'object' || depth > 4 || out.length > 200) return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, depth + 1));
    out.push(n);
    walk((n as Node)['@graph'], depth + 1);
    walk((n as Node).mainEntity, depth + 1);
  };
  [...doc.querySelectorAll('script[type="application/ld+json"]')].slice(0, MAX_SCRIPTS).forEach((s) => {
    const t = s.textContent ?? '';
    if (t.length > MAX_CHARS) return log('JSON-LD block over 100 KB skipped');
    try {
      walk(JSON.parse(t), 0);
    } catch {
      log('broken JSON-LD skipped');
    }
  });
  return out;
}

/** A JSON-LD Product (or ProductGroup, or a ListItem holding one); price from its first offer. */
export function ldProduct(n: Node, cur?: string, extra?: Raw): Product {
  n = n.item && typeof n.item == 'object' ? n.item : n;
  let o = [n.offers ?? n.hasVariant?.[0]?.offers].flat()[0] ?? {};
  o = [o.offers].flat()[0] ?? o; // AggregateOffer listing its offers
  const ps = [o.priceSpecification].flat()[0] ?? {};
  return product(
    {
      id: n.productID ?? n.sku,
      sku: n.sku,
      name: n.name,
      brand: n.brand,
      category: n.category,
      price: o.price ?? o.lowPrice ?? ps.price,
      currency: o.priceCurrency ?? ps.priceCurrency,
      ...extra,
    },
    cur,
  );
}

/** A JSON-LD Order: acceptedOffer (Offer → itemOffered) and orderedItem (OrderItem → orderedItem). */
export function ldOrder(n: Node, cur?: string): Partial<Order> {
  const due = n.totalPaymentDue ?? {};
  const currency = str(n.priceCurrency ?? due.priceCurrency ?? due.currency) ?? cur;
  return {
    id: str(n.orderNumber),
    revenue: amount(n.price ?? due.price ?? due.value, currency)?.value,
    currency,
    coupon: str(n.discountCode),
    items: [
      ...[n.acceptedOffer ?? []].flat().map((o: Node) =>
        ldProduct({ ...o.itemOffered, offers: o }, currency, { quantity: o.eligibleQuantity?.value }),
      ),
      ...[n.orderedItem ?? []].flat().map((i: Node) =>
        ldProduct(i.orderedItem ?? {}, currency, { quantity: i.orderQuantity }),
      ),
    ].slice(0, 50),
  };
}

export const MD_PRODUCT = '[itemscope][itemtype*="schema.org/Product"]';

/**
 * A microdata scope read as a JSON-LD node: each property of its own (not of a nested item) from `content` or its
 * text, a nested item as a node of its own (`offers`, `brand`).
 */
const mdNode = (scope: Element): Node => {
  const n: Node = {};
  for (const e of scope.querySelectorAll('[itemprop]'))
    if (e.parentElement?.closest('[itemscope]') == scope)
      for (const k of e.getAttribute('itemprop')!.split(' ')) n[k] ??= e.hasAttribute('itemscope') ? mdNode(e) : (e.getAttribute('content') ?? text(e));
  return n;
};

/** A microdata Product scope (its price in its `offers` item, or its own). */
export const mdProduct = (scope: Element, cur?: string): Product => {
  const n = mdNode(scope);
  return ldProduct({ offers: n, ...n }, cur);
};

/** Microdata Product scopes that are not inside another Product. */
export const mdProducts = (doc: Document) =>
  [...doc.querySelectorAll(MD_PRODUCT)].filter((e) => !e.parentElement?.closest(MD_PRODUCT)).slice(0, 50);

const og = (p: string) => `meta[property="${p}"]@content`;

/** Open Graph / Facebook catalogue product tags. */
export const metaProduct = (doc: Document, cur?: string) =>
  product(
    fields(
      doc,
      `name=${og('og:title')};id=${og('product:retailer_item_id')};brand=${og('product:brand')};price=${og(
        'product:price:amount',
      )}|${og('og:price:amount')};currency=${og('product:price:currency')}|${og('og:price:currency')}`,
    ),
    cur,
  );
