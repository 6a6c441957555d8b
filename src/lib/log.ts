/** A one-line diagnostic sink. Silent unless the tracker was created with `debug: true`. */
export type Log = (message: string) => void;

export const createLog = (debug: unknown): Log =>
  debug
    ? (message) => {
        // The page may have replaced or removed console; a diagnostic must never become an error.
        try {
          console.warn('[parcours] ' + message);
        } catch {}
      }
    : () => {};
