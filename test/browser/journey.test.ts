import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { seed } from '../../examples/collector/seed.mjs';
import { launchBrowser } from './support/browser';
import { startTestCollector } from './support/collector';

// The journey map as a shop owner sees it: the collector seeded with a few weeks of a synthetic shop, the page
// in real Chromium, its figures read off the screen and checked against the JSON API.

let browser: Browser;
let collector: Awaited<ReturnType<typeof startTestCollector>>;
const problems: string[] = [];

beforeAll(async () => {
  collector = await startTestCollector({ routes: journeyRoutes });
  seed({ db: collector.collector.db, events: 6000, site: 'demo', end: Date.UTC(2025, 5, 30) });
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const api = async (query: string) => (await fetch(`${collector.url}/api/journey?${query}`)).json();
const open = async (width: number, query = 'site=demo'): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  // CSP refusals and script errors surface as console errors: the page must have none.
  page.on('console', (m) => m.type() == 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => !r.url().startsWith(collector.url) && problems.push(`request to ${r.url()}`));
  await page.goto(`${collector.url}/journey?${query}`);
  return page;
};
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('the journey page in a browser', () => {
  it('shows the conversion, abandonment, orders and worst checkout step the API computes', async () => {
    const expected = await api('site=demo');
    const page = await open(1280);
    expect(await text(page, '#kpi-conversion')).toBe(percent(expected.kpis.conversionRate));
    expect(await text(page, '#kpi-abandonment')).toBe(percent(expected.kpis.cartAbandonmentRate));
    expect(await text(page, '#kpi-orders')).toBe(expected.totals.orders.toLocaleString('en-US'));
    expect((await text(page, '#kpi-worst-step')).toLowerCase()).toBe(expected.kpis.worstCheckoutStep.step);
    for (const field of expected.kpis.worstCheckoutStep.lastFields.slice(0, 2)) {
      await expect(page.locator('.kpi.alert .chip', { hasText: field.field.replace(/_/g, ' ') }).count()).resolves.toBe(1);
    }
    const ordered = expected.funnel.at(-1).sessions.toLocaleString('en-US');
    expect(await text(page, '[data-step="order_completed"] .n')).toBe(ordered);
    await page.screenshot({ path: 'test-results/journey.png', fullPage: true });
    await page.close();
  });

  it('lists the opportunities the API ranks, in its order, with their estimate', async () => {
    const expected = await api('site=demo');
    expect(expected.opportunities.length).toBeGreaterThan(0);
    const page = await open(1280);
    const items = page.locator('.opps li');
    expect(await items.count()).toBe(expected.opportunities.length);
    for (const [i, o] of expected.opportunities.entries()) {
      const item = await items.nth(i).innerText();
      expect(item).toContain(o.suggestion);
      expect(item).toContain(`≈ ${o.ordersAtStake} order`);
      expect(item).toContain(`(estimate: ${o.formula})`);
    }
    // Above the map: the card comes right after the key figures.
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!.y;
    expect(await box('#opp-title')).toBeLessThan(await box('#map-title'));
    await page.close();
  });

  it('shows CSAT per question and the prompt response rate the API computes, under the emotion line', async () => {
    const expected = await api('site=demo');
    const questions = expected.satisfaction.questions;
    expect(questions.map((q: any) => q.question).slice(0, 2)).toEqual(['checkout', 'delivery']);
    const page = await open(1280);
    const rows = page.locator('#questions tbody tr');
    expect(await rows.count()).toBe(questions.length);
    for (const [i, q] of questions.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      expect(cells[1]).toMatch(new RegExp(`^${q.csat == null ? 'no data' : percent(q.csat).replace('.', '\\.')}\\s+${q.n.toLocaleString('en-US')} answers?$`));
      if (q.shown) expect(cells[2]).toContain(`${percent(q.responseRate)}`);
      else expect(cells[2]).toBe('–'); // not asked by the prompt
    }
    const checkout = questions[0];
    expect(checkout.shown).toBeGreaterThan(0);
    expect(await text(page, '#kpi-response')).toBe(`Prompt answered ${percent(checkout.prompted / checkout.shown)} of ${checkout.shown} times shown`);
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!.y;
    expect(await box('#emotion-grid')).toBeLessThan(await box('#questions'));
    // The friction opportunities are listed with the others, and the page draws each one the API ranks.
    expect(expected.opportunities.some((o: any) => ['field_errors', 'dead_clicks', 'js_errors', 'slow_lcp'].includes(o.kind))).toBe(true);
    await page.close();
  });

  it('draws the map with a cell per stage and touchpoint, "no data" where no session was', async () => {
    const page = await open(1280);
    const grid = page.locator('#journey-grid');
    await expect(grid.locator('thead th[scope=col]').allInnerTexts()).resolves.toEqual([
      'Awareness', 'Consideration', 'Purchase', 'Retention', 'Advocacy',
    ]);
    expect(await grid.locator('tbody th[scope=row]').count()).toBe(19);
    const expected = await api('site=demo');
    const filled = expected.map.rows.flatMap((r: any) => r.cells).filter(Boolean).length;
    expect(await grid.locator('td:not(.empty)').count()).toBe(filled);
    expect(await grid.locator('td.empty').first().innerText()).toBe('no data');
    expect(await page.locator('svg.flow-h path[marker-end]').count()).toBeGreaterThan(1);
    await page.close();
  });

  it('filters by device with the plain GET form', async () => {
    const page = await open(1280);
    await page.selectOption('select[name=device]', 'mobile');
    await Promise.all([page.waitForURL(/device=mobile/), page.click('button[type=submit]')]);
    const mobile = await api('site=demo&device=mobile');
    expect(await text(page, '#kpi-conversion')).toBe(percent(mobile.kpis.conversionRate));
    expect(await text(page, '#kpi-sessions')).toBe(mobile.totals.sessions.toLocaleString('en-US'));
    await page.close();
  });

  it('narrows the map to a segment with the filter bar, and back to every session', async () => {
    const all = await api('site=demo');
    const page = await open(1280);
    await page.selectOption('select[name=entry]', 'email');
    await page.selectOption('select[name=customer]', 'returning');
    await Promise.all([page.waitForURL(/entry=email.*customer=returning/), page.click('button[type=submit]')]);
    const narrowed = await api('site=demo&entry=email&customer=returning');
    expect(narrowed.totals.sessions).toBeGreaterThan(0);
    expect(narrowed.totals.sessions).toBeLessThan(all.totals.sessions);
    expect(await text(page, '#kpi-sessions')).toBe(narrowed.totals.sessions.toLocaleString('en-US'));
    expect(await text(page, '#kpi-conversion')).toBe(percent(narrowed.kpis.conversionRate));
    expect(await text(page, '#showing')).toContain('Arrived from Email');
    // The map itself is narrowed: its arrival rows have sessions from email only.
    const arrivals = await page.locator('#journey-grid tbody tr', { has: page.locator('th.tp') }).evaluateAll((rows) =>
      rows.slice(0, 6).map((r) => [r.querySelector('th')!.textContent, r.querySelectorAll('td:not(.empty)').length] as [string | null, number]),
    );
    expect(arrivals.filter(([, n]) => n > 0).map(([name]) => name)).toEqual(['Email']);
    await page.screenshot({ path: 'test-results/journey-segment.png', fullPage: true });
    // A campaign picked from the list keeps the other filters.
    const campaign = narrowed.segments.campaigns[0].key;
    await page.selectOption('select[name=campaign]', campaign);
    await Promise.all([page.waitForURL(/campaign=/), page.click('button[type=submit]')]);
    const three = await api(`site=demo&entry=email&customer=returning&campaign=${encodeURIComponent(campaign)}`);
    expect(await text(page, '#kpi-sessions')).toBe(three.totals.sessions.toLocaleString('en-US'));
    await Promise.all([page.waitForURL((url) => !url.search.includes('entry=')), page.click('#showing a')]);
    expect(await text(page, '#kpi-sessions')).toBe(all.totals.sessions.toLocaleString('en-US'));
    await page.close();
  });

  it('compares segments side by side, each linking to its own map', async () => {
    const all = await api('site=demo');
    const page = await open(1280);
    const rows = page.locator('#segments tr[data-segment]');
    expect(await rows.count()).toBe(all.segments.entries.length + all.segments.customers.length + all.segments.campaigns.length);
    const returning = all.segments.customers.find((c: any) => c.key == 'returning');
    const row = page.locator('#segments tr[data-segment=customer][data-key=returning]');
    expect(await row.locator('td').allInnerTexts()).toEqual([
      'Returning customers', returning.sessions.toLocaleString('en-US'), percent(returning.conversionRate), percent(returning.cartAbandonmentRate),
      expect.stringContaining(percent(returning.csat)), expect.stringMatching(/^€[\d,]+$/),
    ]);
    await Promise.all([page.waitForURL(/customer=returning/), row.locator('a').click()]);
    expect(await text(page, '#kpi-sessions')).toBe(returning.sessions.toLocaleString('en-US'));
    expect(await text(page, '#kpi-conversion')).toBe(percent(returning.conversionRate));
    expect(await page.locator('#segments tr.on[data-key=returning]').count()).toBe(1);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await open(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('svg.flow-v').isVisible()).toBe(true);
    expect(await page.locator('svg.flow-h').isVisible()).toBe(false);
    await page.screenshot({ path: 'test-results/journey-phone.png', fullPage: true });
    await page.close();
  });

  it('loads nothing from elsewhere and breaks no rule of its Content-Security-Policy', async () => {
    // The watch sees a request elsewhere (or the policy refusing it): a planted image, on a page of its own.
    problems.length = 0;
    const control = await open(1280);
    await control.evaluate(() => document.body.append(Object.assign(new Image(), { src: 'https://elsewhere.invalid/p.gif' })));
    await control.waitForTimeout(300);
    await control.close();
    expect(problems.join('\n')).toContain('elsewhere.invalid');
    // Then this test's own pages, whatever ran before it.
    problems.length = 0;
    for (const [width, query] of [[1280, 'site=demo'], [390, 'site=demo'], [1280, 'site=demo&device=mobile'], [390, 'site=demo&entry=ad&customer=new']] as const) {
      const page = await open(width, query);
      await page.waitForLoadState('networkidle');
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});
