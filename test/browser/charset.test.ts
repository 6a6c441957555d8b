import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until } from './support/collector';

// Older shops still serve their pages in a legacy encoding, and most servers and CDNs send `.js` without a
// charset: the browser then decodes a classic script with the page's encoding. The tag must read the same there.

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

/**
 * An encoder for a legacy charset, built from the decoder Node ships (TextEncoder only does UTF-8): characters the
 * charset lacks become numeric character references, as a shop's CMS writes them.
 */
const encoder = (label: string) => {
  const decoder = new TextDecoder(label, { fatal: true });
  const table = new Map<string, number[]>();
  const add = (bytes: number[]) => {
    try {
      const c = decoder.decode(Uint8Array.from(bytes));
      if (c.length && !table.has(c)) table.set(c, bytes);
    } catch {} // not a character in this charset
  };
  for (let b = 0; b < 256; b++) add([b]);
  if (label == 'shift_jis') for (let lead = 0x81; lead <= 0xfc; lead++) for (let trail = 0x40; trail <= 0xfc; trail++) add([lead, trail]);
  return (text: string) => {
    const out: number[] = [];
    for (const c of text) {
      const bytes = c < '\x80' ? [c.charCodeAt(0)] : table.get(c);
      if (bytes) out.push(...bytes);
      else out.push(...Buffer.from('&#' + c.codePointAt(0) + ';'));
    }
    return Buffer.from(out);
  };
};

let visits = 0;
const visit = async (charset: string) => {
  const site = 'charset-' + ++visits; // one site per visit: its events alone
  const context = await browser.newContext();
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort()); // no traffic leaves the machine
  await context.route('**/products/moon-bowl', async (route) => {
    const html = (await (await route.fetch()).text())
      .replace('<meta charset="utf-8">', `<meta charset="${charset}">`)
      .replace('data-site="atelier-lune"', `data-site="${site}"`);
    const body = charset == 'utf-8' ? Buffer.from(html) : encoder(charset)(html);
    await route.fulfill({ status: 200, body, headers: { 'Content-Type': 'text/html; charset=' + charset } });
  });
  // The tag's files as nginx, S3 or a CDN serve them: no charset.
  await context.route(/\/parcours[\w-]*\.min\.js$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ status: 200, body: await res.body(), headers: { 'Content-Type': 'text/javascript' } });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(collector.url + '/products/moon-bowl');
  const encoding = await page.evaluate(() => document.characterSet);
  await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded, null, { timeout: 10_000 }).catch(() => {});
  await page.evaluate(() => (window as unknown as { parcours?: { flush(): Promise<void> } }).parcours?.flush());
  const events = await until(
    () => collector.events('site=' + site),
    (e) => e.some((x) => x.type == 'product_viewed'),
    10_000,
  );
  await context.close();
  return { encoding, errors, events };
};

describe('a shop page in a legacy encoding, the tag served without a charset', () => {
  it.each(['windows-1252', 'windows-1251', 'shift_jis'])('records the same page and product view as in UTF-8: %s', async (charset) => {
    const utf8 = await visit('utf-8');
    const legacy = await visit(charset);
    expect(legacy.encoding.toLowerCase()).toBe(charset); // the page really was decoded in that charset
    expect(legacy.errors).toEqual([]);
    const viewed = (r: typeof utf8) =>
      r.events
        .filter((e) => e.type == 'page_viewed' || e.type == 'product_viewed')
        .map((e) => [e.type, e.pageType, e.properties.id, e.properties.price, e.properties.currency]);
    expect(viewed(utf8)).toEqual([
      ['page_viewed', 'product', undefined, undefined, undefined],
      ['product_viewed', 'product', 'moon-bowl', 34, 'EUR'],
    ]);
    expect(viewed(legacy)).toEqual(viewed(utf8));
  });
});
