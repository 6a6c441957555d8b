// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../examples/collector/server.mjs';
import { call } from './support';

let collector: Awaited<ReturnType<typeof startCollector>>;
let tmp: string;
const CSP = "default-src 'self'";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'parcours-static-'));
  const site = join(tmp, 'site');
  const shop = join(tmp, 'shop');
  const files: Record<string, string> = {
    'secret.txt': 'TOP SECRET', // beside the served folders, never inside
    'sdk.js': 'window.sdk = 1;',
    'site/index.html': '<h1>home</h1>',
    'site/products/linen-apron.html': '<h1>apron</h1>',
    'site/cart/index.html': '<h1>cart</h1>',
    'site/about.html': '<h1>about</h1>',
    'site/app.js': 'export {};',
    'site/app.mjs': 'export {};',
    'site/style.css': 'body{}',
    'site/logo.svg': '<svg/>',
    'site/logo.png': 'png',
    'site/photo.jpg': 'jpg',
    'site/photo.webp': 'webp',
    'site/data.json': '{}',
    'site/app.js.map': '{}',
    'site/favicon.ico': 'ico',
    'site/robots.txt': 'User-agent: *',
    'site/blob.bin': 'bin',
    'site/.env': 'SECRET=1',
    'site/storefront.html': '<h1>root storefront page</h1>',
    'shop/index.html': '<h1>shop</h1>',
    'shop/checkout.html': '<h1>checkout</h1>',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(tmp, path, '..'), { recursive: true });
    writeFileSync(join(tmp, path), text);
  }
  collector = await startCollector({
    static: { '/': site, '/storefront/': shop },
    files: { '/parcours.min.js': join(tmp, 'sdk.js') },
    headers: { 'Content-Security-Policy': CSP },
  });
});
afterAll(async () => {
  await collector.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('clean URLs map to files', () => {
  it.each([
    ['/', '<h1>home</h1>'],
    ['/index.html', '<h1>home</h1>'],
    ['/products/linen-apron', '<h1>apron</h1>'],
    ['/products/linen-apron.html', '<h1>apron</h1>'],
    ['/cart', '<h1>cart</h1>'],
    ['/cart/', '<h1>cart</h1>'],
    ['/about?utm_source=mail', '<h1>about</h1>'],
    ['/products/linen%2Dapron', '<h1>apron</h1>'],
    ['/storefront/', '<h1>shop</h1>'],
    ['/storefront/checkout', '<h1>checkout</h1>'],
    ['/parcours.min.js', 'window.sdk = 1;'],
  ])('%s', async (path, body) => {
    const answer = await call(collector.url, path);
    expect([answer.status, answer.text]).toEqual([200, body]);
  });

  it('redirects a mounted folder without its slash, keeping the query', async () => {
    const answer = await call(collector.url, '/storefront?x=1');
    expect([answer.status, answer.headers.location]).toEqual([301, '/storefront/?x=1']);
  });

  it('answers a missing file with a plain-text 404', async () => {
    const answer = await call(collector.url, '/products/nothing');
    expect([answer.status, answer.headers['content-type'], answer.text]).toEqual([404, 'text/plain; charset=utf-8', 'Not found\n']);
  });

  it('answers HEAD with the headers only', async () => {
    const answer = await call(collector.url, '/style.css', { method: 'HEAD' });
    expect([answer.status, answer.headers['content-length'], answer.text]).toEqual([200, '6', '']);
  });
});

describe('files are served with their type and headers', () => {
  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/app.mjs', 'text/javascript; charset=utf-8'],
    ['/parcours.min.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/logo.svg', 'image/svg+xml'],
    ['/logo.png', 'image/png'],
    ['/photo.jpg', 'image/jpeg'],
    ['/photo.webp', 'image/webp'],
    ['/data.json', 'application/json; charset=utf-8'],
    ['/app.js.map', 'application/json; charset=utf-8'],
    ['/favicon.ico', 'image/x-icon'],
    ['/robots.txt', 'text/plain; charset=utf-8'],
    ['/blob.bin', 'application/octet-stream'],
  ])('%s is %s', async (path, type) => {
    expect((await call(collector.url, path)).headers['content-type']).toBe(type);
  });

  it('adds no-cache, nosniff and the configured headers to every file', async () => {
    for (const path of ['/', '/parcours.min.js', '/storefront/checkout']) {
      const { headers } = await call(collector.url, path);
      expect(headers).toMatchObject({ 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': CSP });
    }
  });

  it('answers a repeated request with 304 when the file did not change', async () => {
    const first = await call(collector.url, '/style.css');
    const again = await call(collector.url, '/style.css', { headers: { 'If-None-Match': String(first.headers.etag) } });
    expect([again.status, again.text]).toEqual([304, '']);
  });

  it('lets the longest prefix win', async () => {
    // site/storefront.html exists, but /storefront/ is mounted on the shop folder
    expect((await call(collector.url, '/storefront/')).text).toBe('<h1>shop</h1>');
  });
});

describe('nothing outside the served folders is reachable', () => {
  it.each([
    '/../secret.txt',
    '/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/products/..%2f..%2fsecret.txt',
    '/storefront/..%2fsecret.txt',
    '/storefront/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/secret.txt%00.html',
    '/%252e%252e/secret.txt',
    '/.env',
    '/%2eenv',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/%E0%A4%A',
  ])('%s', async (path) => {
    const answer = await call(collector.url, path);
    expect(answer.status).toBe(404);
    expect(answer.text).not.toMatch(/SECRET|root:/);
  });

  it('serves GET and HEAD only', async () => {
    expect((await call(collector.url, '/about', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('a single-page app mounted with `spa` gets its deep links', () => {
  let app: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    app = await startCollector({ static: { '/': join(tmp, 'site'), '/storefront/': join(tmp, 'shop') }, spa: ['/storefront'] });
  });
  afterAll(() => app.close());

  it.each([
    ['/storefront/products/moon-bowl', '<h1>shop</h1>'],
    ['/storefront/checkout/thank-you?order=1', '<h1>shop</h1>'],
    ['/storefront/checkout', '<h1>checkout</h1>'], // a real file still wins
    ['/storefront/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '<h1>shop</h1>'], // the app's page, never a file outside
  ])('%s', async (path, body) => {
    const answer = await call(app.url, path);
    expect([answer.status, answer.headers['content-type'], answer.text]).toEqual([200, 'text/html; charset=utf-8', body]);
  });

  it('keeps a 404 for a missing asset and for paths outside the app', async () => {
    for (const path of ['/storefront/dist/app.js', '/storefront/img/none.svg', '/storefront/..%2fsecret.txt', '/products/nothing'])
      expect([path, (await call(app.url, path)).status]).toEqual([path, 404]);
  });
});
