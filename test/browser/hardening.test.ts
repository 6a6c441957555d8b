import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { root, startTestCollector, until, type StoredEvent } from './support/collector';

// parcours is safe in any shop, in real Chromium against the reference collector: on a hostile page it throws
// nothing into the page and lets no personal data out; under a strict Content-Security-Policy it needs no
// exception; with Subresource Integrity a tampered file is refused by the browser and the rest keeps working.

declare const parcours: ((...args: unknown[]) => unknown) & { track(type: string, properties?: unknown): void; flush(): Promise<void> };

let browser: Browser;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

const collectorWith = async (options: Record<string, unknown> = {}) => {
  const collector = await startTestCollector(options);
  cleanups.push(() => collector.close());
  return collector;
};
const newContext = async () => {
  const context = await browser.newContext();
  // No traffic leaves the machine.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  cleanups.push(() => context.close());
  return context;
};
const ready = (page: Page) => page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);

/** Uncaught errors of a page: the message and the stack, which names the script that threw. */
const watchErrors = (page: Page) => {
  const errors: { message: string; stack: string }[] = [];
  page.on('pageerror', (e) => errors.push({ message: e.message, stack: e.stack ?? '' }));
  return errors;
};

/** Every request body the browser sent (fetch, keepalive fetch and sendBeacon alike), as it left. */
const watchBodies = (context: BrowserContext) => {
  const bodies: string[] = [];
  context.on('request', (r) => r.method() == 'POST' && bodies.push(r.postData() ?? ''));
  return bodies;
};

