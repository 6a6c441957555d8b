// @ts-check
/**
 * `node test/bench/size.mjs` (part of `npm run bench`): where the bytes of `import { createTracker } from
 * 'parcours'` go. size-limit checks the budget; this says what to cut to meet it. Needs `npm run build` first.
 *
 * The bundle is built the way an app's bundler would (dist/parcours.mjs, tree-shaken, dependencies included),
 * minified with terser and brotli-compressed as a whole. A module's share of the compressed total is estimated
 * from its share of the minified code: brotli does not compress modules separately, so this is an estimate.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import { minify } from 'terser';

const imports = process.argv[2] || '{ createTracker }';
const entry = fileURLToPath(new URL('../../dist/parcours.mjs', import.meta.url));
const brotli = (/** @type {string} */ code) =>
  brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const terse = async (/** @type {string} */ code, module = true) =>
  (await minify(code, { ecma: 2020, module, compress: { passes: 2 }, mangle: true })).code || '';

const bundle = await rollup({
  input: 'entry',
  plugins: [
    { name: 'entry', resolveId: (id) => (id == 'entry' ? id : null), load: (id) => (id == 'entry' ? `export ${imports} from ${JSON.stringify(entry)};` : null) },
    resolve({ browser: true }),
  ],
});
const { output } = await bundle.generate({ format: 'es' });
const chunk = output[0];
if (chunk.type != 'chunk') throw new Error('no chunk');
const total = await terse(chunk.code);
const compressed = brotli(total);

const rows = [];
for (const [id, module] of Object.entries(chunk.modules)) {
  if (!module.code) continue;
  // A module's code alone, as a script (its free names are the bundle's): minified the way the whole was.
  const bytes = (await terse(module.code, false)).length;
  rows.push({ module: id.replace(/^.*?\/(dist\/esm|node_modules)\//, '$1/'), bytes });
}
const sum = rows.reduce((n, r) => n + r.bytes, 0);
rows.sort((a, b) => b.bytes - a.bytes);

console.log(`import ${imports} from 'parcours': ${total.length} B minified, ${compressed} B brotli\n`);
console.log('  minified   ≈ brotli  module');
for (const r of rows)
  console.log(`${String(r.bytes).padStart(10)} ${String(Math.round((r.bytes / sum) * compressed)).padStart(9)}  ${r.module}`);
