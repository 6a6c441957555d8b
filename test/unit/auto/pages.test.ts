import { afterEach, describe, expect, it } from 'vitest';
import { pages, SPA_SETTLE_MS } from '../../../src/auto/pages';
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
