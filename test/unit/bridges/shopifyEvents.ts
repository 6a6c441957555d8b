/**
 * Shopify Web Pixels standard events, written from Shopify's documented schemas (shopify.dev, Web Pixels API →
 * Standard events: `PixelEventsCheckoutCompleted`, `Checkout`, `CheckoutLineItem`, `ProductVariant`, `CartLine`,
 * `AlertDisplayed`, …), with the customer's personal data a real checkout carries (email, phone, addresses), so
 * tests can show none of it leaves. Used by the unit tests and by the real-browser harness page.
 */

export const CLIENT_ID = 'c7a1e5f2-9d3b-4c8e-a6f0-2b1d4e8c9a70';
export const SHOP = 'https://atelier-lune.example';
const TOKEN = 'Z2NwLWV1cm9wZS13ZXN0MTowMUhYUDI5WjY';
export const CHECKOUT_URL = `${SHOP}/checkouts/cn/${TOKEN}/information`;
export const THANK_YOU_URL = `${SHOP}/checkouts/cn/${TOKEN}/thank-you`;

const money = (amount: number, currencyCode = 'EUR') => ({ amount, currencyCode });

const apron = {
  id: '45737128657113',
  title: 'Natural',
  untranslatedTitle: 'Natural',
  sku: 'AP-1-NAT',
  price: money(24.5),
  image: { src: 'https://cdn.shopify.com/s/files/apron.jpg' },
  product: { id: '8950526378201', title: 'Linen apron', untranslatedTitle: 'Linen apron', vendor: 'Atelier Lune', type: 'Kitchen', url: '/products/linen-apron' },
};
const mug = {
  id: 'gid://shopify/ProductVariant/45737128690001',
  title: 'Tide',
  sku: 'MUG-TIDE',
  price: money(18),
  product: { id: 'gid://shopify/Product/8950526390000', title: 'Tide mug', vendor: 'Atelier Lune', type: 'Tableware', url: '/products/tide-mug' },
};

const address = { address1: '12 rue des Lilas', address2: null, city: 'Lyon', country: 'France', countryCode: 'FR', firstName: 'Jeanne', lastName: 'Martin', phone: '+33 6 12 34 56 78', province: null, provinceCode: null, zip: '69003' };

/** The checkout as Shopify sends it with checkout events; `order` is null until `checkout_completed`. */
const checkout = (completed = false) => ({
  attributes: [],
  billingAddress: completed ? address : null,
  buyerAcceptsEmailMarketing: false,
  buyerAcceptsSmsMarketing: false,
  currencyCode: 'EUR',
  delivery: null,
  discountApplications: [
    { allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'LINE_ITEM', title: 'MAY10', type: 'DISCOUNT_CODE', value: { percentage: 10 } },
    { allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'SHIPPING_LINE', title: 'Free shipping over 50', type: 'AUTOMATIC', value: money(0) },
  ],
  discountsAmount: money(6.7),
  email: 'jeanne.martin@example.com',
  phone: '+33612345678',
  lineItems: [
    { id: 'li-1', quantity: 2, title: 'Linen apron', variant: apron, finalLinePrice: money(44.1), discountAllocations: [], properties: [], sellingPlanAllocation: null },
    { id: 'li-2', quantity: 1, title: 'Tide mug', variant: mug, finalLinePrice: money(16.2), discountAllocations: [], properties: [], sellingPlanAllocation: null },
  ],
  localization: { country: { isoCode: 'FR' }, language: { isoCode: 'fr' }, market: { id: 'gid://shopify/Market/1', handle: 'fr' } },
  order: completed ? { id: 'gid://shopify/Order/5843191234567', customer: { id: 'gid://shopify/Customer/7001', isFirstOrder: true } } : null,
  shippingAddress: completed ? address : null,
  shippingLine: completed ? { price: money(5.9) } : null,
  smsMarketingPhone: null,
  subtotalPrice: money(60.3),
  token: TOKEN,
  totalPrice: money(66.2),
  totalTax: money(11.03),
  transactions: completed ? [{ amount: money(66.2), gateway: 'shopify_payments', paymentMethod: { name: 'Visa', type: 'creditCard' } }] : [],
});

/** A standard event as `analytics.subscribe` callbacks receive it. */
export type ShopifyEvent = { id: string; clientId: string; name: string; seq: number; timestamp: string; type: 'standard'; context: object; data: object };

