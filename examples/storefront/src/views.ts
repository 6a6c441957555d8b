/**
 * One function per route, each returning the markup and what parcours' page detection reads: the page type and
 * checkout step (set on <body> by main.ts) and `data-parcours-*` attributes on products, cart lines and the order.
 */
import type { CheckoutStep, PageType } from 'parcours';
import { CATALOGUE, CURRENCY, cart, item, lastOrder, money, subtotal, SHIPPING, type Item, type Line } from './shop';

export interface View {
  title: string;
  page: PageType;
  step?: CheckoutStep;
  html: string;
}

export const BASE = '/storefront';

/** What parcours reads of a product: on cards, the product page, cart, checkout and order lines. */
const product = (i: Item, qty?: number) =>
  `data-parcours-product-id="${i.id}" data-parcours-product-name="${i.name}" data-parcours-product-price="${i.price.toFixed(2)}" ` +
  `data-parcours-product-currency="${CURRENCY}"` + (qty ? ` data-parcours-product-quantity="${qty}"` : '');

const card = (i: Item) => `<li class="product-card" ${product(i)}>
  <a class="card-link" href="${BASE}/products/${i.id}"><span class="card-media"><img src="${i.image}" alt="" width="600" height="600"></span><span class="card-title">${i.name}</span></a>
  <p class="card-meta">${i.meta}</p><p class="card-price">${money(i.price)}</p></li>`;

const summaryLine = ({ item: i, qty }: Line) => `<li class="summary-line" ${product(i, qty)}>
  <span class="summary-thumb"><img src="${i.image}" alt="" width="64" height="64"><span class="summary-qty" aria-hidden="true">${qty}</span></span>
  <span><span class="summary-name">${i.name}</span><span class="summary-variant">${qty} × ${money(i.price)}</span></span>
  <p class="summary-price">${money(i.price * qty)}</p></li>`;

const totals = (rows: [string, number][]) =>
  `<dl class="totals">${rows.map(([label, n], k) => `<div${k == rows.length - 1 ? ' class="total-row"' : ''}><dt>${label}</dt><dd>${money(n)}</dd></div>`).join('')}</dl>`;

const empty = (title: string) =>
  `<div class="container"><div class="cart-empty"><h1>${title}</h1><a class="btn btn-primary" href="${BASE}/collections/all">Browse all pieces</a></div></div>`;

const home = (): View => ({
  title: 'Ceramics and linen from Lyon',
  page: 'home',
  html: `<section class="hero"><div class="container hero-inner">
    <div class="hero-text"><p class="eyebrow">The storefront example · a single-page app</p><h1>Ceramics and linen for slow mornings.</h1>
      <p class="hero-lede">The same workshop as the demo shop, rendered in the browser: every page below is a route, not a page load.</p>
      <p class="hero-actions"><a class="btn btn-primary" href="${BASE}/collections/all">Shop the collection</a></p></div>
    <div class="hero-media"><img src="/img/hero-still-life.svg" alt="" width="900" height="720"></div></div></section>
  <section class="section container"><div class="section-head"><h2>New from the kiln</h2></div>
    <ul class="product-grid">${CATALOGUE.slice(0, 2).map(card).join('')}</ul></section>
  <section class="section container"><div class="newsletter"><div><h2>Kiln opening letters</h2><p>Once a month, when the kiln cools.</p></div>
    <form class="newsletter-form" data-newsletter><label class="visually-hidden" for="newsletter-email">Email address</label>
      <input id="newsletter-email" type="email" name="email" required autocomplete="email" placeholder="you@example.com">
      <button type="submit" class="btn btn-primary">Subscribe</button><p class="form-status" role="status" data-status></p></form></div></section>`,
});

const collection = (): View => ({
  title: 'All pieces',
  page: 'collection',
  html: `<div class="container"><header class="page-head"><h1>All pieces</h1></header>
    <ul class="product-grid">${CATALOGUE.map(card).join('')}</ul></div>`,
});

const productPage = (i?: Item): View =>
  !i
    ? notFound()
    : {
        title: i.name,
        page: 'product',
        html: `<div class="container"><nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="${BASE}/">Home</a></li>
      <li><a href="${BASE}/collections/all">All pieces</a></li><li aria-current="page">${i.name}</li></ol></nav>
    <article class="product" ${product(i)} data-parcours-quantity="1">
      <div class="gallery"><div class="gallery-main"><img src="${i.image}" alt="${i.name}" width="600" height="600"></div></div>
      <div class="product-info"><p class="eyebrow">${i.meta}</p><h1 class="product-title">${i.name}</h1>
        <p class="product-price">${money(i.price)}</p><p class="tax-note">VAT included. Shipping calculated at checkout.</p>
        <p class="product-lede">${i.lede}</p>
        <button type="button" class="btn btn-primary btn-block" data-parcours-add-to-cart data-add="${i.id}">Add to cart · ${money(i.price)}</button>
        <p class="form-status added-status" role="status" data-status></p></div></article></div>`,
      };

