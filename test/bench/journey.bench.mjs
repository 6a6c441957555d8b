// @ts-check
/**
 * How the journey map scales: seeds 100k and 1M synthetic events into temporary database files (through the
 * collector's insert path, journey triggers on), then times the answers of a running collector.
 *
 *   node test/bench/journey.bench.mjs [--sizes 100000,1000000] [--runs 5]
 *
 * Prints, per size: seeding time, database size, and the median wall and CPU time of GET /api/journey (no filter,
 * one device, one week) and GET /journey, then the one-off time to build the journey tables from events already
 * stored (a database that had them not). CPU time is shown because the machine may be busy with other work.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../../examples/collector/db.mjs';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { ensureJourneySchema } from '../../examples/collector/journey/schema.mjs';
import { seed } from '../../examples/collector/seed.mjs';
import { startCollector } from '../../examples/collector/server.mjs';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '5' } } });
const sizes = values.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 5_000_000);
const runs = Math.min(20, Math.max(1, Number(values.runs) || 5));
const END = Date.UTC(2025, 5, 30);
const DAY = 86_400_000;

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (/** @type {number} */ n) => `${Math.round(n).toLocaleString('en-US')} ms`;
/** Wall and CPU milliseconds of `work` (CPU of this process: the collector runs in it). @param {() => unknown} work */
async function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

console.log(`journey map bench: ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-'));
  const file = join(dir, 'journey.db');
  try {
    const db = openDb(file);
    /** @type {ReturnType<typeof seed> | undefined} */
    let result;
    const seeding = await timed(() => (result = seed({ db, events: size, site: 'demo', end: END })));
    db.close();
    const megabytes = (statSync(file).size / 1e6).toFixed(0);
    console.log(`\n${size.toLocaleString('en-US')} events, ${result?.sessions.toLocaleString('en-US')} sessions, ${result?.orders.toLocaleString('en-US')} orders, ${megabytes} MB`);
    console.log(`  seeding              ${ms(seeding.wall)} wall, ${ms(seeding.cpu)} CPU (${Math.round(size / (seeding.wall / 1000)).toLocaleString('en-US')} events/s)`);

    const collector = await startCollector({ db: file, routes: journeyRoutes });
    try {
      const targets = [
        ['GET /api/journey', '/api/journey?site=demo'],
        ['  ?device=mobile', '/api/journey?site=demo&device=mobile'],
        ['  one week', `/api/journey?site=demo&from=${END - 14 * DAY}&to=${END - 7 * DAY}`],
        ['GET /journey', '/journey?site=demo'],
      ];
      await (await fetch(collector.url + targets[0][1])).text(); // first request: statements compiled, pages cached
      for (const [label, path] of targets) {
        const times = [];
        for (let i = 0; i < runs; i++) {
          times.push(await timed(async () => {
            const res = await fetch(collector.url + path);
            if (!res.ok) throw new Error(`${path} answered ${res.status}`);
            await res.arrayBuffer();
          }));
        }
        const wall = median(times.map((t) => t.wall)), cpu = median(times.map((t) => t.cpu));
        console.log(`  ${label.padEnd(20)} ${ms(wall)} wall, ${ms(cpu)} CPU (median of ${runs})`);
      }
    } finally {
      await collector.close();
    }

    // A database whose journey tables are missing (or built by another mapping) gets them on the first request.
    const again = openDb(file);
    again.prepare("UPDATE journey_meta SET value = 'stale' WHERE key = 'version'").run();
    const build = await timed(() => ensureJourneySchema(again));
    again.close();
    console.log(`  building the tables  ${ms(build.wall)} wall, ${ms(build.cpu)} CPU (once, from events already stored)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
