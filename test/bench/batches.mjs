// @ts-check
import { openDb } from '../../examples/collector/db.mjs';
import { seed } from '../../examples/collector/seed.mjs';

/**
 * `events` new seeded events (seed 2: other sessions and ids than a database seeded with the default seed) as
 * `POST /collect` bodies of 500 events each, ready to send. A last partial batch is left out.
 * @param {number} events
 * @param {{ end: number, bounce: number }} shape the seed's last day and share of one-page sessions
 */
export function collectBodies(events, { end, bounce }) {
  /** @type {string[]} */
  const bodies = [];
  /** @type {object[]} */
  let batch = [];
  const scratch = openDb();
  seed({
    db: scratch, events, site: 'demo', seed: 2, end, bounce, journey: false,
    write: (site, written) => {
      for (const e of written) {
        batch.push(e);
        if (batch.length == 500) bodies.push(JSON.stringify({ sentAt: Date.now(), site, events: batch })), (batch = []);
      }
      return written.length;
    },
  });
  scratch.close();
  return bodies;
}
