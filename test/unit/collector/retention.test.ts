// @vitest-environment node
// Storage limitation: events older than --retain-days go, in small transactions, the journey tables kept true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, openDb } from '../../../examples/collector/db.mjs';
import { ensureJourneySchema } from '../../../examples/collector/journey/schema.mjs';
import { expireEvents, RETENTION_BATCH } from '../../../examples/collector/retention.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, rowCount } from './support';

const DAY = 86_400_000;
const NOW = Date.now();
const CUTOFF = NOW - 30 * DAY;
const RETENTION = fileURLToPath(new URL('../../../examples/collector/retention.mjs', import.meta.url));

/** `n` events of sessions of 5, `days` ago, an order closing each session. */
const events = (n: number, days: number, tag: string) =>
  Array.from({ length: n }, (_, i) =>
    event({
      ts: NOW - days * DAY + i * 1000,
      sessionId: `${tag}-s${Math.floor(i / 5)}`,
      anonymousId: `${tag}-a${Math.floor(i / 5)}`,
      ...(i % 5 == 4 ? { type: 'order_completed', stage: 'purchase', touchpoint: 'order_confirmation', pageType: 'order_confirmation', properties: { id: `${tag}-o${i}`, revenue: 10, currency: 'EUR', items: [] } } : {}),
    }),
  );

const postAll = async (base: string, list: Array<Record<string, unknown>>, site: string | null) => {
  for (let i = 0; i < list.length; i += 500) expect((await post(base, batch(list.slice(i, i + 500), site))).status).toBe(200);
};
const report = async (base: string, site: string) => {
  const answer = await call(base, '/api/journey?site=' + site);
  expect(answer.status).toBe(200);
  const { tookMs, ...body } = JSON.parse(answer.text);
  return body;
};

describe('expireEvents', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  // 1,000 old events on site a, 1,000 on b, 500 without a site; recent ones on each; and a session on a that
  // straddles the cutoff, its first two events before it.
  const old = { a: events(1000, 40, 'old-a'), b: events(1000, 35, 'old-b'), none: events(500, 31, 'old-none') };
  const recent = { a: events(50, 2, 'new-a'), b: events(50, 1, 'new-b'), none: events(20, 3, 'new-none') };
  const straddle = [-2, -1, 1, 2, 3].map((h) => event({ ts: CUTOFF + h * 3_600_000, sessionId: 'straddle', anonymousId: 'anon-straddle' }));

  beforeAll(async () => {
    collector = await startCollector({ rateLimit: false });
    await postAll(collector.url, [...old.a, ...recent.a, ...straddle], 'a');
    await postAll(collector.url, [...old.b, ...recent.b], 'b');
    await postAll(collector.url, [...old.none, ...recent.none], null);
    await report(collector.url, 'a'); // the journey tables exist and hold the old sessions
  });
  afterAll(() => collector.close());

  it('deletes every event older than the cutoff, in transactions of at most 1,000 rows, and nothing newer', async () => {
    expect((await report(collector.url, 'a')).totals).toMatchObject({ sessions: 200 + 10 + 1, orders: 200 + 10 });
    const { deleted, transactions } = await expireEvents(collector.db, CUTOFF);
    expect(deleted).toBe(2500 + 2);
    // Site by site, each until a transaction finds fewer than 1,000: null 1, a 2 (1,002 rows), b 2 (1,000, then 0).
    expect(RETENTION_BATCH).toBe(1000);
    expect(transactions).toBe(1 + 2 + 2);
    expect(rowCount(collector.db)).toBe(50 + 50 + 20 + 3);
    expect(collector.db.prepare('SELECT count(*) AS n FROM events WHERE ts < ?').get(CUTOFF)).toEqual({ n: 0 });
  });

  it('leaves the journey tables as if the old events had never come', async () => {
    const fresh = await startCollector({ rateLimit: false });
    try {
      await postAll(fresh.url, [...recent.a, ...straddle.slice(2)], 'a');
      await postAll(fresh.url, recent.b, 'b');
      await postAll(fresh.url, recent.none, null);
      for (const site of ['a', 'b']) expect(await report(collector.url, site)).toEqual(await report(fresh.url, site));
      expect((await report(collector.url, 'a')).totals).toMatchObject({ sessions: 10 + 1, orders: 10 });
    } finally {
      await fresh.close();
    }
  });

  it('rebuilds the journey rows by the end of the sweep: no old session is left in them before any report', async () => {
    const db = openDb();
    try {
      ensureJourneySchema(db);
      insertEvents(db, 's', events(30, 40, 'gone') as any, NOW);
      insertEvents(db, 's', events(10, 1, 'kept') as any, NOW);
      const mentions = () => {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'journey%'").all() as Array<{ name: string }>;
        return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join().includes('gone-');
      };
      expect(mentions()).toBe(true);
      await expireEvents(db, CUTOFF);
      expect(mentions()).toBe(false);
      expect(rowCount(db)).toBe(10);
    } finally {
      db.close();
    }
  });

  it('lets ingestion in between its transactions', async () => {
    const busy = await startCollector({ rateLimit: false });
    try {
      insertEvents(busy.db, 's', events(30_000, 40, 'bulk') as any, NOW);
      let swept = false;
      const sweep = expireEvents(busy.db, CUTOFF).then((r) => ((swept = true), r));
      const answer = await post(busy.url, batch([event({ ts: NOW })], 's'));
      expect([answer.status, swept]).toEqual([200, false]); // stored while the sweep was still going
      expect((await sweep).deleted).toBe(30_000);
      expect(rowCount(busy.db)).toBe(1);
    } finally {
      await busy.close();
    }
  });
});

