import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until, type StoredEvent } from './support/collector';

// Signals on the demo shop, instrumented by the script tag alone: each friction, vital and engagement signal is
// provoked the way a customer would, and must reach the collector as the event the README promises.

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The product page's hero image, served late while `slowHero` is set: a slow image server, on the server side
// (a Playwright route would intercept every request, the beacons sent at unload too; see `customer`).
const HERO = '/img/moon-bowl-oat.svg';
let slowHero = false;
const hero = {
  method: 'GET',
  path: HERO,
  handler: async (_: unknown, res: ServerResponse) => {
    if (slowHero) await sleep(3000);
    res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' }).end(await readFile(root('examples/shop' + HERO)));
  },
};

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startTestCollector({ static: { '/': root('examples/shop') }, routes: [hero] });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/**
 * A fresh customer: own storage, so own anonymous id. No `context.route` to keep traffic on the machine (the shop
 * makes none; its only outside link, Pinterest, is never clicked here): a route intercepts every request, and a
 * beacon a closing tab sends through it is often never released (4 in 6 lost in a trial).
 */
const customer = (): Promise<BrowserContext> => browser.newContext();

/**
 * The page has loaded and the signals part runs: the core appends its parts' scripts before `load`, and a
 * script inserted before `load` delays it until it has run.
 */
const ready = (page: Page) =>
  page.waitForFunction(() => document.readyState == 'complete' && performance.getEntriesByType('resource').some((r) => r.name.includes('parcours-signals')));
const visit = async (page: Page, path: string) => {
  await page.goto(collector.url + path);
  await ready(page);
};
const go = async (page: Page, action: () => Promise<unknown>) => {
  await Promise.all([page.waitForNavigation(), action()]);
  await ready(page);
};

/** This customer's events at the collector, read until `done` holds (bounded). */
const eventsOf = async (page: Page) => {
  const aid = await page.evaluate(() => localStorage.getItem('parcours:aid'));
  expect(aid).toBeTruthy();
  const read = async () => (await collector.events()).filter((e) => e.anonymousId == aid);
  return (done: (events: StoredEvent[]) => boolean = () => true, ms?: number) => until(read, done, ms);
};
const ofType = (events: StoredEvent[], type: string, path?: string) =>
  events.filter((e) => e.type == type && (!path || (e.page as { path: string }).path == path));
const vital = (events: StoredEvent[], name: string, path: string) => ofType(events, 'web_vital', path).filter((e) => e.properties.name == name);

/** Walks product → add to cart → cart → checkout contact, as a customer. */
const toCheckout = async (page: Page) => {
  await visit(page, '/products/moon-bowl');
  await page.click('[data-testid="add-to-cart"]');
  await go(page, () => page.click('[data-testid="cart-link"]'));
  await go(page, () => page.click('[data-testid="checkout-button"]'));
};

describe('web vitals', () => {
  it('a slow product page left without a click reports a poor LCP, tagged product, and LCP, FCP, TTFB, CLS once', async () => {
    const context = await customer();
    const page = await context.newPage();
    // A slow phone on a slow image server: the CPU 20× slower, the hero image 3 s late.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    slowHero = true;
    try {
      await visit(page, '/products/moon-bowl');
    } finally {
      slowHero = false;
    }
    const events = await eventsOf(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // The customer gives up and goes elsewhere: LCP and CLS are final when the page is hidden, at its unload.
    await page.goto('about:blank');
    const seen = await events((e) => ['LCP', 'CLS'].every((n) => vital(e, n, '/products/moon-bowl').length));
    const lcp = vital(seen, 'LCP', '/products/moon-bowl');
    expect(lcp).toHaveLength(1);
    expect(lcp[0].properties).toMatchObject({ name: 'LCP', rating: expect.stringMatching(/^(poor|needs-improvement)$/), page_type: 'product' });
    expect(lcp[0].properties.value).toBeGreaterThanOrEqual(2500);
    expect(lcp[0]).toMatchObject({ stage: 'consideration', touchpoint: 'product_page' });
    for (const name of ['FCP', 'TTFB', 'CLS']) {
      expect(vital(seen, name, '/products/moon-bowl'), name).toHaveLength(1);
      expect(vital(seen, name, '/products/moon-bowl')[0].properties).toMatchObject({ page_type: 'product', navigationType: 'navigate' });
    }
    expect(vital(seen, 'INP', '/products/moon-bowl')).toEqual([]); // no interaction, no INP
    await context.close();
  });

  it('reports INP after a click, and each metric once per page view', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/products/tide-mug');
    const events = await eventsOf(page);
    await page.click('[data-testid="gallery-thumb-2"]');
    // The click made LCP final; once it has arrived, web-vitals has long taken the click in (it does so when idle,
    // and an interaction in the very frame the page unloads is not counted).
    await events((e) => vital(e, 'LCP', '/products/tide-mug').length > 0);
    await visit(page, '/products/moon-bowl'); // a second page view, measured afresh
    await events((e) => vital(e, 'FCP', '/products/moon-bowl').length > 0); // painted: it has an LCP to report
    await page.goto('about:blank');
    const seen = await events((e) => ['LCP', 'CLS', 'INP'].every((n) => vital(e, n, '/products/tide-mug').length) && vital(e, 'CLS', '/products/moon-bowl').length > 0);
    const inp = vital(seen, 'INP', '/products/tide-mug');
    expect(inp).toHaveLength(1);
    expect(inp[0].properties).toMatchObject({ rating: 'good', page_type: 'product' });
    expect(inp[0].properties.value).toEqual(expect.any(Number));
    for (const path of ['/products/tide-mug', '/products/moon-bowl'])
      for (const name of ['LCP', 'FCP', 'TTFB', 'CLS']) expect(vital(seen, name, path), name + ' ' + path).toHaveLength(1);
    expect(vital(seen, 'INP', '/products/moon-bowl')).toEqual([]);
    // The gallery thumbnail was a media interaction too (the shop marks its gallery with data-parcours-gallery).
    expect(seen.filter((e) => e.type == 'media_interaction').map((e) => e.properties)).toEqual([{ kind: 'gallery', action: 'thumbnail' }]);
    await context.close();
  });
});

