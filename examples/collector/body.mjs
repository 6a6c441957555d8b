// @ts-check
/** Reading a request body: bounded in bytes, decoded with the charset the client declared. */

/** Largest request body accepted, in bytes (1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * An error that carries the HTTP status it should be answered with.
 * @param {number} status @param {string} message
 * @returns {Error & { status: number }}
 */
export const httpError = (status, message) => Object.assign(new Error(message), { status });

/**
 * Reads the whole body as text. Rejects with a 413 `httpError` as soon as it is known to exceed `limit` (from
 * Content-Length, or while streaming) and stops reading: nothing beyond `limit` is ever buffered.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit] bytes
 * @returns {Promise<string>}
 */
export function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject) => {
    const tooLarge = () => reject(httpError(413, `body is larger than ${limit} bytes`));
    if (Number(req.headers['content-length']) > limit) return tooLarge();
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.removeAllListeners('data');
      req.pause();
      chunks.length = 0;
      tooLarge();
    });
    req.on('end', () => resolve(decode(Buffer.concat(chunks), req.headers['content-type'])));
    // The client hung up mid-upload: its fault, not a server error (and a no-op once settled).
    const aborted = () => reject(httpError(400, 'request aborted'));
    req.on('error', aborted);
    req.on('close', aborted);
  });
}

/**
 * Decodes with the declared charset when the platform knows it, else UTF-8 (JSON's own encoding); a BOM is dropped.
 * @param {Buffer} bytes @param {string} [contentType]
 */
function decode(bytes, contentType = '') {
  const label = /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] || 'utf-8';
  let decoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8'); // unknown label: try the only encoding JSON allows on the wire
  }
  return decoder.decode(bytes);
}
