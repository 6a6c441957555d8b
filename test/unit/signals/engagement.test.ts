import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIVE_MS, SCROLL_MILESTONES, engagement } from '../../../src/signals/engagement';
import { click, detected, fakeTracker } from '../support/fakeTracker';

// happy-dom has no layout: the page's height, the scroll position and visibility are set by the tests.
let visibility: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
const setVisibility = (v: DocumentVisibilityState) => {
  visibility = v;
  document.dispatchEvent(new Event('visibilitychange'));
};

/** An IntersectionObserver the test drives: `fire(true)` says every observed element entered the viewport. */
class FakeIntersections {
  static all: FakeIntersections[] = [];
  observed: Element[] = [];
  constructor(private cb: IntersectionObserverCallback) {
    FakeIntersections.all.push(this);
  }
  observe(el: Element) {
    this.observed.push(el);
  }
  disconnect() {
    this.observed = [];
  }
  static fire(isIntersecting: boolean) {
    for (const io of FakeIntersections.all)
      if (io.observed.length) io.cb(io.observed.map((target) => ({ target, isIntersecting }) as IntersectionObserverEntry), io as never);
  }
}

describe('engagement', () => {
  let t: ReturnType<typeof fakeTracker>;
  let stop: () => void;
  const start = (page = detected('product')) => {
    t = fakeTracker(page);
    stop = t.start(engagement());
  };
  beforeEach(() => {
    vi.useFakeTimers();
    visibility = 'visible';
    FakeIntersections.all = [];
    vi.stubGlobal('IntersectionObserver', FakeIntersections);
    document.body.innerHTML = '';
  });
  afterEach(() => {
    stop();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  describe('scroll_depth', () => {
    const scrollTo = (y: number, height = 4000) => {
      Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: height });
      Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 });
      Object.defineProperty(window, 'scrollY', { configurable: true, value: y });
      window.dispatchEvent(new Event('scroll'));
      vi.advanceTimersByTime(20); // the next animation frame
    };
    const percents = () => t.of('scroll_depth').map((p) => p.percent);

    it(`reports the milestones ${SCROLL_MILESTONES.join(', ')} once each, in order, passed ones included`, () => {
      start();
      scrollTo(0); // 25 % seen
      scrollTo(2200); // 80 %: 50 and 75 passed
      scrollTo(500);
      scrollTo(2200);
      scrollTo(2999.5); // the bottom, with sub-pixel scrolling
      scrollTo(3000);
      expect(percents()).toEqual([25, 50, 75, 100]);
    });

    it('measures once per animation frame, however many scroll events', () => {
      start();
      Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 4000 });
      Object.defineProperty(window, 'scrollY', { configurable: true, value: 0 });
      for (let i = 0; i < 50; i++) window.dispatchEvent(new Event('scroll'));
      Object.defineProperty(window, 'scrollY', { configurable: true, value: 3000 });
      vi.advanceTimersByTime(20);
      expect(percents()).toEqual([25, 50, 75, 100]);
    });

    it('starts over on a new page view, and only on product and content pages', () => {
      start(detected('content'));
      scrollTo(1000);
      t.navigate(detected('collection'));
      scrollTo(3000);
      t.navigate(detected('product'));
      scrollTo(1000);
      expect(percents()).toEqual([25, 50, 25, 50]);
    });
  });

  describe('media_interaction', () => {
    beforeEach(() => {
      document.body.innerHTML = `
        <div class="woocommerce-product-gallery">
          <a class="woocommerce-product-gallery__trigger" href="#">🔍</a>
          <ol class="flex-control-thumbs"><li><img src="a.jpg"></li><li><img src="b.jpg"></li></ol>
          <ul class="flex-direction-nav"><li><a class="flex-prev" href="#">Prev</a></li><li><a class="flex-next" href="#">Next</a></li></ul>
        </div>
        <div data-parcours-gallery><button class="arrow--next">›</button><img src="c.jpg"></div>
        <video src="demo.mp4"></video><video class="hero" src="loop.mp4" autoplay muted></video>`;
    });
    const actions = () => t.of('media_interaction').map((p) => `${p.kind}:${p.action}`);

    it('reports gallery thumbnails, arrows, zoom and other gallery clicks, once per action', () => {
      start();
      click(document.querySelector('.flex-control-thumbs img')!);
      click(document.querySelectorAll('.flex-control-thumbs img')[1]);
      click(document.querySelector('.flex-next')!);
      click(document.querySelector('.flex-prev')!);
      click(document.querySelector('.woocommerce-product-gallery__trigger')!);
      click(document.querySelector('.arrow--next')!);
      click(document.querySelector('[data-parcours-gallery] img')!);
      expect(actions()).toEqual(['gallery:thumbnail', 'gallery:next', 'gallery:previous', 'gallery:zoom', 'gallery:click']);
    });

    it.each([
      ['Shopify Dawn', '<media-gallery><ul class="thumbnail-list"><li class="thumbnail-list__item"><button class="thumbnail"><img></button></li></ul><button class="slider-button slider-button--next"><svg></svg></button><button class="product__media-toggle">Open</button></media-gallery>'],
      ['Magento Fotorama', '<div class="fotorama"><div class="fotorama__nav__frame fotorama__nav__frame--thumb"><img></div><div class="fotorama__arr fotorama__arr--next"></div><div class="fotorama__fullscreen-icon"></div></div>'],
      ['PrestaShop classic', '<div class="images-container"><div class="product-cover"><img><div class="layer"><i>zoom_in</i></div></div><div class="product-images"><img class="thumb js-thumb"><div class="scroll-box-arrows"><i class="material-icons right">></i></div></div></div>'],
    ])('tells thumbnails, arrows and zoom apart in %s', (_, html) => {
      document.body.innerHTML = html;
      start();
      for (const s of ['.thumbnail img,.fotorama__nav__frame img,.js-thumb', '[class*=next],.right', '.product__media-toggle,.fotorama__fullscreen-icon,.layer i']) click(document.querySelector(s)!);
      expect(actions()).toEqual(['gallery:thumbnail', 'gallery:next', 'gallery:zoom']);
    });

    it('reports a video the customer plays, not one that autoplays', () => {
      start();
      vi.stubGlobal('navigator', { ...navigator, userActivation: { isActive: false } });
      document.querySelector('.hero')!.dispatchEvent(new Event('play'));
      vi.stubGlobal('navigator', { ...navigator, userActivation: { isActive: true } });
      document.querySelector('video')!.dispatchEvent(new Event('play'));
      expect(actions()).toEqual(['video:play']);
    });

    it('is for product pages only', () => {
      start(detected('home'));
      click(document.querySelector('.flex-next')!);
      expect(actions()).toEqual([]);
    });
  });

  describe('reviews_seen', () => {
    it('fires once when the review section enters the viewport', () => {
      document.body.innerHTML = '<div id="reviews"><h2>Reviews</h2></div>';
      start();
      FakeIntersections.fire(false);
      expect(t.of('reviews_seen')).toEqual([]);
      FakeIntersections.fire(true);
      FakeIntersections.fire(true);
      expect(t.of('reviews_seen')).toEqual([{}]);
    });

    it('finds a review widget rendered after the page, when the customer scrolls', () => {
      start();
      FakeIntersections.fire(true);
      document.body.innerHTML = '<div class="jdgm-widget">★★★★☆</div>';
      window.dispatchEvent(new Event('scroll'));
      vi.advanceTimersByTime(20);
      FakeIntersections.fire(true);
      expect(t.of('reviews_seen')).toEqual([{}]);
    });

    it('is for product pages only', () => {
      document.body.innerHTML = '<div id="reviews"></div>';
      start(detected('home'));
      FakeIntersections.fire(true);
      expect(t.of('reviews_seen')).toEqual([]);
    });
  });

  describe('engagement: active and visible time', () => {
    const interact = (type = 'pointerdown') => document.dispatchEvent(new Event(type));

    it(`counts visible time, and as active the ${ACTIVE_MS / 1000} s after each interaction`, () => {
      start();
      vi.advanceTimersByTime(1000);
      interact(); // active 1 s → 3 s (cut by the next interaction)
      vi.advanceTimersByTime(2000);
      interact('keydown'); // active 3 s → 8 s
      vi.advanceTimersByTime(17_000);
      setVisibility('hidden');
      t.hide(false);
      expect(t.of('engagement')).toEqual([{ active_ms: 7000, visible_ms: 20_000, page_type: 'product' }]);
    });

    it('counts nothing while hidden, and reports each visible stretch once', () => {
      start();
      vi.advanceTimersByTime(4000);
      setVisibility('hidden');
      t.hide(false);
      vi.advanceTimersByTime(60_000);
      setVisibility('visible');
      vi.advanceTimersByTime(1000);
      interact();
      vi.advanceTimersByTime(9000);
      setVisibility('hidden');
      t.hide(false);
      t.hide(true); // pagehide after visibilitychange: nothing new
      expect(t.of('engagement')).toEqual([
        { active_ms: 0, visible_ms: 4000, page_type: 'product' },
        { active_ms: ACTIVE_MS, visible_ms: 10_000, page_type: 'product' },
      ]);
    });

    it('runs no timer, visible or hidden', () => {
      start();
      interact();
      expect(vi.getTimerCount()).toBe(0);
      setVisibility('hidden');
      t.hide(false);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('reports the time of a single-page app route when the route changes, tagged with that route', () => {
      start(detected('product'));
      interact();
      vi.advanceTimersByTime(3000);
      t.navigate(detected('cart'));
      vi.advanceTimersByTime(4000); // the last interaction's window goes on into the cart
      setVisibility('hidden');
      t.hide(false);
      expect(t.of('engagement')).toEqual([
        { active_ms: 3000, visible_ms: 3000, page_type: 'product' },
        { active_ms: 2000, visible_ms: 4000, page_type: 'cart' },
      ]);
    });
  });
});