describe('dead clicks', () => {
  it('the planted "Notify me" button that does nothing is a dead click, named by a selector without text or values', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/collections/all');
    const events = await eventsOf(page);
    // The customer scrolls to the sold-out plate, its lazy images load, then the click.
    await page.locator('[data-testid="notify-me"]').scrollIntoViewIfNeeded();
    await sleep(500);
    await page.click('[data-testid="notify-me"]');
    const seen = await events((e) => ofType(e, 'dead_click').length > 0);
    await sleep(1200); // and nothing more follows
    const dead = ofType(await events(), 'dead_click');
    expect(dead).toHaveLength(1);
    const { selector } = dead[0].properties as { selector: string };
    expect(selector).toMatch(/button\[data-testid="notify-me"\]$/);
    expect(selector).toContain('[data-parcours-product-id]'); // the marker's name…
    expect(selector).not.toMatch(/crescent|notify me|stock|26/i); // …never its value, nor the button's text
    expect(dead[0]).toMatchObject({ pageType: 'collection' });
    expect(ofType(seen, 'rage_click')).toEqual([]);
    await context.close();
  });

  it('a button that works (a gallery thumbnail, a disclosure) is not a dead click', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/products/tide-mug');
    const events = await eventsOf(page);
    await page.click('[data-testid="gallery-thumb-2"]');
    await sleep(1100); // one click is watched at a time: let the first verdict fall
    await page.click('details:not([open]) > summary');
    await sleep(1100);
    await page.goto('about:blank'); // whatever was tracked goes out with the page's last events
    // First what must have arrived (the page's last events): an empty read would otherwise pass.
    const seen = await events((e) => ofType(e, 'engagement', '/products/tide-mug').length > 0);
    expect(ofType(seen, 'engagement', '/products/tide-mug')).toHaveLength(1);
    expect(ofType(seen, 'page_viewed', '/products/tide-mug')).toHaveLength(1);
    expect(ofType(seen, 'dead_click')).toEqual([]);
    await context.close();
  });
});

describe('rage clicks', () => {
  it('four fast clicks on a sold-out product image are one rage click counting them all', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/collections/all');
    const events = await eventsOf(page);
    const image = page.locator('li.is-sold-out .card-media img');
    await image.scrollIntoViewIfNeeded();
    const box = (await image.boundingBox())!;
    for (let i = 0; i < 4; i++) await page.mouse.click(box.x + box.width / 2 + i * 3, box.y + box.height / 2);
    const seen = await events((e) => ofType(e, 'rage_click').length > 0);
    const rage = ofType(seen, 'rage_click');
    expect(rage).toHaveLength(1);
    expect(rage[0].properties.clicks).toBe(4);
    expect(rage[0].properties.selector).toMatch(/img$/);
    expect(ofType(seen, 'dead_click')).toEqual([]); // an image does not look clickable
    await context.close();
  });
});

