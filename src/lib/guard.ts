import type { Log } from './log';

/**
 * Wraps a function so that nothing it throws reaches the host page. Every public method, listener and timer
 * callback goes through this one boundary, instead of try/catch sprinkled through the middle of the code.
 */
export const guard =
  <A extends unknown[], R>(fn: (...args: A) => R, log: Log) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch (error) {
      log('internal error: ' + describe(error));
    }
  };

/** `String(error)` can itself throw (a hostile toString); a description never does. */
export const describe = (error: unknown): string => {
  try {
    return String((error as Error)?.message ?? error).slice(0, 200);
  } catch {
    return 'unknown';
  }
};
