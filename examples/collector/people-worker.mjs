// @ts-check
/**
 * The reading half of an export or an erasure (people.mjs), in a worker thread: its own read-only connection
 * scans the table while the collector's thread keeps answering (WAL lets a reader and the writer run at once).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { exportPerson, scanPerson } from './people.mjs';

const { file, task, id } = /** @type {{ file: string, task: 'scan' | 'export', id: string }} */ (workerData);
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  parentPort?.postMessage(task == 'export' ? exportPerson(db, id).json : scanPerson(db, id));
} finally {
  db.close();
}
