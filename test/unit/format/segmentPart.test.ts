import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The script tag's Segment format is a file of its own (parcours-segment.min.js), loaded after the core. Events
// accepted before it is there must wait in the queue, then go out in the Segment format: never in parcours' own
// format to a Segment endpoint, never lost. The file's arrival is simulated by importing its entry.

type Parcours = ((command: string, ...args: unknown[]) => unknown) & { loaded?: boolean };
const w = window as unknown as { parcours?: Parcours };

let posts: { url: string; body: string; headers: Record<string, string> }[] = [];
let warnings: string[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll until `done` or 3 s (bounded). */
const until = async (done: () => boolean) => {
  for (let i = 0; i < 60 && !done(); i++) await wait(50);
};

/** The tag as a shop pastes it, then the core's entry run as if the browser had loaded it. */
const startTag = async () => {
  const tag = document.createElement('script');
  tag.setAttribute('data-endpoint', 'http://127.0.0.1:1/v1/batch');
  tag.setAttribute('data-format', 'segment');
  tag.setAttribute('data-write-key', 'wk');
  tag.setAttribute('data-auto', 'none');
  tag.setAttribute('data-flush-interval', '100');
  tag.setAttribute('data-debug', '');
  tag.setAttribute('src', 'http://127.0.0.1:1/parcours.min.js');
  document.head.appendChild(tag);
  await import('../../../src/entry/script-tag');
  return w.parcours!;
};
/** The script element the core added to load the Segment file. */
const segmentScript = () =>
  [...document.querySelectorAll('script')].find((s) => s.getAttribute('src')?.endsWith('/parcours-segment.min.js'));

beforeEach(() => {
  posts = [];
  warnings = [];
  document.head.innerHTML = '';
  delete w.parcours;
  localStorage.clear();
  sessionStorage.clear();
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    posts.push({ url, body: String(init.body), headers: { ...(init.headers as Record<string, string>) } });
    return new Response('{}', { status: 200 });
  });
  vi.spyOn(console, 'warn').mockImplementation((m: string) => void warnings.push(m));
  vi.resetModules();
});
afterEach(() => vi.restoreAllMocks());

describe('data-format="segment" loads the Segment format as its own part', () => {
  it('asks for parcours-segment.min.js next to the tag', async () => {
    await startTag();
    expect(segmentScript()).toBeDefined();
  });

  it('holds events accepted before the part is there, then sends them in the Segment format', async () => {
    const parcours = await startTag();
    parcours('track', 'product_viewed', { product: { id: 'mug', price: 12 } });
    parcours('page');
    parcours('track', 'newsletter_signup');
    await wait(400); // four flush intervals: a tracker without the hold would have sent by now
    expect(posts).toEqual([]);
    expect(warnings.filter((m) => /send error/.test(m))).toEqual([]);

    await import('../../../src/entry/segment-chunk'); // the file arrives and registers the format
    await until(() => posts.length > 0);
    const messages = posts.flatMap((p) => (JSON.parse(p.body) as { batch: { type: string; event?: string }[] }).batch);
    expect(messages.map((m) => m.event ?? m.type)).toEqual(['Product Viewed', 'page', 'newsletter_signup']);
    expect(messages[0]).toMatchObject({ type: 'track', properties: { product_id: 'mug', price: 12 } });
    for (const p of posts) expect(p.headers.Authorization).toBe('Basic ' + btoa('wk:'));
  });

  it('sends what comes after the part in the Segment format too', async () => {
    const parcours = await startTag();
    await import('../../../src/entry/segment-chunk');
    parcours('track', 'cart_viewed');
    await until(() => posts.length > 0);
    expect(JSON.parse(posts[0].body).batch.map((m: { event: string }) => m.event)).toEqual(['Cart Viewed']);
  });

  it('beacons nothing at pagehide before the part is there: the queue waits for a page that has it', async () => {
    const beacon = vi.fn(() => true);
    vi.spyOn(navigator, 'sendBeacon').mockImplementation(beacon);
    const parcours = await startTag();
    parcours('track', 'checkout_started');
    await wait(50);
    window.dispatchEvent(new Event('pagehide'));
    await wait(50);
    expect(posts).toEqual([]);
    expect(beacon).not.toHaveBeenCalled();
    expect(warnings.some((m) => m.includes('format not loaded at pagehide'))).toBe(true);
  });

  it('says so in one debug line when the part cannot load, and keeps the events queued', async () => {
    const parcours = await startTag();
    parcours('track', 'product_viewed', { product: { id: 'mug' } });
    // happy-dom loads no script files: it fires `error` on the element, as a browser does for a 404 or a CSP refusal.
    await wait(300);
    expect(posts).toEqual([]);
    const lines = warnings.filter((m) => m.includes('parcours-segment.min.js'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not load .*parcours-segment\.min\.js; events stay queued/);
    // Still queued: the part arriving later (as on the next page) sends it.
    await import('../../../src/entry/segment-chunk');
    await until(() => posts.length > 0);
    expect(JSON.parse(posts[0].body).batch[0].event).toBe('Product Viewed');
  });
});