describe('on a hostile checkout page, with every automatic part on', () => {
  // What the customer typed or the page showed, in every spelling that could leak.
  const SECRETS = {
    password: 'hunter2-Redteam!',
    card: '4242 4242 4242 4242',
    email: 'jane.typed@doe.com',
    phone: '+33 6 12 34 56 78',
    token: 's3cr3t',
  };
  const FORBIDDEN = [
    SECRETS.password,
    'hunter2',
    SECRETS.card,
    '4242424242424242',
    '4242 4242',
    SECRETS.phone,
    '6 12 34 56 78',
    '612345678',
    SECRETS.token,
    'doe.com', // every email on the page ends so: typed, in the URL, the title, the JSON-LD, an error, a property
    'doe%2ecom',
    '%40doe',
  ];

  it('lets no typed value, email, phone, card or token out, and throws nothing into the page', async () => {
    const collector = await collectorWith();
    const context = await newContext();
    const bodies = watchBodies(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const diagnostics: string[] = [];
    page.on('console', (m) => m.text().startsWith('[parcours]') && diagnostics.push(m.text()));

    // Secrets in the query (and a campaign parameter that must survive), an email in the fragment.
    await page.goto(collector.url + '/redteam.html?email=jane@doe.com&token=' + SECRETS.token + '&utm_source=x#ref=jane.hash@doe.com');
    await ready(page);
    // The customer types, slowly for the password (key by key), and submits with a required field empty.
    await page.fill('#email', SECRETS.email);
    await page.fill('#phone', SECRETS.phone);
    await page.type('#password', SECRETS.password, { delay: 5 });
    await page.fill('#card', SECRETS.card);
    await page.click('#pay'); // "fullname" is required and empty: the browser's validation error
    await page.fill('#fullname', 'Jane Doe');
    await page.click('#pay'); // the theme shows "card declined" and marks the field aria-invalid
    // Rage: five clicks in half a second on a button that does nothing.
    const box = (await page.locator('#coupon').boundingBox())!;
    for (let i = 0; i < 5; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { delay: 10 });
    await page.click('#widget'); // a third-party widget throws, with the customer's email in the message

    // The page calls parcours with everything a careless or hostile page passes.
    const result = await page.evaluate(() => {
      const escapes: string[] = [];
      const attempt = (label: string, call: () => unknown) => {
        try {
          call();
        } catch (e) {
          escapes.push(label + ': ' + String(e));
        }
      };
      const cycle: Record<string, unknown> = { name: 'cycle' };
      cycle.self = cycle;
      let deep: unknown = 'bottom';
      for (let i = 0; i < 10_000; i++) deep = { deep };
      const hostile = {
        email: 'jane.track@doe.com',
        note: 'call me on +33 6 12 34 56 78, card 4242 4242 4242 4242',
        cycle,
        deep,
        list: [1, 2, 3], // Array.prototype.toJSON throws on this page
        bad: {
          toJSON() {
            throw new Error('redteam-hostile: toJSON');
          },
        },
        get getter() {
          throw new Error('redteam-hostile: getter');
        },
        proxy: new Proxy({}, { ownKeys: () => { throw new Error('redteam-hostile: proxy'); }, get: () => { throw new Error('redteam-hostile: proxy'); } }),
        big: 10n ** 30n,
        when: new Date(NaN),
        el: document.body,
        huge: 'jane.huge@doe.com '.repeat(60_000),
        refused: { __theme_refuse__: true }, // the page's JSON.stringify throws on this one
      };
      attempt('track hostile', () => parcours.track('hostile_props', hostile));
      // (how long copying a whole window or event takes is a figure of `node test/bench/hardening.bench.mjs`)
      attempt('track window', () => parcours.track('hostile_window', window));
      attempt('track event', () => parcours.track('hostile_event', new MouseEvent('click')));
      attempt('track no type', () => (parcours.track as (...a: unknown[]) => void)());
      attempt('track object type', () => parcours.track({ toString: () => { throw new Error('redteam-hostile: type'); } } as never));
      attempt('unknown command', () => parcours('teleport', 1));
      attempt('hostile command', () => parcours({ toString: () => { throw new Error('redteam-hostile: command'); } }));
      attempt('identify', () => parcours('identify', 'customer-7', { email: 'jane.identify@doe.com', phone: '06 12 34 56 78' }));
      attempt('consent junk', () => parcours('consent', { granted: true }));
      // The everyday version of the same mistake: a URL with its query string, as a property.
      attempt('track url', () => parcours.track('share_clicked', { url: location.href, reset: '/account/reset?token=s3cr3t&email=jane.reset@doe.com' }));
      attempt('track after all that', () => parcours.track('still_working', { ok: true }));
      return { escapes };
    });
    await page.evaluate(() => parcours.flush());
    // The customer leaves: what is still queued goes by beacon at pagehide.
    await page.goto('about:blank');

    const needed = ['page_viewed', 'product_viewed', 'form_error', 'js_error', 'rage_click', 'hostile_props', 'share_clicked', 'still_working', 'identify'];
    const events = await until(
      () => collector.events('site=redteam'),
      (e) => needed.every((type) => e.some((x) => x.type == type)),
      20_000,
    );
    const types = new Set(events.map((e) => e.type));
    expect(needed.filter((type) => !types.has(type))).toEqual([]);
    expect(result.escapes).toEqual([]);

    // Not one secret, in what the collector stored or in any body that left the browser.
    const stored = JSON.stringify(events);
    const sent = bodies.join('\n');
    expect(bodies.length).toBeGreaterThan(0);
    const leaks = (text: string) => FORBIDDEN.filter((secret) => text.toLowerCase().includes(secret.toLowerCase()));
    // Soft: one leak must not hide the others, nor the checks below.
    expect.soft(leaks(stored)).toEqual([]);
    expect.soft(leaks(sent)).toEqual([]);
    for (const e of events) expect.soft(leaks(JSON.stringify(e)), `leak in a ${e.type} event`).toEqual([]);

    // What was redacted is still there in redacted form: the events are useful, not emptied.
    const first = (type: string) => events.find((e) => e.type == type) as StoredEvent & { page: { url: string; title: string } };
    const pageView = first('page_viewed');
    expect(pageView.page.url).toMatch(/\/redteam\.html\?utm_source=x(#|$)/);
    expect(pageView.page.title).toBe('Express checkout for [email] · Red team shop');
    expect(first('product_viewed').properties).toMatchObject({ name: 'Moon Bowl engraved for [email]', price: 34 });
    expect(first('js_error').properties.message).toContain('gift wrapping failed for [email]');
    expect(first('hostile_props').properties).toMatchObject({ email: '[email]', cycle: { name: 'cycle', self: '[cycle]' }, big: '1000000000000000000000000000000' });
    // Form errors name fields by their kind at most, never by what was typed.
    const fields = events.filter((e) => e.type == 'form_error').map((e) => e.properties.field);
    expect(fields).toContain('fullname');

    // No error from parcours reached the page; the widget's deliberate one did (and only it).
    expect(errors.filter((e) => /parcours/i.test(e.stack))).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(['redteam-deliberate: gift wrapping failed for jane.err@doe.com']);
    // Nothing was lost inside parcours on the way: the only internal error is the command whose toString throws.
    expect(diagnostics.filter((d) => /internal error|send error|failed|unavailable|dropped/.test(d) && !d.includes('redteam-hostile: command'))).toEqual([]);
  });
});

// A strict policy a careful shop would send: no inline script or style, nothing from other origins.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/** The integrity value of a built file, computed here and checked against dist/sri.json (the README's snippet). */
const integrityOf = (file: string) => {
  const hash = 'sha384-' + createHash('sha384').update(readFileSync(root('dist/' + file))).digest('base64');
  const sri = JSON.parse(readFileSync(root('dist/sri.json'), 'utf8')) as Record<string, string>;
  expect(sri[file], 'dist/sri.json is stale: run `npx rollup -c`').toBe(hash);
  return hash;
};

/** A copy of the demo shop with every page's HTML passed through `edit` (a shop editing its theme). */
const shopCopy = (edit: (html: string) => string) => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-shop-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(root('examples/shop'), dir, { recursive: true });
  let edited = 0;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(dir, file), 'utf8');
    const out = edit(html);
    if (out != html) (writeFileSync(join(dir, file), out), edited++);
  }
  expect(edited).toBeGreaterThan(5);
  return dir;
};

