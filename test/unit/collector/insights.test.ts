// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { csat, emotionCurve, normalCdf, rankOpportunities, twoProportionTest, wilson, worstCheckoutStep, worstStep } from '../../../examples/collector/journey/insights.mjs';

// Every expected figure below is worked out by hand in the comment beside it, or taken from a published table.

describe('CSAT: the share of 4 and 5 answers, with n', () => {
  it('counts a list of scores', () => {
    // 5 and 4 are satisfied: 2 of 5
    expect(csat([5, 4, 3, 2, 1])).toMatchObject({ n: 5, satisfied: 2, csat: 0.4 });
  });
  it('counts a histogram, as GROUP BY score gives it', () => {
    // n = 3 + 2 + 10 + 5 = 20, satisfied = 10 + 5 = 15, 15 / 20 = 0.75
    expect(csat({ 1: 3, 2: 0, 3: 2, 4: 10, 5: 5 })).toMatchObject({ n: 20, satisfied: 15, csat: 0.75 });
  });
  it('ignores what is no score 1–5', () => {
    expect(csat([0, 6, 4.5, NaN, 5])).toMatchObject({ n: 1, satisfied: 1, csat: 1 });
    expect(csat({ 0: 4, 7: 1, 5: -2, 4: 1 })).toMatchObject({ n: 1, satisfied: 1 });
  });
  it('says "no data" as null without answers', () => {
    expect(csat([])).toEqual({ n: 0, satisfied: 0, csat: null, interval: null });
  });
  it('gives the 95 % Wilson interval, as Newcombe (1998, Table I, method 3) lists it', () => {
    const at4 = (x: number, n: number) => wilson(x, n).map((v) => +v.toFixed(4));
    expect(at4(81, 263)).toEqual([0.2553, 0.3662]);
    expect(at4(15, 148)).toEqual([0.0624, 0.1605]);
    expect(at4(0, 20)).toEqual([0, 0.1611]);
    expect(at4(1, 29)).toEqual([0.0061, 0.1718]);
    expect(csat([5, 5, 5]).interval![0]).toBeCloseTo(0.4385, 4); // 3 of 3: the lower bound is n / (n + z²) = 3 / 6.8415
  });
});

describe('the two-proportion z-test at 95 %', () => {
  it('Φ matches the normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normalCdf(3)).toBeCloseTo(0.99865, 5);
  });
  it('38 of 100 before, 102 of 200 after: +13 points, z = 2.13, p = 0.033, significant', () => {
    // pooled p = 140/300 = 0.46667; SE = √(0.46667 × 0.53333 × (1/100 + 1/200)) = √0.0037333 = 0.061101;
    // z = 0.13 / 0.061101 = 2.1276; p = 2 × (1 − Φ(2.1276)) = 0.0334
    const t = twoProportionTest(38, 100, 102, 200);
    expect(t.difference).toBeCloseTo(0.13, 10);
    expect(t.z).toBeCloseTo(2.1276, 4);
    expect(t.p).toBeCloseTo(0.0334, 3);
    expect(t.significant).toBe(true);
  });
  it('3.0 % of 1000 before, 3.5 % of 1000 after: not larger than chance', () => {
    // pooled 65/2000 = 0.0325; SE = √(0.0325 × 0.9675 × 0.002) = 0.0079304; z = 0.005 / 0.0079304 = 0.6305; p = 0.528
    const t = twoProportionTest(30, 1000, 35, 1000);
    expect(t.z).toBeCloseTo(0.6305, 3);
    expect(t.p).toBeCloseTo(0.528, 3);
    expect(t.significant).toBe(false);
  });
  it('a fall is negative, with the same p as the rise', () => {
    const up = twoProportionTest(38, 100, 102, 200);
    const down = twoProportionTest(102, 200, 38, 100);
    expect(down.z).toBeCloseTo(-up.z!, 10);
    expect(down.p).toBeCloseTo(up.p!, 10);
  });
  it('answers without z when there is nothing to test', () => {
    expect(twoProportionTest(0, 0, 5, 10)).toMatchObject({ before: null, difference: null, z: null, p: null, significant: false });
    expect(twoProportionTest(0, 50, 0, 80)).toMatchObject({ difference: 0, z: null, significant: false }); // no variation
  });
});

