import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParcoursEvent, Tracker } from '../../../src/types';
import { fakeCollector, loadSdk } from './fakeCollector';

let collector: ReturnType<typeof fakeCollector>;
let createTracker: typeof import('../../../src/entry/npm').createTracker;
let trackers: Tracker[] = [];

beforeEach(async () => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  localStorage.clear();
  ({ collector, sdk: { createTracker } } = await loadSdk(() => import('../../../src/entry/npm')));
});
const tracker = (beforeSend: unknown, debug = false) => {
  const t = createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, beforeSend: beforeSend as never, debug });
  trackers.push(t);
  return t;
};

describe('beforeSend edits or drops events before they are stored', () => {
  it('drops the events it answers null for, and keeps the others', async () => {
    const t = tracker((e: ParcoursEvent) => (e.type == 'internal_ping' ? null : e));
    t.track('internal_ping');
    t.track('kept');
    await t.flush();
    expect(collector.types()).toEqual(['kept']);
  });

  it('sends what it edits in place, or the event it returns — with the original id', async () => {
    const ids: string[] = [];
    const t = tracker((e: ParcoursEvent) => {
      ids.push(e.id);
      if (e.type == 'in_place') return void (e.properties.plan = 'gold');
      return { ...e, id: 'forged', properties: { replaced: true, big: 10n } as never };
    });
    t.track('in_place');
    t.track('replaced');
    await t.flush();
    const [inPlace, replaced] = [...collector.stored.values()];
    expect(inPlace.properties).toEqual({ plan: 'gold' });
    expect(replaced.properties).toEqual({ replaced: true, big: '10' });
    expect([inPlace.id, replaced.id]).toEqual(ids);
  });

  it('a hook that throws leaves the event as it was, with a diagnostic; a hook that is not a function is ignored', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = tracker(() => {
      throw new Error('oops');
    }, true);
    t.track('survives');
    const u = tracker('not a function', true);
    u.track('also');
    await t.flush();
    await u.flush();
    expect(collector.types().sort()).toEqual(['also', 'survives']);
    const lines = warn.mock.calls.map(([m]) => String(m));
    expect(lines.some((l) => l.includes('beforeSend threw (oops)'))).toBe(true);
    expect(lines.some((l) => l.includes('"beforeSend" must be a function'))).toBe(true);
    warn.mockRestore();
  });
});
