import type { Json, ParcoursEvent, Properties } from '../types';
import { byteLength, stringify } from './json';

/** Nesting deeper than this is cut and replaced by the marker. */
export const MAX_DEPTH = 8;
/** Longer strings are cut and end with the marker. */
export const MAX_STRING = 2000;
/** Object keys and array items kept at most, per level. */
export const MAX_ITEMS = 100;
/** What a cut leaves behind, so truncation is visible at the collector instead of silent. */
export const TRUNCATED = '…[truncated]';
/**
 * A long string cut to `max` characters, ending in the marker. The cut drops the word (and the digits around
 * it) it fell in: half an email or card number is still a secret, and redaction can no longer recognise it.
 */
export const cut = (s: string, max: number) => {
  const head = s.slice(0, max);
  const end = /[\d\s.+()\/-]{0,32}\S{0,64}$/.exec(head)![0];
  // Judge the whole word the cut fell in, both sides of it: `jane` alone is harmless, `jane.cut@doe.com` is not.
  const rest = /^\S{0,64}/.exec(s.slice(max))![0];
  return (/[@\d]/.test(end + rest) ? head.slice(0, head.length - end.length) : head) + TRUNCATED;
};

/** Values read per copy at most: an object shared on many paths is copied on each, and this bounds the work. */
export const MAX_NODES = 5_000;

/**
 * A JSON-safe deep copy of whatever a page passes as properties: cycles become `"[cycle]"`, functions and
 * symbols are dropped, BigInt becomes a string, non-finite numbers `null`, dates ISO strings, and a getter or
 * `toJSON` that throws only loses its own value. Never throws, never calls the page's `JSON`.
 */
export const jsonSafe = (value: unknown, seen: object[] = [], depth = 0, budget = { n: MAX_NODES, s: MAX_STRING }): Json | undefined => {
  if (--budget.n < 0) return TRUNCATED;
  switch (typeof value) {
    case 'string':
      return value.length > budget.s ? cut(value, budget.s) : value;
    case 'number':
      return isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return String(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (seen.includes(value)) return '[cycle]';
  if (depth >= MAX_DEPTH) return TRUNCATED;
  try {
    if (value instanceof Date) return isNaN(+value) ? null : value.toISOString();
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON == 'function') return jsonSafe(toJSON.call(value), seen, depth + 1, budget);
    seen.push(value);
    // Arrays and typed arrays (a canvas' pixels) by index: never enumerate millions of keys to keep 100.
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const list = value as unknown as ArrayLike<unknown>;
      const out: Json[] = [];
      for (let i = 0; i < list.length && i < MAX_ITEMS; i++) out.push(jsonSafe(list[i], seen, depth + 1, budget) ?? null);
      if (list.length > MAX_ITEMS) out.push(TRUNCATED);
      return out;
    }
    return copyObject(value as Record<string, unknown>, seen, depth, budget);
  } catch {
    return null;
  } finally {
    if (seen[seen.length - 1] === value) seen.pop();
  }
};

const copyObject = (value: Record<string, unknown>, seen: object[], depth: number, budget: { n: number; s: number }): Properties => {
  const out: Properties = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length && i < MAX_ITEMS; i++) {
    let v: Json | undefined;
    try {
      v = jsonSafe(value[keys[i]], seen, depth + 1, budget);
    } catch {
      continue; // a throwing getter loses only its own property
    }
    // `__proto__` as an own key would change the copy's prototype instead of adding a property.
    // Keys are data too: a 1 MB key is cut like a value.
    const key = keys[i].length > MAX_STRING ? cut(keys[i], MAX_STRING) : keys[i];
    if (v !== undefined && key != '__proto__') out[key] = v;
  }
  if (keys.length > MAX_ITEMS) out['…'] = TRUNCATED;
  return out;
};

/** Properties as an event carries them: always a plain object, its string values at most `max` long. */
export const toProperties = (value: unknown, max = MAX_STRING): Properties => {
  const copy = value == null ? {} : jsonSafe(value, [], 0, { n: MAX_NODES, s: max });
  return copy && typeof copy == 'object' && !Array.isArray(copy) ? copy : { value: copy ?? null };
};

/**
 * Keep an event's JSON within `max` bytes by cutting its properties: every string longer than one common length is
 * cut to it (ending in the marker), the length chosen as large as fits (bisection: ~11 copies, only for an event
 * that is too big), and `_truncated: true` says so. Many small values that still do not fit leave only
 * `{ _truncated: true }`. The event is kept either way: truncated, never silently dropped.
 */
export const fitEvent = (event: ParcoursEvent, max: number) => {
  const fits = () => {
    const json = stringify(event) ?? '';
    // UTF-8 is at most 3 bytes per UTF-16 unit: most events are decided without counting bytes.
    return json.length * 3 <= max || byteLength(json) <= max;
  };
  if (fits()) return;
  const props = event.properties;
  const cutTo = (limit: number) => (event.properties = { ...toProperties(props, limit), _truncated: true });
  let lo = -1;
  let hi = MAX_STRING;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    cutTo(mid);
    if (fits()) lo = mid;
    else hi = mid - 1;
  }
  lo < 0 ? (event.properties = { _truncated: true }) : cutTo(lo);
};
