// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { opportunitiesOf } from '../../../examples/collector/journey/insights.mjs';
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
