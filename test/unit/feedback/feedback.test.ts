import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JourneyState, ParcoursEvent, Tracker } from '../../../src/types';
import type { Part } from '../../../src/tracker';
import { fakeCollector, loadSdk } from '../core/fakeCollector';

type Sdk = typeof import('../../../src/entry/npm') & typeof import('../../../src/feedback/links');
let collector: ReturnType<typeof fakeCollector>;
let sdk: Sdk;
let trackers: Tracker[] = [];
let warnings: string[] = [];

const tracker = (options: Record<string, unknown> = {}) => {
  const t = sdk.createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, debug: true, ...options });
  trackers.push(t);
  return t;
};
/** A part that puts the tracker on a detected page, as the pages part would. */
const on = (page: Parameters<Parameters<Part>[0]['setPage']>[0]): Part => (api) => api.setPage(page);
const events = (type?: string) => [...collector.stored.values()].filter((e) => !type || e.type == type) as ParcoursEvent[];
const go = (url: string) => history.replaceState(null, '', url);

beforeEach(async () => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  localStorage.clear();
  sessionStorage.clear();
  go('/');
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((m: string) => void warnings.push(m));
  ({ collector, sdk } = (await loadSdk(async () => ({ ...(await import('../../../src/entry/npm')), ...(await import('../../../src/feedback/links')) }))) as { collector: typeof collector; sdk: Sdk });
});
afterEach(() => vi.restoreAllMocks());

describe('feedback(score, { question, comment })', () => {
  it('records feedback_given with the score and question, tagged with the touchpoint the shopper is on', async () => {
    const t = tracker({ parts: [sdk.journey(), on({ type: 'checkout', step: 'shipping' })] });
    t.feedback(4, { question: 'checkout' });
    await t.flush();
    const [e] = events('feedback_given');
    expect(e.properties).toEqual({ score: 4, question: 'checkout' });
    expect([e.stage, e.touchpoint]).toEqual(['purchase', 'checkout']);
  });

  it.each([
    ['a score of 0', 0, 'checkout'],
    ['a score of 6', 6, 'checkout'],
    ['a fractional score', 4.5, 'checkout'],
    ['a score given as a string', '4', 'checkout'],
    ['NaN', NaN, 'checkout'],
    ['a question with spaces and capitals', 5, 'Check out!'],
    ['an empty question', 5, ''],
    ['a question of 33 characters', 5, 'q'.repeat(33)],
    ['no question', 5, undefined],
  ])('drops %s with one diagnostic', async (_, score, question) => {
    const t = tracker();
    t.feedback(score as number, { question: question as string });
    (t.feedback as (...a: unknown[]) => void)(5); // no options at all
    await t.flush();
    expect(events('feedback_given')).toHaveLength(0);
    expect(warnings.filter((w) => w.includes('feedback:'))).toHaveLength(2);
  });

  it('drops the comment by default', async () => {
    const t = tracker();
    t.feedback(2, { question: 'delivery', comment: 'Late again' });
    await t.flush();
    expect(events('feedback_given')[0].properties).toEqual({ score: 2, question: 'delivery' });
  });

  it('keeps the comment with feedbackComments, redacted and cut like any text', async () => {
    const t = tracker({ feedbackComments: true, parts: [sdk.privacy()] });
    t.feedback(1, { question: 'support', comment: '  Nobody answered jane.doe@example.com or +33 6 12 34 56 78  ' });
    t.feedback(3, { question: 'support', comment: 'x'.repeat(2000) });
    await t.flush();
    const [a, b] = events('feedback_given').map((e) => e.properties);
    expect(a.comment).toBe('Nobody answered [email] or [phone]');
    expect((b.comment as string).length).toBe(500);
  });
});

