import type { ParcoursEvent, WireBatch } from '../../../src/types';

/**
 * A collector for logic tests: installed as `fetch`, it parses every body like the real one would and answers
 * what the test scripts. Real delivery is tested in Chromium against examples/collector.
 */
export const fakeCollector = (answer: (batch: WireBatch, n: number) => number | Response = () => 200) => {
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
