import { describe, expect, it, vi } from 'vitest';
import type { ParcoursEvent } from '../../../src/types';
import type { PartApi } from '../../../src/tracker';
import { TRUNCATED } from '../../../src/lib/jsonSafe';
import { DEFAULT_STRIP_PARAMS, MAX_SCAN, privacy, redactEvent, redactText, redactUrl } from '../../../src/privacy/redact';
import { loadSdk } from '../core/fakeCollector';

/** Each row: the text as written, and what leaves the browser. */
const table = (rows: ReadonlyArray<readonly [string, string]>) => rows.map(([input, output]) => [input, output] as const);
const unchanged = (rows: readonly string[]) => rows.map((input) => [input, input] as const);

describe('emails become [email]', () => {
  it.each(
    table([
      ['jane@doe.com', '[email]'],
      ['Contact: Jane.Doe+shop@Example.CO.UK, thanks', 'Contact: [email], thanks'],
      ['a@b.com;c@d.org', '[email];[email]'],
      ['<jane_doe@mail.example.com>', '<[email]>'],
      ['mailto:jane@doe.com', 'mailto:[email]'],
      ['email=jane@doe.com&x=1', 'email=[email]&x=1'],
      ['jane%40doe.com', '[email]'], // percent-encoded, as in a path
      ['jane@müller.de', '[email]'], // an internationalised domain
      ['Write to jane@doe.com.', 'Write to [email].'],
    ]),
  )('%j → %j', (input, output) => expect(redactText(input)).toBe(output));

  it.each(unchanged(['@parcours on Instagram', 'npm i parcours@1.2.3', 'user@localhost', 'a @ b.com', 'logo @2x']))(
    'leaves %j alone (no domain with a letters-only last label)',
    (input) => expect(redactText(input)).toBe(input),
  );
});

describe('phone numbers become [phone]', () => {
  it.each(
    unchanged([
      '06 12 34 56 78',
      '06.12.34.56.78',
      '06-12-34-56-78',
      '06\u00a012\u00a034\u00a056\u00a078', // no-break spaces, as French typography writes them
      '0612345678',
      '+33 6 12 34 56 78',
      '+33 (0)6 12 34 56 78',
      '+33612345678',
      '0033 6 12 34 56 78',
      '(555) 123-4567',
      '555-123-4567',
      '555.123.4567',
      '+1 555 123 4567',
      '+1 (555) 123-4567',
      '1-800-555-0199',
      '020 7946 0958',
      '+44 20 7946 0958',
      '07700 900123',
      '030 12345678',
      '+49 30 12345678',
      '0171 1234567',
      '612 345 678',
      '+34 612 34 56 78',
      '0 800 123 456',
    ]).map(([input]) => [input, '[phone]'] as const),
  )('%j → %j', (input, output) => expect(redactText(input)).toBe(output));

  it.each(
    table([
      ['Tel: 06 12 34 56 78.', 'Tel: [phone].'],
      ['call 0612345678 or 0698765432', 'call [phone] or [phone]'],
      ['Mobile (+44 7700 900123)', 'Mobile ([phone])'],
      ['phone=+33612345678&step=2', 'phone=[phone]&step=2'],
      ['/account/0612345678/orders', '/account/[phone]/orders'],
    ]),
  )('in context: %j → %j', (input, output) => expect(redactText(input)).toBe(output));
});

describe('numbers that are not phones are left alone', () => {
  it.each(unchanged(['1 299,99 €', '$1,299.99', '1.299,00 €', '€ 12.50', 'Rp 1.299.000', '12 990 Ft', '₩1,299,000', '1\u202f299,00\u00a0€']))(
    'price %j',
    (input) => expect(redactText(input)).toBe(input),
  );
  it.each(
    unchanged(['2024-11-25', '25.11.2024', '25/11/2024', '2024-11-25T14:30:00Z', '11-25-2024', '2024-11-25 14:30', '25.11.2024 14.30', '2024.11.25']),
  )('date %j', (input) => expect(redactText(input)).toBe(input));
  it.each(unchanged(['2024', '1999-2024', '© 2019–2024', '14:30', '9.00-18.00', '09:00–18:00']))('year or time %j', (input) =>
    expect(redactText(input)).toBe(input),
  );
  it.each(
    unchanged([
      'AL-4821',
      '#100234567',
      'Order 2024-000123',
      'AL-4821-99812',
      '000000123', // Magento's default order number
      '114-1234567-1234567', // Amazon's
      'SKU-12345-XL',
      'ABC-123-456-7890',
      'EAN 4006381333931',
      'UPC 012345678905',
      'ISBN 978-3-16-148410-0',
      'variant=44012345678901', // a Shopify variant id
      '/products/7712345678901',
      'ts 1732000000000',
    ]),
  )('order number, SKU or id %j', (input) => expect(redactText(input)).toBe(input));
  it.each(unchanged(['75011', '90210-1234', '01310-100', 'SW1A 1AA', 'D02 X285']))('postal code %j', (input) => expect(redactText(input)).toBe(input));
});

