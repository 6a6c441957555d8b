// @vitest-environment node
// Red team: who may read the collector. Browsers write; only a read key (Bearer, or the map's signed cookie) reads.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIE_MAX_AGE_S, createReadAccess, isLoopback } from '../../../examples/collector/auth.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, type Answer } from './support';

const KEY_A = 'read-key-A-0123456789abcdef';
const KEY_B = 'read-key-B-fedcba9876543210';
const KEY_C = 'read-key-C-not-on-this-collector';
const SHOP = 'https://shop.example';
const SECRET = 'secret-site'; // the site name: present in every read answer that leaks data
const SERVER = fileURLToPath(new URL('../../../examples/collector/server.mjs', import.meta.url));

let collector: Awaited<ReturnType<typeof startCollector>>;
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const cookieOf = (answer: Answer) => String(answer.headers['set-cookie']?.[0] ?? '').split(';')[0];
const signIn = (key: string, base = collector.url, headers: Record<string, string> = {}) =>
  call(base, '/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ key, back: 'site=' + SECRET }).toString(),
  });

beforeAll(async () => {
  collector = await startCollector({ readKeys: [KEY_A, KEY_B], origins: [SHOP], rateLimit: false });
  const order = event({ type: 'order_completed', anonymousId: 'anon-red', properties: { id: 'O1', revenue: 99, currency: 'EUR', items: [] } });
  expect((await post(collector.url, batch([event({ anonymousId: 'anon-red' }), order], SECRET), { Origin: SHOP })).status).toBe(200);
});
afterAll(() => collector.close());

/** Asserts an answer gave nothing away: not a success, no stored data, no CORS header. */
const refused = (answer: Answer) => {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.text).not.toContain(SECRET);
  expect(answer.text).not.toContain('anon-red');
  expect(answer.headers['access-control-allow-origin']).toBeUndefined();
};

const READS = ['/events', '/events?limit=10', '/api/journey', '/api/journey?site=' + SECRET, '/journey', '/api/people/anon-red'];
const TRICKS = [
  '//events', '/events/', '/%2fevents', '/%2Fevents', '/%2e/events', '/./events', '/x/../events', '/x/%2e%2e/events',
  '/EVENTS', '/events%00', '/events;', '/events%20', '/events?key=' + KEY_A, '/events?access_token=' + KEY_A,
  '/events?authorization=Bearer%20' + KEY_A, '/events?&&limit=1#x', '//api/journey', '/api/journey/', '/api//journey',
  '/%2fapi%2fjourney', '/journey/', '//journey', '/api/people/anon-red/', '/api/people//anon-red', '/api/people/anon%2dred',
  '/api/people/%61non-red',
];
const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'];

