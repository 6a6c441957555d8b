import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const minify = terser({
  ecma: 2020,
  module: false,
  compress: { passes: 2 },
  format: { comments: false },
});

/** One `dist/parcours.d.ts` that points at the declarations tsc wrote next to it. */
const dtsIndex = {
  name: 'dts-index',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'parcours.d.ts', source: "export * from './types/entry/npm';\n" });
  },
};

export default [
  // npm: ESM, dependencies left to the app's bundler so they are shared and deduplicated.
  {
    input: 'src/entry/npm.ts',
    external: ['idb-keyval', 'web-vitals'],
    output: { file: 'dist/parcours.mjs', format: 'es' },
    plugins: [
      typescript({ declaration: true, declarationDir: 'dist/types', outDir: 'dist', include: ['src/**/*.ts'] }),
      dtsIndex,
    ],
  },
  // <script> tag: one self-contained minified file.
  {
    input: 'src/entry/script-tag.ts',
    output: { file: 'dist/parcours.min.js', format: 'iife' },
    plugins: [resolve({ browser: true }), typescript({ include: ['src/**/*.ts'] }), minify],
  },
];