describe('card numbers that pass the Luhn check become [card]', () => {
  it.each(
    [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      '5555 5555 5555 4444',
      '378282246310005', // Amex, 15 digits
      '3782 822463 10005', // Amex as printed
      '6011 1111 1111 1117',
      '3530111333300000', // JCB
      '6200000000000005', // UnionPay
      '2223 0031 2200 3222', // Mastercard 2-series
      '4000000000000000006', // Visa, 19 digits
      '6767700000000000001', // Maestro, 19 digits
    ].map((input) => [input, '[card]'] as const),
  )('%j → %j', (input, output) => expect(redactText(input)).toBe(output));

  it.each(
    table([
      ['card: 4111 1111 1111 1111, exp 12/27', 'card: [card], exp 12/27'],
      ['4111 1111 1111 1111 12/27', '[card]/27'], // a card glued to more digits is still found
      ['cc=4111111111111111&x=1', 'cc=[card]&x=1'],
      ['4111 1111 1111 1111 1111 1111', '[card]'], // the whole run goes with the card in it
    ]),
  )('in context: %j → %j', (input, output) => expect(redactText(input)).toBe(output));

  it.each(
    unchanged([
      '4111 1111 1111 1112', // Luhn fails
      '1234 5678 9012 3456',
      '1234567890123452', // passes Luhn, but no card network starts with 1
      '4006381333932', // 13 digits: EAN-13 far more often than a (no longer issued) 13-digit Visa
      '44012345678901', // 14 digits, passes Luhn: a Shopify variant id, not a Diners card
      '1234 5678 9012 3456 7890 1234', // 24 digits, and no span of whole groups is a card
    ]),
  )('leaves %j alone', (input) => expect(redactText(input)).toBe(input));
});

