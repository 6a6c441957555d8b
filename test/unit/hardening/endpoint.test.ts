import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The endpoint rule: events leave the browser only over https, or over plain http to the machine itself
// (localhost, 127.0.0.1, [::1]: development and tests). Anything else is refused with a one-line diagnostic, and
// the tracker then does nothing. A relative endpoint resolves against the page first, so it inherits the page's
// scheme: fine on an https shop, refused on a plain-http one.

let sent: string[] = [];
let warnings: string[] = [];
let createTracker: typeof import('../../../src/tracker').createTracker;
const happyDOM = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;
const HOME = location.href;

beforeEach(async () => {
  sent = [];
  warnings = [];
  vi.stubGlobal('fetch', async (url: string) => (sent.push(String(url)), new Response('{}')));
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.spyOn(console, 'warn').mockImplementation((message) => void warnings.push(String(message)));
  vi.resetModules();
  ({ createTracker } = await import('../../../src/tracker'));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  happyDOM.setURL(HOME);
});

/** Where an event tracked with this endpoint goes: the URL fetched, or undefined when nothing was sent. */
const destination = async (endpoint: unknown) => {
  sent = [];
  const t = createTracker({ endpoint: endpoint as string, debug: true, flushInterval: 60_000 });
  t.track('probe');
  await t.flush();
  t.destroy();
  return sent[0];
};
const endpointWarnings = () => warnings.filter((w) => w.includes('"endpoint"'));

describe('https and the local machine are accepted', () => {
  it.each([
    ['https://collect.example/collect', 'https://collect.example/collect'],
    ['https://collect.example:8443/c?site=x', 'https://collect.example:8443/c?site=x'],
    ['http://localhost:8080/collect', 'http://localhost:8080/collect'],
    ['http://LOCALHOST/collect', 'http://localhost/collect'],
    ['http://127.0.0.1:8080/collect', 'http://127.0.0.1:8080/collect'],
    ['http://[::1]:8080/collect', 'http://[::1]:8080/collect'],
  ])('%s', async (endpoint, url) => {
    expect(await destination(endpoint)).toBe(url);
    expect(endpointWarnings()).toEqual([]);
  });
});

describe('anything else is refused with a diagnostic, and nothing is sent', () => {
  it.each([
    ['plain http to another host', 'http://shop.example/collect'],
    ['http to a host that only starts like localhost', 'http://localhost.evil.example/collect'],
    ['http to a host that only starts like 127.0.0.1', 'http://127.0.0.1.evil.example/collect'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/plain,collect'],
    ['a blob: URL', 'blob:https://shop.example/0b5e1a10-0000-4000-8000-000000000000'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a websocket URL', 'wss://collect.example/collect'],
    ['an ftp URL', 'ftp://collect.example/collect'],
    ['an empty string', ''],
    ['nothing', undefined],
    // Not a string: README's rule for options (wrong type → diagnostic and default) says refuse, not resolve "443".
    ['a number', 443],
    ['an array', ['https://collect.example/collect']],
  ])('%s (%s)', async (_, endpoint) => {
    expect(await destination(endpoint)).toBeUndefined();
    expect(endpointWarnings()).toHaveLength(1);
  });
});

describe('a relative endpoint takes the scheme and host of the page', () => {
  it('is accepted on an https page, and goes to that page’s host', async () => {
    happyDOM.setURL('https://shop.example/products/moon-bowl');
    expect(await destination('/collect')).toBe('https://shop.example/collect');
    expect(await destination('collect')).toBe('https://shop.example/products/collect');
  });

  it('is accepted on a plain-http page served from localhost', async () => {
    happyDOM.setURL('http://localhost:8080/cart');
    expect(await destination('/collect')).toBe('http://localhost:8080/collect');
  });

  it('is refused on a plain-http page of another host, with a diagnostic', async () => {
    happyDOM.setURL('http://shop.example/cart');
    expect(await destination('/collect')).toBeUndefined();
    expect(endpointWarnings()).toHaveLength(1);
    // Protocol-relative too: it takes the page's plain http.
    expect(await destination('//collect.example/collect')).toBeUndefined();
  });
});

describe('an endpoint that is not a string is refused at once', () => {
  it('does not join a sparse array of 50 million slots into a string (a frozen tab)', async () => {
    const sparse: unknown[] = [];
    sparse.length = 5e7;
    const started = performance.now();
    expect(await destination(sparse)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('does not throw for an object whose toString throws', async () => {
    const hostile = {
      toString() {
        throw new Error('hostile');
      },
    };
    expect(await destination(hostile)).toBeUndefined();
  });
});
