import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RAGE_CLICKS, RAGE_RADIUS_PX, RAGE_WINDOW_MS, rageClick } from '../../../src/signals/rageClick';
import { click, fakeTracker } from '../support/fakeTracker';

describe(`rage click: ${RAGE_CLICKS}+ clicks within ${RAGE_WINDOW_MS} ms within ${RAGE_RADIUS_PX} px`, () => {
  let t: ReturnType<typeof fakeTracker>;
  let stop: () => void;
  let button: Element;
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = '<form id="cart"><button class="checkout-button"><span>Checkout</span></button></form><p>text</p>';
    button = document.querySelector('button')!;
    t = fakeTracker();
    stop = t.start(rageClick());
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });
  const clicks = (n: number, gapMs: number, dx = 0, el = button) => {
    for (let i = 0; i < n; i++) {
      if (i) vi.advanceTimersByTime(gapMs);
      click(el, 100 + i * dx, 100);
    }
    vi.advanceTimersByTime(RAGE_WINDOW_MS + 1);
  };

  it('2 quick clicks are not rage', () => {
    clicks(2, 100);
    expect(t.of('rage_click')).toEqual([]);
  });

  it('3 quick clicks on the same spot are one rage click, named by the clickable element', () => {
    clicks(3, 100);
    expect(t.of('rage_click')).toEqual([{ clicks: 3, selector: 'form#cart > button.checkout-button' }]);
  });

  it('counts every click of the burst, in one event', () => {
    clicks(7, 150);
    expect(t.of('rage_click')).toEqual([{ clicks: 7, selector: 'form#cart > button.checkout-button' }]);
  });

  it('3 clicks spread over more than 1 s are not rage', () => {
    clicks(3, 600); // 1,200 ms from first to last
    expect(t.of('rage_click')).toEqual([]);
  });

  it('3 clicks more than 30 px apart are not rage', () => {
    clicks(3, 100, RAGE_RADIUS_PX + 1);
    expect(t.of('rage_click')).toEqual([]);
  });

  it('two bursts separated by a pause are two rage clicks', () => {
    clicks(3, 100);
    vi.advanceTimersByTime(2000);
    clicks(4, 100);
    expect(t.of('rage_click').map((p) => p.clicks)).toEqual([3, 4]);
  });

  it('a burst still going when the page is hidden is sent then', () => {
    for (let i = 0; i < 4; i++) click(button, 100, 100);
    t.hide(true);
    expect(t.of('rage_click')).toEqual([{ clicks: 4, selector: 'form#cart > button.checkout-button' }]);
  });

  it('a triple click that selects text is not rage', () => {
    const p = document.querySelector('p')!;
    for (let i = 0; i < 3; i++) click(p, 5, 5);
    getSelection()!.selectAllChildren(p);
    vi.advanceTimersByTime(RAGE_WINDOW_MS + 1);
    expect(t.of('rage_click')).toEqual([]);
    getSelection()!.removeAllRanges();
  });

  it('stops listening on teardown', () => {
    stop();
    clicks(5, 50);
    expect(t.events).toEqual([]);
  });
});
