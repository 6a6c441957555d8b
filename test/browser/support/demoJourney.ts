import type { StoredEvent } from './collector';

/**
 * The demo shop's journey as one line per event (type, page type, stage, touchpoint, checkout step), signals left
 * out: what the shop and engine tests compare with {@link DEMO_SHOP_ORDER}.
 */
export const journeyLines = (events: StoredEvent[]) =>
  events
    .filter((e) => !['web_vital', 'engagement', 'scroll_depth', 'reviews_seen'].includes(e.type))
    .map((e) => [e.type, e.pageType, e.stage, e.touchpoint, (e.properties.step as string) ?? ''].join(' '));

/** From an ad click on the home page to the order confirmation, through every checkout step. */
export const DEMO_SHOP_ORDER = [
  'page_viewed home awareness ad ',
  'page_viewed collection consideration collection ',
  'product_list_viewed collection consideration collection ',
  'page_viewed product consideration product_page ',
  'product_viewed product consideration product_page ',
  'product_added_to_cart product purchase cart ',
  'page_viewed cart purchase cart ',
  'cart_viewed cart purchase cart ',
  'page_viewed checkout purchase checkout ',
  'checkout_started checkout purchase checkout contact',
  'checkout_step_viewed checkout purchase checkout contact',
  'page_viewed checkout purchase checkout ',
  'checkout_step_completed checkout purchase checkout contact',
  'checkout_step_viewed checkout purchase checkout shipping',
  'page_viewed checkout purchase payment ',
  'checkout_step_completed checkout purchase checkout shipping',
  'checkout_step_viewed checkout purchase payment payment',
  'payment_info_submitted checkout purchase payment payment',
  'page_viewed order_confirmation purchase order_confirmation ',
  'checkout_step_completed order_confirmation purchase payment payment',
  'order_completed order_confirmation purchase order_confirmation ',
];
