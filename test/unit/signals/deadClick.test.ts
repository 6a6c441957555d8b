import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEAD_CLICK_MS, deadClick } from '../../../src/signals/deadClick';
import { click, fakeTracker } from '../support/fakeTracker';

describe(`dead click: a clickable element with no effect within ${DEAD_CLICK_MS} ms`, () => {
  let t: ReturnType<typeof fakeTracker>;
  let stop: () => void;
  const $ = (s: string) => document.querySelector(s)!;
  // MutationObserver records are delivered in a microtask: let them arrive before time runs out.
  const settle = async () => {
    await Promise.resolve();
    await vi.advanceTimersByTimeAsync(DEAD_CLICK_MS + 1);
  };
  beforeEach(() => {
    vi.useFakeTimers();
    history.replaceState(null, '', '/products/shoe');
    document.body.innerHTML = `
      <div class="product-form">
        <button class="add-to-cart" type="button">Add</button>
        <button class="wishlist" type="button">♥</button>
        <div class="swatch" style="cursor: pointer">Red</div>
        <p class="description">Plain text</p>
        <a class="size-guide" href="#">Size guide</a>
        <a class="reviews-link" href="/products/shoe/reviews">Reviews</a>
        <label class="broken" for="missing">Gift wrap</label>
        <label class="terms"><input type="checkbox" name="terms"> I agree</label>
      </div>`;
    t = fakeTracker();
    stop = t.start(deadClick());
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('reports a button that does nothing', async () => {
    click($('.add-to-cart'));
    await settle();
    expect(t.of('dead_click')).toEqual([{ selector: 'div.product-form > button.add-to-cart' }]);
  });

  it('does not report a button whose click changes the page', async () => {
    $('.add-to-cart').addEventListener('click', () => $('.product-form').append(document.createElement('span')));
    $('.wishlist').addEventListener('click', (e) => (e.currentTarget as Element).setAttribute('aria-pressed', 'true'));
    click($('.add-to-cart'));
    await settle();
    click($('.wishlist'));
    await settle();
    expect(t.of('dead_click')).toEqual([]);
  });

  it('does not report a DOM change that comes late but within the window', async () => {
    $('.add-to-cart').addEventListener('click', () => setTimeout(() => ($('.description').textContent = 'Added'), DEAD_CLICK_MS - 100));
    click($('.add-to-cart'));
    await settle();
    expect(t.of('dead_click')).toEqual([]);
  });

  it('does not report a click that navigates in a single-page app (URL change)', async () => {
    $('.add-to-cart').addEventListener('click', () => history.pushState(null, '', '/cart'));
    click($('.add-to-cart'));
    await settle();
    expect(t.of('dead_click')).toEqual([]);
  });

  it('reports an element styled cursor: pointer that does nothing', async () => {
    click($('.swatch'));
    await settle();
    expect(t.of('dead_click')).toEqual([{ selector: 'div.product-form > div.swatch' }]);
  });

  it('ignores clicks on things that do not look clickable', async () => {
    click($('.description'));
    await settle();
    expect(t.of('dead_click')).toEqual([]);
  });

  it('never reports a link with a real href (the browser navigates), but does a "#" link the page ignores', async () => {
    $('.reviews-link').addEventListener('click', () => {}); // no preventDefault: navigation is the browser's
    click($('.reviews-link'));
    await settle();
    $('.size-guide').addEventListener('click', (e) => e.preventDefault());
    click($('.size-guide'));
    await settle();
    expect(t.of('dead_click')).toEqual([{ selector: 'div.product-form > a.size-guide' }]);
  });

  it('reports a label that controls nothing, not one that toggles its checkbox', async () => {
    click($('.terms'));
    await settle();
    click($('.broken'));
    await settle();
    expect(t.of('dead_click')).toEqual([{ selector: 'div.product-form > label.broken' }]);
  });

  it('watches one click at a time: a burst on a dead button is one dead click', async () => {
    for (let i = 0; i < 4; i++) {
      click($('.add-to-cart'));
      await vi.advanceTimersByTimeAsync(100);
    }
    await settle();
    expect(t.of('dead_click')).toHaveLength(1);
  });

  it('leaves no observer behind: DOM changes after the window do not matter', async () => {
    click($('.add-to-cart'));
    await settle();
    $('.product-form').append(document.createElement('span'));
    await settle();
    expect(t.of('dead_click')).toHaveLength(1);
  });

  it('stops on teardown, even in the middle of a window', async () => {
    click($('.add-to-cart'));
    stop();
    await settle();
    click($('.add-to-cart'));
    await settle();
    expect(t.events).toEqual([]);
  });
});