const cartPage = (lines = cart()): View => ({
  title: 'Your cart',
  page: 'cart',
  html: !lines.length
    ? empty('Your cart is empty')
    : `<div class="container"><header class="page-head"><h1>Your cart</h1></header><div class="cart-layout">
    <section class="cart-items"><ul class="cart-lines">${lines
      .map(({ item: i, qty }) => `<li class="cart-line" ${product(i, qty)}>
        <a class="cart-line-image" href="${BASE}/products/${i.id}" tabindex="-1" aria-hidden="true"><img src="${i.image}" alt="" width="104" height="104"></a>
        <div class="cart-line-info"><a class="cart-line-name" href="${BASE}/products/${i.id}">${i.name}</a><p>${qty} × ${money(i.price)}</p></div>
        <div class="cart-line-controls"><button type="button" class="link-button" data-parcours-remove-from-cart data-remove="${i.id}">Remove</button></div>
        <p class="cart-line-total">${money(i.price * qty)}</p></li>`)
      .join('')}</ul></section>
    <aside class="panel cart-summary"><h2 class="panel-title">Summary</h2>${totals([['Subtotal', subtotal(lines)], ['Total', subtotal(lines)]])}
      <a class="btn btn-primary btn-block" href="${BASE}/checkout/contact">Checkout</a></aside></div></div>`,
});

const field = (id: string, label: string, type: string, autocomplete: string) =>
  `<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" autocomplete="${autocomplete}" required></div>`;

/** The checkout steps: title, fields, and where the form goes next. */
const STEPS = {
  contact: ['Contact', field('email', 'Email', 'email', 'email'), 'shipping', 'Continue to shipping'],
  shipping: ['Shipping', field('address', 'Address', 'text', 'street-address') + field('city', 'City', 'text', 'address-level2'), 'payment', 'Continue to payment'],
  payment: ['Payment', field('cc-number', 'Card number (nothing is charged)', 'text', 'cc-number') + field('cc-name', 'Name on card', 'text', 'cc-name'), 'thank-you', 'Pay now'],
} as const;

const checkout = (step: keyof typeof STEPS, lines = cart()): View => {
  const [title, fields, next, button] = STEPS[step];
  const names = Object.keys(STEPS) as (keyof typeof STEPS)[];
  return {
    title: 'Checkout · ' + title,
    page: 'checkout',
    step,
    html: !lines.length
      ? empty('Your cart is empty')
      : `<div class="container checkout"><ol class="checkout-steps" aria-label="Checkout steps"><li class="is-done"><a href="${BASE}/cart">Cart</a></li>
    ${names.map((s, k) => (s == step ? `<li aria-current="step">${STEPS[s][0]}</li>` : k < names.indexOf(step) ? `<li class="is-done"><a href="${BASE}/checkout/${s}">${STEPS[s][0]}</a></li>` : `<li>${STEPS[s][0]}</li>`)).join('')}</ol>
    <div class="checkout-layout"><div class="checkout-main"><form class="checkout-form" data-next="${BASE}/checkout/${next}"${step == 'payment' ? ' data-pay' : ''}>
      <h1 class="checkout-title">${title}</h1>${fields}<div class="form-actions"><button type="submit" class="btn btn-primary">${button}</button></div></form></div>
    <aside class="panel order-summary"><h2 class="panel-title">Order summary</h2><ul class="summary-lines">${lines.map(summaryLine).join('')}</ul>
      ${totals([['Subtotal', subtotal(lines)], ['Shipping', SHIPPING], ['Total', subtotal(lines) + SHIPPING]])}</aside></div></div>`,
  };
};

const thankYou = (order = lastOrder()): View => ({
  title: 'Thank you',
  page: 'order_confirmation',
  html: !order
    ? empty('No recent order')
    : `<div class="container narrow"><section class="panel confirmation" data-parcours-order-id="${order.id}" data-parcours-order-revenue="${order.total.toFixed(2)}"
      data-parcours-order-tax="${order.tax.toFixed(2)}" data-parcours-order-shipping="${order.shipping.toFixed(2)}" data-parcours-order-currency="${CURRENCY}">
    <div class="confirmation-head"><div><p class="eyebrow">Order ${order.id}</p><h1>Thank you!</h1></div></div>
    <ul class="summary-lines">${order.lines.map(summaryLine).join('')}</ul>
    ${totals([['Subtotal', order.total - order.shipping], ['Shipping', order.shipping], ['Total paid', order.total]])}
    <p class="confirmation-actions"><a class="btn btn-primary" href="${BASE}/collections/all">Continue shopping</a></p></section></div>`,
});

const notFound = (): View => ({ title: 'Not found', page: 'other', html: empty('This page does not exist') });

const ROUTES: [RegExp, (m: RegExpMatchArray) => View][] = [
  [/^\/$/, home],
  [/^\/collections\/all$/, () => collection()],
  [/^\/products\/([\w-]+)$/, (m) => productPage(item(m[1]))],
  [/^\/cart$/, () => cartPage()],
  [/^\/checkout\/(contact|shipping|payment)$/, (m) => checkout(m[1] as keyof typeof STEPS)],
  [/^\/checkout\/thank-you$/, () => thankYou()],
];

/** The view of a path inside the app (`/products/moon-bowl`). */
export const route = (path: string): View => {
  for (const [pattern, view] of ROUTES) {
    const m = path.match(pattern);
    if (m) return view(m);
  }
  return notFound();
};
