import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_JS_ERRORS, jsErrors, scrub } from '../../../src/signals/jsErrors';
import { detected, fakeTracker } from '../support/fakeTracker';

const error = (message: string, filename = 'https://shop.example/assets/theme.js?v=123#x', lineno = 12, colno = 34) =>
  window.dispatchEvent(new ErrorEvent('error', { message, filename, lineno, colno }));
const rejection = (reason: unknown) => {
  const event = new Event('unhandledrejection') as Event & { reason: unknown };
  event.reason = reason;
  window.dispatchEvent(event);
};

describe('js_error reports uncaught errors and rejections, scrubbed and rate limited', () => {
  let t: ReturnType<typeof fakeTracker>;
  let stop: () => void;
  beforeEach(() => {
    t = fakeTracker(detected('checkout', 'payment'));
    stop = t.start(jsErrors());
  });
  afterEach(() => stop());

  it('reports message, script URL without query or hash, line and column', () => {
    error("TypeError: Cannot read properties of undefined (reading 'price')");
    expect(t.of('js_error')).toEqual([
      { message: "TypeError: Cannot read properties of undefined (reading 'price')", source: 'https://shop.example/assets/theme.js', line: 12, column: 34 },
    ]);
  });

  it('reports unhandled rejections without a location', () => {
    rejection(new TypeError('Failed to fetch'));
    rejection('payment widget timeout');
    expect(t.of('js_error')).toEqual([
      { message: 'TypeError: Failed to fetch', source: '', line: 0, column: 0 },
      { message: 'payment widget timeout', source: '', line: 0, column: 0 },
    ]);
  });

  it('redacts emails, phone and card numbers, and cuts query strings from messages', () => {
    error('Invalid customer jane.doe+shop@example.co.uk (+33 6 12 34 56 78) card 4111 1111 1111 1111 at https://pay.example/cb?token=sk_live_abc');
    const [{ message }] = t.of('js_error');
    expect(message).toBe('Invalid customer [email] ([phone]) card [card] at https://pay.example/cb?[query]');
  });

  it('keeps numbers that explain the error', () => {
    expect(scrub('Request failed with status code 404 after 3 retries (order 1001)')).toBe('Request failed with status code 404 after 3 retries (order 1001)');
  });

  it('keeps cross-origin "Script error." (no details), once per page view', () => {
    error('Script error.', '', 0, 0);
    error('Script error.', '', 0, 0);
    expect(t.of('js_error')).toEqual([{ message: 'Script error.', source: '', line: 0, column: 0 }]);
  });

  it(`reports each message once and ${MAX_JS_ERRORS} per page view at most; a new page view starts over`, () => {
    for (let i = 0; i < 3; i++) error('same');
    for (let i = 0; i < 20; i++) error('error number ' + i);
    expect(t.of('js_error')).toHaveLength(MAX_JS_ERRORS);
    expect(t.of('js_error').filter((p) => p.message == 'same')).toHaveLength(1);
    t.navigate(detected('order_confirmation'));
    error('same');
    expect(t.of('js_error')).toHaveLength(MAX_JS_ERRORS + 1);
  });

  it("ignores errors thrown from parcours' own script", () => {
    error('oops', 'https://cdn.example/parcours.min.js');
    expect(t.of('js_error')).toEqual([]);
  });

  it('ignores resource load errors (an image that failed is not a script error)', () => {
    const img = document.createElement('img');
    document.body.append(img);
    img.dispatchEvent(new Event('error'));
    img.remove();
    expect(t.of('js_error')).toEqual([]);
  });
});
