// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { frictionProblems, opportunitiesOf } from '../../../examples/collector/journey/insights.mjs';
import { journeyReport } from '../../../examples/collector/journey/queries.mjs';
import { renderJourneyPage } from '../../../examples/collector/journey/page.mjs';
import { journeyDb, journeyEvent as ev } from './support';

// Opportunities, worked out by hand. 20 sessions come from search and go through contact and shipping: 10 of them
// reach payment and order 50 EUR each, 10 abandon at shipping (6 of them saw the price change). 10 sessions come
// from social, campaign "promo", and leave after one page.
//   Checkout step: shipping keeps 10 of 20 (50 %), contact and payment keep 30 of 30; those who went on all
//     ordered (downstream 10 / 10) → 20 × 100 % − 10 = 10 orders × 50 = 500 EUR.
//   Price change: 6 abandons saw it; the step's 14 other sessions hold the 10 orders → 6 × 10/14 = 4.3 orders ×
//     50 = 215 EUR.
//   Social entry and promo campaign: 10 sessions, 0 orders; the other 20 sessions ordered at 50 % → 5 orders ×
//     50 = 250 EUR each. Search converts above the rest: not an opportunity.

const T0 = Date.UTC(2025, 2, 3);

function shopEvents() {
  const events = [];
  for (let i = 0; i < 20; i++) {
    const id = 'S' + i, t = T0 + i * 1000;
    events.push(
      ev(id, t, 'page_viewed', 'awareness', 'search', { arrival: { touchpoint: 'search' } }),
      ev(id, t + 1, 'checkout_started', 'purchase', 'checkout'),
      ev(id, t + 2, 'checkout_step_viewed', 'purchase', 'checkout', { step: 'contact' }),
      ev(id, t + 3, 'checkout_step_viewed', 'purchase', 'checkout', { step: 'shipping' }),
    );
    if (i < 10) {
      events.push(
        ev(id, t + 4, 'checkout_step_viewed', 'purchase', 'payment', { step: 'payment' }),
        ev(id, t + 5, 'order_completed', 'purchase', 'order_confirmation', { order_id: 'o' + i, revenue: 50, currency: 'EUR' }),
      );
    } else {
      events.push(ev(id, t + 4, 'checkout_abandoned', 'purchase', 'checkout', { step: 'shipping', last_field: 'postcode', price_changed: i < 16 }));
    }
  }
  for (let i = 0; i < 10; i++) {
    events.push(ev('P' + i, T0 + 50_000 + i, 'page_viewed', 'awareness', 'social', { arrival: { touchpoint: 'social', campaign: 'promo' } }));
  }
  return events;
}

const open = journeyDb;

