// @ts-check
/**
 * A synthetic shop, weeks of it, written through the collector's own write path (`insertEvents`), so the journey
 * map has something to draw:
 *
 *   node examples/collector/seed.mjs --events 100000 --db ./demo.db --site demo [--seed 1] [--days 28] [--end 2025-06-30]
 *
 * Sessions arrive from ads, social, search, email, referrals and direct visits, browse, fill carts, leave at each
 * checkout step (saying which field they touched last), order, come back as customers, ask support, write
 * reviews; pages report web vitals, rage and dead clicks, form and JS errors. Events are tagged with stage and
 * touchpoint as the SDK tags them (src/journey/stage.ts). The same seed gives the same events (ids included, so
 * a second run only counts repeat deliveries); `--end` defaults to today (UTC midnight).
 */
import { runAsMain } from './main.mjs';
import { parseArgs } from 'node:util';
import { insertEvents, openDb } from './db.mjs';
import { ensureJourneySchema } from './journey/schema.mjs';

const DAY = 86_400_000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Events per transaction: big enough that commits do not dominate. */
const BATCH = 5000;

/** @param {number} seed a 32-bit PRNG (mulberry32): fast, good enough for synthetic data, reproducible */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- How the SDK tags events: a copy of src/journey/stage.ts's tables, enough for the events made here ----
// (plain Node cannot import the SDK's TypeScript; test/unit/collector/seed-tags.test.ts keeps the copy true)
/** @type {Record<string, string[]>} */
const STAGE_TOUCHPOINTS = {
  awareness: ['ad', 'social', 'search', 'email', 'referral', 'direct', 'home', 'content'],
  consideration: ['collection', 'site_search', 'product_page'],
  purchase: ['cart', 'checkout', 'payment', 'order_confirmation'],
  retention: ['account', 'support', 'loyalty'],
  advocacy: ['review'],
};
const STAGES = Object.keys(STAGE_TOUCHPOINTS);
/** @type {Record<string, string>} */
const EVENT_TOUCHPOINTS = {
  search_submitted: 'site_search', product_viewed: 'product_page', product_added_to_cart: 'cart',
  product_removed_from_cart: 'cart', cart_viewed: 'cart', cart_updated: 'cart', checkout_started: 'checkout',
  checkout_step_viewed: 'checkout', checkout_step_completed: 'checkout', payment_info_submitted: 'payment',
  order_completed: 'order_confirmation', order_status_viewed: 'account', support_contacted: 'support',
  review_submitted: 'review', share: 'social', loyalty_viewed: 'loyalty', checkout_abandoned: 'checkout',
};
/** @type {Record<string, string>} */
const EVENT_STAGES = { product_list_viewed: 'consideration', coupon_applied: 'purchase', share: 'advocacy' };
/** @type {Record<string, string>} */
const QUESTION_STAGES = { checkout: 'purchase', delivery: 'retention', support: 'retention' };
/** @type {Record<string, string>} */
const PAGE_TOUCHPOINTS = { search: 'site_search', product: 'product_page', other: 'content' };

/**
 * @param {string} type @param {string} pageType
 * @param {{ arrival?: string, step?: string, lifecycle: string, properties?: Record<string, unknown> }} at
 * @returns {{ stage: string, touchpoint: string }}
 */
export function tag(type, pageType, { arrival, step, lifecycle, properties }) {
  // A rating names its touchpoint (an email link) and its question names its stage (src/journey/stage.ts).
  const rated = type == 'feedback_given' ? properties ?? {} : {};
  const ratedPlace = typeof rated.touchpoint == 'string' && STAGES.some((s) => STAGE_TOUCHPOINTS[s].includes(/** @type {string} */ (rated.touchpoint))) ? rated.touchpoint : null;
  let place = ratedPlace || EVENT_TOUCHPOINTS[type] || PAGE_TOUCHPOINTS[pageType] || pageType;
  if (place == 'checkout' && (step == 'payment' || step == 'review')) place = 'payment';
  const entry = type == 'page_viewed' && arrival;
  let stage = EVENT_STAGES[type] || QUESTION_STAGES[/** @type {string} */ (rated.question)] || STAGES.find((s) => STAGE_TOUCHPOINTS[s].includes(place)) || 'awareness';
  if (entry && stage == 'consideration') stage = 'awareness';
  if (lifecycle == 'customer' && STAGES.indexOf(stage) < 2) stage = 'retention';
  return { stage, touchpoint: entry || place };
}

