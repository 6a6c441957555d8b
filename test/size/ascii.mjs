// @ts-check
/**
 * `node test/size/ascii.mjs` (part of `npm run size`, so of `npm test`): fails when any file in dist/ holds a
 * byte above 0x7F. A script served without a charset is decoded with the page's encoding (windows-1252,
 * Shift_JIS…), so one raw `€` there is a SyntaxError thrown into the shop's page and no detection at all.
 * Needs `npm run build` first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
let bad = 0;
for (const f of files) {
  const path = join(f.parentPath, f.name);
  const bytes = readFileSync(path);
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at < 0) continue;
  bad++;
  const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
  console.error(`dist/${relative(dist, path)}: non-ASCII byte 0x${bytes[at].toString(16)} at offset ${at} (line ${line})`);
}
if (!files.length) {
  console.error('dist/ is empty: run `npm run build` first');
  process.exit(1);
}
if (bad) process.exit(1);
console.log(`ASCII only: ${files.length} files in dist/`);
