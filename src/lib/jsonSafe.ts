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
 * A JSON-safe deep copy of whatever a page passes as properties: cycles become `"[cycle]"`, functions and
 * symbols are dropped, BigInt becomes a string, non-finite numbers `null`, dates ISO strings, and a getter or
 * `toJSON` that throws only loses its own value. Never throws, never calls the page's `JSON`.
 */
export const jsonSafe = (value: unknown, seen: object[] = [], depth = 0): Json | undefined => {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_STRING ? value.slice(0, MAX_STRING) + TRUNCATED : value;
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
    if (typeof toJSON == 'function') return jsonSafe(toJSON.call(value), seen, depth + 1);
    seen.push(value);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (let i = 0; i < value.length && i < MAX_ITEMS; i++) out.push(jsonSafe(value[i], seen, depth + 1) ?? null);
      if (value.length > MAX_ITEMS) out.push(TRUNCATED);
      return out;
    }
    return copyObject(value as Record<string, unknown>, seen, depth);
  } catch {
    return null;
  } finally {
    if (seen[seen.length - 1] === value) seen.pop();
  }
};

const copyObject = (value: Record<string, unknown>, seen: object[], depth: number): Properties => {
  const out: Properties = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length && i < MAX_ITEMS; i++) {
    let v: Json | undefined;
    try {
      v = jsonSafe(value[keys[i]], seen, depth + 1);
    } catch {
      continue; // a throwing getter loses only its own property
    }
    // `__proto__` as an own key would change the copy's prototype instead of adding a property.
    if (v !== undefined && keys[i] != '__proto__') out[keys[i]] = v;
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
  const json = () => stringify(props) || '';
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
  const cut = (limit: number) => {
    for (const [o, k, v] of strings) o[k] = v.length > limit ? v.slice(0, limit) + TRUNCATED : v;
  };
  // The longest common length that fits, by bisection (each step measures once; at most ~12 steps).
  let lo = 0;
  let hi = Math.max(0, ...strings.map((x) => x[2].length));
  props._truncated = true;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    cut(mid);
    if (bytes() <= max) lo = mid;
    else hi = mid - 1;
  }
  cut(lo);
  return bytes() <= max ? props : { _truncated: true };
};
