import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../examples/collector/seed.mjs';
import { launchBrowser } from './support/browser';
import { startTestCollector } from './support/collector';

// The journey map behind a read key, as a shop owner meets it in Chromium: a sign-in form, then a cookie the
// page's scripts cannot read and other sites cannot ride on. Chromium keeps Secure cookies from
// http://127.0.0.1 (a secure context), which is how the local demo signs in without TLS.

const KEY = 'browser-sign-in-key-0123456789';
let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
let elsewhere: Awaited<ReturnType<typeof startTestCollector>>;

beforeAll(async () => {
  elsewhere = await startTestCollector({ host: 'localhost' }); // the shop, another site: localhost is not 127.0.0.1
  collector = await startTestCollector({ readKeys: [KEY], origins: [elsewhere.url] });
  seed({ db: collector.collector.db, events: 3000, site: 'demo', end: Date.UTC(2025, 5, 30) });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
  await elsewhere?.close();
});

describe('signing in to the journey map', () => {
  it('asks for the key, refuses a wrong one, then shows the map with no key in any URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const first = await page.goto(`${collector.url}/journey?site=demo`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name=key]', 'not-the-key-0123456789');
    await page.click('button');
    await expect(page.locator('[role=alert]').innerText()).resolves.toBe('That is not a read key.');
    expect(await page.locator('#kpi-orders').count()).toBe(0);

    await page.fill('input[name=key]', KEY);
    await Promise.all([page.waitForURL(`${collector.url}/journey?site=demo`), page.click('button')]);
    const expected = await (await fetch(`${collector.url}/api/journey?site=demo`, { headers: { Authorization: `Bearer ${KEY}` } })).json();
    expect(await page.locator('#kpi-orders').innerText()).toBe(expected.totals.orders.toLocaleString('en-US'));
    expect(urls.filter((u) => u.includes(KEY))).toEqual([]);

    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite])).toEqual([['parcours_read', true, true, 'Strict']]);
    expect(await page.evaluate(() => document.cookie)).toBe(''); // no script of the page can read it
    // The JSON behind the page's link answers the signed-in browser too.
    const json = await page.goto(`${collector.url}/api/journey?site=demo`);
    expect(json?.status()).toBe(200);
    await context.close();
  });

  it('lets the shop write but not read, even with the owner signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${collector.url}/journey`);
    await page.fill('input[name=key]', KEY);
    await Promise.all([page.waitForURL(`${collector.url}/journey`), page.click('button')]);
    await page.goto(`${elsewhere.url}/`).catch(() => {}); // any page of the shop's site
    const read = await page.evaluate(async (base) => {
      const tries: string[] = [];
      const body = JSON.stringify({ sentAt: 0, site: 'demo', events: [] });
      const write = await fetch(base + '/collect', { method: 'POST', body }); // as the SDK sends
      tries.push(`/collect wrote ${write.status}`);
      for (const path of ['/events', '/api/journey', '/api/people/x']) {
        try {
          const r = await fetch(base + path, { credentials: 'include' });
          tries.push(`${path} read ${r.status}`);
        } catch {
          tries.push(`${path} refused`);
        }
      }
      return tries;
    }, collector.url);
    expect(read).toEqual(['/collect wrote 200', '/events refused', '/api/journey refused', '/api/people/x refused']);
    await context.close();
  });
});
