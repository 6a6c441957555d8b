// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEvents, openDb, schemaVersion } from '../../../examples/collector/db.mjs';
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

  it('has the columns and indexes the journey queries rely on', () => {
    const db = openDb();
    const columns = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual([
      'id', 'site', 'type', 'ts', 'received_at', 'session_id', 'anonymous_id', 'user_id', 'stage', 'touchpoint',
      'page_type', 'path', 'lifecycle', 'properties', 'event', 'deliveries',
    ]);
    const indexColumns = (name: string) => (db.prepare(`PRAGMA index_info(${name})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(indexColumns('events_site_ts')).toEqual(['site', 'ts']);
    expect(indexColumns('events_site_type_ts')).toEqual(['site', 'type', 'ts']);
    expect(indexColumns('events_session_ts')).toEqual(['session_id', 'ts']);
    db.close();
  });

  it('answers a per-site funnel query from an index, not a table scan', () => {
    const db = openDb();
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE site = ? AND type = ? AND ts BETWEEN ? AND ?")
      .all('demo', 'order_completed', 0, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX events_site_type_ts/);
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
