// @ts-check
/**
 * A proxy in front of the collector that answers POSTs with injected faults, for delivery tests in Chromium:
 *
 *   const proxy = await startFaultyProxy({ target: collector.url });
 *   proxy.setFault({ status: 503, retryAfter: 2 });  // every POST now gets 503 + Retry-After: 2
 *   proxy.setFault({ drop: true });                   // every POST's connection is cut, no answer
 *   proxy.setFault(null);                             // POSTs reach the collector again
 *
 * Everything else (GET, CORS preflights, POSTs while no fault is set) is forwarded as is, except Host, which is
 * rewritten to the target's so the collector treats the proxy as itself (its pages stay same-origin to it).
 * Listens on 127.0.0.1 only.
 */
import { createServer, request } from 'node:http';

/**
 * @typedef {object} Fault
 * @property {number} [status] answer this status instead of forwarding (e.g. 503, 400, 413)
 * @property {number} [retryAfter] seconds, sent as `Retry-After` (exposed to cross-origin scripts)
 * @property {boolean} [drop] destroy the socket without answering
 * @property {number} [times] apply to this many POSTs, then clear itself (default: until `setFault(null)`)
 * @property {boolean} [cors] send CORS headers with the fault, so page scripts can read its status (default true)
 */

/**
 * @typedef {object} ProxiedRequest
 * @property {string} method
 * @property {string} path the request target, with its query
 * @property {number} status the status the client got; 0 when the connection was dropped or the target was down
 * @property {number} bodyBytes request body size
 * @property {boolean} faulted whether a fault answered instead of the collector
 */

/**
 * @typedef {object} FaultyProxy
 * @property {string} url e.g. 'http://127.0.0.1:40123'
 * @property {(fault: Fault | null) => void} setFault
 * @property {ProxiedRequest[]} requests every request so far, oldest first (clear with `requests.length = 0`)
 * @property {() => Promise<void>} close
 */

/** Request log entries kept at most (oldest dropped first) and request body bytes read for a faulted POST at most. */
const MAX_LOG = 10_000;
const MAX_FAULT_BODY = 4 * 1024 * 1024;

/**
 * @param {{ target: string, port?: number }} options `target` like 'http://127.0.0.1:39211'
 * @returns {Promise<FaultyProxy>}
 */
export async function startFaultyProxy({ target, port = 0 }) {
  const upstream = new URL(target);
  if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') throw new Error('target must be on 127.0.0.1');
  /** @type {Fault | null} */
  let fault = null;
  let faultsLeft = Infinity;
  /** @type {ProxiedRequest[]} */
  const requests = [];
  /** @param {ProxiedRequest} entry */
  const record = (entry) => {
    requests.push(entry);
    if (requests.length > MAX_LOG) requests.shift();
  };

  const server = createServer((req, res) => {
    const entry = { method: req.method || '', path: req.url || '', status: 0, bodyBytes: 0, faulted: false };
    req.on('error', () => {});
    res.on('error', () => {});
    req.on('data', (/** @type {Buffer} */ chunk) => (entry.bodyBytes += chunk.length));
    res.on('close', () => record(entry)); // answered, dropped or abandoned: logged once, with the final status

    const active = req.method === 'POST' ? fault : null;
    if (active) {
      if (--faultsLeft <= 0) fault = null;
      entry.faulted = true;
      // Read the body first, as a server would, so the browser sees an answer rather than a reset upload.
      req.on('data', () => entry.bodyBytes > MAX_FAULT_BODY && req.destroy());
      req.on('end', () => answerFault(req, res, active, entry));
      return;
    }

    const headers = { ...req.headers, host: upstream.host };
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        entry.status = answer.statusCode || 0;
        res.writeHead(entry.status, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (res.headersSent) return void res.destroy();
      entry.status = 502;
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('collector unreachable\n');
    });
    res.on('close', () => res.writableFinished || forward.destroy()); // the page gave up: stop the upstream request
    req.pipe(forward);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const { port: bound } = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    url: `http://127.0.0.1:${bound}`,
    setFault(next) {
      fault = next;
      faultsLeft = next?.times ?? Infinity;
    },
    requests,
    close: () =>
      (closing ||= new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}

/**
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {Fault} fault @param {ProxiedRequest} entry
 */
function answerFault(req, res, fault, entry) {
  if (fault.drop || !fault.status) return void req.socket.destroy();
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' };
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (fault.cors !== false && req.headers.origin) {
    headers['Access-Control-Allow-Origin'] = req.headers.origin;
    headers['Access-Control-Expose-Headers'] = 'Retry-After'; // not CORS-safelisted: scripts cannot read it otherwise
    headers.Vary = 'Origin';
  }
  entry.status = fault.status;
  res.writeHead(fault.status, headers).end(JSON.stringify({ error: `injected ${fault.status}` }));
}
