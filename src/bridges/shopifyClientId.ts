/**
 * Shopify themes: Shopify's own visitor id on `page_viewed` as `properties.shopify_client_id`. It is the
 * `clientId` Shopify gives Web Pixels, which the checkout pixel (src/bridges/shopifyPixel.ts) sends with every
 * checkout event, so the collector can join a storefront visitor to their checkout and order.
 */
import type { Part } from '../tracker';

// Shopify's ids are UUID-like tokens; anything else is not one of them.
const ID = /^[\w-]{8,100}$/;

/** Shopify's visitor id on this page: `ShopifyAnalytics`' `uniqToken`, else the `_shopify_y` cookie. */
export const readShopifyClientId = (): string | undefined => {
  let id: unknown;
  try {
    id = (window as any).ShopifyAnalytics.lib.user().traits().uniqToken;
  } catch {}
  // The shop's own first-party analytics cookie, read on its own site.
  if (!(typeof id == 'string' && ID.test(id))) id = /(?:^|;\s*)_shopify_y=([^;]*)/.exec(document.cookie)?.[1];
  return typeof id == 'string' && ID.test(id) ? id : undefined;
};

/**
 * Adds `shopify_client_id` to `page_viewed`. Consent is the tracker's: nothing is read for an event that is not
 * recorded (`denied`), a `pending` event leaves only once consent is `granted`, and anonymous mode (or Global
 * Privacy Control, by default) sends no persistent identifier at all, Shopify's included.
 */
export const shopifyClientId = (): Part => (api) => {
  api.enrich((event) => {
    if (event.type != 'page_viewed' || event.anonymousId == null) return;
    const id = readShopifyClientId();
    if (id) event.properties.shopify_client_id = id;
  });
};