describe('opportunities', () => {
  it('ranks the checkout step, the channels without orders and the price change by revenue at stake', () => {
    const db = open(shopEvents());
    const r = journeyReport(db, { site: 'shop' });
    expect(r.totals).toMatchObject({ sessions: 30, orders: 10, revenue: 500 });
    expect(r.opportunities.map((o: any) => [o.rank, o.kind, o.subject, o.sessions, o.ordersAtStake, o.revenueAtStake])).toEqual([
      [1, 'checkout_step', 'shipping', 20, 10, 500],
      [2, 'channel', 'the social entry', 10, 5, 250],
      [3, 'channel', 'the promo campaign', 10, 5, 250],
      [4, 'price_change', 'shipping', 6, 4.3, 215],
    ]);
    const [step, , , price] = r.opportunities;
    expect(step.evidence).toBe('50 % of 20 shoppers leave at shipping, against 0 % at the other steps');
    expect(step.formula).toBe('20 sessions × 100 % baseline conversion − 10 went on, × 100 % of those ordering = 10 orders × 50 EUR average order = 500 EUR');
    expect(price.evidence).toBe('6 of the 10 shoppers who abandoned at shipping had seen the price change');
    expect(price.baseline).toEqual({ sessions: 14, orders: 10 });
    expect(price.suggestion).toMatch(/shipping costs/);
    db.close();
  });

  it('is empty without a problem, and the page says so', () => {
    // Everyone from one channel orders at the only checkout step: nothing to rank.
    const events = [0, 1, 2].flatMap((i) => [
      ev('A' + i, T0 + i * 100, 'page_viewed', 'awareness', 'direct', { arrival: { touchpoint: 'direct' } }),
      ev('A' + i, T0 + i * 100 + 1, 'order_completed', 'purchase', 'order_confirmation', { order_id: 'a' + i, revenue: 10, currency: 'EUR' }),
    ]);
    const db = open(events);
    const report = journeyReport(db, { site: 'shop' });
    expect(report.opportunities).toEqual([]);
    const html = renderJourneyPage({ report, comparison: null, sites: [{ site: 'shop', sessions: 3, first: T0, last: T0 + 200 }], query: new URLSearchParams('site=shop') });
    expect(html).toContain('No opportunity found in this range');
    db.close();
  });

  it('is listed on the page, highest first, with its estimate and formula', () => {
    const db = open(shopEvents());
    const report = journeyReport(db, { site: 'shop' });
    const html = renderJourneyPage({ report, comparison: null, sites: [{ site: 'shop', sessions: 30, first: T0, last: T0 + 60_000 }], query: new URLSearchParams('site=shop') });
    const card = html.slice(html.indexOf('id="opp-title"'), html.indexOf('id="map-title"')).replace(/<[^>]+>/g, '');
    expect(card).toContain('≈ 10 orders / €500 at stake (estimate: 20 sessions × 100 % baseline conversion');
    expect(card.indexOf('Simplify the shipping step')).toBeLessThan(card.indexOf('the social entry'));
    expect(card.indexOf('the promo campaign')).toBeLessThan(card.indexOf('Show shipping costs'));
    expect(card).toContain('≈ 4.3 orders / €215 at stake (estimate: 6 sessions × 71.4 % baseline conversion − 0 orders = 4.3 orders');
    expect(card).not.toContain('No opportunity found');
    db.close();
  });

  it('lists a channel without orders only where the others expect at least one, and without revenue ranks by orders', () => {
    // 100 sessions, 10 orders, no revenue recorded. Ad: 5 sessions, 0 orders; the other 95 ordered 10 → 0.53
    // expected, and 0 of 5 against 10 of 95 is chance: skipped. Email: 20 sessions, 0 orders; the other 80
    // ordered 10 → 20 × 12.5 % = 2.5 orders at stake, no revenue.
    const opportunities = opportunitiesOf({
      totals: { orders: 10, revenue: null, currencies: [] },
      kpis: { sessions: 100, sessionsWithOrder: 10 },
      acquisition: { entries: [{ touchpoint: 'ad', sessions: 5, orders: 0 }, { touchpoint: 'email', sessions: 20, orders: 0 }], campaigns: [] },
    });
    expect(opportunities.map((o) => [o.subject, o.ordersAtStake, o.revenueAtStake, o.formula])).toEqual([
      ['the email entry', 2.5, null, '20 sessions × 12.5 % baseline conversion − 0 orders = 2.5 orders'],
    ]);
  });
});

