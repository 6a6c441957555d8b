import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until } from './support/collector';

// Satisfaction in a real browser: the opt-in prompt (accessible, no layout shift, once per session, loaded only
// when it shows) and the rating links of the shop's emails, end to end through the reference collector.

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startTestCollector();
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** The accessible name (aria-label, else text) of what has focus inside the prompt, or what has focus outside it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('[data-parcours-prompt]');
    const el = (host?.shadowRoot?.activeElement || document.activeElement) as HTMLElement | null;
    return el?.getAttribute('aria-label') || el?.getAttribute('role') || el?.id || el?.localName || '';
  });
const promptFiles = (page: Page) => {
  const seen: string[] = [];
  page.on('request', (r) => r.url().includes('parcours-prompt') && seen.push(new URL(r.url()).pathname));
  return seen;
};

describe('the one-question prompt (data-auto="all prompt")', () => {
  it('on the order confirmation: named, focused, keyboard-operable, themed, no layout shift, the answer at the collector, once', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const files = promptFiles(page);
    await page.goto(collector.url + '/feedback/thank-you.html');
    const dialog = page.getByRole('dialog', { name: 'How was your checkout?' });
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    expect(files).toEqual(['/parcours-prompt.min.js']);

    // Focus moved into the dialog (its name is read out), then Tab walks the five scores and the close button.
    expect(await focused(page)).toBe('dialog');
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual(['1: very poor', '2: poor', '3: okay', '4: good', '5: excellent', 'Close']);
    expect(await page.getByRole('group', { name: '1 (very poor) – 5 (excellent)' }).getByRole('button').count()).toBe(5);

    // Themed by the shop's custom property; fixed, so nothing on the page moved.
    expect(await page.getByRole('button', { name: '4: good' }).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(32, 96, 64)');
    const layout = await page.evaluate(() => {
      const w = window as unknown as { layout: { promptThen: boolean; rects: Record<string, unknown> }; shifts: number[] };
      const now: Record<string, unknown> = { height: document.documentElement.scrollHeight };
      for (const id of ['order', 'before', 'footer']) now[id] = JSON.stringify(document.getElementById(id)!.getBoundingClientRect());
      return { promptThen: w.layout.promptThen, before: w.layout.rects, now, shifts: w.shifts };
    });
    expect(layout.promptThen).toBe(false); // measured before the prompt existed
    expect(layout.now).toEqual(layout.before);
    expect(layout.shifts).toEqual([]);

    // Answer with the keyboard: back from Close to "4: good", Enter.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('4: good');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Thank you!' }).waitFor();
    const [rating] = await until(() => collector.events('site=prompt&type=feedback_given'), (e) => e.length > 0);
    expect(rating.properties).toEqual({ score: 4, question: 'checkout', via: 'prompt' });
    expect([rating.stage, rating.touchpoint]).toEqual(['purchase', 'order_confirmation']);
    // Shown once, answered, so not dismissed: what the map's response rate counts.
    const [shown] = await until(() => collector.events('site=prompt&type=prompt_shown'), (e) => e.length > 0);
    expect(shown.properties).toEqual({ question: 'checkout' });
    expect(await collector.events('site=prompt&type=prompt_dismissed')).toEqual([]);

    // Another order in the same tab session: no second prompt, no second download.
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 15_000 });
    await page.evaluate(() => (window as unknown as { parcours: (...a: unknown[]) => void }).parcours('track', 'order_completed', { id: 'B-7' }));
    await until(() => collector.events('site=prompt&type=order_completed'), (e) => e.length == 2);
    expect(await page.locator('[data-parcours-prompt]').count()).toBe(0);
    expect(files).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('after a checkout step left following a form error: shown on the next page in its words, Esc closes it, not shown again', async () => {
    const page = await browser.newPage();
    const files = promptFiles(page);
    await page.goto(collector.url + '/feedback/checkout.html');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await until(() => collector.events('site=prompt-abandon&type=checkout_step_viewed'), (e) => e.length > 0);
    expect(files).toEqual([]); // nothing loaded on the checkout itself
    await page.click('#next'); // empty required postcode: the browser refuses the submit
    await until(() => collector.events('site=prompt-abandon&type=form_error'), (e) => e.length > 0);
    await page.click('#back');
    await page.waitForURL('**/feedback/cart.html');
    // This page's tag words it in French (data-prompt-question, -scores, -close).
    const dialog = page.getByRole('dialog', { name: 'Comment s’est passée votre commande ?' });
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await dialog.getByRole('button', { name: '3: correct' }).count()).toBe(1);
    expect(await dialog.getByRole('button', { name: 'Fermer' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('body'); // focus back where it was
    const abandoned = await until(() => collector.events('site=prompt-abandon&type=checkout_abandoned'), (e) => e.length > 0);
    expect(abandoned).toHaveLength(1);

    // The same again in this tab: no second prompt.
    await page.click('#checkout');
    await page.waitForURL('**/feedback/checkout.html');
    await page.click('#next');
    await until(() => collector.events('site=prompt-abandon&type=form_error'), (e) => e.length > 1);
    await page.click('#back');
    await page.waitForURL('**/feedback/cart.html');
    await until(() => collector.events('site=prompt-abandon&type=checkout_abandoned'), (e) => e.length == 2);
    expect(await page.locator('[data-parcours-prompt]').count()).toBe(0);
    expect(files).toEqual(['/parcours-prompt.min.js']);
    expect(await collector.events('site=prompt-abandon&type=feedback_given')).toEqual([]); // dismissed: no answer
    expect((await collector.events('site=prompt-abandon&type=prompt_shown')).map((e: any) => e.properties)).toEqual([{ question: 'checkout' }]);
    expect((await collector.events('site=prompt-abandon&type=prompt_dismissed')).map((e: any) => e.properties)).toEqual([{ question: 'checkout' }]);
    await page.close();
  });

  it('with Subresource Integrity on the tag, its file is pinned by the hash dist/sri.json lists, and runs', async () => {
    const sri = JSON.parse(readFileSync(root('dist/sri.json'), 'utf8')) as Record<string, string>;
    const page = await browser.newPage();
    await page.route('**/feedback/thank-you.html', async (route) => {
      const body = (await (await route.fetch()).text())
        .replace('<script async src="/parcours.min.js"', `<script async src="/parcours.min.js" integrity="${sri['parcours.min.js']}" crossorigin="anonymous"`)
        .replace('data-site="prompt"', 'data-site="prompt-sri"');
      await route.fulfill({ body, contentType: 'text/html' });
    });
    await page.goto(collector.url + '/feedback/thank-you.html');
    await page.getByRole('dialog', { name: 'How was your checkout?' }).waitFor({ state: 'visible', timeout: 15_000 });
    const script = await page.evaluate(() => [...document.scripts].filter((s) => s.src.endsWith('/parcours-prompt.min.js')).map((s) => s.integrity));
    expect(script).toEqual([sri['parcours-prompt.min.js']]);
    await page.close();
  });

  it('is never part of data-auto="all"', async () => {
    const page = await browser.newPage();
    const files = promptFiles(page);
    await page.route('**/feedback/thank-you.html', async (route) => {
      const body = (await (await route.fetch()).text()).replace('data-auto="all prompt"', 'data-auto="all"').replace('data-site="prompt"', 'data-site="no-prompt"');
      await route.fulfill({ body, contentType: 'text/html' });
    });
    await page.goto(collector.url + '/feedback/thank-you.html');
    await until(() => collector.events('site=no-prompt&type=order_completed'), (e) => e.length > 0);
    expect(await page.locator('[data-parcours-prompt]').count()).toBe(0);
    expect(files).toEqual([]);
    await page.close();
  });
});

describe('rating links in emails, end to end', () => {
  it('records one rating on the email touchpoint, cleans the address bar, and a reload does not count it again', async () => {
    const page = await browser.newPage();
    const link = '/shop/products/tide-mug.html?utm_source=klaviyo&utm_medium=email&parcours_rating=4&parcours_q=delivery#reviews';
    await page.goto(collector.url + link);
    const [rating] = await until(() => collector.events('site=atelier-lune&type=feedback_given'), (e) => e.length > 0);
    expect(rating.properties).toEqual({ score: 4, question: 'delivery', via: 'email', touchpoint: 'email' });
    expect([rating.stage, rating.touchpoint]).toEqual(['retention', 'email']);
    expect(page.url()).toBe(collector.url + '/shop/products/tide-mug.html?utm_source=klaviyo&utm_medium=email#reviews');
    const [view] = await until(() => collector.events('site=atelier-lune&type=page_viewed'), (e) => e.length > 0);
    expect((view.page as { url: string }).url).not.toContain('parcours_'); // page views see the clean address
    expect(view.properties.arrival).toMatchObject({ touchpoint: 'email', source: 'klaviyo' }); // utm kept

    await page.reload();
    await until(() => collector.events('site=atelier-lune&type=page_viewed'), (e) => e.length == 2);
    await page.goto(collector.url + link); // the link clicked again in the same tab
    await until(() => collector.events('site=atelier-lune&type=page_viewed'), (e) => e.length == 3);
    expect(await collector.events('site=atelier-lune&type=feedback_given')).toHaveLength(1);
    await page.close();
  });
});
