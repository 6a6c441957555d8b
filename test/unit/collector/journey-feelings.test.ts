// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { journeyReport } from '../../../examples/collector/journey/queries.mjs';
import { renderJourneyPage } from '../../../examples/collector/journey/page.mjs';
import { insertEvents } from '../../../examples/collector/db.mjs';
import { journeyDb, journeyEvent } from './support';

// Satisfaction and the emotion line, worked out by hand. A rates checkout 5 and delivery (email) 2; B rates
// checkout 4 and 4 again, then 9 and 4.5 (not scores: ignored); C reviews with 3 stars; D has a JS error at
// consideration, rage-clicks twice and hits a form error at purchase; E abandons checkout.

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 3);
const ev = journeyEvent;
const view = (id: string, ts: number, stage = 'consideration', touchpoint = 'product_page') => ev(id, ts, 'page_viewed', stage, touchpoint);
const feedback = (id: string, ts: number, score: unknown, stage = 'purchase', touchpoint = 'checkout', question = 'checkout') =>
  ev(id, ts, 'feedback_given', stage, touchpoint, { score, question });

const shop = [
  view('A', T0), ev('A', T0 + 1, 'checkout_started', 'purchase', 'checkout'), feedback('A', T0 + 2, 5),
  feedback('A', T0 + 3, 2, 'retention', 'email', 'delivery'),
  view('B', T0 + 10), ev('B', T0 + 11, 'checkout_started', 'purchase', 'checkout'), feedback('B', T0 + 12, 4), feedback('B', T0 + 13, 4),
  feedback('B', T0 + 14, 9), feedback('B', T0 + 15, 4.5),
  view('C', T0 + 20), ev('C', T0 + 21, 'review_submitted', 'advocacy', 'review', { rating: 3 }),
  view('D', T0 + 30), ev('D', T0 + 31, 'js_error', 'consideration', 'product_page', { message: 'x' }),
  ev('D', T0 + 32, 'checkout_started', 'purchase', 'checkout'),
  ev('D', T0 + 33, 'rage_click', 'purchase', 'checkout'), ev('D', T0 + 34, 'rage_click', 'purchase', 'checkout'),
  ev('D', T0 + 35, 'form_error', 'purchase', 'payment'),
  view('E', T0 + 40), ev('E', T0 + 41, 'checkout_started', 'purchase', 'checkout'),
  ev('E', T0 + 42, 'checkout_abandoned', 'purchase', 'checkout', { step: 'contact' }),
];

const open = () => journeyDb(shop);

describe('satisfaction', () => {
  it('is the share of 4 and 5 among scores 1 to 5, overall, per stage and per touchpoint', () => {
    const db = open();
    const { satisfaction } = journeyReport(db, { site: 'shop' });
    // Answers: A 5, 2; B 4, 4 (9 and 4.5 ignored); C 3 → 3 satisfied of 5.
    expect(satisfaction).toMatchObject({ n: 5, satisfied: 3, csat: 0.6, scores: [0, 1, 1, 2, 1] });
    const stage = (s: string) => satisfaction.stages.find((x: any) => x.stage == s);
    expect(stage('purchase')).toMatchObject({ n: 3, satisfied: 3, csat: 1 });
    expect(stage('retention')).toMatchObject({ n: 1, satisfied: 0, csat: 0 });
    expect(stage('advocacy')).toMatchObject({ n: 1, satisfied: 0, csat: 0 });
    expect(stage('awareness')).toMatchObject({ n: 0, csat: null });
    expect(satisfaction.touchpoints.map((t: any) => [t.touchpoint, t.n, t.csat])).toEqual([
      ['email', 1, 0], ['checkout', 3, 1], ['review', 1, 0], // the vocabulary's order
    ]);
    db.close();
  });

  it('moves with its session to the day it started when an earlier event arrives late, and leaves with deleted events', () => {
    const db = open();
    // B's page view arrives late, a day earlier: B and its three answers move to the day before.
    insertEvents(db, 'shop', [view('B', T0 - DAY)] as never, 0);
    expect(journeyReport(db, { site: 'shop', from: T0, to: T0 + DAY }).satisfaction).toMatchObject({ n: 3, satisfied: 1 });
    expect(journeyReport(db, { site: 'shop', from: T0 - DAY, to: T0 }).satisfaction).toMatchObject({ n: 2, satisfied: 2 });
    db.prepare("DELETE FROM events WHERE type = 'review_submitted'").run();
    expect(journeyReport(db, { site: 'shop' }).satisfaction).toMatchObject({ n: 4, satisfied: 3 });
    db.close();
  });
});

describe('the emotion line', () => {
  it('gives per stage CSAT where answers exist and the share of sessions frustrated there', () => {
    const db = open();
    const { emotions } = journeyReport(db, { site: 'shop' });
    const point = (s: string) => emotions.find((p: any) => p.stage == s)!;
    // Purchase: A, B, D, E reached it; D (rage clicks, form error) and E (abandoned) were frustrated: 2 of 4.
    expect(point('purchase')).toMatchObject({ sessions: 4, frustrated: 2, frustration: 0.5, satisfaction: 1, answers: 3 });
    expect(point('purchase').signals).toEqual({ rage_click: 2, form_error: 1 });
    // Consideration: all five viewed a product, D had a JS error: 1 of 5.
    expect(point('consideration')).toMatchObject({ sessions: 5, frustrated: 1, frustration: 0.2, satisfaction: null });
    expect(point('awareness')).toMatchObject({ sessions: 0, frustration: null, satisfaction: null, label: 'no data' });
    db.close();
  });
});

