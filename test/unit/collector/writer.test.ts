// @vitest-environment node
// The writer thread (`writeWorker`): /collect batches stored and folded by the worker's own connection, answered
// only after its commit, with the same duplicates and the same journey figures as storing in the main thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, openDb } from '../../../examples/collector/db.mjs';
import { journeyReport } from '../../../examples/collector/journey/queries.mjs';
import { ensureJourneySchema, journeyIngestCost, startJourneyBuild } from '../../../examples/collector/journey/schema.mjs';
import { seed } from '../../../examples/collector/seed.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { startWriter } from '../../../examples/collector/writer.mjs';

const END = Date.UTC(2025, 5, 30);
let dir: string;
let collector: Awaited<ReturnType<typeof startCollector>>;
const batches: any[][] = [];

beforeAll(async () => {
  const staging = openDb();
  let batch: any[] = [];
  seed({
    db: staging, events: 3000, site: 'demo', days: 3, end: END,
    write: (_site, events) => {
      for (const e of events) {
        batch.push(e);
        if (batch.length == 250) batches.push(batch), (batch = []);
      }
      return events.length;
    },
  });
  if (batch.length) batches.push(batch);
  staging.close();
  dir = mkdtempSync(join(tmpdir(), 'parcours-writer-'));
  collector = await startCollector({ db: join(dir, 'c.db'), writeWorker: true, rateLimit: false });
  await startJourneyBuild(collector.db);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the writer starts right after the build settles
});

afterAll(async () => {
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (events: any[]) => {
  const res = await fetch(collector.url + '/collect', { method: 'POST', body: JSON.stringify({ sentAt: 1, site: 'demo', events }), headers: { 'content-type': 'text/plain' } });
  return { status: res.status, body: await res.json() };
};

describe('the writer thread', () => {
  it('answers each batch after its commit: its rows are readable by the main connection at once', async () => {
    const count = collector.db.prepare('SELECT count(*) FROM events WHERE id IN (SELECT value FROM json_each(?))').pluck();
    await Promise.all(
      batches.map(async (events) => {
        const { status, body } = await post(events);
        expect(status).toBe(200);
        expect(body).toEqual({ ok: true, stored: events.length, duplicates: 0 });
        expect(count.get(JSON.stringify(events.map((e) => e.id)))).toBe(events.length);
      }),
    );
  });

  it('counts a resent batch as duplicates and its deliveries', async () => {
    const { body } = await post(batches[0]);
    expect(body).toEqual({ ok: true, stored: 0, duplicates: batches[0].length });
    expect(collector.db.prepare('SELECT deliveries FROM events WHERE id = ?').pluck().get(batches[0][0].id)).toBe(2);
  });

  it('folds in the worker, leaving no session dirty, with the figures the main thread would give', () => {
    expect(journeyIngestCost(collector.db).events).toBe(0); // nothing folded on the main connection
    expect(collector.db.prepare('SELECT count(*) FROM journey_dirty').pluck().get()).toBe(0);
    const reference = openDb();
    ensureJourneySchema(reference);
    for (const events of batches) insertEvents(reference, 'demo', events, 1);
    expect(journeyReport(collector.db, { site: 'demo' }).totals.sessions).toBeGreaterThan(100);
    for (const filter of [{ site: 'demo' }, { site: 'demo', device: 'mobile' }, {}]) {
      expect(journeyReport(collector.db, filter)).toEqual(journeyReport(reference, filter));
    }
    reference.close();
  });

  it('erases a person while batches are being written, the writer and the main connection taking turns', async () => {
    const person = batches[1][0].anonymousId;
    const [erase, resent] = await Promise.all([
      fetch(collector.url + '/api/people/' + encodeURIComponent(person), { method: 'DELETE' }).then((r) => r.json()),
      Promise.all(batches.slice(2, 6).map(post)),
    ]);
    expect(erase.erased).toBeGreaterThan(0);
    for (const { status } of resent) expect(status).toBe(200);
    expect(collector.db.prepare('SELECT count(*) FROM events WHERE anonymous_id = ?').pluck().get(person)).toBe(0);
    expect(journeyReport(collector.db, { site: 'demo' }).totals.sessions).toBeGreaterThan(100);
    expect(collector.db.prepare('SELECT count(*) FROM journey_dirty').pluck().get()).toBe(0);
  });
});

describe('batches waiting for the writer thread', () => {
  it('are stored with their own answers, a repeat across them counted once, a batch that cannot be stored failing alone', async () => {
    const file = join(dir, 'group.db');
    const db = openDb(file);
    ensureJourneySchema(db);
    db.close();
    const writer = startWriter(file);
    const [a, b] = batches;
    const broken = [{ ...b[0], id: 'broken', type: null }]; // the writer's insert throws (the validator would refuse it)
    try {
      // Sent at once, so they wait together while the worker starts.
      const results = await Promise.allSettled([
        writer.write('demo', a, 1),
        writer.write('demo', [a[0], ...b.slice(0, 10)], 1),
        writer.write('demo', broken, 1),
        writer.write('demo', b, 1),
      ]);
      expect(results[0]).toEqual({ status: 'fulfilled', value: { stored: a.length, duplicates: 0 } });
      expect(results[1]).toEqual({ status: 'fulfilled', value: { stored: 10, duplicates: 1 } });
      expect(results[2]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/NOT NULL/) } });
      expect(results[3]).toEqual({ status: 'fulfilled', value: { stored: b.length - 10, duplicates: 10 } });
      expect((await writer.stats()).fold.events).toBe(a.length + b.length);
    } finally {
      await writer.close();
    }
    const check = openDb(file);
    const reference = openDb();
    ensureJourneySchema(reference);
    insertEvents(reference, 'demo', [...a, ...b], 1);
    expect(check.prepare("SELECT count(*) FROM events WHERE id = 'broken'").pluck().get()).toBe(0);
    expect(journeyReport(check, { site: 'demo' })).toEqual(journeyReport(reference, { site: 'demo' }));
    check.close();
    reference.close();
  });
});
