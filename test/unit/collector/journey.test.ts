// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, openDb } from '../../../examples/collector/db.mjs';
import { journeyRoutes } from '../../../examples/collector/journey/api.mjs';
import { journeyReport } from '../../../examples/collector/journey/queries.mjs';
import { ensureJourneySchema } from '../../../examples/collector/journey/schema.mjs';
import { seed } from '../../../examples/collector/seed.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batchProblem } from '../../../examples/collector/validate.mjs';
import { call, post } from './support';

// A dozen sessions written through POST /collect, and every figure of the journey report worked out by hand.
// S1 orders (arrived by ad, first touch social); S2, S4 leave at shipping (postcode), S3 at contact (email),
// S9 at payment (card_holder); S7 fills a cart only; S6, S11, S13 view a product; S5 is a customer at support;
// S8 bounces; S10 orders (its confirmation reloaded: one order) and reviews; S12 orders on another site.

const T0 = Date.UTC(2025, 0, 6); // a Monday
const LATER = Date.UTC(2025, 0, 20); // S13, two weeks on
const HOUR = 3_600_000;

type Spec = [type: string, stage: string, touchpoint: string, pageType: string, properties?: Record<string, unknown>];
let counter = 0;
const session = (id: string, start: number, lifecycle: string, specs: Spec[]) =>
  specs.map(([type, stage, touchpoint, pageType, properties = {}], i) => ({
    id: `${id}-e${++counter}`,
    type,
    ts: start + i * 1000,
    sessionId: id,
    anonymousId: `anon-${id}`,
    userId: null,
    page: { url: `https://shop.example/${pageType}`, path: `/${pageType}`, title: pageType, referrer: '' },
    properties,
    stage,
    touchpoint,
    pageType,
    lifecycle,
  }));
const arrival = (touchpoint: string, campaign?: string, device?: string) => ({
  arrival: { touchpoint, source: 'x', ...(campaign ? { campaign } : {}) },
  ...(device ? { device } : {}),
});
const step = (name: string, touchpoint = 'checkout'): Spec => ['checkout_step_viewed', 'purchase', touchpoint, 'checkout', { step: name }];
const checkoutTo = (last: 'contact' | 'shipping' | 'payment' | 'review'): Spec[] => {
  const steps = ['contact', 'shipping', 'payment', 'review'];
  return [
    ['checkout_started', 'purchase', 'checkout', 'cart'],
    ...steps.slice(0, steps.indexOf(last) + 1).map((s) => step(s, s == 'payment' || s == 'review' ? 'payment' : 'checkout')),
  ];
};
const browseToCart: Spec[] = [
  ['product_viewed', 'consideration', 'product_page', 'product'],
  ['product_added_to_cart', 'purchase', 'cart', 'product'],
];
const abandon = (stepName: string, field: string, priceChanged = false): Spec =>
  ['checkout_abandoned', 'purchase', 'checkout', 'checkout', { step: stepName, last_field: field, time_on_step_ms: 30_000, price_changed: priceChanged }];
const vital = (name: string, value: number, stage: string, touchpoint: string, pageType: string): Spec =>
  ['web_vital', stage, touchpoint, pageType, { name, value, rating: 'good' }];