describe('rating links in emails: ?parcours_rating=4&parcours_q=delivery', () => {
  const start = () => tracker({ parts: [sdk.journey(), sdk.ratingLinks(), sdk.privacy()] });

  it('records the rating once, on the email touchpoint, and cleans the address bar', async () => {
    go('/products/tide-mug?utm_source=klaviyo&parcours_rating=4&size=m&parcours_q=delivery#reviews');
    const t = start();
    expect(location.pathname + location.search + location.hash).toBe('/products/tide-mug?utm_source=klaviyo&size=m#reviews');
    await t.flush();
    const [e] = events('feedback_given');
    expect(e.properties).toEqual({ score: 4, question: 'delivery', via: 'email', touchpoint: 'email' });
    expect(e.touchpoint).toBe('email');
    expect(e.stage).toBe('retention'); // a delivery is rated after the purchase, whatever page the link opens
    expect(e.page.url).not.toContain('parcours_');
  });

  it('does not count the same link twice in a tab (opened again, or a page restored with its old address)', async () => {
    go('/?parcours_rating=5&parcours_q=product');
    start();
    go('/?parcours_rating=5&parcours_q=product');
    const t = start();
    await t.flush();
    expect(events('feedback_given')).toHaveLength(1);
    expect(location.search).toBe('');
  });

  it('drops an invalid rating with one diagnostic, and still cleans the address', async () => {
    go('/pages/contact?parcours_rating=9&parcours_q=support');
    const t = start();
    await t.flush();
    expect(events('feedback_given')).toHaveLength(0);
    expect(location.search).toBe('');
    expect(warnings.some((w) => w.includes('feedback:'))).toBe(true);
  });

  it('leaves pages without the parameter alone', async () => {
    go('/cart?parcours_q=delivery');
    const t = start();
    await t.flush();
    expect(location.search).toBe('?parcours_q=delivery');
    expect(events()).toHaveLength(0);
  });
});

describe('journey() and the parcours:stage event', () => {
  // A landing from the spring newsletter: the journey part classifies the page view's arrival from its URL.
  const landing = '/?utm_source=klaviyo&utm_medium=email&utm_campaign=spring-sale';

  it('answers null before any event, then the stage, touchpoint, lifecycle and arrival of the session', () => {
    const t = tracker({ parts: [sdk.journey(), on({ type: 'product' })] });
    expect(t.journey()).toBeNull();
    go(landing);
    t.page();
    t.track('product_viewed', { id: 'mug' });
    expect(t.journey()).toEqual({ stage: 'consideration', touchpoint: 'product_page', lifecycle: 'new', arrival: { channel: 'email', campaign: 'spring-sale' } });
  });

  it('keeps the session arrival on the next page', () => {
    go(landing);
    tracker({ parts: [sdk.journey()] }).page();
    go('/cart');
    const next = tracker({ parts: [sdk.journey(), on({ type: 'cart' })] });
    next.track('cart_viewed');
    expect(next.journey()).toEqual({ stage: 'purchase', touchpoint: 'cart', lifecycle: 'new', arrival: { channel: 'email', campaign: 'spring-sale' } });
  });

  it('is not moved by ratings or by a checkout step reported from the next page', () => {
    const t = tracker({ parts: [sdk.journey(), on({ type: 'product' })] });
    t.track('product_viewed');
    t.feedback(5, { question: 'delivery' });
    t.track('checkout_abandoned', { step: 'shipping' });
    expect(t.journey()?.stage).toBe('consideration');
  });

  it('fires parcours:stage on document when the stage changes, with the same object, and not otherwise', async () => {
    const heard: JourneyState[] = [];
    const listener = (e: Event) => heard.push((e as CustomEvent<JourneyState>).detail);
    document.addEventListener('parcours:stage', listener);
    let setPage!: Parameters<Part>[0]['setPage'];
    const grab: Part = (api) => void (setPage = api.setPage);
    const t = tracker({ parts: [sdk.journey(), grab] });
    setPage({ type: 'product' });
    t.track('product_viewed');
    t.track('scroll_depth', { percent: 50 });
    await Promise.resolve();
    setPage({ type: 'checkout', step: 'contact' });
    t.track('checkout_started');
    await Promise.resolve();
    document.removeEventListener('parcours:stage', listener);
    expect(heard.map((s) => s.stage)).toEqual(['consideration', 'purchase']);
    expect(heard[1]).toEqual(t.journey());
  });

  it('carries no personal data: only the five documented fields', () => {
    const t = tracker({ parts: [sdk.journey(), on({ type: 'account' })] });
    t.identify('customer-42', { email: 'jane@example.com' });
    go(landing + '&utm_term=jane&gclid=CLICK-VALUE');
    t.page();
    expect(t.journey()?.arrival).toEqual({ channel: 'ad', campaign: 'spring-sale' }); // the arrival was read
    expect(JSON.stringify(t.journey())).not.toMatch(/42|jane|gclid|CLICK|klaviyo/);
  });
});

describe('the types are the contract', () => {
  it('wants a number and a question; journey() may be null', async () => {
    const t = tracker();
    // @ts-expect-error the question is required
    t.feedback(5, {});
    // @ts-expect-error a score is a number
    t.feedback('5', { question: 'checkout' });
    const where: JourneyState | null = t.journey();
    expect(where).toBeNull();
    await t.flush();
    expect(events('feedback_given')).toHaveLength(0);
  });
});
