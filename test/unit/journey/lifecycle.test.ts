import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER_KEY, currentLifecycle, lifecycleOf, markCustomer } from '../../../src/journey/lifecycle';
import { webStorage } from '../../../src/lib/storage';
import { blockLocalStorage, memoryStore } from './support';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('lifecycle of a browser across sessions', () => {
  it('is new during the first session', () => {
    const store = memoryStore();
    expect(currentLifecycle(store, 's1', T0)).toBe('new');
    expect(currentLifecycle(store, 's1', T0 + 60_000)).toBe('new');
  });

  it('is returning in any later session', () => {
    const store = memoryStore();
    currentLifecycle(store, 's1', T0);
    expect(currentLifecycle(store, 's2', T0 + 3_600_000)).toBe('returning');
    expect(currentLifecycle(store, 's3', T0 + 7_200_000)).toBe('returning');
  });

  it('is customer once marked, in this session and later ones', () => {
    const store = memoryStore();
    currentLifecycle(store, 's1', T0);
    markCustomer(store, T0 + 1);
    expect(currentLifecycle(store, 's1', T0 + 2)).toBe('customer');
    expect(currentLifecycle(store, 's2', T0 + 3)).toBe('customer');
  });

  it('keeps a first order visible: the order is tagged before the browser becomes customer', () => {
    const store = memoryStore();
    const order = currentLifecycle(store, 's1', T0);
    markCustomer(store, T0);
    expect([order, currentLifecycle(store, 's1', T0 + 1)]).toEqual(['new', 'customer']);
  });

  it('is customer when the shop marks a known customer on a browser never seen', () => {
    const store = memoryStore();
    markCustomer(store, T0);
    expect(currentLifecycle(store, 's9', T0 + 1)).toBe('customer');
  });
});

describe('the customer store', () => {
  beforeEach(() => localStorage.clear());

  it(`remembers first seen time and session in localStorage["${CUSTOMER_KEY}"], once`, () => {
    currentLifecycle(webStorage('localStorage'), 's1', T0);
    currentLifecycle(webStorage('localStorage'), 's2', T0 + 5);
    markCustomer(webStorage('localStorage'), T0 + 9);
    expect(JSON.parse(localStorage.getItem(CUSTOMER_KEY)!)).toEqual({ ts: T0, sid: 's1', customer: true });
  });

  it.each(['{', '"x"', '7', 'null', '{}', '{"sid":"s0"}'])('starts over from a stored %s', (raw) => {
    const store = memoryStore({ [CUSTOMER_KEY]: raw });
    expect(currentLifecycle(store, 's1', T0)).toBe('new');
    expect(currentLifecycle(store, 's2', T0 + 1)).toBe('returning');
  });
});

describe('lifecycleOf reads a state', () => {
  it.each([
    [undefined, 'new'],
    [{ ts: T0, sid: 's1' }, 'new'],
    [{ ts: T0, sid: 's0' }, 'returning'],
    [{ ts: T0, sid: 's0', customer: true }, 'customer'],
    [{ ts: T0, sid: 's1', customer: true }, 'customer'],
  ] as const)('%j in session s1 → %s', (state, lifecycle) => expect(lifecycleOf(state, 's1')).toBe(lifecycle));
});

describe('blocked storage', () => {
  let unblock: () => void;
  beforeEach(() => (unblock = blockLocalStorage()));
  afterEach(() => unblock());

  it('still answers, from memory for the life of the page', () => {
    const store = webStorage('localStorage');
    expect(currentLifecycle(store, 's1', T0)).toBe('new');
    expect(currentLifecycle(store, 's2', T0 + 1)).toBe('returning');
    markCustomer(store);
    expect(currentLifecycle(store, 's2', T0 + 2)).toBe('customer');
  });
});
