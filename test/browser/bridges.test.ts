import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until, type StoredEvent } from './support/collector';
import { APRON, CLIENT_ID, MUG, PERSONAL, fullCheckout } from '../unit/bridges/shopifyEvents';

// The Shopify checkout pixel, in real Chromium: the built file evaluated in a page that provides what Shopify's
// sandbox provides, a full checkout published as Shopify publishes it, and the events the reference collector
// stores at the end.

let browser: Browser;
let dir: string;
let pixelFile: string;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
let context: BrowserContext;

beforeAll(async () => {
  // Built here as the lead's build will (an IIFE: no modules, no IndexedDB), minified like what ships.
  dir = mkdtempSync(join(tmpdir(), 'parcours-pixel-'));
  pixelFile = join(dir, 'parcours-shopify-pixel.js');
  const bundle = await rollup({
    input: root('src/entry/shopify-pixel.ts'),
    plugins: [resolve({ browser: true }), typescript({ include: ['src/**/*.ts'], noEmitOnError: false }), terser({ ecma: 2020, module: false })],
    onwarn: () => {},
  });
  await bundle.write({ file: pixelFile, format: 'iife' });
  await bundle.close();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await context?.close();
  await collector?.close();
});

const setup = async () => {
  collector = await startTestCollector({ files: { '/parcours-shopify-pixel.js': pixelFile } });
  context = await browser.newContext();
};
const open = async (): Promise<Page> => {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page:', e.message));
  await page.goto(collector.url + '/bridges/pixel.html');
  await page.waitForFunction(() => typeof (window as { pixel?: unknown }).pixel == 'object');
  // Shopify's objects were only in the pasted code's scope: the pixel found them there, not on the page.
  expect(await page.evaluate(() => typeof (window as { analytics?: unknown }).analytics)).toBe('undefined');
  return page;
};
const publish = (page: Page, events: unknown[]) => page.evaluate((events) => (window as unknown as { emit(e: unknown[]): void }).emit(events), events);
const row = (e: StoredEvent) => {
  const { shopify_client_id, first_touch, last_touch, ...properties } = e.properties;
  return [e.type, properties, e.stage, e.touchpoint, e.pageType];
};

describe('the Shopify checkout pixel in a real browser', () => {
  it('delivers a full checkout to the collector: exactly these events, once each, joined to the storefront', async () => {
    await setup();
    const page = await open();
    // What the storefront's script tag left in the shop's localStorage.
    await page.evaluate(() => {
      localStorage.setItem('parcours:aid', 'a-storefront');
      localStorage.setItem('parcours:sid', JSON.stringify({ id: 's-storefront', last: Date.parse('2025-05-12T09:25:00.000Z') }));
    });
    await page.reload();
    await page.waitForFunction(() => typeof (window as { pixel?: unknown }).pixel == 'object');
    await publish(page, fullCheckout());
    const events = await until(collector.events, (list) => list.length >= 8);
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
    const all = await collector.events();

    const order = { id: '5843191234567', revenue: 66.2, tax: 11.03, shipping: 5.9, currency: 'EUR', coupon: 'MAY10', discount: 6.7, items: [{ ...APRON, quantity: 2 }, { ...MUG, quantity: 1 }] };
    expect(all.map(row)).toEqual([
      ['page_viewed', {}, 'purchase', 'checkout', 'checkout'],
      ['checkout_started', { step: 'contact', total: 66.2, currency: 'EUR' }, 'purchase', 'checkout', 'checkout'],
      ['checkout_step_completed', { step: 'contact' }, 'purchase', 'checkout', 'checkout'],
      ['checkout_step_completed', { step: 'shipping' }, 'purchase', 'checkout', 'checkout'],
      ['payment_info_submitted', { step: 'payment' }, 'purchase', 'payment', 'checkout'],
      ['page_viewed', {}, 'purchase', 'order_confirmation', 'order_confirmation'],
      ['checkout_step_completed', { step: 'payment' }, 'purchase', 'payment', 'order_confirmation'],
      ['order_completed', order, 'purchase', 'order_confirmation', 'order_confirmation'],
    ]);
    expect(events.every((e) => e._deliveries == 1)).toBe(true);
    for (const e of all) expect([e.anonymousId, e.sessionId, e.properties.shopify_client_id]).toEqual(['a-storefront', 's-storefront', CLIENT_ID]);
    const stored = JSON.stringify(all);
    for (const personal of PERSONAL) expect(stored).not.toContain(personal);
  });

  it('a thank-you page loaded again publishes the order again: the collector gets it once', async () => {
    await setup();
    const completed = fullCheckout().slice(6); // page_viewed and checkout_completed on the thank-you page
    let page = await open();
    await publish(page, completed);
    await until(collector.events, (list) => list.length >= 3);
    await page.reload();
    await page.waitForFunction(() => typeof (window as { pixel?: unknown }).pixel == 'object');
    await publish(page, completed);
    await until(collector.events, (list) => list.length >= 4);
    await new Promise((r) => setTimeout(r, 500));
    // Stored by Shopify's timestamps, the same both times: compare the counts.
    const stored = await collector.events();
    expect(stored.map((e) => e.type).sort()).toEqual(['checkout_step_completed', 'order_completed', 'page_viewed', 'page_viewed']);
    // The collector merges a repeated event id, so a count of stored events cannot see a resend: it arrived once.
    expect(stored.find((e) => e.type == 'order_completed')!._deliveries).toBe(1);
    expect(stored.map((e) => e._deliveries)).toEqual([1, 1, 1, 1]);
    // By the sandbox's fetch (CORS mode), not a beacon.
    expect(collector.posts.length).toBeGreaterThan(0);
    expect(new Set(collector.posts.map((p) => p.mode))).toEqual(new Set(['cors']));
  });
});