const shop = [
  ...session('S1', T0, 'new', [
    ['page_viewed', 'awareness', 'ad', 'product', arrival('ad', 'spring', 'mobile')],
    ['product_viewed', 'consideration', 'product_page', 'product'],
    vital('LCP', 2000, 'consideration', 'product_page', 'product'),
    ['product_added_to_cart', 'purchase', 'cart', 'product'],
    ...checkoutTo('review'),
    ['order_completed', 'purchase', 'order_confirmation', 'order_confirmation', {
      order_id: 'O1', revenue: 100, currency: 'EUR', items: [],
      first_touch: { touchpoint: 'social', campaign: 'influencer' }, last_touch: { touchpoint: 'ad', campaign: 'spring' },
    }],
  ]),
  ...session('S2', T0 + HOUR, 'new', [
    ['page_viewed', 'awareness', 'search', 'home', arrival('search', undefined, 'desktop')],
    ...browseToCart,
    ...checkoutTo('shipping'),
    abandon('shipping', 'postcode', true),
    ['rage_click', 'purchase', 'checkout', 'checkout', { selector: 'button' }],
  ]),
  ...session('S3', T0 + 2 * HOUR, 'new', [
    ['page_viewed', 'awareness', 'social', 'product', arrival('social', 'influencer', 'mobile')],
    ...browseToCart,
    ...checkoutTo('contact'),
    ['form_error', 'purchase', 'checkout', 'checkout', { field: 'email' }],
    abandon('contact', 'email'),
  ]),
  ...session('S4', T0 + 3 * HOUR, 'returning', [
    ['page_viewed', 'awareness', 'email', 'collection', arrival('email', 'newsletter', 'desktop')],
    ['product_list_viewed', 'consideration', 'collection', 'collection'],
    ...browseToCart,
    ...checkoutTo('shipping'),
    abandon('shipping', 'postcode'),
  ]),
  ...session('S5', T0 + 4 * HOUR, 'customer', [
    ['page_viewed', 'retention', 'direct', 'account', arrival('direct', undefined, 'mobile')],
    ['order_status_viewed', 'retention', 'account', 'account'],
    ['support_contacted', 'retention', 'support', 'support'],
  ]),
  ...session('S6', T0 + 5 * HOUR, 'new', [
    ['page_viewed', 'awareness', 'referral', 'content', arrival('referral', undefined, 'desktop')],
    ['product_viewed', 'consideration', 'product_page', 'product'],
    ['dead_click', 'consideration', 'product_page', 'product', { selector: 'img' }],
    ['js_error', 'consideration', 'product_page', 'product', { message: 'x' }],
    vital('LCP', 3000, 'consideration', 'product_page', 'product'),
    vital('CLS', 0.2, 'consideration', 'product_page', 'product'),
    // The tab came back and the layout shifted more: the page's CLS is now 0.3, reported with its delta.
    ['web_vital', 'consideration', 'product_page', 'product', { name: 'CLS', value: 0.3, delta: 0.1, rating: 'poor' }],
    // Sent from the next page, measured on this one: counted for its own `page_type`.
    ['web_vital', 'consideration', 'product_page', 'collection', { name: 'INP', value: 90, page_type: 'product' }],
  ]),
  ...session('S7', T0 + 6 * HOUR, 'new', [
    ['page_viewed', 'awareness', 'search', 'home', arrival('search', undefined, 'tablet')],
    ['search_submitted', 'consideration', 'site_search', 'search'],
    ['product_list_viewed', 'consideration', 'site_search', 'search'],
    ...browseToCart,
  ]),
  ...session('S8', T0 + 7 * HOUR, 'new', [
    ['page_viewed', 'awareness', 'direct', 'home', arrival('direct')], // no device class
    vital('LCP', 1000, 'awareness', 'home', 'home'),
    vital('INP', 100, 'awareness', 'home', 'home'),
  ]),
  ...session('S9', T0 + 8 * HOUR, 'new', [
    ['page_viewed', 'awareness', 'ad', 'product', arrival('ad', 'spring', 'mobile')],
    vital('LCP', 2400, 'awareness', 'product_page', 'product'),
    ...browseToCart,
    ...checkoutTo('payment'),
    ['payment_info_submitted', 'purchase', 'payment', 'checkout'],
    abandon('payment', 'card_holder'),
  ]),
  ...session('S10', T0 + 9 * HOUR, 'returning', [
    ['page_viewed', 'awareness', 'email', 'product', arrival('email', 'newsletter', 'desktop')],
    ...browseToCart,
    ...checkoutTo('review'),
    ['order_completed', 'purchase', 'order_confirmation', 'order_confirmation', {
      order_id: 'O2', revenue: 50, currency: 'EUR', items: [], first_touch: { touchpoint: 'email' }, last_touch: { touchpoint: 'email' },
    }],
    ['order_completed', 'purchase', 'order_confirmation', 'order_confirmation', { order_id: 'O2', revenue: 50, currency: 'EUR', items: [] }],
    ['review_submitted', 'advocacy', 'review', 'product', { rating: 5 }],
  ]),
  ...session('S11', T0 + 10 * HOUR, 'customer', [
    ['page_viewed', 'retention', 'social', 'home', arrival('social', undefined, 'mobile')],
    ['product_viewed', 'retention', 'product_page', 'product'],
    ['share', 'advocacy', 'social', 'product', { network: 'x' }],
  ]),
  ...session('S13', LATER, 'new', [
    ['page_viewed', 'awareness', 'search', 'home', arrival('search', '<img src=x>', 'desktop')],
    ['product_viewed', 'consideration', 'product_page', 'product'],
  ]),
];
const other = session('S12', T0, 'new', [
  ['page_viewed', 'awareness', 'direct', 'home', arrival('direct', undefined, 'desktop')],
  ['order_completed', 'purchase', 'order_confirmation', 'order_confirmation', { id: 'O3', revenue: 70, currency: 'EUR', items: [] }],
]);

