import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_REPLAY, dataLayer } from '../../../src/bridges/dataLayer';
import { deduped } from '../../../src/bridges/dedup';
import { commerce } from '../../../src/auto/commerce';
import { pages } from '../../../src/auto/pages';
import ga4 from '../../fixtures/datalayer/ga4-push.json';
import gtagCalls from '../../fixtures/datalayer/gtag.json';
import ua from '../../fixtures/datalayer/ua-push.json';
import { at, layer, settle, startTracker } from './support';

const w = window as unknown as { dataLayer?: unknown };
let loads: ReturnType<typeof startTracker>[] = [];
/** One page load: a tracker with these parts, started like a page would. */
const load = async (parts = [dataLayer()]) => {
  const t = startTracker(parts);
  loads.push(t);
  await settle();
  return t;
};
/** The next page of the same tab: this page's tracker stops, storage stays. */
const leave = () => loads.forEach((t) => t.tracker.destroy());

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  delete w.dataLayer;
  document.documentElement.removeAttribute('data-parcours-page');
  document.documentElement.removeAttribute('data-parcours-checkout-step');
  document.body.innerHTML = '';
  at('/');
});
afterEach(() => {
  leave();
  loads = [];
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const stan = { id: 'SKU_12345', name: 'Stan and Friends Tee', brand: 'Google', category: 'Apparel', variant: 'green', price: 10.01 };
const grey = { id: 'SKU_12346', name: "Google Grey Women's Tee", brand: 'Google', category: 'Apparel', variant: 'gray', price: 21.01 };

describe('GA4 ecommerce pushed to the dataLayer', () => {
  const expected: Record<string, [string, object][]> = {
    view_item_list: [['product_list_viewed', { list_id: 'related_products', list_name: 'Related products', items: [{ ...stan, quantity: 1 }, { ...grey, quantity: 1 }], count: 2 }]],
    select_item: [['product_clicked', { id: 'SKU_12346', name: "Google Grey Women's Tee", brand: 'Google', variant: 'gray', price: 21.01, list_id: 'related_products', list_name: 'Related products' }]],
    view_item: [['product_viewed', { ...stan, quantity: 3, currency: 'USD' }]],
    add_to_cart: [['product_added_to_cart', { ...stan, quantity: 3, currency: 'USD' }]],
    remove_from_cart: [['product_removed_from_cart', { id: 'SKU_12346', name: "Google Grey Women's Tee", variant: 'gray', price: 21.01, quantity: 1, currency: 'USD' }]],
    view_cart: [['cart_viewed', { items: [{ id: 'SKU_12345', name: 'Stan and Friends Tee', price: 10.01, quantity: 3 }, { id: 'SKU_12346', name: "Google Grey Women's Tee", price: 21.01, quantity: 2 }], total: 72.05, currency: 'USD' }]],
    begin_checkout: [['checkout_started', { step: 'contact', total: 72.05, currency: 'USD' }]],
    add_shipping_info: [['checkout_step_completed', { step: 'shipping' }]],
    add_payment_info: [['payment_info_submitted', { step: 'payment' }]],
    purchase: [['order_completed', { id: 'T_12345', revenue: 72.05, tax: 3.6, shipping: 5.99, currency: 'USD', coupon: 'SUMMER_FUN', items: [{ ...stan, quantity: 3 }, { ...grey, quantity: 2 }] }]],
    refund: [['order_refunded', { id: 'T_12345', revenue: 30.03, currency: 'USD', items: [{ id: 'SKU_12345', name: 'Stan and Friends Tee', price: 10.01, quantity: 3 }] }]],
  };

  it.each(Object.keys(expected))('%s becomes its parcours event, with the shape commerce events have', async (name) => {
    const t = await load();
    layer().push(ga4[name as keyof typeof ga4]);
    expect(t.events.map((e) => [e.type, e.properties])).toEqual(expected[name]);
  });

  it('reads gtag("event", …) calls, which push their arguments object, and ignores other gtag commands', async () => {
    const t = await load();
    function gtag(..._args: unknown[]) {
      layer().push(arguments); // what Google's gtag snippet does
    }
    for (const call of gtagCalls.calls) gtag(...call);
    gtag('consent', 'update', { analytics_storage: 'granted' });
    const apron = { id: 'AP-1', name: 'Linen apron', price: 24.5 };
    expect(t.events.map((e) => [e.type, e.properties])).toEqual([
      ['product_viewed', { ...apron, brand: 'Atelier Lune', category: 'Kitchen', quantity: 1, currency: 'EUR' }],
      ['product_added_to_cart', { ...apron, quantity: 2, currency: 'EUR' }],
      ['order_completed', { id: 'AL-1001', revenue: 54.9, tax: 9.15, shipping: 5.9, currency: 'EUR', coupon: 'MAY', items: [{ ...apron, quantity: 2 }] }],
    ]);
  });

  it('reads parameters sites put at the top level of the push, next to `ecommerce`', async () => {
    const t = await load();
    layer().push({ event: 'purchase', transaction_id: 'PO12345', value: 60, tax: 12.6, currency: 'EUR', ecommerce: { items: [{ item_id: 'ITEMID1', item_name: 'Internet', price: 50 }] } });
    expect(t.of('order_completed')).toEqual([{ id: 'PO12345', revenue: 60, tax: 12.6, currency: 'EUR', items: [{ id: 'ITEMID1', name: 'Internet', price: 50 }] }]);
  });

  it('ignores what is not ecommerce: GTM’s own events, the ecommerce reset, other values', async () => {
    const t = await load();
    layer().push({ event: 'gtm.js', 'gtm.start': 1 }, { ecommerce: null }, { event: 'gtm.dom' }, 'text', 42, null, () => 1, { event: 'constructor' });
    layer().push({ event: 'add_to_cart', ecommerce: { items: 'not a list' } }); // nothing to name: no event
    expect(t.events).toEqual([]);
  });
});

describe('Universal Analytics enhanced ecommerce pushed to the dataLayer', () => {
  const tee = { id: '12345', name: 'Triblend Android T-Shirt', price: 15.25, brand: 'Google', category: 'Apparel', variant: 'Gray' };
  const expected: Record<string, [string, object][]> = {
    impressions: [['product_list_viewed', { list_id: null, list_name: 'Search Results', items: [tee, { ...tee, id: '67890', name: 'Donut Friday Scented T-Shirt', price: 33.75, variant: 'Black' }], count: 2 }]],
    click: [['product_clicked', { ...tee, list_name: 'Search Results' }]],
    detail: [['product_viewed', tee]],
    add: [['product_added_to_cart', { ...tee, quantity: 1, currency: 'EUR' }]],
    remove: [['product_removed_from_cart', { ...tee, quantity: 1 }]],
    checkout_step_1: [['checkout_started', { step: 'contact' }]],
    checkout_step_2: [], // later UA steps mean what each site made them mean: page detection names them
    purchase: [['order_completed', { id: 'WEB-121237', revenue: 33.5, tax: 0, shipping: 21, currency: 'GBP', coupon: 'SUMMER_SALE', items: [{ id: 'SK DEADPAUL1', name: 'Stress-Ball Paul', price: 7.5, quantity: 1 }, { id: 'GW CABLEHOLDER1', name: 'Cable Holder', price: 5, quantity: 1 }] }]],
    refund: [['order_refunded', { id: 'WEB-121237', items: [] }]],
  };

  it.each(Object.keys(expected))('%s becomes its parcours event', async (action) => {
    const t = await load();
    layer().push(ua[action as keyof typeof ua]);
    expect(t.events.map((e) => [e.type, e.properties])).toEqual(expected[action]);
  });

  it('one action pushed in both shapes (GA4 and UA, as GTM4WP does) is one event', async () => {
    const t = await load();
    layer().push(ga4.add_to_cart, ua.add);
    expect(t.types()).toEqual(['product_added_to_cart']);
  });
});

describe('entries pushed before parcours started, and after', () => {
  it('reads the earlier entries once, after the page view, and the later pushes as they come', async () => {
    w.dataLayer = [{ event: 'gtm.js' }, ga4.view_item];
    const t = await load([pages(), dataLayer()]);
    layer().push(ga4.add_to_cart);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    window.dispatchEvent(new Event('load'));
    expect(t.types()).toEqual(['page_viewed', 'product_viewed', 'product_added_to_cart']);
  });

  it(`reads at most the latest ${MAX_REPLAY} earlier entries`, async () => {
    w.dataLayer = Array.from({ length: 150 }, (_, i) => ({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'p' + i }] } }));
    const t = await load();
    expect(t.of('product_added_to_cart').map((p) => p.id)).toEqual(Array.from({ length: 100 }, (_, i) => 'p' + (i + 50)));
  });

  it('leaves push as it was: the page’s push runs first, its return value and its errors are the page’s', async () => {
    const order: string[] = [];
    const dl: unknown[] = [];
    dl.push = function (this: unknown[], ...items: unknown[]) {
      order.push('gtm:' + t?.events.length); // GTM's own push, already installed
      if (items[0] == 'boom') throw new Error('gtm failed');
      return Array.prototype.push.apply(this, items);
    };
    w.dataLayer = dl;
    const t = await load();
    expect(layer().push(ga4.view_item, ga4.add_to_cart)).toBe(2);
    expect(order).toEqual(['gtm:0']);
    expect(() => layer().push('boom')).toThrow('gtm failed');
    expect(t.types()).toEqual(['product_viewed', 'product_added_to_cart']);
  });

  it('creates window.dataLayer when there is none, and GTM adopting it later still reaches parcours', async () => {
    const t = await load();
    expect(Array.isArray(w.dataLayer) && layer().length).toBe(0);
    // What gtm.js does when it loads: keep the array, wrap its push and call the one it found.
    w.dataLayer = w.dataLayer || [];
    const gtmSaw: unknown[] = [];
    const found = layer().push;
    layer().push = function (this: unknown, ...items: unknown[]) {
      const n = found.apply(this, items);
      gtmSaw.push(...items);
      return n;
    };
    layer().push(ga4.add_to_cart);
    expect(gtmSaw).toEqual([ga4.add_to_cart]);
    expect([...layer()]).toEqual([ga4.add_to_cart]);
    expect(t.types()).toEqual(['product_added_to_cart']);
  });

  it('reads an array the page put in place of the one it found (`dataLayer = [...]`), by DOMContentLoaded', async () => {
    const t = await load();
    w.dataLayer = [ga4.view_item];
    document.dispatchEvent(new Event('DOMContentLoaded'));
    layer().push(ga4.add_to_cart);
    expect(t.types()).toEqual(['product_viewed', 'product_added_to_cart']);
  });

  it('never throws into the page: an entry that throws when read is skipped, the next ones are read', async () => {
    const t = await load();
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no'); } });
    const getter = Object.defineProperty({}, 'event', { get: () => { throw new Error('no'); }, enumerable: true });
    expect(layer().push(hostile, getter, ga4.add_to_cart)).toBe(3);
    expect(t.types()).toEqual(['product_added_to_cart']);
  });

  it('destroy() gives push back and stops reading', async () => {
    const t = await load();
    const ours = layer().push;
    t.tracker.destroy();
    expect(layer().push).not.toBe(ours);
    expect(layer().push).toBe(Array.prototype.push);
    layer().push(ga4.add_to_cart);
    expect(t.events).toEqual([]);
    expect(layer()).toEqual([ga4.add_to_cart]);
  });
});

