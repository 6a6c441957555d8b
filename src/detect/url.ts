/** The weakest signal: URL shapes shops commonly use, in the languages they commonly localise to. */
import type { CheckoutStep, PageType } from '../types';

/**
 * Tried in order on path + query; `words` must be a whole path segment (or a PrestaShop `controller=` value),
 * `extra` is a free pattern. Account before order confirmation (`/account/orders/1`), search paths before products
 * (`/search?type=product`), search parameters after collections (`/collections/all?q=`).
 */
const URLS: [PageType, string, string?][] = [
  ['account', 'account|my-account|mon-compte|mein-konto|mi-cuenta|customer|login'],
  ['order_confirmation', 'order-received|thank[-_]?you|merci|danke|gracias|grazie|order-confirmation|confirmation-commande|success|orders'],
  ['checkout', 'checkouts?|commande|kasse|pago|order'],
  ['cart', 'cart|panier|warenkorb|carrito|carrello|basket'],
  ['search', 'search|recherche|suche|buscar|cerca|catalogsearch'],
  ['product', 'products?|produits?|produkte?|productos?|prodotto|artikel|prod|p|dp|itm|item', '-p-?\\d+\\.html|/p\\d{4,}|/\\d+(-\\d+)?-[^/?]+\\.html'],
  ['collection', 'collections?|category|product-category|kategorie|categorie|categoria|shop|c'],
  ['search', '', '[?&](q|s|query|search|search_query|keywords?)='],
  ['support', 'contact|contact-us|kontakt|help|aide|hilfe|ayuda|faqs?|returns|support'],
  ['content', 'blogs?|news|pages?|journal|cms'],
];

/**
 * Checkout steps named in a URL (path, query, hash): Shopify's `?step=payment_method`, `/checkout/shipping`, `#payment`.
 * Each pattern's first word is the step.
 */
const STEPS = 'payment|paiement|zahlung|pago|billing shipping|delivery|livraison|versand|envio|address review|confirm|summary contact|information|login|email'.split(' ');

export function urlPage(url: URL): PageType | undefined {
  const s = url.pathname + url.search;
  for (const [type, words, extra] of URLS)
    if (RegExp((words && `(^|/|controller=)(${words})(?![\\w-])`) + (words && extra ? '|' : '') + (extra ?? ''), 'i').test(s))
      return type;
  // The root, a locale root (/fr/, /en-us/) or an index file.
  if (/^\/([a-z]{2}([-_][a-z]{2})?\/?)?(index\.(php|html?))?$/i.test(url.pathname)) return 'home';
}

export const urlStep = (url: URL) =>
  STEPS.find((re) => RegExp(re, 'i').test(url.pathname + url.search + url.hash))?.split('|')[0] as CheckoutStep | undefined;

/** The search terms, from the parameter names shop engines use. */
export const urlQuery = (url: URL) =>
  'q s query search search_query keyword keywords'
    .split(' ')
    .map((k) => url.searchParams.get(k)?.trim())
    .find(Boolean);
