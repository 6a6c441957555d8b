/**
 * Evidence for shops with no platform markup and no (or partial) structured data: what a shopper sees. Each signal
 * votes for a page type with a weight (the `vote` lines below are the whole table); the best total of 4 or more
 * names the type. A product page's price, name and SKU are the best-scored candidates read from its text.
 */
import type { CheckoutStep, PageType, Product } from '../types';
import { merge, text } from './extract';
import { parsePrice } from './price';
import { urlPage } from './url';

/** "Add to cart" in en fr de es it nl pt pl cs sk sv ru ja zh ko (and a few neighbours), as a whole label. */
const BUY =
  /^(add to (cart|basket|bag)|buy now|ajouter au panier|acheter|in den (warenkorb|einkaufswagen)|(jetzt )?kaufen|(a[ñn]adir|agregar) al? (carrito|cesta)|comprar|aggiungi al carrello|acquista|(toevoegen aan |in )winkel(wagen|mand)|adicionar ao carrinho|dodaj do koszyka|kup teraz|(p[řr]ida[tť] )?do ko[šs][íi]k[ua]|k(o?u|ú)pi[tť]?|lägg i (varukorg|kundvagn)en|köp|(добавить )?в корзину|купить|カートに(入れる|追加)|今すぐ購入|加入[购購]物[车車]|立即(购买|購買)|장바구니( 담기)?|(바로 ?)?구매하기)$/i;
/** Ids and classes themes give the buy control. */
const BUY_ATTR = /add[-_]?(to[-_]?)?(cart|basket|bag)|buy[-_]?(now|btn|button)/i;
/** Out of stock: a product page whose buy control is gone says so. */
const STOCK = /out of stock|unavailable|sold out|ausverkauft|nicht verfügbar|épuisé|indisponible|(a|es)gotado|esaurito|nie?dost[ęu]pn|нет в наличии|在庫切れ|품절|缺货/i;
/** Blocks that show other products than the page's. */
const ASIDE = /related|recommend|similar|upsell|cross|recent|also|carousel|sponsor/i;
/** Containers a price sits in, in the words themes use. */
const PRICEY = /pri[cx]|preis|prezzo|pre[çc]|cen[ay]|цен|価格|가격|[价價]/i;
/** A price that is not the one paid: crossed out, a former or list price; or not an item price at all. */
const OLD = /old|was|strike|cross|before|list-?price|rrp|uvp|compare|original|regular-price|deliver|shipping|instal|financ|month/i;
const NOT_PRICE = /month|monat|mois|rate|cuota|期|%|save|spar|shipping|versand|livraison|delivery|\/\s*(kg|l)\b/i;
/** Labels of a price not paid: a recommended retail, list or former price (RRP, UVP, MSRP, PVP, 建議售價, "was"…). */
const LIST =
  /\b(rrp|uvp|m?srp|pvp|was|war|list|compare at|regular|retail|normal|vorher|(an)?statt|avant|antes|prima|conseill\w*|recomend\w*|consigliato|adviesprijs|listenpreis|start\w*)\b|[原定市][價价]|建[議议]|参考|希望小売|정가|권장|обычн|старая/i;
/**
 * A labelled product identifier: "SKU: 123", "Art.-Nr. 123", "Référence 123", "Item #123", "Артикул 123", "Šifra 123",
 * "型番 123". A barcode (EAN, GTIN…) gives way to the shop’s own item number when the page shows both.
 */
const SKU_LABEL =
  /(?:^|\s)(sku|(art[\w.-]*|vare)(nr|no|nummer)\.?|r[ée]f([ée]rence|\.)|item\s*(#|no\.)|(item|model|part|product) (number|code)|c[óo]d(igo|ice|\.)?|k[óo]da?( izdelka| produktu)?|numer katalogowy|šifra|артикул|код( товара)?|[品型]番|货号|商品[编番編][号號]|상품(번호|코드)|asin|mpn|(?<bar>ean|gtin|upc|isbn|jan)(-?1[34])?)\s*[:#.：]?\s*([A-Za-z0-9][\w./-]{2,40})?\s*$/i;
const ID = /^[A-Za-z0-9][\w./-]{2,40}$/;

const attrs = (e: Element) => (e.id + ' ' + (e.getAttribute('class') ?? '') + ' ' + (e.getAttribute('itemprop') ?? '')).slice(0, 300);
/** Whether `e` or one of its `n` nearest ancestors has an id, class or itemprop matching `re`. */
const near = (e: Element | null, re: RegExp, n: number): boolean => !!e && n >= 0 && (re.test(attrs(e)) || near(e.parentElement, re, n - 1));
/** `n` less the steps up from `from` to the first ancestor holding `e`, at least 0 (0 too when there is no `from`). */
const close = (from: Element | undefined, e: Element, n: number) => {
  for (let a = from; a && n && !a.contains(e); a = a.parentElement ?? undefined) n--;
  return from ? n : 0;
};
const label = (e: Element) =>
  (text(e) || (e as HTMLInputElement).value || e.getAttribute('aria-label') || '').trim().toLowerCase().replace(/[\s!]+$/, '');
/** The label just before `e` (its text node or element; not a heading, not another amount). */
const lead = (e: Element) => {
  const p = e.previousElementSibling;
  const t = ((e.previousSibling?.nodeType == 3 ? e.previousSibling.nodeValue : '') + ' ' + (p && !/^H\d/.test(p.tagName) ? text(p) : '')).trim();
  return /\d/.test(t) ? '' : t.slice(-30);
};
/** Whether a text is one amount (not "12,00 € 15,00 €", not "£17.49 (24 reviews)") with fewer than `n` other characters. */
const amount = (s: string, n: number) => s.replace(/[\d\s.,'’:-]/g, '').length < n && (s.match(/\d+([\s'’.,]\d+)*/g)?.length ?? 0) < 2;

