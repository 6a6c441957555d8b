import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startTestCollector, until } from './support/collector';

// The one line most shops meet: the script tag, its pre-load stub, and what loading it twice does.

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

describe('the script tag', () => {
  it('replays calls made before it loaded, in order, and loaded twice tracks once', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(collector.url + '/stub.html');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    // After load, both call styles work.
    await page.evaluate(() => {
      const p = (window as unknown as { parcours: ((...a: unknown[]) => void) & { track(t: string, p?: object): void } }).parcours;
      p('track', 'command_style');
      p.track('method_style');
    });
    await page.click('#after');
    const events = await until(
      () => collector.events('site=stub'),
      (e) => e.some((x) => x.type == 'clicked_after_load') && e.some((x) => x.type == 'page_viewed'),
    );
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t != 'page_viewed')).toEqual(['identify', 'newsletter_signup', 'second_call', 'command_style', 'method_style', 'clicked_after_load']);
    expect(types.filter((t) => t == 'page_viewed')).toHaveLength(1); // not two: the second copy stood down
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType.newsletter_signup.properties).toEqual({ list: 'weekly' });
    expect(byType.newsletter_signup.userId).toBe('u-42');
    expect(byType.identify.properties).toEqual({ plan: 'gold' });
    expect(byType.clicked_after_load.properties).toEqual({ where: 'body' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('data-format="segment" sends Segment HTTP API batches with the write key, which the collector stores alike', async () => {
    const page = await browser.newPage();
    const posts: { auth?: string; body: { batch?: { messageId: string; event?: string }[] } }[] = [];
    page.on('request', (r) => r.method() == 'POST' && posts.push({ auth: r.headers()['authorization'], body: JSON.parse(r.postData() || '{}') }));
    await page.goto(collector.url + '/delivery.html?format=segment&write-key=test&endpoint=/v1/batch&auto=none&site=seg');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await page.evaluate(() => (window as unknown as { parcours: (...a: unknown[]) => void }).parcours('track', 'product_viewed', { id: 'moon-bowl' }));
    const [event] = await until(() => collector.events('type=product_viewed'), (e) => e.length > 0);
    expect(posts[0].auth).toBe('Basic ' + Buffer.from('test:').toString('base64'));
    expect(posts[0].body.batch![0]).toMatchObject({ messageId: event.id, event: 'Product Viewed' });
    await page.close();
  });

  it('data-format="segment": events tracked before the Segment file arrives wait for it, then go as Segment batches', async () => {
    const page = await browser.newPage();
    const bodies: { batch?: { event?: string; type: string }[]; events?: unknown[] }[] = [];
    page.on('request', (r) => r.method() == 'POST' && bodies.push(JSON.parse(r.postData() || '{}')));
    // The format's file is held back by the network until the test lets it through.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await page.route('**/parcours-segment.min.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(collector.url + '/delivery.html?format=segment&write-key=test&endpoint=/v1/batch&auto=none&site=seg-held&flush-interval=100', {
      waitUntil: 'commit', // the held file holds the page's load event too
    });
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await page.evaluate(async () => {
      const p = (window as unknown as { parcours: ((...a: unknown[]) => void) & { flush(): Promise<void> } }).parcours;
      p('track', 'product_viewed', { id: 'held-bowl' });
      p('track', 'newsletter_signup', { list: 'weekly' });
      await p.flush(); // an explicit flush does not send them in another format either
      await new Promise((r) => setTimeout(r, 500)); // five flush intervals
    });
    expect(bodies).toEqual([]);
    release();
    const events = await until(() => collector.events('site=seg-held'), (e) => e.length >= 2);
    expect(events.map((e) => e.type).sort()).toEqual(['newsletter_signup', 'product_viewed']);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body.events).toBeUndefined(); // never a parcours batch
    expect(bodies.flatMap((b) => b.batch!.map((m) => m.event))).toEqual(['Product Viewed', 'newsletter_signup']);
    await page.close();
  });

  it('data-format="segment" whose file cannot load: one debug line, nothing sent in another format', async () => {
    const page = await browser.newPage();
    const warnings: string[] = [];
    let posts = 0;
    page.on('console', (m) => m.text().startsWith('[parcours]') && warnings.push(m.text()));
    page.on('request', (r) => r.method() == 'POST' && posts++);
    await page.route('**/parcours-segment.min.js', (route) => route.abort());
    await page.goto(collector.url + '/delivery.html?format=segment&endpoint=/v1/batch&auto=none&site=seg-failed&flush-interval=100&debug=true');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await page.evaluate(async () => {
      const p = (window as unknown as { parcours: ((...a: unknown[]) => void) & { flush(): Promise<void> } }).parcours;
      p('track', 'product_viewed', { id: 'lost-bowl' });
      await p.flush();
      await new Promise((r) => setTimeout(r, 500));
    });
    expect(posts).toBe(0);
    expect(warnings.filter((w) => w.includes('parcours-segment.min.js'))).toEqual([
      expect.stringMatching(/could not load .*parcours-segment\.min\.js; events stay queued/),
    ]);
    await page.close();
  });

  it('never throws into the page with a broken configuration, and says why in debug mode', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.text().startsWith('[parcours]') && warnings.push(m.text()));
    await page.goto(collector.url + '/delivery.html?endpoint=ftp://nowhere');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await page.goto(collector.url + '/delivery.html?batch-size=lots&auto=pages,teleport&flush-interval=&consent=maybe');
    await page.waitForFunction(() => (window as { parcours?: { loaded?: boolean } }).parcours?.loaded);
    await page.evaluate(() => {
      const p = (window as unknown as { parcours: (...a: unknown[]) => unknown }).parcours;
      p('track', { not: 'a string' });
      p('track');
      p('identify', 42);
      p('consent', 'perhaps');
    });
    expect(errors).toEqual([]);
    for (const expected of [
      'option "endpoint" must be https:',
      'option "batchSize" must be a number',
      'option "flushInterval" must be a number',
      'option "consent" must be one of',
      'unknown part "teleport"',
      'track: event type must be a string',
      'identify: userId must be a string',
      'consent must be granted, pending or denied',
    ])
      expect(warnings.some((w) => w.includes(expected)), expected + ' in ' + warnings.join(' | ')).toBe(true);
    await page.close();
  });
});
