// @ts-check
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * True when the module at `moduleUrl` (its `import.meta.url`) is the program being run, not a module being
 * imported: the command-line files start their server or job only then.
 * @param {string} moduleUrl
 */
export function isMain(moduleUrl) {
  try {
    return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

/**
 * Runs a command-line file's `main` with its arguments when that file is the program being run: a failure, thrown
 * or rejected, is one line `parcours NAME: message` on stderr and exit code 1, never a stack.
 * @param {string} moduleUrl the file's `import.meta.url`
 * @param {string} name what the line names, e.g. 'collector'
 * @param {(argv: string[]) => unknown} main
 */
export function runAsMain(moduleUrl, name, main) {
  if (!isMain(moduleUrl)) return;
  const fail = (/** @type {any} */ error) => {
    console.error(`parcours ${name}: ${error?.message ?? error}`);
    process.exitCode = 1;
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).catch(fail);
  } catch (error) {
    fail(error);
  }
}
