import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParcoursEvent, Tracker } from '../../../src/types';
import { MAX_STRING, TRUNCATED } from '../../../src/lib/jsonSafe';
import { fakeCollector, loadSdk } from '../core/fakeCollector';

// Where the limits meet privacy: what the script tag runs (journey + privacy) must let no part of a secret out,
// whatever shape the page hands it in — cut at a length limit, inside a URL passed as a property, or planted on
// a prototype.

let collector: ReturnType<typeof fakeCollector>;
let sdk: typeof import('../../../src/entry/npm');
let t: Tracker;

beforeEach(async () => {
  localStorage.clear();
  ({ collector, sdk } = await loadSdk(() => import('../../../src/entry/npm')));
  // The script tag's parts: journey tagging and privacy redaction.
  t = sdk.createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, parts: [sdk.journey(), sdk.privacy()] });
});
afterEach(() => {
  t.destroy();
  vi.unstubAllGlobals();
});

const sent = async (type: string, properties: Record<string, unknown>): Promise<ParcoursEvent> => {
  t.track(type, properties);
  await t.flush();
  return [...collector.stored.values()].find((e) => e.type == type)!;
};

describe('a cut at a length limit never leaves part of a secret behind', () => {
  // Filler without digits, "@" or the secret's letters, so whatever of the secret survives is visible.
  const filler = (n: number) => 'x '.repeat(MAX_STRING).slice(0, n);
  const cases = [
    // [secret, what must not survive of it]
    ['jane.cut@doe.com', (s: string) => /jan|\.cut|@d/.test(s)],
    ['4242 4242 4242 4242', (s: string) => s.replace(/\D/g, '').length >= 4],
    ['+33 6 12 34 56 78', (s: string) => s.replace(/\D/g, '').length >= 4],
  ] as const;
  for (const [secret, leaks] of cases)
    it(`${secret}, cut anywhere by the ${MAX_STRING}-character limit`, async () => {
      const found: string[] = [];
      for (let k = 1; k < secret.length; k++) {
        const event = await sent('cut_' + k, { text: filler(MAX_STRING - k) + secret + ' and more text after it' });
        const text = String(event.properties.text);
        expect(text.endsWith(TRUNCATED)).toBe(true);
        if (leaks(text.slice(-60))) found.push(JSON.stringify(text.slice(-40)));
      }
      expect(found).toEqual([]);
    });
});

describe('a URL passed as a property loses its secret parameters, as page.url does', () => {
  it('a whole URL: the token and email parameters go, the campaign stays', async () => {
    const event = await sent('share_clicked', { url: 'https://shop.example/account/reset?token=s3cr3t&email=jane%40doe.com&utm_source=x' });
    expect(event.properties.url).toBe('https://shop.example/account/reset?utm_source=x');
  });

  it('a path with a query, as links and history entries hold them', async () => {
    const event = await sent('link_clicked', { href: '/account/reset?token=s3cr3t&lang=fr' });
    expect(event.properties.href).toBe('/account/reset?lang=fr');
  });

  it('location.href itself, when the page is on a URL with a token', async () => {
    history.replaceState(null, '', '/checkout?session_id=cs_live_s3cr3t&step=payment');
    try {
      const event = await sent('shared_page', { url: location.href });
      expect(JSON.stringify(event)).not.toContain('s3cr3t');
      expect(event.properties.url).toMatch(/\/checkout\?step=payment$/);
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('a URL inside text', async () => {
    const event = await sent('support_message', { text: 'Reset link https://shop.example/reset?token=s3cr3t did not work' });
    expect(event.properties.text).not.toContain('s3cr3t');
  });
});

describe('prototype pollution never becomes event data', () => {
  it('enumerable junk on Object.prototype and Array.prototype is not copied', async () => {
    const junk = [
      Object.defineProperty(Object.prototype, 'polluted', { value: 'x@doe.com', enumerable: true, configurable: true, writable: true }),
      Object.defineProperty(Array.prototype, 'each', { value: () => 0, enumerable: true, configurable: true, writable: true }),
    ];
    try {
      const event = await sent('clean', { list: [1, 2], nested: { a: 1 } });
      expect(event.properties).toEqual({ list: [1, 2], nested: { a: 1 } });
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
      delete (Array.prototype as unknown as Record<string, unknown>).each;
    }
    expect(junk).toHaveLength(2);
  });

  it('a "__proto__" key from parsed JSON neither pollutes nor sets the copy’s prototype', async () => {
    const event = await sent('parsed', JSON.parse('{"__proto__": {"admin": true}, "ok": 1}'));
    expect(event.properties).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
