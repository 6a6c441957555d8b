// Shared by the collector tests: a real HTTP client (raw paths, any header) and well-formed events.
import { request } from 'node:http';
import { insertEvents, openDb } from '../../../examples/collector/db.mjs';
import { ensureJourneySchema } from '../../../examples/collector/journey/schema.mjs';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request; the path is sent as written (no normalisation), so traversal attempts reach the server. */
export function call(
  base: string,
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST a body to /collect (an object is sent as JSON text with sendBeacon's content type). */
export const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  call(base, '/collect', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

let counter = 0;

/** A well-formed ParcoursEvent; override any field. */
export function event(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt-${counter}-${Math.random().toString(36).slice(2, 10)}`,
    type: 'page_viewed',
    ts: 1_732_000_000_000 + counter,
    sessionId: 'sess-1',
    anonymousId: 'anon-1',
    userId: null,
    page: { url: 'https://shop.example/products/linen-apron', path: '/products/linen-apron', title: 'Linen apron', referrer: '' },
    properties: { product: { id: 'apron-1', price: 24.5 } },
    stage: 'consideration',
    touchpoint: 'product_page',
    pageType: 'product',
    lifecycle: 'new',
    ...overrides,
  };
}

export const batch = (events: unknown[], site: string | null = 'demo') => ({ sentAt: Date.now(), site, events });

/** Rows in the events table. */
export const rowCount = (db: { prepare(sql: string): { get(): unknown } }) =>
  (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

let journeyEvents = 0;
/**
 * One stored-shape event of a session, already tagged with its stage and touchpoint, for the journey tests that
 * build their datasets by hand. Ids are unique within a test file.
 */
export const journeyEvent = (
  sessionId: string,
  ts: number,
  type: string,
  stage: string,
  touchpoint: string,
  properties: Record<string, unknown> = {},
  pageType = 'other',
) => ({
  id: `j${++journeyEvents}`,
  type,
  ts,
  sessionId,
  anonymousId: `anon-${sessionId}`,
  userId: null,
  page: { url: 'https://shop.example/x', path: '/x', title: 'x', referrer: '' },
  properties,
  stage,
  touchpoint,
  pageType,
  lifecycle: 'new',
});

/** An in-memory collector database with the journey tables, holding `events` of site 'shop'. */
export const journeyDb = (events: unknown[]) => {
  const db = openDb();
  ensureJourneySchema(db);
  insertEvents(db, 'shop', events as never, 0);
  return db;
};
