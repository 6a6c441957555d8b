import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until } from './support/collector';
import { DEMO_SHOP_ORDER, journeyLines } from './support/demoJourney';

// A customer walks through the demo shop, which is instrumented only by the script tag and data attributes.
// What reaches the collector must be the customer journey, in order, with its stages and touchpoints.

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startTestCollector({ static: { '/': root('examples/shop') } });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** Wait until the SDK's parts are running, then act like a person: click, type, go on. */
const ready = (page: Page) => page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
const go = async (page: Page, action: () => Promise<unknown>) => {
  await Promise.all([page.waitForNavigation(), action()]);
  await ready(page);
};
const journey = journeyLines;

describe('a purchase through the demo shop', () => {
  it('records the journey from an ad click to the order, each event with its stage and touchpoint', async () => {
    const context = await browser.newContext();
    // The customer clicked a paid ad: the landing URL carries a click id and campaign.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort()); // no traffic leaves the machine
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(collector.url + '/?utm_source=google&utm_medium=cpc&utm_campaign=autumn-bowls&gclid=abc123');
    await ready(page);
    await go(page, () => page.click('a[href="/collections/all"]'));
    await go(page, () => page.click('a[href="/products/moon-bowl"]'));
    await page.click('[data-testid="add-to-cart"]');
    await go(page, () => page.click('[data-testid="cart-link"]'));
    await go(page, () => page.click('[data-testid="checkout-button"]'));
    await page.fill('[data-testid="email-input"]', 'jane@example.com');
    await page.fill('[data-testid="first-name-input"]', 'Jane');
    await page.fill('[data-testid="last-name-input"]', 'Doe');
    await go(page, () => page.click('[data-testid="continue-to-shipping"]'));
    await page.fill('[data-testid="address-input"]', '1 rue de la Paix');
    await page.fill('[data-testid="postcode-input"]', '69001');
    await page.fill('[data-testid="city-input"]', 'Lyon');
    await page.check('[data-testid="shipping-express"]');
    await go(page, () => page.click('[data-testid="continue-to-payment"]'));
    await page.fill('[data-testid="card-name-input"]', 'Jane Doe');
    await page.fill('[data-testid="card-number-input"]', '4242 4242 4242 4242');
    await page.fill('[data-testid="card-expiry-input"]', '12/30');
    await page.fill('[data-testid="card-cvc-input"]', '123');
    await go(page, () => page.click('[data-testid="pay-button"]'));
    await page.reload(); // a reloaded confirmation is not a second order
    await ready(page);
    await page.evaluate(() => (window as unknown as { parcours: { flush(): Promise<void> } }).parcours.flush());

    const events = await until(collector.events, (e) => e.filter((x) => x.type == 'page_viewed').length >= 9);
    expect(journey(events)).toEqual([
      ...DEMO_SHOP_ORDER,
      'page_viewed order_confirmation purchase order_confirmation ', // the reload: a page view, no second order
    ]);
    const order = events.find((e) => e.type == 'order_completed')!;
    expect(order.properties).toMatchObject({ currency: 'EUR', shipping: 12, revenue: expect.any(Number), id: expect.stringMatching(/^AL-/) });
    expect(order.properties.last_touch).toMatchObject({ touchpoint: 'ad', campaign: 'autumn-bowls', clickId: 'gclid' });
    expect(events.find((e) => e.type == 'product_added_to_cart')!.properties).toMatchObject({ id: expect.any(String), price: expect.any(Number) });
    // Nothing typed into the checkout reached the collector.
    const wire = JSON.stringify(events);
    // (the card as typed, with or without its spaces: a bare '4242' can occur inside a random uuid)
    for (const secret of ['jane@example.com', 'rue de la Paix', 'Doe']) expect(wire).not.toContain(secret);
    expect(wire).not.toMatch(/4242 ?4242/);
    expect(errors).toEqual([]);

    // The shop owner's view of that journey: the journey map at the collector.
    const owner = await context.newPage();
    await owner.setViewportSize({ width: 1280, height: 900 });
    await owner.goto(collector.url + '/journey?site=atelier-lune');
    expect(await owner.locator('#kpi-conversion').innerText()).toBe('100.0%'); // one session, one order
    expect(await owner.locator('#kpi-orders').innerText()).toBe('1');
    expect(await owner.locator('#kpi-abandonment').innerText()).toBe('0.0%'); // the cart was not abandoned
    await owner.screenshot({ path: 'test-results/journey-after-shop.png', fullPage: true });
    await context.close();
  });
});
