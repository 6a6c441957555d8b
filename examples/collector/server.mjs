// @ts-check
/**
 * The reference collector: an HTTP server that stores parcours batches in SQLite and serves demo pages.
 *
 *   node examples/collector/server.mjs --port 8080 --db ./parcours.db [--host 127.0.0.1] [--origin https://shop.example]…
 *        [--read-key KEY]… [--retain-days N]
 *
 * or, from JS: `const c = await startCollector({ port: 0 })` … `await c.close()`. Importing starts nothing.
 */
import { runAsMain } from './main.mjs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { apiRoutes } from './api.mjs';
import { createReadAccess, readKeyProblem, splitReadKeys } from './auth.mjs';
import { readBody } from './body.mjs';
import { corsHeaders, originAllowed, PREFLIGHT_HEADERS } from './cors.mjs';
import { insertEvents, openDb } from './db.mjs';
import { clientAddress, createRateLimit } from './ratelimit.mjs';
import { peopleRoutes } from './people.mjs';
import { sendJson, sendText } from './reply.mjs';
import { parseRetainDays, startRetention } from './retention.mjs';
import { createSegmentRoutes } from './segment.mjs';
import { sendSignIn, signInRoutes } from './signin.mjs';
import { journeyRoutes } from './journey/api.mjs';
import { journeyIngestCost, startJourneyBuild } from './journey/schema.mjs';
import { threadCpuMs } from './cpu.mjs';
import { createStaticHandler } from './static.mjs';
import { startWriter } from './writer.mjs';

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
 * @property {(site: string | null, events: import('../../src/types').ParcoursEvent[]) => Promise<{ stored: number, duplicates: number }>} insert
 *   stores a validated batch: `insertEvents`, or the writer thread's
 *   (`writeWorker`); resolves once committed
 */

/**
 * A route: how others add endpoints (a Segment-format `/v1/batch`, `/journey` pages) without touching this file.
 * Routes are tried in order after the built-in ones; CORS is already applied. A handler that throws is answered
 * 500 (or, for an error with `status`, that status) with a JSON `{ error }`.
 * @typedef {object} Route
 * @property {string} method 'GET' (which also answers HEAD), 'POST', … or '*' for any
 * @property {string | RegExp} path the exact pathname, or a RegExp (without the g flag) tested against it
 * @property {boolean} [read] it answers stored data: it needs a read key (auth.mjs), whatever the method, and
 *   answers no other origin (no CORS headers on its path)
 * @property {boolean} [page] a read route people open in a browser: without a key it answers the sign-in form
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
 * @property {string[]} [readKeys] keys that read (`/events`, `/journey`, `/api/…`): several while rotating. None:
 *   the collector listens on loopback only and answers reads addressed to a loopback name only.
 * @property {number} [retainDays] delete events older than this many days, at start and hourly (retention.mjs)
 * @property {(line: string) => void} [log] one line per stored batch and per server error; default silent
 * @property {false | import('./ratelimit.mjs').RateLimitOptions} [rateLimit] per client address, default 50
 *   requests/s with bursts of 100 (ratelimit.mjs); beyond it, 429 with Retry-After. `false` turns it off.
 * @property {boolean} [writeWorker] store /collect batches in a worker thread (writer.mjs), so parsing and SQLite
 *   use two cores; default true: a database file only, from when its journey tables are complete
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
 * @property {() => Promise<IngestStats>} ingestStats CPU used so far per thread (test/bench/ingest.bench.mjs)
 */

