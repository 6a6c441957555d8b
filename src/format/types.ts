import type { ParcoursEvent } from '../types';

/**
 * A wire format: how events become a request body. Formats are one small file each (`parcours.ts`,
 * `segment.ts`, …); the transport only packs items under the size limit and sends them.
 */
export interface Format {
  /**
   * One event as it appears in a batch: a JSON text, or `undefined` when the format cannot carry it. A format
   * whose code has not loaded yet (the script tag's Segment part) has no `item`: the sender then sends nothing and
   * keeps every event in the queue, to go out in that format once it is there (never in another).
   */
  item(event: ParcoursEvent): string | undefined;
  /** The request body around already-encoded items. */
  body(items: string[], sentAt: number, site: string | null): string;
  /** Largest item this format's receiver accepts, in bytes (beyond it the event is dropped and reported). */
  maxItemBytes?: number;
  /** Request headers; a format that needs them (e.g. Authorization) cannot use sendBeacon at unload. */
  headers?: Record<string, string>;
}