// Frictions, worked out by hand. 40 sessions, all direct, view a product (consideration) and start the checkout
// (purchase); F0–F19 order 100 EUR each (average order 100).
//   Dead clicks on img.zoom in F20–F27 (8 sessions, 0 orders); the other 32 at consideration hold the 20 orders
//     (62.5 %) → 8 × 62.5 % − 0 = 5 orders × 100 = 500 EUR. Dead clicks on button.size-chart in F0–F3 (all
//     ordered): better than the rest, not listed.
//   Form errors on "postcode" (2 each) in F18–F27: 10 sessions, 2 orders; the other 30 that started checkout ordered 18
//     (60 %) → 10 × 60 % − 2 = 4 orders, 400 EUR.
//   Product-page LCP: fast (1.8 s) in F0–F14 and F30–F39 (25 sessions, 15 orders, 60 %); slow (3.2 s at worst) in
//     F15–F29 (15 sessions, 5 orders; F15 also had a fast sample) → 15 × 60 % − 5 = 4 orders, 400 EUR; tied with
//     the postcode field, more sessions first.
//   A JS error on the payment step in F30–F35 (6 sessions, 0 orders); the other 34 that started checkout ordered 20
//     (58.8 %) → 6 × 20/34 = 3.53 → 3.5 orders, 350 EUR. The same error on a product page (F36) is not on checkout.
function frictionEvents() {
  const events = [];
  for (let i = 0; i < 40; i++) {
    const id = 'F' + i, t = T0 + i * 10_000;
    const vital = (dt: number, value: number) =>
      ({ ...ev(id, t + dt, 'web_vital', 'consideration', 'product_page', { name: 'LCP', value, page_type: 'product' }), pageType: 'product' });
    events.push(
      ev(id, t, 'page_viewed', 'awareness', 'direct', { arrival: { touchpoint: 'direct' } }),
      ev(id, t + 1, 'product_viewed', 'consideration', 'product_page'),
      vital(2, i >= 15 && i < 30 ? 3200 : 1800),
      ev(id, t + 10, 'checkout_started', 'purchase', 'checkout'),
    );
    if (i == 15) events.push(vital(3, 1800));
    if (i < 20) events.push(ev(id, t + 20, 'order_completed', 'purchase', 'order_confirmation', { order_id: 'f' + i, revenue: 100, currency: 'EUR' }));
    if (i >= 20 && i < 28) events.push(ev(id, t + 4, 'dead_click', 'consideration', 'product_page', { selector: 'img.zoom' }));
    if (i < 4) events.push(ev(id, t + 5, 'dead_click', 'consideration', 'product_page', { selector: 'button.size-chart' }));
    if (i >= 18 && i < 28) {
      events.push(
        ev(id, t + 11, 'form_error', 'purchase', 'checkout', { field: 'postcode', reason: 'patternMismatch' }),
        ev(id, t + 12, 'form_error', 'purchase', 'checkout', { field: 'postcode', reason: 'patternMismatch' }),
      );
    }
    if (i >= 30 && i < 36) events.push({ ...ev(id, t + 13, 'js_error', 'purchase', 'payment', { message: 'TypeError: x is undefined' }), pageType: 'checkout' });
    if (i == 36) events.push({ ...ev(id, t + 6, 'js_error', 'consideration', 'product_page', { message: 'TypeError: x is undefined' }), pageType: 'product' });
  }
  return events;
}

