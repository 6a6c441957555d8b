import type { Log } from '../lib/log';
import { guard } from '../lib/guard';

/**
 * Add a passive listener through the one guard, and return its removal. Capture phase by default: a theme
 * calling `stopPropagation()` must not hide clicks and submits from parcours.
 */
export const listen = (target: EventTarget, type: string, fn: (event: any) => void, log: Log, capture = true) => {
  const handler = guard(fn, log);
  const options = { capture, passive: true };
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
};
