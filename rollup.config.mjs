import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const minify = () =>
  terser({
    ecma: 2020,
    module: false,
    compress: { passes: 2 },
    // ASCII only: a script served without a charset is decoded with the page's (windows-1252, Shift_JIS…), and
    // a `€` mis-decoded there is a SyntaxError in the shop's page. Escaped, the files read the same in any charset.
    format: { comments: false, ascii_only: true },
  });

/** The same for the npm build, which is not minified: escape every non-ASCII UTF-16 unit as `\uXXXX`. */
const escapeNonAscii = (code) => code.replace(/[^\0-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const ascii = {
  name: 'ascii',
  renderChunk: (code) => ({ code: escapeNonAscii(code), map: null }),
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle)) if (file.type == 'asset' && typeof file.source == 'string') file.source = escapeNonAscii(file.source);
  },
};

const sri = (file, algorithm = 'sha384') => algorithm + '-' + createHash(algorithm).update(readFileSync(file)).digest('base64');

/**
 * `dist/parcours.mjs` and `dist/parcours.d.ts`: the package's front door, pointing at the public entry. The
 * modules stay separate files behind it, so with `sideEffects: false` an app's bundler drops every module it does
 * not import (one bundled file would keep every top-level table).
 */
const frontDoor = {
  name: 'front-door',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'parcours.mjs', source: "export * from './esm/entry/npm.mjs';\n" });
    this.emitFile({ type: 'asset', fileName: 'parcours.d.ts', source: "export * from './types/entry/npm';\n" });
  },
};

/** The script tag's lazily loaded files, built before it: the main file carries their SRI hashes. */
const CHUNKS = {
  auto: 'src/entry/auto-chunk.ts',
  signals: 'src/entry/signals-chunk.ts',
  bridges: 'src/entry/bridges-chunk.ts',
  prompt: 'src/entry/prompt-chunk.ts',
  segment: 'src/entry/segment-chunk.ts',
};

/** Put the chunks' hashes into the main file, and write every IIFE's hash to dist/sri.json for the README snippet. */
const integrity = {
  name: 'integrity',
  transform(code) {
    if (!code.includes('__CHUNK_INTEGRITY__')) return;
    // sha256 for the hashes the main file carries: as strong a pin for SRI, and 60 fewer incompressible characters
    // each in the file every page loads (dist/sri.json lists these, and sha384 for the tag you paste).
    const hashes = Object.fromEntries(Object.keys(CHUNKS).map((name) => [name, sri(`dist/parcours-${name}.min.js`, 'sha256')]));
    return { code: code.replaceAll('__CHUNK_INTEGRITY__', JSON.stringify(hashes)), map: null };
  },
  writeBundle() {
    const files = ['parcours.min.js', ...Object.keys(CHUNKS).map((name) => `parcours-${name}.min.js`)];
    const entry = (f) => [f, sri('dist/' + f, f == 'parcours.min.js' ? 'sha384' : 'sha256')];
    writeFileSync('dist/sri.json', JSON.stringify(Object.fromEntries(files.map(entry)), null, 2) + '\n');
  },
};

const iife = (input, file, plugins = []) => ({
  input,
  output: { file, format: 'iife' },
  plugins: [resolve({ browser: true }), typescript({ include: ['src/**/*.ts'] }), ...plugins, minify()],
});

export default [
  // <script> tag: lazily loaded chunks first, then the main file that knows their hashes.
  ...Object.entries(CHUNKS).map(([name, input]) => iife(input, `dist/parcours-${name}.min.js`)),
  iife('src/entry/script-tag.ts', 'dist/parcours.min.js', [integrity]),
  // Shopify's checkout runs no theme scripts, only pixels: this file is pasted into a custom pixel.
  iife('src/entry/shopify-pixel.ts', 'dist/parcours-shopify-pixel.js'),
  // npm: ESM, dependencies left to the app's bundler so they are shared and deduplicated.
  {
    input: 'src/entry/npm.ts',
    external: ['idb-keyval', 'web-vitals'],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: 'esm/[name].mjs' },
    plugins: [
      typescript({ declaration: true, declarationDir: 'dist/types', outDir: 'dist', include: ['src/**/*.ts'] }),
      frontDoor,
      ascii,
    ],
  },
];
