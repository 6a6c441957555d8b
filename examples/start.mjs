// @ts-check
/**
 * `npm start`: build the SDK (and the storefront example when present), then run the reference collector on
 * 127.0.0.1 serving the demo shop, the storefront and the journey map from one origin.
 *
 *   npm start                      # port 8080, ./parcours.db, a new read key for the journey map printed
 *   PORT=3000 PARCOURS_READ_KEY=… npm start -- --db /tmp/shop.db
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { splitReadKeys } from './collector/auth.mjs';
import { startCollector } from './collector/server.mjs';

const root = (/** @type {string} */ path) => fileURLToPath(new URL('../' + path, import.meta.url));
const { values } = parseArgs({ options: { db: { type: 'string', default: './parcours.db' }, 'no-build': { type: 'boolean' } } });

if (!values['no-build']) {
  console.log('building the SDK…');
  execFileSync('npx', ['rollup', '-c', '--silent'], { cwd: root(''), stdio: 'inherit' });
  if (existsSync(root('examples/storefront/rollup.config.mjs'))) {
    console.log('building the storefront example…');
    execFileSync('npx', ['rollup', '-c', 'examples/storefront/rollup.config.mjs', '--silent'], { cwd: root(''), stdio: 'inherit' });
  }
}

const port = Number(process.env.PORT || 8080);
// The map is read as a shop owner would: signed in with a read key. Without one of yours, one for this run.
const given = splitReadKeys(process.env.PARCOURS_READ_KEY);
const readKeys = given.length ? given : [randomBytes(18).toString('base64url')];
const collector = await startCollector({
  port,
  readKeys,
  db: values.db,
  static: { '/': root('examples/shop'), '/storefront/': root('examples/storefront') },
  spa: ['/storefront/'], // the storefront routes its own deep links (/storefront/products/moon-bowl)
  // The script tag and the parts it loads from next to itself.
  files: Object.fromEntries(['parcours.min.js', 'parcours-auto.min.js', 'parcours-signals.min.js', 'parcours-bridges.min.js', 'parcours-prompt.min.js', 'parcours-segment.min.js'].map((f) => ['/' + f, root('dist/' + f)])),
  log: (line) => console.log(line),
});

console.log(`
parcours demo running — the SDK sends to this collector (SQLite: ${values.db})

  demo shop        ${collector.url}/
  storefront (npm) ${collector.url}/storefront/
  journey map      ${collector.url}/journey
  raw events       ${collector.url}/events?site=atelier-lune
  read key         ${given.length ? '(from PARCOURS_READ_KEY)' : `${readKeys[0]}   (for this run; sign in on the journey map with it)`}

Ctrl-C stops it.`);

const stop = () => collector.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