describe('--retain-days', () => {
  it('sweeps once at start (and then hourly) and logs what it deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-retain-'));
    const file = join(dir, 'r.db');
    try {
      const db = openDb(file);
      insertEvents(db, 's', events(1500, 40, 'old') as any, NOW);
      insertEvents(db, 's', events(10, 1, 'new') as any, NOW);
      db.close();
      const lines: string[] = [];
      const collector = await startCollector({ db: file, retainDays: 30, log: (line) => lines.push(line) });
      try {
        const end = Date.now() + 10_000;
        while (!lines.some((l) => l.startsWith('retention')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        expect(lines.find((l) => l.startsWith('retention'))).toMatch(/^retention: 1500 events older than 30 days deleted \(3 transactions, longest \d+ ms\)$/);
        expect(rowCount(collector.db)).toBe(10);
      } finally {
        await collector.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes cleanly in the middle of a sweep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-retain-'));
    const file = join(dir, 'r.db');
    try {
      const db = openDb(file);
      insertEvents(db, 's', events(20_000, 40, 'old') as any, NOW);
      db.close();
      const lines: string[] = [];
      const collector = await startCollector({ db: file, retainDays: 30, log: (line) => lines.push(line) });
      const end = Date.now() + 10_000;
      while (rowCount(collector.db) == 20_000 && Date.now() < end) await new Promise((r) => setImmediate(r));
      await collector.close(); // the sweep stops after its current transaction, then the database closes
      const after = openDb(file);
      const left = rowCount(after);
      after.close();
      expect(left).toBeLessThan(20_000); // it had begun
      expect(left % 1000).toBe(0); // whole transactions only
      expect(lines.filter((l) => l.startsWith('error'))).toEqual([]); // and none ran on a closed database
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes whole days of 1 to 10,000 only', async () => {
    for (const retainDays of [0, -1, 1.5, 10_001, NaN]) await expect(startCollector({ retainDays })).rejects.toThrow(RangeError);
  });

  it('runs once from the command line, for cron', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-retain-'));
    const file = join(dir, 'r.db');
    try {
      const db = openDb(file);
      insertEvents(db, 's', events(1200, 40, 'old') as any, NOW);
      insertEvents(db, 's', events(5, 1, 'new') as any, NOW);
      db.close();
      const out = execFileSync(process.execPath, [RETENTION, '--db', file, '--retain-days', '30'], { encoding: 'utf8' });
      // 3: none without a site, then 1,000 and 200 of site s.
      expect(out).toMatch(/^1200 events older than 30 days deleted in 3 transactions, \d+ ms \(longest \d+ ms\)\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