/** The demo shop with `integrity` and `crossorigin` on its parcours tag, as the README tells shops to. */
const shopWithSri = () => {
  const hash = integrityOf('parcours.min.js');
  return shopCopy((html) => html.replace('<script async src="/parcours.min.js"', `<script async src="/parcours.min.js" integrity="${hash}" crossorigin="anonymous"`));
};

/** CSP violations as the page sees them (the event) and as Chromium reports them (console errors). */
const watchCsp = async (context: BrowserContext, page: Page) => {
  const violations: string[] = [];
  const consoleErrors: string[] = [];
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`securitypolicyviolation ${e.violatedDirective} blocked=${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    ),
  );
  page.on('console', (m) => {
    if (m.type() != 'error') return;
    if (/securitypolicyviolation|Content Security Policy/i.test(m.text())) violations.push(m.text());
    else consoleErrors.push(m.text());
  });
  return { violations, consoleErrors };
};

describe('under a strict Content-Security-Policy, with Subresource Integrity', () => {
  it('runs the demo shop with no violation and delivers page and product views', async () => {
    const collector = await collectorWith({ static: { '/': shopWithSri() }, headers: { 'Content-Security-Policy': CSP } });
    const context = await newContext();
    const page = await context.newPage();
    const { violations, consoleErrors } = await watchCsp(context, page);
    const errors = watchErrors(page);
    const response = await page.goto(collector.url + '/');
    expect(response!.headers()['content-security-policy']).toBe(CSP);
    await ready(page);
    const go = async (selector: string) => {
      await Promise.all([page.waitForNavigation(), page.click(selector)]);
      await ready(page);
    };
    await go('a[href="/collections/all"]');
    await go('a[href="/products/moon-bowl"]');
    await page.click('[data-testid="add-to-cart"]');
    await go('[data-testid="cart-link"]');
    // Every lazily loaded file came with its baked-in hash (the one dist/sri.json lists), and ran.
    const sri = JSON.parse(readFileSync(root('dist/sri.json'), 'utf8')) as Record<string, string>;
    const chunks = await page.evaluate(() =>
      [...document.scripts].filter((s) => /\/parcours-[\w-]+\.min\.js$/.test(s.src)).map((s) => [s.src.replace(/^.*\//, ''), s.integrity, s.crossOrigin]),
    );
    // The prompt's file is opt-in and loads only when the prompt shows (test/browser/feedback.test.ts checks its hash);
    // the Segment format's only with data-format="segment" (test/browser/script-tag.test.ts).
    const expected = Object.entries(sri).filter(([file]) => !['parcours.min.js', 'parcours-prompt.min.js', 'parcours-segment.min.js'].includes(file)).map(([file, hash]) => [file, hash, 'anonymous']);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(chunks.sort()).toEqual(expected.sort());
    await page.evaluate(() => parcours.flush());
    const events = await until(collector.events, (e) => e.filter((x) => x.type == 'page_viewed').length >= 4 && e.some((x) => x.type == 'product_viewed'));
    expect(events.filter((e) => e.type == 'page_viewed')).toHaveLength(4);
    expect(events.filter((e) => e.type == 'product_viewed').map((e) => e.properties.id)).toContain('moon-bowl');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a tampered lazily loaded file is refused by the browser, and the core still delivers custom events', async () => {
    const collector = await collectorWith({ static: { '/': shopWithSri() }, headers: { 'Content-Security-Policy': CSP } });
    const context = await newContext();
    // Someone changed parcours-auto.min.js on the CDN after the page was published.
    await context.route('**/parcours-auto.min.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('page_viewed', 'page_hijacked') + '\n/* tampered */' });
    });
    const page = await context.newPage();
    const { violations, consoleErrors } = await watchCsp(context, page);
    const errors = watchErrors(page);
    await page.goto(collector.url + '/');
    await ready(page);
    const escaped = await page.evaluate(() => {
      try {
        parcours.track('custom_after_tamper', { ok: true });
        return null;
      } catch (e) {
        return String(e);
      }
    });
    await page.evaluate(() => parcours.flush());
    const events = await until(collector.events, (e) => e.some((x) => x.type == 'custom_after_tamper'));
    expect(escaped).toBeNull();
    expect(events.find((e) => e.type == 'custom_after_tamper')!.properties).toEqual({ ok: true });
    // The tampered file never ran: no page view from it, hijacked or not.
    expect(events.filter((e) => /^page_/.test(e.type))).toEqual([]);
    expect(consoleErrors.filter((m) => /integrity/i.test(m)).length).toBeGreaterThan(0);
    expect(consoleErrors.filter((m) => !/integrity/i.test(m))).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('with a nonce-based policy, the lazily loaded parts carry the tag’s nonce and run', async () => {
    // Frameworks (Next.js, Rails, Django) put a per-response nonce on every script tag instead of allowing 'self'.
    const nonce = 'r4nd0mN0nce';
    const dir = shopCopy((html) => html.replaceAll('<script src=', `<script nonce="${nonce}" src=`).replace('<script async src="/parcours.min.js"', `<script nonce="${nonce}" async src="/parcours.min.js"`));
    const policy = CSP.replace("script-src 'self'", `script-src 'nonce-${nonce}'`);
    const collector = await collectorWith({ static: { '/': dir }, headers: { 'Content-Security-Policy': policy } });
    const context = await newContext();
    const page = await context.newPage();
    const { violations } = await watchCsp(context, page);
    const errors = watchErrors(page);
    await page.goto(collector.url + '/products/moon-bowl');
    await ready(page);
    await page.evaluate(() => parcours.flush());
    const events = await until(collector.events, (e) => e.some((x) => x.type == 'product_viewed'), 10_000);
    expect(violations).toEqual([]);
    expect(events.map((e) => e.type)).toContain('page_viewed');
    expect(events.map((e) => e.type)).toContain('product_viewed');
    expect(errors).toEqual([]);
  });

  // The lazily loaded parts do not load under Trusted Types yet (assigning a script's src needs a policy): not
  // asserted here, see the hardening notes. What must hold already: no error, and the core works.
  it('with Trusted Types enforced, nothing is thrown into the page and the core still delivers', async () => {
    const policy = CSP + "; require-trusted-types-for 'script'";
    const collector = await collectorWith({ static: { '/': root('examples/shop') }, headers: { 'Content-Security-Policy': policy } });
    const context = await newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(collector.url + '/');
    await ready(page);
    await page.evaluate(() => parcours.track('custom_under_trusted_types'));
    await page.evaluate(() => parcours.flush());
    const events = await until(collector.events, (e) => e.some((x) => x.type == 'custom_under_trusted_types'), 10_000);
    expect(events.map((e) => e.type)).toContain('custom_under_trusted_types');
    expect(errors).toEqual([]);
  });
});
