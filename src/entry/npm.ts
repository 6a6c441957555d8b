/**
 * The npm entry: `import { createTracker } from 'parcours'`. Importing it does nothing by itself
 * (`sideEffects: false` is true in fact); only `createTracker` starts work, and only in a browser.
 */
export { createTracker } from '../tracker';
export type { Part, PartApi } from '../tracker';
export type * from '../types';
