import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startTestCollector, until, type StoredEvent } from './support/collector';

// The promise of the custom-storefront example: a single-page app that imports parcours from npm and creates one
// tracker with journey(), pages() and commerce() gets the whole journey, route by route, without a page load.

const root = (path: string) => fileURLToPath(new URL('../../' + path, import.meta.url));

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
let context: BrowserContext;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  if (!existsSync(root('dist/parcours.mjs'))) execFileSync('npx', ['rollup', '-c', '--silent'], { cwd: root('') });
  execFileSync('npx', ['rollup', '-c', 'examples/storefront/rollup.config.mjs', '--silent'], { cwd: root('') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => {});
});

type Event = StoredEvent & { userId: string | null; page: { url: string; path: string; title: string; referrer: string } };

const setup = async () => {
  collector = await startTestCollector({
    // As `npm start` serves it: the demo shop's stylesheet and images at the root, the storefront at /storefront/.
    static: { '/': root('examples/shop'), '/storefront/': root('examples/storefront') },
    spa: ['/storefront/'],
  });
  context = await browser.newContext();
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort()); // nothing leaves the machine
  cleanups.push(() => context.close(), () => collector.close());
};
const events = () => collector.events('site=storefront') as Promise<Event[]>;
const url = (path: string) => collector.url + '/storefront' + path;

/** Open the app at `path` and mark the window: the mark is gone if anything reloads the document. */
const open = async (path: string): Promise<Page> => {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page:', e));
  await page.goto(url(path));
  await page.evaluate(() => ((window as { mark?: string }).mark = 'same document'));
  await viewed(path);
  return page;
};
/** Wait until the collector has the page view of `path` (detection runs 150 ms after a route change). */
const viewed = (path: string, count = 1) =>
  until(events, (list) => list.filter((e) => e.type == 'page_viewed' && e.page.path == '/storefront' + path).length >= count);
/** Click something in the app that routes to `path`, and wait for its page view. */
const go = async (page: Page, selector: string, path: string) => {
  await page.click(selector);
  await page.waitForURL(url(path));
  await viewed(path);
};
const sameDocument = (page: Page) =>
  page.evaluate(() => [(window as { mark?: string }).mark, performance.getEntriesByType('navigation').length]);

/** The walk from home to order: event type, page type, stage and touchpoint, in order. */
const JOURNEY = [
  ['page_viewed', 'home', 'awareness', 'direct'], // the session's entry: how it arrived
  ['identify', 'home', 'awareness', 'home'],
  ['newsletter_signup', 'home', 'awareness', 'home'],
  ['page_viewed', 'collection', 'consideration', 'collection'],
  ['product_list_viewed', 'collection', 'consideration', 'collection'],
  ['page_viewed', 'product', 'consideration', 'product_page'],
  ['product_viewed', 'product', 'consideration', 'product_page'],
  ['product_added_to_cart', 'product', 'purchase', 'cart'],
  ['page_viewed', 'cart', 'purchase', 'cart'],
  ['cart_viewed', 'cart', 'purchase', 'cart'],
  ['page_viewed', 'checkout', 'purchase', 'checkout'],
  ['checkout_started', 'checkout', 'purchase', 'checkout'],
  ['checkout_step_viewed', 'checkout', 'purchase', 'checkout'],
  ['page_viewed', 'checkout', 'purchase', 'checkout'],
  ['checkout_step_completed', 'checkout', 'purchase', 'checkout'],
  ['checkout_step_viewed', 'checkout', 'purchase', 'checkout'],
  ['page_viewed', 'checkout', 'purchase', 'payment'],
  ['checkout_step_completed', 'checkout', 'purchase', 'checkout'],
  ['checkout_step_viewed', 'checkout', 'purchase', 'payment'],
  ['payment_info_submitted', 'checkout', 'purchase', 'payment'],
  ['page_viewed', 'order_confirmation', 'purchase', 'order_confirmation'],
  ['checkout_step_completed', 'order_confirmation', 'purchase', 'payment'],
  ['order_completed', 'order_confirmation', 'purchase', 'order_confirmation'],
];

