// @ts-check
/**
 * The reference collector: an HTTP server that stores parcours batches in SQLite and serves demo pages.
 *
 *   node examples/collector/server.mjs --port 8080 --db ./parcours.db [--host 127.0.0.1] [--origin https://shop.example]…
 *
 * or, from JS: `const c = await startCollector({ port: 0 })` … `await c.close()`. Importing starts nothing.
 */
import { isMain } from './main.mjs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { apiRoutes } from './api.mjs';
import { readBody } from './body.mjs';
import { corsHeaders, originAllowed, PREFLIGHT_HEADERS } from './cors.mjs';
import { openDb } from './db.mjs';
import { clientAddress, createRateLimit } from './ratelimit.mjs';
import { sendJson, sendText } from './reply.mjs';
import { createSegmentRoutes } from './segment.mjs';
import { journeyRoutes } from './journey/api.mjs';
import { startJourneyBuild } from './journey/schema.mjs';
import { createStaticHandler } from './static.mjs';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * What a route handler gets besides `req` and `res`.
 * @typedef {object} RouteContext
 * @property {import('./db.mjs').DB} db the better-sqlite3 handle (synchronous; one writer, so no locking needed)
 * @property {URL} url the request URL (`url.pathname`, `url.searchParams`)
 * @property {(line: string) => void} log
 * @property {(limit?: number) => Promise<string>} readBody the body as text, at most `limit` bytes (default 1 MB,
 *   else it rejects and the client gets 413)
 * @property {(status: number, value: unknown, headers?: Record<string, string>) => void} sendJson
 * @property {(status: number, text: string, headers?: Record<string, string>) => void} sendText
 */

/**
 * A route: how others add endpoints (a Segment-format `/v1/batch`, `/journey` pages) without touching this file.
 * Routes are tried in order after the built-in ones; CORS is already applied. A handler that throws is answered
 * 500 (or, for an error with `status`, that status) with a JSON `{ error }`.
 * @typedef {object} Route
 * @property {string} method 'GET' (which also answers HEAD), 'POST', … or '*' for any
 * @property {string | RegExp} path the exact pathname, or a RegExp (without the g flag) tested against it
 * @property {(req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => unknown} handler
 */

/**
 * @typedef {object} CollectorOptions
 * @property {number} [port] 0 (the default) picks a free port
 * @property {string} [host] default '127.0.0.1'
 * @property {string} [db] SQLite file, default ':memory:'
 * @property {string[]} [origins] browser origins allowed to POST and read answers; '*' for any. The server's own
 *   origin always is.
 * @property {Record<string, string>} [static] URL prefix → folder; the longest matching prefix wins
 * @property {Record<string, string>} [files] exact URL path → file
 * @property {Record<string, string>} [headers] added to every static response (e.g. a Content-Security-Policy)
 * @property {string[]} [spa] prefixes of `static` holding a single-page app: unknown paths under one get its index.html
 * @property {Route[]} [routes] more endpoints
 * @property {string[]} [writeKeys] write keys POST /v1/batch (the Segment format) requires; none: it is open like /collect
 * @property {(line: string) => void} [log] one line per stored batch and per server error; default silent
 * @property {false | import('./ratelimit.mjs').RateLimitOptions} [rateLimit] per client address, default 50
 *   requests/s with bursts of 100 (ratelimit.mjs); beyond it, 429 with Retry-After. `false` turns it off.
 * @property {number} [trustProxy] reverse proxies in front of the collector that append to X-Forwarded-For
 *   (nginx, a load balancer): the rate limit then sees each client's address instead of the proxy's. Default 0.
 */

/**
 * @typedef {object} Collector
 * @property {string} url e.g. 'http://127.0.0.1:39211'
 * @property {number} port
 * @property {import('node:http').Server} server
 * @property {import('./db.mjs').DB} db
 * @property {() => Promise<void>} close stops listening, cuts open connections, closes the database; idempotent
 */

/**
 * Starts a collector. Resolves once it listens; rejects (with the database closed) when it cannot.
 * @param {CollectorOptions} [options]
 * @returns {Promise<Collector>}
 */