describe('form errors', () => {
  it('submitting the contact step with a bad email and empty names reports each field by name, never what was typed', async () => {
    const context = await customer();
    const page = await context.newPage();
    await toCheckout(page);
    const events = await eventsOf(page);
    await page.fill('[data-testid="email-input"]', 'jane@');
    await page.click('[data-testid="continue-to-shipping"]'); // native validation: the form goes nowhere
    const seen = await events((e) => ofType(e, 'form_error').length >= 3);
    const errors = ofType(seen, 'form_error');
    expect(errors.map((e) => e.properties).sort((a, b) => String(a.field).localeCompare(String(b.field)))).toEqual([
      { field: 'email', field_type: 'email', form: 'form#contact-form', reason: 'typeMismatch' },
      { field: 'firstName', field_type: 'text', form: 'form#contact-form', reason: 'valueMissing' },
      { field: 'lastName', field_type: 'text', form: 'form#contact-form', reason: 'valueMissing' },
    ]);
    expect(errors[0]).toMatchObject({ pageType: 'checkout', stage: 'purchase', touchpoint: 'checkout' });
    expect(page.url()).toMatch(/\/checkout\/contact$/);
    expect(JSON.stringify(seen)).not.toMatch(/jane/i);
    await context.close();
  });
});

describe('JavaScript errors', () => {
  it('an uncaught error is reported with the email in its message redacted', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/products/moon-bowl');
    const events = await eventsOf(page);
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('boom for jane@doe.com');
      });
    });
    const seen = await events((e) => ofType(e, 'js_error').length > 0);
    const [error] = ofType(seen, 'js_error');
    expect(error.properties.message).toMatch(/boom for \[email\]$/);
    expect(error.properties).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(error).toMatchObject({ pageType: 'product' });
    expect(JSON.stringify(seen)).not.toMatch(/jane|doe\.com/);
    await context.close();
  });
});

describe('checkout abandonment', () => {
  it('closing the tab on the payment step is one abandonment at payment; the steps before and the order are none', async () => {
    const context = await customer();
    const page = await context.newPage();
    await toCheckout(page);
    const events = await eventsOf(page);
    await page.fill('[data-testid="email-input"]', 'jane@example.com');
    await page.fill('[data-testid="first-name-input"]', 'Jane');
    await page.fill('[data-testid="last-name-input"]', 'Doe');
    await go(page, () => page.click('[data-testid="continue-to-shipping"]'));
    await page.fill('[data-testid="address-input"]', '1 rue de la Paix');
    await page.fill('[data-testid="postcode-input"]', '69001');
    await page.fill('[data-testid="city-input"]', 'Lyon');
    await page.check('[data-testid="shipping-express"]');
    await go(page, () => page.click('[data-testid="continue-to-payment"]'));
    await page.focus('[data-testid="card-name-input"]');
    await page.focus('[data-testid="card-number-input"]');
    await sleep(100);
    await page.close({ runBeforeUnload: true });
    let seen = await events((e) => ofType(e, 'checkout_abandoned').length > 0);
    let abandoned = ofType(seen, 'checkout_abandoned');
    expect(abandoned).toHaveLength(1); // contact → shipping → payment: no abandonment for the steps left onward
    expect(abandoned[0].properties).toMatchObject({ step: 'payment', last_field: 'cc-number', price_changed: false, fee_added: false });
    expect(abandoned[0].properties.time_on_step_ms).toBeGreaterThan(0);
    expect(abandoned[0]).toMatchObject({ stage: 'purchase', touchpoint: 'payment' });

    // Later, in a new tab, on the shipping step: a cheaper method changes the total, then the tab closes.
    const again = await context.newPage();
    await visit(again, '/checkout/shipping');
    await again.check('[data-testid="shipping-colissimo"]');
    await sleep(100);
    await again.close({ runBeforeUnload: true });
    seen = await events((e) => ofType(e, 'checkout_abandoned').length > 1);
    abandoned = ofType(seen, 'checkout_abandoned');
    expect(abandoned).toHaveLength(2);
    expect(abandoned[1].properties).toMatchObject({ step: 'shipping', price_changed: true, last_field: 'shipping' });

    // And once more: this time the customer pays. Payment → order confirmation is no abandonment.
    const last = await context.newPage();
    await visit(last, '/checkout/payment');
    await last.fill('[data-testid="card-name-input"]', 'Jane Doe');
    await last.fill('[data-testid="card-number-input"]', '4242 4242 4242 4242');
    await last.fill('[data-testid="card-expiry-input"]', '12/30');
    await last.fill('[data-testid="card-cvc-input"]', '123');
    await go(last, () => last.click('[data-testid="pay-button"]'));
    await last.close({ runBeforeUnload: true });
    seen = await events((e) => ofType(e, 'order_completed').length > 0 && ofType(e, 'engagement', '/checkout/thank-you').length > 0);
    expect(ofType(seen, 'order_completed')).toHaveLength(1);
    expect(ofType(seen, 'checkout_abandoned')).toHaveLength(2);
    expect(JSON.stringify(seen)).not.toMatch(/jane@example|4242 ?4242|rue de la Paix/); // (a bare 4242 may be in a uuid)
    await context.close();
  });
});