let seq = 0;
const T0 = Date.parse('2025-05-12T09:30:00.000Z');
export const event = (name: string, data: object, href = CHECKOUT_URL, title = 'Information – Atelier Lune – Checkout'): ShopifyEvent => {
  seq++;
  const url = new URL(href);
  return {
    id: 'sh-' + seq.toString(16).padStart(8, '0') + '-a1b2-4c3d-9e8f-00112233aabb',
    clientId: CLIENT_ID,
    name,
    seq,
    timestamp: new Date(T0 + seq * 1000).toISOString(),
    type: 'standard',
    context: {
      document: { characterSet: 'UTF-8', location: { hash: '', host: url.host, hostname: url.hostname, href, origin: url.origin, pathname: url.pathname, port: '', protocol: 'https:', search: '' }, referrer: `${SHOP}/cart`, title },
      navigator: { cookieEnabled: true, language: 'fr-FR', languages: ['fr-FR', 'fr'], userAgent: 'Mozilla/5.0' },
      window: { innerHeight: 900, innerWidth: 1440, location: { href }, origin: url.origin, screen: { height: 1080, width: 1920 }, screenX: 0, screenY: 0, scrollX: 0, scrollY: 0 },
    },
    data,
  };
};

/** Started, contact, address, shipping method, payment, then the thank-you page and the order. */
export const fullCheckout = (): ShopifyEvent[] => [
  event('page_viewed', {}),
  event('checkout_started', { checkout: checkout() }),
  event('checkout_contact_info_submitted', { checkout: checkout() }),
  event('checkout_address_info_submitted', { checkout: { ...checkout(), shippingAddress: address } }),
  event('checkout_shipping_info_submitted', { checkout: { ...checkout(), shippingAddress: address, shippingLine: { price: money(5.9) } } }),
  event('payment_info_submitted', { checkout: { ...checkout(), shippingAddress: address, shippingLine: { price: money(5.9) } } }),
  event('page_viewed', {}, THANK_YOU_URL, 'Thank you – Atelier Lune'),
  event('checkout_completed', { checkout: checkout(true) }, THANK_YOU_URL, 'Thank you – Atelier Lune'),
];

/** Started, contact, a required field left empty, a declined card: no order. */
export const abandonedCheckout = (): ShopifyEvent[] => [
  event('page_viewed', {}),
  event('checkout_started', { checkout: checkout() }),
  event('checkout_contact_info_submitted', { checkout: checkout() }),
  event('alert_displayed', { alert: { type: 'INPUT_REQUIRED', target: 'cart.deliveryGroups[0].deliveryAddress.zip', message: 'Enter a ZIP / postal code', value: '' } }),
  event('checkout_address_info_submitted', { checkout: { ...checkout(), shippingAddress: address } }),
  event('alert_displayed', { alert: { type: 'PAYMENT_ERROR', target: 'payment', message: 'Your card was declined, Jeanne. Card ending 4242.', value: null } }),
];

/** Storefront events (the pixel also runs on theme pages). */
export const storefront = (): ShopifyEvent[] => [
  event('page_viewed', {}, `${SHOP}/collections/kitchen`, 'Kitchen'),
  event('collection_viewed', { collection: { id: '4410', title: 'Kitchen', productVariants: [apron, mug] } }, `${SHOP}/collections/kitchen`, 'Kitchen'),
  event('search_submitted', { searchResult: { query: 'linen', productVariants: [apron] } }, `${SHOP}/search?q=linen`, 'Search'),
  event('product_viewed', { productVariant: apron }, `${SHOP}/products/linen-apron`, 'Linen apron'),
  event('product_added_to_cart', { cartLine: { cost: { totalAmount: money(49) }, merchandise: apron, quantity: 2 } }, `${SHOP}/products/linen-apron`, 'Linen apron'),
  event('cart_viewed', { cart: { id: 'c1', cost: { totalAmount: money(67) }, lines: [{ cost: { totalAmount: money(49) }, merchandise: apron, quantity: 2 }, { cost: { totalAmount: money(18) }, merchandise: mug, quantity: 1 }], totalQuantity: 3 } }, `${SHOP}/cart`, 'Cart'),
  event('product_removed_from_cart', { cartLine: { cost: { totalAmount: money(18) }, merchandise: mug, quantity: 1 } }, `${SHOP}/cart`, 'Cart'),
];

/** What parcours makes of the two line items. */
export const APRON = { id: '8950526378201', sku: 'AP-1-NAT', name: 'Linen apron', brand: 'Atelier Lune', variant: '45737128657113', price: 24.5, currency: 'EUR', category: 'Kitchen' };
export const MUG = { id: '8950526390000', sku: 'MUG-TIDE', name: 'Tide mug', brand: 'Atelier Lune', variant: '45737128690001', price: 18, currency: 'EUR', category: 'Tableware' };

/** Personal data in the payloads above that must never reach the collector. */
export const PERSONAL = ['jeanne.martin@example.com', '+33612345678', '12 rue des Lilas', 'Martin', '69003', 'declined', '4242'];
