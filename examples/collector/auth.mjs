// @ts-check
/**
 * Who may read. Browsers write (`/collect`, `/v1/batch`); only the shop reads (`/events`, `/journey`,
 * `/api/journey`, `/api/people/…`): with a read key as `Authorization: Bearer KEY`, or, on GET, with the cookie
 * the journey page's sign-in form sets. The cookie is an HMAC of its expiry made with the key that signed in:
 * it cannot be made without a key, and it stops working when that key is taken out of the list (rotation).
 *
 * A collector without a read key listens on loopback only (see `readKeyProblem`) and then answers reads to
 * requests addressed to a loopback name only, so a web page cannot reach it by DNS rebinding.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a sign-in lasts: a working day. */
export const COOKIE_MAX_AGE_S = 12 * 3600;
/** The sign-in cookie's name. */
export const COOKIE_NAME = 'parcours_read';
/** A read key: 16 to 200 visible ASCII characters, no comma (the environment variable lists keys with commas). */
export const READ_KEY = /^[\x21-\x2b\x2d-\x7e]{16,200}$/;

const MAC_LABEL = 'parcours read cookie v1|';

/**
 * Read keys from repeated flags and/or comma-separated lists (`PARCOURS_READ_KEY=new,old` during a rotation).
 * @param {Array<string | undefined>} lists
 * @returns {string[]}
 */
export const splitReadKeys = (...lists) =>
  [...new Set(lists.flatMap((list) => (list ?? '').split(',')).map((k) => k.trim()).filter(Boolean))];

/** Whether a listening address or a Host header's name is this machine only. @param {string} host */
export function isLoopback(host) {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name == 'localhost' || name.endsWith('.localhost') || name == '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** The host name of a Host header (`127.0.0.1:8080`, `[::1]:80`). @param {string | undefined} header */
const hostName = (header = '') => (header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]);

/**
 * Why the collector must not start with these keys on this address, in one line, or ''.
 * @param {readonly string[]} keys @param {string} host
 */
export function readKeyProblem(keys, host) {
  const bad = keys.find((k) => !READ_KEY.test(k));
  if (bad !== undefined) return 'a read key must be 16 to 200 visible ASCII characters without a comma';
  if (!keys.length && !isLoopback(host)) {
    return `refusing to listen on ${host} without a read key: anyone reaching it could read every stored event (pass --read-key or PARCOURS_READ_KEY)`;
  }
  return '';
}

const sha256 = (/** @type {string} */ text) => createHash('sha256').update(text).digest();

/**
 * Checks of one collector's read keys.
 * @param {readonly string[]} keys none: reads are open to requests addressed to a loopback name
 */
export function createReadAccess(keys) {
  const digests = keys.map(sha256);
  const mac = (/** @type {string} */ key, /** @type {number} */ expires) => createHmac('sha256', key).update(MAC_LABEL + expires).digest();

  /** The key matching `text`, compared in constant time on equal-length digests; every key is compared. */
  const keyOf = (/** @type {string} */ text) => {
    const digest = sha256(text);
    let found = -1;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, digest) && found < 0) found = i;
    });
    return found < 0 ? undefined : keys[found];
  };

  /** Whether a cookie value was signed by one of the keys and has not expired. @param {string} value */
  const cookieValid = (value, now = Date.now()) => {
    const match = /^v1\.(\d{13})\.([\w-]{43})$/.exec(value);
    if (!match) return false;
    const expires = Number(match[1]);
    if (expires <= now || expires > now + COOKIE_MAX_AGE_S * 1000) return false;
    // Compared as text, not decoded bytes: the 43rd base64url character carries 2 bits no byte holds, so a decoded
    // comparison would accept a copy of a valid cookie with that character changed.
    const given = Buffer.from(match[2]);
    let valid = false;
    for (const key of keys) if (timingSafeEqual(Buffer.from(mac(key, expires).toString('base64url')), given)) valid = true;
    return valid;
  };

  return {
    /** Whether any key is configured. */
    keyed: keys.length > 0,

    /**
     * Whether this request may read: a Bearer key (any method), or the sign-in cookie on GET and HEAD (a DELETE
     * never rides on a cookie). Without keys: a request addressed to a loopback name.
     * @param {import('node:http').IncomingMessage} req
     */
    allows(req) {
      if (!keys.length) return isLoopback(hostName(req.headers.host));
      const bearer = /^Bearer ([\x21-\x7e]{1,200})$/i.exec(req.headers.authorization ?? '');
      if (bearer) return keyOf(bearer[1]) !== undefined;
      if (req.method != 'GET' && req.method != 'HEAD') return false;
      const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim());
      return cookies.some((c) => c.startsWith(COOKIE_NAME + '=') && cookieValid(c.slice(COOKIE_NAME.length + 1)));
    },

    /**
     * The Set-Cookie value for someone who typed `text`, or undefined when it is no read key.
     * @param {string} text
     */
    signIn(text, now = Date.now()) {
      const key = keyOf(text);
      if (key === undefined) return undefined;
      const expires = now + COOKIE_MAX_AGE_S * 1000;
      const value = `v1.${expires}.${mac(key, expires).toString('base64url')}`;
      return `${COOKIE_NAME}=${value}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; Secure; SameSite=Strict`;
    },

    /** The Set-Cookie value that signs out. */
    signOut: () => `${COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
  };
}

/** @typedef {ReturnType<typeof createReadAccess>} ReadAccess */