describe('work per string is bounded', () => {
  it('cuts text longer than MAX_SCAN before scanning, so nothing unscanned leaves', () => {
    const out = redactText('x'.repeat(MAX_SCAN + 10) + ' jane@doe.com');
    expect(out).toBe('x'.repeat(MAX_SCAN) + TRUNCATED);
  });

  it('returns non-strings unchanged', () => {
    expect(redactText(42 as unknown as string)).toBe(42);
    expect(redactText(undefined as unknown as string)).toBe(undefined);
  });

  /** mulberry32, so a slow input can be reproduced. */
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = prng(7);
  const ALPHABET = '0123456789 .-+()@a%4Z_\u00a0';
  const ADVERSARIAL = [
    'a'.repeat(MAX_SCAN - 1) + '@',
    '@'.repeat(MAX_SCAN),
    'a@'.repeat(MAX_SCAN / 2),
    'a.'.repeat(MAX_SCAN / 2 - 1) + '@x',
    'x@' + 'a.'.repeat(MAX_SCAN / 2 - 1),
    'x@' + 'a-'.repeat(MAX_SCAN / 2 - 1),
    '%40'.repeat(MAX_SCAN / 3),
    '1 '.repeat(MAX_SCAN / 2),
    '1-'.repeat(MAX_SCAN / 2),
    '1.2-'.repeat(MAX_SCAN / 4),
    '('.repeat(MAX_SCAN - 1) + '1',
    '(1)'.repeat(MAX_SCAN / 3),
    '+1'.repeat(MAX_SCAN / 2),
    '0'.repeat(MAX_SCAN),
    '4111 '.repeat(MAX_SCAN / 5),
    ...Array.from({ length: 300 }, () => Array.from({ length: MAX_SCAN }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('')),
  ];

  it(`redacts ${ADVERSARIAL.length} adversarial strings of ${MAX_SCAN} characters without a blow-up`, () => {
    redactText('warm up 06 12 34 56 78 jane@doe.com'); // compile the patterns outside the clock
    const start = performance.now();
    let slowest = 0;
    for (const input of ADVERSARIAL) {
      const t = performance.now();
      expect(typeof redactText(input)).toBe('string');
      slowest = Math.max(slowest, performance.now() - t);
    }
    // Each takes well under a millisecond (about 0.2 ms at worst on a laptop); the bounds leave room for a
    // loaded CI machine. A backtracking blow-up would take seconds to forever.
    expect(slowest).toBeLessThan(250);
    expect(performance.now() - start).toBeLessThan(2500);
  });

  it('treats a 1 MB string as its first MAX_SCAN characters', () => {
    const huge = '1 '.repeat(500_000);
    const t = performance.now();
    expect(redactText(huge).length).toBe(MAX_SCAN + TRUNCATED.length);
    expect(performance.now() - t).toBeLessThan(250);
  });
});

describe('URLs lose secret parameters and keep the rest as written', () => {
  const S = DEFAULT_STRIP_PARAMS;
  it.each(
    table([
      ['https://shop.example/p?token=abc&color=red', 'https://shop.example/p?color=red'],
      ['https://shop.example/p?Email=x&API_KEY=y&page=2', 'https://shop.example/p?page=2'],
      [
        '/p?customer_email=x&apiKey=y&user%5Bpassword%5D=z&X-Amz-Signature=s&access_token=t&e-mail=m&keyword=socks',
        '/p?keyword=socks',
      ],
      ['https://x.example/cb?code=4/0AX&state=abc', 'https://x.example/cb?state=abc'],
      ['https://x.example/p?token=1', 'https://x.example/p'],
      ['https://shop.example/c/shoes?page=2&sort=price%20asc&utm_source=news&q=a+b', 'https://shop.example/c/shoes?page=2&sort=price%20asc&utm_source=news&q=a+b'],
      ['https://shop.example/hotel?hotel_id=3&design=x&side=l', 'https://shop.example/hotel?hotel_id=3&design=x&side=l'],
    ]),
  )('%s → %s', (input, output) => expect(redactUrl(input, S)).toBe(output));

  it.each(
    table([
      ['https://shop.example/search?q=jane%40doe.com', 'https://shop.example/search?q=%5Bemail%5D'],
      ['https://shop.example/search?q=jane@doe.com', 'https://shop.example/search?q=%5Bemail%5D'],
      ['https://shop.example/search?q=call+06+12+34+56+78', 'https://shop.example/search?q=call%20%5Bphone%5D'],
      ['https://shop.example/p?ref=4111111111111111&x=1', 'https://shop.example/p?ref=%5Bcard%5D&x=1'],
      ['https://shop.example/p?jane@doe.com', 'https://shop.example/p?%5Bemail%5D'],
    ]),
  )('redacts values whatever their name: %s → %s', (input, output) => expect(redactUrl(input, S)).toBe(output));

  it.each(
    table([
      ['https://shop.example/account/jane@doe.com/orders', 'https://shop.example/account/[email]/orders'],
      ['https://shop.example/account/jane%40doe.com/orders', 'https://shop.example/account/[email]/orders'],
      ['https://shop.example/u/0612345678', 'https://shop.example/u/[phone]'],
      ['https://jane:s3cret@shop.example/cart', 'https://shop.example/cart'],
      ['https://shop.example/p#email=jane@doe.com', 'https://shop.example/p'],
      ['https://shop.example/p#contact/jane@doe.com', 'https://shop.example/p#contact/[email]'],
      ['https://shop.example/cb#access_token=abc&state=xyz', 'https://shop.example/cb#state=xyz'],
      ['https://shop.example/#/checkout?phone=0612345678&step=2', 'https://shop.example/#/checkout?step=2'],
      ['https://shop.example/p#reviews', 'https://shop.example/p#reviews'],
    ]),
  )('redacts the path and fragment: %s → %s', (input, output) => expect(redactUrl(input, S)).toBe(output));

  it.each(
    table([
      ['http://%zz%/?%E0%A4%A=1&email=%zz&q=%', 'http://%zz%/?%E0%A4%A=1&q=%'],
      ['not a url, write to jane@doe.com', 'not a url, write to [email]'],
      ['', ''],
      ['?', ''],
      ['#', ''],
      ['::::?&&=&', '::::?&&=&'],
      ['/relative/path?token=1#x', '/relative/path#x'],
    ]),
  )('never throws on malformed URLs: %j → %j', (input, output) => expect(redactUrl(input, S)).toBe(output));

  it('uses the (lower-case) list it is given instead of the defaults', () => {
    expect(redactUrl('https://x.example/?REF=a&token=b&q=jane@doe.com', ['ref'])).toBe('https://x.example/?token=b&q=%5Bemail%5D');
  });

  it('returns an empty string for a non-string', () => expect(redactUrl(null as unknown as string, S)).toBe(''));
});

const makeEvent = (overrides: Partial<ParcoursEvent> = {}): ParcoursEvent => ({
  id: 'e1',
  type: 'product_viewed',
  ts: 1,
  sessionId: 's1',
  anonymousId: 'a1',
  userId: 'u1',
  page: {
    url: 'https://shop.example/p/linen-apron?variant=44012345678901&token=t',
    path: '/account/jane@doe.com',
    title: 'Order for jane@doe.com — 06 12 34 56 78',
    referrer: 'https://mail.example/read?email=jane@doe.com&id=5',
  },
  properties: {
    product: { id: 'apron-1', name: 'Linen apron', price: 24.5, sku: 'AL-4821' },
    note: 'call me on +33 6 12 34 56 78',
    lines: [{ message: 'card 4111 1111 1111 1111 refused' }, 'jane@doe.com', 12, true, null],
    deep: { a: { b: { c: { d: ['jane@doe.com'] } } } },
  },
  stage: 'consideration',
  touchpoint: 'product_page',
  ...overrides,
});

describe('events are redacted in place before they are queued', () => {
  it('redacts page fields and every string in properties, at any depth', () => {
    const event = makeEvent();
    redactEvent(event, DEFAULT_STRIP_PARAMS);
    expect(event.page).toEqual({
      url: 'https://shop.example/p/linen-apron?variant=44012345678901',
      path: '/account/[email]',
      title: 'Order for [email] — [phone]',
      referrer: 'https://mail.example/read?id=5',
    });
    expect(event.properties).toEqual({
      product: { id: 'apron-1', name: 'Linen apron', price: 24.5, sku: 'AL-4821' },
      note: 'call me on [phone]',
      lines: [{ message: 'card [card] refused' }, '[email]', 12, true, null],
      deep: { a: { b: { c: { d: ['[email]'] } } } },
    });
  });

  it('keeps product identifiers that look like phone numbers, still redacting cards, emails and free text', () => {
    const event = makeEvent({
      properties: {
        sku: '002.937.72',
        items: [{ id: '0612 345 678', mpn: '030 12345678', gtin13: '4006381333931', name: 'call 06 12 34 56 78' }],
        product_id: '4111 1111 1111 1111',
        variant_id: 'jane@doe.com',
        note: '002.937.72',
      },
    });
    redactEvent(event, DEFAULT_STRIP_PARAMS);
    expect(event.properties).toEqual({
      sku: '002.937.72',
      items: [{ id: '0612 345 678', mpn: '030 12345678', gtin13: '4006381333931', name: 'call [phone]' }],
      product_id: '[card]',
      variant_id: '[email]',
      note: '[phone]',
    });
  });

  it("leaves the event's own ids, type and journey tags alone", () => {
    const event = makeEvent({ id: '0612345678', sessionId: 'jane@doe.com', anonymousId: '4111111111111111' });
    redactEvent(event, DEFAULT_STRIP_PARAMS);
    expect(event).toMatchObject({
      id: '0612345678',
      type: 'product_viewed',
      sessionId: 'jane@doe.com',
      anonymousId: '4111111111111111',
      userId: 'u1',
      stage: 'consideration',
      touchpoint: 'product_page',
    });
  });

  it('cuts nesting deeper than 16 levels that a later part may have added', () => {
    let nested: Record<string, unknown> = { leak: 'jane@doe.com' };
    for (let i = 0; i < 30; i++) nested = { n: nested };
    const event = makeEvent({ properties: nested as ParcoursEvent['properties'] });
    redactEvent(event, DEFAULT_STRIP_PARAMS);
    expect(JSON.stringify(event.properties)).not.toContain('jane');
    expect(JSON.stringify(event.properties)).toContain(TRUNCATED);
  });

  it('fails closed: when the event cannot be read, page and properties leave empty', () => {
    const event = makeEvent();
    Object.defineProperty(event.page, 'referrer', {
      get() {
        throw new Error('hostile getter');
      },
    });
    redactEvent(event, DEFAULT_STRIP_PARAMS);
    expect(event.page).toEqual({ url: '', path: '', title: '', referrer: '' });
    expect(event.properties).toEqual({});
  });
});

describe('privacy() is a part that redacts every event', () => {
  const logged: string[] = [];
  const install = (options?: Parameters<typeof privacy>[0]) => {
    const enrichers: ((event: ParcoursEvent) => void)[] = [];
    const api: Pick<PartApi, 'enrich' | 'log'> = {
      enrich: (fn, at) => {
        expect(at).toBe('last'); // after every other enricher, so it sees what they added
        enrichers.push(fn);
      },
      log: (line) => logged.push(line),
    };
    privacy(options)(api as PartApi);
    expect(enrichers).toHaveLength(1);
    return (event: ParcoursEvent) => (enrichers[0](event), event);
  };

  it('registers an enricher that redacts with the default list', () => {
    const event = install()(makeEvent());
    expect(event.page.url).toBe('https://shop.example/p/linen-apron?variant=44012345678901');
    expect(event.properties.note).toBe('call me on [phone]');
  });

  it('takes stripParams in place of the defaults', () => {
    const event = install({ stripParams: [...DEFAULT_STRIP_PARAMS, 'variant'] })(makeEvent());
    expect(event.page.url).toBe('https://shop.example/p/linen-apron');
    expect(install({ stripParams: ['Variant'] })(makeEvent()).page.url).toBe('https://shop.example/p/linen-apron?token=t');
  });

  it('falls back to the defaults for unusable options', () => {
    const hostile = {
      get stripParams(): string[] {
        throw new Error('no');
      },
    };
    for (const options of [undefined, {}, { stripParams: 'token' as unknown as string[] }, hostile]) {
      expect(install(options)(makeEvent()).page.url).toBe('https://shop.example/p/linen-apron?variant=44012345678901');
    }
    expect(logged).toEqual(['privacy: stripParams must be an array of names; the default list is used']);
  });
});

describe('with the tracker, events leave the browser redacted', () => {
  it('redacts page and properties, including what parts listed after privacy() add', async () => {
    const { collector, sdk: { createTracker, part } } = await loadSdk(async () => ({
      createTracker: (await import('../../../src/tracker')).createTracker,
      part: (await import('../../../src/privacy/redact')).privacy, // the fresh copy, not this file's `privacy`
    }));
    history.replaceState(null, '', '/account/jane@doe.com?token=abc&color=red');
    document.title = 'Call 06 12 34 56 78';
    const later = (api: PartApi) => api.enrich((event) => void (event.properties.added = 'jane@doe.com'));
    const tracker = createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, parts: [part(), later] });
    try {
      tracker.track('contact', { message: 'card 4111 1111 1111 1111, mail jane@doe.com', price: '1 299,00 €' });
      await tracker.flush();
      const [event] = [...collector.stored.values()];
      expect(event.page.url).toMatch(/\/account\/\[email\]\?color=red$/);
      expect(event.page.path).toBe('/account/[email]');
      expect(event.page.title).toBe('Call [phone]');
      expect(event.properties).toEqual({ message: 'card [card], mail [email]', price: '1 299,00 €', added: '[email]' });
      expect(collector.bodies.join()).not.toMatch(/jane|4111|06 12|token/);
    } finally {
      tracker.destroy();
      vi.unstubAllGlobals();
      history.replaceState(null, '', '/');
    }
  });
});
