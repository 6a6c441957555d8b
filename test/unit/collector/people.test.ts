// @vitest-environment node
// A shopper's rights: export everything about one person, erase it all, journey tables included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, openDb } from '../../../examples/collector/db.mjs';
import { erasePerson, personIds, scanPerson } from '../../../examples/collector/people.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { batch, call, event, post, rowCount } from './support';

const KEY = 'people-test-read-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
const PEOPLE = fileURLToPath(new URL('../../../examples/collector/people.mjs', import.meta.url));

// cust-42 browses anonymously on a laptop (anon-1), signs in (identify), orders; later orders again signed in on a
// phone (anon-2). anon-3 and cust-7 (on anon-4) are other people.
const order = (id: string, revenue: number) => ({ type: 'order_completed', stage: 'purchase', touchpoint: 'order_confirmation', pageType: 'order_confirmation', properties: { id, revenue, currency: 'EUR', items: [] } });
const laptop = { sessionId: 'sess-laptop', anonymousId: 'anon-1' };
const phone = { sessionId: 'sess-phone', anonymousId: 'anon-2', userId: 'cust-42' };
const PERSON = [
  event({ ...laptop }),
  event({ ...laptop, type: 'product_viewed' }),
  event({ ...laptop, type: 'identify', userId: 'cust-42', stage: undefined, touchpoint: undefined, properties: { email: 'a@b.example' } }),
  event({ ...laptop, userId: 'cust-42', ...order('O-1', 50) }),
  event({ ...phone }),
  event({ ...phone, ...order('O-2', 30) }),
];
const OTHERS = [
  event({ sessionId: 'sess-other', anonymousId: 'anon-3' }),
  event({ sessionId: 'sess-other', anonymousId: 'anon-3', ...order('O-3', 70) }),
  event({ sessionId: 'sess-seven', anonymousId: 'anon-4', userId: 'cust-7' }),
];

let collector: Awaited<ReturnType<typeof startCollector>>;
const report = async (base = collector.url) => {
  const answer = await call(base, '/api/journey?site=shop', { headers: auth });
  expect(answer.status).toBe(200);
  const { tookMs, ...body } = JSON.parse(answer.text);
  return body;
};
const exported = async (id: string) => {
  const answer = await call(collector.url, '/api/people/' + encodeURIComponent(id), { headers: auth });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text).events as Array<Record<string, unknown>>;
};

beforeAll(async () => {
  collector = await startCollector({ readKeys: [KEY] });
  expect((await post(collector.url, batch([...PERSON, ...OTHERS], 'shop'))).status).toBe(200);
});
afterAll(() => collector.close());

describe('GET /api/people/{id} exports everything about one person', () => {
  it('from either id: the anonymous browsing before sign-in and the other device after it', async () => {
    for (const id of ['cust-42', 'anon-1', 'anon-2']) {
      const events = await exported(id);
      expect(events.map((e) => e.id).sort()).toEqual(PERSON.map((e) => e.id).sort());
    }
  });

  it('as received, with what the collector stored beside each event', async () => {
    const [first] = await exported('anon-1');
    expect(first).toEqual({ ...PERSON[0], _site: 'shop', _receivedAt: expect.any(Number), _deliveries: 1 });
    expect((await exported('cust-42')).find((e) => e.type == 'identify')?.properties).toEqual({ email: 'a@b.example' });
  });

  it('and nothing of anyone else; an unknown id has no events', async () => {
    expect((await exported('anon-3')).map((e) => e.id)).toEqual(OTHERS.slice(0, 2).map((e) => e.id));
    expect(await exported('nobody')).toEqual([]);
  });

  it('needs the read key, and a readable id', async () => {
    expect((await call(collector.url, '/api/people/cust-42')).status).toBe(401);
    expect((await call(collector.url, '/api/people/%E0%A4%A', { headers: auth })).status).toBe(400);
    expect((await call(collector.url, '/api/people/' + 'x'.repeat(257), { headers: auth })).status).toBe(400);
  });
});

describe('DELETE /api/people/{id} erases one person', () => {
  /** What of the person the journey tables hold, whatever their shape. */
  const traces = () => {
    const tables = collector.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'journey%'").all() as Array<{ name: string }>;
    const text = tables.map(({ name }) => JSON.stringify(collector.db.prepare(`SELECT * FROM "${name}"`).all())).join();
    return ['sess-laptop', 'sess-phone', 'anon-1', 'anon-2', 'cust-42', 'O-1', 'O-2'].filter((trace) => text.includes(trace));
  };

  it('erases nothing without the read key', async () => {
    expect((await call(collector.url, '/api/people/anon-2', { method: 'DELETE' })).status).toBe(401);
    expect(rowCount(collector.db)).toBe(PERSON.length + OTHERS.length);
  });

  it('deletes every event of both ids, and the report then shows the shop as if they had never come', async () => {
    const before = await report();
    expect(before.totals).toMatchObject({ sessions: 4, orders: 3, revenue: 150 });
    expect(traces()).toEqual(['sess-laptop', 'sess-phone', 'O-1', 'O-2']); // the test can see them
    const answer = await call(collector.url, '/api/people/anon-2', { method: 'DELETE', headers: auth });
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { erased: PERSON.length }]);
    // Gone from the derived tables at once, in the same transaction, not at the next report.
    expect(traces()).toEqual([]);
    expect(await exported('cust-42')).toEqual([]);
    expect(await exported('anon-1')).toEqual([]);
    expect(rowCount(collector.db)).toBe(OTHERS.length);

    // The same figures as a collector that only ever received the others' events.
    const fresh = await startCollector({ readKeys: [KEY] });
    try {
      expect((await post(fresh.url, batch(OTHERS, 'shop'))).status).toBe(200);
      const after = await report();
      expect(after.totals).toMatchObject({ sessions: 2, orders: 1, revenue: 70 });
      expect(after).toEqual(await report(fresh.url));
    } finally {
      await fresh.close();
    }
  });

  it('answers {"erased": 0} for an id it does not know, and the same id twice erases nothing more', async () => {
    for (const id of ['anon-2', 'nobody']) {
      const answer = await call(collector.url, '/api/people/' + id, { method: 'DELETE', headers: auth });
      expect([answer.status, answer.text]).toEqual([200, '{"erased":0}']);
    }
    expect(rowCount(collector.db)).toBe(OTHERS.length);
  });
});