describe('no read route answers without a read key', () => {
  it.each(READS.flatMap((path) => METHODS.map((method) => [method, path])))('%s %s', async (method, path) => {
    const answer = await call(collector.url, path, { method, headers: { Origin: SHOP, 'Access-Control-Request-Method': 'GET' } });
    refused(answer);
    if (method != 'POST' && method != 'PUT' && method != 'PATCH') expect(answer.status).toBe(401);
  });

  it.each(TRICKS)('nor through the path trick %s', async (path) => {
    for (const method of ['GET', 'HEAD', 'DELETE']) refused(await call(collector.url, path, { method }));
    // A path that is no route gets the generic preflight answer (empty); one that normalises to a read route, 401.
    const preflight = await call(collector.url, path, { method: 'OPTIONS' });
    expect([[204, ''], [401, 'Unauthorized\n']]).toContainEqual([preflight.status, preflight.text]);
  });

  it('says so in one line, with no detail', async () => {
    const answer = await call(collector.url, '/events', { headers: bearer(KEY_C) });
    expect([answer.status, answer.text, answer.headers['www-authenticate']]).toEqual([401, 'Unauthorized\n', 'Bearer']);
  });

  it.each([
    ['a key of another collector', bearer(KEY_C)],
    ['a key one character short', bearer(KEY_A.slice(0, -1))],
    ['a key one character long', bearer(KEY_A + 'x')],
    ['a key with a character after a space', { Authorization: `Bearer ${KEY_A} x` }],
    ['two keys', { Authorization: `Bearer ${KEY_C}, Bearer ${KEY_A}` }],
    ['the key as Basic credentials', { Authorization: 'Basic ' + Buffer.from(KEY_A + ':').toString('base64') }],
    ['the key without a scheme', { Authorization: KEY_A }],
    ['the key as a cookie', { Cookie: 'parcours_read=' + KEY_A }],
    ['the key in another header', { 'X-Api-Key': KEY_A }],
    ['an empty Bearer', { Authorization: 'Bearer ' }],
    ['the key under a lower-case scheme of another collector', { Authorization: 'bearer ' + KEY_C }],
  ])('nor with %s', async (_, headers) => {
    for (const path of ['/events', '/api/journey', '/api/people/anon-red']) refused(await call(collector.url, path, { headers }));
    refused(await call(collector.url, '/api/people/anon-red', { method: 'DELETE', headers }));
  });

  it('answers every read route with a read key, either of the two', async () => {
    for (const key of [KEY_A, KEY_B]) {
      for (const path of ['/events', '/api/journey', '/api/people/anon-red']) {
        const answer = await call(collector.url, path, { headers: bearer(key) });
        expect([path, answer.status, answer.text.includes(SECRET) || answer.text.includes('anon-red')]).toEqual([path, 200, true]);
      }
      expect((await call(collector.url, '/journey', { headers: bearer(key) })).status).toBe(200);
    }
  });

  it('takes the scheme in any case, as HTTP says', async () => {
    expect((await call(collector.url, '/events', { headers: { Authorization: 'bearer ' + KEY_A } })).status).toBe(200);
  });

  it('leaves writes open: /collect and /health need no key', async () => {
    expect((await post(collector.url, batch([event()], 'other'), { Origin: SHOP })).status).toBe(200);
    expect((await call(collector.url, '/health')).status).toBe(200);
  });
});

