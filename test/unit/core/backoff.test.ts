import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, RETRY_AFTER_MAX_MS, backoffDelay, retryAfterMs } from '../../../src/lib/backoff';

describe('retries back off exponentially with full jitter', () => {
  it('draws the wait from [0, base·2^attempt)', () => {
    expect(backoffDelay(1, () => 0.999)).toBeCloseTo(BACKOFF_BASE_MS * 2 * 0.999);
    expect(backoffDelay(3, () => 0.5)).toBe(BACKOFF_BASE_MS * 8 * 0.5);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelay(50, () => 0.999999)).toBeLessThan(BACKOFF_CAP_MS);
    expect(backoffDelay(1e9, () => 1)).toBe(BACKOFF_CAP_MS);
  });
});

describe('Retry-After is honoured', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds', () => expect(retryAfterMs('10', now)).toBe(10_000));
  it('reads an HTTP date', () => expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000));
  it('treats a date in the past as now', () => expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0));
  it('clamps absurd values', () => expect(retryAfterMs('99999999', now)).toBe(RETRY_AFTER_MAX_MS));
  it('ignores what is absent or malformed', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});
