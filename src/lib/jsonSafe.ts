import type { Json, Properties } from '../types';
import { stringify } from './json';

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
export const jsonSafe = (value: unknown, seen: object[] = [], depth = 0, budget = { n: MAX_NODES }): Json | undefined => {
  if (--budget.n < 0) return TRUNCATED;
  switch (typeof value) {
    case 'string':
      return value.length > MAX_STRING ? cut(value, MAX_STRING) : value;
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

const copyObject = (value: Record<string, unknown>, seen: object[], depth: number, budget: { n: number }): Properties => {
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

/** Properties as an event carries them: always a plain object. */
export const toProperties = (value: unknown): Properties => {
  const copy = value == null ? {} : jsonSafe(value);
  return copy && typeof copy == 'object' && !Array.isArray(copy) ? copy : { value: copy ?? null };
};

/** An event's properties are cut to fit this many bytes of JSON (Segment's per-message limit is 32 KB too). */
export const MAX_PROPERTIES_BYTES = 30_000;

/**
 * Cut `props` in place until its JSON fits `max` bytes: every string longer than one common length is cut to it
 * (ending in the marker), the length chosen as large as fits, and `_truncated: true` says it happened. Many small
 * values that still do not fit leave only `{ _truncated: true }`. The event is kept either way: truncated, never
 * silently dropped.
 */
export const fitProperties = (props: Properties, max = MAX_PROPERTIES_BYTES): Properties => {
  // A value that cannot be stringified counts as not fitting (it would not travel either).
  const json = () => stringify(props) ?? 'x'.repeat(max + 1);
  // UTF-8 is at most 3 bytes per UTF-16 unit: most events are decided without measuring bytes.
  if (json().length * 3 <= max) return props;
  const bytes = () => new Blob([json()]).size;
  if (bytes() <= max) return props;
  const strings: [Properties, string, string][] = [];
  const walk = (o: Properties) => {
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v == 'string') strings.push([o, k, v]);
      else if (v && typeof v == 'object') walk(v as Properties);
    }
  };
  walk(props);
  const cutAll = (limit: number) => {
    for (const [o, k, v] of strings) o[k] = v.length > limit ? cut(v, limit) : v;
  };
  // The longest common length that fits, by bisection (each step measures once; at most ~12 steps).
  let lo = 0;
  let hi = 0;
  for (const x of strings) hi = Math.max(hi, x[2].length); // a loop: spreading a million strings overflows the stack
  props._truncated = true;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    cutAll(mid);
    if (bytes() <= max) lo = mid;
    else hi = mid - 1;
  }
  cutAll(lo);
  return bytes() <= max ? props : { _truncated: true };
};