describe('a single-page storefront using parcours from npm', () => {
  it('records the journey from home to order with each route as a page, without a page load', async () => {
    await setup();
    const page = await open('/');
    await page.click('[data-sign-in]');
    await page.fill('#newsletter-email', 'camille@example.com');
    await page.click('[data-newsletter] button');
    await go(page, 'nav >> text=Shop', '/collections/all');
    await go(page, '.product-card >> text=Moon Bowl', '/products/moon-bowl');
    await page.click('[data-parcours-add-to-cart]');
    await go(page, '.cart-link', '/cart');
    await go(page, 'text=Checkout', '/checkout/contact');
    await page.fill('#email', 'camille@example.com');
    await go(page, 'button[type=submit]', '/checkout/shipping');
    await page.fill('#address', '14 rue des Tables Claudiennes');
    await page.fill('#city', 'Lyon');
    await go(page, 'button[type=submit]', '/checkout/payment');
    await page.fill('#cc-number', '4242 4242 4242 4242');
    await page.fill('#cc-name', 'Camille Martin');
    await go(page, 'button[type=submit]', '/checkout/thank-you');
    expect(await sameDocument(page)).toEqual(['same document', 1]);

    const list = await until(events, (l) => l.some((e) => e.type == 'order_completed'));
    expect(list.map((e) => [e.type, e.pageType])).toEqual(JOURNEY.map(([type, pageType]) => [type, pageType]));

    // Each route is a page view, with the previous route as referrer and the title the app set.
    const views = list.filter((e) => e.type == 'page_viewed');
    const paths = ['/', '/collections/all', '/products/moon-bowl', '/cart', '/checkout/contact', '/checkout/shipping', '/checkout/payment', '/checkout/thank-you'];
    expect(views.map((e) => [e.page.path, e.page.referrer])).toEqual(paths.map((p, k) => ['/storefront' + p, k ? url(paths[k - 1]) : '']));
    expect(views.map((e) => e.page.title)).toEqual(
      ['Ceramics and linen from Lyon', 'All pieces', 'Moon Bowl', 'Your cart', 'Checkout · Contact', 'Checkout · Shipping', 'Checkout · Payment', 'Thank you'].map((t) => t + ' · Atelier Lune'),
    );

    const props = (type: string) => list.filter((e) => e.type == type).map((e) => e.properties);
    const bowl = { id: 'moon-bowl', name: 'Moon Bowl', price: 34, currency: 'EUR' };
    expect(props('newsletter_signup')).toEqual([{ list: 'kiln-letters' }]); // never the address typed
    expect(props('product_list_viewed')).toEqual([expect.objectContaining({ list_name: 'All pieces', count: 4 })]);
    expect(props('product_viewed')).toEqual([bowl]);
    expect(props('product_added_to_cart')).toEqual([{ ...bowl, quantity: 1 }]);
    expect(props('cart_viewed')).toEqual([{ items: [{ ...bowl, quantity: 1 }], currency: 'EUR', itemCount: 1 }]);
    expect(props('checkout_started')).toEqual([{ step: 'contact', currency: 'EUR' }]);
    expect(props('checkout_step_viewed')).toEqual([
      { step: 'contact', step_number: 1 },
      { step: 'shipping', step_number: 2 },
      { step: 'payment', step_number: 3 },
    ]);
    expect(props('checkout_step_completed')).toEqual([{ step: 'contact' }, { step: 'shipping' }, { step: 'payment' }]);
    expect(props('order_completed')).toEqual([
      expect.objectContaining({ revenue: 38.9, tax: 6.48, shipping: 4.9, currency: 'EUR', items: [{ ...bowl, quantity: 1 }] }),
    ]);
    expect(props('order_completed')[0].id).toMatch(/^SF-\d{6}$/);

    // identify attaches the customer to its own event and every later one, not to earlier ones.
    expect(list.map((e) => e.userId)).toEqual(list.map((_, k) => (k ? 'cus_1042' : null)));
    expect(props('identify')).toEqual([{ tier: 'member' }]);
    expect(new Set(list.map((e) => e.sessionId)).size).toBe(1);
    expect(list.filter((e) => e._deliveries != 1)).toEqual([]);

    // The journey tags, event by event. Only the entry page view is an arrival (`direct`); the routes after it
    // are the same visit, tagged by their page.
    expect(list.map((e) => [e.type, e.pageType, e.stage, e.touchpoint])).toEqual(JOURNEY);
    expect(views.map((e) => (e.properties.arrival as { touchpoint?: string })?.touchpoint ?? null)).toEqual(['direct', ...paths.slice(1).map(() => null)]);
  });

  it('waits for a route whose data loads for 700 ms instead of detecting the old page under the new URL', async () => {
    await setup();
    const page = await context.newPage();
    await page.goto(url('/collections/all?latency=700')); // from here on, every route takes 700 ms to render
    await viewed('/collections/all');
    await page.click('.product-card >> text=Moon Bowl');
    await page.waitForURL(url('/products/moon-bowl'));
    await viewed('/products/moon-bowl');
    const list = await until(events, (l) => l.some((e) => e.type == 'product_viewed'));
    const view = list.find((e) => e.type == 'page_viewed' && e.page.path == '/storefront/products/moon-bowl')!;
    expect([view.pageType, view.touchpoint, view.page.title]).toEqual(['product', 'product_page', 'Moon Bowl · Atelier Lune']);
    expect(list.filter((e) => e.type == 'product_viewed').map((e) => [e.page.path, e.properties.id])).toEqual([['/storefront/products/moon-bowl', 'moon-bowl']]);
    expect(list.filter((e) => e.type == 'product_list_viewed')).toHaveLength(1); // the list, not seen again under the product's URL
  });

  it('serves a deep link, and records a page view when the visitor goes back', async () => {
    await setup();
    const page = await open('/products/tide-mug');
    await go(page, '.breadcrumbs >> text=All pieces', '/collections/all');
    await page.goBack();
    await page.waitForURL(url('/products/tide-mug'));
    await viewed('/products/tide-mug', 2);
    expect(await sameDocument(page)).toEqual(['same document', 1]);

    const list = await until(events, (l) => l.filter((e) => e.type == 'product_viewed').length >= 2);
    expect(list.filter((e) => e.type == 'product_viewed').map((e) => e.properties.id)).toEqual(['tide-mug', 'tide-mug']);
    // The page views: the deep link is the entry (`direct`); the back navigation is a page view of its own.
    expect(list.filter((e) => e.type == 'page_viewed').map((e) => [e.page.path, e.page.referrer, e.pageType, e.touchpoint])).toEqual([
      ['/storefront/products/tide-mug', '', 'product', 'direct'],
      ['/storefront/collections/all', url('/products/tide-mug'), 'collection', 'collection'],
      ['/storefront/products/tide-mug', url('/collections/all'), 'product', 'product_page'],
    ]);
  });
});