describe('one action seen by page detection and by the dataLayer is one event', () => {
  const PRODUCT = `<main data-parcours-product-id="SKU_12345" data-parcours-product-name="Stan and Friends Tee" data-parcours-product-price="10.01">
    <button data-parcours-add-to-cart>Add to cart</button></main>`;
  const productPage = (path = '/products/stan') => {
    at(path);
    document.documentElement.setAttribute('data-parcours-page', 'product');
    document.body.innerHTML = PRODUCT;
  };
  const click = () => document.querySelector('button')!.click();

  it('an add to cart clicked on markup, then pushed by the theme, is one event (commerce as it is today)', async () => {
    productPage();
    const t = await load([pages(), dataLayer(), commerce()]);
    document.querySelector('button')!.addEventListener('click', () => layer().push(ga4.add_to_cart)); // the theme's handler
    click();
    expect(t.of('product_added_to_cart')).toEqual([{ id: 'SKU_12345', name: 'Stan and Friends Tee', price: 10.01, quantity: 1 }]);
  });

  it('a view_item already on the page wins over the detected product: one product_viewed, with the dataLayer’s data', async () => {
    productPage();
    w.dataLayer = [ga4.view_item];
    const t = await load([pages(), dataLayer(), deduped(commerce())]);
    expect(t.of('product_viewed')).toEqual([{ ...stan, quantity: 3, currency: 'USD' }]);
  });

  it('the theme’s cart request and its dataLayer push are one add, whichever comes first', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 200 }));
    const t = await load([pages(), dataLayer(), deduped(commerce())]);
    await fetch('/cart/add.js', { method: 'POST', body: JSON.stringify({ id: 4242, quantity: 1 }) });
    await settle();
    layer().push(ga4.add_to_cart); // the theme reports the add once the cart answered
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 5_000); // a second add, later: the push comes first this time
    layer().push(ga4.add_to_cart);
    await fetch('/cart/add.js', { method: 'POST', body: JSON.stringify({ id: 4242, quantity: 1 }) });
    await settle();
    expect(t.of('product_added_to_cart')).toEqual([{ variant: '4242', quantity: 1 }, { ...stan, quantity: 3, currency: 'USD' }]);
  });

  it('two adds a few seconds apart are two events, whoever sees them', async () => {
    productPage();
    const t = await load([pages(), dataLayer(), deduped(commerce())]);
    document.querySelector('button')!.addEventListener('click', () => layer().push(ga4.add_to_cart));
    const now = Date.now();
    click();
    vi.spyOn(Date, 'now').mockReturnValue(now + 3_000);
    click();
    layer().push(ga4.remove_from_cart, ga4.remove_from_cart); // two removals reported by one source: two
    expect(t.types().filter((type) => type != 'page_viewed' && type != 'product_viewed')).toEqual([
      'product_added_to_cart',
      'product_added_to_cart',
      'product_removed_from_cart',
      'product_removed_from_cart',
    ]);
  });

  it('a payment form submitted, then pushed as add_payment_info, is one payment (commerce as it is today)', async () => {
    at('/checkout/payment');
    document.documentElement.setAttribute('data-parcours-page', 'checkout');
    document.documentElement.setAttribute('data-parcours-checkout-step', 'payment');
    document.body.innerHTML = '<form id="pay" action="/checkout/pay"><button>Pay now</button></form>';
    const t = await load([pages(), dataLayer(), commerce()]);
    const form = document.querySelector('form')!;
    form.addEventListener('submit', (e) => (e.preventDefault(), layer().push(ga4.add_payment_info))); // the theme's handler
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(t.of('payment_info_submitted')).toEqual([{ step: 'payment' }]);
  });

  describe('orders', () => {
    const confirmation = (orderId: string) => {
      at('/checkout/order-received/2001');
      document.documentElement.setAttribute('data-parcours-page', 'order_confirmation');
      document.body.innerHTML = `<div data-parcours-order-id="${orderId}" data-parcours-order-revenue="72.05"></div>`;
      w.dataLayer = [ga4.purchase];
    };

    it('a purchase on a confirmation page loaded twice is one order, even when the page shows another order id', async () => {
      confirmation('R-2001');
      await load([pages(), dataLayer(), deduped(commerce())]);
      leave();
      confirmation('R-2001'); // reloaded
      await load([pages(), dataLayer(), deduped(commerce())]);
      const orders = loads.flatMap((t) => t.of('order_completed'));
      expect(orders.map((o) => o.id)).toEqual(['T_12345']);
    });

    it('shares commerce’s order memory: the same order id seen by either is one order (commerce as it is today)', async () => {
      confirmation('T_12345');
      await load([pages(), commerce(), dataLayer()]);
      leave();
      confirmation('T_12345');
      await load([pages(), dataLayer(), commerce()]);
      expect(loads.flatMap((t) => t.of('order_completed')).map((o) => o.id)).toEqual(['T_12345']);
    });

    it('an order the shop tracked itself is not recorded again by a later purchase push', async () => {
      const t = await load();
      t.tracker.track('order_completed', { id: 'T_12345', revenue: 72.05 });
      layer().push(ga4.purchase);
      expect(t.of('order_completed')).toEqual([{ id: 'T_12345', revenue: 72.05 }]);
    });
  });

  it('a checkout across pages: each start, step and payment once, whichever source saw it first', async () => {
    const page = async (path: string, type: string, step?: string, push?: object) => {
      leave();
      at(path);
      document.documentElement.setAttribute('data-parcours-page', type);
      if (step) document.documentElement.setAttribute('data-parcours-checkout-step', step);
      document.body.innerHTML = type == 'order_confirmation' ? '<div data-parcours-order-id="T_12345"></div>' : '';
      w.dataLayer = [];
      await load([pages(), dataLayer(), deduped(commerce())]);
      if (push) layer().push(push);
    };
    await page('/cart', 'cart', undefined, ga4.begin_checkout); // the theme reports the start on the cart's button
    await page('/checkout/shipping', 'checkout', 'shipping', ga4.add_shipping_info);
    await page('/checkout/payment', 'checkout', 'payment', ga4.add_payment_info);
    await page('/checkout/done', 'order_confirmation');
    const steps = loads.flatMap((t) => t.events).filter((e) => /^(checkout|payment|order)/.test(e.type));
    expect(steps.map((e) => [e.type, e.properties.step ?? e.properties.id].join(' '))).toEqual([
      'checkout_started contact', // the dataLayer's, on the cart page
      'checkout_step_viewed shipping',
      'checkout_step_completed shipping', // the dataLayer's; detection's on the payment page is the same
      'checkout_step_viewed payment',
      'payment_info_submitted payment', // the dataLayer's; detection's at the confirmation is the same
      'checkout_step_completed payment',
      'order_completed T_12345',
    ]);
  });
});
