import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Arrival } from '../../../src/journey/arrival';
import { ATTRIBUTION_WINDOW, TOUCH_KEY, readTouches, recordArrival } from '../../../src/journey/attribution';
import { webStorage } from '../../../src/lib/storage';
import { blockLocalStorage, memoryStore } from './support';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const ad: Arrival = { touchpoint: 'ad', source: 'google', medium: 'cpc', campaign: 'spring', clickId: 'gclid' };
const social: Arrival = { touchpoint: 'social', source: 'l.instagram.com' };
const email: Arrival = { touchpoint: 'email', source: 'klaviyo', medium: 'email' };
const direct: Arrival = { touchpoint: 'direct' };

describe('the first touch is written once', () => {
  it('keeps the first arrival while later ones come', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    recordArrival(store, social, T0 + HOUR);
    recordArrival(store, email, T0 + 2 * HOUR);
    expect(readTouches(store, T0 + 3 * HOUR).first).toEqual({ ...ad, ts: T0 });
  });

  it('is a direct arrival when the first visit was direct', () => {
    const store = memoryStore();
    recordArrival(store, direct, T0);
    recordArrival(store, ad, T0 + HOUR);
    expect(readTouches(store, T0 + HOUR)).toEqual({ first: { touchpoint: 'direct', ts: T0 }, last: { ...ad, ts: T0 + HOUR } });
  });
});

describe('the last touch is the latest non-direct arrival', () => {
  it('moves to each new non-direct arrival', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    recordArrival(store, social, T0 + HOUR);
    expect(readTouches(store, T0 + HOUR).last).toEqual({ ...social, ts: T0 + HOUR });
    recordArrival(store, email, T0 + 2 * HOUR);
    expect(readTouches(store, T0 + 2 * HOUR).last).toEqual({ ...email, ts: T0 + 2 * HOUR });
  });

  it('is not replaced by a direct arrival', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    recordArrival(store, direct, T0 + HOUR);
    recordArrival(store, direct, T0 + 2 * HOUR);
    expect(readTouches(store, T0 + 2 * HOUR)).toEqual({ first: { ...ad, ts: T0 }, last: { ...ad, ts: T0 } });
  });

  it('is direct while nothing else came, and follows the latest direct visit', () => {
    const store = memoryStore();
    recordArrival(store, direct, T0);
    recordArrival(store, direct, T0 + HOUR);
    expect(readTouches(store, T0 + HOUR).last).toEqual({ touchpoint: 'direct', ts: T0 + HOUR });
  });

  it('becomes direct once the non-direct touch left the window', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    const later = T0 + ATTRIBUTION_WINDOW + HOUR;
    recordArrival(store, direct, later);
    expect(readTouches(store, later)).toEqual({ first: { touchpoint: 'direct', ts: later }, last: { touchpoint: 'direct', ts: later } });
  });

  it('ignores internal navigation (no arrival)', () => {
    const store = memoryStore();
    recordArrival(store, social, T0);
    recordArrival(store, undefined, T0 + HOUR);
    expect(readTouches(store, T0 + HOUR)).toEqual({ first: { ...social, ts: T0 }, last: { ...social, ts: T0 } });
  });
});

describe('touches expire after the attribution window', () => {
  it('is 90 days', () => expect(ATTRIBUTION_WINDOW).toBe(90 * 24 * HOUR));

  it('keeps touches until the window ends, then forgets them', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    expect(readTouches(store, T0 + ATTRIBUTION_WINDOW - 1).first).toEqual({ ...ad, ts: T0 });
    expect(readTouches(store, T0 + ATTRIBUTION_WINDOW)).toEqual({});
  });

  it('starts a new first touch after expiry', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    const later = T0 + ATTRIBUTION_WINDOW + 1;
    recordArrival(store, email, later);
    expect(readTouches(store, later)).toEqual({ first: { ...email, ts: later }, last: { ...email, ts: later } });
  });

  it('expires the first touch before the last one', () => {
    const store = memoryStore();
    recordArrival(store, ad, T0);
    recordArrival(store, social, T0 + 30 * 24 * HOUR);
    expect(readTouches(store, T0 + ATTRIBUTION_WINDOW + 1)).toEqual({ last: { ...social, ts: T0 + 30 * 24 * HOUR } });
  });
});

describe('touches live in first-party storage as JSON', () => {
  beforeEach(() => localStorage.clear());

  it(`writes localStorage["${TOUCH_KEY}"] and reads it back on a later page`, () => {
    recordArrival(webStorage('localStorage'), ad, T0);
    expect(JSON.parse(localStorage.getItem(TOUCH_KEY)!)).toEqual({ first: { ...ad, ts: T0 }, last: { ...ad, ts: T0 } });
    expect(readTouches(webStorage('localStorage'), T0 + HOUR).last).toEqual({ ...ad, ts: T0 });
  });

  it.each(['{', '"x"', '42', 'null', '[]', '{"first":5,"last":{"touchpoint":"ad"}}', '{"first":{"ts":"soon"}}'])(
    'treats a stored %s as no touches, and overwrites it',
    (raw) => {
      const store = memoryStore({ [TOUCH_KEY]: raw });
      expect(readTouches(store, T0)).toEqual({});
      recordArrival(store, social, T0);
      expect(readTouches(store, T0)).toEqual({ first: { ...social, ts: T0 }, last: { ...social, ts: T0 } });
    },
  );
});

describe('blocked storage falls back to memory', () => {
  let unblock: () => void;
  beforeEach(() => (unblock = blockLocalStorage()));
  afterEach(() => unblock());

  it('records and reads touches for the life of the page without throwing', () => {
    expect(() => localStorage).toThrow();
    const store = webStorage('localStorage');
    recordArrival(store, ad, T0);
    recordArrival(store, direct, T0 + HOUR);
    expect(readTouches(store, T0 + HOUR)).toEqual({ first: { ...ad, ts: T0 }, last: { ...ad, ts: T0 } });
  });
});
