/**
 * Evidence for shops with no platform markup and no (or partial) structured data: what a shopper sees. Each
 * signal is a small function of the document; the page type is the best total that clears its threshold, and a
 * product page's price, name and SKU are the best-scored candidates read from its text.
 */
import type { CheckoutStep, PageType, Product } from '../types';
import { text } from './extract';
import { parsePrice } from './price';

/** "Add to cart" in the languages shops localise to (en fr de es it nl pt pl cs sk sv ru ja zh ko, and neighbours). */
const BUY =
  /^(add to (cart|basket|bag|trolley|shopping (cart|bag))|buy( it)? now|ajouter au panier|acheter|in den (warenkorb|einkaufswagen)|(jetzt )?kaufen|(a[ñn]adir|agregar) (al carrito|a la (cesta|bolsa))|comprar( ahora)?|aggiungi (al carrello|alla borsa)|acquista( ora)?|(toevoegen aan |in )(winkelwagen|winkelmand)|adicionar (ao carrinho|[àa] sacola)|dodaj do koszyka|kup teraz|(p[řr]idat |pridať )?do ko[šs][íi]k[ua]|koupit|k[úu]pi[ťt]|l[äa]gg i (varukorgen|kundvagnen)|köp|(добавить )?в корзину|купить|カートに(入れる|追加)|今すぐ購入|加入(购物车|購物車)|立即(购买|購買)|장바구니( 담기)?|(바로 ?)?구매하기|dodaj (v|u) ko[šs]aric[ou]|ielikt grozā|lisa ostukorvi|adaug[ăa] [îi]n co[șs]|sepete ekle|lisää (ostoskoriin|koriin)|(læg|legg) i (kurv|handlekurv)|kosárba|הוסף לסל|أضف إلى (السلة|عربة التسوق))$/i;
/** Out of stock, in those languages: a product page whose buy control is gone. */
const STOCK =
  /out of stock|currently unavailable|sold out|notify me|ausverkauft|nicht (verfügbar|lieferbar)|épuisé|rupture de stock|agotado|esaurito|non disponibile|niet (op voorraad|leverbaar)|indispon[íi]vel|esgotado|niedostępny|wyprzedany|vyprodáno|nedostupn|slutsåld|нет в наличии|在庫切れ|品切れ|품절|缺货|缺貨|售完/i;