let collector: Awaited<ReturnType<typeof startCollector>>;
const report = async (query = 'site=shop') => {
  const answer = await call(collector.url, '/api/journey?' + query);
  return { status: answer.status, body: JSON.parse(answer.text) };
};
/** p75s are read from histograms with buckets 2 % wide (journey/fold.mjs): within 1 % of the exact value. */
const expectVitals = (actual: any[], expected: any[]) => {
  const p75s = (rows: any[]) => rows.flatMap((r) => ['LCP', 'INP', 'CLS'].map((name) => r[name]?.p75 ?? null));
  const withoutP75 = (rows: any[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]: [string, any]) => [k, v && typeof v == 'object' ? { samples: v.samples } : v])));
  expect(withoutP75(actual)).toEqual(withoutP75(expected));
  p75s(expected).forEach((want, i) => {
    const got = p75s(actual)[i];
    if (want == null) expect(got).toBeNull();
    else expect(Math.abs(got - want) / want, `p75 ${got} for ${want}`).toBeLessThanOrEqual(0.01);
  });
};
const cell = (body: any, touchpoint: string, stage: string) =>
  body.map.rows.find((r: any) => r.touchpoint == touchpoint).cells[body.map.stages.findIndex((s: any) => s.stage == stage)];

beforeAll(async () => {
  collector = await startCollector({ routes: journeyRoutes });
  for (let i = 0; i < shop.length; i += 20) expect((await post(collector.url, { sentAt: 0, site: 'shop', events: shop.slice(i, i + 20) })).status).toBe(200);
  expect((await post(collector.url, { sentAt: 0, site: 'other', events: other })).status).toBe(200);
});
afterAll(() => collector.close());

describe('the headline rates', () => {
  it('counts conversion as sessions with an order over sessions', async () => {
    const { body } = await report();
    expect(body.kpis).toMatchObject({ sessions: 12, sessionsWithOrder: 2, conversionRate: 2 / 12 });
  });

  it('counts cart abandonment as carts without an order over carts', async () => {
    const { body } = await report();
    expect(body.kpis).toMatchObject({ sessionsWithCart: 7, sessionsWithCartNoOrder: 5, cartAbandonmentRate: 5 / 7 });
  });

  it('counts an order once when its confirmation is reloaded, with revenue and currency', async () => {
    const { body } = await report();
    expect(body.totals).toEqual({ sessions: 12, events: 62, orders: 2, revenue: 150, currencies: ['EUR'] });
  });

  it('names the checkout step most customers left at and the fields they touched last there', async () => {
    const { body } = await report();
    expect(body.kpis.worstCheckoutStep).toEqual({
      step: 'shipping', reached: 5, left: 2, leftRate: 0.4, abandons: 2, priceChanged: 1,
      lastFields: [{ field: 'postcode', sessions: 2 }],
    });
  });
});

describe('the funnel', () => {
  it('counts sessions at each step or beyond, with the drop-off from the step before', async () => {
    const { body } = await report();
    expect(body.funnel.map((s: any) => [s.key, s.sessions, s.dropOff, s.dropOffRate, s.left])).toEqual([
      ['product_viewed', 10, null, null, 3],
      ['added_to_cart', 7, 3, 0.3, 1],
      ['checkout_started', 6, 1, 1 / 7, 0],
      ['step_contact', 6, 0, 0, 1],
      ['step_shipping', 5, 1, 1 / 6, 2],
      ['step_payment', 3, 2, 0.4, 1],
      ['step_review', 2, 1, 1 / 3, 0],
      ['order_completed', 2, 0, 0, null],
    ]);
  });

  it('lists the last touched fields at each checkout step', async () => {
    const { body } = await report();
    const at = (key: string) => body.funnel.find((s: any) => s.key == key);
    expect(at('step_contact')).toMatchObject({ abandons: 1, priceChanged: 0, lastFields: [{ field: 'email', sessions: 1 }] });
    expect(at('step_payment')).toMatchObject({ abandons: 1, lastFields: [{ field: 'card_holder', sessions: 1 }] });
    expect(at('step_review')).toMatchObject({ abandons: 0, lastFields: [] });
  });

  it('shows a step nobody had as no data and measures the drop-off across it', async () => {
    const { body } = await report('site=shop&device=tablet'); // S7: product viewed, cart, no checkout
    expect(body.funnel.map((s: any) => [s.key, s.sessions, s.dropOff])).toEqual([
      ['product_viewed', 1, null],
      ['added_to_cart', 1, 0],
      ['checkout_started', null, null],
      ['step_contact', null, null],
      ['step_shipping', null, null],
      ['step_payment', null, null],
      ['step_review', null, null],
      ['order_completed', null, null],
    ]);
    expect(body.kpis.worstCheckoutStep).toBeNull();
  });
});