export async function startCollector(options = {}) {
  const { port = 0, host = '127.0.0.1', origins = [], routes = [], log = () => {}, rateLimit = {} } = options;
  const limit = rateLimit === false ? undefined : createRateLimit(rateLimit);
  const hops = options.trustProxy ?? 0;
  if (!(Number.isInteger(hops) && hops >= 0 && hops <= 10)) throw new RangeError('trustProxy must be a whole number of proxies, 0 to 10');
  const db = openDb(options.db ?? ':memory:');
  // The journey tables fold events from the first insert on; a database without them is built in the background.
  // Their failure is the map's, not ingestion's: logged, and the collector still stores events.
  Promise.resolve()
    .then(() => startJourneyBuild(db))
    .catch((error) => log(`journey tables: ${error?.stack || error}`));
  // The Segment-format endpoint and the journey map come after added routes: a route of your own replaces them.
  const allRoutes = [...apiRoutes, ...routes, ...createSegmentRoutes({ writeKeys: options.writeKeys }), ...journeyRoutes];
  const serveStatic = createStaticHandler({ dirs: options.static, files: options.files, headers: options.headers, spa: options.spa });

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  async function handle(req, res) {
    const target = req.url || '';
    if (!target.startsWith('/')) return sendText(res, 400, 'Bad request');
    const href = 'http://collector' + target; // a fixed base, so `//evil/x` stays a path
    if (!URL.canParse(href)) return sendText(res, 400, 'Bad request');
    const url = new URL(href);
    const origin = req.headers.origin;
    const allowed = originAllowed(origin, req.headers.host, origins);
    res.setHeader('Vary', 'Origin');
    if (origin !== undefined && allowed) for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    const wait = limit?.(clientAddress(req, hops));
    if (wait) return sendJson(res, 429, { error: `too many requests; retry in ${wait} s` }, { 'Retry-After': String(wait) });
    if (!allowed && req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 403, { error: `origin ${origin?.slice(0, 100)} is not allowed` });
    }
    if (req.method === 'OPTIONS') {
      return void res.writeHead(204, { ...PREFLIGHT_HEADERS, Allow: 'POST, GET, OPTIONS' }).end();
    }

    const { pathname } = url;
    const onPath = allRoutes.filter((r) => (typeof r.path === 'string' ? r.path === pathname : r.path.test(pathname)));
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = onPath.find((r) => r.method === '*' || r.method === method || r.method === req.method);
    if (route) return route.handler(req, res, context(req, res, url));
    if (onPath.length) {
      const allow = [...new Set(onPath.map((r) => r.method))].join(', ');
      return sendJson(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` }, { Allow: allow });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(req, res, url.pathname))) return;
    sendText(res, 404, 'Not found');
  }

  /** @param {IncomingMessage} req @param {ServerResponse} res @param {URL} url @returns {RouteContext} */
  const context = (req, res, url) => ({
    db,
    url,
    log,
    readBody: (limit) => readBody(req, limit),
    sendJson: (status, value, headers) => sendJson(res, status, value, headers),
    sendText: (status, text, headers) => sendText(res, status, text, headers),
  });

  const server = createServer((req, res) => {
    req.on('error', () => {}); // a client that hangs up mid-upload is not our error
    res.on('error', () => {}); // nor is answering a socket it already closed
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((/** @type {any} */ error) => {
        const status = typeof error?.status === 'number' ? error.status : 500;
        if (status === 500) log(`error on ${req.method} ${req.url?.slice(0, 200)}: ${error?.stack || error}`);
        if (res.headersSent) return void res.destroy();
        // 413: the rest of the body stays unread, so the connection cannot carry another request.
        const close = status === 413 ? { Connection: 'close' } : undefined;
        sendJson(res, status, { error: status === 500 ? 'internal error' : String(error.message) }, close);
      });
  });
  server.requestTimeout = 30_000; // slow or stalled uploads do not hold sockets for Node's default 5 minutes
  server.headersTimeout = 10_000;
  server.on('error', (error) => log(`server error: ${error.message}`));

  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(undefined);
      });
    });
  } catch (error) {
    db.close();
    throw error;
  }

  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    server,
    db,
    close: () =>
      (closing ||= new Promise((done) => {
        server.close(() => {
          db.close();
          done();
        });
        server.closeAllConnections(); // keep-alive sockets would hold close() open for seconds
      })),
  };
}

const USAGE = `usage: node examples/collector/server.mjs [--port 8080] [--host 127.0.0.1] [--db ./parcours.db]
       [--origin https://shop.example]... [--write-key KEY]... [--trust-proxy 1] [--verbose]`;

/** The command line: start, print the URL, close cleanly on Ctrl-C or SIGTERM. @param {string[]} args */
async function main(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        db: { type: 'string', default: './parcours.db' },
        origin: { type: 'string', multiple: true, default: [] },
        'write-key': { type: 'string', multiple: true, default: [] },
        'trust-proxy': { type: 'string', default: '0' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
    return void (process.exitCode = 2);
  }
  if (values.help) return console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer of 0..65535\n${USAGE}`);
    return void (process.exitCode = 2);
  }
  const collector = await startCollector({
    port,
    host: values.host,
    db: values.db,
    origins: values.origin,
    writeKeys: values['write-key'],
    trustProxy: Number(values['trust-proxy']),
    log: values.verbose ? (line) => console.log(line) : (line) => line.startsWith('error') && console.error(line),
  });
  console.log(`parcours collector listening on ${collector.url} (db: ${values.db})`);
  const stop = () => void collector.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}


if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`parcours collector: ${error.message}`);
    process.exitCode = 1;
  });
}
