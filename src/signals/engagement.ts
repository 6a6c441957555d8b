/** Engagement: how far a page was read, whether product media and reviews were looked at, and for how long. */
import type { PageType } from '../types';
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { all, listen } from '../lib/listen';

/** `scroll_depth` milestones, in percent of the page's height seen (the bottom of the viewport). */
export const SCROLL_MILESTONES = [25, 50, 75, 100];
/** Pages whose scroll depth is reported. */
export const SCROLL_PAGES: readonly PageType[] = ['product', 'content'];
/** A visible moment counts as active this long after an interaction (pointer, key, wheel, scroll). */
export const ACTIVE_MS = 5000;

/**
 * Product galleries: WooCommerce (FlexSlider), Shopify (Dawn's `media-gallery`), Magento (Fotorama), PrestaShop
 * (classic), and the shop's own `[data-parcours-gallery]`.
 */
export const GALLERY_SELECTOR =
  '[data-parcours-gallery],.woocommerce-product-gallery,media-gallery,.product__media-wrapper,.fotorama,.product-images,.product-cover';
/** What a gallery click did, from the classes between the clicked element and its gallery; first match wins. */
export const GALLERY_ACTIONS: readonly [RegExp, string][] = [
  [/next|\bright/, 'next'],
  [/prev|\bleft/, 'previous'],
  [/zoom|trigger|fullscreen|toggle|layer|modal/, 'zoom'],
  [/thumb|nav__frame/, 'thumbnail'],
  [/./, 'click'],
];
/** Review sections: the shop's marker, the themes' (WooCommerce tab, Shopify, Magento, PrestaShop) and common apps. */
export const REVIEWS_SELECTOR =
  '[data-parcours-reviews],#reviews,.product-reviews,#shopify-product-reviews,.spr-container,#product-review-container,' +
  '#product-comments-list-header,.jdgm-widget,.yotpo-main-widget,.okeReviews';

/**
 * - `scroll_depth` `{ percent }` on product and content pages when the viewport's bottom first reaches 25, 50, 75
 *   and 100 % of the page, on scroll only (a page that fits the screen reports nothing), once each per page view.
 * - `media_interaction` `{ kind: 'gallery' | 'video', action }` on product pages: gallery `next`, `previous`,
 *   `zoom`, `thumbnail` (told apart by the controls' class names) or `click`; video `play` started by the
 *   customer (not autoplay). Once per kind and action per page view.
 * - `reviews_seen` once per product page view, when a review section enters the upper 80 % of the viewport
 *   (hidden tabs do not count until opened; widgets rendered late are looked for again while scrolling).
 * - `engagement` `{ active_ms, visible_ms, page_type }` when the page is hidden and when a single-page app changes
 *   route, for the time since the last report: `visible_ms` the page was visible, `active_ms` of it within 5 s after
 *   an interaction. Computed from event times: no timer runs, visible or hidden.
 */
export const engagement = (): Part => (api) => {
  let reached = 0;
  let media: string[] = [];
  let reviews: Element | null | undefined;
  let seen = false;
  let frame = 0;
  let shown = document.visibilityState == 'visible' ? Date.now() : 0; // since when visible, 0 while hidden
  let mark = shown; // active time is counted up to here
  let until = 0; // the last interaction's active window ends here
  let visibleMs = 0;
  let activeMs = 0;

  const isPage = (...types: PageType[]) => types.includes(api.page().type);
  const credit = (now: number) => {
    activeMs += Math.max(0, Math.min(now, until) - mark);
    mark = now;
  };
  const report = (type: PageType) => {
    const now = Date.now();
    if (shown) {
      credit(now);
      visibleMs += now - shown;
      shown = now;
    }
    if (visibleMs) api.track('engagement', { active_ms: activeMs, visible_ms: visibleMs, page_type: type });
    visibleMs = activeMs = 0;
  };
  const intersection = (globalThis.IntersectionObserver &&
    new IntersectionObserver(
      guard((entries: IntersectionObserverEntry[]) => {
        if (seen || !entries.some((e) => e.isIntersecting)) return;
        seen = true;
        intersection!.disconnect();
        api.track('reviews_seen');
      }, api.log),
      { rootMargin: '0px 0px -20% 0px' },
    )) as IntersectionObserver | undefined;
  const lookForReviews = () => {
    const el = !seen && isPage('product') && document.querySelector(REVIEWS_SELECTOR);
    if (el && el != reviews) {
      intersection?.disconnect();
      intersection?.observe((reviews = el));
    }
  };
  const measure = guard(() => {
    frame = 0;
    lookForReviews();
    if (!isPage(...SCROLL_PAGES)) return;
    const percent = (100 * (scrollY + innerHeight + 1)) / document.documentElement.scrollHeight; // 1 px: sub-pixel scrolling
    for (; reached < SCROLL_MILESTONES.length && percent >= SCROLL_MILESTONES[reached]; reached++)
      api.track('scroll_depth', { percent: SCROLL_MILESTONES[reached] });
  }, api.log);
  const interact = () => {
    const now = Date.now();
    if (!shown) return;
    credit(now);
    until = now + ACTIVE_MS;
  };
  const mediaEvent = (kind: string, action: string) => {
    if (!isPage('product') || media.includes(kind + action)) return;
    media.push(kind + action);
    api.track('media_interaction', { kind, action });
  };

  api.onPage((_, previous) => {
    report(previous.type);
    reached = 0;
    media = [];
    seen = false;
    reviews = null;
    intersection?.disconnect();
    lookForReviews();
  });
  api.onHide(() => {
    report(api.page().type);
    shown = 0;
  });
  lookForReviews();
  return all(
    listen(window, 'scroll', () => frame || (frame = requestAnimationFrame(measure)), api.log, false),
    listen(document, 'pointerdown pointermove keydown wheel scroll', interact, api.log),
    listen(document, 'visibilitychange', () => {
      if (document.visibilityState == 'visible' && !shown) mark = shown = Date.now();
    }, api.log),
    listen(document, 'click', (e: MouseEvent) => {
      const gallery = (e.target as Element).closest?.(GALLERY_SELECTOR);
      if (!gallery) return;
      let classes = ' ';
      for (let el = e.target as Element | null; el && el != gallery; el = el.parentElement) classes += (el.getAttribute('class') || '') + ' ';
      mediaEvent('gallery', GALLERY_ACTIONS.find(([re]) => re.test(classes))![1]);
    }, api.log),
    // `play` does not bubble; autoplay (no recent user gesture, where the browser tells) is not an interaction.
    listen(document, 'play', (e: Event) => {
      if ((e.target as Element).localName == 'video' && (navigator as { userActivation?: { isActive: boolean } }).userActivation?.isActive != false) mediaEvent('video', 'play');
    }, api.log),
    () => {
      cancelAnimationFrame(frame);
      intersection?.disconnect();
    },
  );
};
