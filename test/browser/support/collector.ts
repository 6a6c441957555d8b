import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
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

export const root = (path: string) => fileURLToPath(new URL('../../../' + path, import.meta.url));

/** The built script-tag files, served from the site's root as a shop would. */
export const SDK_FILES = Object.fromEntries(
  ['parcours.min.js', 'parcours-auto.min.js', 'parcours-signals.min.js', 'parcours-bridges.min.js', 'parcours-prompt.min.js', 'parcours-segment.min.js'].map((f) => ['/' + f, root('dist/' + f)]),
);

/**
 * The reference collector on 127.0.0.1, serving the test pages and the built SDK from the same origin.
 * `events()` reads back what it stored, through its own HTTP API (with the first of `readKeys` when given).
 */
export const startTestCollector = async (extra: Record<string, unknown> = {}) => {
  const collector = await startCollector({
    // `/esm/` is the npm build behind dist/parcours.mjs, for pages that import it as an app would.
    static: { '/': root('test/browser/pages'), '/shop/': root('examples/shop'), '/esm/': root('dist/esm') },
    files: SDK_FILES,
    ...extra,
  });
  // With read keys, it reads with the first (without, the collector answers reads on 127.0.0.1 anyway).
  const key = (extra.readKeys as string[] | undefined)?.[0];
  const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  const events = async (query = ''): Promise<StoredEvent[]> => (await fetch(collector.url + '/events?limit=100000&' + query, { headers })).json();
  /**
   * Every POST that reached the collector, with how the browser sent it: `Sec-Fetch-Mode` is `cors` for parcours'
   * fetch (keepalive or not: it is sent with `mode: 'cors'`) and `no-cors` for a sendBeacon of a text body.
   */
  const posts: { path: string; mode: string; at: number }[] = [];
  collector.server.on('request', (req: IncomingMessage) => {
    if (req.method == 'POST') posts.push({ path: req.url ?? '', mode: String(req.headers['sec-fetch-mode']), at: Date.now() });
  });
  return { url: collector.url as string, events, posts, close: () => collector.close() as Promise<void>, collector };
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
