// @ts-check
/**
 * Static files for demo shops and the built SDK: folders mounted at URL prefixes (longest prefix wins), single
 * files at exact paths, clean URLs (`/cart` → `cart.html` or `cart/index.html`), single-page apps' deep links,
 * never a path outside a folder.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/** Content types by file extension; anything else is sent as bytes. */
export const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
});

/**
 * @typedef {object} StaticOptions
 * @property {Record<string, string>} [dirs] URL prefix → folder, e.g. `{ '/': '/abs/site', '/storefront/': '/abs/shop' }`
 * @property {Record<string, string>} [files] exact URL path → file, e.g. `{ '/parcours.min.js': '/abs/parcours.min.js' }`
 * @property {Record<string, string>} [headers] added to every file served (e.g. a Content-Security-Policy)
 * @property {string[]} [spa] mounted prefixes holding a single-page app, e.g. `['/storefront/']`: a path under one
 *   that names no file and has no extension (`/storefront/products/moon-bowl`) gets the folder's `index.html`
 */

/**
 * @param {StaticOptions} options
 * @returns {(req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>} serves `pathname`
 *   (GET or HEAD) and resolves true, or resolves false when there is no such file
 */
export function createStaticHandler({ dirs = {}, files = {}, headers = {}, spa = [] }) {
  const slash = (/** @type {string} */ prefix) => (prefix.endsWith('/') ? prefix : prefix + '/');
  const apps = spa.map(slash);
  const mounts = Object.entries(dirs)
    .map(([prefix, dir]) => ({ prefix: slash(prefix), root: resolve(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  return async (req, res, pathname) => {
    if (Object.hasOwn(files, pathname)) return serve(req, res, resolve(files[pathname]), headers);
    // `/storefront` names the folder mounted at `/storefront/`: redirect, as its pages' relative links need the slash.
    const folder = mounts.find((m) => m.prefix === pathname + '/');
    if (folder) {
      const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      res.writeHead(301, { Location: folder.prefix + query, 'Content-Length': '0' }).end();
      return true;
    }
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    if (!mount) return false;
    for (const file of candidates(pathname.slice(mount.prefix.length))) {
      const path = join(mount.root, file);
      if (path.startsWith(mount.root + sep) && (await serve(req, res, path, headers))) return true;
    }
    // The app routes its own deep links in the browser; a missing asset (`app.js`) stays a 404, not HTML.
    if (apps.includes(mount.prefix) && !/\.\w+$/.test(pathname)) return serve(req, res, join(mount.root, 'index.html'), headers);
    return false;
  };
}

/**
 * Files a clean URL may name, relative to its folder; none for names that could escape it or reveal dotfiles.
 * @param {string} rest the URL path after the mount prefix, still percent-encoded
 * @returns {string[]}
 */
function candidates(rest) {
  let name;
  try {
    name = decodeURIComponent(rest);
  } catch {
    return [];
  }
  // URL parsing already removed `..` segments; these catch the encoded ones (`%2e%2e%2f`) and other tricks.
  if (/[\0\\]/.test(name) || name.split('/').some((segment) => segment.startsWith('.'))) return [];
  if (name === '' || name.endsWith('/')) return [name + 'index.html'];
  return [name, name + '.html', name + '/index.html'];
}

/**
 * Streams a regular file; resolves false when it is missing or not a file.
 * @param {IncomingMessage} req @param {ServerResponse} res @param {string} path @param {Record<string, string>} extra
 */
async function serve(req, res, path, extra) {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return false;
  const type = /** @type {Record<string, string>} */ (MIME_TYPES)[extname(path).toLowerCase()] || 'application/octet-stream';
  const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  const head = { 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff', ...extra };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, head).end();
    return true;
  }
  res.writeHead(200, { ...head, 'Content-Type': type, 'Content-Length': String(info.size) });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy()); // the file vanished mid-way: the length is already promised, so cut
  res.on('close', () => stream.destroy());
  stream.pipe(res);
  return true;
}
