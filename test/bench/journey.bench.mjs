// @ts-check
/**
 * How the journey map scales: for each size, synthetic events (sessions of some 10 events) are written straight
 * into a database file as a collector without the journey tables stored them; then a collector starts on it:
 *
 * 1. it builds the journey tables in the background while this bench keeps posting batches to /collect (their
 *    answer times show the server is not blocked) and asks /api/journey (503, "building N %");
 * 2. ingest: 500-event batches of new sessions POSTed to /collect one after another (ids checked for
 *    duplicates), events/s and the part of it spent folding events into the journey tables;
 * 3. reports: the first answer of each query and the median of the next ones, wall and CPU.
 *
 *   node test/bench/journey.bench.mjs [--sizes 1000000,10000000] [--runs 5] [--ingest 100000]
 *
 * Wall times depend on what else the machine runs (its load is printed); CPU times of this process (collector
 * and client share it) less so.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../../examples/collector/db.mjs';
import { journeyRoutes } from '../../examples/collector/journey/api.mjs';
import { seed } from '../../examples/collector/seed.mjs';
import { startCollector } from '../../examples/collector/server.mjs';
import { collectBodies } from './batches.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    runs: { type: 'string', default: '5' },
    ingest: { type: 'string', default: '100000' },
  },
});
const sizes = values.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 20_000_000);
const runs = Math.min(20, Math.max(1, Number(values.runs) || 5));
const ingestEvents = Math.min(2_000_000, Math.max(10_000, Number(values.ingest) || 100_000));
const END = Date.UTC(2025, 5, 30);
const DAY = 86_400_000;
/** Share of sessions leaving after their entry page: some 10 events per session, 1M sessions in 10M events. */
const BOUNCE = 0.75;

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const int = (/** @type {number} */ n) => Math.round(n).toLocaleString('en-US');
const ms = (/** @type {number} */ n) => `${int(n)} ms`;
const sleep = (/** @type {number} */ n) => new Promise((resolve) => setTimeout(resolve, n));
/** Wall and CPU milliseconds of `work` (CPU of this process: the collector runs in it). @param {() => unknown} work */
async function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/** @param {string} url @param {string} body */
async function post(url, body) {
  const res = await fetch(url + '/collect', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
  if (!res.ok) throw new Error(`/collect answered ${res.status}: ${await res.text()}`);
  return /** @type {{ stored: number, duplicates: number }} */ (await res.json());
}

console.log(`journey map bench: ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
const bodies = collectBodies(ingestEvents + 100 * 500, { end: END, bounce: BOUNCE });
const duringBuild = bodies.slice(0, 100);
const ingest = bodies.slice(100);

for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-'));
  const file = join(dir, 'journey.db');
  try {
    // Events only, written by the collector's insert path (no journey tables), as an older collector left them.
    const db = openDb(file);
    /** @type {ReturnType<typeof seed> | undefined} */
    let result;
    const seeding = await timed(() => (result = seed({ db, events: size, site: 'demo', end: END, bounce: BOUNCE, journey: false })));
    db.close();
    console.log(`\n${int(size)} events, ${int(result?.sessions ?? 0)} sessions, ${int(result?.orders ?? 0)} orders over 28 days, ${int(statSync(file).size / 1e6)} MB of events`);
    console.log(`  generating           ${ms(seeding.wall)} wall (${int(size / (seeding.wall / 1000))} events/s, straight into SQLite, no journey tables)`);

    // 1. A collector starts on it: the tables are built in the background, the collector keeps answering.
    let collector = await startCollector({ db: file, routes: journeyRoutes, rateLimit: false });
    const built = performance.now();
    /** @type {number[]} */
    const collectTimes = [];
    /** @type {string[]} */
    const progress = [];
    let status = 503;
    for (let i = 0; status == 503; i++) {
      if (i < duringBuild.length) {
        const start = performance.now();
        await post(collector.url, duringBuild[i]);
        collectTimes.push(performance.now() - start);
      }
      const start = performance.now();
      const res = await fetch(collector.url + '/api/journey?site=demo');
      status = res.status;
      const body = await res.json();
      // One sample per fifth of the build: the share done and how long the 503 took.
      if (status == 503 && Math.floor(body.building * 5) >= progress.length) progress.push(`${Math.round(body.building * 100)} % (${ms(performance.now() - start)})`);
      if (status == 503) await sleep(200);
      else if (status != 200) throw new Error(`/api/journey answered ${status}`);
    }
    const buildWall = performance.now() - built;
    console.log(`  building the tables  ${ms(buildWall)} wall, in the background (${int(size / (buildWall / 1000))} events/s)`);
    console.log(`    meanwhile /collect  ${collectTimes.length} batches of 500, answered in ${ms(median(collectTimes))} median, ${ms(Math.max(...collectTimes))} at most`);
    console.log(`    meanwhile /api/journey  503 "building": ${progress.join(', ')}`);

    // 2. Ingest: batches of new sessions, one after another.
    // The fold runs in the main thread or in the writer thread (writer.mjs): ingestStats has both.
    const foldOf = async () => {
      const stats = await collector.ingestStats();
      return { events: stats.fold.events + (stats.writer?.fold.events ?? 0), ms: stats.fold.ms + (stats.writer?.fold.ms ?? 0) };
    };
    const before = await foldOf();
    let stored = 0;
    const posting = await timed(async () => {
      for (const body of ingest) stored += (await post(collector.url, body)).stored;
    });
    const after = await foldOf();
    const folded = after.events - before.events;
    const sent = ingest.length * 500;
    console.log(`  POST /collect        ${int(sent / (posting.wall / 1000))} events/s wall, ${int(sent / (posting.cpu / 1000))} events/s per CPU second ` +
      `(${int(sent)} events in batches of 500, ${int(stored)} stored)`);
    console.log(`    journey tables     ${((after.ms - before.ms) * 1000 / Math.max(1, folded)).toFixed(1)} µs CPU per event of the ${((posting.cpu * 1000) / sent).toFixed(1)} µs CPU per event`);
    await collector.close();

    // 3. Reports, on a collector started afresh (statements not compiled yet).
    collector = await startCollector({ db: file, routes: journeyRoutes, rateLimit: false });
    const week = (/** @type {number} */ shift) => `from=${END - 14 * DAY + shift}&to=${END - 7 * DAY + shift}`;
    const targets = [
      ['GET /api/journey?site=demo', '/api/journey?site=demo'],
      ['  all sites', '/api/journey'],
      ['  device=mobile', '/api/journey?site=demo&device=mobile'],
      ['  one week (days)', '/api/journey?site=demo&from=2025-06-16&to=2025-06-22'],
      ['  one week (ms inside days)', `/api/journey?site=demo&${week(3_600_000 * 7 + 123)}`],
      ['  week + device=desktop', `/api/journey?site=demo&device=desktop&${week(3_600_000 * 7 + 123)}`],
      ['  entry=search', '/api/journey?site=demo&entry=search'],
      ['  customer=returning', '/api/journey?site=demo&customer=returning'],
      ['  week + entry, campaign, new', `/api/journey?site=demo&entry=ad&campaign=spring_sale&customer=new&${week(3_600_000 * 7 + 123)}`],
      ['GET /journey?site=demo', '/journey?site=demo'],
      ['  device=tablet, week', `/journey?site=demo&device=tablet&${week(0)}`],
    ];
    console.log(`  ${'report'.padEnd(28)} ${'first'.padStart(8)} ${'CPU'.padStart(8)} ${`median of ${runs}`.padStart(14)} ${'CPU'.padStart(8)}`);
    for (const [label, path] of targets) {
      const get = async () => {
        const res = await fetch(collector.url + path);
        if (!res.ok) throw new Error(`${path} answered ${res.status}`);
        await res.arrayBuffer();
      };
      const first = await timed(get);
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await timed(get));
      console.log(`  ${label.padEnd(28)} ${ms(first.wall).padStart(8)} ${ms(first.cpu).padStart(8)} ${ms(median(times.map((t) => t.wall))).padStart(14)} ${ms(median(times.map((t) => t.cpu))).padStart(8)}`);
    }
    const rows = /** @type {any} */ (collector.db.prepare('SELECT (SELECT count(*) FROM journey_days) AS days, (SELECT count(*) FROM journey_day_cells) AS cells, (SELECT count(*) FROM journey_day_vitals) AS vitals').get());
    console.log(`  roll-up rows: ${int(rows.days)} journey_days, ${int(rows.cells)} cells, ${int(rows.vitals)} vital histograms; database ${int(statSync(file).size / 1e6)} MB`);
    await collector.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
