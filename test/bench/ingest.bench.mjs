// @ts-check
/**
 * Ingest alone, quickly: a collector on a fresh temporary database (journey tables on, or off with --no-journey)
 * takes 500-event batches of realistic events (seed.mjs) through POST /collect, `--clients` at a time, then the
 * same batches again (all duplicates). The client runs in a child process; the CPU per event is printed per
 * thread (Linux: /proc/thread-self/schedstat), since on 2 cores the busiest thread sets the pace: the main
 * thread's (HTTP, JSON parsing, validation, serialising the rows; without a writer thread the insert and fold
 * too), the writer thread's (writer.mjs: insert, fold, commit), the journey fold's share, V8's other threads
 * (garbage collection, compilation) and the client's. Then,
 * without HTTP, the same batches go straight to `insertEvents` on other fresh databases: events only, events with
 * indexes on anonymous_id and user_id (what erase and export would read), events with the journey tables, and
 * those 4 batches a transaction (the writer thread's group commit when batches wait for it).
 *
 *   node test/bench/ingest.bench.mjs [--events 100000] [--no-journey] [--no-write-worker] [--clients 1]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { insertBatches, openDb } from '../../examples/collector/db.mjs';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { ensureJourneySchema } from '../../examples/collector/journey/schema.mjs';
import { startCollector } from '../../examples/collector/server.mjs';
import { collectBodies } from './batches.mjs';

const { values } = parseArgs({ allowNegative: true, options: { events: { type: 'string', default: '100000' }, 'no-journey': { type: 'boolean', default: false }, 'write-worker': { type: 'boolean', default: true }, clients: { type: 'string', default: '1' } } });
/** Requests in flight at once (browsers post concurrently; 1: one after another). */
const clients = Math.min(16, Math.max(1, Number(values.clients) || 1));
const count = Math.min(2_000_000, Math.max(1_000, Number(values.events) || 100_000));
const journey = !values['no-journey'];

const bodies = collectBodies(count, { end: Date.UTC(2025, 5, 30), bounce: 0.75 });
const sent = bodies.length * 500;

if (process.env.PARCOURS_INGEST_CLIENT) {
  // The client: posts every batch, `clients` at a time, when told to; answers how many were stored and the CPU
  // it used (it runs on the same cores as the collector).
  const url = process.env.PARCOURS_INGEST_CLIENT;
  process.on('message', async () => {
    let stored = 0;
    let i = 0;
    const cpu = process.cpuUsage();
    const post = async () => {
      while (i < bodies.length) {
        const body = bodies[i++];
        const res = await fetch(url + '/collect', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
        if (!res.ok) throw new Error(`/collect answered ${res.status}: ${await res.text()}`);
        stored += /** @type {{ stored: number }} */ (await res.json()).stored;
      }
    };
    await Promise.all(Array.from({ length: clients }, post));
    const used = process.cpuUsage(cpu);
    process.send?.({ stored, cpuMs: (used.user + used.system) / 1000 });
  });
  process.send?.('ready');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-ingest-'));
  try {
    await overHttp(dir);
    console.log('insertEvents alone (no HTTP), CPU per event:');
    direct(dir, 'events', () => {});
    direct(dir, 'events + anonymous_id, user_id indexes', (db) => db.exec('CREATE INDEX events_anonymous ON events (anonymous_id); CREATE INDEX events_user ON events (user_id)'));
    direct(dir, 'events + journey tables', (db) => void ensureJourneySchema(db));
    direct(dir, 'events + journey tables, 4 batches a transaction', (db) => void ensureJourneySchema(db), 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POST /collect from a child process: new events, then the same again. @param {string} dir */
async function overHttp(dir) {
  const worker = values['write-worker'];
  const collector = await startCollector({ db: join(dir, 'ingest.db'), routes: journey ? journeyRoutes : [], rateLimit: false, writeWorker: worker });
  for (let i = 0; worker && i < 100 && !(await collector.ingestStats()).writer; i++) await new Promise((resolve) => setTimeout(resolve, 10)); // the writer starts once the journey tables are ready
  const client = fork(new URL(import.meta.url).pathname, process.argv.slice(2), { env: { ...process.env, PARCOURS_INGEST_CLIENT: collector.url } });
  /** @type {Array<(message: any) => void>} */
  const replies = [];
  client.on('message', (m) => replies.shift()?.(m));
  const reply = () => new Promise((resolve) => replies.push(resolve));
  const µs = (/** @type {number} */ ms) => ((ms * 1000) / sent).toFixed(1).padStart(4);
  try {
    await reply(); // ready
    console.log(`ingest bench: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${sent.toLocaleString('en-US')} events in batches of 500, ${clients} at a time, journey ${journey ? 'on' : 'off'}${worker ? ', writer thread' : ''}`);
    console.log('CPU µs per event, each thread on its own: main = HTTP, JSON, validation, and serialising rows for the writer thread (without it the insert and fold too); writer = insert, fold, commit; the client (another process) runs on the same cores');
    for (const label of ['new events', 'duplicates']) {
      const before = await collector.ingestStats();
      const cpu = process.cpuUsage();
      const start = performance.now();
      const answer = reply();
      client.send('go');
      const { stored, cpuMs: clientMs } = /** @type {{ stored: number, cpuMs: number }} */ (await answer);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      const after = await collector.ingestStats();
      const foldEvents = after.fold.events - before.fold.events + (after.writer?.fold.events ?? 0) - (before.writer?.fold.events ?? 0);
      const foldMs = after.fold.ms - before.fold.ms + (after.writer?.fold.ms ?? 0) - (before.writer?.fold.ms ?? 0);
      const writerMs = after.writer && before.writer ? after.writer.cpuMs - before.writer.cpuMs : 0;
      const writer = writerMs ? `, writer ${µs(writerMs)}` : '';
      const collectorMs = (used.user + used.system) / 1000;
      const fold = foldEvents > 0 ? ` (of which journey fold ${((foldMs * 1000) / foldEvents).toFixed(1)})` : '';
      console.log(`${label.padEnd(12)} ${Math.round(sent / (wall / 1000)).toLocaleString('en-US').padStart(7)} events/s; ` +
        `main ${µs(after.mainCpuMs - before.mainCpuMs)}${writer}${fold}; other threads (V8's GC and compiler) ${µs(collectorMs - (after.mainCpuMs - before.mainCpuMs) - writerMs)}, client ${µs(clientMs)}; ${stored.toLocaleString('en-US')} stored`);
    }
  } finally {
    client.kill();
    await collector.close();
  }
}

/**
 * CPU µs per event of `insertEvents` alone on a fresh database, `group` batches a transaction.
 * @param {string} dir @param {string} label @param {(db: import('better-sqlite3').Database) => void} setup @param {number} [group]
 */
function direct(dir, label, setup, group = 1) {
  const db = openDb(join(dir, `${label.replace(/\W+/g, '-')}.db`));
  setup(db);
  const parsed = bodies.map((b) => JSON.parse(b));
  const cpu = process.cpuUsage();
  for (let i = 0; i < parsed.length; i += group) insertBatches(db, parsed.slice(i, i + group).map(({ site, events }) => ({ site, events, receivedAt: Date.now() })));
  const used = process.cpuUsage(cpu);
  db.close();
  console.log(`  ${label.padEnd(50)} ${((used.user + used.system) / sent).toFixed(1)} µs`);
}
