// @ts-check
/**
 * Ingest alone, quickly: a collector on a fresh temporary database (journey tables on, or off with --no-journey)
 * takes 500-event batches of realistic events (seed.mjs) through POST /collect, one after another, then the same
 * batches again (all duplicates). Prints events/s, CPU per event of this process (collector and client share it)
 * and the journey fold's share. Then, without HTTP, the same batches go straight to `insertEvents` on other fresh
 * databases: events only, events with indexes on anonymous_id and user_id (what erase and export would read), and
 * events with the journey tables; the rest of the CPU per event above is HTTP, JSON parsing and validation.
 *
 *   node test/bench/ingest.bench.mjs [--events 100000] [--no-journey]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { insertEvents, openDb } from '../../examples/collector/db.mjs';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { ensureJourneySchema, journeyIngestCost } from '../../examples/collector/journey/schema.mjs';
import { seed } from '../../examples/collector/seed.mjs';
import { startCollector } from '../../examples/collector/server.mjs';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, 'no-journey': { type: 'boolean', default: false } } });
const count = Math.min(2_000_000, Math.max(1_000, Number(values.events) || 100_000));
const journey = !values['no-journey'];

/** @type {string[]} */
const bodies = [];
/** @type {object[]} */
let batch = [];
const scratch = openDb();
seed({
  db: scratch, events: count, site: 'demo', seed: 2, end: Date.UTC(2025, 5, 30), bounce: 0.75, journey: false,
  write: (site, written) => {
    for (const e of written) {
      batch.push(e);
      if (batch.length == 500) bodies.push(JSON.stringify({ sentAt: Date.now(), site, events: batch })), (batch = []);
    }
    return written.length;
  },
});
scratch.close();

const dir = mkdtempSync(join(tmpdir(), 'parcours-ingest-'));
const collector = await startCollector({ db: join(dir, 'ingest.db'), routes: journey ? journeyRoutes : [], rateLimit: false });
try {
  /** @param {string} label */
  const run = async (label) => {
    const before = journey ? journeyIngestCost(collector.db) : { events: 0, ms: 0 };
    const cpu = process.cpuUsage();
    const start = performance.now();
    let stored = 0;
    for (const body of bodies) {
      const res = await fetch(collector.url + '/collect', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      if (!res.ok) throw new Error(`/collect answered ${res.status}: ${await res.text()}`);
      stored += /** @type {{ stored: number }} */ (await res.json()).stored;
    }
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const sent = bodies.length * 500;
    const after = journey ? journeyIngestCost(collector.db) : before;
    const fold = after.events > before.events ? ` (journey fold ${(((after.ms - before.ms) * 1000) / (after.events - before.events)).toFixed(1)} µs)` : '';
    console.log(`${label.padEnd(12)} ${Math.round(sent / (wall / 1000)).toLocaleString('en-US').padStart(7)} events/s, ` +
      `${((used.user + used.system) / sent).toFixed(1)} µs CPU per event${fold}, ${stored.toLocaleString('en-US')} stored`);
  };
  console.log(`ingest bench: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${bodies.length * 500} events, journey ${journey ? 'on' : 'off'}`);
  await run('new events');
  await run('duplicates');
} finally {
  await collector.close();
}

/** CPU µs per event of `insertEvents` alone on a fresh database. @param {string} label @param {(db: import('better-sqlite3').Database) => void} setup */
function direct(label, setup) {
  const file = join(dir, `${label.replace(/\W+/g, '-')}.db`);
  const db = openDb(file);
  setup(db);
  const parsed = bodies.map((b) => JSON.parse(b));
  const cpu = process.cpuUsage();
  for (const { site, events } of parsed) insertEvents(db, site, events, Date.now());
  const used = process.cpuUsage(cpu);
  db.close();
  console.log(`${label.padEnd(40)} ${((used.user + used.system) / (parsed.length * 500)).toFixed(1)} µs CPU per event`);
}
try {
  console.log('insertEvents alone (no HTTP):');
  direct('events', () => {});
  direct('events + anonymous_id, user_id indexes', (db) => db.exec('CREATE INDEX events_anonymous ON events (anonymous_id); CREATE INDEX events_user ON events (user_id)'));
  direct('events + journey tables', (db) => void ensureJourneySchema(db));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
