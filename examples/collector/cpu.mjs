// @ts-check
/** CPU time per thread, for the ingest figures (test/bench/ingest.bench.mjs) of a collector with a writer thread. */
import { closeSync, openSync, readSync } from 'node:fs';

/** @type {number | undefined} this thread's /proc/thread-self/schedstat, open; -1: not there */
let fd;
const buffer = Buffer.alloc(64);

/**
 * CPU milliseconds the calling thread has used: Linux's /proc/thread-self/schedstat (nanoseconds on the CPU),
 * kept open (a module's state is per thread). Elsewhere the whole process's (`process.cpuUsage`, every thread):
 * then a thread's figure includes the others' while they ran at the same time.
 */
export function threadCpuMs() {
  if (fd === undefined) {
    try {
      fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      fd = -1;
    }
  }
  if (fd >= 0) {
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return Number(buffer.toString('latin1', 0, n).split(' ', 1)[0]) / 1e6;
  }
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Closes this thread's schedstat file (a thread about to end: its descriptor would outlive it). */
export function releaseThreadCpu() {
  if (fd !== undefined && fd >= 0) closeSync(fd);
  fd = undefined;
}