// ---- The shop ----
const PRODUCTS = [
  ['linen-apron', 'Linen apron', 24.5], ['oak-board', 'Oak cutting board', 39], ['stoneware-mug', 'Stoneware mug', 16],
  ['wool-throw', 'Wool throw', 89], ['copper-pan', 'Copper pan', 119], ['tea-towels', 'Tea towels (set of 3)', 18],
  ['ceramic-bowl', 'Ceramic bowl', 22], ['bread-knife', 'Bread knife', 45], ['candle-fig', 'Fig candle', 28],
  ['glass-carafe', 'Glass carafe', 34], ['rattan-basket', 'Rattan basket', 42], ['cast-iron-pot', 'Cast iron pot', 109],
].map(([id, name, price]) => ({ id: String(id), name: String(name), price: Number(price) }));
const COLLECTIONS = ['kitchen', 'table', 'living', 'gifts', 'sale'];
const ARTICLES = ['caring-for-linen', 'seasonal-table', 'gift-guide', 'meet-the-makers'];

/** Arrival mix [touchpoint, weight] for new and returning visitors. */
const ARRIVAL_MIX = {
  new: [['search', 30], ['social', 20], ['ad', 22], ['referral', 8], ['direct', 12], ['email', 8]],
  returning: [['direct', 34], ['email', 28], ['search', 20], ['social', 10], ['ad', 8]],
};
/** Per arrival touchpoint: sources, mediums, campaigns (null: none) and how likely a visitor is to buy. */
const CHANNELS = /** @type {Record<string, { source: (string|null)[], medium: string|null, campaigns: (string|null)[], intent: number, entry: [string, number][] }>} */ ({
  ad: { source: ['google', 'meta', 'tiktok'], medium: 'cpc', campaigns: ['spring_sale', 'retargeting', 'brand', 'new_collection'], intent: 1.0, entry: [['product', 60], ['collection', 30], ['home', 10]] },
  social: { source: ['instagram.com', 'facebook.com', 'pinterest.com'], medium: 'social', campaigns: ['influencer_may', 'spring_sale', null, null], intent: 0.55, entry: [['product', 45], ['content', 25], ['home', 30]] },
  search: { source: ['google.com', 'bing.com', 'duckduckgo.com'], medium: null, campaigns: [null], intent: 1.1, entry: [['home', 30], ['product', 35], ['collection', 25], ['content', 10]] },
  email: { source: ['klaviyo'], medium: 'email', campaigns: ['newsletter', 'abandoned_cart', 'winback', 'spring_sale'], intent: 1.6, entry: [['collection', 45], ['product', 35], ['home', 20]] },
  referral: { source: ['journal.example', 'giftguide.example', 'makers.example'], medium: null, campaigns: [null], intent: 0.9, entry: [['content', 40], ['product', 40], ['home', 20]] },
  direct: { source: [null], medium: null, campaigns: [null], intent: 1.3, entry: [['home', 70], ['account', 15], ['collection', 15]] },
});
const DEVICES = /** @type {[string, number][]} */ ([['mobile', 58], ['desktop', 34], ['tablet', 8]]);
/** Fields customers touch last before leaving each checkout step (names only, never values). */
const LAST_FIELDS = /** @type {Record<string, [string, number][]>} */ ({
  contact: [['email', 50], ['phone', 30], ['first_name', 12], ['newsletter_opt_in', 8]],
  shipping: [['postcode', 40], ['shipping_method', 30], ['address_line1', 20], ['city', 10]],
  payment: [['payment_method', 45], ['card_holder', 25], ['billing_postcode', 20], ['gift_card', 10]],
  review: [['terms', 50], ['discount_code', 35], ['order_note', 15]],
});
/** Chance to continue past each checkout step (shipping costs shown at shipping lose the most customers). */
const STEP_CONTINUE = { contact: 0.86, shipping: 0.7, payment: 0.86, review: 0.95 };

