// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparedRanges, compareReports } from '../../../examples/collector/journey/compare.mjs';
import { journeyRoutes } from '../../../examples/collector/journey/api.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { call, journeyEvent, post } from './support';

// Two weeks of a shop, worked out by hand. Week 1 (6–12 Jan 2025): 100 sessions, 2 orders, 10 carts.
// Week 2 (13–19 Jan): 100 sessions, 10 orders, 18 carts. Conversion 2 % → 10 %: pooled p = 0.06,
// z = 0.08 / √(0.06 · 0.94 · 2/100) = 2.382, two-sided p = 0.0172: larger than chance. Cart abandonment 8/10 → 8/18.
// Ratings: week 1, the checkout prompt shown 40 times, 20 answers, 8 of them 4–5 (CSAT 40 %); week 2, shown 40
// times, 20 answers, 16 satisfied (80 %): pooled 24/40 = 0.6, z = 0.4 / √(0.6 · 0.4 · 2/20) = 2.582, p = 0.0098,
// larger than chance; response rate 20/40 both weeks: no change, p = 1.
// Week 3 (20–26 Jan): 100 sessions, 3 orders: against week 2 a fall (p = 0.045), against week 1 within chance
// (p = 0.65).

const DAY = 86_400_000;
const WEEK1 = Date.UTC(2025, 0, 6);
const WEEK2 = WEEK1 + 7 * DAY;
const WEEK3 = WEEK2 + 7 * DAY;

const ev = (sessionId: string, ts: number, type: string, stage: string, touchpoint: string, properties: Record<string, unknown> = {}) =>
  journeyEvent(sessionId, ts, type, stage, touchpoint, properties, 'product');
/** `sessions` sessions from `start`, one an hour; the first `orders` order, the next `carts - orders` only fill a cart. */
const week = (name: string, start: number, sessions: number, orders: number, carts: number) =>
  Array.from({ length: sessions }, (_, i) => {
    const id = `${name}-${i}`;
    const ts = start + i * 3_600_000;
    return [
      ev(id, ts, 'page_viewed', 'awareness', 'direct', { arrival: { touchpoint: 'direct', source: 'x' } }),
      ...(i < carts ? [ev(id, ts + 1000, 'product_added_to_cart', 'purchase', 'cart')] : []),
      ...(i < orders ? [ev(id, ts + 2000, 'order_completed', 'purchase', 'order_confirmation', { order_id: `${id}-o`, revenue: 10, currency: 'EUR', items: [] })] : []),
    ];
  }).flat();

/**
 * Ratings of a week's sessions: the prompt shown in the first `shown`, answered in the first `answers` (score 5 in
 * the first `satisfied`, else 2).
 */
const ratings = (name: string, start: number, shown: number, answers: number, satisfied: number) =>
  Array.from({ length: shown }, (_, i) => {
    const id = `${name}-${i}`;
    const ts = start + i * 3_600_000 + 3000;
    return [
      ev(id, ts, 'prompt_shown', 'purchase', 'order_confirmation', { question: 'checkout' }),
      ...(i < answers ? [ev(id, ts + 500, 'feedback_given', 'purchase', 'order_confirmation', { score: i < satisfied ? 5 : 2, question: 'checkout', via: 'prompt' })] : []),
    ];
  }).flat();

let collector: Awaited<ReturnType<typeof startCollector>>;
const report = async (query: string) => {
  const answer = await call(collector.url, '/api/journey?site=shop&' + query);
  return { status: answer.status, body: JSON.parse(answer.text), text: answer.text };
};
const rate = (body: any, key: string) => body.comparison.rates.find((r: any) => r.key == key);

beforeAll(async () => {
  collector = await startCollector({ routes: journeyRoutes });
  const events = [
    ...week('a', WEEK1, 100, 2, 10), ...week('b', WEEK2, 100, 10, 18), ...week('c', WEEK3, 100, 3, 3),
    ...ratings('a', WEEK1, 40, 20, 8), ...ratings('b', WEEK2, 40, 20, 16),
  ];
  for (let i = 0; i < events.length; i += 20) expect((await post(collector.url, { sentAt: 0, site: 'shop', events: events.slice(i, i + 20) })).status).toBe(200);
});
afterAll(() => collector.close());

describe('the ranges compared', () => {
  it('takes the range before of the same length', () => {
    expect(comparedRanges({ site: 's', from: WEEK2, to: WEEK3, device: null }, null, 0)).toEqual({
      before: { site: 's', from: WEEK1, to: WEEK2, device: null },
      after: { site: 's', from: WEEK2, to: WEEK3, device: null },
      since: null,
    });
  });

  it('takes a chosen day: from it to the end of the range, against as many days before it', () => {
    expect(comparedRanges({ from: null, to: WEEK3 }, '2025-01-13', 0)).toMatchObject({
      before: { from: WEEK1, to: WEEK2 },
      after: { from: WEEK2, to: WEEK3 },
      since: WEEK2,
    });
    // An open range ends at the end of today.
    expect(comparedRanges({ from: null, to: null }, '2025-01-13', WEEK3 - 5)).toMatchObject({ after: { from: WEEK2, to: WEEK3 } });
  });

  it('has nothing to compare without a range or a day, and refuses a day it cannot read', () => {
    expect(comparedRanges({ from: WEEK1, to: null }, null, 0)).toBeNull();
    expect(comparedRanges({}, '2025-02-30', 0)).toHaveProperty('error');
    expect(comparedRanges({ to: WEEK2 }, '2025-01-13', 0)).toHaveProperty('error');
  });
});