/**
 * CPU milliseconds the main thread and the writer thread (`writeWorker`, once started) used so far, and what
 * folding events into the journey tables cost each (events folded, CPU ms: journeyIngestCost).
 * @typedef {{ mainCpuMs: number, writer?: import('./writer.mjs').WriterStats, fold: { events: number, ms: number } }} IngestStats
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
  const readKeys = options.readKeys ?? [];
  const refusal = readKeyProblem(readKeys, host);
  if (refusal) throw new Error(refusal);
  const retainDays = options.retainDays;
  if (retainDays !== undefined && parseRetainDays(String(retainDays)) === undefined) throw new RangeError('retainDays must be a whole number of days, 1 to 10,000');
  const access = createReadAccess(readKeys);
  const db = openDb(options.db ?? ':memory:');
  // The journey tables fold events from the first insert on; a database without them is built in the background.
  // Their failure is the map's, not ingestion's: logged, and the collector still stores events.
  /** @type {ReturnType<typeof startWriter> | undefined} */
  let writer;
  let closed = false;
  Promise.resolve()
    .then(() => startJourneyBuild(db))
    .then(() => {
      if ((options.writeWorker ?? true) && options.db && options.db !== ':memory:' && !closed) writer = startWriter(options.db);
    })
    .catch((error) => log(`journey tables: ${error?.stack || error}`));
  // The Segment-format endpoint and the journey map come after added routes: a route of your own replaces them.
  const allRoutes = [
    ...apiRoutes,
    ...routes,
    ...createSegmentRoutes({ writeKeys: options.writeKeys }),
    ...journeyRoutes,
    ...peopleRoutes,
    ...signInRoutes(access),
  ];
  const serveStatic = createStaticHandler({ dirs: options.static, files: options.files, headers: options.headers, spa: options.spa });

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  async function handle(req, res) {
    const target = req.url || '';
    if (!target.startsWith('/')) return sendText(res, 400, 'Bad request');
    const href = 'http://collector' + target; // a fixed base, so `//evil/x` stays a path
    if (!URL.canParse(href)) return sendText(res, 400, 'Bad request');
    const url = new URL(href);
    const { pathname } = url;
    const onPath = allRoutes.filter((r) => (typeof r.path === 'string' ? r.path === pathname : r.path.test(pathname)));
    const reading = onPath.some((r) => r.read);
    const origin = req.headers.origin;
    const allowed = originAllowed(origin, req.headers.host, origins);
    res.setHeader('Vary', 'Origin');
    // Read routes answer no other origin, allowed writers included: a read key never belongs in a shop's page.
    if (origin !== undefined && allowed && !reading) for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    const wait = limit?.(clientAddress(req, hops));
    if (wait) return sendJson(res, 429, { error: `too many requests; retry in ${wait} s` }, { 'Retry-After': String(wait) });
    if (!allowed && req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 403, { error: `origin ${origin?.slice(0, 100)} is not allowed` });
    }
    // Before OPTIONS and 405: a read path tells nothing, not even its methods, to a request without the key.
    if (reading && !access.allows(req)) {
      if (onPath.some((r) => r.page) && (req.method === 'GET' || req.method === 'HEAD')) return sendSignIn(res, 401, url.search.slice(1));
      return sendText(res, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    }
    if (req.method === 'OPTIONS') {
      const preflight = reading ? {} : PREFLIGHT_HEADERS;
      return void res.writeHead(204, { ...preflight, Allow: 'POST, GET, OPTIONS' }).end();
    }

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
    insert: async (site, events) => (writer ? writer.write(site, events, Date.now()) : insertEvents(db, site, events, Date.now())),
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
  const retention = retainDays === undefined ? undefined : startRetention(db, retainDays, log);

  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    server,
    db,
    ingestStats: async () => ({ mainCpuMs: threadCpuMs(), writer: await writer?.stats(), fold: journeyIngestCost(db) }),
    close: () =>
      (closing ||= new Promise((done) => {
        closed = true;
        server.close(() => {
          // A sweep in progress stops after its current transaction, before the database closes.
          void Promise.all([retention?.stop(), writer?.close()]).then(() => {
            db.close();
            done();
          });
        });
        server.closeAllConnections(); // keep-alive sockets would hold close() open for seconds
      })),
  };
}

const USAGE = `usage: node examples/collector/server.mjs [--port 8080] [--host 127.0.0.1] [--db ./parcours.db]
       [--origin https://shop.example]... [--write-key KEY]... [--read-key KEY]... [--retain-days N]
       [--trust-proxy 1] [--no-write-worker] [--verbose]
Read keys also come from PARCOURS_READ_KEY (comma-separated). Without one, the collector listens on loopback only.`;

/** The command line: start, print the URL, close cleanly on Ctrl-C or SIGTERM. @param {string[]} args */
async function main(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowNegative: true,
      options: {
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        db: { type: 'string', default: './parcours.db' },
        origin: { type: 'string', multiple: true, default: [] },
        'write-key': { type: 'string', multiple: true, default: [] },
        'read-key': { type: 'string', multiple: true, default: [] },
        'retain-days': { type: 'string' },
        'trust-proxy': { type: 'string', default: '0' },
        'write-worker': { type: 'boolean', default: true }, // --no-write-worker: store in the main thread
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
  const retainDays = values['retain-days'] === undefined ? undefined : parseRetainDays(values['retain-days']);
  if (values['retain-days'] !== undefined && retainDays === undefined) {
    console.error(`--retain-days must be a whole number of days, 1 to 10000\n${USAGE}`);
    return void (process.exitCode = 2);
  }
  const readKeys = splitReadKeys(...values['read-key'], process.env.PARCOURS_READ_KEY);
  const collector = await startCollector({
    port,
    readKeys,
    retainDays,
    host: values.host,
    db: values.db,
    origins: values.origin,
    writeKeys: values['write-key'],
    trustProxy: Number(values['trust-proxy']),
    writeWorker: values['write-worker'],
    log: values.verbose ? (line) => console.log(line) : (line) => line.startsWith('error') && console.error(line),
  });
  const reads = readKeys.length ? `${readKeys.length} read key${readKeys.length > 1 ? 's' : ''}` : 'no read key: reads open on this machine only';
  console.log(`parcours collector listening on ${collector.url} (db: ${values.db}; ${reads})`);
  const stop = () => void collector.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}


runAsMain(import.meta.url, 'collector', main);
