/** What kind of page this is, and the commerce data on it. */
import type { Cart, CheckoutStep, Order, PageInfo, PageRule, PageType, Product } from '../types';
import { amount, empty, fields, merge, product, str, text, value, type Raw } from './extract';
import { platformPage, read } from './platform';
import { PLATFORMS } from './platforms';
import { attrProduct } from './product';
import { isType, ldNodes, ldOrder, ldProduct, mdProduct, mdProducts, metaProduct } from './schema';
import { urlPage, urlQuery, urlStep } from './url';
import { evidence } from './evidence';
import { guard } from '../lib/guard';

const TYPES = ' home collection search product cart checkout order_confirmation account support content other ';
const STEPS = ' contact shipping payment review ';

/**
 * Detect the page type (and checkout step) from, strongest first: the shop's `rules` (first match on the path),
 * `data-parcours-page` / `data-parcours-checkout-step` / `<meta name="parcours:page">`, platform markup and globals,
 * schema.org data and Open Graph tags, then the URL. Also extracts the product, listing, search query, cart or order
 * the page shows. Never throws: odd pages give a best-effort result and a line on `log`.
 */
export function detectPage(doc: Document, url: URL, rules?: PageRule[], log: (msg: string) => void = () => {}): PageInfo {
  const say = (m: string) => log('detect: ' + m);
  const info: PageInfo = { type: 'other', source: 'default' };
  try {
    // A page's own globals may be getters that throw: lose that signal, not the page.
    const safe = <T>(f: () => T) => guard(f, say)();
    const w = doc.defaultView as unknown as Record<string, unknown>;
    const plat = PLATFORMS.find((p) =>
      safe(() => p.win?.split(' ').some((g) => w?.[g] != null) || (p.sel && doc.querySelector(p.sel))),
    );
    const path = url.pathname;
    const ld = ldNodes(doc, say);
    const of = (t: string) => ld.filter((n) => isType(n, t));
    const prods = of('Product').concat(of('ProductGroup'));
    const ord = of('Order')[0];
    const mds = mdProducts(doc);
    const og = str(value(doc, 'meta[property="og:type"]@content')) ?? '';
    // The shop's own marks: `data-parcours-list="Summer sale"` and the like, on any element.
    const mark = (n: string) => str(value(doc, `[data-parcours-${n}]@data-parcours-${n}`));
    // An attribute value that is not a known type or step is reported and ignored.
    const known = (v: string | null | undefined, list: string) =>
      v ? (list.includes(` ${v} `) ? v : void say(`unknown "${v}" ignored`)) : undefined;
    const stepAttr = known(mark('checkout-step'), STEPS);
    const pageAttr = known(str(value(doc, ':root[data-parcours-page]@data-parcours-page|body[data-parcours-page]@data-parcours-page|meta[name="parcours:page"]@content')), TYPES);
    const rule = rules?.find((r) => (typeof r.match == 'string' ? path.includes(r.match) : path.search(r.match) >= 0));
    const [pType, pStep] = (plat && safe(() => platformPage(plat, doc, url))) || [];
    if (prods.length > 1) say(prods.length + ' JSON-LD products, the first used');
    const ld0 = prods[0] && ldProduct(prods[0]);
    // What a shopper sees, weighed: decides alone where nothing stronger speaks, and vetoes a blog's product JSON-LD.
    const ev = rule || pageAttr || pType ? undefined : safe(() => evidence(doc, url, ld0?.price));
    const veto = (ev?.votes.product ?? 0) < -1;
    const [type, source] = (
      [
        [rule?.type, 'rule'],
        // a step marker alone says "checkout"
        [pageAttr ?? (stepAttr && 'checkout'), 'attribute'],
        // a lone add-to-cart form (off the home page) is a product page on any platform
        [pType || (path.length > 1 && doc.querySelectorAll('form[action*="/cart/add"]').length == 1 && 'product'), 'platform'],
        [
          ord
            ? 'order_confirmation'
            : (prods.length == 1 || (!prods.length && mds.length == 1) || /^product/.test(og)) && !veto
              ? 'product'
              : of('SearchResultsPage')[0]
                ? 'search'
                : of('CollectionPage')[0]
                  ? 'collection'
                  : og == 'article' && 'content',
          'schema',
        ],
        [ev?.type, 'evidence'],
        [urlPage(url), 'url'],
      ] as [PageType, PageInfo['source']][]
    ).find((c) => c[0]) ?? [];
    if (plat) info.platform = plat.name;
    if (source == 'evidence') say('evidence ' + JSON.stringify(ev!.votes));
    if (!type) return info;
    info.type = type;
    info.source = source;
    if (type == 'checkout') info.step = rule?.step || (stepAttr as CheckoutStep) || pStep || urlStep(url) || ev?.step || 'contact';

    // Data, per field strongest source first: attributes, platform, schema.org, meta tags.
    const cur =
      str(safe(() => value(w, plat?.currency ?? ''))) ??
      str(value(doc, 'meta[property="product:price:currency"]@content|meta[property="og:price:currency"]@content'));
    const attrs = [...doc.querySelectorAll('[data-parcours-product-id]')].slice(0, 50).map((e) => attrProduct(e, cur));
    const [head = {}, rows = []] =
      (type == 'cart' || type == 'checkout'
        ? (plat?.cart ?? []).map((s) => safe(() => read(s, doc, url))).find((r) => r && (r[1].length || !empty(r[0])))
        : safe(() => read(plat?.[type == 'product' ? 'product' : type == 'order_confirmation' ? 'order' : 'list'], doc, url))) ?? [];
    const own = attrs.length ? attrs : rows.map((r) => product(r, cur)).filter((p) => !empty(p));

    if (type == 'product') {
      const seen = ev?.product;
      // A price the page shows by its buy control and heading beats structured data that lags behind a sale.
      const p = merge<Product>(own[0], product(head, cur), ev?.sure && { price: seen!.price, currency: seen!.currency }, prods[0] && ldProduct(prods[0], cur), mds[0] && mdProduct(mds[0], cur), metaProduct(doc, cur), seen);
      // A `sku` with spaces is a name or a model ("OPTIPLEX 9010 TOWER"): the id the page shows replaces it when it has one.
      if (/\s/.test(p.sku!) && seen?.sku) p.sku = seen.sku;
      if (empty(p)) say('no product data');
      else info.product = p;
    }
    if (type == 'collection' || type == 'search') {
      const list = of('ItemList')[0];
      const items = [
        own,
        [list?.itemListElement ?? []].flat().map((li) => ldProduct(li, cur)),
        prods.length > 1 ? prods.map((n) => ldProduct(n, cur)) : mds.map((e) => mdProduct(e, cur)),
      ].find((l) => l.length);
      const name =
        mark('list') ??
        str(list?.name) ??
        (type == 'collection' ? text(doc.querySelector('h1')) : undefined);
      if (items || name) info.list = merge({ id: str(head.id), name, items: (items ?? []).slice(0, 50) });
      if (type == 'search') info.query = urlQuery(url);
    }
    if (type == 'cart' || type == 'checkout') {
      // The shop's own mark wins over what the platform table found.
      const total = amount(mark('cart-total') ?? head.total, str(head.currency) ?? cur);
      const n = parseInt(String(head.itemCount));
      if (own.length || total)
        info.cart = merge<Cart>({
          items: own,
          total: total?.value,
          currency: str(head.currency) ?? total?.currency ?? cur ?? own.find((l) => l.currency)?.currency,
          itemCount: n >= 0 ? n : own.length ? own.reduce((s, l) => s + (l.quantity ?? 1), 0) : undefined,
        });
    }
    if (type == 'order_confirmation') {
      const el = doc.querySelector('[data-parcours-order-id]');
      const h: Raw = merge(
        el ? fields(el, 'id;revenue;tax;shipping;currency;coupon'.replace(/\w+/g, (f) => `${f}=@data-parcours-order-${f}|@data-parcours-${f}`)) : {},
        head,
      );
      const currency = str(h.currency) ?? amount(h.revenue)?.currency ?? cur;
      const num = (k: string) => amount(h[k], currency)?.value;
      const o = merge<Order>(
        { id: str(h.id), revenue: num('revenue'), tax: num('tax'), shipping: num('shipping'), currency, coupon: str(h.coupon) },
        ord && ldOrder(ord, cur),
      );
      o.items = own.length ? own : (o.items ?? []);
      o.currency ??= o.items.find((i) => i.currency)?.currency;
      if (o.id) info.order = o;
      else say('order id not found');
    }
  } catch (e) {
    say('stopped early: ' + e);
  }
  return info;
}