describe('before / after', () => {
  it('says a rise from 2 % to 10 % conversion on 100 sessions each is larger than chance', async () => {
    const { status, body } = await report('from=2025-01-13&to=2025-01-19');
    expect(status).toBe(200);
    expect(body.comparison.before).toEqual({ from: WEEK1, to: WEEK2 });
    const conversion = rate(body, 'conversion');
    expect(conversion).toMatchObject({ before: { count: 2, of: 100, rate: 0.02 }, after: { count: 10, of: 100, rate: 0.1 }, significant: true });
    expect(conversion.change).toBeCloseTo(0.08, 10);
    expect(conversion.p).toBeCloseTo(0.0172, 3);
    expect(rate(body, 'cart_abandonment')).toMatchObject({ before: { count: 8, of: 10 }, after: { count: 8, of: 18 } });
    // Funnel steps: share of all sessions that reached the step.
    expect(rate(body, 'added_to_cart')).toMatchObject({ before: { count: 10, of: 100 }, after: { count: 18, of: 100 } });
  });

  it('compares satisfaction (CSAT over answers, overall and per question) and the prompt response rate with the same test', async () => {
    const { body } = await report('from=2025-01-13&to=2025-01-19');
    const csat = rate(body, 'csat');
    expect(csat).toMatchObject({ label: 'Satisfaction (CSAT)', before: { count: 8, of: 20, rate: 0.4 }, after: { count: 16, of: 20, rate: 0.8 }, significant: true });
    expect(csat.p).toBeCloseTo(0.0098, 3);
    expect(rate(body, 'csat:checkout')).toMatchObject({ before: { count: 8, of: 20 }, after: { count: 16, of: 20 }, p: csat.p });
    expect(rate(body, 'response_rate')).toMatchObject({ before: { count: 20, of: 40 }, after: { count: 20, of: 40 }, change: 0, p: 1, significant: false });
    // Week 3 has no ratings: no data against week 2, not a fall to 0 %.
    const late = (await report('compare=2025-01-20&to=2025-01-26')).body;
    expect(rate(late, 'csat')).toMatchObject({ before: { of: 20 }, after: { count: 0, of: 0, rate: null }, p: null, significant: false });
  });

  it('says 2 orders then 3 on 100 sessions could be chance', async () => {
    const { body } = await report('compare=2025-01-20&to=2025-01-26&from=2025-01-06');
    // Since 20 Jan (week 3) against the week before it (week 2): 10 → 3 orders, a fall beyond chance.
    expect(rate(body, 'conversion')).toMatchObject({ before: { count: 10 }, after: { count: 3 }, significant: true });
    const weeks13 = compareReports(
      (await report('from=2025-01-06&to=2025-01-12')).body,
      (await report('from=2025-01-20&to=2025-01-26')).body,
    ).find((r) => r.key == 'conversion')!;
    expect(weeks13).toMatchObject({ before: { count: 2 }, after: { count: 3 }, significant: false });
    expect(weeks13.p).toBeCloseTo(0.6505, 3);
  });

  it('answers null without a range, and 400 for a compare day it cannot read', async () => {
    expect((await report('')).body.comparison).toBeNull();
    const { status, body } = await report('compare=soon');
    expect([status, typeof body.error]).toEqual([400, 'string']);
  });

  it('draws the table on the page with the verdict in words', async () => {
    const page = await call(collector.url, '/journey?site=shop&from=2025-01-13&to=2025-01-19');
    expect(page.status).toBe(200);
    const row = (key: string) => page.text.match(new RegExp(`<tr data-key="${key}">.*?</tr>`))?.[0] ?? '';
    expect(row('conversion')).toContain('2.0%');
    expect(row('conversion')).toContain('10.0%');
    expect(row('conversion')).toContain('+8.0 pt');
    expect(row('conversion')).toContain('better, beyond chance');
    // 80 % → 44 % cart abandonment on 10 and 18 carts: p = 0.069, not enough to act on.
    expect(row('cart_abandonment')).toContain('could be chance');
    expect(page.text).toContain('do not act on it');
    const late = await call(collector.url, '/journey?site=shop&compare=2025-01-20&to=2025-01-26');
    expect(late.text).toMatch(/<tr data-key="conversion">.*?worse, beyond chance/);
    expect(row('csat')).toContain('better, beyond chance');
    expect(row('response_rate')).toContain('could be chance');
  });
});