describe('the page', () => {
  it('shows the satisfaction key figure, the emotion line and its figures per stage, "no data" where none', () => {
    const db = open();
    const report = journeyReport(db, { site: 'shop' });
    const html = renderJourneyPage({ report, sites: [], query: new URLSearchParams('site=shop') });
    expect(html).toMatch(/id="kpi-satisfaction">60\.0%</);
    expect(html).toContain('3 of 5 answers rated 4 or 5');
    const figures = html.match(/<tr id="emotion-figures">(.*?)<\/tr>/)?.[1] ?? '';
    const cells = figures.match(/<td.*?<\/td>/g) ?? [];
    expect(cells).toHaveLength(5);
    expect(cells[0]).toContain('no data'); // awareness: no session, no rating
    expect(cells[2]).toContain('100.0%'); // purchase: CSAT
    expect(cells[2]).toContain('50.0%'); // purchase: frustrated
    expect(html).toMatch(/<svg viewBox="0 0 500 64"[^>]*aria-label="Emotion line: Awareness: no data; Consideration: 20 % of 5 sessions frustrated; Purchase: CSAT 100 %/);
    db.close();
  });
});

// Per question, worked out by hand. The prompt (question checkout) is shown in P0–P9: P0–P5 answer 5, 5, 4, 3, 2, 5
// (4 of 6 satisfied, 66.7 %), P6 and P7 close it, P8 and P9 leave it be: response rate 6 / 10 = 60 %. Delivery
// from an email link: 5 and 1 (50 %), never prompted. A review of 4 stars counts as product (100 %). Support 2 from
// the shop's own form (0 %). A score of 7 is no score.
const asked = [
  ...Array.from({ length: 10 }, (_, i) => {
    const id = 'P' + i, t = T0 + 1000 * i;
    const scores = [5, 5, 4, 3, 2, 5];
    return [
      ev(id, t, 'order_completed', 'purchase', 'order_confirmation', { order_id: 'p' + i }),
      ev(id, t + 1, 'prompt_shown', 'purchase', 'order_confirmation', { question: 'checkout' }),
      ...(i < 6 ? [ev(id, t + 2, 'feedback_given', 'purchase', 'order_confirmation', { score: scores[i], question: 'checkout', via: 'prompt' })] : []),
      ...(i == 6 || i == 7 ? [ev(id, t + 2, 'prompt_dismissed', 'purchase', 'order_confirmation', { question: 'checkout' })] : []),
    ];
  }).flat(),
  ev('M', T0 + 20_000, 'feedback_given', 'retention', 'email', { score: 5, question: 'delivery', via: 'email' }),
  ev('M', T0 + 20_001, 'feedback_given', 'retention', 'email', { score: 1, question: 'delivery', via: 'email' }),
  ev('M', T0 + 20_002, 'feedback_given', 'retention', 'email', { score: 7, question: 'delivery', via: 'email' }),
  ev('R', T0 + 21_000, 'review_submitted', 'advocacy', 'review', { rating: 4 }),
  ev('S', T0 + 22_000, 'feedback_given', 'retention', 'support', { score: 2, question: 'support' }),
];

describe('satisfaction per question, and the prompt response rate', () => {
  it('gives CSAT per question in a fixed order, and answers per time the prompt was shown', () => {
    const db = journeyDb(asked);
    const r = journeyReport(db, { site: 'shop' });
    expect(r.satisfaction.questions.map((q: any) => [q.question, q.n, q.satisfied, q.csat, q.shown, q.prompted, q.dismissed, q.responseRate])).toEqual([
      ['checkout', 6, 4, 4 / 6, 10, 6, 2, 0.6],
      ['delivery', 2, 1, 0.5, 0, 0, 0, null],
      ['product', 1, 1, 1, 0, 0, 0, null],
      ['support', 1, 0, 0, 0, 0, 0, null],
    ]);
    expect(r.satisfaction.questions[0].scores).toEqual([0, 1, 1, 1, 3]);
    // Prompt events are signals, not journey steps: the map counts the orders and answers, not the prompt.
    expect(r.totals.events).toBe(10 + 6 + 3 + 1 + 1);
    db.close();
  });

  it('shows the table and the response rate next to CSAT on the page', () => {
    const db = journeyDb(asked);
    const report = journeyReport(db, { site: 'shop' });
    const html = renderJourneyPage({ report, sites: [], query: new URLSearchParams('site=shop') });
    const row = (q: string) => (html.match(new RegExp(`<tr data-question="${q}">(.*?)</tr>`))?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    expect(row('checkout')).toBe('Checkout 66.7% 6 answers 60.0% 6 of 10 shown, 2 closed');
    expect(row('delivery')).toBe('Delivery 50.0% 2 answers –');
    expect(row('product')).toBe('Product 100.0% 1 answer –');
    expect(html).toMatch(/id="kpi-response">Prompt answered <b>60\.0%<\/b> of 10 times shown/);
    db.close();
  });
});
