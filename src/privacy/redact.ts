/**
 * Privacy by construction: emails, phone numbers and card numbers are replaced by `[email]`, `[phone]`,
 * `[card]` in every event before it is queued, and secret-bearing query parameters are removed from URLs.
 * The rules are documented in README ("Redaction"); test/unit/privacy/redact.test.ts is their table.
 */
import type { Json, ParcoursEvent, Properties } from '../types';
import type { Part } from '../tracker';
import { TRUNCATED } from '../lib/jsonSafe';

/** Longer text is cut to this many characters before it is scanned: no unscanned text leaves the browser. */
export const MAX_SCAN = 2048;

/**
 * Query parameters removed from URLs. A parameter goes when its whole name or one of its words matches,
 * case-insensitively: `customer_email`, `apiKey`, `user[password]`, `X-Amz-Signature` all go.
 */
export const DEFAULT_STRIP_PARAMS =
  'token auth password passwd pass pwd secret key apikey credential email mail phone tel mobile session sessionid sid code otp signature sig jwt card cvc cvv iban ssn'.split(' ');

// The local part starts where a run of its characters starts (the prefix group), so each run is tried once:
// linear time, no lookbehind (a SyntaxError in Safari < 16.4 would stop the whole bundle). `%40` is an encoded @.
const EMAIL = /(^|[^\w.+%-])[\w.+%-]+(?:@|%40)(?:[\w\u00a1-\uffff-]+\.)+[a-z]{2,}/gi;
// A run of digit groups joined by one separator each (any space, including French no-break ones, dot, dash),
// with an optional leading + and parentheses, not glued to a word, + . or - before it. Between two digit groups
// there is always a separator or a parenthesis, so there is one way to match a run: linear time.
const NUMBER = /(^|[^\w+.-])(\+?\(?\d+(?:(?:\)[\s.-]?\(?|[\s.-]\(?|\()\d+)*)/g;
// Issuer prefixes and lengths: Visa 16/19, Mastercard 16, Amex 15, JCB and Discover/UnionPay/Maestro 16–19.
// 13-digit Visa (no longer issued) and 14-digit Diners are left out: EAN-13 barcodes and Shopify's 14-digit
// variant ids would pass Luhn one time in ten.
const CARD = /^(?:4\d{15}(?:\d{3})?|(?:5[1-5]|2[2-7])\d{14}|3[47]\d{13}|35\d{14,17}|6\d{15,18})$/;
const SEVEN_DIGITS = /^(?:\D*\d){7}/;

const luhn = (d: string) => {
  let sum = 0;
  for (let i = d.length, k = 0; i--; k ^= 1) {
    const x = +d[i] << k;
    sum += x > 9 ? x - 9 : x;
  }
  return sum % 10 == 0;
};

/** Whether a run of digit groups is a phone number; README ("Redaction") states these rules in words. */
const isPhone = (run: string, groups: string[], after: string) => {
  const n = groups.join('').length;
  if (n < 7 || n > (/^(\+|00)/.test(run) ? 15 : 12) || /^[.-]?\w/.test(after)) return false;
  // Separators, leaving out those beside a leading +country code or a parenthesis, must all be alike.
  if (/([^])(?!\1)[^]/.test(run.replace(/^\+\d+[\s.-]?|[\s.-]?[()][\s.-]?|\d/g, ''))) return false;
  return (
    run[0] == '+' ||
    // Not dates (2024-11-25, 25.11.2024), ZIP+4 or CEP codes (90210-1234, 01310-100), dotted amounts (1.299.000).
    (!/^(4,[12],[12]|[12],[12],4|5,[34])$/.test(groups.map((g) => g.length).join()) &&
      !/^[1-9]\d?\d?(\.\d{3})+$/.test(run) &&
      (groups[1] ? !!groups[2] || /^[0(]/.test(run) : /^0[1-9]\d{7,9}$/.test(run)))
  );
};

const number = (match: string, pre: string, run: string, at: number, s: string) => {
  const groups = run.match(/\d+/g)!;
  // A card may sit inside a longer run ("4111 1111 1111 1111 12/27"): try every span of up to 5 whole groups
  // (cards are printed in 3 to 5).
  for (let i = 0; i < groups.length; i++)
    for (let j = i, d = ''; j < i + 5 && j < groups.length && (d += groups[j]).length < 20; j++) if (CARD.test(d) && luhn(d)) return pre + '[card]';
  const end = at + match.length;
  return pre + (!ids && isPhone(run, groups, s.slice(end, end + 2)) ? '[phone]' : run);
};

/**
 * Text with emails, phone numbers and Luhn-valid card numbers replaced by `[email]`, `[phone]`, `[card]`.
 * Text longer than `MAX_SCAN` is cut first. Linear time; text with no `@` and fewer than 7 digits is
 * returned as it is without running the patterns. Anything that is not a string is returned unchanged.
 */
export const redactText = (s: string): string => {
  if (typeof s != 'string') return s;
  if (s.length > MAX_SCAN) s = s.slice(0, MAX_SCAN) + TRUNCATED;
  if (s.includes('@') || s.includes('%40')) s = s.replace(EMAIL, '$1[email]');
  return SEVEN_DIGITS.test(s) ? s.replace(NUMBER, number) : s;
};

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // a malformed escape: redact the raw text
  }
};

/** `a=1&email=x&q=jane@doe.com` → `a=1&q=%5Bemail%5D`; pairs left untouched keep their exact spelling. */
const params = (query: string, strip: string[]) =>
  query
    .split('&')
    .filter((pair) => {
      const name = decode(pair.split('=')[0]);
      const words = name.replace(/([a-z])(?=[A-Z])/g, '$1 ').toLowerCase().split(/[^a-z0-9]+/);
      return ![name.toLowerCase(), ...words].some((w) => strip.includes(w));
    })
    .map((pair) => {
      const i = pair.indexOf('=') + 1;
      const value = decode(pair.slice(i));
      const clean = redactText(value);
      return clean == value ? pair : pair.slice(0, i) + encodeURIComponent(clean);
    })
    .join('&');

/**
 * A URL without credentials (`user:pass@`), without the query parameters named in `stripParams` (lower-case
 * names; see `DEFAULT_STRIP_PARAMS` for how they match), and with emails, phones and cards redacted in the path, in the
 * remaining parameter values and in the fragment (whose `a=b&…` part, after an SPA route's `?`, is treated as
 * parameters). Pure string work, so a malformed or relative URL is redacted as best it can be; never throws.
 */
export const redactUrl = (url: string, stripParams: string[]): string => {
  if (typeof url != 'string') return '';
  const [, base, query, hash] = /^([^?#]*)(?:\?([^#]*))?(?:#([^]*))?$/.exec(url.slice(0, 2 * MAX_SCAN))!;
  let out = redactText(base.replace(/^([\w+.-]+:\/\/)[^/@]*@/, '$1'));
  const q = query != null && params(query, stripParams);
  if (q) out += '?' + q;
  if (hash != null) {
    const i = hash.indexOf('?') + 1; // SPA routes: `#/checkout?phone=…`
    const h = hash.includes('=') ? redactText(hash.slice(0, i)) + params(hash.slice(i), stripParams) : redactText(hash);
    if (h) out += '#' + h;
  }
  return out;
};

const memos = new WeakMap<string[], Map<string, string>>();

// Depth is bounded by jsonSafe already; this bound only covers what other parts add later.
/** URLs with a query or fragment inside text (links a page passes as properties, messages quoting a link). */
const URL_IN_TEXT = /(?:https?:\/\/|\/|^(?=[?#]))[^\s"'<>]*[?#][^\s"'<>]*=[^\s"'<>]*/g; // also a bare `?a=b` (location.search)

/** Property names that hold product identifiers (`sku: "002.937.72"` is IKEA's, not a phone): cards still go. */
const ID_KEYS = /^(sku|mpn|gtin\d*|id|product_id|variant_id|item_id)$/;
let ids = false;

let strip: string[] = [];
const deep = (v: Json, depth: number, key = ''): Json => {
  // Secret parameters go from URLs anywhere in text too, not only from page.url.
  if (typeof v == 'string') {
    ids = ID_KEYS.test(key);
    try {
      return redactText(v.includes('=') ? v.replace(URL_IN_TEXT, (u) => redactUrl(u, strip)) : v);
    } finally {
      ids = false;
    }
  }
  if (v && typeof v == 'object') {
    if (depth > 16) return TRUNCATED;
    for (const k of Object.keys(v)) (v as Properties)[k] = deep((v as Properties)[k], depth + 1, k);
  }
  return v;
};

/**
 * Redacts an event in place: `page.url` and `page.referrer` with `redactUrl`, `page.title`, `page.path` and
 * every string in `properties` (at any depth) with `redactText`. The event's own ids, type and journey tags are
 * left alone. Fails closed: should anything throw, the event leaves with empty page fields and properties.
 */
export const redactEvent = (event: ParcoursEvent, stripParams: string[]): void => {
  const page = event.page;
  try {
    // A page's events share its URL, referrer, title and path: redact each once (per list of parameters).
    let memo = memos.get(stripParams);
    if (!memo || memo.size > 64) memos.set(stripParams, (memo = new Map()));
    const once = (kind: string, s: string, redact: (s: string) => string) => {
      const key = kind + s;
      let out = memo!.get(key);
      if (out == null) memo!.set(key, (out = redact(s)));
      return out;
    };
    page.url = once('u', page.url, (u) => redactUrl(u, stripParams));
    page.referrer = once('u', page.referrer, (u) => redactUrl(u, stripParams));
    page.title = once('t', page.title, redactText);
    page.path = once('t', page.path, redactText);
    strip = stripParams;
    event.properties = deep(event.properties, 0) as Properties;
  } catch {
    event.page = { url: '', path: '', title: '', referrer: '' };
    event.properties = {};
  }
};

/**
 * The privacy part: redacts every event before it is queued, after every other part's enricher. `stripParams`
 * replaces the default list (extend it with `[...DEFAULT_STRIP_PARAMS, 'ref']`).
 */
export const privacy =
  (options?: { stripParams?: string[] }): Part =>
  (api) => {
    let strip = DEFAULT_STRIP_PARAMS;
    try {
      const list = options!.stripParams;
      if (Array.isArray(list)) strip = list.map((p) => ('' + p).toLowerCase());
      else if (list) api.log('privacy: stripParams must be an array of names; the default list is used');
    } catch {} // no options, or unreadable ones: the defaults
    api.enrich((event) => redactEvent(event, strip), 'last'); // after every part that adds fields
  };
