import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import type { ParcoursEvent, WireBatch } from '../../../src/types';

/** What the fake collector answers to the `n`th request: a status, or a whole Response. */
export type Answer = (batch: WireBatch, n: number) => number | Response;

/**
 * A collector for logic tests: installed as `fetch`, it parses every body like the real one would and answers
 * what the test scripts. Real delivery is tested in Chromium against examples/collector.
 */
export const fakeCollector = (answer: Answer = () => 200) => {
  const bodies: string[] = [];
  const stored = new Map<string, ParcoursEvent>();
  const received: string[] = [];
  const fetch = async (_url: unknown, init?: RequestInit) => {
    const body = String(init?.body);
    bodies.push(body);
    const batch = JSON.parse(body) as WireBatch;
    batch.events.forEach((e) => received.push(e.id));
    const res = answer(batch, bodies.length);
    const response = typeof res == 'number' ? new Response('{}', { status: res }) : res;
    if (response.ok) batch.events.forEach((e) => stored.set(e.id, e));
    return response;
  };
  return { fetch, bodies, stored, received, types: () => [...stored.values()].map((e) => e.type) };
};

/**
 * Installs a fresh fake collector as `fetch` and a fresh IndexedDB, then loads a fresh copy of the SDK through
 * `importer` (e.g. `() => import('../../../src/tracker')`, written in the test so the path is its own).
 * The SDK takes `fetch` when its modules load (pages wrap fetch later), so it has to be imported after the stub:
 * the module cache is reset first. Anything that must happen just before the SDK loads can go in `importer`.
 */
export const loadSdk = async <M>(importer: () => Promise<M>, answer?: Answer) => {
  const collector = fakeCollector(answer);
  vi.stubGlobal('fetch', collector.fetch);
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.resetModules();
  return { collector, sdk: await importer() };
};