describe('the emotion curve per stage', () => {
  const curve = emotionCurve({
    awareness: { sessions: 400, frustrated: 20, signals: { js_error: 25 } },
    purchase: { sessions: 40, frustrated: 10, signals: { form_error: 14, checkout_abandoned: 6 }, ratings: { 1: 1, 3: 1, 4: 5, 5: 3 } },
    retention: { sessions: 0, frustrated: 0, ratings: [5, 2] },
  });
  it('is in journey order, five points', () => {
    expect(curve.map((p) => p.stage)).toEqual(['awareness', 'consideration', 'purchase', 'retention', 'advocacy']);
  });
  it('gives satisfaction where answers exist and frustration per session where sessions exist', () => {
    // purchase: 8 of 10 answers are 4 or 5; 10 of 40 sessions frustrated
    expect(curve[2]).toMatchObject({ satisfaction: 0.8, answers: 10, frustration: 0.25, frustrated: 10, signals: { form_error: 14, checkout_abandoned: 6 } });
    expect(curve[2].label).toBe('CSAT 80 % (10 answers) · 25 % of 40 sessions frustrated');
    // awareness: 20 / 400 = 5 %, no answers
    expect(curve[0]).toMatchObject({ satisfaction: null, frustration: 0.05 });
    // retention: answers (a delivery rated from an email) without sessions seen
    expect(curve[3]).toMatchObject({ satisfaction: 0.5, answers: 2, frustration: null });
  });
  it('says "no data" where there is none', () => {
    expect(curve[1]).toMatchObject({ sessions: 0, satisfaction: null, frustration: null, label: 'no data' });
    expect(curve[4].label).toBe('no data');
  });
  it('never counts more frustrated sessions than sessions', () => {
    expect(emotionCurve({ purchase: { sessions: 3, frustrated: 9 } })[2].frustration).toBe(1);
  });
});

describe('opportunities, ranked by what is at stake', () => {
  const ranked = rankOpportunities([
    { kind: 'dead_clicks', subject: '.size-chart', evidence: '120 dead clicks', sessions: 50, orders: 10, baseline: { sessions: 1000, orders: 100 }, aov: 50 },
    { kind: 'checkout_step', subject: 'shipping', evidence: '25 % leave at shipping', sessions: 200, orders: 20, baseline: { sessions: 800, orders: 160 }, aov: 50, currency: 'EUR' },
    { kind: 'channel', subject: 'tiktok', evidence: '500 sessions, 0 orders', sessions: 500, orders: 0, baseline: { sessions: 2000, orders: 40 }, aov: 50 },
    { kind: 'js_errors', subject: 'no sessions', evidence: '', sessions: 0, orders: 0, baseline: { sessions: 10, orders: 1 } },
  ]);
  it('estimates orders at stake as sessions × baseline conversion − orders, revenue as that × the average order', () => {
    // shipping: 200 × 20 % − 20 = 20 orders, × 50 = 1000; tiktok: 500 × 2 % − 0 = 10, × 50 = 500;
    // size chart: 50 × 10 % − 10 = −5, never below 0
    expect(ranked.map((o) => [o.rank, o.subject, o.ordersAtStake, o.revenueAtStake])).toEqual([
      [1, 'shipping', 20, 1000],
      [2, 'tiktok', 10, 500],
      [3, '.size-chart', 0, 0],
    ]);
  });
  it('states the formula with its figures, and a one-line suggestion', () => {
    expect(ranked[0].formula).toBe('200 sessions × 20 % baseline conversion − 20 orders = 20 orders × 50 EUR average order = 1000 EUR');
    expect(ranked[0].suggestion).toBe('Simplify the shipping step: it loses more shoppers than the other steps.');
    expect(ranked[1].suggestion).toContain('tiktok');
  });
  it('says whether the gap is larger than chance', () => {
    // shipping: 10 % against 20 %: pooled 0.18, SE = √(0.18 × 0.82 × (1/800 + 1/200)) = 0.030373, z = −3.292, p = 0.001
    expect(ranked[0].test.z).toBeCloseTo(-3.2924, 3);
    expect(ranked[0].test.significant).toBe(true);
    // size chart: 20 % against 10 %: better than the baseline, nothing at stake
    expect(ranked[2].test.difference).toBeCloseTo(0.1, 10);
  });
  it('ranks by orders at stake when no order value is known', () => {
    const r = rankOpportunities([
      { kind: 'field_errors', subject: 'postcode', evidence: '', sessions: 100, orders: 2, baseline: { sessions: 100, orders: 10 } },
      { kind: 'price_change', subject: 'shipping', evidence: '', sessions: 100, orders: 5, baseline: { sessions: 100, orders: 20 } },
    ]);
    expect(r.map((o) => [o.subject, o.ordersAtStake, o.revenueAtStake])).toEqual([['shipping', 15, null], ['postcode', 8, null]]);
    expect(r[1].formula).toBe('100 sessions × 10 % baseline conversion − 2 orders = 8 orders');
  });
});