describe('who is one person', () => {
  it('follows links to the end, and only links', () => {
    const db = openDb();
    try {
      const e = (anonymousId: string, userId: string | null) => event({ anonymousId, userId });
      // a1 —u1— a2 —u2— a3 is one chain; a4 —u3 is someone else.
      insertEvents(db, 's', [e('a1', 'u1'), e('a2', 'u1'), e('a2', 'u2'), e('a3', 'u2'), e('a4', 'u3'), e('a5', null)] as any, 0);
      const sorted = (ids: { anonymousIds: string[]; userIds: string[] }) => ({ a: ids.anonymousIds.sort(), u: ids.userIds.sort() });
      expect(sorted(personIds(db, 'a3'))).toEqual({ a: ['a1', 'a2', 'a3'], u: ['a3', 'u1', 'u2'] });
      expect(sorted(personIds(db, 'u3'))).toEqual({ a: ['a4', 'u3'], u: ['u3'] });
      expect(sorted(personIds(db, 'a5'))).toEqual({ a: ['a5'], u: ['a5'] });
    } finally {
      db.close();
    }
  });
});

describe('on a database file', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'parcours-people-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports and erases through the routes, the reading done in a worker thread', async () => {
    const onDisk = await startCollector({ readKeys: [KEY], db: join(dir, 'routes.db') });
    try {
      expect((await post(onDisk.url, batch([...PERSON, ...OTHERS], 'shop'))).status).toBe(200);
      const answer = await call(onDisk.url, '/api/people/anon-1', { headers: auth });
      expect((JSON.parse(answer.text).events as Array<{ id: string }>).map((e) => e.id).sort()).toEqual(PERSON.map((e) => e.id).sort());
      const erased = await call(onDisk.url, '/api/people/cust-42', { method: 'DELETE', headers: auth });
      expect(JSON.parse(erased.text)).toEqual({ erased: PERSON.length });
      expect(rowCount(onDisk.db)).toBe(OTHERS.length);
    } finally {
      await onDisk.close();
    }
  });

  it('also erases what the person sent between the scan and the transaction', () => {
    const db = openDb(join(dir, 'race.db'));
    try {
      insertEvents(db, 'shop', [...PERSON, ...OTHERS] as any, 0);
      const scan = scanPerson(db, 'cust-42');
      expect(scan.rowids).toHaveLength(PERSON.length);
      insertEvents(db, 'shop', [event({ sessionId: 'sess-phone', anonymousId: 'anon-2', userId: 'cust-42' })] as any, 0);
      expect(erasePerson(db, 'cust-42', scan)).toBe(PERSON.length + 1);
      expect(rowCount(db)).toBe(OTHERS.length);
    } finally {
      db.close();
    }
  });

  it('and reads again when what was sent since links the person to another id', () => {
    const db = openDb(join(dir, 'link.db'));
    try {
      insertEvents(db, 'shop', [...PERSON, ...OTHERS] as any, 0);
      const scan = scanPerson(db, 'cust-42');
      // anon-3 signs in as cust-42 after the scan: anon-3's earlier events are the person's too now.
      insertEvents(db, 'shop', [event({ sessionId: 'sess-other', anonymousId: 'anon-3', userId: 'cust-42' })] as any, 0);
      expect(erasePerson(db, 'cust-42', scan)).toBe(PERSON.length + 1 + 2);
      expect(rowCount(db)).toBe(1); // cust-7 only
    } finally {
      db.close();
    }
  });
});

describe('the command line', () => {
  it('exports and erases one person of a database file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-people-'));
    const file = join(dir, 'p.db');
    try {
      const db = openDb(file);
      insertEvents(db, 'shop', [...PERSON, ...OTHERS] as any, 0);
      db.close();
      const run = (...args: string[]) => execFileSync(process.execPath, [PEOPLE, '--db', file, ...args], { encoding: 'utf8' });
      const out = JSON.parse(run('--export', 'cust-42'));
      expect(out.events.map((e: { id: string }) => e.id).sort()).toEqual(PERSON.map((e) => e.id).sort());
      expect(run('--erase', 'cust-42')).toBe(`{"erased":${PERSON.length}}\n`);
      expect(JSON.parse(run('--export', 'anon-1'))).toEqual({ events: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