/**
 * Writes synthetic events for one site.
 * @param {object} options
 * @param {import('./db.mjs').DB} options.db an open collector database
 * @param {number} options.events how many events, exactly
 * @param {string} [options.site] default 'demo'
 * @param {number} [options.seed] default 1
 * @param {number} [options.days] length of the period, default 28
 * @param {number} [options.end] epoch ms where the period ends, default today 00:00 UTC
 * @param {number} [options.bounce] share of sessions that leave after their entry page, default 0.3 (higher: more, shorter sessions)
 * @param {boolean} [options.journey] false: do not create the journey tables first (to time building them later)
 * @param {(done: number) => void} [options.progress] called after each batch with the events written so far
 * @param {(site: string, events: object[]) => number} [options.write] stores a batch and returns the rows added;
 *   default `insertEvents` (pass one that POSTs to /collect to go through HTTP)
 * @returns {{ events: number, sessions: number, orders: number, stored: number }}
 */
export function seed({
  db, events: target, site = 'demo', seed: seedValue = 1, days = 28, end = Math.floor(Date.now() / DAY) * DAY, progress, bounce = 0.3, journey = true,
  write = (site, events) => insertEvents(db, site, /** @type {any} */ (events), /** @type {any} */ (events.at(-1)).ts + 2000).stored,
}) {
  db.pragma('cache_size = -65536'); // 64 MB: the indexes of a million events stay in memory
  if (journey) ensureJourneySchema(db); // before the first insert: the journey tables grow with the events
  // The site is part of the seed: two sites seeded alike get different events, not repeat deliveries.
  const random = prng([...site].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261 ^ seedValue));
  const chance = (/** @type {number} */ p) => random() < p;
  const pick = /** @type {<T>(items: T[]) => T} */ ((items) => items[Math.floor(random() * items.length)]);
  const weighted = /** @type {<T>(items: [T, number][]) => T} */ (
    (items) => {
      let x = random() * items.reduce((sum, [, w]) => sum + w, 0);
      for (const [item, w] of items) if ((x -= w) < 0) return item;
      return items[items.length - 1][0];
    }
  );
  const word = () => {
    const x = Math.floor(random() * 0x100000000);
    return HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
  };
  const hex = (/** @type {number} */ n) => {
    let s = '';
    while (s.length < n) s += word();
    return s.slice(0, n);
  };
  // With a time, a UUIDv7 layout (time first): ids written in time order land next to each other in the
  // indexes, which keeps seeding a million events within a minute or two. The SDK's ids are random v4.
  const uuid = (/** @type {number} */ time = -1) => {
    const h = (time >= 0 ? Math.floor(time).toString(16).padStart(12, '0') : hex(12)) + hex(20);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${time >= 0 ? 7 : 4}${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  };
  const around = (/** @type {number} */ median, spread = 0.45) => median * Math.exp(spread * gauss());
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  // Traffic by hour of the period: evenings and weekends busier, a slow growth. Sessions are spread along it
  // in order, so events are written roughly as a live collector would receive them.
  const start = end - days * DAY;
  const HOURLY = [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 12, 11, 9, 9, 9, 10, 12, 15, 17, 16, 11, 5];
  const hours = Array.from({ length: days * 24 }, (_, h) => {
    const weekday = new Date(start + h * 3_600_000).getUTCDay();
    return HOURLY[h % 24] * (weekday == 0 || weekday == 6 ? 1.25 : 1) * (1 + (0.3 * h) / (days * 24));
  });
  const cumulative = hours.map(((sum) => (w) => (sum += w))(0));
  const totalWeight = cumulative[cumulative.length - 1];
  const timeAt = (/** @type {number} */ progress) => {
    const x = progress * totalWeight;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1; else hi = mid;
    }
    return start + lo * 3_600_000 + Math.floor(random() * 3_600_000);
  };

  /** @typedef {{ anon: string, user: string | null, device: string, customer: boolean, sessions: number, first?: object, last?: object }} Visitor */
  /** @type {Visitor[]} */
  const visitors = [];
  /** @type {Visitor[]} */
  const customers = []; // they come back more often than other visitors
  /** @type {object[]} */
  let batch = [];
  let written = 0, stored = 0, sessions = 0, orders = 0;
  const flush = () => {
    if (!batch.length) return;
    stored += write(site, batch);
    written += batch.length;
    batch = [];
    progress?.(written);
  };

  while (written + batch.length < target) {
    sessions++;
    const returning = visitors.length > 50 && chance(0.32);
    /** @type {Visitor} */
    const visitor = returning
      ? customers.length && chance(0.35) ? pick(customers) : pick(visitors)
      : { anon: uuid(), user: null, device: weighted(DEVICES), customer: false, sessions: 0 };
    if (!returning) visitors.push(visitor);
    const lifecycleAtStart = visitor.customer ? 'customer' : visitor.sessions > 0 ? 'returning' : 'new';
    let lifecycle = lifecycleAtStart;
    visitor.sessions++;
    let ts = timeAt(Math.min(1, (written + batch.length) / target));
    const sessionId = uuid(ts);
    const mobile = visitor.device == 'mobile';
    const arrivalTp = weighted(/** @type {any} */ (ARRIVAL_MIX[lifecycleAtStart == 'new' ? 'new' : 'returning']));
    const channel = CHANNELS[arrivalTp];
    /** @type {Record<string, string>} */
    const arrival = { touchpoint: arrivalTp };
    const source = pick(channel.source);
    if (source) arrival.source = source;
    if (channel.medium) arrival.medium = channel.medium;
    const campaign = pick(channel.campaigns);
    if (campaign) arrival.campaign = campaign == 'newsletter' ? `newsletter_w${1 + Math.floor(random() * 4)}` : campaign;
    const touch = { ...arrival, ts: 0 };
    if (!visitor.first) visitor.first = touch;
    if (arrivalTp != 'direct' || !visitor.last || /** @type {any} */ (visitor.last).touchpoint == 'direct') visitor.last = touch;
    if (visitor.customer && chance(0.5)) visitor.user ||= 'cust-' + hex(8);

    touch.ts = ts;
    let pageType = 'home', path = '/', title = 'Home', step = '', entry = true;
    const intent = channel.intent * (lifecycleAtStart == 'customer' ? 1.4 : lifecycleAtStart == 'returning' ? 1.2 : 1) * (mobile ? 0.8 : 1.1);
    /** @type {{ id: string, name: string, price: number, quantity: number }[]} */
    const cart = [];
    // Frictions that cost orders, so the map's opportunities have something to weigh: a slow product page (LCP over
    // 2.5 s) or a gallery image that does nothing when tapped makes adding to the cart less likely.
    let slowProduct = false, deadClick = false;

    const emit = (/** @type {string} */ type, /** @type {Record<string, unknown>} */ properties = {}, gap = 0) => {
      ts += gap;
      const tags = tag(type, pageType, { arrival: entry ? arrivalTp : undefined, step, lifecycle, properties });
      batch.push({
        id: uuid(ts),
        type,
        ts,
        sessionId,
        anonymousId: visitor.anon,
        userId: visitor.user,
        page: { url: 'https://shop.example' + path, path, title, referrer: entry && source?.includes('.') ? `https://${source}/` : '' },
        properties,
        stage: tags.stage,
        touchpoint: tags.touchpoint,
        pageType,
        lifecycle,
      });
    };
    const vitals = () => {
      // Heavier pages and phones are slower: the map's vitals table should show it.
      const weight = { product: 1.25, collection: 1.1, home: 1.15, checkout: 0.8, cart: 0.85 }[pageType] ?? 1;
      const slow = (mobile ? 1.45 : visitor.device == 'tablet' ? 1.2 : 1) * weight;
      const rated = (/** @type {string} */ name, /** @type {number} */ value, /** @type {number} */ good, /** @type {number} */ poor) =>
        emit('web_vital', { name, value, rating: value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor', navigationType: 'navigate', page_type: pageType }, 50);
      if (chance(0.7)) {
        rated('TTFB', Math.round(around(320 * slow, 0.5)), 800, 1800);
        rated('FCP', Math.round(around(1100 * slow)), 1800, 3000);
        const lcp = Math.round(around(1400 * slow));
        rated('LCP', lcp, 2500, 4000);
        if (pageType == 'product' && lcp > 2500) slowProduct = true;
      }
      if (chance(0.6)) rated('CLS', Math.round(around(0.04 * slow * (pageType == 'product' ? 2.2 : 1), 0.9) * 1000) / 1000, 0.1, 0.25);
      if (chance(0.35)) rated('INP', Math.round(around(120 * slow * (pageType == 'checkout' ? 1.6 : 1), 0.6)), 200, 500);
    };
    const view = (/** @type {string} */ type, /** @type {string} */ to, /** @type {string} */ name, extra = {}) => {
      pageType = type; path = to; title = name;
      emit('page_viewed', entry ? { arrival, device: visitor.device, ...extra } : { device: visitor.device, ...extra }, entry ? 0 : Math.round(around(35_000, 0.8)));
      if (chance(0.85)) vitals();
      if ((type == 'content' || type == 'product') && chance(0.4)) emit('scroll_depth', { percent: pick([25, 50, 75, 100]) }, 8000);
      if (type == 'product' && chance(mobile ? 0.08 : 0.04)) {
        emit('dead_click', { selector: 'img.product-gallery' }, 3000);
        deadClick = true;
      }
      if ((type == 'collection' || type == 'search') && chance(0.03)) emit('rage_click', { selector: 'button.filter' }, 4000);
      entry = false;
    };
    const product = () => {
      const p = pick(PRODUCTS);
      view('product', `/products/${p.id}`, p.name);
      emit('product_viewed', { product: { id: p.id, name: p.name, price: p.price, currency: 'EUR' } }, 200);
      return p;
    };
    const collection = () => {
      const c = pick(COLLECTIONS);
      view('collection', `/collections/${c}`, c);
      emit('product_list_viewed', { list: { id: c, items: 12 } }, 300);
    };
    const browse = (/** @type {string} */ kind) => {
      if (kind == 'product') return void product();
      if (kind == 'collection') return collection();
      if (kind == 'content') return view('content', `/blogs/journal/${pick(ARTICLES)}`, 'Journal');
      if (kind == 'home') return view('home', '/', 'Home');
      if (kind == 'account') {
        view('account', '/account', 'Account');
        if (visitor.customer) emit('order_status_viewed', {}, 4000);
        return;
      }
      if (kind == 'cart') return view('cart', '/cart', 'Cart');
      view('search', '/search', 'Search');
      emit('search_submitted', { query_length: 4 + Math.floor(random() * 10) }, 300);
      emit('product_list_viewed', { list: { id: 'search', items: 8 } }, 200);
    };

    // Entry page, then browsing; a third of sessions bounce.
    browse(weighted(channel.entry));
    if (!chance(bounce)) {
      const pages = 1 + Math.floor(around(2.5, 0.7));
      for (let i = 0; i < pages && i < 12; i++) {
        browse(weighted([['product', 45], ['collection', 25], ['search', 14], ['content', 8], ['home', 8]]));
        if (deadClick && chance(0.2)) break; // a tap that did nothing: some give up there
        if (pageType == 'product' && chance(0.16 * intent * (slowProduct ? 0.45 : 1) * (deadClick ? 0.6 : 1))) {
          const p = PRODUCTS.find((x) => path.endsWith('/' + x.id)) || PRODUCTS[0];
          const quantity = chance(0.2) ? 2 : 1;
          cart.push({ ...p, quantity });
          emit('product_added_to_cart', { product: { id: p.id, name: p.name, price: p.price, currency: 'EUR', quantity } }, 6000);
          if (chance(0.5)) break; // straight to the cart
        }
      }
    }

    // Customers come back for their orders, support, reviews and loyalty points.
    if (visitor.customer) {
      // A delivery rated from a link in the shipping email: on the email touchpoint, whatever page it opens.
      if (chance(0.1)) emit('feedback_given', { score: weighted([[5, 40], [4, 25], [3, 15], [2, 12], [1, 8]]), question: 'delivery', via: 'email', touchpoint: 'email' }, 2000);
      if (chance(0.3)) browse('account');
      if (chance(0.07)) {
        view('support', '/pages/contact', 'Contact us');
        if (chance(0.1)) emit('form_error', { field: 'message', reason: 'required' }, 9000);
        emit('support_contacted', { channel: pick(['form', 'chat', 'email']) }, 30_000);
        if (chance(0.35)) emit('feedback_given', { score: weighted([[5, 25], [4, 25], [3, 20], [2, 15], [1, 15]]), question: 'support' }, 60_000);
      }
      if (chance(0.12)) {
        const p = product();
        emit('review_submitted', { product: { id: p.id }, rating: weighted([[5, 55], [4, 25], [3, 10], [2, 5], [1, 5]]) }, 60_000);
        if (chance(0.25)) emit('share', { network: pick(['instagram', 'pinterest', 'whatsapp']) }, 5000);
      }
      if (chance(0.05)) {
        view('account', '/account/rewards', 'Rewards');
        emit('loyalty_viewed', { points: Math.floor(random() * 500) }, 2000);
      }
    }

    if (cart.length) {
      browse('cart');
      emit('cart_viewed', { cart: { items: cart.length, total: cart.reduce((s, p) => s + p.price * p.quantity, 0) } }, 300);
      if (chance(0.04)) emit('rage_click', { selector: 'button.quantity' }, 4000);
      if (cart.length > 1 && chance(0.15)) {
        cart.pop();
        emit('product_removed_from_cart', {}, 5000);
        emit('cart_updated', { cart: { items: cart.length } }, 300);
      }
      if (chance(arrivalTp == 'email' ? 0.4 : 0.12)) emit('coupon_applied', { coupon_length: 8 }, 8000);
      if (cart.length && chance(0.55 * Math.min(1.4, intent))) {
        emit('checkout_started', { cart: { items: cart.length } }, 4000);
        let ordered = true;
        let sawPrice = false;
        for (const s of /** @type {const} */ (['contact', 'shipping', 'payment', 'review'])) {
          step = s;
          view('checkout', `/checkouts/c1/${s}`, `Checkout: ${s}`);
          emit('checkout_step_viewed', { step: s }, 100);
          const enter = ts;
          if (s == 'contact' && chance(0.12)) emit('form_error', { field: 'email', reason: 'invalid' }, 15_000);
          if (s == 'shipping' && chance(mobile ? 0.12 : 0.05)) emit('rage_click', { selector: 'button.find-address' }, 12_000);
          // A postcode the form rejects, and a payment widget that sometimes fails: both lose customers.
          const postcode = s == 'shipping' && chance(0.14);
          if (postcode) emit('form_error', { field: 'postcode', reason: 'patternMismatch' }, 12_000);
          if (postcode && chance(0.5)) emit('form_error', { field: 'postcode', reason: 'patternMismatch' }, 6000);
          const broken = s == 'payment' && chance(0.04);
          if (broken) emit('js_error', { message: 'TypeError in payment widget', source: 'checkout.js' }, 5000);
          const priceChanged = s == 'shipping' && chance(0.45);
          sawPrice ||= priceChanged;
          if (!chance(STEP_CONTINUE[s] * (mobile ? 0.94 : 1.03) * (priceChanged ? 0.8 : 1) * (postcode ? 0.6 : 1) * (broken ? 0.45 : 1))) {
            const spent = Math.round(around(s == 'shipping' ? 75_000 : 45_000, 0.7));
            emit('checkout_abandoned', { step: s, last_field: weighted(LAST_FIELDS[s]), time_on_step_ms: spent, price_changed: priceChanged, fee_added: false }, Math.max(1000, spent - (ts - enter)));
            ordered = false;
            break;
          }
          emit('checkout_step_completed', { step: s }, Math.round(around(40_000, 0.6)));
          if (s == 'payment') emit('payment_info_submitted', { method: pick(['card', 'card', 'paypal', 'klarna']) }, 500);
        }
        step = '';
        if (ordered) {
          orders++;
          view('order_confirmation', '/checkouts/c1/thank-you', 'Thank you');
          const revenue = Math.round(cart.reduce((s, p) => s + p.price * p.quantity, 0) * 100 + 490) / 100;
          emit('order_completed', {
            order_id: 'ORD-' + hex(10).toUpperCase(),
            revenue,
            currency: 'EUR',
            items: cart.map((p) => ({ id: p.id, name: p.name, price: p.price, quantity: p.quantity })),
            first_touch: visitor.first ?? null,
            last_touch: visitor.last ?? null,
          }, 500);
          // The optional one-question prompt on the confirmation: a price that changed at shipping costs stars.
          const stars = sawPrice ? [[5, 28], [4, 30], [3, 20], [2, 13], [1, 9]] : [[5, 55], [4, 28], [3, 10], [2, 4], [1, 3]];
          // Shown after every order; about a third answer, half the others close it, the rest leave it be.
          emit('prompt_shown', { question: 'checkout' }, 2500);
          if (chance(0.32)) emit('feedback_given', { score: weighted(/** @type {[number, number][]} */ (stars)), question: 'checkout', via: 'prompt' }, 3000);
          else if (chance(0.5)) emit('prompt_dismissed', { question: 'checkout' }, 4000);
          if (!visitor.customer) customers.push(visitor);
          visitor.customer = true;
          lifecycle = 'customer';
        }
      }
    }
    if (batch.length >= BATCH) flush();
  }
  batch.length = Math.max(0, target - written); // the last session cut to the exact count asked for
  flush();
  return { events: written, sessions, orders, stored };
}

const USAGE = 'usage: node examples/collector/seed.mjs --events 100000 --db ./demo.db [--site demo] [--seed 1] [--days 28] [--end YYYY-MM-DD]';

/** @param {string[]} args */
function main(args) {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '100000' },
      db: { type: 'string', default: './parcours.db' },
      site: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '28' },
      end: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const events = Number(values.events), days = Number(values.days), seedValue = Number(values.seed);
  const end = values.end ? Date.parse(values.end + 'T00:00:00Z') : undefined;
  if (!(Number.isInteger(events) && events > 0 && events <= 10_000_000) || !(Number.isInteger(days) && days > 0 && days <= 366) ||
      !Number.isInteger(seedValue) || Number.isNaN(end)) {
    console.error(`--events must be 1..10000000, --days 1..366, --seed an integer, --end a date\n${USAGE}`);
    return void (process.exitCode = 2);
  }
  const db = openDb(values.db);
  try {
    const began = Date.now();
    let shown = 0;
    const result = seed({
      db, events, days, end, site: values.site, seed: seedValue,
      progress: (done) => {
        if (done - shown >= 100_000) process.stderr.write(`  ${(shown = done).toLocaleString('en')} events…\n`);
      },
    });
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log(`seeded ${values.db} (site ${values.site}): ${result.events} events in ${result.sessions} sessions, ` +
      `${result.orders} orders, ${result.stored} new rows, ${seconds} s`);
  } finally {
    db.close();
  }
}


runAsMain(import.meta.url, 'seed', main);
