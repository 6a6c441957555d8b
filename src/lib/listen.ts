import type { Log } from '../lib/log';
import { guard } from '../lib/guard';

/**
 * Adds one passive, guarded listener per space-separated event type and returns its remover. Capture phase by
 * default: delegated at `document` or `window`, a listener still hears events the page stops from bubbling, and
 * events that never bubble (`invalid`, `play`, `scroll` of an element).
 */
export const listen = (target: EventTarget, types: string, fn: (event: any) => void, log: Log, capture = true) => {
  const handler = guard(fn, log) as EventListener;
  const options = { capture, passive: true };
  const list = types.split(' ');
  for (const type of list) target.addEventListener(type, handler, options);
  return () => {
    for (const type of list) target.removeEventListener(type, handler, options);
  };
};

/** One teardown for all of a part's listeners, observers and timers (none of which throws). */
export const all =
  (...list: (() => void)[]) =>
  () =>
    list.forEach((stop) => stop());