describe('the map', () => {
  it('counts sessions and journey events per stage × touchpoint, signals excluded', async () => {
    const { body } = await report();
    expect(cell(body, 'product_page', 'consideration')).toEqual({ sessions: 9, events: 9 });
    expect(cell(body, 'checkout', 'purchase')).toEqual({ sessions: 6, events: 17 });
    expect(cell(body, 'payment', 'purchase')).toEqual({ sessions: 3, events: 6 });
    expect(cell(body, 'order_confirmation', 'purchase')).toEqual({ sessions: 2, events: 3 });
    expect(cell(body, 'site_search', 'consideration')).toEqual({ sessions: 1, events: 2 });
    expect(cell(body, 'search', 'awareness')).toEqual({ sessions: 3, events: 3 });
    expect(cell(body, 'social', 'retention')).toEqual({ sessions: 1, events: 1 });
    expect(cell(body, 'social', 'advocacy')).toEqual({ sessions: 1, events: 1 });
  });

  it('has null, not zero, where no session was, even where only signals were', async () => {
    const { body } = await report();
    expect(cell(body, 'home', 'awareness')).toBeNull(); // S8's web vitals only
    expect(cell(body, 'loyalty', 'retention')).toBeNull();
    expect(body.map.rows.map((r: any) => r.touchpoint)).toEqual([
      'ad', 'social', 'search', 'email', 'referral', 'direct', 'home', 'content', 'collection', 'site_search',
      'product_page', 'cart', 'checkout', 'payment', 'order_confirmation', 'account', 'support', 'loyalty', 'review',
    ]);
    expect(body.map.rows.flatMap((r: any) => r.cells).filter(Boolean)).toHaveLength(20);
  });

  it('counts sessions per stage and the moves between stages in the order each session reached them', async () => {
    const { body } = await report();
    expect(body.map.stages).toEqual([
      { stage: 'awareness', sessions: 10 },
      { stage: 'consideration', sessions: 9 },
      { stage: 'purchase', sessions: 7 },
      { stage: 'retention', sessions: 2 },
      { stage: 'advocacy', sessions: 2 },
    ]);
    expect(body.map.transitions).toEqual([
      { from: 'awareness', to: 'consideration', sessions: 9 },
      { from: 'consideration', to: 'purchase', sessions: 7 },
      { from: 'purchase', to: 'advocacy', sessions: 1 },
      { from: 'retention', to: 'advocacy', sessions: 1 },
    ]);
  });
});

describe('frictions', () => {
  it('counts rage and dead clicks, form and JS errors per touchpoint', async () => {
    const { body } = await report();
    expect(body.frictions.touchpoints.slice(0, 2)).toEqual([
      { touchpoint: 'product_page', rageClicks: 0, deadClicks: 1, formErrors: 0, jsErrors: 1 },
      { touchpoint: 'checkout', rageClicks: 1, deadClicks: 0, formErrors: 1, jsErrors: 0 },
    ]);
    expect(body.frictions.touchpoints.slice(2).every((f: any) => f.rageClicks + f.deadClicks + f.formErrors + f.jsErrors == 0)).toBe(true);
  });

  it('gives the p75 of LCP, INP and CLS per page type, null without samples, within the histogram resolution', async () => {
    const { body } = await report();
    expectVitals(body.frictions.vitals, [
      { pageType: 'home', LCP: { p75: 1000, samples: 1 }, INP: { p75: 100, samples: 1 }, CLS: null },
      // 2000, 2400, 3000: three quarters of the way from the 1st to the 3rd sample is 2400 + 0.5 × 600
      { pageType: 'product', LCP: { p75: 2700, samples: 3 }, INP: { p75: 90, samples: 1 }, CLS: { p75: 0.3, samples: 1 } },
    ]);
  });
});

describe('acquisition', () => {
  it('counts sessions, orders, conversion and revenue by entry touchpoint', async () => {
    const { body } = await report();
    expect(body.acquisition.entries).toEqual([
      { touchpoint: 'search', sessions: 3, orders: 0, conversionRate: 0, revenue: null },
      { touchpoint: 'ad', sessions: 2, orders: 1, conversionRate: 0.5, revenue: 100 },
      { touchpoint: 'direct', sessions: 2, orders: 0, conversionRate: 0, revenue: null },
      { touchpoint: 'email', sessions: 2, orders: 1, conversionRate: 0.5, revenue: 50 },
      { touchpoint: 'social', sessions: 2, orders: 0, conversionRate: 0, revenue: null },
      { touchpoint: 'referral', sessions: 1, orders: 0, conversionRate: 0, revenue: null },
    ]);
  });

  it('counts sessions and orders by campaign and the channel that carried it', async () => {
    const { body } = await report();
    expect(body.acquisition.campaigns).toEqual([
      { campaign: 'newsletter', touchpoint: 'email', sessions: 2, orders: 1, conversionRate: 0.5 },
      { campaign: 'spring', touchpoint: 'ad', sessions: 2, orders: 1, conversionRate: 0.5 },
      { campaign: '<img src=x>', touchpoint: 'search', sessions: 1, orders: 0, conversionRate: 0 },
      { campaign: 'influencer', touchpoint: 'social', sessions: 1, orders: 0, conversionRate: 0 },
    ]);
  });

  it('credits orders to their first touch and to their last touch', async () => {
    const { body } = await report();
    expect(body.acquisition.attribution).toEqual([
      { touchpoint: 'ad', firstTouchOrders: 0, lastTouchOrders: 1, firstTouchRevenue: 0, lastTouchRevenue: 100 },
      { touchpoint: 'email', firstTouchOrders: 1, lastTouchOrders: 1, firstTouchRevenue: 50, lastTouchRevenue: 50 },
      { touchpoint: 'social', firstTouchOrders: 1, lastTouchOrders: 0, firstTouchRevenue: 100, lastTouchRevenue: 0 },
    ]);
  });
});

