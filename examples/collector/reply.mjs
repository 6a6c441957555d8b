// @ts-check
/** Writing responses: JSON for the API, plain text for errors people read in a browser. */

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} value a value to serialise, or a ready JSON text
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, value, headers = {}) {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  send(res, status, body, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string>} [headers]
 */
export function sendText(res, status, text, headers = {}) {
  send(res, status, text + '\n', { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
}

/**
 * @param {import('node:http').ServerResponse} res @param {number} status @param {string} body
 * @param {Record<string, string>} headers
 */
function send(res, status, body, headers) {
  const length = String(Buffer.byteLength(body));
  res.writeHead(status, { 'Content-Length': length, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}
