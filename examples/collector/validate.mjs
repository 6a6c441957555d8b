// @ts-check
/**
 * Strict validation of the parcours wire format (`WireBatch` of src/types.ts). The collector is also the test
 * oracle of the SDK, so unknown fields are refused rather than ignored: a drift between SDK and types shows
 * up as a 400 with the path of the first problem.
 */

/** Limits the collector enforces, in UTF-16 code units for strings. */
export const LIMITS = Object.freeze({
  /** Events per request. */
  events: 500,
  /** Nesting levels inside `properties` (JSON.stringify overflows the stack far beyond it). */
  depth: 32,
});

/** @typedef {{ ok: (v: unknown) => boolean, what: string }} Rule */
/** @typedef {{ fields: Record<string, Spec>, optional?: Record<string, Spec> }} Shape */
/** @typedef {{ items: Spec, max: number }} List */
/** @typedef {Rule | Shape | List} Spec */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {number} min @param {number} max @returns {Rule} */
const string = (min, max) => ({
  ok: (v) => typeof v === 'string' && v.length >= min && v.length <= max,
  what: `a string of ${min}..${max} characters`,
});

/** @param {Rule} rule @returns {Rule} */
const orNull = (rule) => ({ ok: (v) => v === null || rule.ok(v), what: `null or ${rule.what}` });

/** @type {Rule} */
const finite = { ok: (v) => typeof v === 'number' && Number.isFinite(v), what: 'a finite number' };

/** @type {Rule} */
const properties = {
  ok: (v) => isObject(v) && !nestsDeeper(v, LIMITS.depth),
  what: `a JSON object nested at most ${LIMITS.depth} levels`,
};

const tag = string(1, 64);
const pageText = string(0, 8192);

/** @type {Shape} */
const PAGE = { fields: { url: pageText, path: pageText, title: pageText, referrer: pageText } };

/** @type {Shape} */
const EVENT = {
  fields: {
    id: string(1, 64),
    type: string(1, 100),
    ts: finite,
    sessionId: string(1, 256),
    anonymousId: orNull(string(1, 256)),
    userId: orNull(string(1, 256)),
    page: PAGE,
    properties,
  },
  optional: { stage: tag, touchpoint: tag, pageType: tag, lifecycle: tag },
};

/** @type {Shape} */
const BATCH = {
  fields: { sentAt: finite, site: orNull(string(1, 200)), events: { items: EVENT, max: LIMITS.events } },
};

/**
 * Checks a parsed request body against the wire format.
 * @param {unknown} body the result of JSON.parse
 * @returns {string} the first problem as one line (`events[3].page.url must be …`), or '' when the batch is valid
 */
export function batchProblem(body) {
  const found = problem(body, BATCH);
  return found ? `${found.path.replace(/^\./, '') || 'body'} ${found.says}` : '';
}

/**
 * The first problem of `v`, its path relative to `v` (`.page.url`, `[3]`); undefined when `v` is valid. Paths are
 * built only for a problem found: a valid batch (nearly every one) costs no string work.
 * @param {unknown} v @param {Spec} spec @returns {{ path: string, says: string } | undefined}
 */
function problem(v, spec) {
  if ('ok' in spec) return spec.ok(v) ? undefined : { path: '', says: `must be ${spec.what}` };
  if ('items' in spec) {
    if (!Array.isArray(v) || v.length > spec.max) return { path: '', says: `must be an array of at most ${spec.max} items` };
    for (let i = 0; i < v.length; i++) {
      const p = problem(v[i], spec.items);
      if (p) return { path: `[${i}]${p.path}`, says: p.says };
    }
    return undefined;
  }
  if (!isObject(v)) return { path: '', says: 'must be an object' };
  const optional = spec.optional || {};
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    if (!Object.hasOwn(spec.fields, key) && !Object.hasOwn(optional, key)) {
      return { path: '', says: `has an unknown field ${JSON.stringify(key.slice(0, 40))}` };
    }
  }
  for (const key in spec.fields) {
    if (!Object.hasOwn(v, key)) return { path: `.${key}`, says: 'is missing' };
    const p = problem(v[key], spec.fields[key]);
    if (p) return { path: `.${key}${p.path}`, says: p.says };
  }
  for (const key in optional) {
    const p = Object.hasOwn(v, key) ? problem(v[key], optional[key]) : undefined;
    if (p) return { path: `.${key}${p.path}`, says: p.says };
  }
  return undefined;
}

/**
 * Whether a JSON value nests deeper than `max` levels; breadth-first, so a hostile body cannot overflow the stack.
 * @param {unknown} root @param {number} max
 */
function nestsDeeper(root, max) {
  /** @type {unknown[]} */
  let level = [root];
  for (let depth = 1; level.length; depth++) {
    if (depth > max) return true;
    /** @type {unknown[]} */
    const next = [];
    for (const node of level) {
      for (const child of Object.values(/** @type {object} */ (node))) {
        if (typeof child === 'object' && child !== null) next.push(child);
      }
    }
    level = next;
  }
  return false;
}