describe('the journey page signs in with a form and a signed cookie', () => {
  it('answers the sign-in form, not the map, without a key, and keeps the query to come back to', async () => {
    const answer = await call(collector.url, '/journey?site=' + SECRET);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.text).toContain('<form method="post" action="/sign-in">');
    expect(answer.text).toContain('type="password" name="key"');
    expect(answer.headers['content-security-policy']).toContain("form-action 'self'");
  });

  it('sets an HttpOnly, Secure, SameSite=Strict cookie with an expiry, and sends the browser back without the key in the URL', async () => {
    const answer = await signIn(KEY_A);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/journey?site=' + SECRET);
    const set = String(answer.headers['set-cookie']);
    expect(set).toMatch(/^parcours_read=v1\.\d{13}\.[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; Secure; SameSite=Strict$/);
    expect(set).not.toContain(KEY_A);
    const cookie = cookieOf(answer);
    const page = await call(collector.url, '/journey?site=' + SECRET, { headers: { Cookie: cookie } });
    expect([page.status, page.text.includes(SECRET)]).toEqual([200, true]);
    for (const path of ['/api/journey', '/events']) expect((await call(collector.url, path, { headers: { Cookie: 'a=b; ' + cookie } })).status).toBe(200);
  });

  it('refuses a wrong key with the form again and no cookie', async () => {
    for (const key of [KEY_C, '', KEY_A.toUpperCase()]) {
      const answer = await signIn(key);
      expect([answer.status, answer.headers['set-cookie']]).toEqual([401, undefined]);
      expect(answer.text).toContain('That is not a read key.');
    }
  });

  it('takes the sign-in from its own origin behind a TLS proxy that keeps the Host', async () => {
    const answer = await signIn(KEY_A, collector.url, { Host: 'collector.example', Origin: 'https://collector.example' });
    expect(answer.status).toBe(303);
  });

  it('takes no sign-in from another origin', async () => {
    const answer = await signIn(KEY_A, collector.url, { Origin: 'https://evil.example' });
    expect([answer.status, answer.headers['set-cookie']]).toEqual([403, undefined]);
  });

  it('never lets the cookie erase anyone: DELETE needs the Bearer key', async () => {
    const cookie = cookieOf(await signIn(KEY_A));
    refused(await call(collector.url, '/api/people/anon-red', { method: 'DELETE', headers: { Cookie: cookie } }));
    expect((await call(collector.url, '/events', { headers: bearer(KEY_A) })).text).toContain('anon-red');
  });

  it('cannot be forged, tampered with or stretched', async () => {
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const good = cookieOf(await signIn(KEY_A)).slice('parcours_read='.length);
    const [, expires, mac] = good.split('.');
    const macWith = (key: string, at: number) => createHmac('sha256', key).update('parcours read cookie v1|' + at).digest('base64url');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] == 'A' ? 'B' : 'A') + s.slice(i + 1);
    const far = Date.now() + 365 * 86_400_000;
    const forged = [
      `v1.${Number(expires) + 1000}.${mac}`, // a later expiry on the same MAC
      `v1.${expires}.${flip(mac, 0)}`, // one character of the MAC changed
      `v1.${expires}.${flip(mac, 42)}`,
      `v1.${expires}.${mac.slice(0, 42)}${B64URL[B64URL.indexOf(mac[42]) ^ 1]}`, // the same MAC bytes, spelt otherwise (bits no byte holds)
      `v1.${expires}.${macWith(KEY_C, Number(expires))}`, // signed with a key this collector does not have
      `v1.${expires}.${macWith('', Number(expires))}`,
      `v1.${far}.${macWith(KEY_A, far)}`, // correctly signed, but for longer than a sign-in lasts
      `v1.${Date.now() - 1000}.${macWith(KEY_A, Date.now() - 1000)}`, // correctly signed, expired
      `v2.${expires}.${mac}`,
      `v1.${expires}.${mac}x`,
      `v1.${expires}.${mac.slice(0, -1)}`,
      `v1.${expires}`,
      KEY_A,
      '',
    ];
    for (const value of forged) refused(await call(collector.url, '/api/journey', { headers: { Cookie: `parcours_read=${value}` } }));
    expect((await call(collector.url, '/api/journey', { headers: { Cookie: `parcours_read=${good}` } })).status).toBe(200);
  });

  it('expires: a cookie signed 12 hours and a second ago is refused', () => {
    const access = createReadAccess([KEY_A]);
    const value = (at: number) => access.signIn(KEY_A, at)!.split(';')[0].slice('parcours_read='.length);
    const req = (v: string) => ({ method: 'GET', headers: { cookie: 'parcours_read=' + v } }) as any;
    expect(access.allows(req(value(Date.now() - 1000)))).toBe(true);
    expect(access.allows(req(value(Date.now() - COOKIE_MAX_AGE_S * 1000 - 1000)))).toBe(false);
  });

  it('signs out by clearing the cookie', async () => {
    const answer = await call(collector.url, '/sign-out', { method: 'POST' });
    expect([answer.status, answer.headers.location]).toEqual([303, '/journey']);
    expect(String(answer.headers['set-cookie'])).toMatch(/^parcours_read=; Path=\/; Max-Age=0;/);
  });
});