describe('the checkout step that loses the most', () => {
  // contact 400 → 360 went on (90 %), shipping 360 → 216 (60 %), payment 216 → 194 (≈ 89.8 %); 180 orders.
  const steps = [
    { step: 'contact', reached: 400, continued: 360 },
    { step: 'shipping', reached: 360, continued: 216 },
    { step: 'payment', reached: 216, continued: 194 },
  ];
  const problem = worstCheckoutStep(steps, 180, 60)!;
  it('is the step that loses the most beyond the other steps pooled, compared with them', () => {
    // excess = left − reached × others' leaving rate: contact 40 − 400 × 166/576 = −75.3; shipping 144 − 360 × 62/616
    // = 107.8; payment 22 − 216 × 184/760 = −30.3

    // others: (360 + 194) / (400 + 216) = 554 / 616 = 89.9 %
    expect(problem).toMatchObject({ kind: 'checkout_step', subject: 'shipping', sessions: 360, orders: 216, baseline: { sessions: 616, orders: 554 } });
    expect(problem.evidence).toBe('40 % of 360 shoppers leave at shipping, against 10.1 % at the other steps');
  });
  it('is worth what it loses beyond the others, at the rate those who went on ordered', () => {
    // 360 × 554/616 = 323.77 would have gone on, 216 did: 107.77 more, × 180/216 = 0.8333 ordering = 89.8 orders, × 60 = 5388
    const [o] = rankOpportunities([problem]);
    expect(o.ordersAtStake).toBe(89.8);
    expect(o.revenueAtStake).toBe(5388);
    expect(o.formula).toBe('360 sessions × 89.9 % baseline conversion − 216 went on, × 83.3 % of those ordering = 89.8 orders × 60 average order = 5388');
    expect(o.test.significant).toBe(true);
  });
  it('says "1 session" and "1 order" in its formula, not "1 sessions"', () => {
    const [o] = rankOpportunities([{ kind: 'channel', subject: 'x', evidence: '', sessions: 1, orders: 0, baseline: { sessions: 2, orders: 2 } }]);
    // 1 × 100 % − 0 = 1 order
    expect(o.formula).toBe('1 session × 100 % baseline conversion − 0 orders = 1 order');
    const [p] = rankOpportunities([{ kind: 'channel', subject: 'x', evidence: '', sessions: 4, orders: 1, baseline: { sessions: 2, orders: 1 } }]);
    expect(p.formula).toBe('4 sessions × 50 % baseline conversion − 1 order = 1 order');
  });
  it('needs two steps seen', () => {
    expect(worstCheckoutStep([{ step: 'contact', reached: 10, continued: 5 }, { step: 'shipping', reached: 0, continued: 0 }], 3)).toBeUndefined();
  });
});

describe('the worst checkout step: one rule for the key figure and the opportunity', () => {
  it('is not the step most sessions left when that is only because most reached it', () => {
    // contact 1000 → 800 (200 left, 20 %), shipping 800 → 480 (320 left, 40 %), payment 480 → 460 (20 left).
    // excess: contact 200 − 1000 × 340/1280 = −65.6; shipping 320 − 800 × 220/1480 = 201.1; payment 20 − 480 × 520/1800 = −118.7
    const steps = [
      { step: 'contact', reached: 1000, continued: 800 },
      { step: 'shipping', reached: 800, continued: 480 },
      { step: 'payment', reached: 480, continued: 460 },
    ];
    expect(worstStep(steps)?.step).toBe('shipping');
  });
  it('is not a step a handful reached, on its rate alone', () => {
    // contact 1000 → 700, payment 700 → 600, review 3 → 0 (100 % leave). excess: contact 300 − 1000 × 103/703 = 153.5;
    // payment 100 − 700 × 303/1003 = −111.5; review 3 − 3 × 400/1700 = 2.3
    const steps = [
      { step: 'contact', reached: 1000, continued: 700 },
      { step: 'payment', reached: 700, continued: 600 },
      { step: 'review', reached: 3, continued: 0 },
    ];
    expect(worstStep(steps)?.step).toBe('contact');
  });
  it('is the only step left, and none when nobody left', () => {
    expect(worstStep([{ step: 'contact', reached: 10, continued: 4 }])?.step).toBe('contact');
    expect(worstStep([{ step: 'contact', reached: 10, continued: 10 }, { step: 'shipping', reached: 10, continued: 10 }])).toBeUndefined();
  });
  it('breaks a tie by more sessions left, then the earlier step', () => {
    // both lose 50 %: excess contact 100 − 200 × 0.5 = 0, shipping 50 − 100 × 0.5 = 0 → contact (100 left)
    expect(worstStep([{ step: 'contact', reached: 200, continued: 100 }, { step: 'shipping', reached: 100, continued: 50 }])?.step).toBe('contact');
  });
});
