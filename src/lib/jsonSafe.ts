import type { Json, Properties } from '../types';

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