describe('rotating a key out', () => {
  it('stops its Bearer and the cookies it signed, and keeps the other key working', async () => {
    const cookieB = cookieOf(await signIn(KEY_B));
    const cookieA = cookieOf(await signIn(KEY_A));
    // The same shop restarted with KEY_B taken out of the list.
    const rotated = await startCollector({ readKeys: [KEY_A, KEY_C] });
    try {
      expect((await post(rotated.url, batch([event({ anonymousId: 'anon-red' })], SECRET))).status).toBe(200);
      refused(await call(rotated.url, '/events', { headers: bearer(KEY_B) }));
      refused(await call(rotated.url, '/journey', { headers: { Cookie: cookieB } }));
      refused(await call(rotated.url, '/api/journey', { headers: { Cookie: cookieB } }));
      expect((await call(rotated.url, '/events', { headers: bearer(KEY_A) })).status).toBe(200);
      expect((await call(rotated.url, '/api/journey', { headers: { Cookie: cookieA } })).status).toBe(200);
      expect((await call(rotated.url, '/events', { headers: bearer(KEY_C) })).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });

  it('does not let a cookie of one collector read another with other keys', async () => {
    const cookie = cookieOf(await signIn(KEY_A));
    const other = await startCollector({ readKeys: [KEY_C] });
    try {
      refused(await call(other.url, '/api/journey', { headers: { Cookie: cookie } }));
    } finally {
      await other.close();
    }
  });
});

describe('CORS never exposes a read route', () => {
  it.each([SHOP, 'https://evil.example', 'null'])('to %s, not even with the key', async (origin) => {
    for (const path of ['/events', '/api/journey', '/journey', '/api/people/anon-red']) {
      const withKey = await call(collector.url, path, { headers: { Origin: origin, ...bearer(KEY_A) } });
      expect(withKey.headers['access-control-allow-origin']).toBeUndefined();
      expect(withKey.headers['access-control-allow-credentials']).toBeUndefined();
      const preflight = await call(collector.url, path, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
    }
  });

  it('while the shop still gets its CORS headers on /collect (the test can see them)', async () => {
    const answer = await post(collector.url, batch([event()], 'other'), { Origin: SHOP });
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
  });
});

describe('without a read key', () => {
  it('refuses to listen on anything but loopback, saying why in one line', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await expect(startCollector({ host })).rejects.toThrow(
        new RegExp(`^refusing to listen on ${host.replace(/\./g, '\\.')} without a read key: anyone reaching it could read every stored event`),
      );
    }
  });

  it('says it on the command line too, and exits 1 without listening', async () => {
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [SERVER, '--port', '0', '--host', '0.0.0.0', '--db', ':memory:'], {
        env: { ...process.env, PARCOURS_READ_KEY: '' },
      });
      let out = '';
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (err += c));
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });
    expect(result).toEqual({
      code: 1,
      out: '',
      err: 'parcours collector: refusing to listen on 0.0.0.0 without a read key: anyone reaching it could read every stored event (pass --read-key or PARCOURS_READ_KEY)\n',
    });
  });

  it('refuses read keys too short to resist guessing', async () => {
    await expect(startCollector({ readKeys: ['short'] })).rejects.toThrow(/^a read key must be 16 to 200/);
    await expect(startCollector({ readKeys: ['has,a,comma,in,it,0123456789'] })).rejects.toThrow(/^a read key must be/);
  });

  it('answers reads addressed to a loopback name only, so a rebound DNS name cannot read it', async () => {
    const open = await startCollector();
    try {
      const port = open.port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
        expect((await call(open.url, '/events', { headers: { Host: host } })).status).toBe(200);
      }
      for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`]) {
        expect((await call(open.url, '/events', { headers: { Host: host } })).status).toBe(401);
      }
      // HTTP/1.0 may leave the Host out: no name, no read.
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end('GET /events HTTP/1.0\r\n\r\n'));
        let text = '';
        socket.on('data', (c: Buffer) => (text += c));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 401 /);
    } finally {
      await open.close();
    }
  });

  it('knows loopback names from the rest', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'localhost.evil.example', '127.0.0.1.nip.io', '::ffff:127.0.0.1'].some(isLoopback)).toBe(false);
  });
});
