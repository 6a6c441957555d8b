import type { ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startTestCollector, until } from './support/collector';

// Detection on a real page load, as a shop installs the tag: `async` in <head>, the script served at once, the
// page itself streamed slowly, its product data at the end of a long document. Every load must read the same page.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const filler = (i: number) =>
  `<section class="story"><h2>Chapter ${i}</h2>${'<p>Stoneware from our workshop, thrown by hand and fired twice. '.repeat(40)}</p></section>`;

/** A custom shop's product page: no platform, no schema.org until the very end; head first, then the body in chunks. */
const slowPage = {
  method: 'GET',
  path: '/slow-product',
  handler: async (_: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.write(
      '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Mondschale</title>' +
        '<script async src="/parcours.min.js" data-endpoint="/collect" data-site="stream"></script></head><body>' +
        '<header><nav><a href="/">Start</a> <a href="/warenkorb">Warenkorb</a></nav></header><main>',
    );
    for (let i = 0; i < 12; i++) {
      await sleep(40);
      res.write(filler(i));
    }
    await sleep(40);
    res.end(
      '<div class="product"><h1>Mondschale, Steinzeug</h1><p class="price"><del>39,00 €</del> <span class="price-now">1.234,50 €</span></p>' +
        '<p>Art.-Nr. 002.937.72</p><label>Menge <input name="quantity" type="number" value="1"></label>' +
        '<button type="submit">In den Warenkorb</button></div></main>' +
        '<script type="application/ld+json">{"@type":"Product","name":"Mondschale, Steinzeug","sku":"002.937.72",' +
        '"offers":{"@type":"Offer","price":"1234.50","priceCurrency":"EUR"}}</script></body></html>',
    );
  },
};

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startTestCollector({ routes: [slowPage] });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('detection reads the finished document', () => {
  it('gives the same product_viewed on twenty loads of a slowly streamed page with the tag async in <head>', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    for (let i = 0; i < 20; i++) {
      await page.goto(collector.url + '/slow-product?load=' + i);
      await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
      // This load's product view reaches the collector before the next load (bounded: a miss shows in the count).
      const flush = () => page.evaluate(() => (window as unknown as { parcours: { flush(): Promise<void> } }).parcours.flush());
      await until(async () => (await flush(), collector.events('site=stream&type=product_viewed')), (e) => e.length > i, 5_000);
    }
    const views = await until(() => collector.events('site=stream&type=product_viewed'), (e) => e.length >= 20);
    const pages = await collector.events('site=stream&type=page_viewed');
    expect(pages).toHaveLength(20);
    expect(views).toHaveLength(20);
    const seen = new Set(views.map((e) => JSON.stringify([e.properties.name, e.properties.price, e.properties.currency, e.properties.sku])));
    expect([...seen]).toEqual([JSON.stringify(['Mondschale, Steinzeug', 1234.5, 'EUR', '002.937.72'])]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