export interface Evidence {
  type?: PageType;
  step?: CheckoutStep;
  /** Votes per page type (debug output). */
  votes: Record<string, number>;
  /** What a product page shows; `sure` when its price candidate is strong enough to beat structured data. */
  product?: Product;
  sure?: boolean;
}

/**
 * The evidence a page gives for being a product page, a cart, a checkout step or a listing, and what a product
 * page shows. `known` is the price structured data gives: a candidate showing it is confirmed.
 */
export function evidence(doc: Document, url: URL, known?: number): Evidence {
  const q = (s: string) => doc.querySelector(s);
  // Buy controls: a button, or a link to this shop (`javascript:` too; a review's "buy on …" link elsewhere is not).
  // A theme's class for it may sit on the label inside: `<button><span class="add-to-cart">Ielikt grozā</span>`.
  const buys = [...doc.querySelectorAll('button,input[type=submit],input[type=button],a,[role=button]')].filter((e) => {
    const l = label(e);
    return !(l.length > 40 || (/^http/.test((e as HTMLAnchorElement).href) && (e as HTMLAnchorElement).host != url.host)) &&
      (BUY.test(l.replace(/\s+/g, ' ')) || (l.length < 25 && BUY_ATTR.test(attrs(e) + attrs(e.firstElementChild ?? e))));
  });
  const buy = buys.find((b) => !near(b, ASIDE, 8));
  const h1 = [...doc.querySelectorAll('h1')].find((h) => !h.closest('nav,header,footer,aside') && text(h));

  // One walk over the text: price candidates, an out-of-stock notice, labelled identifiers.
  const seen = new Set<Element>();
  const cands: { e: Element; value: number; currency?: string; score: number }[] = [];
  let stock = false;
  let stale = false; // structured data gives a price the page labels as not paid (a list price, a starting bid)
  let sku: string | undefined;
  let bar: string | undefined; // the id found is a barcode: a labelled item number may still replace it
  const walk = doc.createTreeWalker(doc.body, 4);
  for (let n = walk.nextNode(), i = 0; n && i < 20000; n = walk.nextNode(), i++) {
    const t = n.nodeValue!.replace(/\s+/g, ' ').trim();
    let e = n.parentElement!;
    if (!t || t.length > 60 || /^(SCRIPT|STYLE|NOSCRIPT|OPTION|TEXTAREA)$/.test(e.tagName)) continue;
    stock ||= STOCK.test(t);
    const m = !sku || bar ? t.match(SKU_LABEL) : null;
    if (m) {
      // "SKU: 123" in one text, or the label in its own element and the value in the next text or element.
      const id = m.pop() ?? [n.nextSibling, e.nextSibling, e.nextElementSibling, e.parentElement?.nextElementSibling].map((x) => text(x as Element)).find((x) => x && ID.test(x));
      if (id && /\d/.test(id) && !(sku && m.groups!.bar)) (sku = id), (bar = m.groups!.bar);
    }
    if (!/\d/.test(t) || cands.length > 300) continue;
    // Prices split over elements (`€<span>12</span><sup>99</sup>`): the largest element that is still only an amount.
    while (e.parentElement && e.parentElement != doc.body && amount(text(e.parentElement) ?? '', 4)) e = e.parentElement;
    if (seen.has(e)) continue;
    seen.add(e);
    // A currency sign just before or after the amount, in the text around it or an element of its own, counts with
    // it: `$<b>99</b>元起`, `<span>$</span><b>99</b>`, `<span>2320</span><span>元</span>`.
    const next = (e.nextSibling?.textContent!.trim() || text(e.nextElementSibling) || '').slice(0, 3);
    const s = (lead(e).slice(-3) + ' ' + text(e) + ' ' + (/\d/.test(next) ? '' : next)).trim();
    // An amount with a currency (a sign or an ISO code), or any amount inside a price container.
    const p = amount(s, 20) ? parsePrice(s.replace(/(\d)\s+(\d\d)$/, '$1.$2')) : undefined;
    const pricey = near(e, PRICEY, 3);
    const has = (sel: string) => e.closest(sel) || e.querySelector(sel);
    if (!p || !(p.value > 0 && p.value < 1e9) || !(p.currency || pricey)) continue;
    // The label in front of the amount, in its own text or element: "建議售價 <b>$2,800</b>", "<dt>RRP</dt><dd>£20</dd>".
    const listed = LIST.test(s) || LIST.test(lead(e) || lead(e.parentElement!));
    const shown = known == p.value;
    stale ||= listed && shown;
    cands.push({
      e,
      ...p,
      score:
        (p.currency ? 2 : 0) +
        (pricey ? 2 : 0) -
        cands.length / 100 +
        (has('[itemprop=price]') ? 3 : 0) -
        (has('del,s,strike') || near(e, OLD, 3) ? 8 : 0) -
        (near(e, ASIDE, 10) ? 6 : 0) -
        (NOT_PRICE.test(s) ? 4 : 0) -
        (listed ? 8 : 0) +
        (shown ? 3 : 0),
    });
  }
  // Near the buy control and the heading: the product's own price, not a related one's.
  for (const c of cands) c.score += (close(buy, c.e, 8) + close(h1, c.e, 6)) / 2;
  const best = cands.sort((a, b) => b.score - a.score)[0];
  const ok = best?.score >= 4;
  const urlProduct = urlPage(url) == 'product';
  const qty = q('[name*=qty],[name*=quantity],[name*=Quantity]');
  const card = q('[autocomplete~=cc-number],[name*=cardnumber],[name*=card_number]');
  const w = (n: number, why: unknown) => (why ? n : 0);

  const votes = {
    product:
      w(3, buy) +
      w(2, best?.score >= 6) +
      w(2, q('[itemprop=price],meta[property$="price:amount"]')) +
      w(2, urlProduct) +
      w(2, !buy && stock) +
      w(1, qty) +
      w(1, q('select[name*=size],select[name*=colo],[name*=variant],[name*=option]')) -
      // Against: article markup, comments, many buy buttons with none standing out (a grid).
      w(4, q('article time,[rel=author],[itemtype$=Article],[itemtype$=Posting],meta[content=article],meta[property^="article:"]')) -
      w(2, q('#comments,.comments,#disqus_thread')) -
      w(3, buys.length > 5 && !buy),
    // Checkout: a form asking for a card or a shipping address (the autocomplete tokens browsers fill).
    checkout: w(5, card || q('[autocomplete*="shipping address-line1"],[autocomplete*="shipping postal-code"]')),
    // Cart: quantity inputs, a way on to checkout, and nothing to add.
    cart: w(5, !buy && (qty || q('input[type=number]')) && q('a[href*=checkout],form[action*=checkout],a[href*=kasse],a[href*=commande]')),
    // A listing: many prices, no buy control or product URL of its own.
    collection: w(4, !buy && !urlProduct && cands.length > 7),
  };
  const [type, score] = Object.entries(votes).sort((a, b) => b[1] - a[1])[0];
  // The product's id: `itemprop`, an ASIN, a labelled item number, the id in the URL (`?pid=123456`, `-123456.html`,
  // `/M14876706.htm`: a capital letter before the digits is part of it),
  // a labelled barcode. The shop's own number before a barcode, in this order whatever the page's order. An id has no
  // spaces: an `itemprop=sku` of words ("Fake Wounds") is a name some themes put there, and the next one is read.
  const prop = 'sku mpn productID gtin'.split(' ').map((k) => q(`[itemprop^=${k}]`)).find((x) => x);
  const id = [
    prop?.getAttribute('content') ?? text(prop),
    url.pathname.match(/\/dp\/(\w{10})/)?.[1],
    !bar && sku,
    ...'pid sku productId product_id itemId id '
      .split(' ')
      .map((k) => (k ? url.searchParams.get(k) : url.pathname.match(/([A-Z]?\d{5,})\D{0,5}$/)?.[1]))
      .filter((v) => /^\w*\d{4}/.test(v!)),
    sku,
  ].find((v) => v && !/\s/.test(v)) as string | undefined;
  const t = score >= 4 ? (type as PageType) : undefined;
  return {
    type: t,
    step: t == 'checkout' ? (card ? 'payment' : 'shipping') : undefined,
    votes,
    sure: ok && (best.score >= 8 || stale),
    product: merge<Product>({ name: text(h1), sku: id }, ok && { price: best.value, currency: best.currency }),
  };
}
