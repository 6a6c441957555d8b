import { fileURLToPath } from 'node:url';
// @ts-expect-error — plain ESM with JSDoc types
import { startCollector } from '../../../examples/collector/server.mjs';

export interface StoredEvent {
  id: string;
  type: string;
  ts: number;
  sessionId: string;
  properties: Record<string, unknown>;
  stage?: string;
  touchpoint?: string;
  pageType?: string;
  _deliveries: number;
  [key: string]: unknown;
}

const root = (path: string) => fileURLToPath(new URL('../../../' + path, import.meta.url));

/**
 * The reference collector on 127.0.0.1, serving the test pages and the built SDK from the same origin.
 * `events()` reads back what it stored, through its own HTTP API.
 */
export const startTestCollector = async (extra: Record<string, unknown> = {}) => {
  const collector = await startCollector({
    static: { '/': root('test/browser/pages'), '/shop/': root('examples/shop') },
    files: { '/parcours.min.js': root('dist/parcours.min.js') },
    ...extra,
  });
  const events = async (query = ''): Promise<StoredEvent[]> => (await fetch(collector.url + '/events?limit=100000&' + query)).json();
  return { url: collector.url as string, events, close: () => collector.close() as Promise<void>, collector };
};

/** Poll `read` until `done` holds or the time is up (bounded: tests never hang on a missing event). */
export const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
};
