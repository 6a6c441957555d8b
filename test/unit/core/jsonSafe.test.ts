import { describe, expect, it } from 'vitest';
import { MAX_STRING, TRUNCATED, fitEvent, jsonSafe, toProperties } from '../../../src/lib/jsonSafe';
import type { ParcoursEvent } from '../../../src/types';

describe('properties are copied JSON-safe at call time', () => {
  it('keeps plain JSON as it is', () => {
    const value = { a: 1, b: 'x', c: [true, null, { d: 2.5 }] };
    expect(jsonSafe(value)).toEqual(value);
    expect(jsonSafe(value)).not.toBe(value);
  });

  it('turns cycles into a marker instead of recursing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    expect(jsonSafe(a)).toEqual({ name: 'a', self: '[cycle]', list: ['[cycle]'] });
  });

  it('keeps a shared (non-cyclic) object every time it appears', () => {
    const shared = { x: 1 };
    expect(jsonSafe({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('drops functions and symbols, stringifies BigInt, nulls non-finite numbers, dates as ISO', () => {
    expect(jsonSafe({ f() {}, s: Symbol('s'), big: 10n ** 20n, n: NaN, i: Infinity, d: new Date(0) })).toEqual({
      big: '100000000000000000000',
      n: null,
      i: null,
      d: '1970-01-01T00:00:00.000Z',
    });
    expect(jsonSafe([() => 1])).toEqual([null]);
  });

  it('loses only the property whose getter or toJSON throws', () => {
    const hostile = {
      ok: 1,
      get bad() {
        throw new Error('boom');
      },
      nested: { toJSON() {
        throw new Error('boom');
      } },
    };
    expect(jsonSafe(hostile)).toEqual({ ok: 1, nested: null });
  });

  it('cuts long strings, deep nesting and huge arrays with a visible marker', () => {
    expect(jsonSafe('x'.repeat(MAX_STRING + 10))).toBe('x'.repeat(MAX_STRING) + TRUNCATED);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(jsonSafe(deep))).toContain(TRUNCATED);
    const arr = jsonSafe(Array.from({ length: 1000 }, (_, i) => i)) as unknown[];
    expect(arr.length).toBe(101);
    expect(arr[100]).toBe(TRUNCATED);
  });

  it('never lets an own __proto__ key change the copy', () => {
    const copy = jsonSafe(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')) as Record<string, unknown>;
    expect(copy).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('always gives events a plain object of properties', () => {
    expect(toProperties(undefined)).toEqual({});
    expect(toProperties('text')).toEqual({ value: 'text' });
    expect(toProperties([1])).toEqual({ value: [1] });
    expect(toProperties({ a: 1 })).toEqual({ a: 1 });
  });
});

describe('an event stays under 32 KB: cut, never dropped', () => {
  const event = (properties: Record<string, unknown>) =>
    ({ id: 'e1', type: 't', ts: 1, sessionId: 's', anonymousId: null, userId: null, page: { url: '/', path: '/', title: '', referrer: '' }, properties }) as never as ParcoursEvent;
  const bytes = (e: ParcoursEvent) => new Blob([JSON.stringify(e)]).size;

  it('cuts every long string to the longest common length that fits, marks the cut, and keeps the short ones', () => {
    const props: Record<string, any> = { keep: 'small', big: 'x'.repeat(2000) };
    for (let i = 0; i < 99; i++) props['k' + i] = 'é'.repeat(1999);
    const e = event(props);
    fitEvent(e, 32_000);
    expect(bytes(e)).toBeLessThanOrEqual(32_000);
    expect(bytes(e)).toBeGreaterThan(31_000); // as large as fits, not cut more than needed
    expect(e.properties._truncated).toBe(true);
    expect(e.properties.keep).toBe('small');
    expect(Object.keys(e.properties)).toHaveLength(102);
    expect(e.properties.big).toMatch(/^x+…\[truncated\]$/);
  });

  it('leaves an event that fits untouched', () => {
    const e = event({ a: 1, b: 'two' });
    fitEvent(e, 32_000);
    expect(e.properties).toEqual({ a: 1, b: 'two' });
  });

  it('many small values that cannot be cut further leave a marker, not an oversized event', () => {
    const props: Record<string, any> = {};
    for (let i = 0; i < 100; i++) props['k' + i] = Array.from({ length: 100 }, (_, j) => j * 1e10);
    const e = event(props);
    fitEvent(e, 32_000);
    expect(e.properties).toEqual({ _truncated: true });
  });
});
