import { afterEach, describe, expect, it } from 'vitest';
import { pages, SPA_RENDER_MAX_MS, SPA_SETTLE_MS } from '../../../src/auto/pages';
import { fakeTracker } from '../support/fakeTracker';

let stop: () => void = () => {};
afterEach(() => stop());
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('page views follow single-page navigations', () => {
  it('records the first page, then one page view per history navigation, with the previous route as referrer', async () => {
    history.replaceState(null, '', '/');
    document.body.innerHTML = '';
    const t = fakeTracker();
    stop = t.start(pages());
    await wait(0);
    history.pushState(null, '', '/collections/all');
    await wait(SPA_SETTLE_MS + 50);
    history.replaceState(null, '', '/collections/all'); // same route: no page view
    history.pushState(null, '', '/collections/all#reviews'); // a hash: no page view
    await wait(SPA_SETTLE_MS + 50);
    history.pushState(null, '', '/products/moon-bowl');
    await wait(SPA_SETTLE_MS + 50);
    const views = t.events.filter((e) => e.type == 'page_viewed');
    expect(views.map((e) => e.page.path)).toEqual(['/', '/collections/all', '/products/moon-bowl']);
    expect(views[1].page.referrer).toBe(location.origin + '/');
    expect(views[2].page.referrer).toBe(location.origin + '/collections/all#reviews');
    expect(t.api.page().type).toBe('product');
    expect(views[0].properties.device).toMatch(/^(mobile|tablet|desktop)$/);
  });

  it('re-detects on a hash step change without a page view (Magento-style checkout steps)', async () => {
    history.replaceState(null, '', '/checkout/');
    document.body.innerHTML = '';
    document.body.className = 'checkout-index-index';
    const t = fakeTracker();
    stop = t.start(pages());
    await wait(0);
    location.hash = '#payment';
    await wait(SPA_SETTLE_MS + 50);
    expect(t.events.filter((e) => e.type == 'page_viewed')).toHaveLength(1);
    expect(t.api.page()).toMatchObject({ type: 'checkout', step: 'payment' });
    document.body.className = '';
  });
});

describe('a route that renders after its data loads', () => {
  const product = (name: string) =>
    `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', name, sku: name.toLowerCase(), offers: { price: '24', priceCurrency: 'EUR' } })}</script><h1>${name}</h1>`;
  const start = async () => {
    history.replaceState(null, '', '/products/moon-bowl');
    document.body.innerHTML = product('Moon bowl');
    const t = fakeTracker();
    const seen: string[] = [];
    t.api.onPage((page) => seen.push(location.pathname + ' ' + page.product?.name));
    stop = t.start(pages());
    await wait(0);
    return { t, seen };
  };

  it('is detected once it shows the new product, not on the previous product still on screen', async () => {
    const { t, seen } = await start();
    history.pushState(null, '', '/products/sun-cup');
    await wait(SPA_SETTLE_MS + 250); // the shop is still fetching: the old product is on screen
    expect(seen).toEqual(['/products/moon-bowl Moon bowl']);
    document.body.innerHTML = product('Sun cup');
    await wait(SPA_SETTLE_MS + 50);
    expect(seen).toEqual(['/products/moon-bowl Moon bowl', '/products/sun-cup Sun cup']);
    expect(t.events.filter((e) => e.type == 'page_viewed').map((e) => e.page.path)).toEqual(['/products/moon-bowl', '/products/sun-cup']);
  });

  it(`is detected anyway after ${SPA_RENDER_MAX_MS} ms when the page never changes`, async () => {
    const { seen } = await start();
    history.pushState(null, '', '/products/moon-bowl-2');
    await wait(SPA_RENDER_MAX_MS - 500);
    expect(seen).toHaveLength(1);
    await wait(700);
    expect(seen).toEqual(['/products/moon-bowl Moon bowl', '/products/moon-bowl-2 Moon bowl']);
  });

  it('counts the page view when the visitor leaves while the route renders', async () => {
    const { t, seen } = await start();
    history.pushState(null, '', '/products/sun-cup');
    await wait(SPA_SETTLE_MS + 50);
    t.hide(true);
    expect(seen).toHaveLength(2);
    expect(t.events.filter((e) => e.type == 'page_viewed')).toHaveLength(2);
  });

  it('does not wait when the path stays (a variant in the query) or the page shows no product', async () => {
    const { seen } = await start();
    history.replaceState(null, '', '/products/moon-bowl?variant=2');
    await wait(SPA_SETTLE_MS + 50);
    expect(seen).toEqual(['/products/moon-bowl Moon bowl', '/products/moon-bowl Moon bowl']);
    document.body.innerHTML = '<h1>About us</h1>';
    history.pushState(null, '', '/pages/about');
    await wait(SPA_SETTLE_MS + 50);
    document.body.innerHTML = '<h1>Delivery</h1>';
    history.pushState(null, '', '/pages/delivery');
    await wait(SPA_SETTLE_MS + 50);
    expect(seen.slice(2)).toEqual(['/pages/about undefined', '/pages/delivery undefined']);
  });
});
