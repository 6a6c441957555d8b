import { describe, expect, it, vi } from 'vitest';
import type { MetricType } from 'web-vitals';
import { vitals, type MetricSource } from '../../../src/signals/vitals';
import { detected, fakeTracker } from '../support/fakeTracker';

/** Stand-ins for web-vitals' reporters: the test calls back with the metric objects web-vitals would build. */
const sources = () => {
  const reports: ((m: MetricType) => void)[] = [];
  const source: MetricSource = (report) => void reports.push(report);
  const emit = (m: Partial<MetricType>) =>
    reports.forEach((r) => r({ rating: 'good', delta: m.value, navigationType: 'navigate', entries: [], id: 'v5-1', ...m } as MetricType));
  return { list: [source], emit };
};

describe('web_vital', () => {
  it('reports a final metric with its rating and navigation type, rounded', () => {
    const s = sources();
    const t = fakeTracker(detected('product'));
    t.start(vitals(s.list));
    s.emit({ name: 'LCP', value: 3120.6, rating: 'needs-improvement' });
    s.emit({ name: 'CLS', value: 0.123456, navigationType: 'reload' });
    expect(t.of('web_vital')).toEqual([
      { name: 'LCP', value: 3121, rating: 'needs-improvement', navigationType: 'navigate', page_type: 'product' },
      { name: 'CLS', value: 0.1235, rating: 'good', navigationType: 'reload', page_type: 'product' },
    ]);
  });

  it('names the checkout step, so a slow payment step stands apart from a slow product page', () => {
    const s = sources();
    const t = fakeTracker(detected('checkout', 'payment'));
    t.start(vitals(s.list));
    s.emit({ name: 'TTFB', value: 900, rating: 'needs-improvement' });
    expect(t.of('web_vital')).toEqual([{ name: 'TTFB', value: 900, rating: 'needs-improvement', navigationType: 'navigate', page_type: 'checkout', step: 'payment' }]);
  });

  it('carries delta only on a later report of the same metric (worse after the customer came back to the tab)', () => {
    const s = sources();
    const t = fakeTracker(detected('product'));
    t.start(vitals(s.list));
    s.emit({ name: 'INP', value: 120 });
    s.emit({ name: 'INP', value: 560, delta: 440, rating: 'poor' });
    expect(t.of('web_vital').map((p) => [p.value, p.delta])).toEqual([
      [120, undefined],
      [560, 440],
    ]);
  });

  it('attributes document metrics to the page where the page view started, not to a later single-page route', () => {
    const s = sources();
    const t = fakeTracker({ type: 'other' }); // the pages part has not detected the page yet
    t.start(vitals(s.list));
    t.navigate(detected('product'));
    t.navigate(detected('cart'));
    s.emit({ name: 'LCP', value: 2000 });
    s.emit({ name: 'CLS', value: 0.01 });
    expect(t.of('web_vital').map((p) => p.page_type)).toEqual(['product', 'product']);
  });

  it('attributes INP to the route showing when the slowest interaction happened', () => {
    let clock = 1000;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const s = sources();
      const t = fakeTracker(detected('collection'));
      t.start(vitals(s.list));
      clock = 2000;
      t.navigate(detected('product'));
      clock = 3000;
      t.navigate(detected('checkout', 'shipping'));
      clock = 4000;
      t.navigate(detected('order_confirmation'));
      s.emit({ name: 'INP', value: 300, entries: [{ startTime: 3500 }] as never });
      s.emit({ name: 'INP', value: 300, entries: [{ startTime: 1500 }] as never });
      expect(t.of('web_vital').map((p) => [p.page_type, p.step])).toEqual([
        ['checkout', 'shipping'],
        ['collection', undefined],
      ]);
    } finally {
      now.mockRestore();
    }
  });

  it('attributes a page restored from the back/forward cache to the route showing', () => {
    const s = sources();
    const t = fakeTracker(detected('product'));
    t.start(vitals(s.list));
    t.navigate(detected('cart'));
    s.emit({ name: 'LCP', value: 40, navigationType: 'back-forward-cache' });
    expect(t.of('web_vital')).toEqual([expect.objectContaining({ page_type: 'cart', navigationType: 'back-forward-cache' })]);
  });

  it('reports nothing after teardown', () => {
    const s = sources();
    const t = fakeTracker(detected('product'));
    t.start(vitals(s.list))();
    s.emit({ name: 'FCP', value: 800 });
    expect(t.events).toEqual([]);
  });

  it('starts with the real web-vitals reporters where the browser lacks their APIs, without an error', () => {
    const t = fakeTracker(detected('product'));
    expect(() => t.start(vitals())()).not.toThrow();
    expect(t.logs).toEqual([]);
  });
});