describe('checkout abandonment after a refused submit: an error, then gone', () => {
  const leaves = {
    'by another site in the address bar': (page: Page) => page.goto(collector.url.replace('127.0.0.1', 'localhost') + '/').catch(() => {}),
    'by closing the tab': (page: Page) => page.close({ runBeforeUnload: true }),
  };
  const refusals = {
    // The browser's own validation: no submit event at all.
    'the browser refuses an invalid email': async (page: Page) => {
      await page.fill('[data-testid="email-input"]', 'jane@');
      await page.click('[data-testid="continue-to-shipping"]');
    },
    // A theme's check that prevents the submit (and stops the demo shop's own handler from moving on).
    "the theme's handler prevents the submit": async (page: Page) => {
      await page.evaluate(() =>
        document.querySelector('form#contact-form')!.addEventListener('submit', (e) => (e.preventDefault(), e.stopImmediatePropagation()), true),
      );
      await page.fill('[data-testid="email-input"]', 'jane@example.com');
      await page.fill('[data-testid="first-name-input"]', 'Jane');
      await page.fill('[data-testid="last-name-input"]', 'Doe');
      await page.click('[data-testid="continue-to-shipping"]');
    },
  };
  it.each([
    ['the browser refuses an invalid email', 'by another site in the address bar'],
    ["the theme's handler prevents the submit", 'by closing the tab'],
  ] as const)('%s, a field is touched, the customer leaves %s within 5 s: one abandonment, at once', async (refusal, leave) => {
    const context = await customer();
    const page = await context.newPage();
    await toCheckout(page);
    const events = await eventsOf(page);
    await refusals[refusal](page);
    await page.waitForTimeout(300); // the later task that looks at the submit again
    expect(new URL(page.url()).pathname).toBe('/checkout/contact'); // the submit went nowhere
    await page.focus('[data-testid="first-name-input"]');
    await page.keyboard.type('J');
    await leaves[leave](page);
    let seen = await events((e) => ofType(e, 'checkout_abandoned').length > 0);
    seen = await events((e) => ofType(e, 'checkout_abandoned').length > 1, 1_000); // and no second one
    const abandoned = ofType(seen, 'checkout_abandoned');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0].properties).toMatchObject({ step: 'contact', last_field: 'firstName' });
    expect(abandoned[0]._deliveries).toBe(1);
    await context.close();
  });
});

describe('engagement', () => {
  it('reading a product page to the bottom reports each scroll depth and the reviews once, and the active time on leaving', async () => {
    const context = await customer();
    const page = await context.newPage();
    await visit(page, '/products/moon-bowl');
    const events = await eventsOf(page);
    for (let i = 0; i < 40 && (await page.evaluate(() => scrollY + innerHeight < document.documentElement.scrollHeight - 1)); i++) {
      await page.mouse.wheel(0, 250);
      await sleep(30);
    }
    await page.mouse.wheel(0, -400); // back up and down again: milestones are not reported twice
    await sleep(50);
    await page.mouse.wheel(0, 400);
    await sleep(100);
    await page.goto('about:blank');
    const seen = await events((e) => ofType(e, 'engagement').length > 0 && ofType(e, 'scroll_depth').length >= 4);
    expect(ofType(seen, 'scroll_depth').map((e) => e.properties.percent)).toEqual([25, 50, 75, 100]);
    expect(ofType(seen, 'reviews_seen')).toHaveLength(1);
    const engagement = ofType(seen, 'engagement');
    expect(engagement).toHaveLength(1); // one page view, one report: none for the moment before the page was detected
    expect(engagement[0].properties).toMatchObject({ page_type: 'product' });
    expect(engagement[0].properties.active_ms).toBeGreaterThan(0);
    expect(engagement[0].properties.visible_ms).toBeGreaterThanOrEqual(engagement[0].properties.active_ms as number);
    await context.close();
  });
});