describe('opportunities from frictions', () => {
  it('weighs a field, an element, a checkout error and slow pages by the orders of the sessions that had them', () => {
    const db = open(frictionEvents());
    const r = journeyReport(db, { site: 'shop' });
    expect(r.totals).toMatchObject({ sessions: 40, orders: 20, revenue: 2000 });
    expect(r.opportunities.map((o: any) => [o.rank, o.kind, o.subject, o.sessions, o.orders, o.baseline, o.ordersAtStake, o.revenueAtStake])).toEqual([
      [1, 'dead_clicks', 'img.zoom', 8, 0, { sessions: 32, orders: 20 }, 5, 500],
      [2, 'slow_lcp', 'product', 15, 5, { sessions: 25, orders: 15 }, 4, 400],
      [3, 'field_errors', 'postcode', 10, 2, { sessions: 30, orders: 18 }, 4, 400],
      [4, 'js_errors', 'TypeError: x is undefined', 6, 0, { sessions: 34, orders: 20 }, 3.5, 350],
    ]);
    const [dead, slow, field, js] = r.opportunities;
    expect(dead.evidence).toBe('8 dead clicks on img.zoom in 8 sessions: 0 % of them ordered, against 62.5 % of the other sessions at consideration');
    expect(slow.evidence).toBe(
      '15 sessions waited over 2.5 s for product pages to show their main content (LCP), 10 of them did not order: 33.3 % of them ordered, against 60 % of the 25 sessions whose product pages were faster',
    );
    expect(field.evidence).toBe('20 form errors on the "postcode" field in 10 sessions: 20 % of them ordered, against 60 % of the other sessions that started checkout');
    expect(js.evidence).toBe('"TypeError: x is undefined" on checkout in 6 sessions (6 errors): 0 % of them ordered, against 58.8 % of the other sessions that started checkout');
    expect(js.formula).toBe('6 sessions × 58.8 % baseline conversion − 0 orders = 3.5 orders × 100 EUR average order = 350 EUR');
    expect(field.suggestion).toBe('Relax the validation or clarify the hint of the "postcode" field.');
    expect(slow.suggestion).toMatch(/^Speed up product pages/);
    // 0 of 8 against 20 of 32: pooled 0.5, z = −0.625 / √(0.25 × (1/32 + 1/8)) = −3.162, p = 0.0016
    expect(dead.test.z).toBeCloseTo(-3.162, 3);
    expect(dead.test.significant).toBe(true);
    // The raw figures are in the answer too: the size chart (better than the rest) and the product-page JS error are not ranked.
    expect(r.frictionSessions.find((f: any) => f.subject == 'button.size-chart')).toMatchObject({ kind: 'dead_clicks', sessions: 4, orders: 4 });
    expect(r.frictionSessions.filter((f: any) => f.kind == 'js_errors')).toEqual([
      { kind: 'js_errors', place: 'checkout', subject: 'TypeError: x is undefined', sessions: 6, orders: 0, events: 6, baseline: { sessions: 34, orders: 20 } },
    ]);
    expect(r.frictionSessions.find((f: any) => f.kind == 'slow_lcp')).toMatchObject({ sessions: 15, orders: 5, events: 16 });
    db.close();
  });

  it('leaves out a friction worth less than one order', () => {
    // 3 sessions with a dead click, 0 orders, against 1 order in 10 others: 3 × 10 % = 0.3 order. Not listed.
    const events = [];
    for (let i = 0; i < 13; i++) {
      events.push(ev('D' + i, T0 + i * 100, 'product_viewed', 'consideration', 'product_page'));
      if (i < 3) events.push(ev('D' + i, T0 + i * 100 + 1, 'dead_click', 'consideration', 'product_page', { selector: 'a.logo' }));
      if (i == 12) events.push(ev('D' + i, T0 + i * 100 + 2, 'order_completed', 'purchase', 'order_confirmation', { order_id: 'd' }));
    }
    const db = open(events);
    const r = journeyReport(db, { site: 'shop' });
    expect(r.frictionSessions).toEqual([
      { kind: 'dead_clicks', place: 'consideration', subject: 'a.logo', sessions: 3, orders: 0, events: 3, baseline: { sessions: 10, orders: 1 } },
    ]);
    expect(r.opportunities).toEqual([]);
    db.close();
  });
});

describe('friction opportunities, one per subject', () => {
  it('keeps the place where a subject puts the most at stake, at most three per kind', () => {
    const f = (subject: string, place: string, sessions: number, orders: number, base: [number, number]) =>
      ({ kind: 'dead_clicks' as const, place, subject, sessions, orders, events: sessions, baseline: { sessions: base[0], orders: base[1] } });
    // img: 20 × 10 % − 0 = 2 at consideration, 10 × 55 % − 0 = 5.5 at retention → retention only.
    // a, b, c, d: 3, 4, 5, 6 orders at stake (10 sessions, none ordered, baselines 30 %, 40 %, 50 %, 60 %): the three
    // most at stake of the kind are d (6), img (5.5), c (5).
    const problems = frictionProblems([
      f('img', 'consideration', 20, 0, [100, 10]), f('img', 'retention', 10, 0, [20, 11]),
      f('a', 'consideration', 10, 0, [10, 3]), f('b', 'consideration', 10, 0, [10, 4]),
      f('c', 'consideration', 10, 0, [10, 5]), f('d', 'consideration', 10, 0, [10, 6]),
    ]);
    expect(problems.map((p) => [p.subject, p.evidence.endsWith('at retention')])).toEqual([['d', false], ['img', true], ['c', false]]);
  });
});
