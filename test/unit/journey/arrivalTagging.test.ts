import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParcoursEvent, Tracker } from '../../../src/types';
import type { Part } from '../../../src/tracker';
import { createTracker } from '../../../src/tracker';
import { journey } from '../../../src/auto/journey';
import { pages, SPA_SETTLE_MS } from '../../../src/auto/pages';

// The journey part (in the tag's core, and `journey()` with npm) classifies how a page view arrived: with or
// without the pages part, so an npm app that calls page() itself, or `data-auto` without `pages`, gets arrivals too.

let tracker: Tracker | undefined;
let seen: ParcoursEvent[] = [];
/** Every event as it leaves the enrichers (a part that looks last). */
const spy: Part = (api) => api.enrich((event) => void seen.push(structuredClone(event)), 'last');
const start = (parts: Part[]) => (tracker = createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, parts: [...parts, spy] }));
const views = () => seen.filter((e) => e.type == 'page_viewed');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  seen = [];
  document.body.innerHTML = '';
});
afterEach(() => tracker?.destroy());

describe('the journey part puts the arrival on page views', () => {
  it('classifies a page view from a campaign link without the pages part', () => {
    history.replaceState(null, '', '/?utm_source=klaviyo&utm_medium=email&utm_campaign=spring&gclid=SECRET');
    const t = start([journey()]);
    t.page();
    expect(views()[0].properties.arrival).toEqual({ touchpoint: 'ad', source: 'klaviyo', medium: 'email', campaign: 'spring', clickId: 'gclid' });
    expect(views()[0].touchpoint).toBe('ad'); // and tags the entry with it
    expect(t.journey()?.arrival).toEqual({ channel: 'ad', campaign: 'spring' });
  });

  it('puts none on other events, even on a campaign URL', () => {
    history.replaceState(null, '', '/?utm_source=klaviyo&utm_medium=email');
    start([journey()]).track('product_viewed', { id: 'mug' });
    expect(seen[0].properties.arrival).toBeUndefined();
  });

  it('records the arrival as the touch an order links back to', () => {
    history.replaceState(null, '', '/?utm_source=newsletter&utm_medium=email&utm_campaign=spring');
    const t = start([journey()]);
    t.page();
    t.track('order_completed', { id: 'o1', revenue: 10 });
    const order = seen.find((e) => e.type == 'order_completed')!;
    expect(order.properties.first_touch).toMatchObject({ touchpoint: 'email', campaign: 'spring' });
    expect(order.properties.last_touch).toMatchObject({ touchpoint: 'email', campaign: 'spring' });
  });

  it("reads the pages part's SPA referrer: a route after the landing is internal navigation, no arrival", async () => {
    history.replaceState(null, '', '/?utm_source=ig&utm_medium=social');
    start([journey(), pages()]);
    await wait(0);
    history.pushState(null, '', '/collections/all');
    await wait(SPA_SETTLE_MS + 50);
    expect(views().map((e) => e.page.path)).toEqual(['/', '/collections/all']);
    expect(views().map((e) => (e.properties.arrival as { touchpoint?: string } | undefined)?.touchpoint)).toEqual(['social', undefined]);
  });
});