describe('filters', () => {
  it('keeps sessions of the device class asked for', async () => {
    const { body } = await report('site=shop&device=mobile'); // S1, S3, S5, S9, S11
    expect(body.kpis).toMatchObject({ sessions: 5, sessionsWithOrder: 1, conversionRate: 0.2, sessionsWithCart: 3 });
    expect(body.totals).toMatchObject({ orders: 1, revenue: 100 });
    expectVitals(body.frictions.vitals, [{ pageType: 'product', LCP: { p75: 2300, samples: 2 }, INP: null, CLS: null }]);
  });

  it('keeps sessions that started inside the date range, both days included', async () => {
    expect((await report('site=shop&from=2025-01-06&to=2025-01-06')).body.totals.sessions).toBe(11);
    expect((await report('site=shop&from=2025-01-07')).body.totals.sessions).toBe(1);
    expect((await report(`site=shop&from=${LATER}&to=${LATER + 1}`)).body.totals.sessions).toBe(1);
  });

  it('keeps one site, reading an order id given as `id`', async () => {
    const { body } = await report('site=other');
    expect(body.totals).toEqual({ sessions: 1, events: 2, orders: 1, revenue: 70, currencies: ['EUR'] });
    expect(body.acquisition.attribution).toEqual([
      { touchpoint: null, firstTouchOrders: 1, lastTouchOrders: 1, firstTouchRevenue: 70, lastTouchRevenue: 70 },
    ]);
  });

  it('covers every site without one, and lists the sites', async () => {
    const { body } = await report('');
    expect(body.totals.sessions).toBe(13);
    expect(body.sites.map((s: any) => [s.site, s.sessions])).toEqual([['shop', 12], ['other', 1]]);
  });

  it('keeps sessions that arrived from the entry touchpoint asked for', async () => {
    const { body } = await report('site=shop&entry=email'); // S4, S10
    expect(body.filter).toMatchObject({ entry: 'email', campaign: null, customer: null });
    expect(body.kpis).toMatchObject({ sessions: 2, sessionsWithOrder: 1, sessionsWithCart: 2, sessionsWithCartNoOrder: 1 });
    expect(body.totals).toMatchObject({ orders: 1, revenue: 50 });
    expect(body.acquisition.entries.map((e: any) => e.touchpoint)).toEqual(['email']);
    expect((await report('site=shop&entry=EMAIL')).body.kpis.sessions).toBe(2);
  });

  it('keeps sessions of the campaign asked for', async () => {
    const { body } = await report('site=shop&campaign=spring'); // S1, S9
    expect(body.kpis).toMatchObject({ sessions: 2, sessionsWithOrder: 1 });
    expect(body.totals).toMatchObject({ orders: 1, revenue: 100 });
    expect(body.acquisition.campaigns).toEqual([{ campaign: 'spring', touchpoint: 'ad', sessions: 2, orders: 1, conversionRate: 0.5 }]);
    expect((await report('site=shop&campaign=' + encodeURIComponent('<img src=x>'))).body.kpis.sessions).toBe(1); // S13
    expect((await report('site=shop&campaign=Spring')).body.kpis.sessions).toBe(0); // names are kept as written
  });

  it('keeps new or returning customers: a customer counts as returning', async () => {
    const returning = (await report('site=shop&customer=returning')).body; // S4, S10, and customers S5, S11
    expect(returning.kpis).toMatchObject({ sessions: 4, sessionsWithOrder: 1 });
    expect(returning.totals).toMatchObject({ orders: 1, revenue: 50 });
    const fresh = (await report('site=shop&customer=new')).body; // S1, S2, S3, S6, S7, S8, S9, S13
    expect(fresh.kpis).toMatchObject({ sessions: 8, sessionsWithOrder: 1 });
    expect(fresh.totals).toMatchObject({ orders: 1, revenue: 100 });
    expect((await report('site=shop&customer=all')).body.kpis.sessions).toBe(12);
  });

  it('combines the filters', async () => {
    const count = async (query: string) => (await report('site=shop&' + query)).body.kpis.sessions;
    expect(await count('entry=social&customer=returning')).toBe(1); // S11
    expect(await count('entry=ad&campaign=spring&device=mobile&customer=new')).toBe(2); // S1, S9
    expect(await count('entry=ad&campaign=spring&device=desktop')).toBe(0);
    expect(await count('entry=email&customer=new')).toBe(0);
    expect(await count('entry=search&from=2025-01-06&to=2025-01-06')).toBe(2); // S2, S7; S13 is later
    // Before / after compares the segment with itself: S4, S10 on the day, nobody from email the day before.
    const { body } = await report('site=shop&entry=email&from=2025-01-06&to=2025-01-06');
    expect(body.comparison.rates[0]).toMatchObject({ key: 'conversion', before: { count: 0, of: 0 }, after: { count: 1, of: 2 } });
  });

  it('compares segments: per entry touchpoint, campaign and customer, the figures of each filtered map', async () => {
    const { body } = await report();
    expect(body.segments.customers).toEqual([
      { key: 'new', sessions: 8, sessionsWithOrder: 1, conversionRate: 0.125, sessionsWithCart: 5, cartAbandonmentRate: 0.8, csat: null, answers: 0, revenue: 100 },
      { key: 'returning', sessions: 4, sessionsWithOrder: 1, conversionRate: 0.25, sessionsWithCart: 2, cartAbandonmentRate: 0.5, csat: 1, answers: 1, revenue: 50 },
    ]);
    expect(body.segments.entries.map((e: any) => [e.key, e.sessions, e.revenue])).toEqual([
      ['search', 3, null], ['ad', 2, 100], ['direct', 2, null], ['email', 2, 50], ['social', 2, null], ['referral', 1, null],
    ]);
    expect(body.segments.campaigns.map((c: any) => [c.key, c.sessions])).toEqual([['newsletter', 2], ['spring', 2], ['<img src=x>', 1], ['influencer', 1]]);
  });

  it('refuses values it cannot read with 400', async () => {
    for (const query of ['device=watch', 'from=2025-13-01', 'from=yesterday', 'from=2025-01-10&to=2025-01-09', 'customer=vip', 'entry=%3Cb%3E', 'campaign=' + 'x'.repeat(101)]) {
      const { status, body } = await report(query);
      expect([query, status, typeof body.error]).toEqual([query, 400, 'string']);
    }
  });
});