/** Ids and classes themes give the buy control. */
const BUY_ATTR = /add[-_]?(to[-_]?)?(cart|basket|bag)|buy[-_]?(now|btn|button)/i;
/** Blocks that show other products than the page's. */
const ASIDE = /related|recommend|similar|upsell|cross-?sell|recent|also|carousel|accessor|bundle|sponsor/i;
/** Containers a current price sits in, in the words themes use. */
const PRICEY = /price|preis|prix|precio|prezzo|pre[çc]o|cen[ay]|hinta|pris|цен|価格|가격|价|價/i;
/** A price that is not the one paid: crossed out, a former or list price. */
const OLD = /old|was|strike|crossed|before|list-?price|rrp|uvp|compare|original|regular-price|price-?before/i;
/** Amounts that are not the product's price: instalments, savings, shipping, unit prices. */
const NOT_PRICE = /month|monat|mois|mes\b|rate|cuota|期|%|save|spar|économ|ahorr|shipping|versand|livraison|envío|delivery|\/\s*(kg|l|m|st)|\bwas\b|statt|avant|antes|prima|原[價价]|建議售價|定[價价]|정가|uvp|rrp|list price|regular price/i;
/** Currency signs and local words that mark an amount (the ISO codes are recognised by parsePrice). */
const MONEY = /[$€£¥￥₩₹₽₺₪₫฿₱₴₸円元원]|\b[A-Z]{3}\b|(^|[\s\d])([Zz]ł|K[čc]|[Ll]ei|K[Nn]|kn|Ft|kr|Rs\.?|руб|тг|лв|din)/;
/** Whether a text shows one amount only (not "12,00 € 15,00 €", not "£17.49 (24 reviews)"). */
const oneNumber = (s: string) => (s.match(/\d+([\s'’.,]\d+)*/g)?.length ?? 0) < 2;
/** A labelled product identifier: "SKU: 123", "Art.-Nr. 123", "Réf. 123", "Item #123", "Артикул 123". */
const SKU_LABEL =
  /(?:^|\s)(?:sku|art(?:ikel)?[\s.-]*(?:nr|nummer|no)\.?|artikelnummer|r[ée]f(?:[ée]rence)?\.?|item\s*(?:#|no\.?|number)|product\s*(?:code|id|no\.?)|model(?:\s*(?:no\.?|number))?|k[óo]d(?:\s*produktu)?|šifra|c[óo]digo|codice|cod\.?|артикул|код(?:\s*товара)?|品番|商品番号|型番|상품번호|商品編號|asin|ean|isbn(?:-?1[03])?|mpn|gtin)\s*[:#.]?\s*([A-Za-z0-9][\w./-]{2,40})?\s*$/i;

/** `input[name*=qty],input[name*=Qty],…`: case-insensitive attribute selectors (happy-dom lacks the ` i` flag). */
const named = (tags: string, words: string, attr = 'name') =>
  tags
    .split(',')
    .flatMap((t) => words.split(' ').flatMap((w) => [w, w[0].toUpperCase() + w.slice(1)].map((v) => `${t}[${attr}*=${v}]`)))
    .join();
const attrs = (e: Element) => (e.id + ' ' + (e.getAttribute('class') ?? '') + ' ' + (e.getAttribute('itemprop') ?? '')).slice(0, 300);
/** Whether `e` or one of its `n` nearest ancestors has an id, class or itemprop matching `re`. */
const near = (e: Element | null, re: RegExp, n: number): boolean => !!e && n >= 0 && (re.test(attrs(e)) || near(e.parentElement, re, n - 1));
/** How many steps up from `from` the first ancestor holding `e` is (0: `from` holds it), up to 10, else 11. */
const steps = (from: Element | undefined, e: Element) => {
  for (let a: Element | null | undefined = from, k = 0; a && k < 11; a = a.parentElement, k++) if (a.contains(e)) return k;
  return 11;
};
const label = (e: Element) =>
  (text(e) || (e as HTMLInputElement).value || e.getAttribute('aria-label') || e.getAttribute('title') || '').trim().toLowerCase();

/** Buy controls on the page: a button (or link to this shop) that says "add to cart" or is named for it. */
export function buyButtons(doc: Document, host: string): Element[] {
  return [...doc.querySelectorAll('button,input[type=submit],input[type=button],a,[role=button]')]
    .filter((e) => {
      const l = label(e);
      // A link elsewhere (a review's "buy on …") is not this page's buy control; `javascript:` links are.
      if (l.length > 40 || (e.tagName == 'A' && /^http/.test((e as HTMLAnchorElement).href) && (e as HTMLAnchorElement).host != host)) return false;
      return BUY.test(l.replace(/[\s!]+$/, '').replace(/\s+/g, ' ')) || (l.length < 25 && BUY_ATTR.test(attrs(e)));
    })
    .slice(0, 50);
}

export interface Evidence {
  type?: PageType;
  step?: CheckoutStep;
  /** What the page shows, for a product page. */
  product?: Product;
  /** Votes per page type, for debug output. */
  votes: Record<string, number>;
}

/** Price candidates: short texts that read as an amount with a currency, or sit in a price container. */
function prices(doc: Document, cur?: string) {
  const seen = new Set<Element>();
  const out: { e: Element; value: number; currency?: string; s: string }[] = [];
  const walk = doc.createTreeWalker(doc.body, 4);
  for (let n = walk.nextNode(), i = 0; n && i < 20000 && out.length < 300; n = walk.nextNode(), i++) {
    const t = n.nodeValue ?? '';
    if (!/\d/.test(t) || t.length > 60) continue;
    let e = n.parentElement;
    if (!e || /^(SCRIPT|STYLE|NOSCRIPT|OPTION|TITLE|TEXTAREA)$/.test(e.tagName)) continue;
    // Prices split over elements (`€<span>12</span><sup>99</sup>`): the largest element still reading as one.
    for (let t; e.parentElement && e.parentElement != doc.body && (t = text(e.parentElement) ?? '').length < 24 && oneNumber(t); ) e = e.parentElement;
    if (seen.has(e)) continue;
    seen.add(e);
    const s = text(e) ?? '';
    // Mostly the amount: digits, separators, a currency, a word or two.
    if (s.replace(/[\d\s.,'’:-]/g, '').length > 14 || !oneNumber(s)) continue;
    if (!MONEY.test(s.replace(/\d/g, ' ')) && !near(e, PRICEY, 3)) continue;
    const p = parsePrice(s.replace(/(\d)\s+(\d\d)$/, '$1.$2'), cur);
    if (p && p.value > 0 && p.value < 1e9) out.push({ e, ...p, s });
  }
  return out;
}

/** Whether a short text on the page (a label, a badge) matches `re`. */
function says(doc: Document, re: RegExp) {
  const walk = doc.createTreeWalker(doc.body, 4);
  for (let n = walk.nextNode(), i = 0; n && i < 20000; n = walk.nextNode(), i++) if ((n.nodeValue?.length ?? 99) < 50 && re.test(n.nodeValue!)) return true;
}

/** The page's main heading: the first `h1` outside navigation, else the Open Graph title. */
const heading = (doc: Document) =>
  [...doc.querySelectorAll('h1')].find((h) => !h.closest('nav,header,footer,aside') && text(h)) ?? doc.querySelector('h1');

/** A labelled identifier on the page, or the one in `itemprop`, or an Amazon ASIN in the URL. */
function sku(doc: Document, url: URL, root: Element | undefined): string | undefined {
  const prop = doc.querySelector('[itemprop=sku],[itemprop=mpn],[itemprop^=gtin],[itemprop=productID]');
  const v = prop?.getAttribute('content') ?? text(prop);
  if (v) return v;
  const walk = doc.createTreeWalker(root ?? doc.body, 4);
  for (let n = walk.nextNode(), i = 0; n && i < 20000; n = walk.nextNode(), i++) {
    const t = (n.nodeValue ?? '').replace(/\s+/g, ' ');
    if (t.length > 60 || !/[a-zа-я品商型상]/i.test(t)) continue;
    const m = t.match(SKU_LABEL);
    if (!m) continue;
    // "SKU: 123" in one text, or the label in its own element and the value in the next one.
    const e = n.parentElement!;
    const id = m[1] ?? text(e.nextElementSibling)?.match(/^[A-Za-z0-9][\w./-]{2,40}$/)?.[0] ?? text(e.parentElement?.nextElementSibling)?.match(/^[A-Za-z0-9][\w./-]{2,40}$/)?.[0];
    if (id && /\d/.test(id)) return id;
  }
  return url.pathname.match(/\/dp\/([A-Z0-9]{10})\b/)?.[1];
}

/**
 * The evidence a page gives for being a product page, a cart, a checkout step or a listing, and for a product page
 * the product it shows. `known` is the price structured data gives, which a candidate showing it confirms.
 */
export function evidence(doc: Document, url: URL, cur?: string, known?: number): Evidence {
  const votes: Record<string, number> = {};
  const vote = (t: string, w: number, why: unknown) => why && (votes[t] = (votes[t] ?? 0) + w);
  const q = (s: string) => doc.querySelector(s);
  const buys = buyButtons(doc, url.host);
  const buy = buys.find((b) => !near(b, ASIDE, 8));
  const h1 = heading(doc) ?? undefined;
  const cands = prices(doc, cur).map((c, i) => {
    let score = (MONEY.test(c.s.replace(/\d/g, ' ')) ? 2 : 0) + (near(c.e, PRICEY, 3) ? 2 : 0) - i / 100;
    if (c.e.closest('[itemprop=price]') || c.e.querySelector('[itemprop=price]')) score += 3;
    if (c.e.closest('del,s,strike') || near(c.e, OLD, 3)) score -= 8;
    if (near(c.e, ASIDE, 10)) score -= 6;
    if (NOT_PRICE.test(c.s) || near(c.e, /deliver|shipping|versand|livraison|instal|financ|monthly/i, 3)) score -= 4;
    if (known != null && Math.abs(known - c.value) < 0.005) score += 3;
    score += Math.max(0, 8 - steps(buy, c.e)) / 2 + Math.max(0, 6 - steps(h1, c.e)) / 2;
    return { ...c, score };
  });
  const best = cands.sort((a, b) => b.score - a.score)[0];
  (globalThis as any).__ev = cands.slice(0, 6).map((c) => [c.s, c.score, c.e.className]);
  const metaPrice = q('[itemprop=price],meta[property$="price:amount"]');
  const article = q('article time[datetime],[rel=author],[itemtype*="schema.org/Article"],[itemtype*="schema.org/BlogPosting"],[itemtype*="schema.org/NewsArticle"],meta[property="og:type"][content=article],meta[property^="article:"]');

  vote('product', 3, buy);
  vote('product', 2, best && best.score >= 6);
  vote('product', 2, metaPrice);
  const urlProduct = /\/(dp|gp\/product|p|itm|item|prod|products?|artikel|produkt|produit|producto|prodotto)\/|-p-?\d+\.html?$|\/p\d{4,}/i.test(url.pathname);
  vote('product', 2, urlProduct);
  // A product out of stock has no buy control, but says so, or offers to be told when it is back.
  vote('product', 2, !buy && says(doc, STOCK));
  const qty = q(named('input,select', 'qty quantity'));
  vote('product', 1, qty);
  vote('product', 1, q(named('select,input[type=radio]', 'size color colour variant option')));
  vote('product', -4, article);
  vote('product', -2, q('#comments,.comments,#disqus_thread,.comment-list,#respond'));
  vote('product', -3, buys.length > 5 && !buy);

  // Checkout: a form asking for a card or a shipping address (the autocomplete tokens browsers fill).
  const card = q('[autocomplete~=cc-number],input[name*=cardnumber],input[name*=Cardnumber],input[name*=card_number],input[name*=Card_number]');
  vote('checkout', 5, card || q('[autocomplete*="shipping address-line1"],[autocomplete*="shipping postal-code"]'));
  // Cart: line items with quantity inputs and a control that proceeds to checkout, and nothing to add.
  const proceed = [...doc.querySelectorAll('a,button,input[type=submit]')].some((e) =>
    /^(proceed to checkout|checkout|check out|zur kasse|commander|passer (la|ma) commande|finalizar (compra|pedido)|tramitar pedido|procedi (all'ordine|al checkout)|afrekenen|do kasy|k pokladně|till kassan|оформить заказ|レジに進む|去结算|주문하기)/i.test(label(e)),
  );
  vote('cart', 5, proceed && !buy && (qty || q('input[type=number]')));
  // A listing: several product tiles, each with its own price.
  vote('collection', 4, !buy && !urlProduct && cands.length >= 8 && new Set(cands.map((c) => c.e.closest('li,article,' + named('', 'product item', 'class')))).size >= 6);

  const [type, score] = Object.entries(votes).sort((a, b) => b[1] - a[1])[0] ?? [];
  const ev: Evidence = { votes };
  if ((score ?? 0) < 4) return ev;
  ev.type = type as PageType;
  if (type == 'checkout') ev.step = card ? 'payment' : 'shipping';
  if (type == 'product' || (votes.product ?? 0) >= 4) {
    const p: Product = {};
    const name = text(h1) ?? doc.querySelector('meta[property="og:title"]')?.getAttribute('content');
    if (name) p.name = name;
    if (best && best.score >= 4) {
      p.price = best.value;
      if (best.currency) p.currency = best.currency;
    }
    const id = sku(doc, url, undefined);
    if (id) p.sku = id;
    ev.product = p;
  }
  return ev;
}
