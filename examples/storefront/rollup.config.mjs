// @ts-check
/**
 * Builds the storefront into dist/app.js, as an app that installed parcours from npm would:
 *
 *   npx rollup -c examples/storefront/rollup.config.mjs     (after `npx rollup -c` built the SDK into dist/)
 */
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { fileURLToPath } from 'node:url';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

/** Stands in for `npm install parcours`: the bare name 'parcours' is this repository's own build. */
const parcoursFromThisRepo = {
  name: 'parcours-from-this-repo',
  resolveId: (/** @type {string} */ id) => (id == 'parcours' ? here('../../dist/parcours.mjs') : null),
};

export default {
  input: here('src/main.ts'),
  output: { file: here('dist/app.js'), format: 'es' },
  // idb-keyval and web-vitals, parcours' own dependencies, come from node_modules like any package's.
  plugins: [parcoursFromThisRepo, resolve({ browser: true }), typescript({ tsconfig: here('tsconfig.json') })],
};
