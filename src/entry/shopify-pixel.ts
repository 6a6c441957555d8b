/**
 * dist/parcours-shopify-pixel.js, pasted into Shopify's Settings → Customer events → Add custom pixel, followed by
 *
 *   parcoursPixel({ endpoint: 'https://collect.example.com/collect', site: 'my-shop' });
 *
 * It defines the global `parcoursPixel(options)`. Shopify gives custom pixels `analytics`, `browser`, `init` and
 * `customerPrivacy` as variables of the code's scope, and this file is pasted into that scope, so they are read
 * here by name (an app pixel passes its `register` callback's `api` as the second argument instead).
 */
import { parcoursPixel, type PixelOptions, type Sandbox } from '../bridges/shopifyPixel';

declare const analytics: Sandbox['analytics'];
declare const browser: Sandbox['browser'];
declare const init: Sandbox['init'];
declare const customerPrivacy: Sandbox['customerPrivacy'];
declare const api: Partial<Sandbox> | undefined;

// A name Shopify did not define is a ReferenceError: read as undefined.
const read = <T>(get: () => T): T | undefined => {
  try {
    return get();
  } catch {}
};

(globalThis as { parcoursPixel?: unknown }).parcoursPixel = (options: PixelOptions, sandbox?: Sandbox) =>
  parcoursPixel(
    options,
    sandbox || {
      analytics: read(() => analytics)!,
      browser: read(() => browser),
      init: read(() => init),
      customerPrivacy: read(() => customerPrivacy) || read(() => api?.customerPrivacy),
    },
  );
