// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRow, insertBatches, insertEvents, openDb, packRows, schemaVersion, unpackRows } from '../../../examples/collector/db.mjs';
import { event, rowCount } from './support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parcours-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the database is set up for a durable, readable event log', () => {
  it('uses WAL with synchronous=NORMAL and records the schema version', () => {
    const db = openDb(join(dir, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    db.close();
  });

  it('has the columns and indexes the collector reads by, and no other (each index slows every insert)', () => {
    const db = openDb();
    const columns = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual([
      'id', 'site', 'type', 'ts', 'received_at', 'session_id', 'anonymous_id', 'user_id', 'stage', 'touchpoint',
      'page_type', 'path', 'lifecycle', 'properties', 'event', 'deliveries',
    ]);
    const indexColumns = (name: string) => (db.prepare(`PRAGMA index_info(${name})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(indexColumns('events_site_ts')).toEqual(['site', 'ts']);
    expect(indexColumns('events_session_ts')).toEqual(['session_id', 'ts']);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['events_session_ts', 'events_site_ts']);
    db.close();
  });

  it('lists one type of events of a site and finds old events from the (site, ts) index, not a table scan', () => {
    const db = openDb();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' ');
    expect(plan("SELECT event FROM events WHERE site = 'demo' AND type = 'order_completed' ORDER BY ts, rowid LIMIT 10")).toMatch(/USING INDEX events_site_ts/);
    expect(plan("SELECT rowid FROM events WHERE site IS 'demo' AND ts < 0 LIMIT 10")).toMatch(/USING (COVERING )?INDEX events_site_ts/);
    db.close();
  });
});

describe('reopening keeps data and migrates only forward', () => {
  it('keeps rows and the schema when opened again', () => {
    const file = join(dir, 'b.db');
    const first = openDb(file);
    insertEvents(first, 'demo', [event(), event()] as never, Date.now());
    first.close();
    const again = openDb(file);
    expect(rowCount(again)).toBe(2);
    expect(again.pragma('user_version', { simple: true })).toBe(schemaVersion);
    again.close();
  });

  it('drops the (site, type, ts) index of a version 1 database, keeping its rows', () => {
    const file = join(dir, 'v1.db');
    const first = openDb(file);
    insertEvents(first, 'demo', [event()] as never, Date.now());
    first.exec('CREATE INDEX events_site_type_ts ON events (site, type, ts)');
    first.pragma('user_version = 1');
    first.close();
    const again = openDb(file);
    expect(again.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_site_type_ts'").pluck().get()).toBe(0);
    expect(rowCount(again)).toBe(1);
    again.close();
  });

  it('refuses a database written by a newer collector', () => {
    const file = join(dir, 'c.db');
    const newer = new Database(file);
    newer.pragma(`user_version = ${schemaVersion + 1}`);
    newer.close();
    expect(() => openDb(file)).toThrow(`database schema v${schemaVersion + 1} is newer than this collector's v${schemaVersion}`);
  });
});

describe('insertEvents stores a batch all or none', () => {
  it('rolls the whole batch back when one row cannot be written', () => {
    const db = openDb();
    const bad = { ...event(), page: undefined }; // the validator would refuse it; the transaction must too
    expect(() => insertEvents(db, 'demo', [event(), bad] as never, Date.now())).toThrow();
    expect(rowCount(db)).toBe(0);
    db.close();
  });
});

describe('insertBatches stores several batches in one transaction, the group commit of the writer thread', () => {
  it('answers each batch with its own figures, an id sent in two of them stored once', () => {
    const db = openDb();
    const [a, b, c] = [event(), event(), event()];
    const results = insertBatches(db, [
      { site: 'demo', events: [a, b] as never, receivedAt: 1 },
      { site: 'other', events: [b, c] as never, receivedAt: 2 },
    ]);
    expect(results).toEqual([{ stored: 2, duplicates: 0 }, { stored: 1, duplicates: 1 }]);
    expect(db.prepare('SELECT id, site, received_at, deliveries FROM events ORDER BY received_at, id').all()).toEqual(
      [
        { id: a.id, site: 'demo', received_at: 1, deliveries: 1 },
        { id: b.id, site: 'demo', received_at: 1, deliveries: 2 },
        { id: c.id, site: 'other', received_at: 2, deliveries: 1 },
      ].sort((x, y) => x.received_at - y.received_at || x.id.localeCompare(y.id)),
    );
    db.close();
  });

  it('stores each event and its properties as JSON.stringify writes them, whatever their keys and texts', () => {
    const db = openDb();
    const tricky = [
      event({ properties: { note: '"properties":null', nested: { properties: null } } }),
      Object.assign({ properties: null }, event()), // properties first in key order
      event({ page: { url: '', path: '/', title: '"properties":null', referrer: '', properties: null } }),
      event({ properties: {} }),
    ];
    insertEvents(db, 'demo', tricky as never, 1);
    const stored = db.prepare('SELECT id, properties, event FROM events').all() as Array<{ id: string, properties: string, event: string }>;
    expect(stored.map((r) => [r.properties, r.event])).toEqual(tricky.map((e) => [JSON.stringify(e.properties), JSON.stringify(e)]));
    expect(tricky.every((e) => typeof e.properties == 'object' && e.properties !== null)).toBe(true); // left as they were
    db.close();
  });

  it('stores none of them when one row cannot be written', () => {
    const db = openDb();
    const bad = { ...event(), page: undefined };
    expect(() => insertBatches(db, [{ site: 'demo', events: [event()] as never, receivedAt: 1 }, { site: 'demo', events: [bad] as never, receivedAt: 1 }])).toThrow();
    expect(rowCount(db)).toBe(0);
    db.close();
  });
});

describe('rows packed for the writer thread', () => {
  it('unpack to the rows of the events, line feeds, separators and lone surrogates in their texts included', () => {
    const events = [
      event({ properties: { note: 'two\nlines\r\n', sep: '\u2028\u2029', lone: '\ud800', deep: { a: [1, null, 'x'] } } }),
      event({ page: { url: 'https://shop.example/a\nb', path: '/a\nb', title: 'é\u0000', referrer: '' }, userId: 'u-1', stage: 'purchase' }),
      event({ ts: 1_732_000_000_000.6, properties: {} }),
    ];
    const rows = unpackRows(packRows(events as never));
    expect(rows).toEqual(events.map((e) => eventRow(e as never)));
    expect(rows[2].ts).toBe(1_732_000_000_001);
    expect(rows.map((r) => JSON.parse(r.text))).toEqual(events);
  });
});