describe('the tables follow the event log', () => {
  it('does not count a repeat delivery twice', async () => {
    const before = (await report()).body;
    expect((await post(collector.url, { sentAt: 0, site: 'shop', events: shop.slice(0, 20) })).status).toBe(200);
    const after = (await report()).body;
    expect(after.totals).toEqual(before.totals);
    expect(after.map).toEqual(before.map);
  });

  it('forgets a session whose events were deleted, and keeps the rest of a session partly deleted', async () => {
    collector.db.prepare("DELETE FROM events WHERE session_id = 'S13'").run();
    collector.db.prepare("DELETE FROM events WHERE session_id = 'S6' AND type = 'product_viewed'").run();
    const { body } = await report();
    expect(body.totals.sessions).toBe(11);
    expect(cell(body, 'product_page', 'consideration')).toEqual({ sessions: 7, events: 7 });
    expect(body.frictions.touchpoints[0]).toEqual({ touchpoint: 'product_page', rageClicks: 0, deadClicks: 1, formErrors: 0, jsErrors: 1 });
    expect(body.funnel[0].sessions).toBe(8);
  });
});

describe('the page', () => {
  it('shows the figures in self-contained HTML under a strict Content-Security-Policy', async () => {
    const answer = await call(collector.url, '/journey?site=shop');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+';/);
    expect(answer.text).toMatch(/id="kpi-conversion">18\.2%</); // 2 of 11 sessions after the deletions above
    expect(answer.text).toMatch(/id="kpi-worst-step">shipping</);
    expect(answer.text).not.toMatch(/<script|\son\w+=|https?:\/\/(?!www\.w3\.org)/i);
  });

  it('escapes what came from events', async () => {
    const evil = session('S14', T0, 'new', [['page_viewed', 'awareness', 'ad', 'home', arrival('ad', '<img src=x onerror=alert(1)>')]]);
    expect((await post(collector.url, { sentAt: 0, site: '"><b>site', events: evil })).status).toBe(200);
    const text = (await call(collector.url, '/journey?site=' + encodeURIComponent('"><b>site'))).text;
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('&quot;&gt;&lt;b&gt;site');
    expect(text).not.toMatch(/<img|<b>site/);
  });

  it('says nobody left checkout when every session that reached a step went on to order', async () => {
    const buyer = session('S15', T0, 'new', [...browseToCart, ...checkoutTo('review'), ['order_completed', 'purchase', 'order_confirmation', 'order', { order_id: 'O15', revenue: 40 }]]);
    expect((await post(collector.url, { sentAt: 0, site: 'all-bought', events: buyer })).status).toBe(200);
    const text = (await call(collector.url, '/journey?site=all-bought')).text;
    expect(text).toMatch(/id="kpi-worst-step">no step</);
    expect(text).not.toContain('No checkout step recorded');
  });

  it('narrows to a segment, says so, and links each segment of the table to its own map', async () => {
    const text = (await call(collector.url, '/journey?site=shop&entry=email&customer=returning')).text;
    expect(text).toMatch(/id="kpi-sessions">2</); // S4, S10
    expect(text).toMatch(/id="showing">Only <b>Arrived from Email<\/b><b>Returning customers<\/b>/);
    expect(text).toMatch(/<option value="email" selected>Email<\/option>/);
    expect(text).toMatch(/<option value="returning" selected>Returning customers<\/option>/);
    expect(text).toContain('id="vitals-scope"'); // page speed is every visitor's, and says so
    const all = (await call(collector.url, '/journey?site=shop')).text;
    expect(all).not.toContain('id="showing"');
    expect(all).not.toContain('id="vitals-scope"');
    expect(all).toContain('href="/journey?site=shop&amp;entry=search">Search engines</a>');
    expect(all).toContain('href="/journey?site=shop&amp;customer=new">New customers</a>');
    expect(all).toContain('href="/journey?site=shop&amp;campaign=spring">spring</a>');
    // A campaign's name from a URL is escaped in the link and in the filter's list (S14's, on the site named "><b>site).
    const evil = (await call(collector.url, '/journey?site=' + encodeURIComponent('"><b>site'))).text;
    expect(evil).toContain('campaign=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E">&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(evil).toContain('<option value="&lt;img src=x onerror=alert(1)&gt;">');
    expect(evil).not.toMatch(/<img/);
  });

  it('answers a query it cannot read with 400 and says why', async () => {
    const answer = await call(collector.url, '/journey?device=watch');
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('device must be all, mobile, tablet, desktop');
  });
});

describe('the summary tables', () => {
  const reportOf = (write: (db: any) => void) => {
    const db = openDb();
    try {
      write(db);
      return journeyReport(db, { site: 'shop' });
    } finally {
      db.close();
    }
  };
  const live = reportOf((db) => {
    ensureJourneySchema(db);
    insertEvents(db, 'shop', shop as any, 0);
  });

  it('are built from events stored before they existed as the triggers build them', () => {
    expect(reportOf((db) => insertEvents(db, 'shop', shop as any, 0))).toEqual(live);
  });

  it('do not depend on the order events arrive in', () => {
    expect(reportOf((db) => {
      ensureJourneySchema(db);
      for (const e of [...shop].reverse()) insertEvents(db, 'shop', [e] as any, 0);
    })).toEqual(live);
  });

  // As another program (the sqlite3 shell, an import script) would: no insert hook, no trigger.
  const insertRaw = (db: any, events: any[]) => {
    const insert = db.prepare(`INSERT INTO events (id, site, type, ts, received_at, session_id, anonymous_id, user_id, stage, touchpoint,
      page_type, path, lifecycle, properties, event) VALUES (?, 'shop', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const e of events) {
      insert.run(e.id, e.type, e.ts, e.sessionId, e.anonymousId, e.userId, e.stage ?? null, e.touchpoint ?? null, e.pageType ?? null,
        e.page.path, e.lifecycle ?? null, JSON.stringify(e.properties), JSON.stringify(e));
    }
  };

  it('count events another program inserted, from the next report or the next batch the collector stores', () => {
    const half = Math.floor(shop.length / 2);
    expect(reportOf((db) => {
      ensureJourneySchema(db);
      insertEvents(db, 'shop', shop.slice(0, half) as any, 0);
      insertRaw(db, shop.slice(half));
    })).toEqual(live);
    expect(reportOf((db) => {
      ensureJourneySchema(db);
      insertRaw(db, shop.slice(0, half));
      insertEvents(db, 'shop', shop.slice(half) as any, 0);
    })).toEqual(live);
  });

  it('count an event another program inserted with the rowid of a deleted newest one', () => {
    const last = shop.at(-1) as any;
    const other = shop.find((e: any) => e.sessionId != last.sessionId && e.type == 'page_viewed') as any;
    const extra = { ...other, id: 'extra', ts: other.ts + 1 };
    const expected = reportOf((db) => {
      ensureJourneySchema(db);
      insertEvents(db, 'shop', [...shop.slice(0, -1), extra] as any, 0);
    });
    expect(expected).not.toEqual(reportOf((db) => {
      ensureJourneySchema(db);
      insertEvents(db, 'shop', shop.slice(0, -1) as any, 0);
    }));
    expect(reportOf((db) => {
      ensureJourneySchema(db);
      insertEvents(db, 'shop', shop as any, 0);
      journeyReport(db, { site: 'shop' });
      db.prepare('DELETE FROM events WHERE id = ?').run(last.id); // its session is marked by the delete trigger
      insertRaw(db, [extra]); // takes the deleted rowid, in another session
      expect(db.prepare('SELECT rowid FROM events WHERE id = ?').pluck().get('extra')).toBe(shop.length);
    })).toEqual(expected);
  });

  it('leave the other sessions alone when old events are deleted', () => {
    const db = openDb();
    ensureJourneySchema(db);
    insertEvents(db, 'shop', shop as any, 0);
    const first = shop[0] as any;
    db.prepare('DELETE FROM events WHERE rowid = 1').run();
    insertEvents(db, 'shop', [], 0);
    expect(db.prepare('SELECT session_id FROM journey_dirty').pluck().all()).toEqual([first.sessionId]);
    db.close();
  });

  it('are rebuilt when made by another version of the mapping or left without their triggers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-journey-'));
    try {
      const file = join(dir, 'a.db');
      const db = openDb(file);
      ensureJourneySchema(db);
      insertEvents(db, 'shop', shop as any, 0);
      db.prepare("UPDATE journey_meta SET value = 'old' WHERE key = 'version'").run();
      db.exec('DROP TRIGGER journey_delete'); // as a migration recreating `events` would
      db.exec('DELETE FROM journey_sessions');
      db.close();
      const again = openDb(file);
      expect(ensureJourneySchema(again)).toEqual({ built: true });
      expect(ensureJourneySchema(again)).toEqual({ built: false });
      expect(journeyReport(again, { site: 'shop' })).toEqual(live);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo data', () => {
  const make = (site = 'demo', events = 4000) => {
    const db = openDb();
    const result = seed({ db, events, site, end: Date.UTC(2025, 5, 30) });
    const rows = db.prepare('SELECT event FROM events ORDER BY rowid').all().map((r: any) => JSON.parse(r.event));
    const report = journeyReport(db, {});
    db.close();
    return { result, rows, report };
  };
  const first = make();

  it('writes exactly the events asked for, each valid on the wire', () => {
    expect(first.result.events).toBe(4000);
    expect(first.rows).toHaveLength(4000);
    expect(batchProblem({ sentAt: 0, site: 'demo', events: first.rows.slice(0, 500) })).toBe('');
    expect(first.rows.every((e: any) => batchProblem({ sentAt: 0, site: 'demo', events: [e] }) == '')).toBe(true);
  });

  it('is the same for the same seed and site, and differs for another site', () => {
    expect(make().rows.slice(0, 50)).toEqual(first.rows.slice(0, 50));
    expect(make('other').rows[0].id).not.toBe(first.rows[0].id);
  });

  it('has every stage, every funnel step, frictions, vitals and orders from every kind of arrival', () => {
    const r = first.report;
    expect(r.map.stages.every((s: any) => s.sessions > 0)).toBe(true);
    expect(r.funnel.every((s: any) => s.sessions > 0 && (s.dropOff ?? 1) >= 0)).toBe(true);
    expect(r.kpis.conversionRate).toBeGreaterThan(0.01);
    expect(r.kpis.worstCheckoutStep?.lastFields.length).toBeGreaterThan(0);
    expect(r.frictions.touchpoints.filter((f: any) => f.rageClicks + f.deadClicks + f.formErrors + f.jsErrors > 0).length).toBeGreaterThan(2);
    expect(r.frictions.vitals.some((v: any) => v.LCP && v.INP && v.CLS)).toBe(true);
    expect(r.acquisition.entries.map((e: any) => e.touchpoint).sort()).toEqual(['ad', 'direct', 'email', 'referral', 'search', 'social']);
    expect(r.acquisition.attribution.length).toBeGreaterThan(2);
  });

  it('has segments to compare: campaigns, and new and returning customers in plausible shares', () => {
    const { segments, totals } = first.report;
    const share = (key: string) => segments.customers.find((c: any) => c.key == key)!.sessions / totals.sessions;
    expect(share('new')).toBeGreaterThan(0.4);
    expect(share('returning')).toBeGreaterThan(0.15);
    expect(share('new') + share('returning')).toBe(1);
    expect(segments.campaigns.length).toBeGreaterThan(5);
    expect(segments.campaigns.filter((c: any) => c.sessionsWithOrder > 0).length).toBeGreaterThan(1);
  });
});
