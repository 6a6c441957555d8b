// @ts-check
/**
 * Ingest alone, quickly: a collector on a fresh temporary database (journey tables on, or off with --no-journey)
 * takes 500-event batches of realistic events (seed.mjs) through POST /collect, one after another, then the same
 * batches again (all duplicates). The client runs in a child process, so the CPU per event printed is the
 * collector's alone (HTTP, JSON parsing, validation, insert, journey fold), with the journey fold's share. Then,
 * without HTTP, the same batches go straight to `insertEvents` on other fresh databases: events only, events with
 * indexes on anonymous_id and user_id (what erase and export would read), events with the journey tables.
 *
 *   node test/bench/ingest.bench.mjs [--events 100000] [--no-journey] [--write-worker] [--clients 1]
 *
 * With --write-worker the collector stores in its writer thread (writer.mjs): the CPU printed is then both threads'.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { insertEvents, openDb } from '../../examples/collector/db.mjs';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { ensureJourneySchema, journeyIngestCost } from '../../examples/collector/journey/schema.mjs';
import { startCollector } from '../../examples/collector/server.mjs';
import { collectBodies } from './batches.mjs';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, 'no-journey': { type: 'boolean', default: false }, 'write-worker': { type: 'boolean', default: false }, clients: { type: 'string', default: '1' } } });
/** Requests in flight at once (browsers post concurrently; 1: one after another). */
const clients = Math.min(16, Math.max(1, Number(values.clients) || 1));
const count = Math.min(2_000_000, Math.max(1_000, Number(values.events) || 100_000));
const journey = !values['no-journey'];

const bodies = collectBodies(count, { end: Date.UTC(2025, 5, 30), bounce: 0.75 });
const sent = bodies.length * 500;

if (process.env.PARCOURS_INGEST_CLIENT) {
  // The client: posts every batch, one after another, when told to; answers how many were stored.
  const url = process.env.PARCOURS_INGEST_CLIENT;
  process.on('message', async () => {
    let stored = 0;
    let i = 0;
    const post = async () => {
      while (i < bodies.length) {
        const body = bodies[i++];
        const res = await fetch(url + '/collect', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
        if (!res.ok) throw new Error(`/collect answered ${res.status}: ${await res.text()}`);
        stored += /** @type {{ stored: number }} */ (await res.json()).stored;
      }
    };
    await Promise.all(Array.from({ length: clients }, post));
    process.send?.(stored);
  });
  process.send?.('ready');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-ingest-'));
  try {
    await overHttp(dir);
    console.log('insertEvents alone (no HTTP):');
    direct(dir, 'events', () => {});
    direct(dir, 'events + anonymous_id, user_id indexes', (db) => db.exec('CREATE INDEX events_anonymous ON events (anonymous_id); CREATE INDEX events_user ON events (user_id)'));
    direct(dir, 'events + journey tables', (db) => void ensureJourneySchema(db));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POST /collect from a child process: new events, then the same again. @param {string} dir */
async function overHttp(dir) {
  const collector = await startCollector({ db: join(dir, 'ingest.db'), routes: journey ? journeyRoutes : [], rateLimit: false, writeWorker: values['write-worker'] });
  for (let i = 0; values['write-worker'] && i < 100; i++) await new Promise((resolve) => setTimeout(resolve, 10)); // the writer starts once the journey tables are ready
  const client = fork(new URL(import.meta.url).pathname, process.argv.slice(2), { env: { ...process.env, PARCOURS_INGEST_CLIENT: collector.url } });
  /** @type {Array<(message: unknown) => void>} */
  const replies = [];
  client.on('message', (m) => replies.shift()?.(m));
  const reply = () => new Promise((resolve) => replies.push(resolve));
  try {
    await reply(); // ready
    console.log(`ingest bench: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${sent.toLocaleString('en-US')} events in batches of 500, ${clients} at a time, journey ${journey ? 'on' : 'off'}${values['write-worker'] ? ', writer thread' : ''}`);
    for (const label of ['new events', 'duplicates']) {
      const before = journeyIngestCost(collector.db);
      const cpu = process.cpuUsage();
      const start = performance.now();
      const answer = reply();
      client.send('go');
      const stored = Number(await answer);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      const after = journeyIngestCost(collector.db);
      const fold = after.events > before.events ? ` (journey fold ${(((after.ms - before.ms) * 1000) / (after.events - before.events)).toFixed(1)} µs)` : '';
      console.log(`${label.padEnd(12)} ${Math.round(sent / (wall / 1000)).toLocaleString('en-US').padStart(7)} events/s, ` +
        `collector ${((used.user + used.system) / sent).toFixed(1)} µs CPU per event${fold}, ${stored.toLocaleString('en-US')} stored`);
    }
  } finally {
    client.kill();
    await collector.close();
  }
}

/** CPU µs per event of `insertEvents` alone on a fresh database. @param {string} dir @param {string} label @param {(db: import('better-sqlite3').Database) => void} setup */
function direct(dir, label, setup) {
  const db = openDb(join(dir, `${label.replace(/\W+/g, '-')}.db`));
  setup(db);
  const parsed = bodies.map((b) => JSON.parse(b));
  const cpu = process.cpuUsage();
  for (const { site, events } of parsed) insertEvents(db, site, events, Date.now());
  const used = process.cpuUsage(cpu);
  db.close();
  console.log(`  ${label.padEnd(40)} ${((used.user + used.system) / sent).toFixed(1)} µs CPU per event`);
}
